"""Totals and their breakdowns among the panel's counts, found in the data (findings-q21att F1).

A council loads children looked after beside the girls and the boys, or the unaccompanied children
and the others, as indicators of their own: nothing in the spec says that ``cla_male = children
_looked_after - cla_female``, but anyone who reads the published table can subtract (521 - 518 = 3
girls, shown as ``c``). Written as ``[derived]`` entries, such relations go through the series
auditor (:func:`~rsw_eval.publication._series_audit.audit_series`); undeclared, they are found
here: a count indicator that equals the sum of two to :data:`MOST_PARTS` other count indicators in
every authority-year where all of them are given (at least :data:`FEWEST_ROWS` of them, with two
parts above 0 in one at least; a part may be missing or suppressed in some) is taken to be their
total, and the relation is audited as if declared (where all its terms are given). A breakdown
that misses its total in a few authority-years (a child of unknown sex in a column blank elsewhere,
a typo; DfE's own SFR misses by 1 in 2 of 22 of Sheffield's group: at most one in three of them,
exact in the others) is one too: where it misses, the auditor knows the total to
within that miss of its parts' sum. Not found: a breakdown of more parts, relations over
years.
"""

from __future__ import annotations

from itertools import combinations

import numpy as np
import pandas as pd

from rsw_eval.spec._derived import quoted

__all__ = ["FEWEST_ROWS", "MOST_PARTS", "SIGNATURE", "identities"]

#: A total of more parts than this (six age bands and more) is not looked for.
MOST_PARTS = 6
#: Authority-years an identity must hold in before it is taken to be one (not a coincidence).
FEWEST_ROWS = 3


#: The authority-years whose sums are compared first (a candidate is then checked on every one),
#: in each of :data:`WINDOWS` runs of them (a miss in one run hides no breakdown from the others).
SIGNATURE, WINDOWS = 3, 8
#: The share of the authority-years a breakdown may miss its total in (by any amount: a child of
#: unknown sex in a column blank elsewhere, a typo), and a part (or the total) hold a value that is
#: no whole number in.
MOST_OFF_SHARE = 1 / 3


def _miss(here: pd.DataFrame, total: str, union: tuple[str, ...]) -> float | None:
    """By how much at most ``union`` misses ``total`` where all are given, if it is a breakdown
    of it (exact in :data:`FEWEST_ROWS` authority-years at least, two parts above 0 in one of them,
    missed in at most :data:`MOST_OFF_SHARE` of them); else None."""
    every = here[list(union)].dropna()
    miss = here.loc[every.index, total].to_numpy() - every.sum(axis=1).to_numpy()
    exact = miss == 0
    if (
        exact.sum() < FEWEST_ROWS
        or (~exact).mean() > MOST_OFF_SHARE
        or not ((every[exact] > 0).sum(axis=1) >= 2).any()
    ):
        return None
    return float(np.abs(miss).max())


def _sums(columns: list[str], wide: np.ndarray, most: int) -> dict[bytes, list[tuple[str, ...]]]:
    """Each sum of from 1 to ``most`` of the columns, keyed by its values (as whole numbers)."""
    out: dict[bytes, list[tuple[str, ...]]] = {}
    for k in range(1, min(most, len(columns)) + 1):
        groups = np.array(list(combinations(range(len(columns)), k)), dtype=np.intp)
        sums = np.rint(wide[:, groups].sum(axis=2)).astype(np.int64).T  # one row per group
        for group, row in zip(groups, sums, strict=True):
            out.setdefault(row.tobytes(), []).append(tuple(columns[j] for j in group))
    return out


#: The runs of authority-years :func:`_signatures` gives at most (for one total).
MOST_RUNS = 16


def _signatures(parts: pd.DataFrame):
    """Runs of :data:`SIGNATURE` authority-years (up to :data:`WINDOWS` of each set of parts given
    together, commonest first: a council's own columns filled for some years, DfE's name for a
    column changed between releases), each with the parts given in all of them; at most
    :data:`MOST_RUNS`."""
    given = parts.notna()
    runs = 0
    for _, rows in sorted(given.groupby(list(given.columns)), key=lambda g: -len(g[1])):
        names = [c for c in parts.columns if rows[c].iloc[0]]
        if len(rows) < FEWEST_ROWS or len(names) < 2:
            continue
        for w in range(WINDOWS):
            first = parts.loc[rows.index[w * SIGNATURE : (w + 1) * SIGNATURE], names]
            if len(first) < FEWEST_ROWS or runs >= MOST_RUNS:
                break
            runs += 1
            yield first, names


def _candidates(
    here: pd.DataFrame, total: str, parts: list[str], first: pd.DataFrame
) -> dict[tuple[str, ...], float]:
    """Breakdowns of ``total`` (parts -> miss, :func:`_miss`) whose sum is the total on every
    authority-year of ``first``: meet in the middle, sums of up to half the parts, and the total
    less each of them."""
    sums = _sums(parts, first[parts].to_numpy(float), (MOST_PARTS + 1) // 2)
    target = np.rint(first[total].to_numpy(float)).astype(np.int64)
    found = {}
    for key, groups in sums.items():
        rest = target - np.frombuffer(key, dtype=np.int64)
        for other in [*sums.get(rest.tobytes(), []), *([()] if not rest.any() else [])]:
            for group in groups:
                union = tuple(sorted(set(group) | set(other)))
                if len(union) != len(group) + len(other) or not 2 <= len(union) <= MOST_PARTS:
                    continue
                if union not in found and (miss := _miss(here, total, union)) is not None:
                    found[union] = miss
    return found


def identities(panel: pd.DataFrame, counts) -> list[dict]:
    """``[derived]``-shaped entries (``indicator``, ``expr``, ``miss``: by how much at most the
    total misses its parts' sum) for each total among the ``counts`` found equal to the sum of
    others (one entry per total and breakdown: the total as its parts' sum), for the series audit
    only (never recomputed, never published).

    Examples
    --------
    >>> rows = [("A", y, i, v) for y, (t, f, m) in zip(range(2010, 2014), [(40, 3, 37), (41, 20, 21),
    ...         (38, 19, 19), (44, 22, 22)]) for i, v in (("cla", t), ("cla_f", f), ("cla_m", m))]
    >>> p = pd.DataFrame(rows, columns=["la_code", "year", "indicator", "value"])
    >>> identities(p, ["cla", "cla_f", "cla_m"])
    [{'indicator': 'cla', 'expr': 'cla_f + cla_m', 'miss': 0.0}]
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
        # a stray value that is no whole number (a typo, 218.5) is a miss, not a reason to pass by
        whole = here.apply(lambda c: (np.abs(c - np.rint(c)) > 1e-9).mean() <= MOST_OFF_SHARE)
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
        found: dict[tuple[str, ...], float] = {}
        for first, given_here in _signatures(here[parts]):
            found |= _candidates(here, total, given_here, first.join(here[total]))
        for union in sorted(found, key=lambda u: (len(u), u)):
            if any(set(f) < set(union) for f in found):  # (a part of 0 everywhere adds nothing)
                continue
            out.append({"indicator": total, "expr": " + ".join(map(quoted, union)), "miss": found[union]})
    return out
