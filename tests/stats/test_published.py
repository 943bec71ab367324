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
        (("t", 2.1, -10, ".05"), r"df must be degrees of freedom above 0. Got '-10'"),
        (("t", 2.1, 0, ".05"), r"df must be degrees of freedom above 0"),
        (("t", 2.1, float("inf"), ".05"), r"df must be degrees of freedom above 0"),
        (("F", 2.1, (3, -1), ".05"), r"df must be degrees of freedom above 0. Got '-1'"),
        (("r", 1.5, 10, ".05"), r"statistic must be a correlation from -1 to 1"),
        (("chi2", -3, 2, ".05"), r"statistic must be a chi2 statistic >= 0"),
        (("t", float("nan"), 10, ".05"), r"statistic must be a finite number"),
        (("z", float("inf"), None, ".05"), r"statistic must be a finite number"),
    ],
)
def test_check_reported_gives_no_verdict_on_impossible_values(args, match):
    # issue 21: invalid df or r were turned into verdicts about the paper
    with pytest.raises(ValueError, match=match):
        check_reported(*args)
