"""The Munro-style report: the organisation before and after the unit model, and its costs."""

from __future__ import annotations

import numpy as np
import pandas as pd

from rsw_eval.report import _charts
from rsw_eval.report._common import (
    COMPARISON_COLUMNS,
    COMPARISON_NUMERIC,
    EFFECT_KEY,
    Section,
    capital,
    cell,
    comparison_table,
    effect,
    limitations,
    protected_series,
    published_section,
)
from rsw_eval.report._labels import EFFECT_LABELS, num, outcome_label, p_text
from rsw_eval.results import Results


def change_sentence(r: pd.Series) -> str:
    name = outcome_label(r["outcome"])
    if r.get("suppressed") or pd.isna(r["effect_size"]):
        return f"{name}: not shown (small numbers)."
    a, b = r["period"].split("->")
    unit = " percentage points" if r["effect_size_name"] == "change_pp" else "%"
    verb = "fell" if r["effect_size"] < 0 else "rose"
    return (
        f"{capital(name)} {verb} from {num(r['value_comparison'])} in {a} to "
        f"{num(r['value_treatment'])} in {b} ({num(r['effect_size'], 1)}{unit}; descriptive, "
        "no comparison group)."
    )


def munro(results: Results, table: pd.DataFrame, threshold: int) -> tuple[list, list]:
    sections: list[Section] = []
    ba = table[(table["design"] == "before_after")]
    own = ba["comparison"].str.startswith("own baseline")  # treated rows; else comparators' median
    unit_rows = ba[own]
    comp_rows = ba[~own].set_index(["outcome", "period"])
    rows = []
    for _, r in unit_rows.iterrows():
        comp = comp_rows["effect_size"].get((r["outcome"], r["period"]), np.nan)
        rows.append(
            (
                outcome_label(r["outcome"]),
                r["period"].replace("->", " to "),
                cell(r, "value_comparison"),
                cell(r, "value_treatment"),
                effect(r),
                num(comp, 1),
                p_text(r["p_value"]),
            )
        )
    if rows:
        sections.append(
            Section(
                "indicators",
                "Indicators before and after",
                "table",
                intro="The unit-model authority's indicators at the baseline and "
                "follow-up years (ending 31 March), with the change (percent; percentage points "
                "for indicators that are percentages) and the comparators' median change. "
                "Descriptive: with no comparison group these changes are not tests of the model.",
                columns=(
                    "Indicator",
                    "Years",
                    "Baseline",
                    "Follow-up",
                    "Change (% or pp)",
                    "Comparators' median change",
                    "p",
                ),
                rows=tuple(rows),
            )
        )
    sections.append(published_section(results))
    series = protected_series(results, threshold)
    treated = series.loc[series["role"] == "treated", "la_code"]
    intervention = results.provenance.get("intervention_year")
    for indicator, label in (
        ("children_looked_after", "number"),
        ("cla_rate_per_10k", "per 10,000 children"),
        ("sickness_days_per_fte", "days per FTE"),
        ("agency_worker_pct", "% of workers"),
        ("cp_plans_repeat_pct", "% of plans"),
    ):
        sub = series[(series["indicator"] == indicator) & (series["role"] != "england")]
        if sub.empty or treated.empty:
            continue
        sections.append(
            Section(
                f"trend-{indicator}",
                f"Trend: {outcome_label(indicator)}",
                "figure",
                svg=_charts.trend_chart(
                    sub, treated.iloc[0], intervention, capital(outcome_label(indicator)), label
                ),
            )
        )
    cost = table[table["family"] == "cost"]
    total = cost[(cost["design"] == "cost_change") & (cost["outcome"] == "total_cost")]
    if not total.empty:
        t = total.iloc[0]
        parts = cost[cost["effect_size_name"] == "contribution_pp"]
        rows = [
            (
                outcome_label(r.outcome),
                num(r.value_comparison),
                num(r.value_treatment),
                num(r.difference),
                num(r.effect_size),
            )
            for r in parts.itertuples()
        ]
        rows.append(
            (
                "Total",
                num(t["value_comparison"]),
                num(t["value_treatment"]),
                num(t["difference"]),
                num(t["effect_size"]),
            )
        )
        real = cost[cost["outcome"] == "total_cost_real"]
        note = (
            f"In real terms ({real.iloc[0]['scale']}) the change is {num(real.iloc[0]['effect_size'])}%."
            if not real.empty
            else ""
        )
        did_row = cost[cost["design"] == "cost_did"]
        if not did_row.empty:
            d = did_row.iloc[0]
            note += (
                f" Against {d['comparison']}: {num(d['effect_size'])} percentage points "
                f"[{num(d['ci_low'])}, {num(d['ci_high'])}], placebo p = {p_text(d['p_value'])}."
            )
        sections.append(
            Section(
                "cost",
                f"Cost change, {t['period'].replace('->', ' to ')}",
                "table",
                intro="Spending by cost driver (pounds) and each driver's "
                "contribution to the total percent change (percentage points; "
                "the contributions add up to the total).",
                columns=("Cost line", "Before (£)", "After (£)", "Change (£)", "Contribution (pp)"),
                rows=tuple(rows),
                note=note.strip(),
            )
        )
        sections.append(
            Section(
                "waterfall",
                "What drove the cost change",
                "figure",
                svg=_charts.waterfall(parts, float(t["effect_size"]), "Contributions to the total change"),
            )
        )
    reflection = table[
        (table["outcome"] == "no_time_for_reflection")
        & table["primary"]
        & (table["design"] == "cross_section")
    ]
    if not reflection.empty:
        sections.append(
            Section(
                "reflection",
                "Time for critical reflection",
                "table",
                intro="Share of staff with no time for critical reflection.",
                columns=COMPARISON_COLUMNS,
                rows=comparison_table(reflection),
                numeric=COMPARISON_NUMERIC,
                note=EFFECT_KEY,
            )
        )
    causal = table[table["design"].isin(["did", "its"]) & table["primary"]]
    if not causal.empty:
        rows = tuple(
            (
                outcome_label(r["outcome"]),
                r["design"].upper(),
                EFFECT_LABELS.get(r["effect_size_name"], r["effect_size_name"]),
                effect(r),
                p_text(r["p_value"]),
                r["scale"],
            )
            for _, r in causal.iterrows()
        )
        sections.append(
            Section(
                "did",
                "Change against comparators and against trend",
                "table",
                intro="Difference-in-differences (unit-model authority vs "
                "comparators) and comparative interrupted time series (level change "
                "against the comparators' mean), by exact permutation tests; each interval "
                "has the level its row states (90.9% with 10 comparators: no 95% interval exists).",
                columns=("Indicator", "Design", "Estimate", "Value [CI]", "p", "Scale"),
                rows=rows,
                numeric=(False, False, False, True, True, False),
            )
        )
    sections.append(limitations(results, table))
    first_period = unit_rows["period"].iloc[0] if not unit_rows.empty else None
    summary = [
        change_sentence(r)
        for _, r in unit_rows.iterrows()
        if r["period"] == first_period
        and r["outcome"] in ("children_looked_after", "sickness_days_per_fte", "agency_worker_pct")
    ]
    if not total.empty:
        summary.append(
            f"Total cost changed by {num(total.iloc[0]['effect_size'])}% "
            f"({total.iloc[0]['period'].replace('->', ' to ')})."
        )
    return sections, summary
