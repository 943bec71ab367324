"""Secondary suppression: hide further published cells, cheapest first, until the interval attack
(:func:`rsw_eval.disclosure._audit.audit`) finds every sensitive count's range wide enough (rule 6
of :mod:`rsw_eval.disclosure`; greedy, as tau-Argus's modular and hypercube methods are)."""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from rsw_eval._errors import RswEvalWarning
from rsw_eval.disclosure._audit import SOLVED, Ledger, _closure, _components, _range, audit

__all__ = ["protect_ledger"]

#: The search for the least secondary suppression stops after this many range computations (two
#: integer programmes each; about a minute on the machine of benchmarks/README.md): each count
#: still too narrow then takes every published cell of its component's relations, more than the
#: least needed but at once (a 150-authority survey with 10 small authorities ran past 400 s:
#: findings-q20att-3 F2). A count, not a clock: the same data give the same publication anywhere.
MOST_RANGES = 3000


def _targets(ledger: Ledger, sensitive: Sequence[tuple[str, Mapping[int, float]]], hidden: np.ndarray):
    return [(n, t) for n, t in sensitive if any(hidden[i] for i in t)]


def _protected(
    result: pd.DataFrame, level: float, nobody: frozenset[str], spread: Mapping[str, float]
) -> pd.Series:
    """Whether each audited range protects its count: wider than ``level``, or, for a target
    named in ``nobody``, reaching 0 (no one can be shown to be in it); a target named in
    ``spread`` (not a count), at least as wide as its width there."""
    return pd.Series(
        [_wide_enough(r.target, r.low, r.high, level, nobody, spread) for r in result.itertuples()],
        index=result.index,
        dtype=bool,
    )


def _wide_enough(
    name: str, low: float, high: float, level: float, nobody: frozenset[str], spread: Mapping[str, float]
) -> bool:
    """:func:`_protected` for one target."""
    if name in spread:
        return high - low >= spread[name]
    return high - low > level or (name in nobody and low <= 0)


def _first_weak(
    ledger: Ledger,
    hidden: np.ndarray,
    targets: list,
    memo: dict,
    rule: tuple[float, frozenset[str], Mapping[str, float]],
    safe: set,
) -> tuple[Mapping[int, float], float] | None:
    """The first target (in order) whose range is not wide enough under ``rule`` (level, nobody,
    spread), with its width; None where there is none. A target found wide enough is put in
    ``safe`` and not audited again: hiding more cells frees their values, so a range only widens
    as secondary suppression goes on."""
    level, nobody, spread = rule
    comp = _components(ledger, hidden)
    for name, target in targets:
        key = (name, tuple(sorted(target.items())), spread.get(name), name in nobody)
        if key in safe:
            continue
        low, high = _range(ledger, hidden, target, comp, memo)
        if not _wide_enough(name, low, high, level, nobody, spread):
            return target, high - low
        safe.add(key)
    return None


#: The two-cell step: how many of the cheapest candidate cells it starts from, and how many pairs
#: (cheapest first) it audits at most.
PAIRED, PAIRS = 12, 60


def _pairs(ledger: Ledger, hidden: np.ndarray, pool: list[int], cost: np.ndarray) -> list[tuple]:
    """Pairs of published cells, cheapest first: a cell of ``pool`` with another of ``pool`` or
    of a relation of the first (a second cell can free the first from a total that pins it)."""
    out = set()
    for a in pool[:PAIRED]:
        second = set(pool)
        for coefs, _ in ledger.relations:
            if a in coefs:
                second.update(i for i in coefs if not hidden[i])
        out.update((min(a, b), max(a, b)) for b in second if b != a)
    return sorted((cost[a] + cost[b], ledger.names[a], ledger.names[b], a, b) for a, b in out)[:PAIRS]


def _cheapest_useful(
    ledger: Ledger,
    hidden: np.ndarray,
    target: Mapping[int, float],
    pool: list[int],
    width: float,
    memo: dict | None = None,
) -> np.ndarray:
    """``hidden`` with the cheapest cell of ``pool`` whose hiding widens the target's range, or the
    cheapest pair of cells (:func:`_pairs`) that widens it and costs less than that cell (where a
    total pins every cell, two are needed: one authority and the total, say, rather than the
    headline pooled cell); the cheapest of all when nothing does.
    """
    cost = np.asarray(ledger.cost, dtype=float)
    cells = np.arange(len(ledger))

    def widened(chosen: list[int]) -> np.ndarray | None:
        trial = _closure(ledger, hidden | np.isin(cells, chosen))
        lo, hi = _range(ledger, trial, target, _components(ledger, trial), memo)
        return trial if hi - lo > width else None

    single, limit = None, np.inf
    for i in pool:
        single = widened([i])
        if single is not None:
            limit = cost[i]
            break
    for total, _, _, a, b in _pairs(ledger, hidden, pool, cost):
        if total >= limit:
            break
        trial = widened([a, b])
        if trial is not None:
            return trial
    return single if single is not None else hidden | (cells == pool[0])


