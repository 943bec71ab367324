"""Rank-based comparisons: Mann-Whitney U with rank-biserial r and CLES, and Brunner-Munzel."""

from __future__ import annotations

import numpy as np
from scipy import stats

from rsw_eval.stats._checks import check_alternative, check_confidence, p_from_t, sample, z_crit
from rsw_eval.stats._result import StatResult

__all__ = ["auc_score_interval", "brunner_munzel", "mann_whitney"]

#: Largest group size for which the exact null distribution of U is used (when there are no ties).
EXACT_MAX_N = 50


def mann_whitney(
    x, y, *, confidence: float = 0.95, alternative: str = "two-sided", exact: bool | None = None
) -> StatResult:
    """Mann-Whitney U test with the rank-biserial correlation and CLES, each with a CI.

    Parameters
    ----------
    x, y : array-like
        Treatment and comparison samples (NaNs dropped and counted).
    confidence : float, default 0.95
        Level of the confidence intervals.
    alternative : {"two-sided", "greater", "less"}
        ``"greater"``: x tends to be larger than y.
    exact : bool, optional
        Force (True) or forbid (False) the exact null distribution. By default it is used when
        there are no ties and both groups have at most 50 values; otherwise the normal approximation
        with tie correction and continuity correction. ``method`` says which was used.

    Returns
    -------
    StatResult
        ``name="rank_biserial"`` (estimate r in [-1, 1], positive when x tends to be larger),
        ``statistic`` = U of x (R's W), with a related ``cles`` result: the common-language effect
        size P(X > Y) + P(X = Y)/2 = (r + 1)/2.

    Notes
    -----
    :math:`r = 2U/(n_x n_y) - 1`. Its CI transforms a normal interval for
    :math:`\\operatorname{atanh}(r)` with :math:`SE = \\sqrt{(n_x + n_y + 1)/(3 n_x n_y)}`
    (as R effectsize ``rank_biserial``); the CLES limits are :math:`(r_{L,U} + 1)/2`.

    Examples
    --------
    >>> x = [0.80, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46]
    >>> y = [1.15, 0.88, 0.90, 0.74, 1.21]
    >>> r = mann_whitney(x, y)
    >>> r.statistic, round(r.p_value, 4), round(r.estimate, 2)
    (35.0, 0.2544, 0.4)
    """
    func = "mann_whitney"
    confidence = check_confidence(confidence, func)
    alternative = check_alternative(alternative, func)
    x, dx = sample(x, "x", func, min_n=1)
    y, dy = sample(y, "y", func, min_n=1)
    n1, n2 = x.size, y.size
    ties = np.unique(np.concatenate([x, y])).size < n1 + n2
    use_exact = (not ties and max(n1, n2) <= EXACT_MAX_N) if exact is None else bool(exact)
    if use_exact and ties:
        raise ValueError(f"{func}: exact=True needs data without ties; these data have ties.")
    res = stats.mannwhitneyu(
        x, y, alternative=alternative, use_continuity=True, method="exact" if use_exact else "asymptotic"
    )
    u = float(res.statistic)
    r = 2 * u / (n1 * n2) - 1
    se = np.sqrt((n1 + n2 + 1) / (3 * n1 * n2))
    z = z_crit(confidence)
    ci_text = "CI by Fisher z of r, SE sqrt((n1+n2+1)/(3 n1 n2))"
    if abs(r) < 1:
        lo, hi = np.tanh(np.arctanh(r) - z * se), np.tanh(np.arctanh(r) + z * se)
    else:  # complete separation: the Fisher z interval collapses to a point
        theta_lo, theta_hi = auc_score_interval((r + 1) / 2, n1, n2, confidence)
        lo, hi = 2 * theta_lo - 1, 2 * theta_hi - 1
        ci_text = "complete separation: CI by Newcombe's (2006) score interval for P(X > Y), method 5"
    how = (
        "exact null distribution" if use_exact else "normal approximation with tie and continuity correction"
    )
    common = dict(
        ci_level=confidence,
        statistic=u,
        p_value=float(res.pvalue),
        test="Mann-Whitney U",
        alternative=alternative,
        n1=n1,
        n2=n2,
        n_dropped=dx + dy,
    )
    cles = StatResult(
        "cles",
        (r + 1) / 2,
        (lo + 1) / 2,
        (hi + 1) / 2,
        method=f"P(X > Y) + P(X = Y)/2 = (r + 1)/2; U test by {how}",
        **common,
    )
    return StatResult(
        "rank_biserial",
        r,
        float(lo),
        float(hi),
        method=f"U test by {how}; {ci_text}",
        details={"U": u, "U_y": n1 * n2 - u, "exact": use_exact, "ties": bool(ties)},
        related=(cles,),
        **common,
    )


