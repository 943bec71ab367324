"""Disclosure control over a whole report: what the report builders get, and what they give back.

Two steps around the builders (:func:`rsw_eval.report.build`):

1. :func:`protect_results` before them: the results table after every rule of
   :mod:`rsw_eval.disclosure` (rows, pooled totals, groups of the respondents table, rates, p-values,
   adjusted p-values) and the published-figures table without a statistic of a suppressed row.
2. :func:`protect_report` after them, on the frozen report data as it will be printed (every table
   cell, sentence, caption and note, whatever the template): secondary suppression again in every
   table with a ``Total`` row or column, and no suppressed statistic in any text.
"""

from __future__ import annotations

import re
from dataclasses import replace

import numpy as np
import pandas as pd

from rsw_eval.disclosure import DERIVED, RuleSet, Suppression, protect_table, rule_set, suppress_counts
from rsw_eval.evaluation.results import Results
from rsw_eval.report._common import SUPPRESSED, ReportData, Section
from rsw_eval.report._labels import num, p_text

__all__ = ["protect_report", "protect_results", "report_rules"]

HIDDEN_TEXT = "Not shown (small numbers)."
_NUMBER = re.compile(r"^-?[\d,]*\.?\d+$")


def report_rules(results: Results, threshold: int | None = None) -> RuleSet:
    """The rule set of a report: the spec's ``disclosure_rules`` (provenance), its threshold unless
    ``threshold`` is given.

    Examples
    --------
    >>> report_rules(Results(pd.DataFrame(), pd.DataFrame(), {"disclosure_threshold": 3})).threshold
    3
    """
    p = results.provenance
    name = str(p.get("disclosure_rules", "default"))
    return rule_set(name, int(p.get("disclosure_threshold", 5) if threshold is None else threshold))


def protect_results(results: Results, rules: RuleSet) -> tuple[Results, pd.DataFrame, list[Suppression]]:
    """The results a report may be built from, the protected table and the suppression log.

    The returned :class:`Results` keeps the raw ``table`` (the respondents-per-authority table
    suppresses its own counts, with the same rules as :func:`rsw_eval.disclosure.group_counts`) and
    the raw ``series`` (protected by :func:`rsw_eval.disclosure.protect_series` where it is
    drawn), with the ``published`` table's value blanked (``c``) wherever a row behind it is
    suppressed, and ``disclosure_rules`` in its provenance.

    Examples
    --------
    >>> import rsw_eval
    >>> res = rsw_eval.compare(rsw_eval.default_sample_spec("data/sample"), only=["cost"])
    >>> safe, table, log = protect_results(res, report_rules(res))
    >>> bool(table["suppressed"].any()), safe.provenance["disclosure_rules"]
    (False, 'default')
    """
    table, log = protect_table(results.table, rules=rules)
    published = results.published.copy()
    if len(published) and "published_key" in table:
        gone = set()
        for keys in table.loc[table["suppressed"].astype(bool), "published_key"].dropna():
            gone |= {k.strip() for k in str(keys).split(";") if k.strip()}
        hit = published["key"].isin(gone)
        published.loc[hit, "reproduced_value"] = SUPPRESSED
        published["reproduced"] = published["reproduced"].astype(object)
        published.loc[hit, "reproduced"] = None
    provenance = {**results.provenance, "disclosure_rules": rules.name}
    return replace(results, published=published, provenance=provenance), table, log


