"""The Munro-style report: the organisation before and after the unit model, and its costs."""

from __future__ import annotations

import numpy as np
import pandas as pd

from rsw_eval.evaluation.results import Results
from rsw_eval.report import _charts
from rsw_eval.report._common import (
    COMPARISON_COLUMNS,
    COMPARISON_NUMERIC,
    EFFECT_KEY,
    Section,
    capital,
    comparators_word,
    comparison_table,
    effect,
    protected_series,
    published_section,
    value_cell,
)
from rsw_eval.report._donor_charts import donor_sections
from rsw_eval.report._labels import (
    COUNT_INDICATORS,
    EFFECT_LABELS,
    change_text,
    fiscal_year,
    is_percent,
    levels_text,
    num,
    outcome_label,
    p_text,
    signed,
    thousands,
    value_text,
)
from rsw_eval.report._limits import SYMBOLS, limitations, not_estimated
from rsw_eval.report._robustness import robustness_sections
from rsw_eval.report._series import comparator_changes, england, median_range, wide


def headline_period(results: Results, rows: pd.DataFrame) -> str | None:
    """The spec's baseline -> follow-up (the first pair of ``periods``), else the widest period."""
    periods = results.provenance.get("periods") or []
    if periods:
        return f"{periods[0][0]}->{periods[0][1]}"
    if rows.empty:
        return None
    spans = rows["period"].str.split("->").map(lambda p: int(p[1]) - int(p[0]))
    return str(rows.loc[spans.idxmax(), "period"])


def change_sentence(r: pd.Series) -> str:
    name = outcome_label(r["outcome"])
    if r.get("suppressed") or pd.isna(r["value_treatment"]) or pd.isna(r["value_comparison"]):
        return f"{capital(name)}: not shown (small numbers or no value)."
    a, b = r["period"].split("->")
    before, after = float(r["value_comparison"]), float(r["value_treatment"])
    if is_percent(r["outcome"]):
        size = f"{change_text(r['outcome'], after, before)}"
        ci = ""
    else:
        size = f"{num(r['effect_size'], 1)}%"
        ci = (
            f", 95% CI {num(r['ci_low'], 1)}% to {num(r['ci_high'], 1)}%"
            if pd.notna(r["ci_low"])
            else "; descriptive, no comparison group"
        )
    verb = "fell" if after < before else "rose" if after > before else "did not change"
    return (
        f"{capital(name)} {verb} from {value_text(r['outcome'], before)} in {a} to "
        f"{value_text(r['outcome'], after)} in {b} ({size}{ci}; the specification's baseline "
        "and follow-up years)."
    )


def _indicator_rows(unit_rows: pd.DataFrame, series: pd.DataFrame) -> list[tuple]:
    rows = []
    for _, r in unit_rows.iterrows():
        a, b = (int(y) for y in r["period"].split("->"))
        ind = r["outcome"]
        if is_percent(ind):
            own = change_text(ind, r["value_treatment"], r["value_comparison"])
            unit = "pp"
        else:
            own = percent_cell(r)
            unit = "%"
        others = comparator_changes(series, ind, a, b) if len(series) else pd.Series(dtype=float)
        rows.append(
            (
                capital(outcome_label(ind)),
                f"{a} to {b}",
                value_cell(r, "value_comparison", ind) or symbol(series, ind, a),
                value_cell(r, "value_treatment", ind) or symbol(series, ind, b),
                own,
                median_range(others, lambda v, u=unit: signed(v, " pp" if u == "pp" else "%")),
            )
        )
    return rows


TRENDS = (
    ("children_looked_after", "number"),
    ("cla_rate_per_10k", "per 10,000 children"),
    ("sickness_days_per_fte", "days per FTE"),
    ("agency_worker_pct", "% of workers"),
    ("cp_plans_repeat_pct", "% of plans"),
)


def trend_charts(
    series: pd.DataFrame, intervention: int | None, who: str = "comparators"
) -> tuple[tuple[str, str], ...]:
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
        svg = _charts.trend_chart(grid, code, name, intervention, label, eng, who)
        charts.append((capital(outcome_label(indicator)), svg))
    return tuple(charts)


def symbols_note(rows: list[tuple]) -> str:
    """What the symbols in the baseline and follow-up columns mean (DfE's, and not collected)."""
    shown = {c for r in rows for c in r[2:4]}
    parts = [f"{s} = {SYMBOLS[s]} (DfE)" for s in sorted(shown) if s in SYMBOLS]
    if "–" in shown:
        parts.append("– = not collected in these data")
    return "; ".join(parts) + "." if parts else ""


def symbol(series: pd.DataFrame, indicator: str, year: int) -> str:
    """DfE's symbol for the unit-model authority's missing value, or the not-collected mark."""
    if series.empty:
        return "–"
    hit = series[
        (series["role"] == "treated") & (series["indicator"] == indicator) & (series["year"] == year)
    ]
    return str(hit["flag"].iloc[0]) if len(hit) and hit["flag"].iloc[0] else "–"


def percent_cell(r: pd.Series) -> str:
    """'-30.0% [-39.2, -19.4]' from a percent-change row (``c`` when suppressed)."""
    if pd.isna(r["effect_size"]):
        return "c" if r.get("suppressed") else ""
    ci = f" [{r['ci_low']:+.1f}, {r['ci_high']:+.1f}]" if pd.notna(r["ci_low"]) else ""
    return f"{r['effect_size']:+.1f}%{ci}"


