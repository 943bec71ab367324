"""What a synthetic control can and cannot say: convex hull, uniqueness of the weights, and
intervals by conformal inference (Chernozhukov, Wuthrich & Zhu 2021).

- A treated path above (or below) every donor in some pre-period year cannot be reproduced by
  weights that are non-negative and sum to one: the fit puts all weight on the extreme donor
  and the gap carries the level difference (+30 for a true -4). :func:`outside_hull` detects it;
  the design then fits the demeaned paths (each unit minus its own pre-period mean: the
  intercept-shifted synthetic control of Doudchenko & Imbens 2016 and Ferman & Pinto 2021).
- With fewer pre-period years than donors many weight sets can fit equally well. The fitted
  pre-period path of a least-squares fit is unique, so every optimal weight set reproduces it:
  :func:`estimate_range` gives the smallest and largest post-period estimate over them (two
  linear programmes).
- :func:`conformal_interval`: under the null of a constant effect theta, the synthetic control is
  fitted on every year with the post-period outcomes shifted by theta; the residuals' moving-block
  permutations give an exact p-value when they are stationary and weakly dependent, and the
  interval is the set of theta not rejected. With T years the p-value is a multiple of 1/T, so
  the highest level is (T - 1)/T (92.3% with 13 years); the level reached is returned.
"""

from __future__ import annotations

import numpy as np

from rsw_eval.designs._simplex import simplex_lstsq
from rsw_eval.stats._checks import RELATIVE_TOL

__all__ = [
    "FIT_TOL",
    "conformal_interval",
    "estimate_range",
    "outside_hull",
    "prefit_ratio",
    "shown_interval",
]

#: A departure this small against the data's magnitude is rounding, not outside the hull.
_REL = 1e-9
#: A pre-period RMSPE this small against the data's magnitude is an exact fit: the simplex solver
#: certifies the squared error to RELATIVE_TOL of the data's, so residuals are exact only to its
#: square root (1e-5; 0/1 outcomes fitted exactly give RMSPEs of 1e-7 to 1e-9).
FIT_TOL = float(np.sqrt(RELATIVE_TOL))


def outside_hull(treated_pre: np.ndarray, donors_pre: np.ndarray) -> int:
    """Number of pre-period years in which the treated value lies outside the donors' range.

    Examples
    --------
    >>> outside_hull(np.array([3.0, 9.0]), np.array([[1.0, 2.0], [4.0, 8.0]]))
    1
    """
    tol = _REL * max(float(np.abs(donors_pre).max()), float(np.abs(treated_pre).max()), 1e-300)
    above = treated_pre > donors_pre.max(axis=0) + tol
    below = treated_pre < donors_pre.min(axis=0) - tol
    return int((above | below).sum())


def estimate_range(D_pre: np.ndarray, post_mean: np.ndarray, fitted: np.ndarray, treated_post: float):
    """Smallest and largest mean post-period gap over the weight sets that fit as well as ``fitted``.

    Parameters
    ----------
    D_pre : ndarray, shape (donors, pre-years)
        The donors' (possibly demeaned) pre-period paths.
    post_mean : ndarray, shape (donors,)
        Each donor's mean over the post-period years (same scale).
    fitted : ndarray, shape (pre-years,)
        The optimal synthetic pre-period path (unique for a least-squares fit).
    treated_post : float
        The treated mean over the post-period years.

    Returns
    -------
    (float, float)

    Examples
    --------
    >>> D_pre = np.array([[0.0, 0.0], [2.0, 2.0], [1.0, 1.0]])  # donor 3 = half of 1 and 2
    >>> lo, hi = estimate_range(D_pre, np.array([0.0, 2.0, 3.0]), np.array([1.0, 1.0]), 0.0)
    >>> round(lo, 6), round(hi, 6)
    (-3.0, -1.0)
    """
    from scipy.optimize import linprog

    k = D_pre.shape[0]
    tol = 1e-7 * max(float(np.abs(D_pre).max()), 1e-300)
    A_ub = np.vstack([D_pre.T, -D_pre.T])
    b_ub = np.r_[fitted + tol, -(fitted - tol)]
    out = []
    for sign in (1.0, -1.0):  # min and max of the synthetic post mean
        r = linprog(
            sign * post_mean, A_ub=A_ub, b_ub=b_ub, A_eq=np.ones((1, k)), b_eq=[1.0], bounds=(0, None)
        )
        out.append(treated_post - float(post_mean @ r.x) if r.success else np.nan)
    return min(out), max(out)


