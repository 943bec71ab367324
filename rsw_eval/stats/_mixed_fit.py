"""Nested random-intercept models fitted from cluster summaries, in time and memory linear in n.

Model: :math:`y = X\\beta + Z_o u + Z_i v + e`, :math:`u \\sim N(0, \\sigma_o^2)` per outer cluster
(authority), :math:`v \\sim N(0, \\sigma_i^2)` per inner cluster (unit, nested in an outer one),
:math:`e \\sim N(0, \\sigma^2)`. The marginal covariance is block diagonal by outer cluster; with
:math:`\\tau = \\sigma_\\cdot^2/\\sigma^2` and :math:`H = V/\\sigma^2`, each inner block is
:math:`I + \\tau_i J` with inverse :math:`I - \\gamma_j J`, :math:`\\gamma_j = \\tau_i/(1 + n_j\\tau_i)`,
and each outer block adds :math:`\\tau_o 11'` (Woodbury). So for :math:`W = [X, y]`

.. math::

    W'H^{-1}W = W'W - \\sum_j \\gamma_j s_j s_j' - \\sum_a \\frac{\\tau_o t_a t_a'}{1 + \\tau_o m_a},
    \\qquad \\log|H| = \\sum_j \\log(1 + n_j\\tau_i) + \\sum_a \\log(1 + \\tau_o m_a),

with :math:`s_j` the column sums of :math:`W` in inner cluster :math:`j`,
:math:`t_a = \\sum_{j \\in a} s_j/(1 + n_j\\tau_i)` and :math:`m_a = \\sum_{j \\in a} n_j/(1 + n_j\\tau_i)`.
Only :math:`W'W` and the per-cluster sums are kept: one pass over the data, then every likelihood
evaluation costs O(number of clusters). REML and ML are profiled over :math:`\\sigma^2` and
maximised over :math:`\\theta = \\sqrt{\\tau} \\ge 0` (lme4's parametrisation, bounds included).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import optimize

__all__ = [
    "ClusterSummary",
    "NestedFit",
    "fit_nested",
    "one_blas_thread",
    "satterthwaite_df",
    "summarise",
]

_LOG2PI = float(np.log(2 * np.pi))
THETA_MAX = 1e3
_WALL = 1e30  # deviance returned where the likelihood cannot be evaluated (keeps the optimiser out)


def one_blas_thread():
    """Context in which BLAS runs on one thread: these fits make thousands of calls on 2 x 2 to
    3 x 3 matrices, where OpenBLAS's thread start-up dominates (a 184-row fit: 0.24 s with 2
    threads, 0.08 s with 1; benchmarks/README.md), and an idle second OpenBLAS thread spins on a
    core between calls: ``compare`` and the survey designs hold it for the whole run. (NumPy and
    SciPy load an OpenBLAS each; this module imports SciPy, so the controller sees both.)"""
    global _CONTROLLER
    if _CONTROLLER is None:  # inspecting the loaded libraries costs ~10 ms: do it once
        from threadpoolctl import ThreadpoolController

        _CONTROLLER = ThreadpoolController()
    return _CONTROLLER.limit(limits=1, user_api="blas")


_CONTROLLER = None


@dataclass(frozen=True)
class ClusterSummary:
    """Sufficient statistics of a nested random-intercept model (see the module docstring)."""

    cross: np.ndarray  # W'W, q x q with W = [X, y]
    sums: np.ndarray  # J x q: column sums of W per inner cluster
    sizes: np.ndarray  # J: rows per inner cluster
    outer: np.ndarray | None  # J: outer cluster code of each inner cluster (None: one level)
    n_outer: int
    n: int
    p: int


def summarise(y, x, inner, outer=None) -> ClusterSummary:
    """One pass over the rows: :math:`W'W` and the per-cluster sums.

    ``inner`` are integer codes 0..J-1 of the innermost clusters (unique across outer clusters),
    ``outer`` integer codes of the outer cluster of each row (or None for one level).

    Examples
    --------
    >>> import numpy as np
    >>> s = summarise(np.array([1., 2, 3]), np.ones((3, 1)), np.array([0, 0, 1]))
    >>> s.sizes.tolist(), s.sums[:, 1].tolist()
    ([2, 1], [3.0, 3.0])
    """
    y = np.asarray(y, float)
    x = np.asarray(x, float)
    inner = np.asarray(inner, np.intp)
    w = np.column_stack([x, y])
    n_inner = int(inner.max()) + 1
    sums = np.column_stack(
        [np.bincount(inner, weights=w[:, k], minlength=n_inner) for k in range(w.shape[1])]
    )
    sizes = np.bincount(inner, minlength=n_inner)
    outer_of = None
    n_outer = 0
    if outer is not None:
        outer = np.asarray(outer, np.intp)
        outer_of = np.zeros(n_inner, np.intp)
        outer_of[inner] = outer
        n_outer = int(outer.max()) + 1
    return ClusterSummary(w.T @ w, sums, sizes, outer_of, n_outer, len(y), x.shape[1])


def _projected(s: ClusterSummary, tau_o: float, tau_i: float) -> tuple[np.ndarray, float]:
    """:math:`W'H^{-1}W` and :math:`\\log|H|` at the variance ratios ``tau_o``, ``tau_i``."""
    gamma = tau_i / (1 + s.sizes * tau_i)
    m = s.cross - (s.sums * gamma[:, None]).T @ s.sums
    logdet = float(np.sum(np.log1p(s.sizes * tau_i)))
    if s.outer is not None and tau_o > 0:
        w = 1 / (1 + s.sizes * tau_i)
        t = np.column_stack(
            [
                np.bincount(s.outer, weights=s.sums[:, k] * w, minlength=s.n_outer)
                for k in range(s.sums.shape[1])
            ]
        )
        ma = np.bincount(s.outer, weights=s.sizes * w, minlength=s.n_outer)
        f = tau_o / (1 + tau_o * ma)
        m = m - (t * f[:, None]).T @ t
        logdet += float(np.sum(np.log1p(tau_o * ma)))
    return m, logdet


def _pieces(s: ClusterSummary, tau_o: float, tau_i: float):
    """GLS coefficients, residual quadratic form, log|H| and log|X'H^-1X| at given ratios."""
    m, logdet = _projected(s, tau_o, tau_i)
    p = s.p
    mxx, mxy, myy = m[:p, :p], m[:p, p], m[p, p]
    chol = np.linalg.cholesky(mxx)
    beta = np.linalg.solve(mxx, mxy)
    rss = float(myy - mxy @ beta)
    return beta, rss, logdet, 2 * float(np.sum(np.log(np.diag(chol)))), mxx


