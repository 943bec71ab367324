"""An annual report for year Y uses no later year (finding B7, real DfE files): its estimates are
``compare(ending_in(spec, X, Y), authority=X)``'s, and a year before X adopted the model gives a
benchmarking report that says why."""

from __future__ import annotations

import warnings

from rsw_eval.cli import main
from rsw_eval.evaluation.engine import compare
from rsw_eval.report._common import effect
from rsw_eval.report._numbers import p_text
from rsw_eval.report._points import with_points
from rsw_eval.spec import load_spec
from rsw_eval.spec._windows import ending_in
from tests.conftest import DFE, needs_dfe
from tests.report._authority_property import table_after

SOUTHWARK = "E09000028"
D3 = "d3_cpps_subsequent_plan_2013_to_2025.csv"
SPEC = {
    "unit_model": {"210": 2016, "810": 2016},
    "comparators": "statistical_neighbours",
    "designs": ["did", "its"],
    "post_years": 4,
    "data": {
        "admin": [
            {
                "path": D3,
                "value": {"CPP_start": "cp_plans_started", "CPP_subsequent_percent": "cp_plans_repeat_pct"},
            }
        ],
        "neighbours": "New_Statistical_Neighbour_Groupings_April_2021.csv",
    },
}


def _report(tmp_path, year: int) -> str:
    toml = tmp_path / "spec.toml"
    toml.write_text(_toml(SPEC))
    out = tmp_path / str(year)
    args = [str(DFE), "--spec", str(toml), "--style", "annual", "--format", "html"]
    assert main(["report", *args, "--authority", "210", "--year", str(year), "--out", str(out)]) == 0
    return (out / "annual.html").read_text()


def _toml(spec_dict) -> str:
    admin = spec_dict["data"]["admin"][0]
    values = ", ".join(f'{k} = "{v}"' for k, v in admin["value"].items())
    return (
        'comparators = "statistical_neighbours"\ndesigns = ["did", "its"]\npost_years = 4\n'
        f'[unit_model]\n210 = 2016\n810 = 2016\n[data]\nneighbours = "{spec_dict["data"]["neighbours"]}"\n'
        f'admin = [{{ path = "{admin["path"]}", value = {{ {values} }} }}]\n'
    )


def _expected(year: int) -> list[list[str]]:
    spec = load_spec(SPEC, data_dir=DFE)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        found = compare(ending_in(spec, SOUTHWARK, year), authority=SOUTHWARK).protected()
    table = with_points(found.table, found.series)  # a percentage's cells are in pp, as build marks
    rows = table[table["design"].isin(["did", "its"]) & table["primary"]]
    return [[effect(r), p_text(r["p_value"])] for _, r in rows.iterrows()]


@needs_dfe
def test_an_annual_reports_estimates_use_years_up_to_its_own(tmp_path):
    shown = {}
    for year in (2017, 2019):
        html = _report(tmp_path, year)
        cells = table_after(html, "model-change")
        shown[year] = [[c[3], c[4]] for c in cells]
        assert shown[year] == _expected(year)  # = compare with the post window ending at the year
    assert shown[2017] != shown[2019]  # 2018-2019 differ from 2016-2017 in the real file


@needs_dfe
def test_a_year_before_adoption_gives_a_benchmarking_report(tmp_path):
    html = _report(tmp_path, 2015)
    assert not table_after(html, "model-change")
    assert "since the model began" not in html and "model from 2016" not in html
    assert "first used the model in 2016 (the year ending 31 March), after this report" in html


@needs_dfe
def test_a_sentence_follows_the_rows_adjusted_verdict():
    """Finding B9 on the real d3 file: Hull's DiD on plans started is +56.9% with a 90.9% interval
    of 9.3% to 128.5% that excludes no change, but not after the step-down over the question's
    4 tests (adjusted p 0.273): the sentence says no clear change, as the row does."""
    from rsw_eval.report import build

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        results = compare(load_spec(SPEC, data_dir=DFE), authority="810")
    row = results.table.query("design == 'did' and outcome == 'cp_plans_started'").iloc[0]
    assert row["ci_low"] > 0 and row["p_adjusted"] >= 0.05
    assert "not statistically significant" in row["interpretation"]
    data = build(results, "annual", authority="E06000010", generated="2026-01-01")
    verdicts = next(s for s in data.sections if s.id == "verdicts").items
    said = next(v for v in verdicts if v.startswith("Child protection plans started"))
    assert "a rise of 56.9% since the model began" not in said
    assert (
        "no clear change since the model began (against the comparators' trend) after allowing for "
        "the 4 tests of this question (adjusted p = 0.273): the unadjusted 90.9% interval is a rise "
        "of 9.3% to a rise of 128.5%"
    ) in said
