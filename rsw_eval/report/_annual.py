"""The annual council report: one authority's year against last year and its comparators."""

from __future__ import annotations

import numpy as np
import pandas as pd

from rsw_eval._errors import SpecError
from rsw_eval.disclosure import COUNT_OUTCOMES
from rsw_eval.report import _charts
from rsw_eval.report._common import (
    SUPPRESSED,
    Section,
    capital,
    effect,
    limitations,
    protected_series,
)
from rsw_eval.report._labels import EFFECT_LABELS, num, outcome_label, p_text
from rsw_eval.results import Results


def annual_rows(series: pd.DataFrame, authority: str, year: int) -> tuple[list, list]:
    rows, summary = [], []
    for indicator in sorted(series["indicator"].unique()):
        if indicator == "population_0_17":
            continue
        sub = series[series["indicator"] == indicator]
        own = sub[sub["la_code"] == authority].set_index("year")
        if not own.index.isin([year, year - 1]).any():
            continue  # not measured in these years (e.g. a single-year SSDA903 return)
        others = sub[(sub["la_code"] != authority) & (sub["role"] == "comparator") & (sub["year"] == year)][
            "value"
        ]
        england = sub[(sub["role"] == "england") & (sub["year"] == year)]["value"]
        digits = 0 if indicator in COUNT_OUTCOMES else 2

        def shown(y: int, own=own, digits=digits) -> str:
            if y not in own.index:
                return ""
            return SUPPRESSED if own.loc[y, "suppressed"] else num(own.loc[y, "value"], digits)

        this, last = own["value"].get(year, np.nan), own["value"].get(year - 1, np.nan)
        med = others.median() if others.notna().any() else np.nan
        change = num(100 * (this / last - 1), 1) if pd.notna(this) and pd.notna(last) and last else ""
        rows.append(
            (
                outcome_label(indicator),
                shown(year),
                shown(year - 1),
                change,
                num(med, digits),
                num(england.iloc[0], digits) if england.notna().any() else "not in the data",
            )
        )
        key = ("children_looked_after", "cla_rate_per_10k", "sickness_days_per_fte")
        if indicator in key and pd.notna(this) and pd.notna(last):
            direction = "down" if this < last else "up" if this > last else "unchanged"
            summary.append(
                f"{capital(outcome_label(indicator))}: {num(this, digits)} in {year}, "
                f"{direction} from {num(last, digits)} in {year - 1}; comparators' "
                f"median {num(med, digits)}."
            )
    return rows, summary


def annual(
    results: Results, table: pd.DataFrame, threshold: int, authority: str | None, year: int | None
) -> tuple[list, list, str]:
    series = protected_series(results, threshold)
    if series.empty:
        raise SpecError("the annual report needs administrative data (an [data] admin entry)")
    authority = authority or series.loc[series["role"] == "treated", "la_code"].iloc[0]
    if authority not in set(series["la_code"]):
        raise SpecError(
            f"authority {authority!r} is not in the data; available: "
            f"{', '.join(sorted(series['la_code'].unique()))}"
        )
    year = year or int(series["year"].max())
    name = series.loc[series["la_code"] == authority, "la_name"].iloc[0]
    rows, summary = annual_rows(series, authority, year)
    sections = [
        Section(
            "indicators",
            f"{name}: indicators for the year ending 31 March {year}",
            "table",
            intro="This year against last year, the comparators' median and England (when the data "
            "include national rows, e.g. an admin entry with geographic_level = 'National').",
            columns=("Indicator", str(year), str(year - 1), "Change %", "Comparators' median", "England"),
            rows=tuple(rows),
            numeric=(False, True, True, True, True, False),
        )
    ]
    for indicator, label in (
        ("cla_rate_per_10k", "looked-after children per 10,000"),
        ("cp_plans_repeat_pct", "second or later plans (%)"),
    ):
        sub = series[
            (series["indicator"] == indicator) & (series["year"] == year) & (series["role"] != "england")
        ]
        if sub.empty:
            continue
        names = sub.set_index("la_code")["la_name"]
        values = sub.set_index("la_code")["value"]
        values.index = [names[c] for c in values.index]
        sections.append(
            Section(
                f"dots-{indicator}",
                f"{capital(label)}, {year}",
                "figure",
                svg=_charts.dot_plot(values, names[authority], capital(label), label),
            )
        )
    causal = table[table["design"].isin(["did", "its"]) & table["primary"]]
    if not causal.empty:
        sections.append(
            Section(
                "model-change",
                "Since the model changed",
                "table",
                intro="Estimates of the change since the intervention year (DiD "
                "on the log scale and Poisson ITS ratios are relative changes).",
                columns=("Indicator", "Design", "Estimate", "Value [95% CI]", "p"),
                numeric=(False, False, False, True, True),
                rows=tuple(
                    (
                        outcome_label(r["outcome"]),
                        r["design"].upper(),
                        EFFECT_LABELS.get(r["effect_size_name"], ""),
                        effect(r),
                        p_text(r["p_value"]),
                    )
                    for _, r in causal.iterrows()
                ),
            )
        )
    sections.append(limitations(results, table))
    return sections, summary, f"{name}, year ending 31 March {year}"
