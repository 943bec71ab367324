"""Whether a group's size, mean and SD on a wide whole-number item force an answer count.

On an item of more than :data:`MOST_ANSWERS` whole-number points (a
0-36 score, a percentage) the ledger holds no cell per answer; a group's size ``n``, sum ``S`` and
sum of squares ``Q`` (what its mean and SD give) are tested here instead. The answer counts of a
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
    one answer above the least allows, though fractions of people could spread it).

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
    small = (c >= 1) & (c <= threshold)
    if (forced(scale, c) & small).any():
        return True
    return _integer(np.asarray(scale, dtype=float), c, small)


#: Branch-and-bound nodes of one integer programme of :func:`_integer` at most (a count, not a
#: clock); a search cut short without an answer counts as forcing the count.
MOST_NODES = 2000


def _integer(scale: np.ndarray, counts: np.ndarray, small: np.ndarray) -> bool:
    """Whether some count of ``small`` is above 0 in every set of whole counts with the group's
    three sums. Each integer programme asks for as many of the open counts at 0 as one set of
    counts allows, and every count a solution leaves at 0 is settled: a few programmes settle a
    group (a count it cannot settle so is asked alone)."""
    from scipy.optimize import Bounds, LinearConstraint, milp

    d = scale - scale.min()
    a = np.vstack([np.ones(d.size), d, d**2])
    b = a @ counts
    constraint = LinearConstraint(a, b, b)
    bounds = Bounds(0, counts.sum())
    integral = np.ones(d.size)
    options = {"presolve": True, "node_limit": MOST_NODES}
    open_ = set(np.flatnonzero(small).tolist())
    alone = False
    while open_:
        cost = np.zeros(d.size)
        cost[list(open_) if not alone else [min(open_)]] = 1.0
        res = milp(cost, integrality=integral, bounds=bounds, constraints=constraint, options=options)
        x = None if res.x is None else np.rint(res.x)
        if x is None or (x < 0).any() or not np.array_equal(a @ x, b):  # none, or only within the
            return True  # solver's tolerance (squares up to 10,000): no proof that a count can go
        zero = {k for k in open_ if x[k] == 0}
        if alone and not zero:
            return True
        open_ -= zero
        alone = not zero
    return False
