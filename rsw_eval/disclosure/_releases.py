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

from rsw_eval.disclosure._suppress import RATES, RuleSet
from rsw_eval.io import dfe_indicators, release_file, release_rule
from rsw_eval.io._gaps import _span

__all__ = [
    "ENGLAND",
    "RELEASED",
    "WHOLE_RELEASE",
    "RowRules",
    "from_release",
    "level_of",
    "partial_releases",
    "row_rules",
]

#: England's code: national figures are not rounded under the fixed rule (DfE rounds sub-national
#: counts only there).
ENGLAND = "E92000001"
#: The panel's column of :func:`from_release`'s decision, taken on the whole panel (a chart's series,
#: a part of it, reads it rather than deciding again on the authorities it holds).
RELEASED = "released"
#: A rounding rule the registry states in words: "to the nearest 100 above 1,000, else to the
#: nearest 10" (SFR national totals).
#: The fewest local authorities a DfE or MHCLG authority-level file holds in one of its years: each
#: covers every authority of England (about 150). A file under a release's name holding fewer, in
#: every year, is a council's own return or extract (its own authority, its neighbours, its region:
#: London has 33), whatever its layout, names and values (findings-q13disc R1, R4, q14 F1).
WHOLE_RELEASE = 100
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


def from_release(series: pd.DataFrame, counts: frozenset[str] = frozenset()) -> np.ndarray:
    """Per row of ``series``, whether it is a figure as DfE or MHCLG published it, which
    publishing again reveals nothing new: its ``source`` is a file of a release the registry knows
    (:func:`rsw_eval.io.release_file`), the registry knows that release for the row's year and level
    (:func:`rsw_eval.io.release_rule`, at any level: a council's own later year appended to DfE's
    file is not DfE's), the file covers England there as DfE's does (:func:`_thin`), and
    nothing in the file says DfE did not publish it (:func:`_not_as_published`). Where ``series``
    has the column :data:`RELEASED` (the decision taken on the whole panel), that is returned.
    Every other row (a council's own file, though in DfE's layout, under DfE's names or a DfE
    file's name; a derived value; no ``source``) is checked as a council's own figure is, whatever
    the rule set: a council's return in DfE's layout, with DfE's rate names, before DfE suppressed
    it, gave its counts back where it was taken for DfE's (findings-q12disc Q1, Q2b, q13disc R1, R2).
    ``counts``: the indicators that are counts.

    Examples
    --------
    >>> d3 = "d3_cpps_subsequent_plan_2013_to_2025.csv"
    >>> s = pd.DataFrame({"source": d3, "year": 2020, "la_code": [f"E06{i:06d}" for i in range(150)],
    ...     "indicator": "cp_plans_started", "value": 200.0})
    >>> later = s.iloc[:1].assign(year=2031)  # a year the release does not have
    >>> mine = s.iloc[:1].assign(source="panel.csv")
    >>> int(from_release(pd.concat([s, later, mine])).sum()), bool(from_release(s.iloc[:12]).any())
    (150, False)
    """
    if RELEASED in series:  # decided once, on the whole panel (protect_inputs): a series is a part
        return series[RELEASED].fillna(False).to_numpy(bool)
    out, names = _release_rows(series)
    if not out.any():
        return out
    out &= ~_thin(series, out, names)
    for source in sorted(set(names[out])):
        mine = (names == source).to_numpy()
        if _not_as_published(series[mine], counts):
            out[mine] = False
    return out


def _release_rows(series: pd.DataFrame) -> tuple[np.ndarray, pd.Series]:
    """Per row, whether its file is named as a release's and the registry knows the release for
    the row's year (the file's own ``time_period`` where it has one); and the rows' file names."""
    if "source" not in series or not len(series):
        return np.zeros(len(series), bool), pd.Series("", index=series.index)
    names = series["source"].fillna("").astype(str)
    # a derived value is never a release's, whatever its expression names (x / d3_y: q13disc)
    known = {name: not name.startswith("derived:") and release_file(name) for name in set(names)}
    out = names.map(known).to_numpy(bool).copy()
    if not out.any():
        return out, names
    level, year = level_of(series).to_numpy(), series["year"].astype(int).to_numpy()
    if "time_period" in series:  # the file's own year: a census of 30 September is placed a year on
        period = pd.to_numeric(series["time_period"].astype(str).str.strip(), errors="coerce").to_numpy()
        year = np.where((period >= 1000) & (period < 10_000), period, year).astype(int)
    keys = pd.DataFrame({"name": names.map(lambda n: Path(n).name).to_numpy(), "year": year, "level": level})
    at = np.flatnonzero(out)
    for (name, y), rows in keys.iloc[at].groupby(["name", "year"]).indices.items():
        if all(_rule(name, int(y), lv) is None for lv in ("Local authority", "Regional", "National")):
            out[at[rows]] = False  # a year the release does not have
    return out, names


