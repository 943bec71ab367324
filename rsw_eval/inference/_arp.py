"""Relative-magnitudes bounds on parallel trends (Delta^RM(Mbar)) by the conditional-least-favourable
hybrid test of Andrews, Roth & Pakes (2023), as R ``HonestDiD`` computes them by default.

Delta^RM(Mbar) lets the difference in trends change between consecutive post-periods by at most
Mbar times the largest change between consecutive pre-periods. It is a union over which
pre-period change is the largest (``s``) and its sign of polyhedra :math:`A\\delta \\le 0`; the
confidence set is the union of the sets for each (R ``computeConditionalCS_DeltaRM``). For each
polyhedron the null :math:`l'\\tau = \\theta` is the moment inequality
:math:`E[Y - X u] \\le 0` with :math:`Y = (A\\hat\\beta - A_{post}\\Gamma^{-1}e_1\\theta)/\\sigma_Y`
and nuisance ``u``; the statistic is :math:`\\hat\\eta = \\min_u \\max_j (Y - Xu)_j`, whose dual
is a maximum over the vertices of :math:`\\{\\gamma \\ge 0, 1'\\gamma = 1, X'\\gamma = 0\\}`.
Here the vertices are enumerated once per polyhedron, so the statistic, the least-favourable
critical value (by simulation) and the truncation limits of the conditional test are array
operations over every theta of the grid at once. As in R, only the inequalities that involve the
post-periods enter the test (``postPeriodMomentsOnly = TRUE``), the first stage is the
least-favourable test at kappa = alpha / 10 and the grid covers +-20 SDs of the target.
"""

from __future__ import annotations

from functools import lru_cache
from itertools import combinations
from math import comb

import numpy as np
from scipy import special

__all__ = ["MAX_BASES", "rm_excludes", "rm_interval", "rm_polyhedron"]

#: Largest number of candidate bases enumerated per polyhedron (beyond it: not computed).
MAX_BASES = 200_000


def rm_polyhedron(n_pre: int, n_post: int, mbar: float, s: int, positive: bool) -> np.ndarray:
    """Rows ``A`` of Delta^RM_{s,sign}(Mbar) = {delta: A delta <= 0} (columns: pre then post, no 0).

    ``s`` in ``-(n_pre-1)..0`` names the pre-period change :math:`\\delta_s - \\delta_{s-1}`
    taken as the largest (R ``HonestDiD``'s convention).

    Examples
    --------
    >>> (rm_polyhedron(1, 1, 1.0, 0, True) + 0.0).tolist()  # delta_-1 <= 0, |delta_1| <= -delta_-1
    [[1.0, 1.0], [2.0, 0.0], [1.0, -1.0]]
    """
    total = n_pre + n_post
    diff = np.zeros((total, total + 1))
    diff[np.arange(total), np.arange(total)] = -1.0
    diff[np.arange(total), np.arange(total) + 1] = 1.0
    vmax = np.zeros(total + 1)
    vmax[n_pre + s - 1], vmax[n_pre + s] = -1.0, 1.0
    vmax = vmax if positive else -vmax
    bound = np.vstack([np.tile(vmax, (n_pre, 1)), np.tile(mbar * vmax, (n_post, 1))])
    A = np.vstack([diff - bound, -diff - bound])
    A = A[(A**2).sum(axis=1) > 1e-10]
    return np.delete(A, n_pre, axis=1)


def _vertices(X: np.ndarray) -> np.ndarray | None:
    """Vertices of {g >= 0, 1'g = 1, X'g = 0} (rows), or None when there are too many bases."""
    J = X.shape[0]
    rank = int(np.linalg.matrix_rank(X)) if X.size else 0
    if rank:
        u, sv, vt = np.linalg.svd(X, full_matrices=False)
        X = u[:, :rank] * sv[:rank]  # same column space, full column rank
    size = rank + 1
    if comb(J, size) > MAX_BASES:
        return None
    subsets = np.array(list(combinations(range(J), size)), dtype=int)
    B = np.concatenate([X[subsets].transpose(0, 2, 1), np.ones((len(subsets), 1, size))], axis=1)
    rhs = np.r_[np.zeros(rank), 1.0]
    ok = np.abs(np.linalg.det(B)) > 1e-12 * np.maximum(np.abs(B).max(axis=(1, 2)), 1e-300) ** size
    g = np.linalg.solve(B[ok], np.broadcast_to(rhs, (int(ok.sum()), size))[..., None])[..., 0]
    feasible = (g >= -1e-10).all(axis=1)
    out = np.zeros((int(feasible.sum()), J))
    np.put_along_axis(out, subsets[ok][feasible], np.clip(g[feasible], 0, None), axis=1)
    return np.unique(np.round(out, 12), axis=0)


