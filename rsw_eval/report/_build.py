"""Build, then render: results -> frozen report data (every number formatted, every small cell
suppressed) -> templates. Nothing here computes a statistic; it only selects and words results."""

from __future__ import annotations

import datetime as dt

from rsw_eval._errors import SpecError
from rsw_eval._source_date import source_date_epoch
from rsw_eval.evaluation.interpret import COHEN_1988
from rsw_eval.evaluation.results import Results
from rsw_eval.publication import counts_said
from rsw_eval.report._annual import annual
from rsw_eval.report._authority import name_of, units
from rsw_eval.report._common import ReportData, Section, comparator_rows, provenance
from rsw_eval.report._forrester import forrester
from rsw_eval.report._munro import munro
from rsw_eval.report._points import with_points
from rsw_eval.report._protect import protect_report, protect_results, report_rules

__all__ = ["STYLES", "NothingToReport", "ReportData", "Section", "build"]

STYLES = ("forrester", "munro", "annual")


class NothingToReport(SpecError):
    """The data hold nothing this report style shows (e.g. Forrester without surveys)."""


def _check_data(results: Results, style: str) -> None:
    families = set(results.table["family"]) | set(results.skipped["family"])
    if style == "forrester" and not families & {"worker", "parent"}:
        raise NothingToReport(
            "forrester: the data hold no survey (give [data] worker_survey or parent_survey)"
        )
    if style == "munro" and not (families & {"admin", "cost"} or len(results.series)):
        raise NothingToReport(
            "munro: the data hold no administrative or cost series (give [data] admin or costs)"
        )
    if style == "annual" and not len(results.series):
        raise NothingToReport("annual: the data hold no administrative series (give [data] admin)")


#: The result families each style reports on (its methods list names only their methods).
STYLE_FAMILIES = {
    "forrester": ("worker", "parent"),
    "munro": ("admin", "cost", "worker"),
    "annual": ("admin", "cost"),
}


def generated_on() -> str:
    """The date a report says it was generated: the day of ``SOURCE_DATE_EPOCH`` (seconds since
    1970, the reproducible-builds convention) where it is set, so a published PDF renders again
    byte for byte on another day (findings-q18att F6); else today.

    Examples
    --------
    >>> import os
    >>> os.environ["SOURCE_DATE_EPOCH"] = "1767225600"
    >>> generated_on()
    '2026-01-01'
    >>> del os.environ["SOURCE_DATE_EPOCH"]
    """
    epoch = source_date_epoch()
    if epoch is None:
        return dt.date.today().isoformat()
    return dt.datetime.fromtimestamp(epoch, dt.UTC).date().isoformat()


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
    bounds, the last ``math.inf`` (default :data:`rsw_eval.evaluation.interpret.COHEN_1988`).

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
    _check_data(results, style)
    sdc = report_rules(results, threshold)
    threshold = sdc.threshold
    results, table, log = protect_results(results, sdc)
    table = with_points(table, results.series)  # which rows are in percentage points (compare's rule)
    generated = generated or generated_on()
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
    code = None
    if style == "annual":  # the report is about one authority: its own comparators
        code = authority or next(iter(units(results)), None)
    comparators = comparator_rows(results, code) if style != "forrester" else ()
    pairs, inputs, methods = provenance(
        results, generated, panel=style != "forrester", families=STYLE_FAMILIES[style], code=code
    )
    title = str(results.provenance.get("title", "Evaluation report"))
    if code is not None and name_of(results, code) not in title:  # an annual report is X's own
        title = f"{name_of(results, code)}: children's social care, annual report"
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
        {
            "cohen": style == "forrester" and bool(summary),
            "comparators": comparators,
            "comparators_ranked": any(r[2] or r[3] for r in comparators),
            # which undeclared indicators were taken as counts or as 0/1 (the disclosure section)
            "counts_said": counts_said(results.provenance.get("disclosure_panel") or {}),
        },
    )
    return protect_report(data, sdc)
