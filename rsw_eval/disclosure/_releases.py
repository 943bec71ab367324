"""Under ``disclosure_rules = "dfe"``, each figure of an administrative series under the rule of the
DfE release it came from: the registry of releases (:func:`rsw_eval.io.release_rule`, keyed by the
row's ``source`` file, its ``year`` and the level of its ``la_code``), and the fixed DfE rule where
the registry does not know the release (a council's own file, a derived indicator)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

from rsw_eval.disclosure._suppress import RuleSet
from rsw_eval.io import release_file, release_rule
from rsw_eval.io._gaps import _span

__all__ = ["ENGLAND", "RowRules", "from_release", "level_of", "row_rules"]

#: England's code: national figures are not rounded under the fixed rule (DfE rounds sub-national
#: counts only there).
ENGLAND = "E92000001"
#: A rounding rule the registry states in words: "to the nearest 100 above 1,000, else to the
#: nearest 10" (SFR national totals).
_TWO_STEP = re.compile(r"nearest ([\d,]+) above ([\d,]+), else to the nearest ([\d,]+)")


def level_of(series: pd.DataFrame) -> pd.Series:
    """The registry's level of each row: ``National`` (England), ``Regional`` (GSS E12/E13 codes),
    else ``Local authority``.

    Examples
    --------
    >>> level_of(pd.DataFrame({"la_code": ["E92000001", "E12000007", "E09000012"]})).tolist()
    ['National', 'Regional', 'Local authority']
    """
    code = series["la_code"].astype(str)
    national = code == ENGLAND
    if "role" in series:
        national |= series["role"].astype(str) == "england"
    level = np.where(national, "National", np.where(code.str.match(r"E1[23]"), "Regional", "Local authority"))
    return pd.Series(level, index=series.index)


def from_release(series: pd.DataFrame) -> np.ndarray:
    """Per row of ``series``, whether its ``source`` is a file of a release the registry knows
    (:func:`rsw_eval.io.release_file`; any year): a figure as DfE or MHCLG published it, which
    publishing again reveals nothing new. Every other row (a council's own file, though in DfE's
    layout and under DfE's column names; a derived value; no ``source``) is checked as a council's
    own figure is, whatever the rule set: a council's return in DfE's layout, with DfE's rate
    names, before DfE suppressed it, gave its counts back where it was taken for DfE's
    (findings-q12disc Q1, Q2b).

    Examples
    --------
    >>> s = pd.DataFrame({"source": ["d3_cpps_subsequent_plan_2013_to_2025.csv", "panel.csv", None]})
    >>> from_release(s).tolist()
    [True, False, False]
    """
    if "source" not in series:
        return np.zeros(len(series), bool)
    names = series["source"].fillna("").astype(str)
    return names.map({name: release_file(name) for name in set(names)}).to_numpy(bool)


def _number(text: str) -> int:
    return int(text.replace(",", ""))


@cache
def _rule(name: str, year: int, level: str) -> tuple | None:
    """``(collection, suppress_to, round_to, small_round_to, limit)`` of a release, or None."""
    rule = release_rule(name, year, level)
    if rule is None:
        return None
    big, small, limit = rule["round_to"], rule["round_to"], np.inf
    two = _TWO_STEP.search(rule["round_rule"] or "")
    if two:
        big, limit, small = (_number(g) for g in two.groups())
    return rule["collection"], rule["suppress_to"], big, small, float(limit)


@dataclass(frozen=True)
class RowRules:
    """The rule of each row of a series: counts from 1 to ``threshold`` suppressed (0: none); counts
    rounded to the nearest ``round_to``, or ``small_round_to`` at or below ``limit``; ``known``
    where the registry gave the rule. ``releases``: the releases applied, said; ``fixed``: the
    sources whose counts took the fixed rule."""

    threshold: np.ndarray
    round_to: np.ndarray
    small_round_to: np.ndarray
    limit: np.ndarray
    known: np.ndarray
    releases: tuple[str, ...] = ()
    fixed: tuple[str, ...] = ()

    def base(self, value: np.ndarray, rows: np.ndarray | slice = slice(None)) -> np.ndarray:
        """The rounding base of ``rows`` for the (unrounded) counts ``value``."""
        return np.where(value > self.limit[rows], self.round_to[rows], self.small_round_to[rows])


def _fixed(rules: RuleSet, series: pd.DataFrame) -> np.ndarray:
    """The fixed rule's base: sub-national counts from ``round_from`` rounded to ``round_to``."""
    if rules.round_to <= 1:
        return np.ones(len(series), int)
    sub = (series["year"].astype(float) >= rules.round_from).to_numpy() & (level_of(series) != "National")
    return np.where(sub, rules.round_to, 1)


def _said(collection: str, level: str, years: list[int], rule: tuple) -> str:
    _, suppress_to, big, small, limit = rule
    shown = _span(sorted(set(years)))
    hidden = f"counts 1 to {suppress_to} suppressed" if suppress_to else "no suppression"
    if big == small:
        rounding = f"rounded to the nearest {big}" if big > 1 else "not rounded"
    else:
        rounding = f"rounded to the nearest {big} above {limit:,.0f}, else to the nearest {small}"
    return f"{collection} {shown} ({level.lower()}): {hidden}, {rounding}"


def row_rules(series: pd.DataFrame, rules: RuleSet, counts: np.ndarray | None = None) -> RowRules:
    """The rule each row of ``series`` (``la_code``, ``year``, optionally ``source`` and ``role``)
    is protected with.

    Under the ``"dfe"`` rule set a row whose release the registry knows takes its release's rule;
    every other row, and every row under ``"default"``, takes ``rules`` (threshold, and the fixed
    rounding of sub-national counts from ``round_from``). ``counts`` (bool per row) limits the
    ``releases`` and ``fixed`` it reports to those rows.

    Examples
    --------
    >>> from rsw_eval.disclosure import rule_set
    >>> s = pd.DataFrame({"la_code": ["E09000012", "E92000001", "E09000012"], "year": [2024, 2024, 2024],
    ...     "source": ["cla_number_and_rate_per_10k_children.csv"] * 2 + ["my_panel.csv"]})
    >>> r = row_rules(s, rule_set("dfe"))
    >>> r.threshold.tolist(), r.round_to.tolist(), r.known.tolist()
    ([5, 0, 7], [1, 10, 5], [True, True, False])
    >>> r.releases[0], r.fixed
    ('children_looked_after 2024 (local authority): counts 1 to 5 suppressed, not rounded', ('my_panel.csv',))
    """
    n = len(series)
    threshold = np.full(n, rules.threshold, int)
    big = _fixed(rules, series) if n else np.ones(0, int)
    small, limit = big.copy(), np.full(n, np.inf)
    known = np.zeros(n, bool)
    if rules.name != "dfe" or "source" not in series or not n:
        return RowRules(threshold, big, small, limit, known)
    counts = np.ones(n, bool) if counts is None else np.asarray(counts, bool)
    keys = pd.DataFrame(
        {
            "source": series["source"].fillna("").astype(str).to_numpy(),
            "year": series["year"].astype(int).to_numpy(),
            "level": level_of(series).to_numpy(),
        }
    )
    said: dict[tuple, list[int]] = {}
    fixed = set()
    for (source, year, level), rows in keys.groupby(["source", "year", "level"], sort=True).indices.items():
        rule = _rule(Path(source).name, int(year), level) if source else None
        if rule is None:
            if counts[rows].any():
                fixed.add(source or "(no source)")
            continue
        threshold[rows], big[rows], small[rows], limit[rows] = rule[1:]
        known[rows] = True
        if counts[rows].any():
            said.setdefault((rule[0], level, rule), []).append(int(year))
    releases = tuple(_said(c, level, years, rule) for (c, level, rule), years in said.items())
    return RowRules(threshold, big, small, limit, known, releases, tuple(sorted(fixed)))
