"""Issue 18 item 8: the report says what the rows say (adjustment and tests named from the rows,
the cost sentence's interval level and price base, days charted in days, the annual report's
year, the official-statistics check in the Munro report)."""

from __future__ import annotations

import warnings

import pandas as pd

from rsw_eval.evaluation.engine import compare
from rsw_eval.report import build
from rsw_eval.report._render import render_html
from rsw_eval.spec import default_sample_spec, load_spec
from tests.conftest import DFE, SAMPLE, needs_dfe
from tests.evaluation._panels import LONDON, panel, spec_for, split_survey


def test_forrester_names_the_adjustment_and_the_tests_that_ran(tmp_path):
    """Three unit-model authorities against three conventional ones: the worker rows test the
    model, and the report names the tests and the adjustment the rows carry."""
    split_survey(tmp_path, 3)
    spec = load_spec(
        {"unit_model": ["x"], "adjust": "bh", "data": {"worker_survey": "worker_survey.csv"}},
        data_dir=tmp_path,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        results = compare(spec, only=["worker"])
    data = build(results, "forrester", generated="2026-01-01")
    worker = next(s for s in data.sections if s.id == "worker")
    tests = set(results.table.query("family == 'worker' and primary and design == 'cross_section'")["test"])
    assert all(t in worker.intro for t in tests) and "Welch" not in worker.intro
    assert "Benjamini-Hochberg's over" in worker.intro and "Holm" not in worker.intro
    assert all("Holm" not in s and "BH-adjusted" not in s for s in data.summary)
    assert any("Benjamini-Hochberg-adjusted" in s for s in data.summary)


def test_forrester_says_one_authority_a_side_compares_places():
    results = compare(default_sample_spec(SAMPLE), only=["worker", "parent"])
    worker = next(s for s in build(results, "forrester", generated="2026-01-01").sections if s.id == "worker")
    assert "compare places, not the model" in worker.intro and "adjusted p is" not in worker.intro


def test_working_days_lost_are_charted_in_days(tmp_path):
    frame = panel(indicators=("children_looked_after", "working_days_lost_fte", "sickness_days_per_fte"))
    results = compare(spec_for(frame, tmp_path, unit_model={LONDON[0]: 2008}, designs=["did"]))
    charts = dict(next(s for s in build(results, "annual").sections if s.id == "trends").charts)
    assert (
        ">days<" in charts["Working days lost to sickness"]
        and "days per FTE" not in charts["Working days lost to sickness"]
    )
    assert "days per FTE" in charts["Sickness days per FTE"]


def test_the_annual_year_is_the_latest_with_looked_after_children(tmp_path):
    cla = panel(years=range(2004, 2016), indicators=("children_looked_after",))
    census = panel(years=range(2004, 2017), indicators=("agency_worker_pct",), seed=3)
    results = compare(
        spec_for(pd.concat([cla, census]), tmp_path, unit_model={LONDON[0]: 2008}, designs=["did"])
    )
    assert build(results, "annual").subtitle.endswith("year ending 31 March 2015")  # not 2016


def test_the_munro_report_shows_the_official_statistics_check():
    results = compare(default_sample_spec(SAMPLE), only=["admin", "cost"])
    html = render_html(build(results, "munro", generated="2026-01-01"))
    assert 'id="official-check"' in html and "Official statistics beside the published claims" in html


@needs_dfe
def test_the_cost_sentence_states_its_level_and_the_price_base_asked_for():
    spec = load_spec(
        {
            "unit_model": {"204": 2008},
            "comparators": "statistical_neighbours",
            "cost_years": [2009, 2010],
            "data": {
                "costs": [
                    {"path": "s52_outturn_0809.csv", "expenditure": "gross", "on_unmapped": "drop"},
                    {"path": "s52_outturn_0910.csv", "expenditure": "gross"},
                ],
                "neighbours": "New_Statistical_Neighbour_Groupings_April_2021.csv",
                "deflator": "GDP_Deflators_Budget_March_2020_update.xlsx",
                "deflator_base": "2018-19",
            },
        },
        data_dir=DFE,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Bedfordshire and Cheshire dropped, as the spec asks
        results = compare(spec, only=["cost"])
    real = results.table.query("outcome == 'total_cost_real'").iloc[0]
    assert real["scale"] == "2018-19 prices"
    # 2008-09 and 2009-10 in 2018-19 prices: nominal x 100 / the deflator (84.190175, 85.57825)
    nominal = results.table.query("design == 'cost_change' and outcome == 'total_cost'").iloc[0]
    assert real["value_comparison"] == nominal["value_comparison"] * 100 / 84.190175
    assert real["value_treatment"] == nominal["value_treatment"] * 100 / 85.57825
    note = next(s for s in build(results, "munro").sections if s.id == "cost").note
    versus = results.table.query("design == 'cost_did'").iloc[0]
    assert "In real terms (2018-19 prices)" in note and "2009 prices" not in note
    # two years: the authority's own variability cannot be estimated, so no interval is stated
    assert pd.isna(versus["ci_level"]) and "interval)" not in note and "descriptive" in note


def test_a_survey_of_two_unit_model_authorities_is_not_said_to_have_one(tmp_path):
    """att10 L1: the spec names one unit-model authority, the survey pools two; the limitations
    said "There is one unit-model authority"."""
    import shutil

    shutil.copytree(SAMPLE, tmp_path / "d")
    workers = pd.read_csv(tmp_path / "d" / "worker_survey.csv", dtype=str)
    second = workers[workers["authority"] == "Unit-model LA"].head(15).copy()
    second["authority"], second["unit"] = "Unit-model LA 2", "V1"
    second["respondent_id"] = [f"W7{i:03d}" for i in range(15)]
    pd.concat([workers, second]).to_csv(tmp_path / "d" / "worker_survey.csv", index=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        results = compare(default_sample_spec(tmp_path / "d"), only=["worker"])
    text = render_html(build(results, "forrester", generated="2026-01-01"))
    assert "There is one unit-model authority" not in text
    assert "pools the respondents of 2 unit-model authorities" in text