def auc_score_interval(theta: float, n1: int, n2: int, confidence: float = 0.95) -> tuple[float, float]:
    r"""Score (Wilson-type) interval for :math:`\theta = P(X > Y)` (Newcombe 2006, method 5).

    Solves :math:`(\hat\theta - \theta)^2 = z^2 V(\theta)` with the Hanley & McNeil (1982)
    variance written as a function of :math:`\theta` and :math:`N^* = (n_1 + n_2)/2` for both
    sample sizes:
    :math:`V = \theta(1-\theta)[1 + (N^*-1)(1-\theta)/(2-\theta) + (N^*-1)\theta/(1+\theta)]
    /(n_1 n_2)`. Unlike a Wald or Fisher-z interval it stays proper at :math:`\hat\theta = 0, 1`.

    References
    ----------
    Newcombe RG (2006). Confidence intervals for an effect size measure based on the Mann-Whitney
    statistic. Part 2. *Stat Med* 25:559-573.

    Examples
    --------
    >>> lo, hi = auc_score_interval(1.0, 4, 4)
    >>> round(lo, 4), hi
    (0.5823, 1.0)
    """
    from scipy.optimize import brentq

    z2 = z_crit(confidence) ** 2
    n_star = (n1 + n2) / 2

    def gap(t: float) -> float:
        v = t * (1 - t) * (1 + (n_star - 1) * (1 - t) / (2 - t) + (n_star - 1) * t / (1 + t)) / (n1 * n2)
        return (theta - t) ** 2 - z2 * v

    eps = 1e-12
    lo = 0.0 if theta <= eps else brentq(gap, eps, theta - eps if theta < 1 else 1 - eps, xtol=1e-14)
    hi = 1.0 if theta >= 1 - eps else brentq(gap, theta + eps if theta > 0 else eps, 1 - eps, xtol=1e-14)
    return float(lo), float(hi)


def brunner_munzel(x, y, *, confidence: float = 0.95, alternative: str = "two-sided") -> StatResult:
    """Brunner-Munzel test of stochastic equality, robust to unequal variances (e.g. Likert ratings).

    Parameters
    ----------
    x, y : array-like
        Treatment and comparison samples (NaNs dropped and counted).
    confidence : float, default 0.95
        Level of the CI of the relative effect.
    alternative : {"two-sided", "greater", "less"}
        ``"greater"``: x tends to be larger than y.

    Returns
    -------
    StatResult
        ``name="relative_effect"``: :math:`\\hat p = P(X > Y) + P(X = Y)/2` with a t-based CI;
        ``statistic`` is the Brunner-Munzel W, ``df`` its Satterthwaite df.

    Notes
    -----
    With overall ranks :math:`R`, within-group ranks :math:`R^*` and placements
    :math:`R_{ik} - R^*_{ik}`, :math:`\\hat p = (\\bar R_x - (n_x + 1)/2)/n_y`,
    :math:`\\hat\\sigma^2 = S_x^2/(n_x n_y^2) + S_y^2/(n_y n_x^2)` and
    :math:`W = (\\hat p - 1/2)/\\hat\\sigma`. The sign here follows the x-minus-y convention, so
    W is the negative of SciPy's ``brunnermunzel(x, y)`` statistic (which measures y over x).

    References
    ----------
    Brunner E, Munzel U (2000). The nonparametric Behrens-Fisher problem: asymptotic theory and a
    small-sample approximation. *Biometrical Journal* 42:17-25.

    Examples
    --------
    >>> x = [1, 2, 1, 1, 1, 1, 1, 1, 1, 1, 2, 4, 1, 1]
    >>> y = [3, 3, 4, 3, 1, 2, 3, 1, 1, 5, 4]
    >>> r = brunner_munzel(x, y)
    >>> round(r.statistic, 4), round(r.p_value, 5), round(r.estimate, 4)
    (-3.1375, 0.00579, 0.211)
    """
    func = "brunner_munzel"
    confidence = check_confidence(confidence, func)
    alternative = check_alternative(alternative, func)
    x, dx = sample(x, "x", func)
    y, dy = sample(y, "y", func)
    n1, n2 = x.size, y.size
    ranks = stats.rankdata(np.concatenate([x, y]))
    rx, ry = ranks[:n1], ranks[n1:]
    px, py = rx - stats.rankdata(x), ry - stats.rankdata(y)  # placements
    s1 = np.sum((px - px.mean()) ** 2) / (n1 - 1)
    s2 = np.sum((py - py.mean()) ** 2) / (n2 - 1)
    p_hat = (rx.mean() - (n1 + 1) / 2) / n2
    var = s1 / (n1 * n2**2) + s2 / (n2 * n1**2)
    if var == 0:
        return StatResult.invalid(
            "relative_effect",
            "the groups do not overlap or are constant; the Brunner-Munzel variance is zero",
            estimate=p_hat,
            ci_level=confidence,
            n1=n1,
            n2=n2,
            n_dropped=dx + dy,
            test="Brunner-Munzel",
        )
    se = np.sqrt(var)
    a, b = s1 / (n1 * n2**2), s2 / (n2 * n1**2)
    df = (a + b) ** 2 / (a**2 / (n1 - 1) + b**2 / (n2 - 1))
    w = (p_hat - 0.5) / se
    q = stats.t.ppf(0.5 + confidence / 2, df)
    return StatResult(
        "relative_effect",
        float(p_hat),
        float(max(0.0, p_hat - q * se)),
        float(min(1.0, p_hat + q * se)),
        confidence,
        float(w),
        float(df),
        float(p_from_t(w, df, alternative)),
        test="Brunner-Munzel",
        method="Brunner-Munzel t approximation with Satterthwaite df; "
        "estimate P(X > Y) + P(X = Y)/2; CI clipped to [0, 1]",
        alternative=alternative,
        n1=n1,
        n2=n2,
        n_dropped=dx + dy,
        details={"se": float(se)},
    )
