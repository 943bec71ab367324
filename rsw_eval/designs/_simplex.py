"""Least squares on the probability simplex, for many problems at once (synthetic-control weights).

Solves, for each problem ``i`` of a batch,

.. math:: \\min_w \\tfrac12 \\lVert A_i w - b_i \\rVert^2 + \\tfrac{\\rho}{2} \\lVert w \\rVert^2
          \\quad \\text{s.t. } w \\ge 0,\\ \\textstyle\\sum_j w_j = 1,\\ w_j = 0 \\text{ off the mask,}

by an active-set method: Lawson & Hanson's non-negative least squares (``scipy.optimize.nnls``)
on the system augmented with a heavily weighted row :math:`M \\mathbf 1^\\top w = M` (and
:math:`\\sqrt\\rho I` for the ridge), then an exact equality-constrained solve on the support found.
Where that is not certified optimal, accelerated projected gradient (FISTA, Beck & Teboulle
2009, with adaptive restart, O'Donoghue & Candes 2015, and the exact simplex projection of Duchi
et al. 2008, all on arrays of shape ``(batch, rows, donors)``) finishes the job from there.
Convergence is certified, not assumed:
the loop stops when the Frank-Wolfe duality gap :math:`g^\\top w - \\min_j g_j` (an upper bound
on the distance of the objective from its minimum; zero exactly at a KKT point) falls below
``tol`` times the problem's scale.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["SimplexFit", "project_simplex", "simplex_lstsq"]


@dataclass(frozen=True)
class SimplexFit:
    """Solutions of a batch of simplex least-squares problems.

    Attributes
    ----------
    weights : ndarray, shape (batch, donors)
    objective : ndarray, shape (batch,)
        :math:`\\tfrac12\\lVert Aw-b\\rVert^2 + \\tfrac\\rho2\\lVert w\\rVert^2`.
    gap : ndarray, shape (batch,)
        Frank-Wolfe duality gap at the solution (objective minus its minimum is at most this).
    iterations : int
        Iterations of the slowest problem.
    """

    weights: np.ndarray
    objective: np.ndarray
    gap: np.ndarray
    iterations: int


def project_simplex(v: np.ndarray, mask: np.ndarray | None = None) -> np.ndarray:
    """Euclidean projection of each row of ``v`` onto the simplex over its ``mask``ed entries.

    Examples
    --------
    >>> project_simplex(np.array([[0.5, 0.5, 2.0], [1.0, 1.0, 1.0]])).round(3).tolist()
    [[0.0, 0.0, 1.0], [0.333, 0.333, 0.333]]
    """
    v = np.atleast_2d(np.asarray(v, dtype=float))
    if mask is None:
        mask = np.ones(v.shape, dtype=bool)
    u = np.where(mask, v, -np.inf)
    order = np.argsort(-u, axis=-1)
    s = np.take_along_axis(u, order, axis=-1)
    css = np.cumsum(np.where(np.isfinite(s), s, 0.0), axis=-1)
    k = np.arange(1, v.shape[-1] + 1)
    cond = s - (css - 1.0) / k > 0
    rho = v.shape[-1] - 1 - np.argmax(cond[..., ::-1], axis=-1)  # last True
    theta = (np.take_along_axis(css, rho[..., None], axis=-1) - 1.0) / (rho[..., None] + 1)
    return np.where(mask, np.maximum(v - theta, 0.0), 0.0)


def _gap(g: np.ndarray, w: np.ndarray, mask: np.ndarray) -> np.ndarray:
    return (g * w).sum(-1) - np.where(mask, g, np.inf).min(-1)


def _grad(A: np.ndarray, b: np.ndarray, rho: np.ndarray, w: np.ndarray) -> np.ndarray:
    return np.einsum("btj,bt->bj", A, np.einsum("btj,bj->bt", A, w) - b) + rho[:, None] * w


class _ActiveSet:
    """Active-set fits of one donor matrix, mask and ridge, for any number of treated paths.

    NNLS on the system augmented with a heavily weighted sum-to-one row, then the exact
    equality-constrained solve on the support it finds. A batch often poses one donor matrix
    with many treated paths (the conformal test refits the same donors under every hypothesised
    effect): the augmented matrix is built once, and each support's KKT matrix once. Every path's
    arithmetic is that of a fit of its own (the same NNLS, the same KKT solve on the same arrays),
    so the weights do not depend on the batch.

    Examples
    --------
    >>> fits = _ActiveSet(np.array([[1.0, 0.0, 3.0], [0.0, 1.0, 3.0]]), np.ones(3, bool), 0.0)
    >>> fits.fit(np.array([0.5, 0.5])).round(6).tolist()
    [0.5, 0.5, 0.0]
    """

    def __init__(self, A: np.ndarray, mask: np.ndarray, rho: float) -> None:
        self.idx = np.flatnonzero(mask)
        self.Am, self.rho, self.donors = A[:, self.idx], rho, A.shape[1]
        n = self.idx.size
        big = 1e3 * max(float(np.sqrt((self.Am**2).mean())), 1e-12) + np.sqrt(rho)
        rows, tail = [self.Am, np.full((1, n), big)], [[big]]
        if rho > 0:
            rows.insert(1, np.sqrt(rho) * np.eye(n))
            tail.insert(0, np.zeros(n))
        self.M, self.tail, self.maxiter = np.vstack(rows), np.concatenate(tail), 50 * n
        self._kkts: dict = {}

    def _kkt(self, support: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The support's columns and the equality-constrained normal equations' matrix."""
        key = support.tobytes()
        if key not in self._kkts:
            S = self.Am[:, support]
            k = S.shape[1]
            kkt = np.zeros((k + 1, k + 1))
            kkt[:k, :k] = S.T @ S + self.rho * np.eye(k)
            kkt[:k, k] = kkt[k, :k] = 1.0
            self._kkts[key] = (S, kkt)
        return self._kkts[key]

    def fit(self, b: np.ndarray) -> np.ndarray:
        """Weights for the treated path ``b`` (zero off the mask)."""
        from scipy.optimize import nnls

        v, _ = nnls(self.M, np.concatenate([b, self.tail]), maxiter=self.maxiter)
        w = np.zeros(self.donors)
        if v.sum() <= 0:
            w[self.idx] = 1.0 / self.idx.size
            return w
        support = v > 0
        S, kkt = self._kkt(support)
        sol = np.linalg.lstsq(kkt, np.append(S.T @ b, 1.0), rcond=None)[0][: S.shape[1]]
        if np.all(sol > 0) and np.isfinite(sol).all():
            v = np.zeros(self.idx.size)
            v[support] = sol
        w[self.idx] = v / v.sum()
        return w


