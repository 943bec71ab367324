"""Standardised mean differences: Cohen's d, Hedges' g and Glass' delta, with CIs."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from scipy import stats
from scipy.special import gammaln

from rsw_eval.stats._checks import (
    check_choice,
    check_confidence,
    positive_variance,
    sample,
    z_crit,
)
from rsw_eval.stats._nct import nct_limits
from rsw_eval.stats._result import StatResult

__all__ = ["cohens_d", "glass_delta", "hedges_correction", "hedges_g"]

CI_METHODS = ("nct", "normal", "bootstrap")


def hedges_correction(df):
    """Exact small-sample bias correction J(df) = Γ(df/2) / (√(df/2) Γ((df-1)/2)) (Hedges 1981).

    Examples
    --------
    >>> round(float(hedges_correction(30)), 6)
    0.974754
    """
    df = np.asarray(df, float)
    return np.exp(gammaln(df / 2) - 0.5 * np.log(df / 2) - gammaln((df - 1) / 2))


def d_from_summary(
    m1, s1, n1, m2, s2, n2, *, kind: str, confidence: float, ci_method: str = "nct"
) -> dict[str, np.ndarray]:
    """Vectorised d / g / delta and CIs from summary statistics (``kind`` in d, g, d_avg, g_avg,
    delta). Used by the public functions, :func:`from_summary` and the engine."""
    m1, s1, n1, m2, s2, n2 = (np.asarray(a, float) for a in (m1, s1, n1, m2, s2, n2))
    diff = m1 - m2
    if kind in ("d", "g"):
        df = n1 + n2 - 2
        s = np.sqrt(((n1 - 1) * s1**2 + (n2 - 1) * s2**2) / df)
        hn = 1 / n1 + 1 / n2
    elif kind in ("d_avg", "g_avg"):
        s = np.sqrt((s1**2 + s2**2) / 2)
        a, b = s1**2 / n1, s2**2 / n2
        df = (a + b) ** 2 / (a**2 / (n1 - 1) + b**2 / (n2 - 1))
        hn = (a + b) / s**2
    else:  # delta: standardised by the comparison group's SD
        s = s2
        df = n2 - 1
        hn = 1 / n2 + s1**2 / (n1 * s2**2)
    est = diff / s
    if ci_method == "nct":
        lo, hi = nct_limits(est / np.sqrt(hn), df, confidence)
        lo, hi = lo * np.sqrt(hn), hi * np.sqrt(hn)
    else:  # normal approximation (Hedges & Olkin 1985, eq. 5.14)
        n = n1 + n2 if kind != "delta" else n2
        se = np.sqrt(hn + est**2 / (2 * n))
        z = z_crit(confidence)
        lo, hi = est - z * se, est + z * se
    if kind.startswith("g"):
        j = hedges_correction(df)
        est, lo, hi = est * j, lo * j, hi * j
    return {"estimate": est, "ci_low": lo, "ci_high": hi, "df": df, "sd": s}


_NAMES = {"d": "cohens_d", "d_avg": "cohens_d", "g": "hedges_g", "g_avg": "hedges_g", "delta": "glass_delta"}


def _standardised(
    x, y, *, kind: str, confidence: float, ci_method: str, func: str, n_resamples: int, seed
) -> StatResult:
    confidence = check_confidence(confidence, func)
    check_choice(ci_method, "ci_method", CI_METHODS, func)
    x, dx = sample(x, "x", func)
    y, dy = sample(y, "y", func)
    s1, s2 = x.std(ddof=1), y.std(ddof=1)
    if kind == "delta":
        positive_variance(s2**2, "y", func, x, y)
    else:
        positive_variance(s1**2 + s2**2, "x and y", func, x, y)
    summary = (x.mean(), s1, x.size, y.mean(), s2, y.size)
    r = d_from_summary(
        *summary, kind=kind, confidence=confidence, ci_method="normal" if ci_method == "normal" else "nct"
    )
    lo, hi = float(r["ci_low"]), float(r["ci_high"])
    if ci_method == "bootstrap":
        from rsw_eval.stats._bootstrap import bootstrap_ci

        boot = bootstrap_ci(
            _vectorised_statistic(kind), x, y, n_resamples=n_resamples, confidence=confidence, seed=seed
        )
        lo, hi = boot.ci_low, boot.ci_high
    t = stats.ttest_ind(x, y, equal_var=kind not in ("d_avg", "g_avg"))
    sd_text = {
        "d": "pooled SD",
        "g": "pooled SD",
        "d_avg": "root mean square of the two SDs",
        "g_avg": "root mean square of the two SDs",
        "delta": "SD of y",
    }[kind]
    ci_text = {
        "nct": "CI by inverting the noncentral t",
        "normal": "normal-approximation CI (Hedges & Olkin 1985)",
        "bootstrap": f"BCa bootstrap CI ({n_resamples} resamples)",
    }
    method = f"{sd_text}; {ci_text[ci_method]}"
    if kind.startswith("g"):
        method += "; exact Hedges correction J(df)"
    return StatResult(
        _NAMES[kind],
        float(r["estimate"]),
        lo,
        hi,
        confidence,
        float(t.statistic),
        float(r["df"]),
        float(t.pvalue),
        test="Student t" if kind in ("d", "g", "delta") else "Welch t",
        method=method,
        n1=x.size,
        n2=y.size,
        n_dropped=dx + dy,
        details={"sd": float(r["sd"]), "mean_difference": x.mean() - y.mean()},
    )


def _vectorised_statistic(kind: str) -> Callable[[np.ndarray, np.ndarray], np.ndarray]:
    def statistic(x: np.ndarray, y: np.ndarray) -> np.ndarray:
        m1, m2 = x.mean(axis=-1), y.mean(axis=-1)
        s1, s2 = x.std(axis=-1, ddof=1), y.std(axis=-1, ddof=1)
        n1, n2 = x.shape[-1], y.shape[-1]
        if kind in ("d", "g"):
            s = np.sqrt(((n1 - 1) * s1**2 + (n2 - 1) * s2**2) / (n1 + n2 - 2))
            j = hedges_correction(n1 + n2 - 2) if kind == "g" else 1.0
        elif kind in ("d_avg", "g_avg"):
            s = np.sqrt((s1**2 + s2**2) / 2)
            j = 1.0
            if kind == "g_avg":
                a, b = s1**2 / n1, s2**2 / n2
                j = hedges_correction((a + b) ** 2 / (a**2 / (n1 - 1) + b**2 / (n2 - 1)))
        else:
            s, j = s2, 1.0
        with np.errstate(divide="ignore", invalid="ignore"):
            return j * (m1 - m2) / s

    return statistic


_PARAMS = """
    Parameters
    ----------
    x, y : array-like
        Treatment and comparison samples; the sign is ``x`` minus ``y``. NaNs are dropped and counted.
    {extra}confidence : float, default 0.95
        Level of the confidence interval.
    ci_method : {{"nct", "normal", "bootstrap"}}
        ``"nct"`` (default, as R effectsize) inverts the noncentral t distribution; ``"normal"`` uses
        the large-sample SE of Hedges & Olkin (1985); ``"bootstrap"`` is a BCa bootstrap.
    n_resamples : int, default 9999
        Bootstrap resamples (``ci_method="bootstrap"`` only).
    seed : int, optional
        Seed of the bootstrap.
