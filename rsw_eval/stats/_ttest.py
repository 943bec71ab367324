"""Two-sample t tests: Welch (default) and Student."""

from __future__ import annotations

import numpy as np
from scipy import stats

from rsw_eval.stats._checks import check_alternative, check_confidence, negligible, p_from_t, sample
from rsw_eval.stats._result import StatResult

__all__ = ["student_t", "welch_t"]


def t_from_summary(
    m1, v1, n1, m2, v2, n2, *, equal_var: bool, confidence: float, alternative: str = "two-sided"
) -> dict[str, np.ndarray]:
    """Vectorised two-sample t from means, variances (ddof=1) and sizes (arrays broadcast)."""
    m1, v1, n1, m2, v2, n2 = map(np.asarray, (m1, v1, n1, m2, v2, n2))
    diff = m1 - m2
    if equal_var:
        df = n1 + n2 - 2.0
        sp2 = ((n1 - 1) * v1 + (n2 - 1) * v2) / df
        se = np.sqrt(sp2 * (1 / n1 + 1 / n2))
    else:
        a, b = v1 / n1, v2 / n2
        se = np.sqrt(a + b)
        df = (a + b) ** 2 / (a**2 / (n1 - 1) + b**2 / (n2 - 1))
    with np.errstate(divide="ignore", invalid="ignore"):
        t = diff / se
    q = stats.t.ppf(0.5 + confidence / 2, df)
    return {
        "estimate": diff,
        "ci_low": diff - q * se,
        "ci_high": diff + q * se,
        "statistic": t,
        "df": df,
        "p_value": p_from_t(t, df, alternative),
        "se": se,
    }


def _t_test(x, y, *, equal_var: bool, confidence: float, alternative: str, func: str) -> StatResult:
    confidence = check_confidence(confidence, func)
    alternative = check_alternative(alternative, func)
    x, dx = sample(x, "x", func)
    y, dy = sample(y, "y", func)
    v1, v2 = x.var(ddof=1), y.var(ddof=1)
    if negligible(np.sqrt(v1), x, y) and negligible(np.sqrt(v2), x, y):
        raise ValueError(
            f"The 'x' and 'y' parameters of {func} both have zero variance; the t statistic is undefined."
        )
    r = t_from_summary(
        x.mean(),
        v1,
        x.size,
        y.mean(),
        v2,
        y.size,
        equal_var=equal_var,
        confidence=confidence,
        alternative=alternative,
    )
    test = "Student t" if equal_var else "Welch t"
    method = (
        "pooled variance, df = n1 + n2 - 2" if equal_var else "Welch-Satterthwaite df, unpooled variances"
    )
    return StatResult(
        "mean_difference",
        *(float(r[k]) for k in ("estimate", "ci_low", "ci_high")),
        confidence,
        float(r["statistic"]),
        float(r["df"]),
        float(r["p_value"]),
        test=test,
        method=f"{test}; {method}; two-sided t interval",
        alternative=alternative,
        n1=x.size,
        n2=y.size,
        n_dropped=dx + dy,
        details={
            "mean1": x.mean(),
            "mean2": y.mean(),
            "sd1": np.sqrt(v1),
            "sd2": np.sqrt(v2),
            "se": float(r["se"]),
        },
    )


def welch_t(x, y, *, confidence: float = 0.95, alternative: str = "two-sided") -> StatResult:
    """Welch's two-sample t test and the mean difference ``mean(x) - mean(y)`` with its CI.

    Parameters
    ----------
    x, y : array-like
        Treatment and comparison samples. NaNs are dropped and counted in ``n_dropped``.
    confidence : float, default 0.95
        Level of the (two-sided) confidence interval.
    alternative : {"two-sided", "greater", "less"}
        Alternative hypothesis for the p-value (``"greater"``: mean of x above mean of y).

    Returns
    -------
    StatResult
        ``name="mean_difference"``; ``statistic`` is t, ``df`` the Welch-Satterthwaite df;
        ``details`` has the means, SDs and the standard error.

    Notes
    -----
    :math:`t = (\\bar x - \\bar y) / \\sqrt{s_x^2/n_x + s_y^2/n_y}` with
    :math:`\\nu = (s_x^2/n_x + s_y^2/n_y)^2 / [s_x^4/(n_x^2(n_x-1)) + s_y^4/(n_y^2(n_y-1))]`.
    Matches R ``t.test(x, y)``.

    See Also
    --------
    student_t, hedges_g

    Examples
    --------
    >>> r = welch_t([19.0, 21.5, 23.1, 20.2], [17.2, 18.8, 16.9, 18.1, 17.5])
    >>> round(r.estimate, 4), round(r.statistic, 3), round(r.df, 2), round(r.p_value, 4)
    (3.25, 3.447, 3.89, 0.0273)
    """
    return _t_test(x, y, equal_var=False, confidence=confidence, alternative=alternative, func="welch_t")


def student_t(x, y, *, confidence: float = 0.95, alternative: str = "two-sided") -> StatResult:
    """Student's two-sample t test (pooled variance) and the mean difference with its CI.

    Parameters
    ----------
    x, y : array-like
        Treatment and comparison samples. NaNs are dropped and counted.
    confidence : float, default 0.95
        Level of the confidence interval.
    alternative : {"two-sided", "greater", "less"}
        Alternative hypothesis for the p-value.

    Returns
    -------
    StatResult
        ``name="mean_difference"``, ``df = n1 + n2 - 2``.

    Notes
    -----
    Assumes equal variances; prefer :func:`welch_t` unless that is known. Matches R
    ``t.test(x, y, var.equal = TRUE)``.

    Examples
    --------
    >>> r = student_t([1.0, 2.0, 3.0, 4.0], [2.0, 4.0, 6.0])
    >>> round(r.statistic, 4), r.df
    (-1.218, 5.0)
    """
    return _t_test(x, y, equal_var=True, confidence=confidence, alternative=alternative, func="student_t")
