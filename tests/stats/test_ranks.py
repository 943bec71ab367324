"""Rank tests against R wilcox.test, Brunner & Munzel (2000) and hand computation."""

import numpy as np
import pytest
from scipy import stats

from rsw_eval.stats import brunner_munzel, mann_whitney
from tests.stats._data import BM_X, BM_Y, HW_X, HW_Y


def test_mann_whitney_matches_r_wilcox_test():
    # R ?wilcox.test: wilcox.test(x, y, alternative = "g") -> W = 35, p-value = 0.1272
    greater = mann_whitney(HW_X, HW_Y, alternative="greater")
    assert greater.statistic == 35
    assert greater.p_value == pytest.approx(0.1272, abs=5e-5)
    two = mann_whitney(HW_X, HW_Y)
    assert two.p_value == pytest.approx(2 * 0.1272061, abs=5e-6)  # exact: 2 x one-sided
    assert two.details["exact"] is True
    assert "exact null distribution" in two.method


def test_rank_biserial_and_cles_closed_form():
    # r = 2U/(n1 n2) - 1 = 70/50 - 1 = 0.4; CLES = U/(n1 n2) = 0.7
    r = mann_whitney(HW_X, HW_Y)
    assert r.estimate == pytest.approx(0.4, abs=1e-12)
    assert r["cles"].estimate == pytest.approx(0.7, abs=1e-12)
    se = np.sqrt((10 + 5 + 1) / (3 * 10 * 5))
    z = stats.norm.ppf(0.975)
    assert r.ci_low == pytest.approx(np.tanh(np.arctanh(0.4) - z * se), abs=1e-12)
    assert r["cles"].ci_high == pytest.approx((np.tanh(np.arctanh(0.4) + z * se) + 1) / 2, abs=1e-12)


def test_normal_approximation_with_ties_by_hand():
    x = [1, 2, 2, 3, 4, 4, 5]
    y = [2, 3, 3, 4, 6, 6]
    r = mann_whitney(x, y)
    # second method: U from the rank sum, tie-corrected variance, continuity correction
    ranks = stats.rankdata(np.r_[x, y])
    n1, n2, n = 7, 6, 13
    u = ranks[:n1].sum() - n1 * (n1 + 1) / 2
    _, t = np.unique(np.r_[x, y], return_counts=True)
    var = n1 * n2 / 12 * ((n + 1) - np.sum(t**3 - t) / (n * (n - 1)))
    z = (abs(u - n1 * n2 / 2) - 0.5) / np.sqrt(var)
    assert r.statistic == u
    assert r.p_value == pytest.approx(2 * stats.norm.sf(z), abs=1e-12)
    assert "tie and continuity correction" in r.method


def test_exact_with_ties_is_refused():
    with pytest.raises(ValueError, match="exact=True needs data without ties"):
        mann_whitney([1, 2, 2], [3, 4], exact=True)


def test_brunner_munzel_matches_paper():
    # Brunner & Munzel (2000), pain data; SciPy docs: statistic 3.1374674823029505,
    # p 0.0057862086661515377 (SciPy's sign measures y over x; ours is x minus y)
    r = brunner_munzel(BM_X, BM_Y)
    assert r.statistic == pytest.approx(-3.1374674823029505, abs=1e-9)
    assert r.p_value == pytest.approx(0.0057862086661515377, abs=1e-9)
    assert r.df == pytest.approx(17.68, abs=5e-3)


def test_relative_effect_by_counting_pairs():
    # second method: P(X > Y) + P(X = Y)/2 by counting all 14 x 11 pairs
    diff = BM_X[:, None] - BM_Y[None, :]
    expected = (np.sum(diff > 0) + 0.5 * np.sum(diff == 0)) / diff.size
    assert brunner_munzel(BM_X, BM_Y).estimate == pytest.approx(expected, abs=1e-12)
    # R lawstat/brunnermunzel report P(X<Y)+.5P(X=Y) = 0.788961 for these data
    assert 1 - expected == pytest.approx(0.788961, abs=5e-7)


def test_brunner_munzel_separated_groups_is_invalid_not_an_error():
    r = brunner_munzel([1, 2, 3], [7, 8, 9])
    assert not r.valid
    assert "variance is zero" in r.reason
    assert r.estimate == 0.0
