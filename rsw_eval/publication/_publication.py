"""The :class:`Publication`: every protected frame a run may emit, how each published number relates
to the counts, and the audit that checked it."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from rsw_eval.disclosure import RATES, RuleSet, Suppression
from rsw_eval.publication._inputs import protect_panel
from rsw_eval.publication._survey_cells import POOLED, SURVEY_FAMILIES, SurveyCells
from rsw_eval.publication._table import column_role, numeric_columns, protect_table, reason

__all__ = ["SUPPRESSED", "Publication", "publish"]

#: How a suppressed value is shown in text.
SUPPRESSED = "c"
#: Precision of a number as the results files print it (reports print fewer digits).
FULL = "full (results files)"


@dataclass(frozen=True, repr=False)
class Publication:
    """Everything a run may publish, protected, and the record of what each number is.

    Attributes
    ----------
    table : DataFrame
        The results table after every rule (suppressed cells NaN, ``suppressed`` True).
    series : DataFrame
        The administrative series (protected before the designs ran), ``suppressed`` True where a
        value is not published (``c``).
    published, official_check : DataFrame
        The published-figure check without the value or verdict of any suppressed row; the
        official-statistics check (computed from the protected panel).
    respondents : DataFrame
        Respondents per authority and survey with a ``Total`` row, NaN where suppressed.
    log : tuple of Suppression
        Where cells were suppressed and what (one reason for all: never which was small).
    numbers : DataFrame
        One row per published number of the table and the series: where it is (``source``,
        ``row``, ``column``), its ``relation`` to the counts (a count, a share x n, a mean x n, a rate
        x population, a difference, a statistic, a pooled total...), the ``counts`` it involves (cell
        names of the ledger) and the ``precision`` it is printed at.
    audit : DataFrame
        For every sensitive (suppressed) count: the range an attacker can narrow it to from
        everything published (``low``, ``high``, ``width``) and ``protected``. In memory only:
        never written.
    rules : RuleSet
    """

    table: pd.DataFrame
    series: pd.DataFrame
    published: pd.DataFrame
    official_check: pd.DataFrame
    respondents: pd.DataFrame
    log: tuple[Suppression, ...]
    numbers: pd.DataFrame
    audit: pd.DataFrame
    rules: RuleSet

    def __repr__(self) -> str:
        hidden = int(self.table["suppressed"].sum()) if len(self.table) else 0
        return (
            f"Publication({len(self.table)} rows, {hidden} with suppressed cells, {len(self.audit)} "
            f"suppressed counts audited, rules {self.rules.name!r})"
        )


def _published(published: pd.DataFrame, raw: pd.DataFrame, table: pd.DataFrame) -> pd.DataFrame:
    """The published-figure check without a value or verdict computed from a suppressed row."""
    out = published.copy()
    if not len(out) or "published_key" not in table:
        return out
    cols = [c for c in numeric_columns(raw) if column_role(c)[0] != "level"]
    lost = (raw[cols].notna() & table[cols].isna()).any(axis=1)
    gone = set()
    for keys in table.loc[lost, "published_key"].dropna():
        gone |= {k.strip() for k in str(keys).split(";") if k.strip()}
    hit = out["key"].isin(gone)
    out.loc[hit, "reproduced_value"] = SUPPRESSED
    out["reproduced"] = out["reproduced"].astype(object)
    out.loc[hit, "reproduced"] = None
    if "status" in out:
        out.loc[hit, "status"] = "not shown (small numbers)"
    return out


def _respondents(cells: SurveyCells, hidden: np.ndarray) -> pd.DataFrame:
    columns = {}
    for family, (listed, total) in cells.respondents.items():
        values = {label: np.nan if hidden[c] else cells.ledger.values[c] for label, c in listed}
        values["Total"] = np.nan if hidden[total] else cells.ledger.values[total]
        columns[f"{family}s"] = values
    frame = pd.DataFrame(columns)
    if frame.empty:
        return frame
    return frame.fillna({c: 0.0 for c in frame.columns}).where(_present(frame, cells, hidden))


def _present(frame: pd.DataFrame, cells: SurveyCells, hidden: np.ndarray) -> pd.DataFrame:
    """True where a cell is shown (an authority absent from one survey is shown as 0)."""
    mask = pd.DataFrame(True, index=frame.index, columns=frame.columns)
    for family, (listed, total) in cells.respondents.items():
        for label, c in [*listed, ("Total", total)]:
            mask.loc[label, f"{family}s"] = not hidden[c]
    return mask


def _relations(context: dict[str, np.ndarray], column: str) -> np.ndarray:
    """How each row's value in ``column`` relates to the counts (vectorised over the rows);
    ``context``: the rows' ``survey``, ``pooled``, ``admin``, ``change`` flags and ``measure``."""
    kind, side = column_role(column)
    survey, n = context["survey"], len(context["survey"])
    pooled = np.where(context["pooled"] & (side == "comparison"), " (pooled total of its authorities)", "")
    if kind == "level":
        return np.full(n, "stated level (not computed from the counts)", dtype=object)
    if kind == "size":
        return np.char.add(np.where(survey, "count of people", "count of authorities"), pooled).astype(object)
    if kind == "value":
        own = context["measure"]
        if column.startswith("sd_"):
            own = np.full(n, "spread of one group")
        other = np.where(context["admin"], "value of the protected panel", "amount")
        return np.where(survey, np.char.add(own.astype(str), pooled), other).astype(object)
    if column == "difference":
        return np.full(n, "difference", dtype=object)
    statistic = np.where(survey, "statistic of both groups", "statistic of the protected panel")
    if column in ("effect_size", "ci_low", "ci_high"):
        statistic = np.where(context["change"], "change", statistic)
    return statistic.astype(object)


