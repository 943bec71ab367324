"""Percentage points in every report cell and sentence, by compare's one rule.

``compare``'s before/after rows carry their unit (``change_pp``). Its DiD, ITS, synthetic-control,
staggered and event-time rows of a percentage, a share or a 0/1 indicator are differences on the
indicator's own level: 2.3 for a percentage is 2.3 percentage points, 0.075 for a 0-1 share is
7.5. :func:`with_points` marks each such row with its factor to percentage points (column
``points``: :func:`rsw_eval.designs._units.points_scale` on the indicator's values in the
report's series, the rule ``compare`` uses), once, when a report is built; every estimate,
interval, detection and sensitivity cell and sentence reads it (:func:`level_unit`), so a
percentage's DiD is never a bare number beside its before/after change in pp.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from rsw_eval.designs._units import points_scale
from rsw_eval.report._labels import unit_of

__all__ = ["in_points", "level_points", "level_unit", "row_points", "series_points", "with_points"]

#: Effect sizes already in their own unit (a percent change, or a before/after change in points).
OWN_UNIT = frozenset({"percent_change", "change_pp"})


def _on_level(table: pd.DataFrame) -> pd.Series:
    """Rows whose estimate is a difference on the indicator's own level (admin designs but the
    before/after change; not on the log scale, not a ratio)."""
    name = table["effect_size_name"].astype(str)
    scale = table["scale"].astype(str) if "scale" in table else pd.Series("", index=table.index)
    return (
        (table["family"] == "admin")
        & (table["design"] != "before_after")
        & (scale != "log")
        & ~name.str.endswith("_ratio")
        & ~name.isin(OWN_UNIT)
    )


def with_points(table: pd.DataFrame, series: pd.DataFrame) -> pd.DataFrame:
    """``table`` with ``points``: the factor that turns each level-scale row of a percentage,
    share or 0/1 indicator into percentage points (1 or 100), NaN for every other row.

    Examples
    --------
    >>> t = pd.DataFrame({"family": "admin", "design": ["did", "did", "before_after"],
    ...     "outcome": ["high_repeat", "children_looked_after", "high_repeat"],
    ...     "effect_size_name": ["did_estimate", "did_estimate", "change_pp"], "scale": "level"})
    >>> s = pd.DataFrame({"indicator": "high_repeat", "value": [0.0, 1.0]})
    >>> with_points(t, s)["points"].tolist()
    [100.0, nan, nan]
    """
    out = table.copy()
    out["points"] = np.nan
    if out.empty:
        return out
    level = _on_level(out)
    for outcome in out.loc[level, "outcome"].unique():
        values = (
            series.loc[series["indicator"] == outcome, "value"].to_numpy(dtype=float)
            if len(series)
            else np.array([])
        )
        found = points_scale(str(outcome), values)
        if found is not None:
            out.loc[level & (out["outcome"] == outcome), "points"] = found
    return out


def series_points(series: pd.DataFrame) -> pd.DataFrame:
    """``series`` with ``level_points``: each indicator's factor to percentage points on every
    value the series holds (compare's rule, :func:`~rsw_eval.designs._units.points_scale`), so
    that a subset (one adopter and its comparators) prints its levels as the whole does.

    Examples
    --------
    >>> s = pd.DataFrame({"indicator": ["repeat_share", "repeat_share", "cla"], "value": [0.2, 0.3, 40.0]})
    >>> series_points(s)["level_points"].tolist()
    [100.0, 100.0, nan]
    """
    out = series.copy()
    out["level_points"] = np.nan
    for indicator, values in out.groupby("indicator", sort=False)["value"]:
        found = points_scale(str(indicator), values.to_numpy(dtype=float))
        if found is not None:
            out.loc[values.index, "level_points"] = found
    return out


def level_points(series: pd.DataFrame, indicator: str) -> float | None:
    """An indicator's factor to percentage points in a report's series (:func:`series_points`'s
    column where it is there, else :func:`~rsw_eval.designs._units.points_scale` on the series'
    values); None for a level that changes in percent. ``value_text(indicator, v, points)`` prints
    a 0-1 share's level (factor 100) as a percentage.

    Examples
    --------
    >>> s = pd.DataFrame({"indicator": "repeat_share", "value": [0.211, 0.290]})
    >>> level_points(s, "repeat_share"), level_points(s, "cla")
    (100.0, None)
    """
    if series is None or not len(series):
        return None
    own = series[series["indicator"] == indicator]
    if "level_points" in own:
        marked = own["level_points"].dropna()
        return float(marked.iloc[0]) if len(marked) else None
    return points_scale(indicator, own["value"].to_numpy(dtype=float))


def row_points(row: pd.Series) -> float | None:
    """The row's factor to percentage points (:func:`with_points`), None when not in points."""
    value = row.get("points")
    return None if value is None or pd.isna(value) else float(value)


def level_unit(row: pd.Series) -> tuple[float, str]:
    """(factor, unit) of a level change of the row: ``(points, " pp")`` for a percentage, share
    or 0/1 indicator, else ``(1, unit_of(outcome))`` (" plans", " days", "").

    Examples
    --------
    >>> level_unit(pd.Series({"outcome": "repeat_share", "points": 100.0}))
    (100.0, ' pp')
    >>> level_unit(pd.Series({"outcome": "cp_plans_started"}))
    (1.0, ' plans')
    """
    points = row_points(row)
    if points is not None:
        return points, " pp"
    return 1.0, unit_of(str(row.get("outcome", "")))


def in_points(rows: pd.DataFrame) -> tuple[pd.DataFrame, str]:
    """Rows of one indicator with the estimate and interval in percentage points when they are in
    points (for charts), and the axis unit (" (pp)" or "").

    Examples
    --------
    >>> r = pd.DataFrame({"effect_size": [0.05], "ci_low": [-0.1], "ci_high": [0.2], "points": [100.0]})
    >>> shown, unit = in_points(r)
    >>> shown["effect_size"].tolist(), unit
    ([5.0], ' (pp)')
    """
    if "points" not in rows or rows.empty or rows["points"].isna().all():
        return rows, ""
    factor = float(rows["points"].dropna().iloc[0])
    cols = [c for c in ("effect_size", "ci_low", "ci_high") if c in rows]
    return rows.assign(**{c: rows[c] * factor for c in cols}), " (pp)"