@lru_cache(maxsize=8)
def _draws(seed: int, rows: int, sims: int) -> np.ndarray:
    """The simulation's standard normal draws (read-only): every Mbar and bisection step of an
    event study asks for the same ones."""
    draws = np.random.default_rng(seed).standard_normal((rows, sims))
    draws.flags.writeable = False
    return draws


def _null_basis(l_vec: np.ndarray) -> np.ndarray:
    """Columns spanning {tau: l'tau = 0} (the nuisance directions; the test does not depend on
    which basis, as R's choice of Gamma shows)."""
    return np.linalg.svd(l_vec[None, :])[2][1:].T


def _prepare(A, betahat, sigma, n_pre, l_vec, alpha, kappa, draws):
    """The hybrid test of one polyhedron as a function of theta (None: too many bases)."""
    post = slice(n_pre, None)
    A = A[np.any(A[:, post] != 0, axis=1)]
    sd = np.sqrt(np.diag(A @ sigma @ A.T))
    if np.any(sd <= 0):
        return lambda thetas: np.zeros(np.size(thetas), dtype=bool)
    cov = (A @ sigma @ A.T) / np.outer(sd, sd)
    X = (A[:, post] @ _null_basis(l_vec)) / sd[:, None]
    V = _vertices(X)
    if V is None:
        return None
    if V.size == 0:  # no dual vertex: the nuisance can push every moment below 0, nothing is rejected
        return lambda thetas: np.ones(np.size(thetas), dtype=bool)
    shift = (A[:, post] @ l_vec) / (l_vec @ l_vec) / sd
    y0 = (A @ betahat) / sd
    root = np.linalg.cholesky(cov + 1e-12 * np.eye(sd.size))
    lf_cv = float(np.quantile((V @ (root @ draws[: sd.size])).max(axis=0), 1 - kappa))
    size = (alpha - kappa) / (1 - kappa)

    def accepts(thetas: np.ndarray) -> np.ndarray:
        Y = y0[:, None] - shift[:, None] * thetas[None, :]  # (J, grid)
        vals = V @ Y
        best = np.argmax(vals, axis=0)
        eta = vals[best, np.arange(thetas.size)]
        g = V[best]  # the optimal dual vertex at each theta
        s2 = np.einsum("gj,jk,gk->g", g, cov, g)
        c = (g @ cov) / s2[:, None]
        S = Y.T - c * eta[:, None]
        num = S @ V.T - (g * S).sum(axis=1)[:, None]  # (gamma_k - gamma*)'S
        den = 1 - c @ V.T  # 1 - gamma_k'c
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = num / den
        vlo = np.where(den > 1e-10, ratio, -np.inf).max(axis=1)
        vup = np.where(den < -1e-10, ratio, np.inf).min(axis=1)
        sb = np.sqrt(s2)
        zlo, zup, stat = vlo / sb, np.minimum(vup, lf_cv) / sb, eta / sb
        # 1 - size quantile of N(0, 1) truncated to [zlo, zup], from the upper tail for accuracy
        sf_lo, sf_up = special.ndtr(-zlo), special.ndtr(-zup)
        with np.errstate(invalid="ignore", divide="ignore"):
            crit = -special.ndtri(sf_up + size * (sf_lo - sf_up))
        crit = np.maximum(0.0, np.nan_to_num(crit, nan=np.inf))
        inside = (zlo <= stat) & (stat <= zup)
        return ~((eta > lf_cv) | (inside & (stat > crit)))

    return accepts


def _rm_grid(betahat, sigma, n_pre, n_post, mbar, l_vec, alpha, grid_points, sims, seed):
    """The union test over Delta^RM(Mbar)'s polyhedra, its theta grid and which grid points it
    accepts; None when a polyhedron has too many candidate vertices."""
    betahat = np.asarray(betahat, float)
    sigma = np.asarray(sigma, float)
    l_vec = np.r_[1.0, np.zeros(n_post - 1)] if l_vec is None else np.asarray(l_vec, float)
    sd_theta = float(np.sqrt(l_vec @ sigma[n_pre:, n_pre:] @ l_vec))
    centre = float(l_vec @ betahat[n_pre:])
    rows = 2 * (n_pre + n_post) + 2
    draws = _draws(seed, rows, sims) if seed is not None else _draws.__wrapped__(seed, rows, sims)
    polys = [
        rm_polyhedron(n_pre, n_post, mbar, s, positive)
        for s in range(-(n_pre - 1), 1)
        for positive in (True, False)
    ]
    tests = [_prepare(A, betahat, sigma, n_pre, l_vec, alpha, alpha / 10, draws) for A in polys]
    if any(t is None for t in tests):
        return None

    def accepts(thetas: np.ndarray) -> np.ndarray:
        return np.logical_or.reduce([t(thetas) for t in tests])

    width = 20 * sd_theta * max(1.0, 1.0 + mbar)
    grid = np.linspace(centre - width, centre + width, grid_points)
    return accepts, grid, accepts(grid)


