"""Fixed-length confidence intervals under smoothness restrictions on the trend (Delta^SD(M)).

Rambachan & Roth (2023) bound how far the difference in trends may bend between consecutive
periods: :math:`|(\\delta_{t+1}-\\delta_t) - (\\delta_t-\\delta_{t-1})| \\le M`, with
:math:`\\delta_0 = 0` in the reference period. M = 0 allows exactly linear trends; larger M
allows curvature. Over the affine estimators :math:`a'\\hat\\beta` that ignore linear trends, the
fixed-length interval :math:`a'\\hat\\beta \\pm \\sigma_a\\,\\mathrm{cv}_\\alpha(b_a/\\sigma_a)`
(:math:`b_a` the worst-case bias, :math:`\\mathrm{cv}_\\alpha(r)` the :math:`1-\\alpha` quantile of
:math:`|N(r,1)|`) is made as short as possible (Armstrong & Kolesar 2018; R ``HonestDiD``'s
default for Delta^SD, ``method = "FLCI"``).
"""

from __future__ import annotations

import numpy as np
from scipy import special, stats

__all__ = ["flci", "folded_normal_quantile", "trend_basis"]


def trend_basis(n_pre: int, n_post: int) -> tuple[np.ndarray, np.ndarray]:
    """Event times and the map from second differences to the trend.

    Every trend with :math:`\\delta_0 = 0` is :math:`\\delta = c\\,t + G d`, with ``t`` the event
    times (``-n_pre..-1, 1..n_post``), ``c`` its slope into the first post-period and ``d`` its
    second differences at ``-n_pre+1..n_post-1``.

    Examples
    --------
    >>> t, G = trend_basis(2, 2)
    >>> t.tolist(), G.tolist()
    ([-2, -1, 1, 2], [[1.0, 2.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 0.0], [0.0, 0.0, 1.0]])
    """
    t = np.r_[np.arange(-n_pre, 0), np.arange(1, n_post + 1)]
    ks = np.arange(-n_pre + 1, n_post)
    T, K = np.meshgrid(t, ks, indexing="ij")
    G = np.where((T > 0) & (K >= 1) & (K <= T - 1), T - K, 0) + np.where(
        (T < 0) & (K > T) & (K <= 0), K - T, 0
    )
    return t, G.astype(float)


def folded_normal_quantile(r: float, alpha: float) -> float:
    """The 1 - alpha quantile of |N(r, 1)|.

    Examples
    --------
    >>> round(folded_normal_quantile(0.0, 0.05), 4), round(folded_normal_quantile(3.0, 0.05), 4)
    (1.96, 4.6449)
    """
    r = abs(float(r))
    target = 1 - alpha
    c = max(r + special.ndtri(target), special.ndtri(1 - alpha / 2))  # Newton from above (convex)
    for _ in range(50):
        f = special.ndtr(c - r) - special.ndtr(-c - r) - target
        step = f / (np.exp(-0.5 * (c - r) ** 2) + np.exp(-0.5 * (c + r) ** 2)) * np.sqrt(2 * np.pi)
        c -= step
        if abs(step) < 1e-13 * max(1.0, c):
            break
    return float(c)


def _cv_and_slope(r: float, alpha: float) -> tuple[float, float]:
    """cv_alpha(r) and its derivative in r (implicit function theorem)."""
    c = folded_normal_quantile(r, alpha)
    up, down = stats.norm.pdf(c - r), stats.norm.pdf(-c - r)
    return c, (up - down) / max(up + down, 1e-300)


