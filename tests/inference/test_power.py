"""Power and minimum detectable effects: placebo resampling against a brute-force loop and a closed
form in the normal case; the Wald MDE of survey rows against the noncentral-t MDE with a design
effect (rsw_eval.stats.mdes)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from rsw_eval.designs._panel import panel_permutation
from rsw_eval.designs._power import power_columns
from rsw_eval.evaluation._survey_power import wald_mde, wald_power
from rsw_eval.inference import detection_thresholds, mde_from_thresholds, mde_range, power_from_thresholds
from rsw_eval.stats import mdes


@pytest.mark.parametrize(("n_comp", "n_pool"), [(10, 0), (10, 40), (6, 0)], ids=["fisher", "pool", "six"])
def test_thresholds_match_a_brute_force_injection(n_comp, n_pool):
    """Second method: add the effect to each pseudo-treated authority and rerun the real test."""
    rng = np.random.default_rng(7)
    n = 1 + n_comp + n_pool
    delta, scale = rng.normal(size=n), rng.uniform(0.5, 2.0, size=n)
    level = float(panel_permutation(delta, scale, n_treated=1, n_comparators=n_comp)["level"])
    got = detection_thresholds(delta, scale, n_treated=1, n_comparators=n_comp, alpha=1 - level)
    # the pseudo experiments, rebuilt by hand: pseudo-treated j, the real treated left out
    untreated = list(range(1, n))
    found = []
    for j in untreated[:n_comp] if not n_pool else untreated[n_comp:]:
        if n_pool:
            order = [j, *range(1, 1 + n_comp), *[i for i in untreated[n_comp:] if i != j]]
        else:
            order = [j, *[i for i in untreated if i != j]]
        d, s = delta[order], scale[order]
        k = len(order) - 1 - (n_comp if n_pool else 0)
        c = max(1, round((1 - level) * (len(order) - (n_comp if n_pool else 0))))
        conf = 1 - c / (k + 1)
        n_c = n_comp if n_pool else len(order) - 1
        s0 = np.sqrt(s[0] ** 2 + np.sum(s[1 : 1 + n_c] ** 2) / n_c**2)
        grid = np.linspace(0.0, 15.0, 3001)
        for sign in (-1, 1):
            shifted = np.tile(d, (grid.size, 1))
            shifted[:, 0] += sign * grid * s0
            r = panel_permutation(
                shifted, np.tile(s, (grid.size, 1)), n_treated=1, n_comparators=n_c, confidence=conf
            )
            detected = grid[(r["ci_high"] < 0) if sign < 0 else (r["ci_low"] > 0)]
            found.append(detected.min() if detected.size else np.inf)
    # a pseudo experiment already significant in that direction detects every effect (threshold < 0)
    assert np.sort(np.clip(got["thresholds"], 0, None)) == pytest.approx(np.sort(found), abs=0.006)


def test_mde_in_the_normal_case_is_the_closed_form():
    """One treated authority, a pool of 4,000 placebos with standard normal changes against fixed
    comparators, 5% test: the MDE is (z_0.975 + z_0.8) SE = 2.80 SE (Bloom 1995)."""
    rng = np.random.default_rng(11)
    n_comp, n_pool = 10, 4000
    delta = np.r_[0.0, np.zeros(n_comp), rng.normal(size=n_pool)]
    level = float(panel_permutation(delta, np.ones(delta.size), n_treated=1, n_comparators=n_comp)["level"])
    out = power_columns(
        delta,
        np.ones(delta.size),
        n_treated=1,
        n_comparators=n_comp,
        level=level,
        k=n_pool,
        to_effect=lambda d: d,
        effect=-2.8,
    )
    closed = stats.norm.ppf(1 - (1 - level) / 2) + stats.norm.ppf(0.8)
    assert out["mde_high"] == pytest.approx(closed, rel=0.03)
    assert out["power"] == pytest.approx(stats.norm.cdf(2.8 - stats.norm.ppf(1 - (1 - level) / 2)), abs=0.02)


def test_mde_uses_the_plotting_position():
    t = np.arange(1.0, 101.0)
    assert mde_from_thresholds(t, 0.8) == 81.0  # ceil(0.8 x 101) = 81: expected coverage 0.802
    assert power_from_thresholds(t, 80.5) == 0.8
    assert math.isnan(mde_from_thresholds(t[:3], 0.8))
    assert mde_from_thresholds([1.0, np.inf, np.inf, np.inf, np.inf], 0.8) == np.inf


def test_ten_comparators_say_they_cannot_reach_five_percent():
    rng = np.random.default_rng(2)
    delta = rng.normal(size=11)
    out = power_columns(
        delta, np.ones(11), n_treated=1, n_comparators=10, level=10 / 11, k=10, to_effect=lambda d: d
    )
    assert out["mde_alpha"] == pytest.approx(1 / 11)
    assert (
        "at the 5% level this design can detect nothing: its smallest possible p is 1/11 = 0.091"
        in out["mde_note"]
    )
    assert out["mde_low"] == -out["mde_high"] < 0


@pytest.mark.parametrize(("n1", "n2", "deff"), [(120, 80, 1.0), (300, 150, 1.8), (40, 40, 2.5)])
def test_wald_mde_equals_the_noncentral_t_mde_with_a_design_effect(n1, n2, deff):
    """A cluster-robust SE of a standardised difference is sqrt(deff (1/n1 + 1/n2)); with the
    effective df this is stats.mdes (R pwr.t2n.test on the effective sizes)."""
    se = math.sqrt(deff * (1 / n1 + 1 / n2))
    df = (n1 + n2) / deff - 2
    assert wald_mde(se, df, 0.05) == pytest.approx(mdes(n1, n2, design_effect=deff), rel=1e-6)
    assert wald_power(wald_mde(se, df, 0.05), se, df, 0.05) == pytest.approx(0.8, abs=1e-8)


@pytest.mark.parametrize("df", [math.inf, 11.0])
def test_the_mde_range_holds_the_mde_and_widens_with_fewer_placebos_or_an_estimated_se(df):
    """F5: the stated MDE is one order statistic of a few placebos; its range says how uncertain."""
    rng = np.random.default_rng(3)
    few = power_columns(
        rng.normal(size=11),
        np.ones(11),
        n_treated=1,
        n_comparators=10,
        level=10 / 11,
        k=10,
        to_effect=lambda d: d,
        df=df,
    )
    assert few["mde_low_min"] <= few["mde_low"] <= few["mde_low_max"] < 0
    assert 0 < few["mde_high_min"] <= few["mde_high"] <= few["mde_high_max"]
    assert few["mde_units"] == 10 and "estimate from 10 placebo authorities" in few["mde_note"]
    assert few["mde_note"].split("; ")[-1].startswith("at the 5% level")  # the floor stays last
    many = power_columns(
        rng.normal(size=151),
        np.ones(151),
        n_treated=1,
        n_comparators=10,
        level=0.9536,
        k=140,
        to_effect=lambda d: d,
        df=df,
    )
    assert many["mde_units"] == 140
    width = lambda o: o["mde_high_max"] / o["mde_high_min"]  # noqa: E731
    assert width(many) < width(few)
    # one placebo unit: no range to state
    assert all(math.isnan(x) for x in mde_range([1.0, 2.0, 3.0], [4, 4, 4]))


def test_the_mde_range_draws_the_treated_standard_error_when_it_is_estimated():
    t = np.abs(np.random.default_rng(0).normal(2.5, 1.0, size=400))
    units = np.repeat(np.arange(200), 2)
    known, estimated = mde_range(t, units), mde_range(t, units, df=8)
    assert estimated[0] < known[0] and estimated[1] > known[1]
