"""Rate ratios against R poisson.test and closed-form GLM solutions."""

import numpy as np
import pytest
from scipy import stats

from rsw_eval.stats import rate_ratio, rate_ratio_glm


def test_rate_ratio_matches_r_poisson_test():
    # R ?poisson.test: poisson.test(c(11, 6 + 8 + 7), c(800, 1083 + 1050 + 878))
    # rate ratio 1.971488, 95% CI 0.8584264 4.2772659, p-value = 0.07967, expected count1 6.7174
    r = rate_ratio(11, 800, 21, 3011)
    assert r.estimate == pytest.approx(1.971488, abs=5e-7)
    assert r.ci_low == pytest.approx(0.8584264, abs=5e-8)
    assert r.ci_high == pytest.approx(4.2772659, abs=5e-8)
    assert r.p_value == pytest.approx(0.07967, abs=5e-6)
    assert r.details["expected_count1"] == pytest.approx(6.7174, abs=5e-5)


def test_no_events_is_invalid_not_an_error():
    r = rate_ratio(0, 10, 0, 12)
    assert not r.valid and r.reason == "no events in either group"


def test_negative_exposure():
    with pytest.raises(
        ValueError, match="'exposure1' parameter of rate_ratio must be a positive number. Got -3"
    ):
        rate_ratio(2, -3, 4, 5)


def test_poisson_glm_closed_form():
    # one binary covariate: MLE = ratio of crude rates, SE(log RR) = sqrt(1/Y1 + 1/Y0)
    y = np.array([3, 5, 4, 2, 1, 2, 0, 1])
    t = np.array([2.0, 3.0, 2.5, 1.0, 2.0, 2.0, 1.5, 1.0])
    g = np.array([1, 1, 1, 1, 0, 0, 0, 0])
    r = rate_ratio_glm(y, t, g)
    y1, y0, t1, t0 = y[g == 1].sum(), y[g == 0].sum(), t[g == 1].sum(), t[g == 0].sum()
    rr, se = (y1 / t1) / (y0 / t0), np.sqrt(1 / y1 + 1 / y0)
    z = stats.norm.ppf(0.975)
    assert r.estimate == pytest.approx(rr, rel=1e-8)
    assert r.ci == pytest.approx((rr * np.exp(-z * se), rr * np.exp(z * se)), rel=1e-7)
    assert r.p_value == pytest.approx(2 * stats.norm.sf(np.log(rr) / se), rel=1e-6)


def test_negative_binomial_equal_exposure_closed_form():
    # NB2 with a common dispersion and one binary covariate: the ML group means are the sample means
    # when every exposure is equal, so the rate ratio is the ratio of sample means.
    rng = np.random.default_rng(5)
    y = np.r_[rng.negative_binomial(3, 0.3, 60), rng.negative_binomial(3, 0.6, 60)]
    g = np.r_[np.ones(60), np.zeros(60)]
    r = rate_ratio_glm(y, np.full(120, 4.0), g, family="negbin")
    assert r.estimate == pytest.approx(y[:60].mean() / y[60:].mean(), rel=1e-5)
    assert r.details["alpha"] > 0 and r.details["converged"]
    assert r.details["dispersion"] > 1  # overdispersed relative to Poisson


def test_text_groups_take_unit_as_treatment():
    r = rate_ratio_glm([4, 6, 1, 1], [1, 1, 1, 1], ["unit", "unit", "conventional", "conventional"])
    assert r.estimate == pytest.approx(5.0, rel=1e-8)


def test_glm_errors():
    with pytest.raises(ValueError, match="'exposure' parameter of rate_ratio_glm must be positive"):
        rate_ratio_glm([1, 2], [0, 1], [1, 0])
    with pytest.raises(ValueError, match="'group' parameter of rate_ratio_glm must have exactly two"):
        rate_ratio_glm([1, 2, 3], [1, 1, 1], ["a", "b", "c"])
    with pytest.raises(ValueError, match="'family' parameter of rate_ratio_glm must be one of"):
        rate_ratio_glm([1, 2], [1, 1], [1, 0], family="zip")
