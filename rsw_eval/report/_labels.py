"""Words for outcomes and effects, and the plain-English sentences of executive summaries."""

from __future__ import annotations

import math

import pandas as pd

from rsw_eval.interpret import effect_label

OUTCOME_LABELS = {
    "ghq_score": "stress (GHQ-12 score)",
    "ghq_case": "possible mental-health case (GHQ-12)",
    "job_satisfaction": "job satisfaction",
    "confidence_assessment": "confidence in assessments",
    "practice_quality": "practice quality",
    "no_time_for_reflection": "no time for critical reflection",
    "experienced_violence": "violence or aggression from parents",
    "reflection_hours_per_week": "hours of reflection a week",
    "pct_time_direct_work": "share of time in direct work (%)",
    "hours_direct_work": "hours of direct work",
    "contact_rate": "worker contacts per week",
    "rating_overall": "overall rating of the service",
    "rating_listened": "felt listened to",
    "rating_understood": "felt understood",
    "rating_helpful": "found the worker helpful",
    "rating_reliable": "found the worker reliable",
    "children_looked_after": "children looked after (31 March)",
    "cla_rate_per_10k": "looked-after children per 10,000",
    "cp_plans_started": "child protection plans started",
    "cp_plans_repeat": "second or later child protection plans",
    "cp_plans_repeat_pct": "second or later plans (%)",
    "sickness_days_per_fte": "sickness days per FTE",
    "agency_worker_pct": "agency workers (%)",
    "placements_3plus_pct": "children with 3+ placements (%)",
    "residential_placements": "children in residential placements",
    "total_cost": "total cost",
    "total_cost_real": "total cost (real terms)",
}
EFFECT_LABELS = {
    "hedges_g": "Hedges' g",
    "cohens_h": "Cohen's h",
    "d_t": "d (total variance)",
    "risk_difference": "risk difference",
    "odds_ratio": "odds ratio",
    "rate_ratio": "rate ratio",
    "percent_change": "% change",
    "did_estimate": "DiD estimate",
    "change_pp": "change (percentage points)",
    "relative_effect": "P(X > Y)",
    "variance_ratio": "variance ratio",
    "level_change": "level change",
    "level_change_ratio": "level change (ratio)",
    "slope_change": "slope change",
    "slope_change_ratio": "slope change (ratio)",
    "contribution_pp": "contribution (pp)",
}
_RATIO = {"odds_ratio", "rate_ratio", "variance_ratio", "level_change_ratio", "slope_change_ratio"}


def outcome_label(name: str) -> str:
    if name.startswith("cost_line:"):
        return name.split(":", 1)[1].replace("_", " ")
    return OUTCOME_LABELS.get(name, name.replace("_", " "))


def num(x: float, digits: int = 2) -> str:
    """A number for a report cell: ``c`` when suppressed (NaN on a suppressed row is shown by the
    caller), thousands separators for large values."""
    if x is None or (isinstance(x, float) and not math.isfinite(x)) or pd.isna(x):
        return ""
    x = float(x)
    if abs(x) >= 1000:
        return f"{x:,.0f}"
    return f"{x:.{digits}f}"


def p_text(p: float) -> str:
    if p is None or pd.isna(p):
        return ""
    return "< 0.001" if p < 0.001 else f"{p:.3f}"


def _eq(p: float) -> str:
    return "< 0.001" if p < 0.001 else f"= {p:.3f}"


def sentence(row: pd.Series, treatment_phrase: str, *, rules=None) -> str:
    """One plain-English sentence about a primary results row (no claim beyond the data).

    Examples
    --------
    >>> import pandas as pd
    >>> r = pd.Series({"outcome": "rating_overall", "effect_size_name": "hedges_g",
    ...                "effect_size": 0.45, "ci_low": 0.12, "ci_high": 0.78, "p_value": 0.007,
    ...                "p_adjusted": 0.021, "adjustment": "holm", "difference": 0.4,
    ...                "suppressed": False})
    >>> print(sentence(r, "Parents in the unit-model authority"))  # doctest: +NORMALIZE_WHITESPACE
    Parents in the unit-model authority: overall rating of the service higher (Hedges' g = 0.45,
    95% CI 0.12 to 0.78; p = 0.007, Holm-adjusted 0.021), a small effect, statistically
    significant after adjustment.
    """
    if row.get("suppressed"):
        return f"{treatment_phrase}: {outcome_label(row['outcome'])}: not shown (small numbers)."
    est = row["effect_size"]
    name = row["effect_size_name"]
    ratio = name in _RATIO
    direction_value = (est - 1) if ratio else (row["difference"] if pd.notna(row["difference"]) else est)
    direction = "higher" if direction_value > 0 else "lower" if direction_value < 0 else "no different"
    ci = ""
    if pd.notna(row["ci_low"]):
        ci = f", 95% CI {num(row['ci_low'])} to {num(row['ci_high'])}"
    p = row["p_value"]
    stats_text = f"{EFFECT_LABELS.get(name, name)} = {num(est)}{ci}"
    if pd.notna(p):
        stats_text += f"; p {_eq(p)}"
        if pd.notna(row.get("p_adjusted")) and row.get("adjustment") not in ("", "none"):
            method = "Holm" if row["adjustment"] == "holm" else "BH"
            stats_text += f", {method}-adjusted {_eq(row['p_adjusted']).removeprefix('= ')}"
    size = effect_label(name, est, rules) if rules else effect_label(name, est)
    q = row.get("p_adjusted") if pd.notna(row.get("p_adjusted")) else p
    if pd.isna(q):
        verdict = "a description of the accounts, with no test"
    elif q < 0.05:
        verdict = "statistically significant" + (
            " after adjustment" if pd.notna(row.get("p_adjusted")) else ""
        )
    else:
        verdict = (
            "not statistically significant"
            + (" after adjustment" if pd.notna(row.get("p_adjusted")) else "")
            + ": the data do not show a difference"
        )
    lead = f"{treatment_phrase}: {outcome_label(row['outcome'])} {direction}"
    return f"{lead} ({stats_text}), " + (f"a {size} effect, " if size else "") + f"{verdict}."
