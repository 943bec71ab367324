"""check_reported reads a p's precision from its notation (finding A8 of q13in): ``5E-04`` is
0.0005 +- 0.00005, a numeric cell's ``2e-05`` is +-5e-06, and a statistic printed as 0 allows p = 1."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy import stats

from rsw_eval.stats import check_reported


def _true_p(test, stat, df):
    """The closed form (SciPy) of a two-sided p, written out again here as the oracle."""
    if test == "t":
        return 2 * stats.t.sf(abs(stat), df)
    if test == "z":
        return 2 * stats.norm.sf(abs(stat))
    return stats.chi2.sf(stat, df)


@pytest.mark.parametrize(
    "stat, p",
    [("3.00", "5E-04"), ("3.00", "5.0E-04"), ("3.00", "5e-4"), ("1.00", "1E-02"), ("5", "5E-01")],
)
def test_exponent_notation_is_not_infinitely_coarse(stat, p):
    # t(30) = 3.00 gives p = .0054, t(30) = 1.00 p = .33, t(30) = 5 p = 2.3e-05: none rounds to p
    assert not check_reported("t", stat, 30, p).consistent


def test_exponent_notation_reads_the_mantissa_last_digit():
    assert check_reported("t", "3.00", 30, "5E-03").consistent  # 0.005 +- 0.0005 holds .0054
    assert not check_reported("t", "3.00", 30, "5.0E-03").consistent  # 0.0050 +- 0.00005 does not
    assert check_reported("t", "3.00", 30, "5.4E-03").consistent


def test_a_numeric_p_is_exact_at_its_repr():
    # an .xlsx numeric cell 0.00002 arrives as 2e-05 (+-5e-06), never as 'any p'
    r = check_reported("t", "1", 30, 2e-05)
    assert not r.consistent and r.decision_error
    assert not check_reported("t", "3", 30, 5e-05).consistent
    assert check_reported("t", "5.00", 30, 2.3e-05).consistent


@pytest.mark.parametrize(
    "test, stat, df, p",
    [
        ("t", "0", 30, "1.00"),
        ("t", "0", 30, "1"),
        ("z", "0", None, "1.000"),
        ("r", "0", 30, "1.00"),
        ("chi2", "0", 2, "1.00"),
        ("t", "0.00", 30, "1.00"),
        ("t", "0.001", 30, "1.00"),
    ],
)
def test_p_of_one_for_a_statistic_of_zero_is_consistent(test, stat, df, p):
    assert check_reported(test, stat, df, p).consistent


def test_p_of_one_needs_a_recomputed_p_that_rounds_to_it():
    assert not check_reported("t", "0.10", 30, "1.00").consistent  # p = .921 (.916-.925)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    test=st.sampled_from(["t", "z", "chi2"]),
    true_stat=st.floats(0, 6),
    df=st.integers(1, 200),
    stat_decimals=st.integers(0, 4),
    p_digits=st.integers(1, 4),
    notation=st.sampled_from(["decimal", "E", "e", "float"]),
)
def test_a_correctly_rounded_p_is_consistent_whatever_its_notation(
    test, true_stat, df, stat_decimals, p_digits, notation
):
    p = _true_p(test, true_stat, df)
    if p < 1e-300:
        return
    if notation == "decimal":
        printed = f"{p:.{p_digits}f}"
    elif notation == "float":  # a numeric spreadsheet cell: the float itself, at its repr
        printed = float(f"{p:.{p_digits - 1}e}")
    else:
        printed = f"{p:.{p_digits - 1}{notation}}"
    stat = f"{true_stat:.{stat_decimals}f}"
    r = check_reported(test, stat, None if test == "z" else df, printed)
    assert r.consistent, (test, stat, df, printed, r.p_min, r.p_max)
