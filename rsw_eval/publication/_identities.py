"""Totals and their breakdowns among the panel's counts, found in the data (findings-q21att F1).

A council loads children looked after beside the girls and the boys, or the unaccompanied children
and the others, as indicators of their own: nothing in the spec says that ``cla_male = children
_looked_after - cla_female``, but anyone who reads the published table can subtract (521 - 518 = 3
girls, shown as ``c``). Written as ``[derived]`` entries, such relations go through the series
auditor (:func:`~rsw_eval.publication._series_audit.audit_series`); undeclared, they are found
here: a count indicator that equals the sum of two to :data:`MOST_PARTS` other count indicators in
every authority-year where all of them are given (at least :data:`FEWEST_ROWS` of them, with two
parts above 0 in one at least; a part may be missing or suppressed in some) is taken to be their
total, and the relation is audited as if declared (where all its terms are given). Not found: a
relation that fails by one in any authority-year, a breakdown of more parts, relations over years.
"""

from __future__ import annotations

from itertools import combinations

import numpy as np
import pandas as pd

__all__ = ["FEWEST_ROWS", "MOST_PARTS", "SIGNATURE", "identities"]

#: A total of more parts than this (six age bands and more) is not looked for.
MOST_PARTS = 6
#: Authority-years an identity must hold in before it is taken to be one (not a coincidence).
FEWEST_ROWS = 3


#: The authority-years whose sums are compared first (a candidate is then checked on every one).
SIGNATURE = 12


def _sums(columns: list[str], wide: np.ndarray, most: int) -> dict[bytes, list[tuple[str, ...]]]:
    """Each sum of from 1 to ``most`` of the columns, keyed by its values (as whole numbers)."""
    out: dict[bytes, list[tuple[str, ...]]] = {}
    for k in range(1, min(most, len(columns)) + 1):
        groups = np.array(list(combinations(range(len(columns)), k)), dtype=np.intp)
        sums = np.rint(wide[:, groups].sum(axis=2)).astype(np.int64).T  # one row per group
        for group, row in zip(groups, sums, strict=True):
            out.setdefault(row.tobytes(), []).append(tuple(columns[j] for j in group))
    return out


def identities(panel: pd.DataFrame, counts) -> list[dict]:
    """``[derived]``-shaped entries (``indicator``, ``expr``) for each total among the ``counts``
    found equal to the sum of others (one entry per total and breakdown: the total as its parts'
    sum), for the series audit only (never recomputed, never published).

    Examples
    --------
    >>> rows = [("A", y, i, v) for y, (t, f, m) in zip(range(2010, 2014), [(40, 3, 37), (41, 20, 21),
    ...         (38, 19, 19), (44, 22, 22)]) for i, v in (("cla", t), ("cla_f", f), ("cla_m", m))]
    >>> p = pd.DataFrame(rows, columns=["la_code", "year", "indicator", "value"])
    >>> identities(p, ["cla", "cla_f", "cla_m"])
    [{'indicator': 'cla', 'expr': 'cla_f + cla_m'}]
    """
    names = sorted(set(panel["indicator"].astype(str)) & set(counts))
    if len(names) < 3:
        return []
    values = pd.to_numeric(panel["value"], errors="coerce")
    rows = panel.assign(value=values)[panel["indicator"].isin(names)]
    wide = rows.pivot_table(index=["la_code", "year"], columns="indicator", values="value", aggfunc="first")
    out = []
    for total in names:
        if total not in wide:
            continue
        here = wide[wide[total].notna()]
        # a part is given in most authority-years of the total (a gap, a DfE c, is no reason to
        # miss it: the relation holds wherever all its terms are given)
        given = here.notna().sum()
        whole = here.apply(lambda c: (np.abs(c - np.rint(c)) < 1e-9) | c.isna()).all()
        parts = [
            c
            for c in here.columns
            if c != total
            and whole[c]
            and given[c] >= FEWEST_ROWS
            and not (here[c] > here[total]).any()
            and not (here[c] < 0).any()
        ]
        if len(parts) < 2 or not whole[total]:
            continue
        # meet in the middle, on a few authority-years where every part is given: sums of up to
        # half the parts, and the total less each of them
        first = here.dropna(subset=parts).iloc[:SIGNATURE]
        if len(first) < FEWEST_ROWS:
            continue
        sums = _sums(parts, first[parts].to_numpy(float), (MOST_PARTS + 1) // 2)
        target = np.rint(first[total].to_numpy(float)).astype(np.int64)
        found = set()
        for key, groups in sums.items():
            rest = target - np.frombuffer(key, dtype=np.int64)
            for other in [*sums.get(rest.tobytes(), []), *([()] if not rest.any() else [])]:
                for group in groups:
                    union = tuple(sorted(set(group) | set(other)))
                    if len(union) != len(group) + len(other) or not 2 <= len(union) <= MOST_PARTS:
                        continue
                    every = here[list(union)].dropna()
                    if (
                        len(every) >= FEWEST_ROWS
                        and np.array_equal(
                            every.sum(axis=1).to_numpy(), here.loc[every.index, total].to_numpy()
                        )
                        and ((every > 0).sum(axis=1) >= 2).any()
                    ):
                        found.add(union)
        for union in sorted(found, key=lambda u: (len(u), u)):
            if any(set(f) < set(union) for f in found):  # (a part of 0 everywhere adds nothing)
                continue
            out.append({"indicator": total, "expr": " + ".join(union)})
    return out
