"""Disclosure control over a whole report: what the report builders get, and what they give back.

Two steps around the builders (:func:`rsw_eval.report.build`):

1. :func:`protect_results` before them: the protected view of the results
   (:meth:`rsw_eval.Results.protected`), so that every table, sentence and chart is built from the
   one :class:`~rsw_eval.publication.Publication` the results files come from: the builders never
   see a raw frame, so no text can quote a suppressed value.
2. :func:`protect_report` after them, on the frozen report data as it will be printed: secondary
   suppression again in any printed table with a ``Total`` row or column (a function of what is
   printed only), and the rule set stated.

(An earlier text scan replaced any cell that looked like a suppressed statistic; its false matches,
such as "p < 0.05" beside a suppressed 0.05, depended on the suppressed values themselves and so
told a reader something about them. Building only from the publication makes it unnecessary.)
"""

from __future__ import annotations

import re
from dataclasses import replace

import numpy as np
import pandas as pd

from rsw_eval.disclosure import RuleSet, Suppression, rule_set, suppress_counts
from rsw_eval.evaluation.results import Results
from rsw_eval.report._common import SUPPRESSED, ReportData, Section

__all__ = ["protect_report", "protect_results", "report_rules"]

_NUMBER = re.compile(r"^-?[\d,]*\.?\d+$")


def report_rules(results: Results, threshold: int | None = None) -> RuleSet:
    """The rule set of a report: the spec's ``disclosure_rules`` (provenance), its threshold unless
    ``threshold`` is given.

    Examples
    --------
    >>> report_rules(Results(pd.DataFrame(), pd.DataFrame(), {"disclosure_threshold": 3})).threshold
    3
    """
    if results.publication is not None and threshold is None:
        return results.publication.rules
    rules = results.rules()  # with the DfE releases applied to the panel, said
    if threshold is None:
        return rules
    return replace(rule_set(rules.name, int(threshold)), releases=rules.releases, counts=rules.counts)


def protect_results(results: Results, rules: RuleSet) -> tuple[Results, pd.DataFrame, list[Suppression]]:
    """The results a report may be built from (:meth:`rsw_eval.Results.protected`: every frame
    from the publication), the protected table and the suppression log.

    Examples
    --------
    >>> import rsw_eval
    >>> res = rsw_eval.compare(rsw_eval.default_sample_spec("data/sample"), only=["cost"])
    >>> safe, table, log = protect_results(res, report_rules(res))
    >>> bool(table["suppressed"].any()), safe.provenance["disclosure_rules"]
    (False, 'default')
    """
    safe = results.protected(rules)
    return safe, safe.table, list(safe.publication.log)


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


def protect_report(data: ReportData, rules: RuleSet) -> ReportData:
    """The frozen report as it may be published: ``data`` with secondary suppression re-applied to
    every printed table with totals, and the rule set stated.

    Examples
    --------
    >>> import rsw_eval
    >>> from rsw_eval.report import build
    >>> res = rsw_eval.compare(rsw_eval.default_sample_spec("data/sample"), only=["cost"])
    >>> dict(build(res, "munro", generated="2026-11-24").provenance)["Disclosure control"][:50]
    'rsw-eval default: counts from 1 to 5 suppressed, w'
    """
    sections = tuple(_totals(s, rules.threshold) if s.kind == "table" else s for s in data.sections)
    return replace(
        data,
        sections=sections,
        provenance=(*data.provenance, ("Disclosure control", rules.description)),
        threshold=rules.threshold,
    )
