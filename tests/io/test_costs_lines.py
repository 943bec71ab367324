"""Findings-q13in A5: a cost ledger line typed with another valid year or another authority's code
moved out of its authority-year, silently (Hackney 2008-09 40.0m -> 22.4m, a Hackney 2019-20 of one
line, the published cost change -4.97% -> +69.7%). An authority-year split in two by a moved line
is refused; a row that looks moved is warned about; a service started later or closed loads without
a word (findings-q15att L1, L2, L3, M2)."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from rsw_eval import DataError, RswEvalWarning
from rsw_eval.cli import main
from rsw_eval.io import load_costs
from tests._fuzz import budget
from tests.conftest import SAMPLE

LINES = (SAMPLE / "costs.csv").read_text().splitlines()
MOVED = "row 2, column '{column}': an authority-year holds only cost lines another of the same {kind} lacks"


def _ledger(tmp_path, row: int, old: str, new: str):
    """The sample ledger with ``old`` replaced by ``new`` in its CSV row ``row`` (header = row 1)."""
    lines = list(LINES)
    assert old in lines[row - 1]
    lines[row - 1] = lines[row - 1].replace(old, new)
    path = tmp_path / "costs.csv"
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.mark.parametrize(
    ("old", "new", "column", "found"),
    [
        ("2008-09", "2019-20", "year", "E09000012 2019-20: 1 line (looked_after_placements)"),
        ("2008-09", "201920", "year", "E09000012 2019-20: 1 line (looked_after_placements)"),
        ("E09000012", "E09000007", "la_code", "E09000007 2008-09: 1 line (looked_after_placements)"),
        ("E09000012", "E10000002", "la_code", "E10000002 2008-09: 1 line (looked_after_placements)"),
    ],
)
def test_a_line_typed_with_another_year_or_authority_is_refused(tmp_path, capsys, old, new, column, found):
    path = _ledger(tmp_path, 2, old, new)
    with pytest.raises(DataError) as info:
        load_costs(path)
    assert len(info.value.problems) == 1
    text = str(info.value)
    kind = "authority" if column == "year" else "year"
    assert f"costs.csv, {MOVED.format(column=column, kind=kind)}" in text
    # the pair together is a whole authority-year; where the line came from
    assert "(together the two hold the 7 lines of E09000012 2009-10)" in text
    assert f"found {found}, which E09000012 2008-09 lacks" in text
    assert main(["validate", str(path), "--kind", "costs"]) == 2
    assert MOVED.format(column=column, kind=kind) in capsys.readouterr().err


def test_the_sample_ledger_loads_without_a_word():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert len(load_costs(SAMPLE / "costs.csv")) == 11 * 2 * 8


def _silent(raw):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return load_costs(raw)


def _refused_or_warned(raw, row):
    """The ledger ``raw`` is refused or loads with a warning: never silently (``row`` was moved)."""
    with warnings.catch_warnings(record=True) as said:
        warnings.simplefilter("always")
        try:
            load_costs(raw)
        except DataError:
            return
    assert any(issubclass(w.category, RswEvalWarning) for w in said), raw.loc[row].tolist()


def _ledger_of(years: dict, code="E09000012") -> pd.DataFrame:
    rows = [(code, year, line, "1000") for year, lines in years.items() for line in lines]
    return pd.DataFrame(rows, columns=["la_code", "year", "cost_line", "amount_gbp"])


OLD = ["placements", "staffing", "management", "other"]
NEW = ["consultant_social_workers", "clinicians", "unit_coordinators", "systemic_training", "agency"]


@pytest.mark.parametrize("before", [2, 3])
def test_a_before_after_ledger_whose_later_years_add_lines_loads_without_a_word(before):
    """findings-q15att L2: the model's own new lines, held by half the years or more, made every
    year before them refused as 'a line typed with another year'."""
    years = [f"{y - 1}-{y % 100:02d}" for y in range(2006, 2012)]
    panel = _silent(_ledger_of({y: OLD + (NEW if i >= before else []) for i, y in enumerate(years)}))
    assert panel.query("indicator == 'total_cost'")["value"].tolist() == [4000.0] * before + [9000.0] * (
        6 - before
    )


def test_a_service_closed_or_started_later_loads_without_a_word():
    _silent(
        _ledger_of({"2008-09": ["staffing", "placements"], "2009-10": ["staffing", "placements", "edge"]})
    )
    _silent(
        _ledger_of({"2008-09": ["staffing", "placements", "edge"], "2009-10": ["staffing", "placements"]})
    )
    raw = _ledger_of({"2008-09": ["a", "b"], "2009-10": ["a", "b"], "2010-11": ["a", "b", "edge"]})
    _silent(raw)


def _only_hackney_holds(line: str) -> list[str]:
    return [row for row in LINES if line not in row or "E09000012" in row or row.startswith("la_code")]


def test_a_line_only_one_authority_holds_moved_to_another_is_warned(tmp_path):
    """findings-q15att L1: agency_premium held by Hackney only (legitimate, silent now) typed with a
    comparator's code took the legitimate ledger's own warning: cost change -4.97% -> +1.10%."""
    lines = _only_hackney_holds("agency_premium")
    path = tmp_path / "costs.csv"
    path.write_text("\n".join(lines) + "\n")
    _silent(path)
    moved = [*lines[:3], lines[3].replace("E09000012", "E09000028"), *lines[4:]]
    path.write_text("\n".join(moved) + "\n")
    with pytest.warns(RswEvalWarning) as said:
        load_costs(path)
    text = str(said[0].message)
    assert (
        "costs.csv: row 4 (agency_premium, 2008-09) may belong to the authority-year of rows 2, 3, 5, 6"
        in text
    )
    assert "(a row typed with another la_code?)" in text and "E09000012" not in text


def test_a_line_left_out_between_years_holding_it_is_warned():
    raw = _ledger_of({"2008-09": ["a", "b"], "2009-10": ["a"], "2010-11": ["a", "b"]})
    with pytest.warns(
        RswEvalWarning, match=r"rows 1, 4 \(b\): their authority holds the line in 2008-09, 2010-11 "
    ):
        load_costs(raw)


@pytest.mark.parametrize("name", ["Jane Quenby", "Quenby, Jane", "QUENBY JANE", "W1001"])
def test_a_line_named_like_a_person_or_an_identifier_is_not_echoed(tmp_path, name):
    """findings-q15att L3: a line every authority-year holds, named like a person, was printed three
    times in the refusal."""
    rows = [
        row.replace(",other,", f',"{name}",') for row in LINES if row.startswith(("la_code", "E09000012"))
    ]
    rows = [
        row.replace("2009-10", "2019-20") if "2009-10" in row and name not in row else row for row in rows
    ]
    path = tmp_path / "costs.csv"
    path.write_text("\n".join(rows) + "\n")
    with pytest.raises(DataError) as info:
        load_costs(path)
    text = str(info.value)
    assert "Quenby" not in text and "W1001" not in text and "QUENBY" not in text
    # a person-shaped line is refused as such first (q14 M5); an identifier-shaped one by the rule
    assert "may identify a person" in text or (
        "an authority-year holds only cost lines another of the same authority lacks" in text
    )


def test_a_ledger_mixing_a_dfe_number_and_the_gss_code_is_one_authority(tmp_path, capsys):
    """findings-q15att M2: one line coded 204 and the rest E09000012 was refused as a duplicate told
    to choose a filter column, which a ledger does not have."""
    path = _ledger(tmp_path, 8, "E09000012", "204")
    panel = _silent(path)
    total = panel.query("indicator == 'total_cost' and la_code == 'E09000012'")["value"].tolist()
    assert total == [40_000_000.0, 38_012_000.0]
    lines = (tmp_path / "costs.csv").read_text().splitlines()
    (tmp_path / "costs.csv").write_text("\n".join([*lines, lines[1].replace("E09000012", "204")]) + "\n")
    assert main(["validate", str(path), "--kind", "costs"]) == 2
    err = capsys.readouterr().err
    assert "appears more than once" in err and "--filter" not in err and "204 and E09000012" in err


def test_a_ledger_per_year_in_two_files_still_catches_a_moved_line():
    # one authority-year per file: the moved line makes the second, a lone line beside two
    raw = _ledger_of({"2008-09": ["a", "b", "c"]})
    raw.loc[0, "year"] = "2019-20"
    with pytest.raises(DataError, match=r"row 0, column 'year'.*found E09000012 2019-20: 1 line \(a\)"):
        load_costs(raw)


def test_two_councils_with_their_own_lines_load_without_a_word():
    raw = pd.concat(
        [
            _ledger_of({y: OLD for y in ("2008-09", "2009-10")}),
            _ledger_of({y: ["x", "y", "z"] for y in ("2008-09", "2009-10")}, code="E09000028"),
        ]
    )
    _silent(raw)


CODES = ["E09000012", "E09000028", "E09000022", "E09000007", "E10000002", "E08000025"]
YEARS = ["2008-09", "2009-10", "2010-11", "201920", "2015"]


@budget(60)
@given(
    st.integers(1, 3),
    st.integers(1, 3),
    st.integers(2, 7),
    st.data(),
)
def test_any_line_moved_to_another_year_or_authority_is_refused_or_warned(authorities, years, width, data):
    """Any single line of a ledger whose authority-years hold the same 2 or more lines, typed with
    another valid year or authority code, is refused or warned about: never loaded silently, as the
    correct ledger is."""
    raw = pd.DataFrame(
        [
            (code, year, f"line{i}", str(1000 + i))
            for code in CODES[:authorities]
            for year in YEARS[:years]
            for i in range(width)
        ],
        columns=["la_code", "year", "cost_line", "amount_gbp"],
    )
    _silent(raw)
    row = data.draw(st.integers(0, len(raw) - 1))
    column = data.draw(st.sampled_from(["la_code", "year"]))
    choices = CODES if column == "la_code" else YEARS
    raw.loc[row, column] = data.draw(st.sampled_from([v for v in choices if v != raw.loc[row, column]]))
    _refused_or_warned(raw, row)


@budget(60)
@given(st.integers(2, 3), st.integers(2, 3), st.integers(1, 4), st.data())
def test_a_line_one_authority_holds_moved_to_another_is_refused_or_warned(authorities, years, width, data):
    """findings-q15att L1: a line only the first authority holds, in all its years, typed with
    another authority's code: the correct ledger loads silently, the moved one never does."""
    raw = pd.DataFrame(
        [
            (code, year, line, "1000")
            for code in CODES[:authorities]
            for year in YEARS[:years]
            for line in [f"line{i}" for i in range(width)] + (["own"] if code == CODES[0] else [])
        ],
        columns=["la_code", "year", "cost_line", "amount_gbp"],
    )
    _silent(raw)
    row = data.draw(st.sampled_from(list(raw.index[raw["cost_line"] == "own"])))
    raw.loc[row, "la_code"] = data.draw(st.sampled_from(CODES[1:]))
    _refused_or_warned(raw, row)