def _active_set(A: np.ndarray, b: np.ndarray, mask: np.ndarray, rho: np.ndarray) -> np.ndarray:
    """Active-set weights of every problem of a batch, the fits that share a donor matrix, mask and
    ridge prepared once (a donor matrix broadcast over the batch is one matrix)."""
    shared = A.strides[0] == 0
    fits: dict = {}
    w = np.empty(b.shape[:1] + A.shape[2:])
    for i in range(b.shape[0]):
        key = (0 if shared else i, mask[i].tobytes(), float(rho[i]))
        if key not in fits:
            fits[key] = _ActiveSet(A[i], mask[i], key[2])
        w[i] = fits[key].fit(b[i])
    return w


def _fista(A, b, mask, rho, w, scale, max_iter) -> tuple[np.ndarray, np.ndarray, int]:
    """Accelerated projected gradient with adaptive restart, from ``w``, until the gap <= scale."""
    batch = w.shape[0]
    lip = np.linalg.norm(np.where(mask[:, None, :], A, 0.0), ord=2, axis=(1, 2)) ** 2 + rho
    lip = np.maximum(lip, 1e-300)
    active = np.arange(batch)
    gap = np.full(batch, np.inf)
    y, t = w.copy(), np.ones(batch)
    iters = 0
    for it in range(1, max_iter + 1):
        Aa, ba, ma, ra, ya = A[active], b[active], mask[active], rho[active], y[active]
        w_new = project_simplex(ya - _grad(Aa, ba, ra, ya) / lip[active, None], ma)
        w_old = w[active]
        t_new = 0.5 * (1 + np.sqrt(1 + 4 * t[active] ** 2))
        restart = ((ya - w_new) * (w_new - w_old)).sum(-1) > 0
        t_new = np.where(restart, 1.0, t_new)
        mom = np.where(restart, 0.0, (t[active] - 1) / t_new)
        y[active] = w_new + mom[:, None] * (w_new - w_old)
        w[active], t[active] = w_new, t_new
        iters = it
        if it % 10 == 0 or it == max_iter:
            gap[active] = _gap(_grad(Aa, ba, ra, w_new), w_new, ma)
            done = gap[active] <= scale[active]
            active = active[~done]
            if active.size == 0:
                break
    return w, gap, iters


