"""Whether a group's size, mean and SD on a wide item force an answer count.

On an item of more than :data:`MOST_ANSWERS` points on its grid (a 0-36 score, a percentage, one in
halves; in whole steps of the grid: :func:`rsw_eval.designs._grid.steps`) the ledger holds no
cell per answer; a group's size ``n``, sum ``S`` and sum of squares ``Q`` (what its mean and SD
give) are tested here instead. The answer counts of a
group are any non-negative numbers on the item's scale ``D`` with those three sums; the count of a
value ``v`` can be 0 exactly when ``(S/n, Q/n)`` lies in the convex hull of the points ``(u, u^2)``
for ``u`` in ``D`` without ``v``. The points lie on a parabola, so the hull is bounded below by the
chords between neighbouring values and above by the chord between the least and greatest:

- removing an inner value ``v`` (neighbours ``p < v < q``) replaces the lower chords at ``v`` by the
  chord from ``p`` to ``q``: the count of ``v`` is forced when ``p < S/n < q`` and the answers'
  second moment lies below that chord (a variance under ``(v - p)(q - v)``: the answers crowd at
  ``v`` and its neighbours; 5 answered 11 and 1 answered 12);
- removing the least value ``lo`` (next ``p``) moves the upper chord to ``p``-to-``hi``: its count is
  forced when the mean is below ``p`` or the second moment above that chord (the answers pile at
  the two ends: 5 answered 0 and 1 answered 100); the greatest likewise.

That is the linear-programming attack (the counts may be fractions); people come whole, and the
integer attack pins more (:func:`pinned` asks both). The criterion is rule 7's: an answer count
from 1 to t is protected when its range reaches 0. The scale is every value any
respondent gave (fewer values than the item allows: a stronger attacker than one who knows only
the questionnaire's range).
"""

from __future__ import annotations

import numpy as np

__all__ = ["MOST_ANSWERS", "forced", "pinned"]

#: Items whose answers lie on a grid of more points than this (from the least answer to the
#: greatest, in steps of their greatest common divisor: a percentage, a 0-36 score; a percentage
#: in tens has 11) are "wide": one ledger cell per answer would make the audit slow
#: (and its integer programmes, with squares of answers up to 10,000 as coefficients, stall), and
#: their mean and SD leave a group's counts undetermined but where its answers crowd at one or two
#: values or at the ends of the scale, which the publication tests group by group instead.
MOST_ANSWERS = 11