def _context(table: pd.DataFrame) -> dict[str, np.ndarray]:
    def text(col: str) -> pd.Series:
        return table[col].astype(str) if col in table else pd.Series("", index=table.index)

    words = {"proportion": "share x n = events", "mean": "mean x n", "rate": "rate x exposure"}
    return {
        "survey": text("family").isin(SURVEY_FAMILIES).to_numpy(),
        "admin": text("family").eq("admin").to_numpy(),
        "pooled": text("comparison").eq(POOLED).to_numpy(),
        "change": text("measure").eq("percent_change").to_numpy(),
        "measure": text("measure").map(words).fillna("value of one group").to_numpy(str),
    }


def _numbers(
    table: pd.DataFrame, series: pd.DataFrame, cells: SurveyCells, counts: frozenset[str]
) -> pd.DataFrame:
    """The record of every published number."""
    names = cells.ledger.names
    involved: dict[tuple, list[str]] = {}
    for (i, side), (size, events) in cells.sides.items():
        involved[(i, side, "size")] = [names[size]] if size is not None else []
        involved[(i, side, "value")] = [names[c] for c in (size, events) if c is not None]
    parts = []
    context = _context(table)
    for col in numeric_columns(table):
        shown = table[col].notna().to_numpy()
        if not shown.any():
            continue
        kind, side = column_role(col)
        index = table.index[shown]
        sides = (side,) if side else (("treatment", "comparison") if kind == "statistic" else ())
        what = "size" if kind == "size" else "value"
        counts = ["; ".join(n for s in sides for n in involved.get((i, s, what), [])) for i in index]
        parts.append(
            pd.DataFrame(
                {
                    "source": "results",
                    "row": index,
                    "column": col,
                    "relation": _relations(context, col)[shown],
                    "counts": counts,
                    "precision": FULL,
                }
            )
        )
    columns = ["source", "row", "column", "relation", "counts", "precision"]
    frame = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=columns)
    if not len(series):
        return frame
    shown = series[series["value"].notna()]
    source = shown["source"].astype(str) if "source" in shown else pd.Series("", index=shown.index)
    relation = np.select(
        [
            shown["indicator"].isin(counts),
            shown["indicator"].isin(set(RATES)) | source.str.startswith("derived:"),
        ],
        ["count", "rate x denominator (computed from the published count)"],
        "value (not a count of people)",
    )
    counts = (
        shown["la_code"].astype(str) + " " + shown["year"].astype(int).astype(str) + " " + shown["indicator"]
    )
    more = pd.DataFrame(
        {
            "source": "series",
            "row": shown.index,
            "column": "value",
            "relation": relation,
            "counts": counts.to_numpy(),
            "precision": FULL,
        }
    )
    return pd.concat([frame, more], ignore_index=True)


