"""Comparing spread ("more consistent practice"): variance ratio F test and Levene/Brown-Forsythe."""

from __future__ import annotations

import numpy as np
from scipy import stats

from rsw_eval.stats._checks import check_choice, check_confidence, negligible, positive_variance, sample
from rsw_eval.stats._result import StatResult
from rsw_eval.stats._ttest import t_from_summary

__all__ = ["levene", "variance_ratio"]


def variance_ratio(x, y, *, confidence: float = 0.95) -> StatResult:
    """F test of equal variances and the variance ratio ``var(x) / var(y)`` with its CI.

    Parameters
    ----------
    x, y : array-like
        Treatment and comparison samples (NaNs dropped and counted).
    confidence : float, default 0.95
        Level of the CI.

    Returns
    -------
    StatResult
        ``name="variance_ratio"``; ``statistic`` F, ``df`` the numerator df (``details`` has both);
        a ratio below 1 means x is less variable. Assumes normal data; see :func:`levene` otherwise.

    Notes
    -----
    :math:`F = s_x^2/s_y^2 \\sim F(n_x-1, n_y-1)`; CI :math:`[F/F_{1-\\alpha/2}, F/F_{\\alpha/2}]`;
    two-sided :math:`p = 2\\min(P(F' \\le F), P(F' \\ge F))`. Matches R ``var.test``.

    Examples
    --------
    >>> r = variance_ratio([2.0, 4.0, 6.0, 8.0], [1.0, 2.0, 3.0])
    >>> r.estimate, round(r.p_value, 4)
    (6.666666666666667, 0.2664)
    """
    func = "variance_ratio"
    confidence = check_confidence(confidence, func)
    x, dx = sample(x, "x", func)
    y, dy = sample(y, "y", func)
    v1, v2 = x.var(ddof=1), y.var(ddof=1)
    positive_variance(v2, "y", func, x, y)
    if negligible(np.sqrt(v1), x, y):
        return StatResult.invalid(
            "variance_ratio",
            "x has zero variance: the ratio is 0 and the F test degenerate",
            ci_level=confidence,
            test="F test of variances",
            n1=x.size,
            n2=y.size,
        )
    d1, d2 = x.size - 1, y.size - 1
    f = v1 / v2
    a = (1 - confidence) / 2
    p = 2 * min(stats.f.cdf(f, d1, d2), stats.f.sf(f, d1, d2))
    return StatResult(
        "variance_ratio",
        f,
        f / stats.f.ppf(1 - a, d1, d2),
        f / stats.f.ppf(a, d1, d2),
        confidence,
        f,
        d1,
        min(1.0, p),
        test="F test of variances",
        method="ratio of sample variances; exact F interval (normal data)",
        n1=x.size,
        n2=y.size,
        n_dropped=dx + dy,
        details={"df1": d1, "df2": d2},
    )


def levene(x, y, *, center: str = "median", confidence: float = 0.95) -> StatResult:
    """Levene's test (Brown-Forsythe with ``center="median"``) for equal spread of two groups.

    Parameters
    ----------
    x, y : array-like
        Treatment and comparison samples (NaNs dropped and counted).
    center : {"median", "mean"}
        Centre of the absolute deviations: the median (Brown-Forsythe; default, robust) or mean
        (Levene's original).
    confidence : float, default 0.95
        Level of the CI of the difference in mean absolute deviation.

    Returns
    -------
    StatResult
        ``name="mad_difference"``: mean absolute deviation of x minus that of y (negative: x less
        spread) with a Student t CI; ``statistic`` is Levene's F on (1, n - 2) df.

    Notes
    -----
    With :math:`z_{ij} = |y_{ij} - c_i|`, Levene's F is the one-way ANOVA F of the :math:`z`; for
    two groups it equals the square of Student's t on the :math:`z` (the test used for the CI).

    References
    ----------
    Brown MB, Forsythe AB (1974). Robust tests for the equality of variances. *JASA* 69:364-367.

    Examples
    --------
    >>> r = levene([4.1, 5.0, 5.2, 4.8, 5.1, 4.9], [2.0, 7.5, 3.1, 6.8, 5.0, 1.2])
    >>> round(r.statistic, 4), round(r.p_value, 4), round(r.estimate, 4)
    (18.7164, 0.0015, -1.9167)
    """
    func = "levene"
    confidence = check_confidence(confidence, func)
    check_choice(center, "center", ("median", "mean"), func)
    x, dx = sample(x, "x", func)
    y, dy = sample(y, "y", func)
    centre = np.median if center == "median" else np.mean
    zx, zy = np.abs(x - centre(x)), np.abs(y - centre(y))
    name = "Brown-Forsythe" if center == "median" else "Levene"
    # With n = 2 per group the median-centred deviations are equal within a group (zero spread),
    # and with constant groups all are zero: F is infinite or undefined, so no test exists.
    if negligible(np.sqrt(zx.var(ddof=1) + zy.var(ddof=1)), x, y):
        return StatResult.invalid(
            "mad_difference",
            "the absolute deviations have no spread within either group (constant groups, or two "
            f"values per group), so the {name} test is undefined",
            ci_level=confidence,
            test=f"{name} F",
            n1=x.size,
            n2=y.size,
            n_dropped=dx + dy,
        )
    res = stats.levene(x, y, center=center)
    t = t_from_summary(
        zx.mean(),
        zx.var(ddof=1),
        zx.size,
        zy.mean(),
        zy.var(ddof=1),
        zy.size,
        equal_var=True,
        confidence=confidence,
    )
    return StatResult(
        "mad_difference",
        float(t["estimate"]),
        float(t["ci_low"]),
        float(t["ci_high"]),
        confidence,
        float(res.statistic),
        float(x.size + y.size - 2),
        float(res.pvalue),
        test=f"{name} F",
        method=f"{name} test: ANOVA on absolute "
        f"deviations from the group {center}; CI of their mean difference by Student t",
        n1=x.size,
        n2=y.size,
        n_dropped=dx + dy,
        details={"df1": 1, "df2": x.size + y.size - 2},
    )
