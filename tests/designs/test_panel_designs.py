"""Before/after, DiD, ITS and cost change on panels with known answers."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

from rsw_eval.designs.before_after import before_after
from rsw_eval.designs.cost_change import cost_change, decompose
from rsw_eval.designs.did import did, did_core, pre_post_change
from rsw_eval.designs.its import its, segmented_fit
from tests.conftest import DFE, needs_dfe

YEARS = list(range(2004, 2013))


def _panel(effect=-3.0, indicator="sickness_days_per_fte", k=6, multiplicative=False, seed=0, noise=0.0):
    """y = a_i + b_t (+ effect from 2008 for T) (+ noise): without noise every DiD estimator
    returns ``effect``."""
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
                value = level + trend[y] + (effect if treated else 0.0) + noise * rng.normal()
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


def test_before_after_rows_are_descriptive():
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
    assert row["effect_size"] == pytest.approx(-30.0, abs=1e-12)  # closed form 329/470 - 1
    assert row["primary"] is False and np.isnan(row["p_value"]) and np.isnan(row["ci_low"])
    assert row["note"].startswith("descriptive: no comparison group")


def test_before_after_percentages_in_points_and_comparators_median():
    rows = []
    for code, (b, a) in {"T": (20.0, 12.0), "A": (10.0, 11.0), "B": (2.0, 10.82), "C": (30.0, 29.0)}.items():
        for year, v in ((2006, b), (2009, a)):
            rows.append(
                {"la_code": code, "la_name": code, "year": year, "indicator": "agency_worker_pct", "value": v}
            )
    out = before_after(pd.DataFrame(rows), ["T"], ["A", "B", "C"], [(2006, 2009)])
    treated, comps = out
    assert treated["effect_size_name"] == "change_pp"
    assert treated["effect_size"] == pytest.approx(-8.0, abs=1e-12)  # 12 - 20 points
    # median of +1, +8.82, -1 points (a mean of percent changes would give +150%)
    assert comps["effect_size"] == pytest.approx(1.0, abs=1e-12)
    assert (
        comps["treatment"] == "comparators (median of 3) of T (T)" and "range -1 to 8.82pp" in comps["note"]
    )
    # a year the data lack: no rows here; the engine records which (rsw_eval.evaluation._skips)
    assert before_after(pd.DataFrame(rows), ["T"], [], [(2006, 2012)]) == []


def test_did_level_known_effect_and_exact_permutation_p():
    rows = did(_panel(effect=-30.0, noise=0.5), ["T"], [f"C{j}" for j in range(6)], 2008)
    r = rows[0]
    assert r["scale"] == "level"
    assert r["effect_size"] == pytest.approx(-30.0, abs=2.0)
    assert r["p_value"] == pytest.approx(1 / 7, abs=1e-12)  # no placebo is as extreme: 1/(k+1)
    # 6 comparators: the interval's exact level is 6/7 and it says so; 0 is outside iff p <= 1/7
    assert "85.7% interval" in r["note"] and r["ci_high"] < 0


def test_did_noise_free_series_is_invalid_not_p_zero():
    r = did(_panel(effect=-3.0), ["T"], [f"C{j}" for j in range(6)], 2008)[0]
    assert r["effect_size"] == pytest.approx(-3.0, abs=1e-9)
    assert np.isnan(r["p_value"]) and np.isnan(r["ci_low"]) and r["note"].startswith("invalid")
    constant = _panel(effect=0.0)
    constant["value"] = 5.0
    r = did(constant, ["T"], [f"C{j}" for j in range(6)], 2008)[0]
    assert np.isnan(r["p_value"]) and r["note"].startswith("invalid")


def test_did_donor_pool_reaches_one_over_pool_plus_one():
    panel = _panel(effect=-30.0, k=40, noise=0.5)
    comps = [f"C{j}" for j in range(10)]
    r = did(panel, ["T"], comps, 2008, donors=[f"C{j}" for j in range(40)])[0]
    assert r["p_value"] == pytest.approx(1 / 31, abs=1e-12)  # 30 pool authorities beyond the 10
    assert "placebos from 30 donor-pool authorities" in r["comparison"]
    assert r["n_comparison"] == 10


def test_did_skips_with_a_reason():
    panel = _panel()
    assert did(panel, ["T"], ["C0", "C1"], 2005) == []  # 1 year before: the engine records it
    alone = did(panel, ["T"], ["C0"], 2008)
    assert alone[0]["_skipped"] and "1 comparator" in alone[0]["reason"]


def test_did_log_scale_for_counts():
    panel = _panel(effect=np.log(0.7), indicator="children_looked_after", multiplicative=True)
    r = did(panel, ["T"], [f"C{j}" for j in range(6)], 2008)[0]
    assert r["scale"] == "log"
    assert r["effect_size"] == pytest.approx(-30.0, abs=1e-9)  # percent


def test_did_core_matches_a_naive_loop():
    # second method: every authority of the case (treated and comparators) in turn against the
    # mean of all the others, recomputed from scratch
    rng = np.random.default_rng(3)
    change = rng.normal(size=(4, 12))  # 4 indicators x 12 authorities
    treated = np.array([0, 5])
    comps = np.array([[1, 2, 3, 4, 6], [0, 1, 2, 3, 4]])
    r = did_core(change, treated, comps)
    for ind, case in itertools.product(range(4), range(2)):
        units = [treated[case], *comps[case]]
        stat = [change[ind, j] - change[ind, [m for m in units if m != j]].mean() for j in units]
        p = sum(abs(x) >= abs(stat[0]) - 1e-12 for x in stat) / len(units)
        assert r["estimate"][ind, case] == pytest.approx(stat[0], abs=1e-12)
        assert r["p_value"][ind, case] == pytest.approx(p, abs=1e-12)
        assert r["level"][ind, case] == pytest.approx(5 / 6, abs=1e-12)


def test_did_several_treated_uses_randomisation_inference():
    panel = _panel(effect=-3.0, k=8, noise=0.3)
    panel.loc[(panel["la_code"] == "C0") & (panel["year"] >= 2008), "value"] -= 3.0
    r = did(panel, ["T", "C0"], [f"C{j}" for j in range(1, 8)], 2008, seed=1)[0]
    assert r["effect_size"] == pytest.approx(-3.0, abs=0.6)
    assert "randomisation inference over 36 assignments" in r["method"]  # C(9, 2)
    assert r["p_value"] == pytest.approx(1 / 36, abs=1e-12)


def test_pre_post_change_ignores_missing_years():
    y = np.array([[1.0, np.nan, 3.0, 10.0, 12.0]])
    years = np.array([2005, 2006, 2007, 2008, 2009])
    assert pre_post_change(y, years, 2008)[0] == pytest.approx(11.0 - 2.0, abs=1e-12)


def test_its_known_level_and_slope_change():
    years = np.arange(2004, 2017)
    y = 20 + 0.5 * (years - 2008) - 4 * (years >= 2008) - 0.25 * (years - 2008) * (years >= 2008)
    fit = segmented_fit(years, y.astype(float), 2008)
    assert fit["level"] == pytest.approx(-4.0, abs=1e-9)
    assert fit["slope"] == pytest.approx(-0.25, abs=1e-9)


def _its_panel(indicator="sickness_days_per_fte", level=-4.0, k=10, noise=0.3, seed=0):
    rng = np.random.default_rng(seed)
    years = np.arange(2004, 2017)
    rows = []
    shocks = rng.normal(0, 1, years.size) + 0.2 * (years - 2004)
    for i, code in enumerate(["T", *[f"C{j}" for j in range(k)]]):
        y = 10 + i + shocks + noise * rng.normal(size=years.size)
        if code == "T":
            y = y + level * (years >= 2008)
        rows += [
            {"la_code": code, "la_name": code, "year": int(t), "indicator": indicator, "value": v}
            for t, v in zip(years, y, strict=True)
        ]
    return pd.DataFrame(rows)


def test_comparative_its_recovers_the_level_change_and_own_trend_is_descriptive():
    rows = its(_its_panel(), ["T"], 2008, [f"C{j}" for j in range(10)])
    comp = [r for r in rows if r["comparison"].startswith("treated minus")]
    own = [r for r in rows if r["comparison"].startswith("own trend")]
    level = next(r for r in comp if r["effect_size_name"] == "level_change")
    assert level["effect_size"] == pytest.approx(-4.0, abs=0.6) and level["primary"]
    assert level["p_value"] == pytest.approx(1 / 11, abs=1e-12)  # the most extreme of 11
    assert level["ci_high"] < 0 and "90.9% interval" in level["note"]
    assert all(np.isnan(r["p_value"]) and not r["primary"] for r in own)
    assert "4 pre-period years, fewer than the 8" in own[0]["note"]


def test_its_without_comparators_gives_a_skip_record_and_descriptive_rows():
    rows = its(_its_panel(k=1), ["T"], 2008, ["C0"])
    assert any(r.get("_skipped") and "comparative ITS" in r["reason"] for r in rows)
    assert all(np.isnan(r["p_value"]) for r in rows if not r.get("_skipped"))


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
    level = next(r for r in rows if r.get("effect_size_name") == "level_change_ratio")
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
    rows = pd.DataFrame([r for r in cost_change(costs, ["T"], []) if not r.get("_skipped")])
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


def _costs(changes):
    rows = []
    for code, pct in changes.items():
        for year, total in ((2009, 100.0), (2010, 100.0 + pct)):
            rows.append(
                {"la_code": code, "la_name": code, "year": year, "indicator": "total_cost", "value": total}
            )
    return pd.DataFrame(rows)


def test_cost_did_is_descriptive_with_rank_and_invalid_when_no_spread():
    # two years: the treated change's own variability is unknown, so no p or interval (issue 19.6)
    changes = {"T": -12.0, **{f"C{j}": float(j) - 5 for j in range(10)}}
    r = next(r for r in cost_change(_costs(changes), ["T"], list(changes)[1:]) if r["design"] == "cost_did")
    assert r["effect_size"] == pytest.approx(-12.0 - np.mean([j - 5.0 for j in range(10)]), rel=1e-9)
    assert np.isnan(r["p_value"]) and np.isnan(r["ci_low"]) and np.isnan(r["ci_high"])
    assert "ranks 1 of 11" in r["note"] and "descriptive" in r["note"]
    flat = {code: 3.0 for code in changes}
    r = next(r for r in cost_change(_costs(flat), ["T"], list(flat)[1:]) if r["design"] == "cost_did")
    assert np.isnan(r["p_value"]) and np.isnan(r["ci_low"]) and r["note"].startswith("invalid")


def test_unit_contrasts_match_statsmodels_ols_per_authority():
    # second method: statsmodels OLS of each authority's own years; the scale is the classical
    # standard error of the coefficient for the series minus the year means of all authorities
    import statsmodels.api as sm

    from rsw_eval.designs._panel import unit_contrasts
    from rsw_eval.designs.its import segmented_design

    rng = np.random.default_rng(7)
    years = np.arange(2004, 2017)
    y = rng.normal(size=(5, years.size)) + np.arange(5)[:, None]
    y[2, [1, 7]] = np.nan
    X = segmented_design(years, 2008)
    delta, scale = unit_contrasts(y, X, 2)
    common = np.nanmean(y, axis=0)
    for i in range(5):
        ok = np.isfinite(y[i])
        fit = sm.OLS(y[i, ok], X[ok]).fit()
        assert delta[i] == pytest.approx(fit.params[2], abs=1e-10)
        assert scale[i] == pytest.approx(sm.OLS(y[i, ok] - common[ok], X[ok]).fit().bse[2], abs=1e-10)


def test_did_states_the_achieved_level_in_ci_level():
    r = did(_panel(effect=-30.0, k=10, noise=0.5), ["T"], [f"C{j}" for j in range(10)], 2008)[0]
    assert r["ci_level"] == pytest.approx(10 / 11, abs=1e-12)  # closed form k/(k+1)


@needs_dfe
def test_did_on_real_cla_figures_with_the_whole_donor_pool():
    from rsw_eval.evaluation.engine import compare
    from rsw_eval.spec import load_spec

    spec = load_spec(
        {
            "unit_model": ["E09000012"],
            "intervention_year": 2023,
            "comparators": "statistical_neighbours",
            "donors": "not_using_model",
            "data": {
                "admin": [
                    {
                        "path": str(DFE / "cla_number_and_rate_per_10k_children.csv"),
                        "filters": {"population_type": "Children looked after on 31 March each year"},
                    }
                ],
                "neighbours": str(DFE / "New_Statistical_Neighbour_Groupings_April_2021.csv"),
            },
        },
        data_dir=DFE,
    )
    rows = compare(spec, only=["admin"]).table.query("design == 'did'")
    assert len(rows) >= 1
    for _, r in rows.iterrows():
        k = int(r["comparison"].split("placebos from ")[1].split(" ")[0])
        assert k > 100  # every English authority not using the model, beyond the 10 neighbours
        assert round(r["p_value"] * (k + 1)) == pytest.approx(r["p_value"] * (k + 1), abs=1e-9)
        assert r["ci_level"] >= 0.95
        assert (r["ci_low"] <= 0 <= r["ci_high"]) == (r["p_value"] > 1 - r["ci_level"])


def test_comparative_its_with_a_donor_pool():
    panel = _its_panel(level=-8.0, k=30)
    comps = [f"C{j}" for j in range(10)]
    rows = its(panel, ["T"], 2008, comps, donors=[f"C{j}" for j in range(30)])
    level = next(r for r in rows if r["primary"])
    assert "placebos from 20 donor-pool authorities" in level["comparison"]
    assert level["p_value"] == pytest.approx(1 / 21, abs=1e-12)  # the most extreme of 21
    assert level["ci_level"] == pytest.approx(20 / 21, abs=1e-12) and level["ci_high"] < 0


def test_a_pool_authority_off_the_log_scale_is_left_out_not_the_scale():
    panel = _panel(effect=np.log(0.7), indicator="children_looked_after", multiplicative=True, k=12)
    panel.loc[(panel["la_code"] == "C11") & (panel["year"] == 2010), "value"] = 0.0
    r = did(panel, ["T"], [f"C{j}" for j in range(6)], 2008, donors=[f"C{j}" for j in range(12)])[0]
    assert r["scale"] == "log"
    assert "placebos from 5 donor-pool authorities" in r["comparison"]  # C6..C10; C11 has a zero


def test_comparative_its_constant_outcome_is_invalid():
    panel = _its_panel()
    panel["value"] = 7.0
    rows = its(panel, ["T"], 2008, [f"C{j}" for j in range(10)])
    level = next(r for r in rows if r["primary"])
    assert np.isnan(level["p_value"]) and np.isnan(level["ci_low"]) and level["note"].startswith("invalid")


def test_own_trend_its_needs_the_authoritys_own_years_on_each_side():
    """An adopter with no year before adoption (Dorset's new code from 2019-20, adopting 2017) got a
    'level change' from an unidentified fit, its note counting the panel's pre years."""
    years = range(2010, 2025)
    rows = [
        (code, code, year, "cp_plans_repeat_pct", 10.0 + k + 0.1 * year % 3)
        for k, code in enumerate(["E06000059", "E09000001", "E09000002", "E09000003"])
        for year in years
        if not (code == "E06000059" and year < 2020)
    ]
    panel = pd.DataFrame(rows, columns=["la_code", "la_name", "year", "indicator", "value"])
    out = its(panel, ["E06000059"], 2017, ["E09000001", "E09000002", "E09000003"])
    assert not [r for r in out if str(r.get("comparison", "")).startswith("own trend")]
    assert any("0 year(s) before 2017" in str(r.get("reason", "")) for r in out)


def test_one_own_pre_year_says_no_pre_trend_check():
    """Finding B13: an adopter with one year of its own before adoption got a DiD with nothing
    saying parallel trends could not be examined."""
    panel = _panel()
    panel = panel[~((panel["la_code"] == "T") & (panel["year"] < 2007))]
    r = did(panel, ["T"], [f"C{j}" for j in range(6)], 2008)[0]
    assert r["period"].startswith("pre 2007 ")
    assert "one pre-adoption year" in r["note"]
