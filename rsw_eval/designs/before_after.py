"""Before/after, Munro-style: percent change of each indicator from a baseline to a follow-up year."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats as sps

from rsw_eval import stats
from rsw_eval.designs._panel import COUNT_INDICATORS, names, outcomes, wide_all
from rsw_eval.designs._rows import from_stat, make_row

__all__ = ["before_after"]


def before_after(
    panel: pd.DataFrame,
    treated: Sequence[str],
    comparators: Sequence[str],
    periods: Sequence[tuple[int, int]],
    *,
    confidence: float = 0.95,
) -> list[dict]:
    """Percent change baseline -> follow-up for each treated authority and the comparators' mean.

    Counts (:data:`COUNT_INDICATORS`) get a Poisson CI; other indicators (rates, percentages, days)
    have no sampling error in the panel, so their rows carry the change without a CI and say so. The
    comparators' row is the mean of their percent changes with a t interval across authorities.

    Examples
    --------
    >>> import pandas as pd
    >>> p = pd.DataFrame({"la_code": "A", "la_name": "A", "year": [2006, 2010],
    ...                   "indicator": "children_looked_after", "value": [470.0, 314.0]})
    >>> round(before_after(p, ["A"], [], [(2006, 2010)])[0]["effect_size"], 2)
    -33.19
    """
    rows: list[dict] = []
    label = names(panel)
    tables = wide_all(panel)
    for indicator in outcomes(panel):
        table = tables[indicator]
        for before, after in periods:
            if before not in table.columns or after not in table.columns:
                continue
            period = f"{before}->{after}"
            base = dict(
                outcome=indicator,
                family="admin",
                design="before_after",
                measure="percent_change",
                comparison=f"own baseline {before}",
                period=period,
            )
            for code in treated:
                if code not in table.index:
                    continue
                b, a = table.loc[code, before], table.loc[code, after]
                common = dict(
                    base,
                    treatment=label.get(code, code),
                    value_treatment=a,
                    value_comparison=b,
                    difference=a - b,
                )
                if not (np.isfinite(a) and np.isfinite(b) and b > 0 and a > 0):
                    rows.append(make_row(**common, note="not computed: a value is missing or not positive"))
                    continue
                counts = indicator in COUNT_INDICATORS
                r = stats.percent_change(b, a, counts=counts, confidence=confidence)
                note = (
                    ""
                    if counts
                    else (
                        "no CI: the panel gives no sampling error for this "
                        "indicator (a rate, percentage or average)"
                    )
                )
                rows.append(from_stat(r, **common, note=note))
            comp = [c for c in comparators if c in table.index]
            change = 100 * (table.loc[comp, after] / table.loc[comp, before] - 1)
            change = change[np.isfinite(change)]
            if len(change) >= 2:
                m, se = change.mean(), change.std(ddof=1) / np.sqrt(len(change))
                q = sps.t.ppf(0.5 + confidence / 2, len(change) - 1)
                rows.append(
                    make_row(
                        **base,
                        treatment=f"comparators (mean of {len(change)})",
                        primary=False,
                        n_treatment=len(change),
                        value_treatment=table.loc[change.index, after].mean(),
                        value_comparison=table.loc[change.index, before].mean(),
                        effect_size_name="percent_change",
                        effect_size=m,
                        ci_low=m - q * se,
                        ci_high=m + q * se,
                        method="mean of the comparators' percent changes, t interval across authorities",
                        note="comparators' change, for context",
                    )
                )
    return rows