def _held(series: pd.DataFrame, rows: np.ndarray, names: pd.Series, by: list[str]) -> np.ndarray:
    """Per row, how many local authorities hold a number in its group ``by`` (``source`` is the
    file's name), counting ``rows`` only."""
    number = np.isfinite(pd.to_numeric(series["value"], errors="coerce").to_numpy(float))
    local = rows & number & (level_of(series) == "Local authority").to_numpy()
    keys = pd.DataFrame({c: (names if c == "source" else series[c]).to_numpy() for c in by})
    held = keys[local].assign(la_code=series["la_code"].to_numpy()[local])
    counts = held.groupby(by)["la_code"].nunique().rename("held")
    return keys.merge(counts, left_on=by, right_index=True, how="left")["held"].fillna(0).to_numpy()


def _thin(series: pd.DataFrame, rows: np.ndarray, names: pd.Series) -> np.ndarray:
    """Per row of a release's (``rows``), whether its file holds too few authorities to be DfE's
    there: fewer than :data:`WHOLE_RELEASE` local authorities hold a number in its year (rows left
    blank or printed ``x`` do not count: a council's own figures padded with the rest of England,
    findings-q15att P1, P2, P4), or fewer than half as many in its column and year (a council's own
    column added to DfE's file; DfE's rarest, female genital mutilation among the factors at
    assessment, is held by 78). A file of national and regional figures alone holds no council's."""
    if "value" not in series:
        return np.zeros(len(series), bool)
    year = _held(series, rows, names, ["source", "year"])
    column = _held(series, rows, names, ["source", "year", "indicator"])
    has_local = _held(series, rows, names, ["source"]) > 0
    thin_year = (year > 0) & (year < WHOLE_RELEASE)  # a year of national figures alone: none of a council's
    return rows & has_local & (thin_year | ((column > 0) & (column < WHOLE_RELEASE // 2)))


def partial_releases(series: pd.DataFrame) -> dict[str, int]:
    """The files of ``series`` named as a release's (:func:`rsw_eval.io.release_file`) that are
    not DfE's in any year the release has, because too few local authorities hold a number there
    (:func:`_thin`), each with the most that do in one year: a council's own figures, not DfE's
    file, which covers England.

    Examples
    --------
    >>> s = pd.DataFrame({"source": "d3_cpps_subsequent_plan_2013_to_2025.csv", "year": 2020,
    ...     "la_code": ["E09000012", "E09000002", "E06000001", "E92000001"],
    ...     "indicator": "cp_plans_started", "value": [250.0, 200.0, None, 50_000.0]})
    >>> partial_releases(s)
    {'d3_cpps_subsequent_plan_2013_to_2025.csv': 2}
    """
    if not {"source", "la_code", "year", "indicator", "value"} <= set(series.columns) or not len(series):
        return {}
    rows, names = _release_rows(series)
    thin = _thin(series, rows, names)
    most = pd.Series(_held(series, rows, names, ["source", "year"]))
    out = {}
    for source in sorted(set(names[rows])):
        mine = (names == source).to_numpy() & rows
        if thin[mine].all():
            out[source] = int(most.to_numpy()[mine].max())
    return out


@cache
def _published_together() -> tuple[tuple[str, str | None, str | None], ...]:
    """``(rate, count, denominator)`` of each rate of :data:`~rsw_eval.disclosure.RATES` whose DfE
    table holds its count or denominator too (the bundled vocabulary reads them from the same
    table; None where it does not), under rsw-eval's names and under DfE's column names:
    ``cp_plans_repeat_pct`` beside ``cp_plans_repeat`` and ``cp_plans_started`` (``CPP_subsequent``,
    ``CPP_start``); not ``placements_3plus_pct``, which DfE publishes without the children looked
    after it is a share of."""
    v = dfe_indicators().set_index("indicator")
    table, column = v["table"], v["dfe_column"]
    trios = []
    for rate, (count, denominator, _) in RATES.items():
        if rate not in table.index:
            continue
        same = [
            n if n and n in table.index and table[n] == table[rate] else None for n in (count, denominator)
        ]
        if any(same):
            trios += [(rate, *same), (column[rate], *(column[n] if n else None for n in same))]
    return tuple(trios)


def _not_as_published(rows: pd.DataFrame, counts: frozenset[str]) -> bool:
    """Whether the rows of one file named as a release hold what the release never publishes:

    - a local authority's count from 1 to the number the release suppresses, as a value (DfE
      prints ``c``: q13disc R4);
    - a value keyed finer than DfE keys its column (:func:`_keyed_finer`);
    - a rate DfE publishes beside its count or denominator (:func:`_published_together`), in a file
      that holds them, with a value where it holds neither as a number for that authority-year
      (a council's latest year, or beside an ``x``, saved under DfE's file name: R2, q14 S1), or
      where its count or denominator is a symbol (DfE prints the rate of a suppressed or
      unavailable count as one too: a council's figures written into DfE's ``x`` rows, R2b).

    Examples
    --------
    >>> rows = pd.DataFrame({"source": "d3_x.csv", "la_code": "E09000012", "year": [2019, 2020],
    ...     "indicator": ["cp_plans_started", "cp_plans_repeat_pct"], "value": [250.0, 3.1]})
    >>> _not_as_published(rows, frozenset()), _not_as_published(rows.iloc[1:], frozenset())
    (True, False)
    """
    if not {"indicator", "value"} <= set(rows.columns):
        return False  # nothing of the figures to read
    value = rows["value"].to_numpy(float)
    local = (level_of(rows) == "Local authority").to_numpy()
    small = rows["indicator"].isin(counts).to_numpy() & local & (value >= 1)
    if small.any():
        name = Path(str(rows["source"].iloc[0])).name
        first = np.flatnonzero(small)
        limits = np.array(
            [(_rule(name, int(y), "Local authority") or (0, 0))[1] for y in rows["year"].iloc[first]]
        )
        if (value[first] <= limits).any():
            return True
    if _keyed_finer(rows[local]):
        return True
    # a cell DfE publishes holds a value or a symbol (c, x, z ...): a blank one is nobody's figure
    flag = (
        rows["flag"].fillna("").astype(str).str.strip().to_numpy()
        if "flag" in rows
        else np.full(len(rows), "")
    )
    keys = list(zip(rows["la_code"], rows["year"].astype(int), rows["indicator"], strict=True))
    number = {k for k, v in zip(keys, value, strict=True) if np.isfinite(v)}
    symbol = {k for k, v, f in zip(keys, value, flag, strict=True) if not np.isfinite(v) and f}
    loaded = set(rows["indicator"])
    for rate, count, denominator in _published_together():
        here = rows[(rows["indicator"] == rate).to_numpy() & np.isfinite(value) & (value != 0)]
        # DfE's percentage read alone (its count and denominator not loaded) is DfE's: the rule
        # reads the authority-years of a file that holds them elsewhere
        beside = {count, denominator} & loaded
        for code, y in zip(here["la_code"], here["year"].astype(int), strict=True):
            if beside and (code, y, count) not in number and (code, y, denominator) not in number:
                return True  # neither as a number: a symbol beside a rate is no DfE row (q14 S1)
            if (code, y, count) in symbol or (code, y, denominator) in symbol:
                return True
    return False


#: A column of whole values in this share or more of its authority-years, but not all, holds two
#: precisions: DfE keys each column at one (no real DfE column but the staff FTEs, which councils
#: report as they are, is whole in more than a third and fewer than all of its values).
_WHOLE_SHARE = 0.6
_FTE = re.compile(r"(?:^|[^a-z])fte(?:[^a-z]|$)", re.IGNORECASE)


def _keyed_finer(rows: pd.DataFrame) -> bool:
    """Whether a column of whole numbers (:data:`_WHOLE_SHARE` of its authorities' values or more,
    of 20 or more; staff FTEs aside) holds a value that is not whole: DfE keys a column at one
    precision, and a council's own 1.4% written over DfE's row of a column printed to 0 dp (or its
    London neighbours' over theirs), x DfE's published denominator, gave its count back
    (findings-q14 F1, q15att P1).

    Examples
    --------
    >>> rows = pd.DataFrame({"indicator": "pct", "value": [12.0] * 30 + [1.4] * 10})
    >>> _keyed_finer(rows), _keyed_finer(rows.iloc[:30]), _keyed_finer(rows.assign(value=1.5))
    (True, False, False)
    >>> _keyed_finer(rows.assign(indicator="leavers_fte"))
    False
    """
    value = rows["value"].to_numpy(float)
    names = rows["indicator"].astype(str)
    seen = np.isfinite(value) & ~names.str.contains(_FTE).to_numpy()
    whole = pd.Series(value[seen] % 1 == 0).groupby(names.to_numpy()[seen]).agg(["mean", "size"])
    return bool(((whole["size"] >= 20) & (whole["mean"] >= _WHOLE_SHARE) & (whole["mean"] < 1)).any())


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

    Under the ``"dfe"`` rule set a row of a release (:func:`from_release`: a council's own figures
    in a file under a DfE file's name are not) takes its release's rule;
    every other row, and every row under ``"default"``, takes ``rules`` (threshold, and the fixed
    rounding of sub-national counts from ``round_from``). ``counts`` (bool per row) limits the
    ``releases`` and ``fixed`` it reports to those rows.

    Examples
    --------
    >>> from rsw_eval.disclosure import rule_set
    >>> cla = "cla_number_and_rate_per_10k_children.csv"  # DfE's file: every authority of England
    >>> codes = ["E09000012", "E92000001", *(f"E06{i:06d}" for i in range(150)), "E09000012"]
    >>> s = pd.DataFrame({"la_code": codes, "year": 2024, "source": [cla] * 152 + ["my_panel.csv"]})
    >>> r = row_rules(s, rule_set("dfe"))
    >>> r.threshold[[0, 1, -1]].tolist(), r.round_to[[0, 1, -1]].tolist(), r.known[[0, 1, -1]].tolist()
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
    released = from_release(series, rules.counts)  # a council's rows in a file of DfE's name: its own
    for (source, year, level), rows in keys.groupby(["source", "year", "level"], sort=True).indices.items():
        rule = _rule(Path(source).name, int(year), level) if released[rows[0]] else None
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