"""


def cohens_d(
    x,
    y,
    *,
    pooled_sd: bool = True,
    confidence: float = 0.95,
    ci_method: str = "nct",
    n_resamples: int = 9999,
    seed: int | None = None,
) -> StatResult:
    """Cohen's d: the mean difference in units of the standard deviation."""
    return _standardised(
        x,
        y,
        kind="d" if pooled_sd else "d_avg",
        confidence=confidence,
        ci_method=ci_method,
        func="cohens_d",
        n_resamples=n_resamples,
        seed=seed,
    )


def hedges_g(
    x,
    y,
    *,
    pooled_sd: bool = False,
    confidence: float = 0.95,
    ci_method: str = "nct",
    n_resamples: int = 9999,
    seed: int | None = None,
) -> StatResult:
    """Hedges' g: Cohen's d with the exact small-sample bias correction."""
    return _standardised(
        x,
        y,
        kind="g" if pooled_sd else "g_avg",
        confidence=confidence,
        ci_method=ci_method,
        func="hedges_g",
        n_resamples=n_resamples,
        seed=seed,
    )


def glass_delta(
    x,
    y,
    *,
    confidence: float = 0.95,
    ci_method: str = "nct",
    n_resamples: int = 9999,
    seed: int | None = None,
) -> StatResult:
    """Glass' delta: the mean difference in units of the comparison group's (``y``) SD."""
    return _standardised(
        x,
        y,
        kind="delta",
        confidence=confidence,
        ci_method=ci_method,
        func="glass_delta",
        n_resamples=n_resamples,
        seed=seed,
    )


