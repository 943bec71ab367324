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


def marks(series: pd.DataFrame, indicator: str, grid: pd.DataFrame) -> pd.DataFrame:
    """What stands in a chart's data table where ``grid`` (:func:`wide`) has no value: ``c`` where
    the value is suppressed as a small number (as the annual table shows it), DfE's own symbol
    where the file published one (``x``, ``c``, ...), ``""`` otherwise (not collected: a dash).

    Examples
    --------
    >>> s = pd.DataFrame({"la_code": "A", "year": [2010, 2011, 2012], "indicator": "i",
    ...     "value": [1.0, None, None], "flag": ["", "x", ""], "role": "treated",
    ...     "suppressed": [False, False, True]})
    >>> marks(s, "i", wide(s, "i"))["A"].tolist()
    ['', 'x', 'c']
    """
    if grid.empty:
        return grid
    sub = series[(series["indicator"] == indicator) & series["la_code"].isin(grid.columns)]
    hidden = sub.get("suppressed", pd.Series(False, index=sub.index)).fillna(False).astype(bool)
    flag = sub.get("flag", pd.Series("", index=sub.index)).fillna("").astype(str)
    symbol = sub.assign(mark=flag.where(~hidden, "c"))
    table = symbol.pivot_table(index="year", columns="la_code", values="mark", aggfunc="first")
    return table.reindex(index=grid.index, columns=grid.columns).fillna("").astype(str)
