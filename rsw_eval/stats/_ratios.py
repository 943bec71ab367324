"""Ratios of means and percent changes (costs, counts, indicators) on the log scale."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from scipy import stats

from rsw_eval.stats._checks import check_confidence, negligible, positive, sample, z_crit
from rsw_eval.stats._result import StatResult

__all__ = ["percent_change", "ratio_of_means"]


def ratio_of_means(x, y, *, confidence: float = 0.95, adjust: bool = False) -> StatResult:
    """Ratio of means ``mean(x) / mean(y)`` of two positive samples with a log-scale CI.

    Parameters
    ----------
    x, y : array-like
        Treatment and comparison samples of a positive quantity (NaNs dropped and counted).
    confidence : float, default 0.95
        Level of the CI.
    adjust : bool, default False
        Apply Lajeunesse's (2015) small-sample bias correction to the log ratio.

    Returns
    -------
    StatResult
        ``name="ratio_of_means"``; ``statistic`` is z for log ratio = 0.

    Notes
    -----
    :math:`\\log R = \\log\\bar x - \\log\\bar y`,
    :math:`SE = \\sqrt{s_x^2/(n_x\\bar x^2) + s_y^2/(n_y\\bar y^2)}` (delta method; Hedges, Gurevitch
    & Curtis 1999, the "response ratio"); CI :math:`\\exp(\\log R \\pm z\\,SE)`. With ``adjust`` the
    log ratio gains :math:`\\tfrac12[s_x^2/(n_x\\bar x^2) - s_y^2/(n_y\\bar y^2)]` (Lajeunesse 2015).

    Examples
    --------
    >>> r = ratio_of_means([12.0, 15.0, 11.0, 14.0], [6.0, 5.0, 7.0, 6.0])
    >>> round(r.estimate, 4)
    2.2
    """
    func = "ratio_of_means"
    confidence = check_confidence(confidence, func)
    x, dx = sample(x, "x", func)
    y, dy = sample(y, "y", func)
    mx, my = x.mean(), y.mean()
    if mx <= 0 or my <= 0:
        raise ValueError(f"{func} needs positive means. Got mean(x)={mx:g}, mean(y)={my:g}.")
    vx, vy = x.var(ddof=1) / (x.size * mx**2), y.var(ddof=1) / (y.size * my**2)
    log_r = np.log(mx / my) + (0.5 * (vx - vy) if adjust else 0.0)
    se = np.sqrt(vx + vy)
    return _log_result(
        "ratio_of_means",
        log_r,
        se,
        confidence,
        n1=x.size,
        n2=y.size,
        n_dropped=dx + dy,
        method="delta-method SE of the log ratio, normal CI"
        + ("; Lajeunesse (2015) bias correction" if adjust else ""),
    )


def percent_change(
    before,
    after,
    *,
    se_before: float | None = None,
    se_after: float | None = None,
    counts: bool = False,
    confidence: float = 0.95,
) -> StatResult:
    """Percent change from ``before`` to ``after``, with a CI where the inputs allow.

    Parameters
    ----------
    before, after : float or array-like
        Two totals (e.g. cost in 2008-09 and 2009-10, looked-after children in 2006 and 2010), or
        two samples of positive values (then the ratio of their means, see :func:`ratio_of_means`).
    se_before, se_after : float, optional
        Standard errors of the two totals (independent); give both for a CI.
    counts : bool, default False
        Treat the totals as Poisson counts (SE = sqrt(count)), as for numbers of children.
    confidence : float, default 0.95
        Level of the CI.

    Returns
    -------
    StatResult
        ``name="percent_change"``: :math:`100(a/b - 1)` with CI
        :math:`100(\\exp(\\log(a/b) \\pm z\\,SE) - 1)`, :math:`SE = \\sqrt{(se_a/a)^2 + (se_b/b)^2}`
        (for counts :math:`\\sqrt{1/a + 1/b}`). Without SEs the CI is NaN and ``reason`` says why.

    Examples
    --------
    >>> r = percent_change(470, 314, counts=True)   # looked-after children, 2006 -> 2010
    >>> round(r.estimate, 2), round(r.ci_low, 2), round(r.ci_high, 2)
    (-33.19, -42.08, -22.93)
    """
    func = "percent_change"
    confidence = check_confidence(confidence, func)
    if np.ndim(before) == 0 and np.ndim(after) == 0:
        b, a = positive(before, "before", func), positive(after, "after", func)
        log_r = np.log(a / b)
        if counts:
            se, how = np.sqrt(1 / a + 1 / b), "Poisson counts, SE of log ratio sqrt(1/a + 1/b)"
        elif se_before is not None and se_after is not None:
            sb, sa = float(se_before), float(se_after)
            if sb < 0 or sa < 0:
                raise ValueError(
                    f"The standard errors given to {func} must be >= 0. Got se_before={sb}, se_after={sa}."
                )
            se, how = np.hypot(sa / a, sb / b), "delta-method SE of the log ratio from given SEs"
        else:
            return StatResult(
                "percent_change",
                100 * (a / b - 1),
                ci_level=confidence,
                test="",
                method="totals without standard errors: no CI",
                reason="no CI: give se_before and se_after, or counts=True",
                details={"before": b, "after": a, "ratio": a / b},
            )
        result = _log_result("percent_change", log_r, se, confidence, method=how, scale="percent")
        return replace(result, details={"before": b, "after": a, "ratio": a / b, "se_log": se})
    ratio = ratio_of_means(after, before, confidence=confidence)
    if not ratio.valid:
        return replace(ratio, name="percent_change", estimate=100 * (ratio.estimate - 1))
    return StatResult(
        "percent_change",
        100 * (ratio.estimate - 1),
        100 * (ratio.ci_low - 1),
        100 * (ratio.ci_high - 1),
        confidence,
        ratio.statistic,
        np.nan,
        ratio.p_value,
        test=ratio.test,
        method="ratio of sample means (after/before); " + ratio.method,
        n1=ratio.n2,
        n2=ratio.n1,
        n_dropped=ratio.n_dropped,
    )


def _log_result(
    name: str, log_r: float, se: float, confidence: float, *, method: str, scale: str = "ratio", **kwargs
) -> StatResult:
    # no variation (to within rounding: the SE of a log ratio is scale-free, so relative to 1): a
    # zero-width "interval" and p = 0 or NaN would claim certainty
    if negligible(se, [1.0, log_r]):
        est = float(np.exp(log_r))
        return StatResult.invalid(
            name,
            "zero standard error (the values do not vary), so no interval or test exists",
            estimate=100 * (est - 1) if scale == "percent" else est,
            ci_level=confidence,
            test="z (log scale)",
            **kwargs,
        )
    z = z_crit(confidence)
    lo, hi = np.exp(log_r - z * se), np.exp(log_r + z * se)
    est = np.exp(log_r)
    if scale == "percent":
        est, lo, hi = 100 * (est - 1), 100 * (lo - 1), 100 * (hi - 1)
    stat = log_r / se if se > 0 else np.nan
    return StatResult(
        name,
        float(est),
        float(lo),
        float(hi),
        confidence,
        float(stat),
        np.nan,
        float(2 * stats.norm.sf(abs(stat))),
        test="z (log scale)",
        method=method,
        **kwargs,
    )
