"""The results table as it may be published: every column protected by what it says about the counts.

A results row compares two groups. Its columns are of four kinds, told apart by name so that a
column added later (``mde*``, ``power*``, ``sensitivity*``, ...) is protected without being listed:

- a side's size: ``n_treatment``, ``n_comparison`` (a count of people in the survey families);
- a side's values: any other column ending ``_treatment`` or ``_comparison`` (share, mean, SD,
  rate: each, at full precision, gives the size back as its denominator);
- a number that describes the row rather than the data (``ci_level``, ``adoption_year``,
  ``event_time``), which no count changes;
- everything else numeric: a statistic of both groups (difference, effect size, interval, test
  statistic, degrees of freedom, p-values, MDE, sensitivity bounds, ...), hidden with either side.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from rsw_eval._errors import RswEvalError
from rsw_eval.designs._grid import scale as item_scale
from rsw_eval.designs._rows import ADOPTER
from rsw_eval.disclosure import IDENTIFIER_COLUMNS, RuleSet, Suppression, protect_ledger
from rsw_eval.publication._ledger import survey_ledger
from rsw_eval.publication._pins import pinned
from rsw_eval.publication._survey_cells import POOLED, WITHOUT_ROWS, SurveyCells
from rsw_eval.publication._whole_answers import whole_answer_rows

__all__ = ["LEVELS", "SIDES", "column_role", "protect_table"]

SIDES = ("treatment", "comparison")
#: Numeric columns no count changes: the interval's stated level, and what row it is (an adopter's
#: year, years since adoption). Declare a new column here only if it is not computed from the data.
LEVELS = frozenset({"ci_level", "adoption_year", "event_time"})
#: Boolean columns that describe the row, not the data.
FLAGS = frozenset({"primary", "suppressed"})


def column_role(column: str) -> tuple[str, str | None]:
    """What a numeric results column says about the counts: ``("size", side)``, ``("value",
    side)``, ``("level", None)`` or ``("statistic", None)`` (the default, for any new column).

    Examples
    --------
    >>> column_role("n_comparison"), column_role("sd_treatment"), column_role("mde_80")
    (('size', 'comparison'), ('value', 'treatment'), ('statistic', None))
    """
    for side in SIDES:
        if column == f"n_{side}":
            return "size", side
        if column.endswith(f"_{side}"):
            return "value", side
    if column in LEVELS:
        return "level", None
    return "statistic", None


def numeric_columns(table: pd.DataFrame) -> list[str]:
    """Every numeric column of the table (booleans and flags aside)."""
    out = []
    for col in table.columns:
        if col in FLAGS or col == "reproduced" or pd.api.types.is_bool_dtype(table[col]):
            continue
        if pd.api.types.is_numeric_dtype(table[col]):
            out.append(col)
    return out


def _columns(numeric: list[str]) -> dict[str, list[str]]:
    roles: dict[str, list[str]] = {"statistic": [], "level": []}
    for side in SIDES:
        roles[f"size:{side}"], roles[f"value:{side}"] = [], []
    for col in numeric:
        kind, side = column_role(col)
        roles[f"{kind}:{side}" if side else kind].append(col)
    return roles


def _side_columns(roles: dict, side: str, size: bool) -> list[str]:
    return roles[f"value:{side}"] + roles["statistic"] + (roles[f"size:{side}"] if size else [])


def _small_admin(out: pd.DataFrame, roles: dict, t: int, counts: frozenset[str]) -> None:
    """Defence in depth: an administrative row that still shows a count from 1 to t (an
    indicator the panel rules did not know as a count) loses that side and its statistics."""
    if "outcome" not in out or "family" not in out:
        return
    rows = out.index[(out["family"] == "admin") & out["outcome"].isin(counts)]
    for side in SIDES:
        col = f"value_{side}"
        if col not in out:
            continue
        v = pd.to_numeric(out.loc[rows, col], errors="coerce")
        small = rows[(v.round() >= 1) & (v.round() <= t)]
        out.loc[small, _side_columns(roles, side, size=False)] = np.nan


def _split_apart(
    raw: pd.DataFrame, cells: SurveyCells, hidden: np.ndarray, t: int, answers: pd.DataFrame | None = None
) -> list:
    """Pooled survey rows whose statistics depend on how the hidden respondents split between
    the hidden authorities: a clustered test (CR2) or a multilevel model pools authorities that
    keep their own clusters. The engine makes an arm's authorities of 1 to t respondents one
    cluster, with the arm's next smallest authority where they hold t or fewer together when it
    clusters by authority (:meth:`~rsw_eval.designs._clustered.SurveyDesign.primary_test`);
    another authority hidden to protect one of them (more than t respondents) is a cluster of its
    own (or its units are), and the union of the hidden ones is known (the pooled group less those
    shown), so the interval would tell the split (findings-q18att F9): such rows lose their
    statistics. A multilevel row does so with any authority hidden (each keeps its own random
    effect, the small ones too). Rows of one pooled comparison that list no authority (multilevel,
    consistency) take their outcome's cross-section authorities. Where the unit-model group pools
    several authorities, one of them small (:func:`_small_adopters`), the item's multilevel rows
    lose their statistics, and its clustered rows too where that authority has more than t
    respondents (a cluster of its own; the engine merges one of 1 to t with another): they weigh
    each authority's answers (att9 H1)."""
    values = np.asarray(cells.ledger.values, dtype=float)
    design = raw["design"] if "design" in raw else pd.Series("", index=raw.index)
    sections = {
        (raw.at[i, "family"], raw.at[i, "outcome"]): parts
        for i, parts in cells.pooled_parts.items()
        if design[i] == "cross_section"
    }
    out = []
    comparison = raw["comparison"] if "comparison" in raw else pd.Series("", index=raw.index)
    said = [c for c in ("method", "note") if c in raw]  # a row's words, once
    words = {i: " ".join(str(raw.at[i, c]) for c in said) for i in raw.index}
    means: dict[tuple, dict[int, int]] = {}  # an authority's size cell -> its values cell, per item
    for (j, side), (size, kept) in cells.sides.items():
        if (
            side == "comparison"
            and design[j] == "cross_section"
            and comparison[j] != POOLED
            and kept is not None
        ):
            means.setdefault((raw.at[j, "family"], raw.at[j, "outcome"]), {})[size] = kept
    for i in raw.index[comparison == POOLED]:
        key = (raw.at[i, "family"], raw.at[i, "outcome"])
        parts = cells.pooled_parts.get(i) or sections.get(key, [])
        # an authority whose mean (or events) is hidden, its size shown, splits the row apart as
        # well: the model weighs the authorities' means, and the pooled row's sum is their total
        # (att8 1: with the unit ICC 0 and the authority ICC printed, the multilevel difference and
        # the pooled mean were two equations in two hidden means)
        split = {c for c in parts if hidden[c] or hidden[means.get(key, {}).get(c, c)]}
        if design[i] == "multilevel":
            if split:
                out.append(i)
        elif "CR2" in words[i]:
            by_authority = "by authority" in words[i]
            partner = _partner(parts, values, t, cells.ledger.names) if by_authority else None
            if any(values[c] > t for c in split - {partner}):
                out.append(i)
    small = _small_adopters(answers, t)
    for i in raw.index:
        sizes = small.get((raw.at[i, "family"], raw.at[i, "outcome"]), ())
        if (design[i] == "multilevel" and sizes) or ("CR2" in words[i] and any(n > t for n in sizes)):
            out.append(i)
    return sorted(set(out))


