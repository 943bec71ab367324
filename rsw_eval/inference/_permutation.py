"""Exact permutation (placebo) p-values and the confidence a placebo distribution can support."""

from __future__ import annotations

import numpy as np

__all__ = ["attainable_confidence", "rank_p_value"]

#: Relative tolerance for ties between the observed statistic and a placebo (floating-point noise
#: must not turn a tie into a strict inequality).
TIE_TOLERANCE = 1e-12


def rank_p_value(observed, placebos, *, alternative: str = "two-sided") -> np.ndarray:
    """Exact randomisation p-value: the rank of the observed statistic among itself and its placebos.

    Parameters
    ----------
    observed : array_like, shape (...)
        The statistic of the treated unit (one per case).
    placebos : array_like, shape (..., k)
        The same statistic for each of k placebo units (last axis); NaNs are left out.
    alternative : {"two-sided", "greater", "less"}
        Two-sided compares absolute values.

    Returns
    -------
    ndarray, shape (...)
        :math:`p = (1 + \\#\\{j: T_j \\ge T\\}) / (1 + k)`; the smallest attainable value is
        :math:`1/(k+1)`. Under exchangeability of the treated and placebo units the test has size
        at most alpha for every alpha (exact, not asymptotic).

    References
    ----------
    Abadie, Diamond & Hainmueller (2010), JASA 105(490); Conley & Taber (2011), REStat 93(1).

    Examples
    --------
    >>> float(rank_p_value(3.0, [0.5, -1.0, 2.0, -4.0]))
    0.4
    >>> float(rank_p_value(5.0, [0.5, -1.0, 2.0, -4.0]))
    0.2
    """
    if alternative not in ("two-sided", "greater", "less"):
        raise ValueError(
            f"alternative must be 'two-sided', 'greater' or 'less'. Got {alternative!r} instead."
        )
    t = np.asarray(observed, dtype=float)
    z = np.asarray(placebos, dtype=float)
    if alternative == "two-sided":
        t, z = np.abs(t), np.abs(z)
    elif alternative == "less":
        t, z = -t, -z
    ok = np.isfinite(z)
    k = ok.sum(axis=-1)
    ge = (np.where(ok, z, -np.inf) >= t[..., None] - TIE_TOLERANCE * np.abs(t[..., None])).sum(axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = (1 + ge) / (1 + k)
    return np.where(np.isfinite(t) & (k > 0), p, np.nan)


def attainable_confidence(k: int) -> float:
    """The highest two-sided confidence a placebo distribution of k comparators can support.

    With one treated unit and k placebos the smallest exact two-sided p is 1/(k+1); an interval
    by test inversion at level 1 - alpha exists only when alpha >= 2/(k+1) for equal tails,
    that is level <= (k-1)/(k+1). With 10 comparators that is 9/11 = 81.8%: no 95% interval exists.

    Examples
    --------
    >>> round(attainable_confidence(10), 4), round(attainable_confidence(150), 4)
    (0.8182, 0.9868)
    """
    if k < 1:
        return 0.0
    return (k - 1) / (k + 1)