def protect_ledger(
    ledger: Ledger,
    primary: np.ndarray,
    sensitive: Sequence[tuple[str, Mapping[int, float]]],
    level: float,
    max_rounds: int = 200,
    nobody: Sequence[str] = (),
    together=None,
    spread: Mapping[str, float] | None = None,
) -> tuple[np.ndarray, pd.DataFrame]:
    """Secondary suppression until every sensitive count's feasible range is wider than ``level``.

    Greedy, as tau-Argus's modular and hypercube methods are: while a sensitive count's range is
    too narrow, hide the cheapest published cell, among those sharing a relation with the hidden
    cells of its component (its own relations first), whose hiding widens the range, then audit
    again.

    Parameters
    ----------
    ledger : Ledger
    primary : bool array
        Cells hidden by the primary rules.
    sensitive : list of (name, {cell: coefficient})
        The counts to protect (each hidden cell from 1 to t, and non-events = size - events where
        they are from 1 to t).
    level : float
        The protection level (the threshold): a range is wide enough when ``high - low > level``.
    nobody : sequence of str
        Targets also protected by a range that reaches 0: counts whose disclosure is that someone
        is in them (how many gave one answer of a survey item: a range "0 to 5" says no more than
        a suppressed cell does, and no one can be shown to have given the answer).
    together : callable, optional
        ``together(hidden)``: more targets, which depend on what is hidden (the answer counts of
        the hidden authorities of a pooled group, taken together), asked again each round, as
        ``(name, target, width)``: a ``nobody`` target where the width is None, else one of
        ``spread``'s.
    spread : mapping, optional
        Target name -> the width its range must reach (``high - low >= width``): targets that
        are not counts (the sum of a group's answers that, known, would force an answer count).

    Returns
    -------
    (hidden, audit)
        Every hidden cell (primary, linked and secondary) and the final audit of each sensitive
        target (``protected`` True where its range is wide enough).

    Examples
    --------
    >>> led = Ledger()
    >>> cells = [led.add(n, v, lower=1) for n, v in (("A", 3), ("B", 30), ("C", 50))]
    >>> pooled = led.add("pooled", 83, cost=1e6)
    >>> led.relate({pooled: 1, **{c: -1 for c in cells}})
    >>> hidden, report = protect_ledger(led, np.array([True, False, False, False]), [("A", {0: 1})], 5)
    >>> hidden.tolist(), report["protected"].tolist()
    ([True, True, False, False], [True])
    """
    hidden = _closure(ledger, np.asarray(primary, dtype=bool))
    cost = np.asarray(ledger.cost, dtype=float)
    nobody = frozenset(nobody)
    memo: dict = {}  # a target's range, by the hidden cells of its components (:func:`_range`)
    coarse = 0  # rounds that hid every related cell (MOST_RANGES)

    spread = dict(spread or {})

    def now(hidden: np.ndarray) -> tuple[list, frozenset[str], dict[str, float]]:
        more = together(hidden) if together is not None else []
        targets = _targets(ledger, [*sensitive, *((n, t) for n, t, _ in more)], hidden)
        wide = {**spread, **{n: w for n, _, w in more if w is not None}}
        return targets, nobody | {n for n, _, w in more if w is None}, wide

    safe: set = set()  # targets found wide enough: more hiding only widens them
    for _ in range(max_rounds):
        targets, lenient, wide = now(hidden)
        weak = _first_weak(ledger, hidden, targets, memo, (level, lenient, wide), safe)
        if weak is None:
            break
        target, width = weak
        comp = _components(ledger, hidden)
        own = {i for i in target if hidden[i]}
        reach = {comp[i] for i in own}
        near, far = set(), set()
        for coefs, _ in ledger.relations:
            touches_own = any(i in own for i in coefs)
            touches = touches_own or any(hidden[i] and comp[i] in reach for i in coefs)
            if touches:
                (near if touches_own else far).update(i for i in coefs if not hidden[i])
        pool = sorted(near or far, key=lambda i: (cost[i], ledger.names[i]))
        if not pool:
            break
        if memo.get(SOLVED, 0) > MOST_RANGES:  # every related cell at once (see MOST_RANGES)
            coarse += 1
            hidden = _closure(ledger, hidden | np.isin(np.arange(len(ledger)), list(near | far)))
            continue
        hidden = _closure(ledger, _cheapest_useful(ledger, hidden, target, pool, float(width), memo))
    if coarse:
        warnings.warn(
            f"secondary suppression: the search for the least suppression stopped after "
            f"{MOST_RANGES} range computations; {coarse} suppressed counts were then protected by "
            "hiding every published cell related to them, more than the least needed",
            RswEvalWarning,
            stacklevel=2,
        )
    targets, lenient, wide = now(hidden)
    result = audit(ledger, hidden, targets, memo)
    result["protected"] = _protected(result, level, lenient, wide)
    return hidden, result
