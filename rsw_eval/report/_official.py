"""The official-statistics check in a report: each published claim beside what the public series
loaded here show (``Results.official_check``), with the reason for a gap."""

from __future__ import annotations

from rsw_eval.evaluation.results import Results
from rsw_eval.report._common import Section

__all__ = ["official_sections"]


def official_sections(results: Results) -> list[Section]:
    """One table of the published claims the loaded official series can speak to (none when the
    results carry no check).

    Examples
    --------
    >>> import pandas as pd
    >>> from types import SimpleNamespace
    >>> official_sections(SimpleNamespace(official_check=pd.DataFrame()))
    []
    """
    check = getattr(results, "official_check", None)
    if check is None or len(check) == 0:
        return []
    rows = tuple(
        (
            str(r.statement),
            str(r.published),
            str(r.official or "–"),
            str(r.status),
            str(r.reason),
        )
        for r in check.itertuples()
    )
    return [
        Section(
            "official-check",
            "Official statistics beside the published claims",
            "table",
            intro="Each figure the evaluations published, beside what the official public series loaded "
            "here show for the same authority and years, and why they differ where they do.",
            columns=("Published statement", "Published", "Official series", "Result", "Why"),
            rows=rows,
            numeric=(False,) * 5,
        )
    ]
