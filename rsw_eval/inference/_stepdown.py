"""Step-down multiplicity adjustment over a joint permutation distribution (Westfall-Young maxT).

Tests whose statistics come from the same permutations (assignment a gives every test's statistic
at once) are adjusted together by the maximum of their statistics under each permutation, so
correlated tests do not pay a Bonferroni price; tests without a shared distribution are combined
with them by Holm's inequality across the *components* (each block of jointly permuted tests, and
each other test alone). With one block this is Westfall & Young's (1993) maxT step-down; with no
block it is Holm's procedure.
"""

from __future__ import annotations

import numpy as np

from rsw_eval.inference._permutation import TIE_TOLERANCE

__all__ = ["standardise", "stepdown"]


def standardise(stats) -> np.ndarray:
    """Absolute statistics divided by their median over the permutations, row by row.

    The median is taken over every permutation, the observed one included, so it does not depend
    on which assignment is the real one and each test's permutation distribution stays exact;
    dividing by it puts tests whose statistics have heavier or lighter tails on one footing before
    their maximum is taken (a row that is NaN under a permutation counts as not exceeding).

    Examples
    --------
    >>> standardise([[2.0, -1.0, 1.0, 4.0]]).tolist()
    [[1.3333333333333333, 0.6666666666666666, 0.6666666666666666, 2.6666666666666665]]
    """
    z = np.abs(np.asarray(stats, dtype=float))
    with np.errstate(invalid="ignore"):
        med = np.nanmedian(np.where(np.isfinite(z), z, np.nan), axis=1, keepdims=True)
    med = np.where(np.isfinite(med) & (med > 0), med, 1.0)
    return np.where(np.isfinite(z), z / med, -np.inf)


def stepdown(p, blocks=()) -> np.ndarray:
    """Family-wise adjusted p-values: maxT step-down within blocks, Holm across components.

    Parameters
    ----------
    p : array_like, shape (m,)
        Each test's own p-value (NaN: not a test, left NaN).
    blocks : sequence of (rows, stats)
        Tests sharing a permutation distribution: ``rows`` their indices into ``p``, ``stats`` an
        array (len(rows), n_permutations) of their standardised statistics (:func:`standardise`)
        with column 0 the observed assignment. A test in no block is a component of its own.

    Returns
    -------
    ndarray, shape (m,)
        Adjusted p-values. At each step, with R the tests not yet rejected and K the components
        holding one of them, each component's most significant test gets the component's p over
        R (for a block, the share of permutations whose maximum over the block's tests in R reaches
        the test's observed statistic, the observed permutation included; for a lone test its own
        p); the smallest, times K, is the next adjusted p (kept monotone).

    Notes
    -----
    The procedure is the shortcut of closed testing with intersections tested by Bonferroni across
    components and maxT within each: both are monotone in the set tested, so the shortcut is exact
    and the family-wise error is controlled in the strong sense under subset pivotality
    (Westfall & Young 1993, ch. 2; Romano & Wolf 2005). With one test per block and no blocks it
    is Holm (1979).

    Examples
    --------
    Two tests sharing 5 permutations (the observed first), and a third on its own:

    >>> z = np.array([[3.0, 1.0, 0.5, 2.0, 0.2], [2.5, 2.6, 0.1, 0.3, 0.4]])
    >>> stepdown([0.2, 0.4, 0.01], [([0, 1], z)]).round(3).tolist()
    [0.2, 0.4, 0.02]
    """
    p = np.asarray(p, dtype=float)
    out = np.full(p.shape, np.nan)
    member = {int(r) for rows, _ in blocks for r in rows}
    remaining = {i for i in range(p.size) if np.isfinite(p[i])}
    running = 0.0
    while remaining:
        best = (np.inf, -1)
        comps = set()
        for b, (rows, stats) in enumerate(blocks):
            live = [i for i, r in enumerate(rows) if int(r) in remaining]
            if not live:
                continue
            comps.add(("block", b))
            sub = stats[live]
            top = live[int(np.argmax(sub[:, 0]))]
            observed = stats[top, 0]
            exceed = sub.max(axis=0) >= observed - TIE_TOLERANCE * abs(observed)
            best = min(best, (float(exceed.mean()), int(rows[top])))
        for i in remaining:
            if i not in member:
                comps.add(("alone", i))
                best = min(best, (float(p[i]), i))
        value, chosen = best
        running = max(running, min(1.0, len(comps) * value))
        out[chosen] = running
        remaining.discard(chosen)
    return out
