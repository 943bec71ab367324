"""Spread comparisons against closed forms and a second method."""

import numpy as np
import pytest
from scipy import special, stats

from rsw_eval.stats import levene, variance_ratio

X = np.array([4.1, 5.0, 5.2, 4.8, 5.1, 4.9, 5.6, 4.4])
Y = np.array([2.0, 7.5, 3.1, 6.8, 5.0, 1.2, 4.4])


def test_variance_ratio_closed_form():
    # F = s_x^2 / s_y^2; F CDF through the regularised incomplete beta (a different code path)
    r = variance_ratio(X, Y)
    f = X.var(ddof=1) / Y.var(ddof=1)
    d1, d2 = 7, 6
    cdf = special.betainc(d1 / 2, d2 / 2, d1 * f / (d1 * f + d2))
    assert r.estimate == pytest.approx(f, rel=1e-12)
    assert r.p_value == pytest.approx(2 * min(cdf, 1 - cdf), abs=1e-12)
    assert r.ci_low == pytest.approx(f / stats.f.ppf(0.975, d1, d2), rel=1e-12)
    assert r.ci_high == pytest.approx(f * stats.f.ppf(0.975, d2, d1), rel=1e-12)  # 1/F(a;d1,d2)


@pytest.mark.parametrize("center", ["median", "mean"])
def test_levene_equals_squared_student_t_on_deviations(center):
    # for two groups, Levene's ANOVA F is the square of Student's t on |x - centre|
    r = levene(X, Y, center=center)
    c = np.median if center == "median" else np.mean
    zx, zy = np.abs(X - c(X)), np.abs(Y - c(Y))
    t = stats.ttest_ind(zx, zy)
    assert r.statistic == pytest.approx(t.statistic**2, rel=1e-10)
    assert r.p_value == pytest.approx(t.pvalue, rel=1e-10)
    assert r.estimate == pytest.approx(zx.mean() - zy.mean(), abs=1e-12)
    assert r.estimate < 0  # x is the more consistent group


def test_levene_center_choices():
    with pytest.raises(
        ValueError, match="'center' parameter of levene must be one of 'median', 'mean'. Got 'trimmed'"
    ):
        levene(X, Y, center="trimmed")