def _small_adopters(answers: pd.DataFrame | None, t: int) -> dict[tuple[str, str], list[float]]:
    """(family, item) -> the sizes of the unit-model authorities (where the unit-model group pools
    several) with 1 to t respondents or an answer count from 1 to t their size, mean and SD force
    (:func:`~rsw_eval.publication._pins.pinned`; a yes/no item's events or non-events)."""
    if answers is None or not len(answers) or "scope" not in answers:
        return {}
    out: dict[tuple[str, str], list[float]] = {}
    mine = answers[answers["scope"].astype(str) == ADOPTER]
    for (family, outcome, _), sub in mine.groupby(["family", "outcome", "group"], sort=False):
        values, counts = sub["value"].to_numpy(float), sub["count"].to_numpy(float)
        n = counts.sum()
        if 1 <= n <= t or (n > t and pinned(item_scale(values)[0], counts, t)):
            out.setdefault((str(family), str(outcome)), []).append(float(n))
    return out


def _partner(parts: list[int], values: np.ndarray, t: int, names: list[str]) -> int | None:
    """The size cell of the authority the engine merged with the authorities of 1 to t
    respondents (:func:`rsw_eval.designs._clustered._merged`: the smallest other, the first by
    name among equals, where they hold t or fewer together); None where there is none. Secondary
    suppression picks the cheapest cell, the first by name among equals: the same one.

    Examples
    --------
    >>> names = ["w / A / respondents", "w / B / respondents", "w / C / respondents"]
    >>> _partner([0, 1, 2], np.array([3.0, 25, 30]), 5, names)
    1
    >>> _partner([0, 1, 2], np.array([3.0, 25, 25]), 5, names)  # B and C tie: B, first by name
    1
    """
    small = [c for c in parts if 1 <= values[c] <= t or WITHOUT_ROWS in names[c]]
    others = [c for c in parts if c not in small and values[c] > t]
    if not small or sum(values[c] for c in small) > t or not others:
        return None
    return min(others, key=lambda c: (values[c], names[c]))


