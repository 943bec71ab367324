"""Shared helpers for designs on the long administrative panel."""

from __future__ import annotations

import numpy as np
import pandas as pd

#: Indicators that are counts of children or plans: Poisson CIs, log scale in DiD, Poisson ITS.
COUNT_INDICATORS = frozenset(
    {
        "children_looked_after",
        "cla_started",
        "cla_ceased",
        "cp_plans_started",
        "cp_plans_repeat",
        "residential_placements",
    }
)
#: Indicators analysed on the log scale in difference-in-differences (relative change): counts and
#: rates. Percentages and days per FTE are analysed on their own (level) scale.
LOG_SCALE = COUNT_INDICATORS | {"cla_rate_per_10k"}
#: Not outcomes: denominators.
DENOMINATORS = frozenset({"population_0_17"})


def wide(panel: pd.DataFrame, indicator: str) -> pd.DataFrame:
    """One indicator as a table: authorities (``la_code``) x years."""
    sub = panel[panel["indicator"] == indicator]
    return sub.pivot(index="la_code", columns="year", values="value").sort_index(axis=1)


def wide_all(panel: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Every indicator as an authorities x years table, from one pivot (years present for that
    indicator only)."""
    table = panel.pivot(index=["indicator", "la_code"], columns="year", values="value")
    table = table.sort_index(axis=1)
    out = {}
    for indicator, sub in table.groupby(level=0, sort=True):
        sub = sub.droplevel(0).dropna(axis=1, how="all").dropna(axis=0, how="all")
        out[str(indicator)] = sub
    return out


def names(panel: pd.DataFrame) -> dict[str, str]:
    """``la_code`` -> a display name ("Name (code)")."""
    first = panel.drop_duplicates("la_code").set_index("la_code")["la_name"]
    return {code: (f"{name} ({code})" if name else code) for code, name in first.items()}


def outcomes(panel: pd.DataFrame) -> list[str]:
    """Indicators of the panel that are outcomes (not denominators), sorted."""
    return sorted(i for i in panel["indicator"].unique() if i not in DENOMINATORS)


def newey_west_lags(n: int) -> int:
    """Newey & West (1994) rule: floor(4 (n/100)^(2/9)), at least 1.

    Examples
    --------
    >>> newey_west_lags(13), newey_west_lags(100)
    (2, 4)
    """
    return max(1, int(np.floor(4 * (n / 100) ** (2 / 9))))
