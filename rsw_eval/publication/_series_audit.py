"""The attacker inside, on the administrative series: the relations between counts that the
``[derived]`` table states go through the interval auditor the survey rows use.

The first pass of secondary suppression (:func:`rsw_eval.publication._secondary.secondary`) hides
one input of every small ``[derived]`` count. One input is not always enough: two small differences
that share a hidden term (``d1 = a - b``, ``d2 = b - c``, b hidden) are pinned by their sum
(``d1 + d2 = a - c``, both published), and with ``d1, d2 >= 0`` each lies in ``[0, a - c]``. So every
relation is written into a :class:`~rsw_eval.disclosure.Ledger` (one per authority with a sensitive
count: lags link its years), with what an attacker knows a priori (counts are >= 0; a derived count
never negative in the panel is taken to be known >= 0 too), and
:func:`~rsw_eval.disclosure.protect_ledger` hides further cells, cheapest first, until every
suppressed count's feasible range is wider than t (the protection-interval criterion, as for the
survey rows).

A cell the run prints anyway is no good secondary cell: a panel value that a published figure of
the registry states (``314 children in care today (2010)``, printed by the official-statistics
check beside the results) is chosen last (disclosure2 G8).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from rsw_eval.disclosure import Ledger, RuleSet, protect_ledger, row_rules
from rsw_eval.disclosure._audit import UNBOUNDED
from rsw_eval.inputs._derived import _compute
from rsw_eval.publication._forms import count_forms, counted, data_scale
from rsw_eval.published import PUBLISHED
from rsw_eval.spec._derived import parse_derived

__all__ = ["audit_series", "printed_cells"]

#: The cost of hiding a cell the run prints anyway (chosen only when nothing else will do).
PRINTED = 1e9


def printed_cells(raw: pd.DataFrame) -> set[tuple[str, int, str]]:
    """The panel cells (authority, year, indicator) whose value a registry figure states within
    its rounding: the official-statistics check prints that figure whatever the panel hides.

    Examples
    --------
    >>> p = pd.DataFrame({"la_code": "E09000012", "year": [2010, 2010],
    ...     "indicator": ["children_looked_after", "cp_plans_started"], "value": [314.0, 317.0]})
    >>> printed_cells(p)
    {('E09000012', 2010, 'children_looked_after')}
    """
    out = set()
    index = {
        key: v
        for key, v in zip(
            zip(
                raw["la_code"].astype(str), raw["year"].astype(int), raw["indicator"].astype(str), strict=True
            ),
            raw["value"].to_numpy(float),
            strict=True,
        )
    }
    for fig in PUBLISHED:
        if fig.kind != "value" or len(fig.official) != 2 or isinstance(fig.official[1], tuple):
            continue
        key = (fig.la_code, int(fig.official[1]), fig.official[0])
        value = index.get(key)
        if value is not None and abs(value - fig.value) <= fig.tolerance + 1e-9:
            out.add(key)
    return out


def audit_series(
    raw: pd.DataFrame, rules: RuleSet, derived: list[dict] | tuple, hide: np.ndarray
) -> np.ndarray:
    """``hide`` (rows of the unprotected panel ``raw`` to suppress as secondary cells) with the
    further rows the interval audit of the ``[derived]`` count relations asks for.

    Examples
    --------
    >>> from rsw_eval.disclosure import rule_set
    >>> p = pd.DataFrame({"la_code": "A", "year": 2014, "indicator": ["a", "b", "c", "d1", "d2"],
    ...     "value": [40.0, 39, 38, 1, 1], "flag": "", "source": ["f", "f", "f", "derived", "derived"]})
    >>> entries = [{"indicator": "d1", "expr": "a - b"}, {"indicator": "d2", "expr": "b - c"}]
    >>> rules = rule_set(counts=["a", "b", "c", "d1", "d2"])
    >>> first = np.array([False, True, False, False, False])  # b, hidden for d1 (d2 then skipped)
    >>> audit_series(p, rules, entries, first).tolist()  # d1 + d2 = a - c = 2: a goes too
    [True, True, False, False, False]
    """
    t = rules.threshold
    parsed = [
        parse_derived({e["indicator"]: {"expr": e["expr"], "lag": e.get("lag") or {}}})[0] for e in derived
    ]
    forms = [  # a single count (``a / pop``) is that count, under its own rule; an alias is a relation
        (d, form)
        for d in parsed
        for form in count_forms(d.tree, rules.counts, data_scale(raw, d.inputs))
        if form.combined or form.exact
    ]
    if not forms:
        return hide
    # a breakdown found in the data may miss its total by a little in a few authority-years
    miss_of = {(str(e["indicator"]), str(e["expr"]).strip()): float(e.get("miss", 0)) for e in derived}
    keys = list(
        zip(raw["la_code"].astype(str), raw["year"].astype(int), raw["indicator"].astype(str), strict=True)
    )
    where = {key: i for i, key in enumerate(keys)}
    values = raw["value"].to_numpy(float)
    counts = raw["indicator"].isin(rules.counts).to_numpy()
    small = counts & (values >= 1) & (values <= row_rules(raw, rules).threshold)  # a release's own t
    relations = []  # (authority, derived cell or None, count, {term: coefficient}, exact, combined, miss)
    for d, form in forms:
        c = counted(d, form)
        rows = _compute(raw[raw["indicator"] != d.name], c)
        coef = dict(form.terms)
        for code, year, value in zip(
            rows["la_code"].astype(str), rows["year"].astype(int), rows["value"], strict=True
        ):
            if not np.isfinite(value):
                continue
            terms = {(code, year - c.lag.get(n, 0), n): coef[n] for n in c.inputs}
            own = (code, year, d.name)
            # a single count (an alias) is no new count: never sensitive itself
            relations.append(
                (
                    code,
                    own if own in where else None,
                    float(value),
                    terms,
                    form.exact,
                    form.combined,
                    miss_of.get((d.name, d.expr), 0.0),
                )
            )
    sensitive_codes = {r[0] for r in relations if r[5] and 1 <= abs(r[2]) <= t}
    sensitive_codes |= {k[0] for k, s in zip(keys, small, strict=True) if s}
    relations = [r for r in relations if r[0] in sensitive_codes]
    if not relations:
        return hide
    printed = printed_cells(raw)
    derived_names = {d.name for d in parsed}
    nonnegative = {  # what an attacker knows a priori: counts are >= 0, and so is a derived count never < 0
        name
        for name, v in raw.groupby("indicator")["value"]
        if name not in derived_names or (pd.to_numeric(v, errors="coerce").dropna() >= 0).all()
    }
    ledger, cell = Ledger(), {}

    def add(key) -> int:
        if key not in cell:
            i = where[key]
            lower = min(0.0, values[i]) if key[2] in nonnegative else -UNBOUNDED
            cost = values[i] + (PRINTED if key in printed else 0.0)
            cell[key] = ledger.add(f"{key[0]} {key[1]} {key[2]}", values[i], lower=lower, cost=abs(cost))
        return cell[key]

    primary, sensitive = {}, []
    for n, (_, own, value, terms, exact, combined, miss) in enumerate(relations):
        if not all(k in where for k in terms):
            continue
        members = {add(k): -float(v) for k, v in terms.items()}
        if own is not None and exact:
            target = add(own)
        else:  # the count a rate gives back: a cell of its own, published with the rate
            target = ledger.add(f"count {n}", value, lower=-UNBOUNDED, cost=PRINTED)
            if own is not None:
                ledger.links.setdefault(add(own), set()).add(target)
                ledger.links.setdefault(target, set()).add(add(own))
        ledger.relate({target: 1.0, **members})
        off = abs(values[where[own]] - value) if own is not None else 0.0
        if miss and exact and off > 1e-9:
            # where the breakdown misses its total, it is known to within that miss: a constant
            slack = ledger.add(f"miss {n}", off, lower=off, upper=off, cost=UNBOUNDED, whole=False)
            ledger.relate({target: 1.0, **members, slack: -1.0}, "<=")
            ledger.relate({target: -1.0, **{i: -v for i, v in members.items()}, slack: -1.0}, "<=")
        for i in members:  # a hidden term hides the derived value (it is recomputed from it)
            ledger.links.setdefault(i, set()).add(target)
        if combined and 1 <= abs(value) <= t:
            primary[target] = True
            sensitive.append((f"derived {n}", {target: 1.0}))
    for key, i in cell.items():
        j = where[key]
        if small[j] or hide[j]:
            primary[i] = True
        if small[j]:
            sensitive.append((key[2], {i: 1.0}))
    if not sensitive:
        return hide
    start = np.zeros(len(ledger), bool)
    start[list(primary)] = True
    hidden, _ = protect_ledger(ledger, start, sensitive, t)
    out = hide.copy()
    for key, i in cell.items():
        out[where[key]] |= bool(hidden[i]) and not small[where[key]]
    return out