def _secrets(raw: pd.DataFrame, table: pd.DataFrame) -> set[str]:
    """Suppressed non-integer statistics as they would be printed, unless printed elsewhere anyway."""
    cols = [c for c in DERIVED if c in table and c in raw]
    before = raw[cols].apply(pd.to_numeric, errors="coerce")
    after = table[cols].apply(pd.to_numeric, errors="coerce")
    hidden = before.where(before.notna() & after.isna()).stack()
    shown = after.stack()

    def forms(values: pd.Series, col_is_p: pd.Series) -> set[str]:
        out = set()
        for v, is_p in zip(values, col_is_p, strict=True):
            if not np.isfinite(v) or float(v).is_integer():
                continue
            out |= {p_text(v)} if is_p else {num(v, 2), num(v, 1) if abs(v) >= 1 else num(v, 2)}
        return out

    def is_p(index) -> pd.Series:
        return pd.Series([c.startswith("p_") for _, c in index], index=index)

    return forms(hidden, is_p(hidden.index)) - forms(shown, is_p(shown.index)) - {"", "< 0.001"}


def _leaks(text: str, secrets: set[str]) -> bool:
    return any(re.search(rf"(?<![\d.,-]){re.escape(s)}(?![\d])", text) for s in secrets)


def _parse(cell: str) -> float | None:
    text = cell.strip()
    return float(text.replace(",", "")) if _NUMBER.match(text) else None


def _totals(section: Section, threshold: int) -> Section:
    """Rule 5 again on a printed table: a ``Total`` row or column with one ``c`` among its parts."""
    rows = [list(r) for r in section.rows]
    total_rows = [i for i, r in enumerate(rows) if r and r[0].strip().lower() == "total"]
    total_cols = [j for j, c in enumerate(section.columns) if c.strip().lower() == "total"]
    if not rows or not (total_rows or total_cols):
        return section
    body = [i for i in range(len(rows)) if i not in total_rows]
    cols = [j for j in range(1, len(section.columns)) if j not in total_cols]
    values = pd.DataFrame(
        [[_parse(rows[i][j]) if rows[i][j] != SUPPRESSED else np.nan for j in cols] for i in body],
        dtype=float,
    )
    hidden = pd.DataFrame([[rows[i][j] == SUPPRESSED for j in cols] for i in body])
    if not hidden.to_numpy().any():
        return section
    # unknown cells stand in as just above the threshold: only the pattern of hidden cells matters
    _, mask = suppress_counts(values.fillna(threshold + 1).where(~hidden, 1.0), threshold)
    for a, i in enumerate(body):
        for b, j in enumerate(cols):
            if mask.iloc[a, b] and not hidden.iloc[a, b] and values.iloc[a, b] > threshold:
                rows[i][j] = SUPPRESSED
    return replace(section, rows=tuple(tuple(r) for r in rows))


def protect_report(data: ReportData, rules: RuleSet, raw: pd.DataFrame, table: pd.DataFrame) -> ReportData:
    """The frozen report as it may be published: ``data`` with rule 5 re-applied to every printed
    table with totals, every cell, sentence, caption and note holding a suppressed statistic of
    ``raw`` (the results before protection; ``table`` after) replaced, and the rule set stated.

    Examples
    --------
    >>> import rsw_eval
    >>> from rsw_eval.report import build
    >>> res = rsw_eval.compare(rsw_eval.default_sample_spec("data/sample"), only=["cost"])
    >>> dict(build(res, "munro", generated="2026-11-24").provenance)["Disclosure control"]
    'rsw-eval default: counts from 1 to 5 suppressed, with secondary suppression'
    """
    secrets = _secrets(raw, table) if len(raw) else set()

    def text(value: str) -> str:
        return HIDDEN_TEXT if value and _leaks(value, secrets) else value

    sections = []
    for s in data.sections:
        s = _totals(s, rules.threshold) if s.kind == "table" else s
        rows = tuple(tuple(SUPPRESSED if _leaks(c, secrets) else c for c in r) for r in s.rows)
        items = tuple(text(i) for i in s.items)
        sections.append(replace(s, rows=rows, items=items, intro=text(s.intro), note=text(s.note)))
    return replace(
        data,
        summary=tuple(text(t) for t in data.summary),
        sections=tuple(sections),
        provenance=(*data.provenance, ("Disclosure control", rules.description)),
        threshold=rules.threshold,
    )