def forced(scale: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Per value of ``scale`` (sorted, distinct), whether every set of counts with the group's
    size, sum and sum of squares gives it someone (its count cannot be 0).

    Examples
    --------
    >>> scale = np.arange(0.0, 101.0)
    >>> counts = np.zeros(101)
    >>> counts[[0, 100]] = 5, 1
    >>> np.flatnonzero(forced(scale, counts)).tolist()  # 5 x 0 and 1 x 100: pinned
    [0, 100]
    >>> counts[50] = 1  # one more in the middle: 0 and 100 can go (e.g. to 1 and 99)
    >>> np.flatnonzero(forced(scale, counts)).tolist()
    []
    >>> c = np.zeros(37)
    >>> c[[11, 12]] = 5, 1  # a 0-36 score: 5 answered 11, 1 answered 12
    >>> np.flatnonzero(forced(np.arange(37.0), c)).tolist()
    [11, 12]
    """
    d = np.asarray(scale, dtype=float)
    c = np.asarray(counts, dtype=float)
    n, s, q = c.sum(), d @ c, d**2 @ c
    out = np.zeros(d.size, dtype=bool)
    if n <= 0:
        return out
    if d.size == 1:
        out[0] = True
        return out
    lo, hi = d[0], d[-1]
    for k in range(d.size):
        if k == 0:
            p = d[1]
            out[k] = not (s >= n * p and q <= (p + hi) * s - p * hi * n)
        elif k == d.size - 1:
            p = d[-2]
            out[k] = not (s <= n * p and q <= (lo + p) * s - lo * p * n)
        else:
            p, r = d[k - 1], d[k + 1]
            out[k] = n * p < s < n * r and q < (p + r) * s - p * r * n
    return out & (c > 0)


def pinned(scale: np.ndarray, counts: np.ndarray, threshold: int) -> bool:
    """Whether a group's size, mean and SD force an answer count from 1 to ``threshold``: for
    the linear programme (:func:`forced`), or for whole numbers of people (:func:`_integer`:
    14 answered 0 and 1 answered 40 give a sum of squares equal to the sum squared, which only
    one answer above the least allows, though fractions of people could spread it). Answers on no
    grid (``scale`` not in whole steps: a prorated score) are asked the integer test on the grid
    of the group's own answers (:func:`_on_own_grid`).

    Examples
    --------
    >>> counts = np.zeros(101)
    >>> counts[[0, 100]] = 5, 1
    >>> pinned(np.arange(101.0), counts, 5), pinned(np.arange(101.0), counts * 6, 5)
    (True, False)
    >>> c = np.zeros(101)
    >>> c[[0, 40]] = 14, 1  # no fraction of people needed to make 40's count 0, but whole people are
    >>> bool(forced(np.arange(101.0), c)[40]), pinned(np.arange(101.0), c, 5)
    (False, True)
    """
    c = np.asarray(counts, dtype=float)
    d = np.asarray(scale, dtype=float)
    small = (c >= 1) & (c <= threshold)
    if (forced(d, c) & small).any():
        return True
    if np.array_equal(d, np.rint(d)):
        return _integer(d, c, small)
    return _on_own_grid(d, c, small)


def _on_own_grid(d: np.ndarray, counts: np.ndarray, small: np.ndarray) -> bool:
    """:func:`_integer` for a group of an item on no grid (one answer of 0.33 hours, a prorated
    score elsewhere: att8 2), on a grid that holds the group's own answers and as many of the
    item's others as it can (those of the smallest denominators first) in at most
    :data:`~rsw_eval.designs._grid.MOST_STEPS` steps: fewer values than the item's scale, so
    fewer sets of answers fit and the test pins at least what the item's own attacker could;
    where the group's own answers lie on no grid of at most that many steps (a prorated score in
    11ths and 5ths: 1,925 steps on 0-35; one answer of 33.33 among whole percentages: 10,000), the
    linear programme's test only, and the digits of the group's exact mean can still show that it
    holds such an answer (an integer test there takes seconds a group, and pins the sample's
    prorated GHQ scores: one 3.6 in the unit-model group must be, though 61 could be).

    Examples
    --------
    >>> d = np.array([0.0, 0.33, 1.0, 2.0, 4.0, 6.0])
    >>> c = np.array([14.0, 0, 0, 0, 1, 0])  # 14 x 0 and 1 x 4 hours: the sum squared is the sum of squares
    >>> bool(forced(d, c)[4]), _on_own_grid(d, c, (c >= 1) & (c <= 5))
    (False, True)
    >>> d = np.array([0.0, 0.33, *range(1, 11)])  # 0 to 10 hours, and one 0.33
    >>> c = np.array([2.0, 0, 2, 3, 2, 2, 3, 2, 2, 1, 1, 0])  # spread: every count can go
    >>> _on_own_grid(d, c, (c >= 1) & (c <= 5))
    False
    """
    from fractions import Fraction

    from rsw_eval.designs._grid import MOST_STEPS, fractions

    exact = fractions(d)
    own = np.flatnonzero(counts > 0).tolist()
    if any(exact[k] is None for k in own):
        return False
    origin = exact[own[0]]
    keep, step = list(own), Fraction(0)
    for k in own:
        step = _fraction_gcd(step, exact[k] - origin)
    if step and (max(exact[k] for k in own) - min(exact[k] for k in own)) / step > MOST_STEPS:
        return False  # the group's own answers lie on no grid either: the linear test only
    others = sorted(
        (k for k in range(d.size) if k not in keep and exact[k] is not None),
        key=lambda k: (exact[k] - origin).denominator,
    )
    for k in others:  # the item's other values, while the grid stays coarse enough
        finer = _fraction_gcd(step, exact[k] - origin)
        span = max(exact[m] for m in (*keep, k)) - min(exact[m] for m in (*keep, k))
        if finer and span / finer <= MOST_STEPS:
            keep.append(k)
            step = finer
    if not step:
        return False
    keep.sort()
    places = np.array([float((exact[k] - exact[keep[0]]) / step) for k in keep])
    return _integer(places, counts[keep], small[keep])


def _fraction_gcd(a, b):
    """The greatest common divisor of two fractions (Euclid's algorithm)."""
    a, b = abs(a), abs(b)
    while b:
        a, b = b, a % b
    return a


#: Branch-and-bound nodes of one integer programme of :func:`_integer` at most (a count, not a
#: clock); a search cut short without an answer counts as forcing the count.
MOST_NODES = 2000


#: How far (in places on the scale) from a group's own answers the first, small integer
#: programmes of :func:`_integer` look for other answers with the group's three sums.
NEAR = 2


def _integer(scale: np.ndarray, counts: np.ndarray, small: np.ndarray) -> bool:
    """Whether some count of ``small`` is above 0 in every set of whole counts with the group's
    three sums. Each integer programme asks for as many of the open counts at 0 as one set of
    counts allows, and every count a solution leaves at 0 is settled: a few programmes settle a
    group (a count it cannot settle so is asked alone). Swaps of three answers for three
    (:func:`_swapped_out`) settle most counts first, with no programme; the programmes look first
    among the answers within :data:`NEAR` places of the group's own (a few dozen of the hundreds a
    score to one decimal place has): a set of counts there is one on the whole scale; only what
    that leaves open is asked on the whole scale."""
    d = scale - scale.min()
    open_ = set(np.flatnonzero(small).tolist())
    for k in sorted(open_):
        if k in open_ and (moved := _swapped_out(d, counts, k)) is not None:
            open_ -= set(np.flatnonzero(moved == 0).tolist())
    if not open_:
        return False
    places = np.flatnonzero(counts > 0)
    near = np.unique(np.clip(places[:, None] + np.arange(-NEAR, NEAR + 1)[None, :], 0, d.size - 1))
    if near.size < d.size:
        where = {k: i for i, k in enumerate(near.tolist())}
        settled = _emptied(d[near], counts[near], {where[k] for k in open_}) or set()
        open_ -= {int(near[i]) for i in settled}
    return bool(open_) and _emptied(d, counts, open_) != open_


#: Pairs of the group's other answers :func:`_swapped_out` tries with an answer at most.
MOST_PAIRS = 400


def _swapped_out(d: np.ndarray, counts: np.ndarray, k: int) -> np.ndarray | None:
    """Whole counts on ``d`` (whole steps) with the group's three sums and none at ``d[k]``, or
    None where none is found so: three answers, one of them ``d[k]``, give way to three others
    with their sum and sum of squares ({0, 4, 5} and {1, 2, 6}: 9 and 41), until none is left at
    ``d[k]``. Exact in whole numbers, and quick: most groups of a wide item need no integer
    programme.

    Examples
    --------
    >>> c = np.zeros(7)
    >>> c[[0, 4, 5]] = 1
    >>> _swapped_out(np.arange(7.0), c, 0).tolist()
    [0.0, 1.0, 1.0, 0.0, 0.0, 0.0, 1.0]
    """
    values = np.rint(d).astype(np.int64)
    where = {int(v): i for i, v in enumerate(values)}
    c = np.rint(counts).astype(np.int64)
    v = values[k]
    while c[k] > 0:
        rest = c.copy()
        rest[k] -= 1
        have = np.flatnonzero(rest > 0)
        i, j = np.triu_indices(have.size)
        keep = (i != j) | (rest[have[i]] >= 2)
        found = None
        pairs = zip(have[i[keep]][:MOST_PAIRS], have[j[keep]][:MOST_PAIRS], strict=True)
        for chunk in _chunks(list(pairs), PAIRS_AT_ONCE):  # most swaps are found in the first
            found = _swap(values, where, v, *chunk)
            if found is not None:
                break
        if found is None:
            return None
        for gone, by in ((k, -1), (found[0], -1), (found[1], -1), *((m, 1) for m in found[2:])):
            c[gone] += by
    return c.astype(float)


#: Pairs :func:`_swapped_out` tries at once (a swap is most often among the first few).
PAIRS_AT_ONCE = 32


def _chunks(pairs: list, size: int):
    """``pairs`` as (first answers, second answers) arrays, ``size`` pairs at a time."""
    for start in range(0, len(pairs), size):
        i, j = zip(*pairs[start : start + size], strict=True)
        yield np.array(i), np.array(j)


def _swap(values: np.ndarray, where: dict, v: int, i: np.ndarray, j: np.ndarray) -> tuple | None:
    """The first answers ``(i, j, x, y, z)`` (places) such that ``v``, ``values[i]``,
    ``values[j]`` and ``values[x]``, ``values[y]``, ``values[z]`` have the same sum and sum of
    squares, none of the three new ones ``v``; None where no pair of ``i, j`` has one."""
    s3 = (v + values[i] + values[j])[:, None]
    q3 = (v * v + values[i] ** 2 + values[j] ** 2)[:, None]
    x = values[None, :]
    p, disc = s3 - x, 2 * (q3 - x * x) - (s3 - x) ** 2
    root = np.rint(np.sqrt(np.clip(disc, 0, None))).astype(np.int64)
    ok = (disc >= 0) & (root * root == disc) & ((p - root) % 2 == 0) & (x != v)
    for r, col in zip(*np.nonzero(ok), strict=True):
        y, z = (p[r, col] - root[r, col]) // 2, (p[r, col] + root[r, col]) // 2
        if y != v and z != v and int(y) in where and int(z) in where:
            return i[r], j[r], col, where[int(y)], where[int(z)]
    return None


def _emptied(d: np.ndarray, counts: np.ndarray, open_: set[int]) -> set[int] | None:
    """The counts of ``open_`` that some set of whole counts on ``d`` with the group's three sums
    leaves at 0; None where a search is cut short or a solver's point is no exact solution
    (squares up to 10,000: within its tolerance only) and leaves some count unsettled."""
    from scipy.optimize import Bounds, LinearConstraint

    from rsw_eval.disclosure._solver import milp

    a = np.vstack([np.ones(d.size), d, d**2])
    b = a @ counts
    constraint = LinearConstraint(a, b, b)
    bounds = Bounds(0, counts.sum())
    integral = np.ones(d.size)
    options = {"presolve": True, "node_limit": MOST_NODES}
    todo, done = set(open_), set()
    if len(todo) > 1:  # first, all of them at 0 at once: a search for any point, often quick
        upper = np.full(d.size, counts.sum())
        upper[list(todo)] = 0
        res = milp(
            np.zeros(d.size),
            integrality=integral,
            bounds=Bounds(0, upper),
            constraints=constraint,
            options=options,
        )
        if _exact(res, a, b) is not None:
            return todo
    alone = False
    while todo:
        cost = np.zeros(d.size)
        cost[list(todo) if not alone else [min(todo)]] = 1.0
        res = milp(cost, integrality=integral, bounds=bounds, constraints=constraint, options=options)
        x = _exact(res, a, b)
        if x is None:
            return None
        zero = {k for k in todo if x[k] == 0}
        if alone and not zero:
            return done
        todo -= zero
        done |= zero
        alone = not zero
    return done


def _exact(res, a: np.ndarray, b: np.ndarray) -> np.ndarray | None:
    """A solver's point rounded to whole counts, or None where there is none or the rounded
    counts do not give the three sums exactly (a point within the solver's tolerance only)."""
    x = None if res.x is None else np.rint(res.x)
    return x if x is not None and (x >= 0).all() and np.array_equal(a @ x, b) else None