def simplex_lstsq(
    A: np.ndarray,
    b: np.ndarray,
    *,
    mask: np.ndarray | None = None,
    ridge: float | np.ndarray = 0.0,
    tol: float = 1e-10,
    max_iter: int = 20000,
    method: str = "active_set",
) -> SimplexFit:
    """Non-negative weights summing to one that best reproduce ``b`` from the columns of ``A``.

    Parameters
    ----------
    A : ndarray, shape (batch, rows, donors) or (rows, donors)
        Donors' values (columns) on the fitted rows (e.g. pre-period years).
    b : ndarray, shape (batch, rows) or (rows,)
        The treated unit's values on the same rows.
    mask : ndarray of bool, shape (batch, donors), optional
        Donors allowed in each problem (default all); weights off the mask are 0.
    ridge : float or ndarray of shape (batch,)
        :math:`\\rho \\ge 0` (0: plain synthetic control, ADH 2010).
    tol : float
        Certified when the duality gap is below ``tol * (0.5 * |b|^2 + 1e-300)``.
    max_iter : int
        Iteration cap of the gradient stage (the returned ``gap`` says how close it got).
    method : {"active_set", "gradient"}
        ``active_set`` (default; gradient only where not certified) or the gradient method alone.

    Returns
    -------
    SimplexFit

    Notes
    -----
    When donors outnumber the fitted rows the minimiser may not be unique; the objective (and
    so the pre-period fit) is, to within ``gap``.

    Examples
    --------
    >>> A = np.array([[1.0, 0.0, 3.0], [0.0, 1.0, 3.0]])
    >>> fit = simplex_lstsq(A, np.array([0.5, 0.5]))
    >>> fit.weights.round(6).tolist(), bool(fit.gap[0] < 1e-9)
    ([[0.5, 0.5, 0.0]], True)
    """
    if method not in ("active_set", "gradient"):
        raise ValueError(f"method must be 'active_set' or 'gradient'. Got {method!r} instead.")
    A = np.asarray(A, dtype=float)
    b = np.asarray(b, dtype=float)
    A = A[None] if A.ndim == 2 else A
    b = b[None] if b.ndim == 1 else b
    batch = max(A.shape[0], b.shape[0], 1 if mask is None else np.atleast_2d(mask).shape[0])
    A = np.broadcast_to(A, (batch, *A.shape[1:]))
    b = np.broadcast_to(b, (batch, b.shape[-1]))
    J = A.shape[-1]
    mask = np.ones((batch, J), dtype=bool) if mask is None else np.broadcast_to(mask, (batch, J))
    rho = np.array(np.broadcast_to(np.asarray(ridge, dtype=float), (batch,)))
    scale = tol * (0.5 * (b**2).sum(-1) + 1e-300)
    if method == "active_set":
        w = _active_set(A, b, mask, rho)
    else:
        w = mask / np.maximum(mask.sum(-1, keepdims=True), 1)
    gap = _gap(_grad(A, b, rho, w), w, mask)
    iters = 0
    todo = np.flatnonzero(~(gap <= scale))
    if todo.size:
        w_t, gap_t, iters = _fista(A[todo], b[todo], mask[todo], rho[todo], w[todo], scale[todo], max_iter)
        w[todo], gap[todo] = w_t, gap_t
    resid = np.einsum("btj,bj->bt", A, w) - b
    objective = 0.5 * (resid**2).sum(-1) + 0.5 * rho * (w**2).sum(-1)
    return SimplexFit(w, objective, np.maximum(gap, 0.0), iters)