def _series_log(series: pd.DataFrame, rules: RuleSet) -> list[Suppression]:
    """One entry per indicator and authority whose series has values not published (``c``)."""
    if not len(series) or not series["suppressed"].any():
        return []
    gone = series[series["suppressed"]]
    name = gone["la_name"] if "la_name" in gone else gone["la_code"]
    why = reason(rules)
    if rules.name == "dfe":  # each series under its release's rule (the fixed one where unknown)
        why = (
            f"counts from 1 to the threshold of their DfE release's rule ({rules.threshold} where the "
            "registry does not know the release), or cells from which one could be worked out"
        )
    entries = []
    for (indicator, who), sub in gone.groupby([gone["indicator"], name], sort=True):
        years = ", ".join(str(int(y)) for y in sorted(sub["year"].unique()))
        entries.append(
            Suppression(
                f"{indicator} / {who}",
                f"values of {years}",
                why,
            )
        )
    return entries


def publish(
    table: pd.DataFrame,
    rules: RuleSet,
    *,
    series: pd.DataFrame | None = None,
    published: pd.DataFrame | None = None,
    official_check: pd.DataFrame | None = None,
    derived: list[dict] | tuple = (),
    reinterpret=None,
    answers: pd.DataFrame | None = None,
) -> Publication:
    """The publication of one run: the table protected (:func:`~rsw_eval.publication._table.
    protect_table`, audited by the interval attack), the series protected (again: the engine
    protected the panel before the designs ran; this holds for a hand-made series too), the
    published-figure check without the value of a suppressed row. ``reinterpret`` words rows whose
    adjusted p-values changed (see :func:`~rsw_eval.publication._table.protect_table`);
    ``answers``, the survey groups' answer counts (``Results.answers``), let the auditor protect
    them behind the groups' means and SDs.

    Examples
    --------
    >>> import rsw_eval
    >>> from rsw_eval.disclosure import rule_set
    >>> res = rsw_eval.compare(rsw_eval.default_sample_spec("data/sample"), only=["cost"])
    >>> pub = publish(res.table, rule_set(), series=res.series, published=res.published)
    >>> bool(pub.table["suppressed"].any()), "amount" in set(pub.numbers["relation"])
    (False, True)
    """
    out, log, cells, hidden, audit = protect_table(table, rules, reinterpret, answers)
    raw = table.copy()
    for col in numeric_columns(raw):
        raw[col] = pd.to_numeric(raw[col], errors="coerce").astype(float)
    series = pd.DataFrame(columns=["la_code", "year", "indicator", "value"]) if series is None else series
    if len(series):
        protected, _ = protect_panel(series, rules, derived)
        protected["suppressed"] = protected["value"].isna() & protected["flag"].astype(str).eq(SUPPRESSED)
    else:
        protected = series.assign(suppressed=pd.Series(dtype=bool))
    log = [*log, *_series_log(protected, rules)]
    return Publication(
        table=out,
        series=protected,
        published=_published(published if published is not None else pd.DataFrame(), raw, out),
        official_check=official_check if official_check is not None else pd.DataFrame(),
        respondents=_respondents(cells, hidden),
        log=tuple(log),
        numbers=_numbers(out, protected, cells, rules.counts),
        audit=audit,
        rules=rules,
    )
