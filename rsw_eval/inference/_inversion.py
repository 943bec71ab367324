"""Confidence intervals by inverting an exact permutation test whose statistics are linear in the effect.

Designs on the authority panel (difference-in-differences, comparative interrupted time series,
cost change) compare a treated authority with placebos. Under the null "the effect is delta" the
treated authority's outcome is shifted by delta, which moves every statistic linearly:
:math:`T_j(\\delta) = (u_j + v_j \\delta) / s_j`, with j = 0 the observed assignment. The interval
is the set of delta the test does not reject, so the interval and the p-value always agree, and its
level is the exact coverage of the test: :math:`1 - c/(k+1)` with k placebos.
"""

from __future__ import annotations

import math

import numpy as np

from rsw_eval.inference._permutation import rank_p_value

__all__ = ["achieved_level", "invert_permutation"]


def _rejections_allowed(k, confidence: float):
    """c = floor((1 - confidence)(k + 1)), at least 1 (an interval needs one placebo to stop it)."""
    c = np.floor((1 - confidence) * (np.asarray(k) + 1) + 1e-9).astype(int)
    return np.maximum(c, 1)


def achieved_level(k: int, confidence: float = 0.95) -> float:
    """Exact level of the interval obtained by inverting a two-sided permutation test with k placebos.

    The test rejects when the treated statistic is among the c most extreme of the k + 1, with
    :math:`c = \\lfloor (1 - \\text{confidence})(k + 1) \\rfloor`; the interval (effects not rejected)
    then covers with probability exactly :math:`1 - c/(k+1)` under exchangeability, the nearest level
    at or above ``confidence``. With fewer than :math:`1/(1 - \\text{confidence}) - 1` placebos no
    interval reaches ``confidence``; the highest one there is, :math:`k/(k+1)`, is returned.

    Parameters
    ----------
    k : int
        Number of placebos (comparators, donors or other assignments).
    confidence : float
        Level asked for.

    Returns
    -------
    float
        The level the interval really has (NaN for k < 1).

    Notes
    -----
    This is the level of the interval for a two-sided test on the *absolute* statistic. An
    equal-tailed interval (each tail at most half the error) reaches only
    :func:`~rsw_eval.inference.attainable_confidence`, :math:`(k-1)/(k+1)`.

    Examples
    --------
    >>> round(achieved_level(10), 4), round(achieved_level(140), 4), round(achieved_level(19), 4)
    (0.9091, 0.9504, 0.95)
    """
    if k < 1:
        return math.nan
    return float(1 - _rejections_allowed(k, confidence) / (k + 1))