def conformal_interval(
    y0: np.ndarray,
    D: np.ndarray,
    post: np.ndarray,
    *,
    confidence: float = 0.95,
    demean: bool = False,
    grid_points: int = 161,
) -> dict:
    """Conformal interval for a constant post-period effect (moving-block permutations).

    Parameters
    ----------
    y0 : ndarray, shape (years,)
        Treated series.
    D : ndarray, shape (donors, years)
        Donors' series.
    post : ndarray of bool, shape (years,)
    confidence : float
        Level asked for; the level reached, :math:`1 - \\lceil \\alpha T \\rceil / T` at most
        :math:`(T-1)/T`, is returned as ``level``.
    demean : bool
        Fit the demeaned synthetic control (each series minus its mean over the fitted years).
    grid_points : int
        Thetas tested, over the estimate +- 8 times the largest of the residuals, the estimate and
        the treated series' SD (widened up to twice, eightfold, until the set is bounded).

    Returns
    -------
    dict
        ``ci_low``, ``ci_high``, ``level``, ``p_value`` (of theta = 0), ``blocks`` (T),
        ``unbounded`` (True when the donors reproduce every hypothesised path so closely that no
        effect is rejected: the limits are then NaN).

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> D = rng.normal(size=(8, 20)) + np.linspace(0, 3, 20)
    >>> post = np.arange(20) >= 14
    >>> y0 = D[:3].mean(axis=0) + rng.normal(0, 0.1, 20) - 2.0 * post
    >>> r = conformal_interval(y0, D, post)
    >>> bool(r["ci_low"] < -2.0 < r["ci_high"]), r["level"]
    (True, 0.95)
    """
    T = y0.size
    n_post = int(post.sum())
    alpha = 1 - confidence
    reject_at = max(int(np.ceil(alpha * T - 1e-9)), 1)  # p <= reject_at / T rejects
    level = 1 - reject_at / T

    def residuals(thetas: np.ndarray) -> np.ndarray:
        b = y0[None, :] - np.outer(thetas, post)
        A = D.T
        if demean:
            b = b - b.mean(axis=1, keepdims=True)
            A = A - A.mean(axis=0, keepdims=True)
        w = simplex_lstsq(A, b).weights
        return b - w @ A.T

    def p_values(thetas: np.ndarray) -> np.ndarray:
        u = np.abs(residuals(thetas))  # (grid, T)
        shifts = np.stack([np.roll(u, -j, axis=1)[:, post].sum(axis=1) for j in range(T)], axis=1)
        return (shifts >= shifts[:, :1] - 1e-12 * np.abs(shifts[:, :1])).mean(axis=1)

    fit0 = residuals(np.zeros(1))[0]
    est = float(fit0[post].mean())
    out = {"level": level, "p_value": float(p_values(np.zeros(1))[0]), "blocks": T, "n_post": n_post}
    spread = 8 * max(float(np.abs(fit0).max()), abs(est), float(np.std(y0)), 1e-12)
    for _ in range(3):  # widen the grid until the set is bounded on it
        grid = np.linspace(est - spread, est + spread, grid_points)
        keep = p_values(grid) > reject_at / T + 1e-12
        if not (keep[0] or keep[-1]):
            break
        spread *= 8
    if not keep.any() or keep[0] or keep[-1]:
        return {**out, "ci_low": np.nan, "ci_high": np.nan, "unbounded": bool(keep.any())}
    idx = np.flatnonzero(keep)
    ends = []
    for inner, outer in ((idx[0], idx[0] - 1), (idx[-1], idx[-1] + 1)):
        a, b = grid[inner], grid[outer]
        fine = np.linspace(a, b, 41)
        ok = p_values(fine) > reject_at / T + 1e-12
        ends.append(fine[max(int(np.argmin(ok)) - 1, 0)] if not ok.all() else b)
    return {**out, "ci_low": float(ends[0]), "ci_high": float(ends[1]), "unbounded": False}


