"""Two independent proportions: risk difference, risk ratio, odds ratio, Cohen's h and their tests."""

from __future__ import annotations

import numpy as np
from scipy import stats
from scipy.stats.contingency import odds_ratio as _conditional_or

from rsw_eval.stats._checks import check_confidence, nonneg_count, z_crit
from rsw_eval.stats._result import StatResult

__all__ = ["newcombe_interval", "two_proportions", "wilson_interval"]


def wilson_interval(x, n, confidence: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval for a binomial proportion (vectorised; Wilson 1927).

    Examples
    --------
    >>> lo, hi = wilson_interval(81, 263)
    >>> round(float(lo), 4), round(float(hi), 4)
    (0.2553, 0.3662)
    """
    x, n = np.asarray(x, float), np.asarray(n, float)
    z = z_crit(confidence)
    p = x / n
    centre = (p + z**2 / (2 * n)) / (1 + z**2 / n)
    half = z * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / (1 + z**2 / n)
    return centre - half, centre + half


def newcombe_interval(x1, n1, x2, n2, confidence: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Newcombe's hybrid score interval for p1 - p2 (method 10 of Newcombe 1998; vectorised).

    Examples
    --------
    >>> lo, hi = newcombe_interval(56, 70, 48, 80)   # Newcombe (1998), Table II, example (a)
    >>> round(float(lo), 4), round(float(hi), 4)
    (0.0524, 0.3339)
    """
    p1, p2 = np.asarray(x1, float) / n1, np.asarray(x2, float) / n2
    l1, u1 = wilson_interval(x1, n1, confidence)
    l2, u2 = wilson_interval(x2, n2, confidence)
    d = p1 - p2
    return d - np.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2), d + np.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)