def _sets(u, v, s, u0, v0, s0):
    """Each placebo's set of delta where |T_j| >= |T_0|: roots of (T_j - T_0)(T_j + T_0) and the sign
    of its leading coefficient (negative: the set is the closed interval between the roots)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        a_j, b_j = u / s, v / s
        a_0, b_0 = u0 / s0, v0 / s0
        r1 = -(a_j - a_0) / (b_j - b_0)
        r2 = -(a_j + a_0) / (b_j + b_0)
        lead = b_j**2 - b_0**2
    return np.minimum(r1, r2), np.maximum(r1, r2), lead


def _cth(x: np.ndarray, c: np.ndarray) -> np.ndarray:
    """The c-th smallest value of each row (a partition when c is the same for every row)."""
    if x.shape[-1] == 0:
        return np.full(x.shape[0], np.nan)
    pick = np.minimum(c, x.shape[-1]) - 1
    if pick.size and np.all(pick == pick[0]):
        return np.partition(x, pick[0], axis=-1)[:, pick[0]]
    return np.take_along_axis(np.sort(x, axis=-1), pick[:, None], axis=-1)[:, 0]


def _general_hull(u, v, s, u0, v0, s0, c, star) -> tuple[float, float]:
    """Hull of {delta: #placebos with |T_j| >= |T_0| is >= c} for one case, when some placebo's set
    is unbounded. Each set is closed: [l, h] (leading coefficient < 0), (-inf, l] U [h, inf) (> 0),
    or a half-line (= 0; the side that holds the estimate ``star``). The count is evaluated at every
    root by binary search over the sorted ends (O(k log k)); the set's ends are roots or infinite.
    """
    lo, hi, lead = _sets(u, v, s, u0, v0, s0)
    flat = lead == 0
    root = np.where(np.isfinite(lo), lo, hi)  # a half-line's one finite root
    lo = np.where(flat & (star < root), -np.inf, np.where(flat, root, lo))
    hi = np.where(flat & (star < root), root, np.where(flat, np.inf, hi))
    inner = lead <= 0
    l_in, h_in = np.sort(lo[inner]), np.sort(hi[inner])
    l_out, h_out = np.sort(lo[~inner]), np.sort(hi[~inner])
    cand = np.unique(np.r_[lo[np.isfinite(lo)], hi[np.isfinite(hi)], star])
    count = (
        np.searchsorted(l_in, cand, side="right")
        - np.searchsorted(h_in, cand, side="left")
        + (l_out.size - np.searchsorted(l_out, cand, side="left"))
        + np.searchsorted(h_out, cand, side="right")
    )
    ok = cand[count >= c]
    up = int(np.isposinf(h_in).sum()) + l_out.size  # sets that hold +infinity
    down = int(np.isneginf(l_in).sum()) + l_out.size
    low = -np.inf if down >= c else (ok.min() if ok.size else np.nan)
    high = np.inf if up >= c else (ok.max() if ok.size else np.nan)
    return float(low), float(high)


def invert_permutation(u, v, s, *, confidence: float = 0.95) -> dict[str, np.ndarray]:
    """Exact permutation p-value and the interval of effects it does not reject, for many cases at once.

    Parameters
    ----------
    u, v, s : array_like, shape (..., m)
        Statistic j at effect delta is :math:`(u_j + v_j \\delta) / s_j`; index 0 (last axis) is the
        observed assignment, 1..m-1 the placebos. ``u`` is the statistic's numerator at delta = 0,
        ``v`` how it moves with delta (-1 for the observed difference of the treated), ``s`` a
        positive scale that does not depend on delta (1 for an unstudentised statistic). Placebos
        with a non-finite value are left out.
    confidence : float
        Level asked for; see :func:`achieved_level` for the level obtained.

    Returns
    -------
    dict of ndarray, shape (...)
        ``estimate`` (the delta at which the observed statistic is 0), ``p_value`` (two-sided,
        :math:`(1 + \\#\\{j: |T_j| \\ge |T_0|\\})/(k+1)` at delta = 0), ``ci_low``, ``ci_high``,
        ``level`` (the interval's exact level) and ``k`` (placebos used). 0 is in the interval if and
        only if ``p_value > 1 - level``.

    Notes
    -----
    Every placebo's set :math:`\\{\\delta: |T_j(\\delta)| \\ge |T_0(\\delta)|\\}` contains the estimate
    (where :math:`T_0 = 0`). When each set is bounded (always, unless a placebo's scale is far
    below the treated's), the sets are intervals around the estimate and the non-rejected effects
    form the interval from the c-th smallest lower end to the c-th largest upper end, found by a
    sort; otherwise the count is evaluated at every root and the hull reported (possibly infinite).

    References
    ----------
    Fisher (1935); Imbens & Rubin (2015), ch. 5 (Fisher intervals by test inversion);
    Conley & Taber (2011), REStat 93(1).

    Examples
    --------
    One treated authority (change -3) and four comparators, unstudentised (s = 1), each placebo
    compared with the mean of the other four units (so it moves by delta/4):

    >>> change = np.array([-3.0, 0.5, -0.5, 1.0, 0.0])
    >>> k = 4
    >>> u = change - (change.sum() - change) / k
    >>> v = np.r_[-1.0, np.full(k, 1 / k)]
    >>> r = invert_permutation(u, v, np.ones(5), confidence=0.8)
    >>> float(r["p_value"]), float(r["level"]), float(r["estimate"])
    (0.2, 0.8, -3.25)
    >>> bool(r["ci_low"] < -3.25 < r["ci_high"] < 0)
    True
    """
    u, v, s = np.broadcast_arrays(*(np.asarray(a, dtype=float) for a in (u, v, s)))
    shape, m = u.shape[:-1], u.shape[-1] - 1
    u, v, s = (a.reshape(-1, m + 1) for a in (u, v, s))
    u0, v0, s0 = u[:, 0], v[:, 0], s[:, 0]
    uj, vj, sj = u[:, 1:], v[:, 1:], s[:, 1:]
    ok = np.isfinite(uj) & np.isfinite(vj) & np.isfinite(sj) & (sj > 0)
    k = ok.sum(axis=-1)
    with np.errstate(divide="ignore", invalid="ignore"):
        t0 = u0 / s0
        p = rank_p_value(t0, np.where(ok, uj / sj, np.nan))
        estimate = -u0 / v0
    c = _rejections_allowed(k, confidence)
    lo, hi, lead = _sets(uj, vj, sj, u0[:, None], v0[:, None], s0[:, None])
    lo, hi = np.where(ok, lo, np.inf), np.where(ok, hi, -np.inf)
    ci_low, ci_high = _cth(lo, c), -_cth(-hi, c)
    for i in np.flatnonzero((np.where(ok, lead, -1.0) >= 0).any(axis=-1)):
        sel = ok[i]
        ci_low[i], ci_high[i] = _general_hull(
            uj[i, sel], vj[i, sel], sj[i, sel], u0[i], v0[i], s0[i], int(c[i]), float(estimate[i])
        )
    valid = (k >= 1) & np.isfinite(t0) & (s0 > 0)
    has_ci = valid & (k >= c)
    out = {
        "estimate": np.where(np.isfinite(u0), estimate, np.nan),
        "p_value": np.where(valid, p, np.nan),
        "ci_low": np.where(has_ci, ci_low, np.nan),
        "ci_high": np.where(has_ci, ci_high, np.nan),
        "level": np.where(valid, 1 - c / (k + 1), np.nan),
        "k": k,
    }
    return {name: a.reshape(shape) for name, a in out.items()}
