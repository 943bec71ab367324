"""Who is compared with whom in a permutation test, as weights on the authorities' estimates.

Each row of a weight matrix W is one assignment: its statistic is :math:`W_a \\cdot \\Delta`, a
difference between the authorities it treats as treated and those it treats as controls. Row 0 is
the observed assignment. :func:`linear_statistics` turns W into the (u, v, s) that
:func:`~rsw_eval.inference.invert_permutation` inverts.
"""

from __future__ import annotations

import itertools
import math

import numpy as np

__all__ = ["assignment_weights", "linear_statistics", "pool_weights"]

#: Above this many assignments, a random sample of them is drawn (the p-value stays exact in the
#: Monte Carlo sense: the observed assignment is always row 0).
MAX_ASSIGNMENTS = 20_000


def assignment_weights(
    n_units: int, treated, *, max_assignments: int = MAX_ASSIGNMENTS, seed: int = 0
) -> np.ndarray:
    """Difference-in-means weights for every way of choosing as many treated among ``n_units``.

    Parameters
    ----------
    n_units : int
        Authorities taking part (treated and comparators).
    treated : sequence of int
        Indices of the treated authorities.
    max_assignments : int
        Enumerate all :math:`\\binom{n}{n_T}` assignments up to this many; else draw this many at
        random (with the observed one first).
    seed : int
        For the random draw.

    Returns
    -------
    ndarray, shape (m, n_units)
        Row a: :math:`1/n_T` on the authorities assignment a treats, :math:`-1/(n - n_T)` elsewhere.
        Row 0 is the observed assignment. With one treated authority the rows are "authority i
        against the mean of all the others" (the full Fisher permutation test).

    Examples
    --------
    >>> w = assignment_weights(4, [0])
    >>> w.shape, w[0].round(3).tolist()
    ((4, 4), [1.0, -0.333, -0.333, -0.333])
    >>> assignment_weights(40, [0, 1]).shape
    (780, 40)
    """
    treated = sorted(int(i) for i in treated)
    n_t = len(treated)
    if not 1 <= n_t < n_units:
        raise ValueError(f"need 1 <= treated < n_units; got {n_t} treated of {n_units}")
    if math.comb(n_units, n_t) <= max_assignments:
        sets = [c for c in itertools.combinations(range(n_units), n_t) if list(c) != treated]
        member = np.zeros((len(sets) + 1, n_units), dtype=bool)
        member[0, treated] = True
        rows = np.repeat(np.arange(1, len(sets) + 1), n_t)
        member[rows, np.asarray(sets, dtype=int).ravel()] = True
    else:
        rng = np.random.default_rng(seed)
        draws = np.argsort(rng.random((max_assignments - 1, n_units)), axis=1)[:, :n_t]
        member = np.zeros((max_assignments, n_units), dtype=bool)
        member[0, treated] = True
        member[np.repeat(np.arange(1, max_assignments), n_t), draws.ravel()] = True
    return np.where(member, 1.0 / n_t, -1.0 / (n_units - n_t))


def pool_weights(n_units: int, treated: int, comparators, pool) -> np.ndarray:
    """Weights for one treated authority and placebos drawn from a donor pool outside its comparators.

    Every unit (the treated first, then each pool authority) is compared with the mean of the same
    comparators, so the estimate stays "treated minus its comparators" while the placebo
    distribution has as many draws as the pool: the test is exact (conditional on the comparators)
    when the treated authority is exchangeable with the pool's.

    Examples
    --------
    >>> pool_weights(5, 0, [1, 2], [3, 4]).tolist()
    [[1.0, -0.5, -0.5, 0.0, 0.0], [0.0, -0.5, -0.5, 1.0, 0.0], [0.0, -0.5, -0.5, 0.0, 1.0]]
    """
    units = [int(treated), *(int(p) for p in pool)]
    w = np.zeros((len(units), n_units))
    w[:, list(comparators)] = -1.0 / len(comparators)
    w[np.arange(len(units)), units] = 1.0
    return w


def linear_statistics(delta, scale, weights, treated) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(u, v, s) of each assignment for :func:`~rsw_eval.inference.invert_permutation`.

    Parameters
    ----------
    delta : array_like, shape (..., n_units)
        Each authority's estimate (a linear contrast of its own series).
    scale : array_like, shape (..., n_units)
        Its standard error up to a common factor (ones for an unstudentised test).
    weights : ndarray, shape (m, n_units)
        From :func:`assignment_weights` or :func:`pool_weights`.
    treated : sequence of int
        The authorities whose estimate the effect shifts.

    Returns
    -------
    u, v, s : ndarray, shape (..., m)
        :math:`u = W\\Delta`, :math:`v = -W 1_T` (how the statistic moves when the treated
        authorities' estimates are lowered by the effect) and
        :math:`s = \\sqrt{W^2 \\sigma^2}` (the statistic's standard error under independence).

    Examples
    --------
    >>> u, v, s = linear_statistics([1.0, 0.0, 2.0], [1.0, 1.0, 1.0], assignment_weights(3, [0]), [0])
    >>> u.tolist(), v.tolist()
    ([0.0, -1.5, 1.5], [-1.0, 0.5, 0.5])
    """
    delta = np.asarray(delta, dtype=float)
    scale = np.asarray(scale, dtype=float)
    hit = np.zeros(weights.shape[1])
    hit[list(treated)] = 1.0
    u = delta @ weights.T
    v = np.broadcast_to(-(weights @ hit), u.shape)
    s = np.sqrt((scale**2) @ (weights**2).T)
    return u, v, s
