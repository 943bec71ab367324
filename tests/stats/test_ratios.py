"""Ratios and percent changes against closed forms (and the Munro figures as inputs)."""

import numpy as np
import pytest
from scipy import stats

from rsw_eval.stats import percent_change, ratio_of_means

Z = stats.norm.ppf(0.975)


def test_percent_change_of_counts_closed_form():
    # looked-after children 470 (2006) -> 314 (2010), Community Care; Poisson SE of log ratio
    r = percent_change(470, 314, counts=True)
    se = np.sqrt(1 / 470 + 1 / 314)
    assert r.estimate == pytest.approx(100 * (314 / 470 - 1), abs=1e-10)
    assert r.ci_low == pytest.approx(100 * (314 / 470 * np.exp(-Z * se) - 1), abs=1e-10)
    assert r.ci_high == pytest.approx(100 * (314 / 470 * np.exp(Z * se) - 1), abs=1e-10)


def test_percent_change_without_se_has_no_ci_and_says_why():
    r = percent_change(100.0, 95.03)  # cost fell 4.97% (Cross, Hubbard & Munro 2010)
    assert r.estimate == pytest.approx(-4.97, abs=1e-10)
    assert np.isnan(r.ci_low) and "no CI" in r.reason


def test_percent_change_from_standard_errors():
    r = percent_change(200.0, 180.0, se_before=10.0, se_after=12.0)
    se = np.hypot(10 / 200, 12 / 180)
    assert r.ci_high == pytest.approx(100 * (0.9 * np.exp(Z * se) - 1), abs=1e-10)


def test_ratio_of_means_closed_form():
    x, y = np.array([12.0, 15.0, 11.0, 14.0]), np.array([6.0, 5.0, 7.0, 6.0])
    vx, vy = x.var(ddof=1) / (4 * x.mean() ** 2), y.var(ddof=1) / (4 * y.mean() ** 2)
    r = ratio_of_means(x, y)
    assert r.estimate == pytest.approx(13 / 6, rel=1e-12)
    assert r.ci_low == pytest.approx(13 / 6 * np.exp(-Z * np.sqrt(vx + vy)), rel=1e-12)
    adjusted = ratio_of_means(x, y, adjust=True)  # Lajeunesse (2015) correction
    assert adjusted.estimate == pytest.approx(13 / 6 * np.exp(0.5 * (vx - vy)), rel=1e-12)


def test_percent_change_of_samples_is_ratio_of_means():
    before, after = [10.0, 11.0, 12.0], [9.0, 9.5, 10.0]
    r = percent_change(before, after)
    assert r.estimate == pytest.approx(100 * (9.5 / 11 - 1), abs=1e-10)


def test_nonpositive_totals_rejected():
    with pytest.raises(ValueError, match="'before' parameter of percent_change must be a positive"):
        percent_change(0, 5)