def profiled_deviance(s: ClusterSummary, theta, *, reml: bool) -> float:
    """-2 log-likelihood (REML or ML), profiled over :math:`\\sigma^2` and :math:`\\beta`, at
    :math:`\\theta = (\\sigma_o/\\sigma, \\sigma_i/\\sigma)`; on the scale of lme4's criterion."""
    tau_o, tau_i = float(theta[0]) ** 2, float(theta[1]) ** 2
    _, rss, logdet, logdet_x, _ = _pieces(s, tau_o, tau_i)
    dof = s.n - s.p if reml else s.n
    extra = logdet_x if reml else 0.0
    return logdet + extra + dof * (1 + _LOG2PI + np.log(rss / dof))


def deviance(s: ClusterSummary, variances, *, reml: bool = True) -> float:
    """-2 log-likelihood at ``variances`` = (sigma2_outer, sigma2_inner, sigma2), not profiled."""
    v_o, v_i, sigma2 = (float(v) for v in variances)
    _, rss, logdet, logdet_x, _ = _pieces(s, v_o / sigma2, v_i / sigma2)
    dof = s.n - s.p if reml else s.n
    extra = logdet_x - s.p * np.log(sigma2) if reml else 0.0
    return logdet + s.n * np.log(sigma2) + extra + rss / sigma2 + dof * _LOG2PI


