"""The attacker inside: for every suppressed count, the range of values consistent with everything
published (secondary suppression until each range is wide enough: :mod:`rsw_eval.disclosure.
_protect`; rule 6 of :mod:`rsw_eval.disclosure`).

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

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

__all__ = ["SOLVED", "UNBOUNDED", "Ledger", "audit"]

#: Upper bound of a cell no published total bounds (a count of people in one survey).
UNBOUNDED = 10**6
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
    whole : list of bool
        Whether a cell is a whole number (a count; a sum of answers on a grid, in its steps), as
        the attacker's integer programmes take it; the sums of answers on no grid are not.
    """

    names: list[str] = field(default_factory=list)
    values: list[float] = field(default_factory=list)
    lower: list[float] = field(default_factory=list)
    upper: list[float] = field(default_factory=list)
    relations: list[tuple[dict[int, float], str]] = field(default_factory=list)
    cost: list[float] = field(default_factory=list)
    links: dict[int, set[int]] = field(default_factory=dict)
    whole: list[bool] = field(default_factory=list)
    _known: set = field(default_factory=set, repr=False, compare=False)  # relations added, as keys

    def add(
        self,
        name: str,
        value: float,
        *,
        lower: float = 0.0,
        upper: float = UNBOUNDED,
        cost: float | None = None,
        whole: bool = True,
    ) -> int:
        """Add a cell; return its index."""
        self.names.append(name)
        self.values.append(float(value))
        self.lower.append(float(lower))
        self.upper.append(float(upper))
        self.cost.append(float(value) if cost is None else float(cost))
        self.whole.append(whole)
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
    from scipy.optimize import Bounds, LinearConstraint

    from rsw_eval.disclosure._solver import milp

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
            integrality=np.array([ledger.whole[i] for i in cells], dtype=float),
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
