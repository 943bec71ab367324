"""Degenerate input returns "invalid, with reason", never a silent wrong number (issue 9, item 7)."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from scipy import stats as scipy_stats

from rsw_eval import stats
from rsw_eval.designs.contact_rate import contact_rate
from rsw_eval.stats._ranks import auc_score_interval


@pytest.mark.parametrize(
    "call",
    [
        pytest.param(lambda: stats.levene([1.0, 2.0], [3.0, 5.0]), id="levene-n2"),
        pytest.param(lambda: stats.levene([1.0, 1.0, 1.0], [2.0, 2.0, 2.0]), id="levene-constant"),
        pytest.param(lambda: stats.variance_ratio([1.0, 1.0, 1.0], [2.0, 3.0, 2.0]), id="var-ratio-zero"),
        pytest.param(lambda: stats.percent_change([1.0, 1.0, 1.0], [1.0, 1.0, 1.0]), id="pct-constant"),
        pytest.param(lambda: stats.ratio_of_means([2.0, 2.0], [1.0, 1.0]), id="ratio-constant"),
    ],
)
def test_zero_standard_error_is_invalid_not_p0(call):
    r = call()
    assert not r.valid and r.reason
    assert np.isnan(r.p_value) and np.isnan(r.ci_low) and np.isnan(r.ci_high)


@pytest.mark.parametrize("func", [stats.welch_t, stats.hedges_g, stats.mann_whitney])
def test_values_near_overflow_are_an_error(func):
    with pytest.raises(ValueError, match="beyond"):
        func([1e200, 2e200, 3e200], [1.0, 2.0, 3.0])


def test_rank_biserial_at_complete_separation_has_a_proper_interval():
    r = stats.mann_whitney([1, 2, 3, 4], [5, 6, 7, 8])
    assert r.estimate == -1.0 and r.ci_low == -1.0
    assert -1.0 < r.ci_high < 0  # not the zero-width (-1, -1) of the Fisher z interval
    assert "Newcombe" in r.method


@pytest.mark.parametrize("theta,n1,n2", [(1.0, 4, 4), (0.0, 6, 9), (0.7, 10, 12), (0.95, 30, 5)])
def test_auc_score_interval_solves_its_equation(theta, n1, n2):
    # closed form: each finite limit t satisfies (theta - t)^2 = z^2 V(t) (Newcombe 2006, method 5)
    z2 = 1.959963984540054**2
    n_star = (n1 + n2) / 2

    def v(t):
        return t * (1 - t) * (1 + (n_star - 1) * (1 - t) / (2 - t) + (n_star - 1) * t / (1 + t)) / (n1 * n2)

    lo, hi = auc_score_interval(theta, n1, n2)
    assert lo <= theta <= hi
    for limit in (lo, hi):
        if 0 < limit < 1:
            assert (theta - limit) ** 2 == pytest.approx(z2 * v(limit), rel=1e-8)


def test_no_events_in_one_group_uses_the_exact_test():
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no raw statsmodels warning reaches the user
        for family in ("poisson", "negbin"):
            r = stats.rate_ratio_glm([0, 0, 0, 1, 2, 3], [1] * 6, [1, 1, 1, 0, 0, 0], family=family)
            exact = stats.rate_ratio(0, 3.0, 6, 3.0)
            assert r.valid and "no events" in r.method
            assert (r.estimate, r.ci_low, r.ci_high, r.p_value) == (
                exact.estimate,
                exact.ci_low,
                exact.ci_high,
                exact.p_value,
            )


def test_quasipoisson_scales_the_poisson_se_by_the_pearson_dispersion():
    rng = np.random.default_rng(3)
    y = rng.negative_binomial(2, 0.3, 80)
    t = rng.uniform(1, 3, 80)
    g = np.repeat([1, 0], 40)
    p = stats.rate_ratio_glm(y, t, g, family="poisson")
    q = stats.rate_ratio_glm(y, t, g, family="quasipoisson")
    assert q.estimate == pytest.approx(p.estimate, rel=1e-12)
    se_p = np.log(p.ci_high / p.estimate) / 1.959963984540054
    se_q = np.log(q.ci_high / q.estimate) / scipy_stats.t.ppf(0.975, 78)  # t on n - 2 residual df
    assert se_q == pytest.approx(se_p * np.sqrt(p.details["dispersion"]), rel=1e-8)
    assert q.df == 78 and q.test == "Wald t"


def test_contact_rate_is_negative_binomial_without_a_dispersion_pretest():
    rng = np.random.default_rng(7)
    y = rng.poisson(5, 60)  # Poisson data: NB is still the model, alpha near 0
    r = contact_rate(y, np.ones(60), np.repeat([1, 0], 30))
    assert r.valid and "negative binomial" in r.method


# issue 19 item 6: zero judged relative to the data's scale, so rounding noise is not information
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from rsw_eval.designs.cross_section import compare_workers  # noqa: E402
from rsw_eval.designs.did import did  # noqa: E402
from rsw_eval.designs.its import its  # noqa: E402

_scale = st.floats(1e-3, 1e6)
_noise = st.sampled_from([0.0, 1e-16, 1e-14])


def _constant_arms(scale, noise, seed=0):
    rng = np.random.default_rng(seed)
    y = np.r_[np.full(6, 1.0), np.full(6, 0.0)] * scale + 2 * scale
    return y * (1 + noise * rng.standard_normal(12))


@settings(max_examples=30, deadline=None)
@given(scale=_scale, noise=_noise)
def test_constant_arms_are_invalid_at_any_scale_and_with_rounding_noise(scale, noise):
    y = _constant_arms(scale, noise)
    d = pd.DataFrame({"y": y, "g": [1] * 6 + [0] * 6, "c": list("aaabbbcccddd")})
    r = stats.cr2_diff(d, "y", "g", "c")  # was p = 3.6e-63 with constant arms
    assert not r.valid and np.isnan(r.p_value) and "zero" in r.reason
    for func in (stats.welch_t, stats.student_t, stats.hedges_g, stats.cohens_d):
        with pytest.raises(ValueError, match="zero variance"):
            func(y[:6], y[6:])
    for func in (stats.percent_change, stats.ratio_of_means):
        r = func(y[:6], y[6:])
        assert not r.valid and np.isnan(r.ci_low)


def test_real_variation_far_below_the_level_still_counts():
    # 1e-6 relative spread is measurement, not rounding: the tests run
    x = 1000 + np.array([0.001, -0.002, 0.0015, 0.0, -0.0005])
    assert stats.welch_t(x, x + 0.01).valid


def test_all_yes_against_all_no_is_invalid_not_a_certain_risk_difference():
    # issue 19: every unit worker "yes", every conventional "no" gave RD interval (1, 1), p = 4.6e-69
    rows = [
        dict(respondent_id=f"{a}{u}{i}", authority=a, unit=f"u{u}", model=m, ghq_case=m == "unit")
        for a, m in (("A", "unit"), ("B", "conventional"), ("C", "conventional"))
        for u in range(4)
        for i in range(8)
    ]
    for r in compare_workers(pd.DataFrame(rows)):
        if r["outcome"] == "ghq_case" and r["primary"]:
            assert np.isnan(r["p_value"]) and np.isnan(r["ci_low"]) and np.isnan(r["ci_high"])
            assert "no p-value or interval" in r["note"]


@settings(max_examples=15, deadline=None)
@given(scale=_scale, noise=_noise)
def test_identical_series_are_invalid_not_5e15_wide_intervals(scale, noise):
    codes = [f"E0{i:07d}" for i in range(11)]
    rng = np.random.default_rng(1)
    panel = pd.DataFrame(
        [
            (c, c, y, "x", scale * (5.0 + 0.1 * (y - 2000)) * (1 + noise * rng.standard_normal()))
            for c in codes
            for y in range(2000, 2012)
        ],
        columns=["la_code", "la_name", "year", "indicator", "value"],
    )
    r = did(panel, codes[:1], codes[1:], 2006)[0]
    assert np.isnan(r["p_value"]) and np.isnan(r["ci_low"]) and r["note"].startswith("invalid")
    for row in its(panel, codes[:1], 2006, codes[1:]):
        if row.get("primary"):
            assert np.isnan(row["p_value"]) and np.isnan(row["ci_low"])