def _shortest(M, sigma, t, G, l_vec, n_pre, alpha, w0):
    """Pre-period weights of the shortest fixed-length interval, from ``w0``.

    The half-length :math:`\\sigma_a \\mathrm{cv}_\\alpha(b_a/\\sigma_a)` is the perspective of a
    convex function composed with the convex bias and SD, so it is convex in the weights: one
    SLSQP run with the bias's absolute values split (``u >= |G'a|``) finds its minimum.
    """
    a_post = np.r_[np.zeros(n_pre), l_vec]
    E = np.r_[np.eye(n_pre), np.zeros((l_vec.size, n_pre))]  # a = E w + a_post
    # second differences at k <= 0 depend on the pre-period weights only, those at k >= 1 on the
    # post-period ones only (a constant part of the bias): split only the first n_pre
    from scipy import optimize  # lazy: only smoothness bounds need it

    K = n_pre
    GE, Ga = (G.T @ E)[:K], (G.T @ a_post)[:K]
    fixed = float(np.abs((G.T @ a_post)[K:]).sum())

    def fun(x):
        a = E @ x[:n_pre] + a_post
        var = max(float(a @ sigma @ a), 1e-300)
        sd = np.sqrt(var)
        bias = M * (x[n_pre:].sum() + fixed)
        c, slope = _cv_and_slope(bias / sd, alpha)
        d_sd = (c - slope * bias / sd) * (E.T @ sigma @ a) / sd  # d(sd * cv)/dw
        return sd * c, np.r_[d_sd, np.full(K, M * slope)]

    cons = [
        {
            "type": "ineq",
            "fun": lambda x: x[n_pre:] - GE @ x[:n_pre] - Ga,
            "jac": lambda x: np.c_[-GE, np.eye(K)],
        },
        {
            "type": "ineq",
            "fun": lambda x: x[n_pre:] + GE @ x[:n_pre] + Ga,
            "jac": lambda x: np.c_[GE, np.eye(K)],
        },
        {
            "type": "eq",
            "fun": lambda x: t @ (E @ x[:n_pre] + a_post),
            "jac": lambda x: np.r_[t @ E, np.zeros(K)],
        },
    ]
    x0 = np.r_[w0, np.abs(GE @ w0 + Ga)]
    res = optimize.minimize(
        fun, x0, jac=True, constraints=cons, method="SLSQP", options={"maxiter": 1000, "ftol": 1e-13}
    )
    return res.x[:n_pre]


def flci(
    betahat: np.ndarray,
    sigma: np.ndarray,
    n_pre: int,
    n_post: int,
    M: float,
    *,
    l_vec=None,
    alpha: float = 0.05,
) -> tuple[float, float]:
    """Optimal fixed-length interval for ``l' tau_post`` under Delta^SD(M).

    Parameters
    ----------
    betahat : ndarray, shape (n_pre + n_post,)
        Event-study coefficients, pre-periods first, the reference period (0) left out.
    sigma : ndarray, shape (n_pre + n_post, n_pre + n_post)
        Their covariance.
    n_pre, n_post : int
    M : float
        Largest change in slope allowed between consecutive periods.
    l_vec : ndarray, shape (n_post,), optional
        Weights of the post-period effects in the target (default: the first post-period).
    alpha : float

    Returns
    -------
    (float, float)
        Lower and upper limit.

    Examples
    --------
    >>> b = np.array([0.0, 0.0, 1.0])
    >>> lo, hi = flci(b, np.eye(3) * 0.01, 2, 1, 0.0)
    >>> round(lo, 3), round(hi, 3)  # linear extrapolation from the two pre-periods
    (0.785, 1.215)
    """
    betahat = np.asarray(betahat, float)
    sigma = np.asarray(sigma, float)
    l_vec = np.r_[1.0, np.zeros(n_post - 1)] if l_vec is None else np.asarray(l_vec, float)
    t, G = trend_basis(n_pre, n_post)
    a_post = np.r_[np.zeros(n_pre), l_vec]
    E = np.r_[np.eye(n_pre), np.zeros((n_post, n_pre))]

    def length(w):
        a = E @ w + a_post
        sd = float(np.sqrt(max(a @ sigma @ a, 0.0)))
        bias = M * float(np.abs(G.T @ a).sum())
        if sd <= 0:
            return bias + 0.0, a
        return sd * folded_normal_quantile(bias / sd, alpha), a

    # the minimum-variance estimator that ignores linear trends (M = 0), by its KKT system
    tp = t[:n_pre]
    S = sigma[:n_pre, :n_pre]
    rhs = np.r_[-sigma[:n_pre, n_pre:] @ l_vec, -t[n_pre:] @ l_vec]
    kkt = np.block([[S, tp[:, None]], [tp[None, :], np.zeros((1, 1))]])
    w_var = np.linalg.lstsq(kkt, rhs, rcond=None)[0][:n_pre]
    half, a = length(w_var)
    if M > 0:
        half_opt, a_opt = length(_shortest(M, sigma, t, G, l_vec, n_pre, alpha, w_var))
        if half_opt < half:
            half, a = half_opt, a_opt
    centre = float(a @ betahat)
    return centre - half, centre + half