@dataclass(frozen=True)
class NestedFit:
    """Estimates of a nested random-intercept fit."""

    beta: np.ndarray
    cov_beta: np.ndarray
    variances: tuple[float, float, float]  # sigma2_outer, sigma2_inner, sigma2 (residual)
    deviance: float
    reml: bool
    converged: bool
    summary: ClusterSummary


def fit_nested(s: ClusterSummary, *, reml: bool = True) -> NestedFit:
    """Maximise the (RE)ML likelihood over :math:`\\theta \\ge 0` from a few starts.

    Examples
    --------
    >>> import numpy as np
    >>> y = np.array([5., 6, 7, 6, 8, 9, 2, 3, 4, 3, 4, 5])
    >>> x = np.column_stack([np.ones(12), np.repeat([1., 0], 6)])
    >>> f = fit_nested(summarise(y, x, np.repeat(np.arange(4), 3)))
    >>> [round(v, 6) for v in f.variances[1:]]   # ANOVA estimators of the balanced design
    [0.5, 1.333333]
    """
    two = s.outer is not None
    # sigma_cluster / sigma <= 1000: beyond it X'V^-1X of a cluster-level treatment is singular
    bounds = [(0.0, THETA_MAX), (0.0, THETA_MAX)] if two else [(0.0, 0.0), (0.0, THETA_MAX)]

    def objective(th):
        try:
            return profiled_deviance(s, th, reml=reml)
        except np.linalg.LinAlgError:
            return _WALL

    free = (0, 1) if two else (1,)

    def gradient(th):
        g = np.zeros(2)
        for k in free:
            h = 1e-6 * max(1.0, abs(th[k]))
            lo, hi = th.copy(), th.copy()
            lo[k] = max(th[k] - h, 0.0)
            hi[k] = th[k] + h
            g[k] = (objective(hi) - objective(lo)) / (hi[k] - lo[k])
        return g

    best = None
    for start in ((0.5, 0.5), (0.1, 1.5), (1.5, 0.1)):
        x0 = np.array([start[0] if two else 0.0, start[1]])
        res = optimize.minimize(
            objective,
            x0,
            jac=gradient,
            method="L-BFGS-B",
            bounds=bounds,
            options={"ftol": 1e-12, "gtol": 1e-8, "maxiter": 500},
        )
        if best is None or res.fun < best.fun:
            best = res
    theta = _polish(objective, best.x, free)
    grad = gradient(theta)
    # converged: a finite deviance, and no free coordinate off the boundary with a real slope
    stationary = all(abs(grad[k]) < 1e-3 or (theta[k] == 0 and grad[k] > 0) for k in free)
    tau_o, tau_i = theta[0] ** 2, theta[1] ** 2
    beta, rss, _, _, mxx = _pieces(s, tau_o, tau_i)
    sigma2 = rss / (s.n - s.p if reml else s.n)
    return NestedFit(
        beta=beta,
        cov_beta=sigma2 * np.linalg.inv(mxx),
        variances=(float(tau_o * sigma2), float(tau_i * sigma2), float(sigma2)),
        deviance=float(objective(theta)),
        reml=reml,
        converged=bool(stationary and np.isfinite(best.fun)),
        summary=s,
    )


