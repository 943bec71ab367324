"""Views of the protected series for tables and charts: one indicator as years x authorities, and
England's values (descriptive, no inference). Changes and the comparators' median and range are
read from the before/after rows (compare's rule: :mod:`rsw_eval.designs._units`)."""

from __future__ import annotations

import pandas as pd


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
