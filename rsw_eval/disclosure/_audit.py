"""The attacker inside: for every suppressed count, the range of values consistent with everything
published, and secondary suppression until each range is wide enough (rule 9 of
:mod:`rsw_eval.disclosure`).

A table of counts is a :class:`Ledger`: integer cells (group sizes, events), the linear relations
anyone who knows the table's shape can write down (a pooled group is the sum of its authorities, a
Total row the sum of its groups, events lie between 0 and the group size) and, for each cell, whether
it is published. The attack is the one tau-Argus and R sdcTable use to audit a table: for each
suppressed count x, minimise and maximise x subject to the relations with every published cell fixed
(here an integer programme, solved by SciPy's HiGHS, so that whole-number facts such as "a share of
exactly 33/83" are used too). The rule (the *protection-interval criterion* with a sliding
protection range, tau-Argus's term): a sensitive count is protected when its feasible range is
wider than the protection level, ``x_max - x_min > level`` (the level is the threshold ``t``), so
the range always holds a value above ``t`` as well as the true one.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from rsw_eval._errors import RswEvalWarning

__all__ = ["Ledger", "audit", "protect_ledger"]

#: Upper bound of a cell no published total bounds (a count of people in one survey).
UNBOUNDED = 10**6
#: The search for the least secondary suppression stops after this many range computations (two
#: integer programmes each; about a minute on the machine of benchmarks/README.md): each count
#: still too narrow then takes every published cell of its component's relations, more than the
#: least needed but at once (a 150-authority survey with 10 small authorities ran past 400 s:
#: findings-q20att-3 F2). A count, not a clock: the same data give the same publication anywhere.
MOST_RANGES = 3000
SOLVED = "ranges computed"  # the memo's counter


@dataclass
class Ledger:
    """Integer cells, what is known of each a priori, and the relations between them.

    Attributes
    ----------
    names : list of str
        One per cell (a readable key; never a value).
    values : list of float
        The true values (kept in memory, never published).
    lower, upper : list of float
        Bounds anyone knows (a listed group has at least 1 member; 0 events at least).
    relations : list of (dict, str)
        ``({cell: coefficient}, sense)`` meaning ``sum(coef * x) == 0`` (sense ``"="``) or
        ``<= 0`` (sense ``"<="``).
    cost : list of float
        What hiding the cell costs (secondary suppression hides the cheapest first).
    links : dict
        cell -> cells hidden whenever it is (a group's size hides its shares).
    """

    names: list[str] = field(default_factory=list)
    values: list[float] = field(default_factory=list)
    lower: list[float] = field(default_factory=list)
    upper: list[float] = field(default_factory=list)
    relations: list[tuple[dict[int, float], str]] = field(default_factory=list)
    cost: list[float] = field(default_factory=list)
    links: dict[int, set[int]] = field(default_factory=dict)
    _known: set = field(default_factory=set, repr=False, compare=False)  # relations added, as keys

    def add(
        self,
        name: str,
        value: float,
        *,
        lower: float = 0.0,
        upper: float = UNBOUNDED,
        cost: float | None = None,
    ) -> int:
        """Add a cell; return its index."""
        self.names.append(name)
        self.values.append(float(value))
        self.lower.append(float(lower))
        self.upper.append(float(upper))
        self.cost.append(float(value) if cost is None else float(cost))
        return len(self.names) - 1

    def relate(self, coefs: Mapping[int, float], sense: str = "=") -> None:
        """Add ``sum(coef * x) == 0`` (or ``<= 0``), if the true values satisfy it."""
        total = sum(c * self.values[i] for i, c in coefs.items())
        holds = (abs(total) < 1e-6) if sense == "=" else (total <= 1e-6)
        key = (frozenset(coefs.items()), sense)  # a set, not a scan of the list (quadratic)
        if holds and key not in self._known:
            self._known.add(key)
            self.relations.append((dict(coefs), sense))

    def __len__(self) -> int:
        return len(self.names)


def _closure(ledger: Ledger, hidden: np.ndarray) -> np.ndarray:
    hidden = hidden.copy()
    stack = list(np.flatnonzero(hidden))
    while stack:
        for j in ledger.links.get(int(stack.pop()), ()):
            if not hidden[j]:
                hidden[j] = True
                stack.append(j)
    return hidden


def _components(ledger: Ledger, hidden: np.ndarray) -> np.ndarray:
    """Component label of each hidden cell: hidden cells that share a relation are connected."""
    parent = list(range(len(ledger)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for coefs, _ in ledger.relations:
        cells = [i for i in coefs if hidden[i]]
        for a, b in zip(cells, cells[1:], strict=False):
            parent[find(a)] = find(b)
    return np.array([find(i) for i in range(len(ledger))])


def _range(
    ledger: Ledger,
    hidden: np.ndarray,
    target: Mapping[int, float],
    comp: np.ndarray,
    memo: dict | None = None,
) -> tuple:
    """(min, max) of ``sum(coef * x)`` over the integer points consistent with the publication.
    ``memo`` keeps each answer by the target and the hidden cells of its components, which alone
    decide it (the secondary suppression's rounds re-audit targets whose components did not change)."""
    values = np.asarray(ledger.values, dtype=float)
    free = [i for i in target if hidden[i]]
    if not free:
        v = sum(c * values[i] for i, c in target.items())
        return v, v
    labels = {comp[i] for i in free}
    cells = [i for i in np.flatnonzero(hidden) if comp[i] in labels]
    key = (tuple(sorted(target.items())), tuple(cells))
    if memo is not None and key in memo:
        return memo[key]
    out = _solve(ledger, values, cells, target)
    if memo is not None:
        memo[key] = out
        memo[SOLVED] = memo.get(SOLVED, 0) + 1
    return out


#: Branch-and-bound nodes of one integer programme at most (a count, not a clock, so that what is
#: published does not depend on the machine): a search cut short keeps the best point found.
MOST_NODES = 5000


def _solve(ledger: Ledger, values: np.ndarray, cells: list[int], target: Mapping[int, float]) -> tuple:
    """:func:`_range` on the hidden ``cells`` of the target's components: two integer programmes."""
    from scipy.optimize import Bounds, LinearConstraint, milp

    pos = {c: k for k, c in enumerate(cells)}
    rows, lo, hi = [], [], []
    for coefs, sense in ledger.relations:
        if not any(i in pos for i in coefs):
            continue
        a = np.zeros(len(cells))
        const = 0.0
        for i, c in coefs.items():
            if i in pos:
                a[pos[i]] += c
            else:
                const += c * values[i]
        rows.append(a)
        lo.append(-const if sense == "=" else -np.inf)
        hi.append(-const)
    lower = np.array([ledger.lower[i] for i in cells])
    upper = np.array([ledger.upper[i] for i in cells])
    constraints = [LinearConstraint(np.array(rows), lo, hi)] if rows else []
    objective = np.zeros(len(cells))
    const = 0.0
    for i, c in target.items():
        if i in pos:
            objective[pos[i]] += c
        else:
            const += c * values[i]
    out = []
    truth = float(objective @ values[cells]) + const
    for sign in (1.0, -1.0):
        res = milp(
            sign * objective,
            integrality=np.ones(len(cells)),
            bounds=Bounds(lower, upper),
            constraints=constraints,
            options={"presolve": True, "node_limit": MOST_NODES},
        )
        if res.status not in (0, 1):  # cannot happen: the true values are feasible
            return -np.inf, np.inf
        # stopped at the node limit: the best point found (a narrower range than the true one, so
        # a target it protects is protected), or the true values where none was found
        found = truth if res.x is None else float(objective @ np.round(res.x)) + const
        out.append(min(found, truth) if sign > 0 else max(found, truth))
    return out[0], out[1]


def audit(
    ledger: Ledger,
    hidden: np.ndarray,
    targets: Sequence[tuple[str, Mapping[int, float]]],
    memo: dict | None = None,
) -> pd.DataFrame:
    """The feasible range of each target (a suppressed count, or a difference such as non-events =
    size - events) given every published cell and relation (``memo``: see :func:`_range`).

    Returns
    -------
    DataFrame
        ``target, low, high, width`` (never the true value).

    Examples
    --------
    >>> led = Ledger()
    >>> a, b, pooled = led.add("A", 3, lower=1), led.add("B", 30, lower=1), led.add("pooled", 33)
    >>> led.relate({pooled: 1, a: -1, b: -1})
    >>> audit(led, np.array([True, False, False]), [("A", {a: 1})])[["low", "high"]].values.tolist()
    [[3.0, 3.0]]
    >>> audit(led, np.array([True, True, False]), [("A", {a: 1})])[["low", "high"]].values.tolist()
    [[1.0, 32.0]]
    """
    comp = _components(ledger, hidden)
    rows = []
    for name, target in targets:
        lo, hi = _range(ledger, hidden, target, comp, memo)
        rows.append({"target": name, "low": lo, "high": hi, "width": hi - lo})
    return pd.DataFrame(rows, columns=["target", "low", "high", "width"])


def _targets(ledger: Ledger, sensitive: Sequence[tuple[str, Mapping[int, float]]], hidden: np.ndarray):
    return [(n, t) for n, t in sensitive if any(hidden[i] for i in t)]


def _protected(
    result: pd.DataFrame, level: float, nobody: frozenset[str], spread: Mapping[str, float]
) -> pd.Series:
    """Whether each audited range protects its count: wider than ``level``, or, for a target
    named in ``nobody``, reaching 0 (no one can be shown to be in it); a target named in
    ``spread`` (not a count), at least as wide as its width there."""
    reaches_zero = result["target"].isin(nobody) & (result["low"] <= 0)
    need = result["target"].map(spread)
    return need.isna() & ((result["width"] > level) | reaches_zero) | (result["width"] >= need)


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

    for _ in range(max_rounds):
        targets, lenient, wide = now(hidden)
        result = audit(ledger, hidden, targets, memo)
        weak = result.index[~_protected(result, level, lenient, wide)]
        if not len(weak):
            break
        _, target = targets[weak[0]]
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
        hidden = _closure(
            ledger, _cheapest_useful(ledger, hidden, target, pool, float(result.at[weak[0], "width"]), memo)
        )
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