_POOLED = """pooled_sd : bool, default True
        True: the pooled SD (equal variances). False: the root mean square of the two SDs, with
        Welch df for the CI.
    """
cohens_d.__doc__ += (
    _PARAMS.format(extra=_POOLED)
    + """
    Returns
    -------
    StatResult
        ``name="cohens_d"``; ``statistic``, ``p_value`` from the t test (Welch when
        ``pooled_sd=False``); ``df`` that of the CI.

    Notes
    -----
    :math:`d = (\\bar x - \\bar y)/s_p`, :math:`s_p^2 = [(n_x-1)s_x^2 + (n_y-1)s_y^2]/(n_x+n_y-2)`.
    The nct CI is :math:`[\\lambda_L, \\lambda_U]\\sqrt{1/n_x + 1/n_y}` where
    :math:`\\lambda` are the noncentrality limits of :math:`t = d/\\sqrt{1/n_x+1/n_y}`
    (Steiger & Fouladi 1997). Matches R effectsize ``cohens_d``.

    References
    ----------
    Cohen J (1988). *Statistical Power Analysis for the Behavioral Sciences*, 2nd ed.

    Examples
    --------
    >>> r = cohens_d([5.1, 4.8, 6.0, 5.5, 5.9], [4.1, 4.6, 4.0, 5.2, 4.4])
    >>> round(r.estimate, 4), round(r.ci_low, 4), round(r.ci_high, 4)
    (2.0182, 0.4054, 3.5557)
"""
)
hedges_g.__doc__ += (
    _PARAMS.format(
        extra="""pooled_sd : bool, default False
        False (default): the root mean square of the two SDs, with Welch df for the CI, whose
        interval holds its level when the groups' SDs and sizes differ (94.6-95.5%,
        validation/sim_effsize.py). True: the pooled SD, R effectsize's default, exact only with
        equal variances: its interval covered 82.8-86.4% of 95% at n 10 vs 30 with SDs 2:1.
    """
    )
    + """
    Returns
    -------
    StatResult
        ``name="hedges_g"``.

    Notes
    -----
    :math:`g = J(\\nu) d` with :math:`J(\\nu) = \\Gamma(\\nu/2)/[\\sqrt{\\nu/2}\\,\\Gamma((\\nu-1)/2)]`,
    :math:`\\nu = n_x + n_y - 2`; the CI limits of d are multiplied by the same J (as R effectsize).

    References
    ----------
    Hedges LV (1981). Distribution theory for Glass's estimator of effect size and related
    estimators. *J Educ Stat* 6:107-128.

    Examples
    --------
    >>> r = hedges_g([5.1, 4.8, 6.0, 5.5, 5.9], [4.1, 4.6, 4.0, 5.2, 4.4])
    >>> round(r.estimate, 4), r.name
    (1.8208, 'hedges_g')
    >>> round(hedges_g([5.1, 4.8, 6.0, 5.5, 5.9], [4.1, 4.6, 4.0, 5.2, 4.4], pooled_sd=True).estimate, 4)
    1.8219
"""
)
glass_delta.__doc__ += (
    _PARAMS.format(extra="")
    + """
    Returns
    -------
    StatResult
        ``name="glass_delta"`` (not bias-corrected).

    Notes
    -----
    :math:`\\Delta = (\\bar x - \\bar y)/s_y`. The nct CI uses :math:`\\nu = n_y - 1` and
    :math:`h = 1/n_y + s_x^2/(n_x s_y^2)` (as R effectsize ``glass_delta``).

    Examples
    --------
    >>> r = glass_delta([5.1, 4.8, 6.0, 5.5, 5.9], [4.1, 4.6, 4.0, 5.2, 4.4])
    >>> round(r.estimate, 4)
    2.0943
"""
)
