"""Re-analysis from published summaries, and the statcheck-style check."""

import numpy as np
import pytest
from scipy import stats

from rsw_eval.stats import check_reported, cohens_d, from_counts, from_summary, from_t, welch_t
from tests.stats._data import MPG_AUTO, MPG_MANUAL


def test_from_summary_equals_raw_data_analysis():
    # second method: the same numbers from the raw mtcars data
    s = (
        MPG_AUTO.mean(),
        MPG_AUTO.std(ddof=1),
        MPG_AUTO.size,
        MPG_MANUAL.mean(),
        MPG_MANUAL.std(ddof=1),
        MPG_MANUAL.size,
    )
    r = from_summary(*s)
    raw = welch_t(MPG_AUTO, MPG_MANUAL)
    assert (r.statistic, r.df, r.p_value, r.ci_low) == pytest.approx(
        (raw.statistic, raw.df, raw.p_value, raw.ci_low), rel=1e-12
    )
    assert r["cohens_d"].ci == pytest.approx(cohens_d(MPG_AUTO, MPG_MANUAL).ci, rel=1e-10)


def test_from_t_matches_effectsize_mpg():
    # R: t.test(mpg ~ am, var.equal = TRUE) t = -4.1061 (df 30); effectsize d = -1.48 [-2.27, -0.67]
    r = from_t(-4.1061, 30, 19, 13)
    assert (r.estimate, r.ci_low, r.ci_high) == pytest.approx((-1.48, -2.27, -0.67), abs=5e-3)
    assert r.p_value == pytest.approx(0.000285, abs=5e-7)


def test_from_counts_is_two_proportions():
    assert from_counts(56, 70, 48, 80).ci == pytest.approx((0.0524, 0.3339), abs=5e-5)


@pytest.mark.parametrize(
    ("args", "kwargs", "consistent", "decision"),
    [
        # t(28) = 2.20 gives p = .0362, reported .03: inconsistent, both significant -> no decision error
        (("t", "2.20", 28, ".03"), {}, False, False),
        (("t", "2.20", 28, ".04"), {}, True, False),
        # t(28) = 1.80 gives p = .083; reporting p = .03 flips significance: a decision error
        (("t", "1.80", 28, ".03"), {}, False, True),
        (("t", "-4.93", 37, ".001"), {"comparison": "<"}, True, False),
        (("F", "3.48", (2, 68), ".04"), {}, True, False),
        (("chi2", "3.84", 1, ".05"), {}, True, False),
        (("z", "1.96", None, ".025"), {"one_tailed": True}, True, False),
        (("r", ".30", 98, ".002"), {}, True, False),
    ],
    ids=[
        "t-inconsistent",
        "t-consistent",
        "t-decision-error",
        "t-less-than",
        "F",
        "chi2",
        "z-one-tailed",
        "r",
    ],
)
def test_check_reported(args, kwargs, consistent, decision):
    r = check_reported(*args, **kwargs)
    assert r.consistent is consistent
    assert r.decision_error is decision


@pytest.mark.parametrize(
    ("p", "comparison"),
    [("<.001", "<"), ("< .001", "<"), (" <.001", "<"), (">.05", ">"), ("> .05", ">"), ("=.62", "=")],
)
def test_check_reported_reads_the_sign_typed_in_p(p, comparison):
    """q11in Q16: '<.001' was read as '= .001', so t(30) = 5 (p = 2.3e-05) was 'inconsistent'."""
    stat = "0.5" if comparison != "<" else "5"
    for given in (None, comparison):
        r = check_reported("t", stat, 30, p, comparison=given)
        assert r.comparison == comparison and r.consistent and not r.decision_error
    assert check_reported("t", "2", 30, "<.001").consistent is False  # p = .055
    with pytest.raises(ValueError, match=r"p must be a p whose sign agrees with the comparison '>'"):
        check_reported("t", 5, 30, "<.001", comparison=">")


def test_check_reported_welch_df_may_be_non_whole():
    assert check_reported("t", "2.10", 18.33, ".05").consistent
    assert check_reported("F", "3.48", (2, 41.7), ".04").df == (2.0, 41.7)


def test_check_reported_rounding_interval_closed_form():
    r = check_reported("t", "2.20", 28, ".04")
    assert r.p_min == pytest.approx(2 * stats.t.sf(2.205, 28), abs=1e-15)
    assert r.p_max == pytest.approx(2 * stats.t.sf(2.195, 28), abs=1e-15)
    assert r.p_computed == pytest.approx(2 * stats.t.sf(2.2, 28), abs=1e-15)
    # r = .30 with df 98: t = r sqrt(df / (1 - r^2))
    rr = check_reported("r", "0.30", 98, ".002")
    assert rr.p_computed == pytest.approx(2 * stats.t.sf(0.3 * np.sqrt(98 / 0.91), 98), abs=1e-15)


def test_check_reported_errors():
    with pytest.raises(ValueError, match="'test' parameter of check_reported must be one of"):
        check_reported("W", 3, 10, 0.01)
    with pytest.raises(ValueError, match=r"df must be two degrees of freedom, df1 and df2"):
        check_reported("F", 3, 10, 0.01)


@pytest.mark.parametrize(
    ("args", "match"),
    [
        (("t", 2.1, -10, ".05"), r"df must be degrees of freedom from 1 to 1e\+09. Got '-10'"),
        (("t", 2.1, 0, ".05"), r"df must be degrees of freedom from 1 to 1e\+09"),
        (("t", 2.1, float("inf"), ".05"), r"df must be degrees of freedom from 1 to 1e\+09"),
        (("F", 2.1, (3, -1), ".05"), r"df must be degrees of freedom from 1 to 1e\+09. Got '-1'"),
        (("r", 1.5, 10, ".05"), r"statistic must be a correlation above -1 and below 1"),
        (("chi2", -3, 2, ".05"), r"statistic must be a chi2 statistic >= 0"),
        (("t", float("nan"), 10, ".05"), r"statistic must be a finite number"),
        (("z", float("inf"), None, ".05"), r"statistic must be a finite number"),
        # q11in Q17: impossible or degenerate degrees of freedom and correlations
        (("t", 2, 1e-300, ".05"), r"df must be degrees of freedom from 1 to 1e\+09. Got '1e-300'"),
        (("t", 2, 1e308, ".05"), r"df must be degrees of freedom from 1 to 1e\+09. Got '1e\+308'"),
        (("chi2", 5, 2.5, ".08"), r"df must be a whole number of degrees of freedom \(a chi2 test's df\)"),
        (("r", "0.3", 30.5, ".09"), r"an r test's df"),
        (("r", "1", 30, ".03"), r"statistic must be a correlation above -1 and below 1"),
        (("r", "-1.00", 30, ".03"), r"statistic must be a correlation above -1 and below 1"),
        # q11in Q16: a sign typed in p that disagrees with the comparison, or two signs
        (("t", 5, 30, "<=.001"), r"p must be a p from 0 to 1, after at most one of <, > or ="),
        # q22 L1: a bound no p can meet
        (("t", "12.1", 30, "<0"), r"p must be a p-value from 0 to 1 \(no p is below 0 or above 1\)"),
        (("t", "0.1", 30, ">1"), r"no p is below 0 or above 1"),
    ],
)
def test_check_reported_gives_no_verdict_on_impossible_values(args, match):
    # issue 21: invalid df or r were turned into verdicts about the paper
    with pytest.raises(ValueError, match=match):
        check_reported(*args)