def _refined_ends(accepts, grid: np.ndarray, idx: np.ndarray) -> tuple[float, float]:
    """The first and last accepted grid points, each moved towards its rejected neighbour by two
    finer grids between them (both ends' grids tested in one call: each theta's verdict is its own)."""
    inner = np.array([idx[0], idx[-1]])
    outer = inner + [-1, 1]
    moves = (outer >= 0) & (outer < grid.size)  # an end at the grid's edge stays there
    a, b = grid[inner], grid[np.clip(outer, 0, grid.size - 1)]  # a accepted, b rejected
    for _ in range(2):
        fine = [np.linspace(a[e], b[e], 201) for e in np.flatnonzero(moves)]
        if not fine:
            break
        oks = np.split(accepts(np.concatenate(fine)), len(fine))
        for e, f, ok in zip(np.flatnonzero(moves), fine, oks, strict=True):
            last = int(np.argmin(ok)) - 1 if not ok.all() else f.size - 1  # last accepted in a row
            a[e], b[e] = f[max(last, 0)], f[min(last + 1, f.size - 1)]
    return float(a[0]), float(a[1])


def rm_interval(
    betahat: np.ndarray,
    sigma: np.ndarray,
    n_pre: int,
    n_post: int,
    mbar: float,
    *,
    l_vec=None,
    alpha: float = 0.05,
    grid_points: int = 1001,
    sims: int = 5000,
    seed: int = 0,
) -> tuple[float, float]:
    """Hybrid (conditional / least-favourable) confidence set for ``l' tau_post`` under Delta^RM(Mbar).

    Returns the smallest and largest accepted theta of the grid (refined by bisection between
    grid points); ``(nan, nan)`` when the test rejects every theta, and ``(nan, nan)`` too when a
    polyhedron has more than :data:`MAX_BASES` candidate vertices (too many post-periods).

    Examples
    --------
    >>> b = np.array([0.01, -0.02, 0.5, 0.6])
    >>> lo, hi = rm_interval(b, np.eye(4) * 0.01, 2, 2, 1.0)
    >>> bool(lo < 0.5 < hi)
    True
    """
    built = _rm_grid(betahat, sigma, n_pre, n_post, mbar, l_vec, alpha, grid_points, sims, seed)
    if built is None or not built[2].any():
        return np.nan, np.nan
    accepts, grid, acc = built
    return _refined_ends(accepts, grid, np.flatnonzero(acc))


def rm_excludes(
    betahat: np.ndarray,
    sigma: np.ndarray,
    n_pre: int,
    n_post: int,
    mbar: float,
    value: float = 0.0,
    *,
    l_vec=None,
    alpha: float = 0.05,
    grid_points: int = 1001,
    sims: int = 5000,
    seed: int = 0,
) -> bool:
    """Whether :func:`rm_interval` with the same arguments is finite and excludes ``value``.

    The same answer, found from the grid alone unless ``value`` falls between the first (or
    last) accepted grid point and its rejected neighbour, where the interval's refined end
    decides: the breakdown search asks this about many Mbar and needs no interval.

    Examples
    --------
    >>> b = np.array([0.01, -0.02, 0.5, 0.6])
    >>> rm_excludes(b, np.eye(4) * 0.01, 2, 2, 0.5), rm_excludes(b, np.eye(4) * 0.01, 2, 2, 5.0)
    (True, False)
    """
    built = _rm_grid(betahat, sigma, n_pre, n_post, mbar, l_vec, alpha, grid_points, sims, seed)
    if built is None or not built[2].any():
        return False
    accepts, grid, acc = built
    idx = np.flatnonzero(acc)
    if grid[idx[0]] <= value <= grid[idx[-1]]:
        return False
    lowest = grid[max(idx[0] - 1, 0)]  # the refined ends lie between these and the accepted hull
    highest = grid[min(idx[-1] + 1, grid.size - 1)]
    if value < lowest or value > highest:
        return True
    lo, hi = _refined_ends(accepts, grid, idx)
    return not lo <= value <= hi
