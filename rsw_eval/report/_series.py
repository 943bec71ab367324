"""Views of the protected series for tables and charts: one indicator as years x authorities,
changes between two years, and the comparators' median and range (descriptive, no inference)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from rsw_eval.report._labels import is_percent


def wide(series: pd.DataFrame, indicator: str, roles=("treated", "comparator")) -> pd.DataFrame:
    """Years (every year from first to last, gaps as NaN) x authorities of one indicator."""
    sub = series[(series["indicator"] == indicator) & series["role"].isin(roles)]
    if sub.empty:
        return pd.DataFrame()
    table = sub.pivot_table(index="year", columns="la_code", values="value", aggfunc="first", dropna=False)
    years = range(int(sub["year"].min()), int(sub["year"].max()) + 1)
    return table.reindex(years)


def england(series: pd.DataFrame, indicator: str) -> pd.Series:
    """England's values by year (empty when the data hold no national rows)."""
    sub = series[(series["indicator"] == indicator) & (series["role"] == "england")]
    return sub.set_index("year")["value"].sort_index()


def change(indicator: str, new, old):
    """Percentage points for percentages, else percent; NaN where either is missing or old is 0."""
    new, old = np.asarray(new, dtype=float), np.asarray(old, dtype=float)
    if is_percent(indicator):
        return new - old
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(old != 0, 100 * (new / old - 1), np.nan)


def comparator_changes(series: pd.DataFrame, indicator: str, before: int, after: int) -> pd.Series:
    """Each comparator's change from ``before`` to ``after`` (pp or %), comparators that have both."""
    table = wide(series, indicator, roles=("comparator",))
    if table.empty or before not in table.index or after not in table.index:
        return pd.Series(dtype=float)
    out = pd.Series(change(indicator, table.loc[after], table.loc[before]), index=table.columns)
    return out.dropna()


def median_range(values: pd.Series, fmt) -> str:
    """'median (min to max)' of the values, formatted; empty when there are none."""
    values = pd.Series(values, dtype=float).dropna()
    if values.empty:
        return ""
    if len(values) == 1:
        return fmt(values.iloc[0])
    return f"{fmt(values.median())} ({fmt(values.min())} to {fmt(values.max())})"
