"""ICC and design effect against R psych on Shrout & Fleiss (1979) and hand computation."""

import numpy as np
import pytest

from rsw_eval.stats import icc_design_effect
from tests.stats._data import SF_RATINGS, SF_TARGETS


def test_matches_psych_icc1_on_shrout_fleiss():
    # R psych::ICC(sf): ICC1 0.17, F 1.8, df1 5, df2 18, p 0.16, lower -0.13, upper 0.72
    r = icc_design_effect(SF_RATINGS, SF_TARGETS)
    assert r.estimate == pytest.approx(0.17, abs=5e-3)
    assert r.statistic == pytest.approx(1.8, abs=5e-2)
    assert (r.details["df1"], r.details["df2"]) == (5, 18)
    assert r.p_value == pytest.approx(0.16, abs=5e-3)
    assert (r.ci_low, r.ci_high) == pytest.approx((-0.13, 0.72), abs=5e-3)


def test_balanced_closed_form():
    # MSB = 11.2417, MSW = 6.2639 for these data; ICC = (MSB - MSW) / (MSB + 3 MSW)
    r = icc_design_effect(SF_RATINGS, SF_TARGETS)
    means = np.array([SF_RATINGS[k == SF_TARGETS].mean() for k in range(6)])
    msb = 4 * np.sum((means - SF_RATINGS.mean()) ** 2) / 5
    msw = sum(np.sum((SF_RATINGS[k == SF_TARGETS] - means[k]) ** 2) for k in range(6)) / 18
    assert r.estimate == pytest.approx((msb - msw) / (msb + 3 * msw), abs=1e-12)
    assert r.details["design_effect"] == pytest.approx(1 + 3 * r.estimate, abs=1e-12)


def test_unequal_clusters_by_hand():
    # clusters a: 1, 2, 3 ; b: 4, 6 ; c: 5, 7, 8, 9 (N = 9, k = 3)
    y = [1, 2, 3, 4, 6, 5, 7, 8, 9]
    c = list("aaabbcccc")
    r = icc_design_effect(y, c)
    grand = 5.0
    msb = (3 * (2 - grand) ** 2 + 2 * (5 - grand) ** 2 + 4 * (7.25 - grand) ** 2) / 2
    msw = ((1 + 0 + 1) + (1 + 1) + (2.25**2 + 0.25**2 + 0.75**2 + 1.75**2)) / 6
    n0 = (9 - (9 + 4 + 16) / 9) / 2
    assert r.details["n0"] == pytest.approx(n0, abs=1e-12)
    assert r.estimate == pytest.approx((msb - msw) / (msb + (n0 - 1) * msw), abs=1e-12)
    kish = (9 + 4 + 16) / 9  # sum n^2 / N
    assert r.details["design_effect"] == pytest.approx(1 + (kish - 1) * r.estimate, abs=1e-12)


def test_missing_values_dropped_and_counted():
    r = icc_design_effect([1, 2, np.nan, 4, 5, 6], ["a", "a", "a", None, "b", "b"])
    assert r.n_dropped == 2


def test_one_cluster_is_an_error():
    with pytest.raises(ValueError, match="needs at least two clusters"):
        icc_design_effect([1, 2, 3], ["a", "a", "a"])
