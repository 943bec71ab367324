"""Build, then render: results -> frozen report data (every number formatted, every small cell
suppressed) -> templates. Nothing here computes a statistic; it only selects and words results."""

from __future__ import annotations

import datetime as dt

from rsw_eval._errors import SpecError
from rsw_eval.interpret import COHEN_1988
from rsw_eval.report._annual import annual
from rsw_eval.report._common import ReportData, Section, provenance
from rsw_eval.report._forrester import forrester
from rsw_eval.report._munro import munro
from rsw_eval.report._protect import protect_report, protect_results, report_rules
from rsw_eval.results import Results

__all__ = ["STYLES", "ReportData", "Section", "build"]

STYLES = ("forrester", "munro", "annual")


def build(
    results: Results,
    style: str,
    *,
    threshold: int | None = None,
    authority: str | None = None,
    year: int | None = None,
    generated: str | None = None,
    rules: tuple[tuple[float, str], ...] = COHEN_1988,
) -> ReportData:
    """The frozen content of one report: protected, formatted, worded; no rendering.

    ``rules`` labels standardised effects in the summary: ``((bound, label), ...)`` with increasing
    bounds, the last ``math.inf`` (default :data:`rsw_eval.interpret.COHEN_1988`).

    Examples
    --------
    >>> import rsw_eval
    >>> res = rsw_eval.compare(rsw_eval.default_sample_spec("data/sample"), only=["cost"])
    >>> data = build(res, "munro", generated="2026-11-24")
    >>> [s.id for s in data.sections][:3], data.synthetic
    (['published', 'cost', 'waterfall'], True)
    """
    if style not in STYLES:
        raise SpecError(f"unknown report style {style!r}; valid: {', '.join(STYLES)}")
    sdc = report_rules(results, threshold)
    raw, threshold = results.table, sdc.threshold
    results, table, log = protect_results(results, sdc)
    generated = generated or dt.date.today().isoformat()
    subtitle = {
        "forrester": "A comparative study of social work units and conventional teams",
        "munro": "An organisational evaluation: before and after the unit model",
        "annual": "",
    }[style]
    if style == "forrester":
        sections, summary = forrester(results, table, threshold, rules)
    elif style == "munro":
        sections, summary = munro(results, table, threshold)
    else:
        sections, summary, subtitle = annual(results, table, threshold, authority, year)
    pairs, inputs, methods = provenance(results, generated)
    title = str(results.provenance.get("title", "Evaluation report"))
    data = ReportData(
        style,
        title,
        subtitle,
        bool(results.provenance.get("synthetic")),
        generated,
        tuple(summary),
        tuple(sections),
        pairs,
        inputs,
        methods,
        tuple(log),
        threshold,
    )
    return protect_report(data, sdc, raw, table)
