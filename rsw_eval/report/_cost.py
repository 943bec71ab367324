"""The Munro-style report's cost part: spending by cost line, each line's contribution to the
total change (and its waterfall), the real-terms change in the price base the data state, and
the comparison with comparators at the level its interval has."""

from __future__ import annotations

import pandas as pd

from rsw_eval.report import _charts
from rsw_eval.report._changes import cost_relation
from rsw_eval.report._common import Section, capital
from rsw_eval.report._labels import outcome_label
from rsw_eval.report._numbers import fiscal_year, num, p_text, thousands

__all__ = ["cost_sections", "fiscal_period"]


def cost_sections(section, cost: pd.DataFrame, parts: pd.DataFrame, t: pd.Series) -> list[Section]:
    """The cost table and its waterfall for one authority's cost rows (``t``: its total's
    ``cost_change`` row); ``section`` makes a :class:`Section` (titled for the authority)."""
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
        level = f"{float(d['ci_level']):.1%} " if pd.notna(d["ci_level"]) else ""
        note += f" Against {d['comparison']}: {num(d['effect_size'])} percentage points" + (
            f" [{num(d['ci_low'])}, {num(d['ci_high'])}] ({level}interval), placebo p = "
            f"{p_text(d['p_value'])}."
            if pd.notna(d["ci_low"])
            else " (descriptive: with two years the authority's own variability cannot be estimated, "
            "so there is no interval or p-value)."
        )
    relation = cost_relation(t)  # a change while the model ran (or before it) says so
    if relation:
        note = f"{capital(relation)}. {note}"
    return [
        section(
            "cost",
            f"Cost change, {fiscal_period(t['period'])}",
            "table",
            intro="Spending by cost driver (thousands of pounds) and each driver's "
            "contribution to the total percent change (percentage points; "
            "the contributions add up to the total).",
            columns=("Cost line", "Before (£000)", "After (£000)", "Change (£000)", "Contribution (pp)"),
            rows=tuple(rows),
            note=note.strip(),
        ),
        section(
            "waterfall",
            "What drove the cost change",
            "figure",
            svg=_charts.waterfall(parts, float(t["effect_size"]), "Contributions to the total change"),
        ),
    ]


def fiscal_period(period: str) -> str:
    """'2009->2010' -> '2008-09 to 2009-10' (spending years end on 31 March)."""
    a, b = period.split("->")
    return f"{fiscal_year(int(a))} to {fiscal_year(int(b))}"
