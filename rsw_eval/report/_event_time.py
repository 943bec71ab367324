"""The event-time view of one adopter: its DiD effect in each year since adoption (the ``did``
``did_event`` rows), so that a long post period cannot hide a reversal
and the years before adoption show whether the trends ran parallel."""

from __future__ import annotations

import pandas as pd

from rsw_eval.report._common import Section, capital
from rsw_eval.report._donor_charts import MAX_CHARTS, event_study_chart, shown_rows
from rsw_eval.report._labels import outcome_label
from rsw_eval.report._points import in_points

__all__ = ["event_time_sections"]


def event_time_sections(table: pd.DataFrame, name: str, prefix: str = "", *, threshold: int) -> list[Section]:
    """One chart per indicator (at most :data:`MAX_CHARTS`) of one authority's event-time rows;
    ``threshold`` is the report's (what ``c`` in a chart's data table means).

    Examples
    --------
    >>> cols = ["outcome", "design", "effect_size_name", "effect_size", "event_time", "suppressed"]
    >>> event_time_sections(pd.DataFrame(columns=cols), "Hackney", threshold=5)
    []
    """
    rows = table[table["design"] == "did_event"]
    # every year compare gives, so none is dropped in silence: a suppressed year is a gap in the
    # chart and c in its data table; a year without an estimate for another reason (its row's
    # note says why) is a gap and a dash
    rows = rows[rows["event_time"].notna()]
    rows = rows[rows["outcome"].isin(shown_rows(rows)["outcome"])]  # an indicator with an estimate
    out = []
    for outcome in list(dict.fromkeys(rows["outcome"]))[:MAX_CHARTS]:
        sub = rows[rows["outcome"] == outcome].assign(
            period=lambda f: "event " + f["event_time"].astype(int).astype(str)
        )
        levels = sorted({round(float(v), 3) for v in sub["ci_level"].dropna()})
        level = f"{levels[0]:.1%}" if len(levels) == 1 else "exact-level"
        relative = (sub["scale"] == "log").any()
        sub, unit = in_points(sub)  # a percentage's, share's or 0/1's differences in pp
        out.append(
            Section(
                f"event-time-{prefix}{outcome}",
                f"{name}: {outcome_label(outcome)} by year since adoption",
                "figure",
                intro=f"{name}'s difference from its comparators in each year, against its own years "
                "before the model (year 0 is the first year with the model); the years before 0 are a "
                "check that the trends ran parallel. Each interval is from a permutation test over "
                f"{name} and its comparators ({level} intervals)"
                + (
                    "; values are percent differences."
                    if relative
                    else "; values are percentage points."
                    if unit
                    else "."
                ),
                svg=event_study_chart(
                    sub,
                    capital(outcome_label(outcome)) + f" ({name})",
                    band=f"{level} interval",
                    ylabel="difference (%)" if relative else f"difference{unit}",
                    threshold=threshold,
                ),
            )
        )
    return out
