"""Published figures matched only when they are the same claim, and the official-statistics check."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from rsw_eval.evaluation.engine import compare
from rsw_eval.inputs._vintages import combine_vintages
from rsw_eval.published import PUBLISHED, PublishedFigure, match_published
from rsw_eval.published._official import official_check
from rsw_eval.spec import load_spec
from tests.conftest import DFE, needs_dfe

HACKNEY = "E09000012"


def _row(**values):
    base = {
        "design": "cost_change",
        "outcome": "total_cost",
        "effect_size": -4.97,
        "p_value": np.nan,
        "primary": True,
        "treatment": f"Hackney ({HACKNEY})",
        "period": "2009->2010",
        "test": "",
        "n_comparison": np.nan,
        "published_key": "",
        "published_value": "",
        "published_source": "",
        "reproduced": None,
    }
    return {**base, **values}


def _status(rows, key, **kwargs):
    _, pub = match_published(pd.DataFrame(rows), **kwargs)
    return pub.set_index("key").loc[key]


@pytest.mark.parametrize(
    ("row", "context", "status", "reproduced"),
    [
        ({}, None, "reproduced", True),
        ({"effect_size": -2.0}, None, "not reproduced", False),
        ({"treatment": "Southwark (E09000028)"}, None, "different authority", None),
        ({"period": "2008->2010"}, None, "different period", None),
        # another authority in other years: Hackney's claim, not one whose years merely differ
        ({"treatment": "Southwark (E09000028)", "period": "2014->2017"}, None, "different authority", None),
        ({}, {"cost_scope": "cyps"}, "different scope", None),
        ({}, {"cost_scope": "children's social care"}, "reproduced", True),
    ],
    ids=[
        "same-claim",
        "wrong-value",
        "southwark",
        "period",
        "southwark-other-years",
        "wider-scope",
        "same-scope",
    ],
)
def test_cost_figure_is_the_same_claim_only_for_hackney_its_period_and_scope(
    row, context, status, reproduced
):
    got = _status([_row(**row)], "cost_change", context=context)
    assert (got["status"], got["reproduced"]) == (status, reproduced)


def test_unknown_cost_scope_is_said():
    got = _status([_row()], "cost_change")
    assert "the cost data do not state their scope" in got["note"]


def _did(p, estimate=-5.0, k=10, adjusted=None, question="admin"):
    return _row(
        design="did",
        outcome="cp_plans_repeat_pct",
        effect_size=estimate,
        p_value=p,
        p_adjusted=p if adjusted is None else adjusted,
        question=question,
        period="pre <2008 vs post >=2008",
        test="placebo permutation",
        n_comparison=k,
    )


@pytest.mark.parametrize(
    ("row", "status", "reproduced"),
    [
        (_did(0.01, k=40), "reproduced", True),
        (_did(0.41), "not reproduced", False),  # a null DiD is not "lower"
        (_did(0.01, estimate=5.0, k=40), "not reproduced", False),  # significant, wrong way
        (_did(np.nan, question=""), "direction matches; no valid test", None),
        (_did(np.nan, estimate=5.0, question=""), "not reproduced", False),
        (_did(0.01, k=40, adjusted=0.2), "not reproduced", False),  # the row's own verdict: not significant
        (_did(0.01, k=40, adjusted=np.nan, question="places"), "direction matches; no valid test", None),
    ],
    ids=["significant-lower", "null", "wrong-sign", "no-test", "no-test-wrong-way", "adjusted", "places"],
)
def test_a_directional_claim_needs_a_valid_test(row, status, reproduced):
    got = _status([row], "repeat_cp_lower")
    assert (got["status"], got["reproduced"]) == (status, reproduced)


def test_a_comparison_of_places_is_no_test_of_a_survey_claim():
    row = _row(
        design="cross_section",
        outcome="ghq_score",
        comparison="all conventional",
        effect_size=-0.5,
        p_value=0.003,
        p_adjusted=np.nan,
        question="places",
        treatment="Unit-model LA",
    )
    got = _status([row], "stress_lower")
    assert (got["status"], got["reproduced"]) == ("direction matches; no valid test", None)
    assert "compare places" in got["note"]
    tested = _status([{**row, "question": "worker", "p_adjusted": 0.01}], "stress_lower")
    assert (tested["status"], tested["reproduced"]) == ("reproduced", True)


def test_the_placebo_floor_is_explained():
    got = _status([_did(0.0909)], "repeat_cp_lower")
    assert "with 10 comparators the smallest placebo p is 1/11 = 0.091" in got["note"]


def _laa1_and_march():
    """SFR 27/2010 LAA1 anchors for Hackney (DfE README: rounded to 5) and the unrounded 2010 count."""
    laa1 = pd.DataFrame(
        {
            "la_code": HACKNEY,
            "year": [2006, 2007, 2008, 2009, 2010],
            "indicator": "children_looked_after",
            "value": [460.0, 425.0, 360.0, 345.0, 305.0],
            "flag": "",
            "source": "sfr27-2010amv5.xls",
            "rounding": "nearest 5",  # as the LAA1 loader labels its values
        }
    )
    march = laa1.iloc[[4]].assign(value=304.0, source="SFR27_2010_March.csv", rounding="")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return combine_vintages([("sfr27-2010amv5.xls", laa1, False), ("SFR27_2010_March.csv", march, False)])


def test_official_check_against_the_laa1_anchor_values():
    panel, superseded, _ = _laa1_and_march()
    t = official_check(PUBLISHED, {"admin": (panel, superseded)}).set_index("key")
    fall = t.loc["cla_fall_30pct"]
    # 460 -> 345 is a 25.0% fall; within LAA1's rounding to 5 the fall is 342.5/462.5 - 1 = -25.9%
    # to 347.5/457.5 - 1 = -24.0%: the published 30% is outside it
    assert fall["official_value"] == pytest.approx(100 * (345 / 460 - 1), abs=1e-12)
    assert fall["status"] == "differs" and "outside the -25.9% to -24.0%" in fall["reason"]
    first = t.loc["cla_470_2006"]
    assert (first["official_value"], first["status"]) == (460.0, "differs")
    assert "a gap of +10" in first["reason"] and "outside the 457.5 to 462.5" in first["reason"]
    last = t.loc["cla_314_2010"]  # the unrounded 304 wins over LAA1's 305
    assert (last["official_value"], last["official_source"]) == (304.0, "SFR27_2010_March.csv")
    assert last["other_values"] == "305 in 2010 (sfr27-2010amv5.xls, rounded to 5)"
    sick = t.loc["sickness_1566_200809"]
    assert sick["status"] == "not in the data" and "the data have no sickness_days_per_fte" in sick["reason"]


def test_official_check_within_the_source_rounding():
    panel, superseded, _ = _laa1_and_march()
    fig = PublishedFigure(
        "x",
        "462 in 2006",
        "CC-Units",
        "Hackney",
        "2006",
        "value",
        462,
        "",
        0.5,
        la_code=HACKNEY,
        official=("children_looked_after", 2006),
    )
    got = official_check((fig,), {"admin": (panel, superseded)}).iloc[0]
    assert got["status"] == "within rounding" and "allows 457.5 to 462.5" in got["reason"]


def test_official_check_says_different_scope_for_a_wider_budget():
    costs = pd.DataFrame(
        {
            "la_code": HACKNEY,
            "year": [2009, 2010],
            "indicator": "total_cost",
            "value": [46941035.13, 47e6],
            "source": "s52_outturn_0809.csv",
        }
    )
    got = official_check(PUBLISHED, {"cost": (costs, None)}, {"cost_scope": "cyps"}).set_index("key")
    row = got.loc["cost_change"]
    assert row["status"] == "different scope"
    assert row["official"].startswith("+0.1% (46,941,035 in 2009")


@needs_dfe
def test_official_check_on_the_real_sfr27_file():
    # SFR27_2010_March.csv: Hackney looked after 304 on 31 March 2010 (DfE README anchor)
    spec = load_spec({"unit_model": [HACKNEY], "data": {"admin": ["SFR27_2010_March.csv"]}}, data_dir=DFE)
    r = compare(spec)
    t = r.official_check.set_index("key")
    assert (t.loc["cla_314_2010", "official_value"], t.loc["cla_314_2010", "status"]) == (304.0, "differs")
    assert t.loc["cla_470_2006", "status"] == "not in the data"
    assert "(it covers 2010)" in t.loc["cla_470_2006", "reason"]
    # no intervention year and no before/after pair: said, not silent (the donor-pool designs too)
    donor = {"synthetic_control", "synthetic_did", "staggered"}
    assert set(r.skipped["design"]) == {"did", "its", "before_after", *donor}


@needs_dfe
def test_the_walkthrough_official_check_on_the_real_files():
    from tests.conftest import ROOT

    spec = load_spec(ROOT / "docs" / "examples" / "hackney_neighbours.toml", data_dir=DFE)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        r = compare(spec)
    t = r.official_check.set_index("key")
    # LAA1 (rounded to 5): 460 in 2006, 345 in 2009 -> -25.0%; README anchors
    assert t.loc["cla_fall_30pct", "official"] == "-25.0% (460 in 2006 to 345 in 2009)"
    assert t.loc["cla_fall_30pct", "official_source"] == "sfr27-2010amv5.xls"
    assert "outside the -25.9% to -24.0%" in t.loc["cla_fall_30pct", "reason"]
    assert (t.loc["cla_470_2006", "official_value"], t.loc["cla_470_2006", "status"]) == (460, "differs")
    assert t.loc["cla_314_2010", "official_source"] == "SFR27_2010_March.csv"  # the unrounded 304
    assert t.loc["cla_314_2010", "official_value"] == 304
    # the outturn is read on the children's social care scope: the same scope, so a gap, not
    # "different scope"; the results' cost change is 2009->2017, so no results row makes the claim
    assert t.loc["cost_change", "status"] == "differs"
    pub = r.published.set_index("key")
    assert pub.loc["cost_change", "status"] == "different period"
    assert (pub.loc["cla_470_2006", "status"], pub.loc["cla_470_2006", "reproduced_value"]) == (
        "not reproduced",
        "460",
    )
    cov = r.coverage.set_index(["data", "indicator", "source"])
    assert cov.loc[("admin", "children_looked_after", "all sources"), "gaps"] == "2012-2013, 2015-2018"