def _polish(objective, theta: np.ndarray, free: tuple[int, ...]) -> np.ndarray:
    """Newton steps on the free coordinates from the quasi-Newton optimum, projected on theta >= 0.

    The deviance depends on theta only through theta^2, so central differences may step below 0.
    A coordinate at 0 whose gradient points outwards stays on the boundary (as lme4's bounds).
    """
    theta = theta.copy()
    best = objective(theta)
    for _ in range(8):
        h = 1e-4 * np.maximum(1.0, np.abs(theta))
        grad = np.zeros(2)
        hess = np.zeros((2, 2))
        for k in free:
            e = np.zeros(2)
            e[k] = h[k]
            fp, fm = objective(theta + e), objective(theta - e)
            grad[k] = (fp - fm) / (2 * h[k])
            hess[k, k] = (fp - 2 * best + fm) / h[k] ** 2
        if len(free) == 2:
            e0, e1 = np.array([h[0], 0.0]), np.array([0.0, h[1]])
            hess[0, 1] = hess[1, 0] = (
                objective(theta + e0 + e1)
                - objective(theta + e0 - e1)
                - objective(theta - e0 + e1)
                + objective(theta - e0 - e1)
            ) / (4 * h[0] * h[1])
        active = [k for k in free if not (theta[k] <= 0 and grad[k] > 0)]
        if not active:
            break
        idx = np.array(active)
        sub = hess[np.ix_(idx, idx)]
        if np.any(np.linalg.eigvalsh(sub) <= 0):
            break
        step = np.zeros(2)
        step[idx] = -np.linalg.solve(sub, grad[idx])
        for _ in range(20):  # halve until the deviance does not rise
            trial = np.maximum(theta + step, 0.0)
            value = objective(trial)
            if value <= best:
                break
            step /= 2
        else:
            break
        moved = np.max(np.abs(trial - theta))
        theta, best = trial, value
        if moved < 1e-10:
            break
    return theta


def satterthwaite_df(fit: NestedFit, contrast) -> tuple[float, float]:
    """Satterthwaite df and variance of :math:`c'\\hat\\beta` (as R lmerTest).

    :math:`\\nu = 2 (c'\\Phi c)^2 / (g'Ag)`, with :math:`\\Phi` the covariance of
    :math:`\\hat\\beta` as a function of the variance parameters, :math:`g` its gradient and
    :math:`A = 2\\,\\mathcal{H}^{-1}` the inverse Hessian of the REML deviance (both by central
    differences on the closed forms, Richardson-extrapolated). Variance parameters estimated
    at 0 are held fixed (they are on the boundary, where the Hessian is not defined).
    """
    s = fit.summary
    c = np.asarray(contrast, float)
    phi = np.array(fit.variances, float)
    free = [k for k in range(3) if phi[k] > 1e-10 * phi[2] or k == 2]
    if s.outer is None:
        free = [k for k in free if k != 0]

    def var_c(v):
        _, _, _, _, mxx = _pieces(s, v[0] / v[2], v[1] / v[2])
        return float(v[2] * c @ np.linalg.solve(mxx, c))

    def dev(v):
        return deviance(s, v, reml=fit.reml)

    def derivatives(rel: float):
        steps = {k: rel * phi[k] for k in free}
        grad = np.zeros(len(free))
        hess = np.zeros((len(free), len(free)))
        for a, k in enumerate(free):
            e = np.zeros(3)
            e[k] = steps[k]
            grad[a] = (var_c(phi + e) - var_c(phi - e)) / (2 * steps[k])
            for b, j in enumerate(free[: a + 1]):
                f = np.zeros(3)
                f[j] = steps[j]
                hess[a, b] = hess[b, a] = (
                    dev(phi + e + f) - dev(phi + e - f) - dev(phi - e + f) + dev(phi - e - f)
                ) / (4 * steps[k] * steps[j])
        return grad, hess

    # central differences with Richardson extrapolation (error O(h^4), as numDeriv in lmerTest)
    (g1, h1), (g2, h2) = derivatives(2e-3), derivatives(1e-3)
    grad, hess = (4 * g2 - g1) / 3, (4 * h2 - h1) / 3
    a_cov = 2 * np.linalg.inv(hess)
    v = var_c(phi)
    return float(2 * v**2 / (grad @ a_cov @ grad)), v