def two_proportions(
    x1: int, n1: int, x2: int, n2: int, *, confidence: float = 0.95, exact: bool | None = None
) -> StatResult:
    """Compare two independent proportions ``x1/n1`` (treatment) and ``x2/n2`` (comparison).

    Parameters
    ----------
    x1, n1, x2, n2 : int
        Events and group sizes.
    confidence : float, default 0.95
        Level of every interval.
    exact : bool, optional
        Use Fisher's exact test and the conditional maximum-likelihood odds ratio with its exact CI.
        Default: when any cell of the 2x2 table is below 5.

    Returns
    -------
    StatResult
        ``name="risk_difference"`` (p1 - p2, Newcombe hybrid score CI) with related results
        ``risk_ratio`` (log CI), ``odds_ratio`` (Woolf logit CI, or conditional MLE with exact CI)
        and ``cohens_h`` (normal CI). ``statistic``/``p_value`` are Pearson's chi-square without
        continuity correction (or Fisher's exact p); ``details`` holds every test: ``chi2``,
        ``p_chi2``, ``chi2_yates``, ``p_chi2_yates``, ``p_fisher``.

    Notes
    -----
    Risk ratio: :math:`SE(\\log RR) = \\sqrt{1/x_1 - 1/n_1 + 1/x_2 - 1/n_2}`; odds ratio:
    :math:`SE(\\log OR) = \\sqrt{1/a + 1/b + 1/c + 1/d}`; with a zero cell 0.5 is added to every cell
    for these two (stated in ``method``). Cohen's h :math:`= 2\\arcsin\\sqrt{p_1} -
    2\\arcsin\\sqrt{p_2}`, :math:`SE = \\sqrt{1/n_1 + 1/n_2}`.

    References
    ----------
    Newcombe RG (1998). Interval estimation for the difference between independent proportions:
    comparison of eleven methods. *Statistics in Medicine* 17:873-890.

    Examples
    --------
    >>> r = two_proportions(18, 100, 110, 200)
    >>> round(r.estimate, 2), round(r["odds_ratio"].estimate, 4), r.test
    (-0.37, 0.1796, 'Pearson chi-square')
    """
    func = "two_proportions"
    confidence = check_confidence(confidence, func)
    x1, n1 = nonneg_count(x1, "x1", func), nonneg_count(n1, "n1", func)
    x2, n2 = nonneg_count(x2, "x2", func), nonneg_count(n2, "n2", func)
    for x, n, nx, nn in ((x1, n1, "x1", "n1"), (x2, n2, "x2", "n2")):
        if n == 0:
            raise ValueError(f"The '{nn}' parameter of {func} must be positive. Got 0 instead.")
        if x > n:
            raise ValueError(
                f"The '{nx}' parameter of {func} must not exceed '{nn}'. Got {nx}={x} > {nn}={n}."
            )
    table = np.array([[x1, n1 - x1], [x2, n2 - x2]])
    if exact is None:
        exact = bool((table < 5).any())
    p1, p2 = x1 / n1, x2 / n2
    z = z_crit(confidence)
    common = dict(ci_level=confidence, n1=n1, n2=n2)

    tests = {"p_fisher": float(stats.fisher_exact(table).pvalue)}
    if (table.sum(axis=0) == 0).any():  # no events or no non-events at all: chi-square undefined
        tests.update(chi2=np.nan, p_chi2=np.nan, chi2_yates=np.nan, p_chi2_yates=np.nan)
    else:
        plain = stats.chi2_contingency(table, correction=False)
        yates = stats.chi2_contingency(table, correction=True)
        tests.update(
            chi2=float(plain.statistic),
            p_chi2=float(plain.pvalue),
            chi2_yates=float(yates.statistic),
            p_chi2_yates=float(yates.pvalue),
        )
    if exact:
        test, stat, df, p = "Fisher exact", np.nan, np.nan, tests["p_fisher"]
    else:
        test, stat, df, p = "Pearson chi-square", tests["chi2"], 1.0, tests["p_chi2"]
    common.update(test=test, statistic=stat, df=df, p_value=p)

    zero = (table == 0).any()
    a, b, c, d = table.ravel() + (0.5 if zero else 0.0)
    cc = "; 0.5 added to every cell (a zero cell)" if zero else ""
    q1, q2 = a / (a + b), c / (c + d)
    rr = q1 / q2
    se_rr = np.sqrt(1 / a - 1 / (a + b) + 1 / c - 1 / (c + d))
    risk_ratio = StatResult(
        "risk_ratio",
        rr,
        rr * np.exp(-z * se_rr),
        rr * np.exp(z * se_rr),
        method="log-normal CI" + cc,
        **common,
    )
    if exact:
        cond = _conditional_or(table, kind="conditional")
        ci = cond.confidence_interval(confidence_level=confidence)
        odds = StatResult(
            "odds_ratio",
            float(cond.statistic),
            float(ci.low),
            float(ci.high),
            method="conditional maximum-likelihood estimate, exact CI (as R fisher.test)",
            **common,
        )
    else:
        orr = a * d / (b * c)
        se_or = np.sqrt(1 / a + 1 / b + 1 / c + 1 / d)
        odds = StatResult(
            "odds_ratio",
            orr,
            orr * np.exp(-z * se_or),
            orr * np.exp(z * se_or),
            method="sample odds ratio, Woolf logit CI" + cc,
            **common,
        )
    h = 2 * np.arcsin(np.sqrt(p1)) - 2 * np.arcsin(np.sqrt(p2))
    se_h = np.sqrt(1 / n1 + 1 / n2)
    cohens_h = StatResult(
        "cohens_h", h, h - z * se_h, h + z * se_h, method="arcsine difference, normal CI", **common
    )
    lo, hi = newcombe_interval(x1, n1, x2, n2, confidence)
    return StatResult(
        "risk_difference",
        p1 - p2,
        float(lo),
        float(hi),
        method="Newcombe hybrid score CI (method 10)",
        details={"p1": p1, "p2": p2, **tests},
        related=(risk_ratio, odds, cohens_h),
        **common,
    )
