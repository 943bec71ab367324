"""The Munro report's trend charts: the unit-model authority's series against its comparators."""

from __future__ import annotations

import pandas as pd

from rsw_eval.report import _charts
from rsw_eval.report._common import capital
from rsw_eval.report._labels import COUNT_INDICATORS, outcome_label
from rsw_eval.report._points import level_points
from rsw_eval.report._series import england, marks, wide

__all__ = ["TRENDS", "trend_charts"]

#: Indicators charted, with their axis labels.
TRENDS = (
    ("children_looked_after", "number"),
    ("cla_rate_per_10k", "per 10,000 children"),
    ("sickness_days_per_fte", "days per FTE"),
    ("agency_worker_pct", "% of workers"),
    ("cp_plans_repeat_pct", "% of plans"),
)


def trend_charts(
    series: pd.DataFrame, intervention: int | None, who: str = "comparators", *, threshold: int
) -> tuple[tuple[str, str], ...]:
    """One (title, SVG) per charted indicator the treated authority has, with England's series for
    rates and the model's start marked; ``threshold`` is the report's (what ``c`` means).

    Examples
    --------
    >>> trend_charts(pd.DataFrame(columns=["role"]), 2008, threshold=5)
    ()
    """
    if series.empty or not (series["role"] == "treated").any():
        return ()
    first = series[series["role"] == "treated"].iloc[0]
    code, name = first["la_code"], str(first["la_name"])
    charts = []
    for indicator, label in TRENDS:
        grid = wide(series, indicator)
        if grid.empty or code not in grid:
            continue
        eng = england(series, indicator) if indicator not in COUNT_INDICATORS else None
        svg = _charts.trend_chart(
            grid,
            code,
            name,
            intervention,
            label,
            eng,
            who,
            indicator=indicator,
            points=level_points(series, indicator),
            marks=marks(series, indicator, grid),
            threshold=threshold,
        )
        charts.append((capital(outcome_label(indicator)), svg))
    return tuple(charts)
