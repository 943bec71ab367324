"""Spec entries for the new inputs: costs from outturn files, the deflator, admin kinds, old LA
numbers as codes, and `rsw-eval validate` for each new kind."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

from rsw_eval import DataError, SpecError
from rsw_eval.cli import main
from rsw_eval.comparison._resolve import resolve
from rsw_eval.inputs import load_inputs
from rsw_eval.inputs._entries import detect_kind
from rsw_eval.spec import EvaluationSpec, load_spec
from tests.conftest import DFE, needs_dfe


def test_old_la_numbers_in_the_spec_and_in_resolve():
    spec = load_spec(
        {"unit_model": {"204": 2008}, "comparators": ["210", "E09000022"], "data": {"admin": ["p.csv"]}}
    )
    assert spec.unit_model == ("E09000012",) and spec.adoption_year("E09000012") == 2008
    assert spec.comparators == ("E09000028", "E09000022")
    python_spec = EvaluationSpec(unit_model=("204",), comparators=("210",), data={"admin": ["p.csv"]})
    who = resolve(python_spec, ["E09000012", "E09000028", "E09000001"])
    assert (who.treated, who.comparators) == (["E09000012"], ["E09000028"])


def test_outturn_cost_entry_needs_expenditure(tmp_path):
    raw = pd.DataFrame(
        {
            "LA": ["204"],
            "LA Name": ["Hackney"],
            "LineNumber": ["6"],
            "CYPServiceDescription": ["6 Residential care"],
            "TotalExpenditure": ["10"],
        }
    )
    raw.to_csv(tmp_path / "s251_outturn_1314.csv", index=False)
    spec = load_spec({"unit_model": ["204"], "data": {"costs": "s251_outturn_1314.csv"}}, data_dir=tmp_path)
    with pytest.raises(SpecError, match="is a Section 52/251 outturn file: give expenditure = 'gross'"):
        load_inputs(spec)
    entry = {"path": "s251_outturn_1314.csv", "expenditure": "gross", "scop": "cyps"}
    spec = load_spec({"unit_model": ["204"], "data": {"costs": [entry]}}, data_dir=tmp_path)
    with pytest.raises(SpecError, match=r"unknown option 'scop' for this kind of file; valid: expenditure"):
        load_inputs(spec)
    entry.pop("scop")
    spec = load_spec(
        {"unit_model": ["204"], "data": {"admin": [{**entry, "kind": "outturn"}]}}, data_dir=tmp_path
    )
    inputs = load_inputs(spec)
    assert inputs.panel is None
    assert inputs.costs.set_index("indicator").loc["total_cost", "value"] == 10


def test_kinds_told_from_the_header(tmp_path):
    cases = {
        "w.csv": "time_period,geographic_level,old_la_code,new_la_code,la_name,inpost_fte\n",
        "p.csv": "time_period,geographic_level,age_group,population_estimate\n",
        "e.csv": "time_period,geographic_level,description_of_expenditure,total_expenditure\n",
        "l.csv": "la_code,year,cost_line,amount_gbp\n",
        "s.csv": "LA,LA Name,s251line,Description\n",
    }
    kinds = {}
    for name, header in cases.items():
        (tmp_path / name).write_text(header + "x" * header.count(",") + "\n")
        kinds[name] = detect_kind(tmp_path / name, "admin")
    assert kinds == {
        "w.csv": "workforce",
        "p.csv": "population",
        "e.csv": "outturn",
        "l.csv": "ledger",
        "s.csv": "outturn",
    }
    (tmp_path / "x.csv").write_text("a,b\n1,2\n")
    with pytest.raises(SpecError, match="cannot tell the layout of x.csv; give kind = one of dfe, sfr"):
        detect_kind(tmp_path / "x.csv", "admin")


@needs_dfe
def test_a_data_path_that_is_a_folder_is_named_a_folder(tmp_path):
    # q22 L4: a folder given as an admin path was said not to exist
    (tmp_path / "panels").mkdir()
    spec = load_spec({"unit_model": ["E09000012"], "data": {"admin": ["panels"]}}, data_dir=tmp_path)
    with pytest.raises(SpecError, match=r"\[data\] admin: .*panels is a folder, not a file$"):
        load_inputs(spec)


def test_an_undecodable_csv_says_why_not_that_its_layout_is_unknown(tmp_path):
    # q22 L4: a UTF-16 admin file was "a layout rsw-eval cannot tell"
    (tmp_path / "p.csv").write_bytes("la_code,year,indicator,value\n".encode("utf-16-le"))
    with pytest.raises(DataError, match=r"p\.csv: the file's text encoding is not supported; .*UTF-16"):
        detect_kind(tmp_path / "p.csv", "admin")


def test_deflator_entry_attaches_price_index_and_refuses_calendar_years():
    costs = {"path": "s52_outturn_0910.csv", "expenditure": "gross"}
    data = {
        "costs": [costs],
        "deflator": "GDP_Deflators_Budget_March_2020_update.xlsx",
        "deflator_base": "2009-10",
    }
    inputs = load_inputs(load_spec({"unit_model": ["204"], "data": data}, data_dir=DFE))
    assert set(inputs.costs["price_index"]) == {100.0} and set(inputs.costs["price_base"]) == {
        "2009-10 = 100"
    }
    data["deflator"] = "GDP_Deflators_Spring_Statement_March_2022_update.xlsx"
    with pytest.raises(Exception, match="financial years wanted but the workbook has calendar years only"):
        load_inputs(load_spec({"unit_model": ["204"], "data": data}, data_dir=DFE))
    data["deflator"] = {"path": data["deflator"], "calendar": "allow"}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        inputs = load_inputs(load_spec({"unit_model": ["204"], "data": data}, data_dir=DFE))
    assert any("calendar year Y-1" in str(w.message) for w in caught)


def test_deflator_missing_years(tmp_path):
    years = [f"{y}-{(y + 1) % 100:02d}" for y in range(2000, 2012)]
    rows = [["Financial year", "2010-11 = 100"]] + [[p, 90.0 + i] for i, p in enumerate(years)]
    pd.DataFrame(rows).to_excel(tmp_path / "d.xlsx", index=False, header=False)
    data = {"costs": "costs.csv", "deflator": "d.xlsx"}
    (tmp_path / "costs.csv").write_text("la_code,year,cost_line,amount_gbp\nE09000012,2019-20,staff,1\n")
    with pytest.raises(SpecError, match=r"d.xlsx has no index for the years ending March \[2020\]"):
        load_inputs(load_spec({"unit_model": ["E09000012"], "data": data}, data_dir=tmp_path))


def test_validate_panel_kind(write, capsys):
    path = write("panel.csv", "la_code,year,indicator,value\nE09000012,2010,children_looked_after,304\n")
    assert main(["validate", str(path), "--kind", "panel"]) == 0
    assert "1 panel rows, 1 authorities" in capsys.readouterr().out


@needs_dfe
@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["sfr27-2010amv5.xls", "--kind", "laa1", "--on-unmapped", "drop"], "152 authorities, 2 indicators"),
        (
            ["csww_indicators_2017_to_2025.csv", "--kind", "workforce", "--value", "inpost_fte"],
            "1 indicators",
        ),
        (["ons_mid-year_population_estimates_2012_to_2024.csv", "--kind", "population"], "population"),
        (
            ["s251ye2017.xlsx", "--kind", "outturn", "--expenditure", "net", "--scope", "cyps"],
            "152 authorities",
        ),
        (
            ["GDP_Deflators_Budget_March_2020_update.xlsx", "--kind", "deflator", "--base", "2018-19"],
            "64 financial years, base 2018-19 = 100",
        ),
    ],
    ids=["laa1", "workforce", "population", "outturn", "deflator"],
)
def test_validate_new_kinds_real_files(args, expected, capsys):
    assert main(["validate", str(DFE / args[0]), *args[1:]]) == 0
    assert expected in capsys.readouterr().out


@needs_dfe
def test_validate_calendar_only_deflator_is_one_error_line(capsys):
    path = DFE / "GDP_Deflators_Spring_Statement_March_2022_update.xlsx"
    assert main(["validate", str(path), "--kind", "deflator"]) == 2
    err = capsys.readouterr().err
    assert "--calendar allow" in err and "Traceback" not in err
    assert main(["validate", str(path), "--kind", "deflator", "--calendar", "allow"]) == 0
    assert "calendar year Y-1" in capsys.readouterr().err
