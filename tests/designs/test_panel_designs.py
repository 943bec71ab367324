"""Before/after, DiD, ITS and cost change on panels with known answers."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

from rsw_eval.designs._panel import newey_west_lags
from rsw_eval.designs.before_after import before_after
from rsw_eval.designs.cost_change import cost_change, decompose
from rsw_eval.designs.did import did, did_core, pre_post_change
from rsw_eval.designs.its import its, segmented_fit

YEARS = list(range(2004, 2013))


def _panel(effect=-3.0, indicator="sickness_days_per_fte", k=6, multiplicative=False, seed=0):
    """y = a_i + b_t (+ effect from 2008 for T), no noise: every DiD estimator returns ``effect``."""
    rng = np.random.default_rng(seed)
    rows = []
    trend = {y: 0.3 * (y - 2004) + rng.normal(0, 0.2) for y in YEARS}
    for i, code in enumerate(["T", *[f"C{j}" for j in range(k)]]):
        level = 10 + 2 * i
        for y in YEARS:
            treated = code == "T" and y >= 2008
            if multiplicative:
                value = np.exp(np.log(100 + 10 * i) + 0.02 * (y - 2004) + (effect if treated else 0))
            else:
                value = level + trend[y] + (effect if treated else 0.0)
            rows.append(
                {
                    "la_code": code,
                    "la_name": code,
                    "year": y,
                    "indicator": indicator,
                    "value": value,
                    "flag": "",
                }
            )
    return pd.DataFrame(rows)


def test_before_after_counts_closed_form():
    p = pd.DataFrame(
        {
            "la_code": "T",
            "la_name": "T",
            "year": [2006, 2009],
            "indicator": "children_looked_after",
            "value": [470.0, 329.0],
        }
    )
    row = before_after(p, ["T"], [], [(2006, 2009)])[0]
    assert row["effect_size"] == pytest.approx(-30.0, abs=1e-12)
    se = np.sqrt(1 / 470 + 1 / 329)
    assert row["ci_high"] == pytest.approx(100 * (0.7 * np.exp(1.959963984540054 * se) - 1), abs=1e-9)


def test_did_level_known_effect_and_exact_placebo_p():
    rows = did(_panel(effect=-3.0), ["T"], [f"C{j}" for j in range(6)], 2008)
    r = rows[0]
    assert r["scale"] == "level"
    assert r["effect_size"] == pytest.approx(-3.0, abs=1e-9)
    assert r["p_value"] == pytest.approx(1 / 7, abs=1e-12)  # no placebo is as extreme: 1/(k+1)


def test_did_log_scale_for_counts():
    panel = _panel(effect=np.log(0.7), indicator="children_looked_after", multiplicative=True)
    r = did(panel, ["T"], [f"C{j}" for j in range(6)], 2008)[0]
    assert r["scale"] == "log"
    assert r["effect_size"] == pytest.approx(-30.0, abs=1e-9)  # percent


def test_did_core_matches_a_naive_loop():
    # second method: every placebo recomputed from scratch
    rng = np.random.default_rng(3)
    change = rng.normal(size=(4, 12))  # 4 indicators x 12 authorities
    treated = np.array([0, 5])
    comps = np.array([[1, 2, 3, 4, 6], [0, 1, 2, 3, 4]])
    r = did_core(change, treated, comps)
    for ind, case in itertools.product(range(4), range(2)):
        t, c = treated[case], comps[case]
        est = change[ind, t] - change[ind, c].mean()
        placebo = [change[ind, j] - change[ind, [m for m in c if m != j]].mean() for j in c]
        p = (1 + sum(abs(x) >= abs(est) for x in placebo)) / (len(c) + 1)
        assert r["estimate"][ind, case] == pytest.approx(est, abs=1e-12)
        assert r["p_value"][ind, case] == pytest.approx(p, abs=1e-12)


def test_did_several_treated_uses_the_wild_bootstrap():
    panel = _panel(effect=-3.0, k=8)
    panel.loc[(panel["la_code"] == "C0") & (panel["year"] >= 2008), "value"] -= 3.0
    r = did(panel, ["T", "C0"], [f"C{j}" for j in range(1, 8)], 2008, seed=1)[0]
    assert r["effect_size"] == pytest.approx(-3.0, abs=1e-9)
    assert "wild cluster bootstrap" in r["method"]


def test_pre_post_change_ignores_missing_years():
    y = np.array([[1.0, np.nan, 3.0, 10.0, 12.0]])
    years = np.array([2005, 2006, 2007, 2008, 2009])
    assert pre_post_change(y, years, 2008)[0] == pytest.approx(11.0 - 2.0, abs=1e-12)


def test_its_known_level_and_slope_change():
    years = np.arange(2004, 2017)
    y = 20 + 0.5 * (years - 2008) - 4 * (years >= 2008) - 0.25 * (years - 2008) * (years >= 2008)
    fit = segmented_fit(years, y.astype(float), 2008)
    assert fit["level"]["estimate"] == pytest.approx(-4.0, abs=1e-9)
    assert fit["slope"]["estimate"] == pytest.approx(-0.25, abs=1e-9)
    assert fit["lags"] == newey_west_lags(13) == 2


@pytest.mark.filterwarnings("ignore:Perfect separation")  # noise-free data fit exactly
def test_its_poisson_with_offset_recovers_the_rate_ratio():
    years = np.arange(2004, 2017)
    pop = np.linspace(50000, 56000, years.size)
    rate = np.exp(-4.5 + 0.01 * (years - 2008) + np.log(0.8) * (years >= 2008))
    panel = pd.DataFrame(
        {
            "la_code": "T",
            "la_name": "T",
            "year": np.r_[years, years],
            "indicator": ["children_looked_after"] * 13 + ["population_0_17"] * 13,
            "value": np.r_[rate * pop, pop],
            "flag": "",
        }
    )
    rows = its(panel, ["T"], 2008)
    level = next(r for r in rows if r["effect_size_name"] == "level_change_ratio")
    assert level["effect_size"] == pytest.approx(0.8, rel=1e-6)


def test_cost_decomposition_adds_up_exactly():
    costs = pd.DataFrame(
        {
            "la_code": "T",
            "la_name": "T",
            "year": [2009] * 3 + [2010] * 3,
            "indicator": ["cost_line:a", "cost_line:b", "total_cost"] * 2,
            "value": [60.0, 40.0, 100.0, 62.0, 33.0, 95.0],
            "flag": "",
        }
    )
    rows = pd.DataFrame(cost_change(costs, ["T"], []))
    total = rows[rows["outcome"] == "total_cost"]["effect_size"].iloc[0]
    parts = rows[rows["effect_size_name"] == "contribution_pp"]["effect_size"]
    assert total == pytest.approx(-5.0, abs=1e-12)
    assert parts.sum() == pytest.approx(total, abs=1e-12)
    d = decompose(pd.Series({"a": 1.0}), pd.Series({"b": 2.0}))  # lines that appear or vanish
    assert d["change_gbp"].to_dict() == {"a": -1.0, "b": 2.0}


def test_before_after_across_survey_waves():
    from rsw_eval.designs.before_after import before_after_waves

    survey = pd.DataFrame(
        {
            "model": ["unit"] * 8 + ["conventional"] * 2,
            "authority": "U",
            "wave": [2009] * 4 + [2010] * 4 + [2009, 2010],
            "ghq_score": [10.0, 12, 14, 12, 6, 9, 9, 12, 30, 30],
            "experienced_violence": [True, True, False, False, True, False, False, False, True, True],
        }
    )
    survey["experienced_violence"] = survey["experienced_violence"].astype("boolean")
    rows = {
        r["outcome"]: r for r in before_after_waves(survey, "worker", ["ghq_score", "experienced_violence"])
    }
    assert rows["ghq_score"]["effect_size"] == pytest.approx(100 * (9 / 12 - 1), abs=1e-12)
    assert rows["ghq_score"]["period"] == "2009->2010"
    assert rows["experienced_violence"]["effect_size"] == pytest.approx(0.25 - 0.5, abs=1e-12)
    assert before_after_waves(survey.drop(columns="wave"), "worker", ["ghq_score"]) == []
