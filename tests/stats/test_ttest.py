"""t tests against R t.test and hand computation."""

import numpy as np
import pytest

from rsw_eval.stats import student_t, welch_t
from tests.stats._data import MPG_AUTO, MPG_MANUAL


def test_welch_matches_r_mtcars():
    # R 4.x: t.test(mpg ~ am, data = mtcars)
    # t = -3.7671, df = 18.332, p-value = 0.001374, 95% CI -11.280194 -3.209684
    r = welch_t(MPG_AUTO, MPG_MANUAL)
    assert r.statistic == pytest.approx(-3.7671, abs=5e-5)
    assert r.df == pytest.approx(18.332, abs=5e-4)
    assert r.p_value == pytest.approx(0.001374, abs=5e-7)
    assert r.ci_low == pytest.approx(-11.280194, abs=5e-7)
    assert r.ci_high == pytest.approx(-3.209684, abs=5e-7)
    assert r.details["mean1"] == pytest.approx(17.14737, abs=5e-6)
    assert r.details["mean2"] == pytest.approx(24.39231, abs=5e-6)


def test_student_matches_r_mtcars():
    # R: t.test(mpg ~ am, data = mtcars, var.equal = TRUE)
    # t = -4.1061, df = 30, p-value = 0.000285, 95% CI -10.84837 -3.64151
    r = student_t(MPG_AUTO, MPG_MANUAL)
    assert r.statistic == pytest.approx(-4.1061, abs=5e-5)
    assert r.df == 30
    assert r.p_value == pytest.approx(0.000285, abs=5e-7)
    assert r.ci_low == pytest.approx(-10.84837, abs=5e-6)
    assert r.ci_high == pytest.approx(-3.64151, abs=5e-6)


def test_student_closed_form():
    # x = 1..4, y = 2, 4, 6: means 2.5 and 4, variances 5/3 and 4;
    # sp^2 = (3 * 5/3 + 2 * 4)/5 = 2.6; se = sqrt(2.6 * 7/12); t = -1.5 / se
    r = student_t([1, 2, 3, 4], [2, 4, 6])
    assert r.statistic == pytest.approx(-1.5 / np.sqrt(2.6 * 7 / 12), abs=1e-12)
    assert r.estimate == pytest.approx(-1.5, abs=1e-12)


def test_welch_df_closed_form():
    # a = 5/3/4, b = 4/3; df = (a + b)^2 / (a^2/3 + b^2/2)
    a, b = (5 / 3) / 4, 4 / 3
    assert welch_t([1, 2, 3, 4], [2, 4, 6]).df == pytest.approx(
        (a + b) ** 2 / (a**2 / 3 + b**2 / 2), abs=1e-12
    )


def test_one_sided_p_is_half_two_sided():
    two = welch_t(MPG_MANUAL, MPG_AUTO)
    greater = welch_t(MPG_MANUAL, MPG_AUTO, alternative="greater")
    less = welch_t(MPG_MANUAL, MPG_AUTO, alternative="less")
    assert greater.p_value == pytest.approx(two.p_value / 2, rel=1e-12)
    assert less.p_value == pytest.approx(1 - two.p_value / 2, rel=1e-12)


def test_nans_dropped_and_counted():
    r = welch_t([1.0, np.nan, 3.0, 5.0], [2.0, 4.0, np.nan, np.nan, 7.0])
    assert r.n_dropped == 3
    assert (r.n1, r.n2) == (3, 3)


@pytest.mark.parametrize(
    ("x", "y", "kwargs", "match"),
    [
        ([1.0], [1.0, 2.0], {}, r"'x' parameter of welch_t needs at least 2 non-missing values. Got 1"),
        ([np.nan, np.nan], [1.0, 2.0], {}, r"'x' parameter of welch_t has no non-missing values"),
        ([1.0, 1.0], [2.0, 2.0], {}, "both have zero variance"),
        (
            [1.0, 2.0],
            [2.0, 3.0],
            {"confidence": 95},
            r"'confidence' parameter of welch_t must be a float in \(0, 1\). Got 95 instead.",
        ),
        ([1.0, 2.0], [2.0, 3.0], {"alternative": "bigger"}, "'alternative' parameter of welch_t must be"),
        (["a", "b"], [2.0, 3.0], {}, "'x' parameter of welch_t must be numeric"),
        ([1.0, np.inf], [2.0, 3.0], {}, "must be finite"),
    ],
    ids=["n<2", "all-nan", "zero-variance", "confidence-95", "alternative", "text", "inf"],
)
def test_errors(x, y, kwargs, match):
    with pytest.raises(ValueError, match=match):
        welch_t(x, y, **kwargs)
