"""Parallel-trends sensitivity in the results (issue 19 item 4): the breakdown columns and bound rows
of DiD and staggered adoption, checked as properties of the engine's real output."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from rsw_eval import compare
from rsw_eval.designs._sensitivity import placebo_event_study
from rsw_eval.designs.did import did
from rsw_eval.designs.staggered import staggered
from rsw_eval.spec import default_sample_spec

COLUMNS = ["breakdown_mbar", "breakdown_m", "pretrend_p", "pretrend_slope80"]


@pytest.fixture(scope="module")
def admin():
    return compare(default_sample_spec("data/sample"), only=["admin"]).table


def _bounds(table, row, name):
    same = (table["outcome"] == row["outcome"]) & (table["design"] == row["design"] + "_sensitivity")
    return table[same & (table["effect_size_name"] == name)]


def test_every_did_row_has_a_breakdown_consistent_with_its_bounds(admin):
    rows = admin[(admin["design"] == "did") & admin["primary"]]
    assert len(rows) and rows["pretrend_p"].notna().all()
    for _, row in rows.iterrows():
        rm = _bounds(admin, row, "sensitivity_rm")
        assert len(rm) == 5 and (rm["ci_low"] <= rm["ci_high"]).all()
        mbar = rm["period"].str.removeprefix("Mbar = ").astype(float).to_numpy()
        excludes = ~((rm["ci_low"] <= 0) & (rm["ci_high"] >= 0)).to_numpy()
        bd = row["breakdown_mbar"]
        if np.isnan(bd):  # no conclusion to break: the row's own test does not reject at the
            # bounds' level, or the Mbar = 0 bound includes 0 as well
            assert row["p_value"] > 0.05 or not excludes[mbar == 0].any()
            continue
        # every bound tighter than the breakdown excludes 0, every looser one includes it
        assert excludes[mbar < 0.97 * bd].all() and not excludes[mbar > 1.03 * bd + 0.02].any()
        assert "survives post-period trend violations" in row["note"] or bd == 0


def test_bounds_widen_as_the_restriction_loosens(admin):
    for name in ("sensitivity_rm", "sensitivity_sd"):
        b = admin[admin["effect_size_name"] == name]
        for _, g in b.groupby("outcome"):
            width = (g["ci_high"] - g["ci_low"]).to_numpy()
            assert np.all(np.diff(width) >= -1e-9)
            assert not g["primary"].any() and g["p_value"].isna().all()


def test_placebo_event_study_is_treated_minus_comparators_relative_to_the_base_year():
    rng = np.random.default_rng(2)
    y = rng.normal(size=(8, 6))
    years = np.arange(2000, 2006)
    beta, sigma, n_pre, ev = placebo_event_study(y, years, 2003, 4)
    ref = 2
    expected = (y[0] - y[0, ref]) - (y[1:5] - y[1:5, [ref]]).mean(axis=0)
    np.testing.assert_allclose(beta, np.delete(expected, ref))
    assert n_pre == 2 and ev.tolist() == [2000, 2001, 2003, 2004, 2005]
    assert np.all(np.linalg.eigvalsh(sigma) > 0)  # full rank with fewer authorities than years


def _panel(effect, trend=0.0, seed=0, n=11, years=range(2003, 2014)):
    rng = np.random.default_rng(seed)
    codes = [f"E0{i:07d}" for i in range(n)]
    rows = [
        (c, c, y, "x", 10 + rng.normal(0, 0.3) + (i == 0) * (trend * (y - 2008) + effect * (y >= 2008)))
        for i, c in enumerate(codes)
        for y in years
    ]
    return codes, pd.DataFrame(rows, columns=["la_code", "la_name", "year", "indicator", "value"])


def test_did_sensitivity_columns_and_rows():
    codes, panel = _panel(-2.0, n=21)  # 20 comparators: the row's own test can reach 5%
    rows = did(panel, codes[:1], codes[1:], 2008)
    primary = rows[0]
    assert all(np.isfinite(primary[c]) for c in COLUMNS) and primary["breakdown_mbar"] > 0
    names = [r["effect_size_name"] for r in rows[1:]]
    assert names.count("sensitivity_rm") == 5 and names.count("sensitivity_sd") == 4
    assert "first 4 post-period year(s)" in primary["note"]


def test_staggered_att_row_carries_the_event_study_sensitivity():
    rng = np.random.default_rng(3)
    codes = [f"E0{i:07d}" for i in range(40)]
    adoption = {c: 2006 + 2 * (i % 3) for i, c in enumerate(codes[:30])}
    panel = pd.DataFrame(
        [
            (c, c, yr, "x", rng.normal(0, 0.5) + 1.0 * (yr >= adoption.get(c, 9999)))
            for c in codes
            for yr in range(2001, 2012)
        ],
        columns=["la_code", "la_name", "year", "indicator", "value"],
    )
    rows = staggered(panel, adoption, codes[30:])
    att = rows[0]
    assert att["effect_size_name"] == "att" and all(np.isfinite(att[c]) for c in COLUMNS)
    assert att["breakdown_mbar"] > 0 and "base period -1" in att["note"]
    assert {r["effect_size_name"] for r in rows[1:10]} == {"sensitivity_rm", "sensitivity_sd"}


def test_bounds_on_the_log_scale_are_not_labelled_percent_change(admin):
    """F7: did_sensitivity rows are in log points; their measure said percent_change."""
    bounds = admin[admin["design"] == "did_sensitivity"]
    log = bounds[bounds["scale"] == "log"]
    assert len(log) and (log["measure"] == "mean").all()
    assert (bounds["measure"] != "percent_change").all()


@pytest.mark.parametrize("effect", [0.0, -0.3])
def test_a_breakdown_is_stated_only_for_a_finding_the_rows_own_test_makes(admin, tmp_path, effect):
    """F7/F8: a row whose own test does not reject at the bounds' 95% level is never said to
    survive trend violations (the normal-approximation bounds can reach 95% where the exact test
    cannot: ten comparators never reach 5%)."""
    from validation._national import national_spec, write_panel

    write_panel(np.random.default_rng(5), tmp_path, n_authorities=40, noise=0.05, effect=effect)
    t = compare(national_spec(tmp_path, 40), only=["admin"]).table
    did_rows = t[(t["design"] == "did") & t["primary"] & t["pretrend_p"].notna()]
    assert len(did_rows)
    rejects = did_rows["p_value"] <= 0.05
    assert did_rows.loc[~rejects, "breakdown_mbar"].isna().all()
    assert not did_rows.loc[~rejects, "note"].str.contains("survives post-period").any()
    if effect:
        assert rejects.any() and did_rows.loc[rejects, "breakdown_mbar"].notna().any()
    rows = admin[(admin["design"] == "did") & admin["primary"]]  # the sample: ten comparators
    assert (rows["p_value"] > 0.05).all() and rows["breakdown_mbar"].isna().all()
    assert rows["note"].str.contains("the row's own test does not reject at the bounds' 95% level").all()