def shown_interval(conf: dict, estimate: float) -> tuple[dict, str]:
    """The conformal result as the row may show it: an interval that excludes the row's own
    estimate is no interval around it, and is withheld with its p-value (same procedure).

    The conformal set refits the weights on every year under each hypothesised effect; with
    non-unique weights or an outcome of few distinct values (a 0/1 indicator) that refit need not
    agree with the pre-period fit the estimate comes from, and the set of effects not rejected can
    lie beside the estimate (Hull's 0/1 indicator: [-1.50, -2e-14] around 0.0833).

    Returns
    -------
    (dict, str)
        ``conf`` with ``ci_low``, ``ci_high`` and ``p_value`` NaN when withheld, and the reason
        ("" when shown).

    Examples
    --------
    >>> conf, why = shown_interval({"ci_low": -1.5, "ci_high": -2e-14, "p_value": 0.5}, 0.0833)
    >>> conf["ci_low"], conf["p_value"], why[:40]
    (nan, nan, 'no interval: the effects the conformal t')
    >>> shown_interval({"ci_low": -1.0, "ci_high": 1.0, "p_value": 0.5}, 0.2)[1]
    ''
    """
    lo, hi = conf["ci_low"], conf["ci_high"]
    if not (np.isfinite(lo) and np.isfinite(hi)):
        return conf, ""
    tol = _REL * max(abs(lo), abs(hi), abs(estimate), 1e-300)
    if lo - tol <= estimate <= hi + tol:
        return conf, ""
    why = (
        f"no interval: the effects the conformal test does not reject ({lo:.3g} to {hi:.3g}) exclude "
        f"the estimate {estimate:.3g} (the refit on every year does not reproduce the pre-period fit: "
        "non-unique weights or an outcome of few distinct values), so they are no interval around it"
    )
    return {**conf, "ci_low": np.nan, "ci_high": np.nan, "p_value": np.nan}, why


def prefit_ratio(pre_rmspe: float, placebo_pre: np.ndarray, scale: float, year: int) -> tuple[float, str]:
    """The treated pre-period RMSPE against the donors' median (each fitted by the others), and
    the note's words. An RMSPE below :data:`FIT_TOL` times the data's magnitude ``scale`` is an
    exact fit (the solver's tolerance, not a size): no ratio when the donors fit one another
    exactly (a ratio of two solver-tolerance zeros is not a measure of fit), and a treated
    authority that fits exactly is said to.

    Examples
    --------
    >>> ratio, text = prefit_ratio(1.08, np.array([0.0, 8.8e-15, 0.0]), 10.0, 2016)
    >>> ratio, "the donors fit one another exactly before 2016" in text
    (nan, True)
    >>> ratio, text = prefit_ratio(1e-7, np.array([1e-9, 2e-9]), 1.0, 2016)
    >>> ratio, "fits exactly, as do the donors" in text
    (nan, True)
    >>> prefit_ratio(1.0, np.array([0.5, 0.5]), 10.0, 2016)[0]
    2.0
    """
    median = float(np.median(placebo_pre)) if np.size(placebo_pre) else np.nan
    zero = FIT_TOL * max(scale, 1e-300)
    if not np.isfinite(median):
        return np.nan, f"pre-period RMSPE {pre_rmspe:.3g}"
    if median <= zero and pre_rmspe <= zero:
        return np.nan, (
            "pre-period RMSPE 0 (to the solver's tolerance): the treated authority fits exactly, as do "
            f"the donors (they fit one another exactly before {year}), so there is no ratio to them"
        )
    if median <= zero:
        return np.nan, (
            f"pre-period RMSPE {pre_rmspe:.3g}; the donors fit one another exactly before {year} (their "
            "median RMSPE is 0), so the treated fit has no ratio to them"
        )
    if pre_rmspe <= zero:
        return 0.0, (
            f"pre-period RMSPE 0 (to the solver's tolerance): an exact fit before {year}, against the "
            f"donors' median of {median:.3g} when each is fitted by the others"
        )
    ratio = float(pre_rmspe / median)
    return ratio, (
        f"pre-period RMSPE {pre_rmspe:.3g} ({ratio:.2f} times the donors' median when each is fitted by the "
        "others)"
    )
