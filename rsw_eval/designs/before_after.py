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


def before_after_waves(
    survey: pd.DataFrame, family: str, outcomes: Sequence[str], *, confidence: float = 0.95
) -> list[dict]:
    """Before/after across survey waves: the unit-model respondents of the first wave against
    those of the last (different people, so independent samples).

    Numeric outcomes: percent change of the mean (log-ratio CI) with Welch's test; yes/no outcomes:
    the change in the proportion (Newcombe CI). Nothing is returned with fewer than two waves.

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"model": "unit", "authority": "U", "wave": [2009] * 3 + [2010] * 3,
    ...                   "ghq_score": [10.0, 12, 14, 8, 9, 10]})
    >>> round(before_after_waves(s, "worker", ["ghq_score"])[0]["effect_size"], 2)
    -25.0
    """
    if "wave" not in survey.columns:
        return []
    unit = survey[survey["model"] == "unit"]
    waves = sorted(unit["wave"].dropna().unique())
    if len(waves) < 2:
        return []
    first, last = unit[unit["wave"] == waves[0]], unit[unit["wave"] == waves[-1]]
    treatment = ", ".join(sorted(map(str, unit["authority"].unique())))
    rows = []
    for outcome in outcomes:
        if outcome not in survey.columns:
            continue
        base = dict(
            outcome=outcome,
            family=family,
            design="before_after",
            treatment=treatment,
            comparison=f"own wave {waves[0]}",
            period=f"{waves[0]}->{waves[-1]}",
        )
        if pd.api.types.is_bool_dtype(survey[outcome]):
            b, a = first[outcome].dropna().astype(bool), last[outcome].dropna().astype(bool)
            if len(a) == 0 or len(b) == 0:
                continue
            r = stats.two_proportions(int(a.sum()), len(a), int(b.sum()), len(b), confidence=confidence)
            rows.append(
                from_stat(
                    r,
                    **base,
                    measure="proportion",
                    n_treatment=len(a),
                    n_comparison=len(b),
                    value_treatment=r.details["p1"],
                    value_comparison=r.details["p2"],
                    difference=r.estimate,
                )
            )
            continue
        b = first[outcome].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
        a = last[outcome].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
        if np.sum(~np.isnan(a)) < 2 or np.sum(~np.isnan(b)) < 2 or np.nanmean(b) <= 0:
            continue
        change = stats.percent_change(b, a, confidence=confidence)
        t = stats.welch_t(a, b, confidence=confidence)
        rows.append(
            from_stat(
                change,
                **base,
                measure="percent_change",
                n_treatment=t.n1,
                n_comparison=t.n2,
                value_treatment=t.details["mean1"],
                value_comparison=t.details["mean2"],
                difference=t.estimate,
                test=t.test,
                statistic=t.statistic,
                df=t.df,
                p_value=t.p_value,
            )
        )
    return rows