def _adjusted(raw: pd.DataFrame, out: pd.DataFrame) -> pd.Index:
    """Adjusted p-values that cannot depend on a suppressed p-value.

    A Holm, BH or step-down adjusted p of one row depends on every p-value (or permutation
    statistic) of the rows adjusted with it, its question (its family where the table has no
    ``question`` column): with a suppressed row among them, the shown rows' adjusted p would tell
    where its p-value lies. There every shown row gets Bonferroni's ``min(1, m x p)`` over the same
    m tests instead (valid for any dependence, and a function of the row's own p only);
    ``adjustment`` says so. Returns the rows changed (their words are rewritten).
    """
    if not {"p_adjusted", "p_value", "family"} <= set(out.columns):
        return out.index[:0]
    key = "question" if "question" in out.columns else "family"
    changed = []
    for group, fam in out.groupby(key, sort=False):
        tested = raw.loc[fam.index, "p_adjusted"].notna()
        lost = tested & fam["p_value"].isna()
        if not lost.any():
            continue
        m = int(tested.sum())
        shown = fam.index[tested & fam["p_value"].notna()]
        out.loc[shown, "p_adjusted"] = np.minimum(1.0, m * out.loc[shown, "p_value"].astype(float))
        what = f"tests of question '{group}'" if key == "question" else f"{group} tests"
        if "adjustment" in out:
            out.loc[shown, "adjustment"] = (
                f"bonferroni over {m} {what} (a row of the question is suppressed, so no shown "
                "adjusted p depends on its p-value)"
            )
        changed.extend(shown)
    return pd.Index(changed)


def _where(row: pd.Series) -> str:
    parts = [str(row.get(k, "") or "") for k in ("outcome", "design", "comparison", "period")]
    return " / ".join(p for p in parts if p)


def _words(raw: pd.DataFrame, out: pd.DataFrame, roles: dict) -> pd.Series:
    """Rows that lost a statistic lose the words quoting it (interpretation, numbers in notes), the
    words its counts chose (method, test) and the published-figure verdict computed from it."""
    stats = [c for c in roles["statistic"] + roles["value:treatment"] + roles["value:comparison"] if c in out]
    gone = (raw[stats].apply(pd.to_numeric, errors="coerce").notna() & out[stats].isna()).any(axis=1)
    if "interpretation" in out:
        out.loc[gone, "interpretation"] = ""
    if "reproduced" in out:
        out["reproduced"] = out["reproduced"].astype(object)
        out.loc[gone, "reproduced"] = None
    for column in ("method", "test"):  # chosen by the row's counts: exact where a cell is below 5,
        if column in out:  # 0.5 added to a zero cell, its clusters counted (findings-q18att F9)
            out[column] = out[column].astype(object)
            out.loc[gone, column] = ""
    digits = re.compile(r"\d")
    for column in ("note", "mde_note"):  # a note's numbers (an MDE range from the row's df) quote it too
        if column in out:
            out.loc[gone, column] = out.loc[gone, column].map(
                lambda n: "; ".join(
                    p for p in str(n or "").split(";") if not digits.search(p) and "estimate shown" not in p
                ).strip()
            )
    return gone


def _log(raw: pd.DataFrame, out: pd.DataFrame, roles: dict, reason: str) -> list[Suppression]:
    lost = raw.notna() & out.isna()

    def any_lost(cols: list[str]) -> np.ndarray:
        return lost[cols].any(axis=1).to_numpy() if cols else np.zeros(len(out), dtype=bool)

    parts = []
    for side in SIDES:
        sizes, values = any_lost(roles[f"size:{side}"]), any_lost(roles[f"value:{side}"])
        parts.append(
            np.where(sizes, f"{side} group (size and values)", np.where(values, f"{side} values", ""))
        )
    parts.append(np.where(any_lost(roles["statistic"]), "every statistic of the row", ""))
    entries = []
    for k in np.flatnonzero(np.any([p != "" for p in parts], axis=0)):
        what = ", ".join(p[k] for p in parts if p[k])
        entries.append(Suppression(_where(out.iloc[k]), what, reason))
    return entries