def munro(results: Results, table: pd.DataFrame, threshold: int) -> tuple[list, list]:
    sections: list[Section] = []
    series = protected_series(results, threshold)
    ba = table[(table["design"] == "before_after")]
    unit_rows = ba[ba["comparison"].str.startswith("own baseline")]  # else the comparators' median
    rows = _indicator_rows(unit_rows, series)
    if rows:
        sections.append(
            Section(
                "indicators",
                "Indicators before and after",
                "table",
                intro="The unit-model authority's indicators at the baseline and follow-up years "
                "(ending 31 March): the change in percentage points (pp) for percentages and in "
                "percent otherwise, and the median of the comparators' changes with their range "
                "(lowest to highest). Descriptive: with no comparison group these changes are not "
                "tests of the model (see the difference-in-differences rows for that).",
                columns=(
                    "Indicator",
                    "Years",
                    "Baseline",
                    "Follow-up",
                    "Change",
                    "Comparators: median (range)",
                ),
                rows=tuple(rows),
                note=symbols_note(rows),
            )
        )
    sections.append(published_section(results))
    trends = trend_charts(series, results.provenance.get("intervention_year"), comparators_word(results))
    if trends:
        sections.append(
            Section(
                "trends",
                "Trends",
                "charts",
                intro="The unit-model authority against the comparators' median and range"
                + (" and England" if (series["role"] == "england").any() else "")
                + "; the dotted line marks the first year with the model; gaps are years without data.",
                charts=trends,
            )
        )
    cost = table[table["family"] == "cost"]
    total = cost[(cost["design"] == "cost_change") & (cost["outcome"] == "total_cost")]
    if not total.empty:
        t = total.iloc[0]
        parts = cost[cost["effect_size_name"] == "contribution_pp"]
        rows = [
            (
                capital(outcome_label(r.outcome)),
                thousands(r.value_comparison),
                thousands(r.value_treatment),
                thousands(r.difference),
                f"{r.effect_size:+.2f}" if pd.notna(r.effect_size) else "",
            )
            for r in parts.itertuples()
        ]
        rows.append(
            (
                "Total",
                thousands(t["value_comparison"]),
                thousands(t["value_treatment"]),
                thousands(t["difference"]),
                f"{t['effect_size']:+.2f}%",
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
            note += f" Against {d['comparison']}: {num(d['effect_size'])} percentage points" + (
                f" [{num(d['ci_low'])}, {num(d['ci_high'])}], placebo p = {p_text(d['p_value'])}."
                if np.isfinite(d["ci_low"])
                else " (descriptive: with two years the treated authority's own variability cannot "
                "be estimated, so there is no interval)."
            )
        sections.append(
            Section(
                "cost",
                f"Cost change, {fiscal_period(t['period'])}",
                "table",
                intro="Spending by cost driver (thousands of pounds) and each driver's "
                "contribution to the total percent change (percentage points; "
                "the contributions add up to the total).",
                columns=("Cost line", "Before (£000)", "After (£000)", "Change (£000)", "Contribution (pp)"),
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
                capital(outcome_label(r["outcome"])),
                r["design"].upper(),
                EFFECT_LABELS.get(r["effect_size_name"], r["effect_size_name"]),
                effect(r),
                p_text(r["p_value"]),
                {"log": "relative (%)", "level": "units of the indicator"}.get(r["scale"], r["scale"]),
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
                "against the comparators' mean), by exact permutation tests. " + levels_text(causal),
                columns=("Indicator", "Design", "Estimate", "Value [CI]", "p", "Scale"),
                rows=rows,
                numeric=(False, False, False, True, True, False),
            )
        )
    sections.extend(robustness_sections(table))
    sections.extend(donor_sections(table, results.provenance.get("intervention_year")))
    shown = {"admin", "cost"} | ({"worker"} if not reflection.empty else set())
    sections.append(limitations(results, table, shown))
    sections.append(not_estimated(results, {"admin", "cost"}))
    period = headline_period(results, unit_rows)
    key = ("children_looked_after", "cla_rate_per_10k", "sickness_days_per_fte", "agency_worker_pct")
    summary = [
        change_sentence(r) for _, r in unit_rows.iterrows() if r["period"] == period and r["outcome"] in key
    ]
    measured = set(series.loc[series["role"] == "treated", "indicator"]) if len(series) else set()
    headlined = set(unit_rows.loc[unit_rows["period"] == period, "outcome"])
    if period:
        a, b = period.split("->")
        summary += [
            f"{capital(outcome_label(i))}: no change can be shown for the specification's {a} to {b} "
            f"(the data hold no value for {a if _has(series, i, b) else b})."
            for i in key
            if i in measured - headlined
        ]
    if not total.empty:
        summary.append(
            f"Total cost changed by {num(total.iloc[0]['effect_size'])}% "
            f"({fiscal_period(total.iloc[0]['period'])})."
        )
    return sections, summary


def _has(series: pd.DataFrame, indicator: str, year: str) -> bool:
    own = series[(series["role"] == "treated") & (series["indicator"] == indicator)]
    return bool(own.loc[own["year"] == int(year), "value"].notna().any())


def fiscal_period(period: str) -> str:
    """'2009->2010' -> '2008-09 to 2009-10' (spending years end on 31 March)."""
    a, b = period.split("->")
    return f"{fiscal_year(int(a))} to {fiscal_year(int(b))}"
