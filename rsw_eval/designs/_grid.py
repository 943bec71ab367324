"""The grid a survey item's answers lie on (whole numbers, halves, a score to two decimal
places), in whole steps: what the publication's audit of answer counts works in
(:mod:`rsw_eval.designs._answers`, :mod:`rsw_eval.publication._pins`). Standard library and NumPy
only, so that the publication can read it without the designs' statistics.
"""

from __future__ import annotations

from fractions import Fraction
from functools import lru_cache
from math import gcd, lcm

import numpy as np

__all__ = ["MOST_DENOMINATOR", "MOST_STEPS", "fractions", "scale", "steps"]

#: The greatest denominator an answer's fraction may have (a score prorated over 11 of 12 items
#: has 11, hours in minutes 60), and the most steps a grid of fractions may span (a percentage to
#: one decimal place spans 1,000; whole numbers, any): an item with answers off every such grid is
#: not read.
MOST_DENOMINATOR, MOST_STEPS = 1000, 1000


def fractions(values: np.ndarray) -> tuple[Fraction | None, ...]:
    """Each value as the exact fraction of denominator at most :data:`MOST_DENOMINATOR` it is
    (within 1e-9 of its size), or None where it is none. An item's scale is converted once, however
    many groups and sets of hidden authorities the audit tests on it (a cache of recent scales).

    Examples
    --------
    >>> [str(f) for f in fractions(np.array([0.5, 0.33, 3.0]))], fractions(np.array([np.pi]))
    (['1/2', '33/100', '3'], (None,))
    """
    return _fractions(tuple(float(v) for v in values))


@lru_cache(maxsize=64)
def _fractions(values: tuple[float, ...]) -> tuple[Fraction | None, ...]:
    out = []
    for v in values:
        f = Fraction(v).limit_denominator(MOST_DENOMINATOR)
        out.append(f if abs(float(f) - v) <= 1e-9 * max(1.0, abs(v)) else None)
    return tuple(out)


def steps(values: np.ndarray) -> np.ndarray | None:
    """Distinct answers (sorted) as whole steps from the least, on the coarsest grid that holds them
    all (its step the greatest common divisor of their differences, as fractions); None where no
    grid of denominators up to :data:`MOST_DENOMINATOR` does (nor, for a grid of fractions, one of
    at most :data:`MOST_STEPS` steps). An item's sums held in steps are a fixed linear function of
    its published mean and SD, exact in floating point, and its integer programmes keep small
    coefficients (a percentage in tens is 0 to 10, not 0 to 100).

    Examples
    --------
    >>> steps(np.array([0.0, 10, 20, 50, 100])).tolist(), steps(np.array([1.0, 2, 5])).tolist()
    ([0.0, 1.0, 2.0, 5.0, 10.0], [0.0, 1.0, 4.0])
    >>> steps(np.array([12.0, 58.5, 100])).tolist()  # halves
    [0.0, 93.0, 176.0]
    >>> steps(np.array([0.1, 0.2, 0.3])).tolist(), steps(np.array([0.0, np.pi])) is None
    ([0.0, 1.0, 2.0], True)
    >>> float(steps(np.array([0.0, 5000.0, 5001.0]))[-1]), steps(np.array([0.0, 0.5, 1000.5])) is None
    (5001.0, True)
    """
    exact = fractions(values)
    if None in exact:
        return None
    unit = lcm(*(f.denominator for f in exact)) if exact else 1
    whole = [int((f - exact[0]) * unit) for f in exact]
    step = gcd(*whole) or 1
    out = np.array([w // step for w in whole], dtype=float)
    fine = step % unit != 0  # a grid of fractions; whole numbers are audited on any range
    return out if not fine or out[-1] <= MOST_STEPS else None


def scale(values: np.ndarray) -> tuple[np.ndarray, bool]:
    """An item's answers as the audit reads them: in whole steps of their grid (:func:`steps`),
    or, on no grid (a prorated score), as distances from the least; and whether they lie on one.

    Examples
    --------
    >>> [(s.tolist(), g) for s, g in (scale(np.array([1.0, 1.5, 3.0])), scale(np.array([0.0, np.pi])))]
    [([0.0, 1.0, 4.0], True), ([0.0, 3.141592653589793], False)]
    """
    grid = steps(values)
    return (grid, True) if grid is not None else (values - values.min(), False)