def reason(rules: RuleSet) -> str:
    """The one reason every log entry gives (never whether the cell was small or hidden to protect
    another: that would point at the small one)."""
    return f"counts from 1 to {rules.threshold}, or cells from which one could be worked out"


def protect_table(
    table: pd.DataFrame, rules: RuleSet, reinterpret=None, answers: pd.DataFrame | None = None
) -> tuple[pd.DataFrame, list[Suppression], SurveyCells, np.ndarray, pd.DataFrame]:
    """Protect a results table (the engine's raw ``Results.table``; not modified).

    ``reinterpret``, optional: a function giving the words of rows whose adjusted p-values were
    changed (the engine's reading of a row, :func:`rsw_eval.evaluation._adjustment.interpret_rows`).
    ``answers``, optional: the survey groups' answer counts (:func:`~rsw_eval.publication._ledger.
    survey_ledger`).

    Returns
    -------
    (table, log, cells, hidden, audit)
        The protected copy (suppressed cells NaN, ``suppressed`` True on their rows), the log (where
        and what, one reason for every entry), the survey ledger, its hidden cells and the final
        interval audit of every sensitive count.

    Examples
    --------
    >>> from rsw_eval.disclosure import rule_set
    >>> rows = [dict(family="worker", design="cross_section", outcome="x", measure="proportion",
    ...              treatment="U", comparison=c, n_treatment=40, n_comparison=n, value_treatment=0.5,
    ...              value_comparison=e / n, p_value=0.5, primary=True, suppressed=False)
    ...         for c, n, e in (("all conventional", 63, 22), ("A", 30, 10), ("B", 3, 2), ("C", 30, 10))]
    >>> out, log, cells, hidden, audit = protect_table(pd.DataFrame(rows), rule_set())
    >>> out[["comparison", "n_comparison", "value_comparison"]].round(3)
             comparison  n_comparison  value_comparison
    0  all conventional          63.0             0.349
    1                 A           NaN               NaN
    2                 B           NaN               NaN
    3                 C          30.0             0.333
    >>> bool(audit["protected"].all()), sorted({s.reason for s in log}) == [log[0].reason]
    (True, True)
    """
    bad = IDENTIFIER_COLUMNS & set(table.columns)
    if bad:
        raise RswEvalError(f"identifier columns must never reach a report: {sorted(bad)}")
    raw = table.copy()
    numeric = numeric_columns(raw)
    roles = _columns(numeric)
    for col in numeric:
        raw[col] = pd.to_numeric(raw[col], errors="coerce").astype(float)
    out = raw.copy()
    cells = survey_ledger(raw, rules.threshold, answers)
    hidden, audit = protect_ledger(
        cells.ledger,
        cells.primary,
        cells.sensitive,
        rules.threshold,
        nobody=cells.nobody,
        together=cells.hidden_together,
        spread=cells.spread,
    )
    hide = np.zeros(out.shape, dtype=bool)
    column = {c: j for j, c in enumerate(out.columns)}
    for (i, side), (size, events) in cells.sides.items():
        whole = size is not None and hidden[size]
        if whole or (events is not None and hidden[events]):
            hide[out.index.get_loc(i), [column[c] for c in _side_columns(roles, side, size=whole)]] = True
    for i in [
        *_split_apart(raw, cells, hidden, rules.threshold, answers),
        *whole_answer_rows(raw, answers, rules.threshold),
    ]:
        hide[out.index.get_loc(i), [column[c] for c in roles["statistic"]]] = True
    out = out.mask(pd.DataFrame(hide, index=out.index, columns=out.columns))
    _small_admin(out, roles, rules.threshold, rules.counts)
    reworded = _adjusted(raw, out)
    gone = _words(raw, out, roles)
    log = sorted(set(_log(raw, out, roles, reason(rules))), key=lambda s: (s.where, s.columns))
    if len(reworded) and reinterpret is not None and "interpretation" in out:
        out.loc[reworded, "interpretation"] = reinterpret(out.loc[reworded])
    checked = [c for c in numeric if c not in roles["level"]]
    previously = raw["suppressed"].astype(bool) if "suppressed" in raw else False
    out["suppressed"] = (raw[checked].notna() & out[checked].isna()).any(axis=1) | gone | previously
    return out, log, cells, hidden, audit
