"""Words for outcomes and effects, and the plain-English sentences of executive summaries."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from rsw_eval.designs._units import change_between, points_scale, polarity_table
from rsw_eval.evaluation.interpret import effect_label
from rsw_eval.io._indicators import COUNT_INDICATORS
from rsw_eval.report._numbers import decimal, num, signed

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
    "turnover_rate_pct": "social worker turnover (%)",
    "vacancy_rate_pct": "social worker vacancies (%)",
    "caseload_per_fte": "average caseload per social worker",
    "agency_rate_fte": "agency workers (% of FTE)",
    "turnover_rate_fte": "social worker turnover (% of FTE)",
    "vacancy_rate_fte": "social worker vacancies (% of FTE)",
    "caseload_fte": "average caseload per social worker",
    "inpost_fte": "social workers in post (FTE)",
    "working_days_lost_fte": "working days lost to sickness",
    "cla_started": "children starting to be looked after",
    "cla_ceased": "children ceasing to be looked after",
}
#: The dashboard set's labels (rsw_eval/data/dfe_indicators.csv), where not given above.
OUTCOME_LABELS |= {
    r["indicator"]: r["label"]
    for r in pd.read_csv(
        Path(__file__).resolve().parents[1] / "data" / "dfe_indicators.csv",
        comment="#",
        dtype=str,
        keep_default_na=False,
    ).to_dict("records")
    if r["indicator"] not in OUTCOME_LABELS
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
        level = row.get("ci_level")
        level = f"{float(level):.0%}" if level is not None and pd.notna(level) else "95%"
        ci = f", {level} CI {num(row['ci_low'])} to {num(row['ci_high'])}"
    p = row["p_value"]
    stats_text = f"{EFFECT_LABELS.get(name, name)} = {num(est)}{ci}"
    if pd.notna(p):
        stats_text += f"; p {_eq(p)}"
        method = adjustment_name(row.get("adjustment"))
        if pd.notna(row.get("p_adjusted")) and method:
            stats_text += f", {method}-adjusted {_eq(row['p_adjusted']).removeprefix('= ')}"
    size = effect_label(name, est, rules) if rules else effect_label(name, est)
    q = row.get("p_adjusted") if pd.notna(row.get("p_adjusted")) else p
    if row.get("question") == "places":  # one authority on a side: a comparison of places
        verdict = place_verdict(row)
    elif row.get("question") == "" and pd.notna(p):  # tests no question: never "significant"
        verdict = f"not a test of the question (unadjusted p {_eq(p)})"
    elif pd.isna(q):
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
    noun = "difference" if row.get("question") == "places" else "effect"
    return f"{lead} ({stats_text}), " + (f"a {size} {noun}, " if size else "") + f"{verdict}."


_PEOPLE = {"worker": "workers", "parent": "parents"}


def place_verdict(row: pd.Series) -> str:
    """The verdict of a comparison of places: what was compared, never a claim about the model.

    Examples
    --------
    >>> print(place_verdict(pd.Series({"family": "worker", "p_value": 0.003})))
    ... # doctest: +NORMALIZE_WHITESPACE
    these authorities' workers differ (p = 0.003); with one authority on a side this compares places,
    not the unit model
    """
    people = _PEOPLE.get(str(row.get("family", "")), "respondents")
    p = row.get("p_value")
    if p is None or pd.isna(p):
        found = f"a description of these authorities' {people}"
    elif p < 0.05:
        found = f"these authorities' {people} differ (p {_eq(p)})"
    else:
        found = f"no difference shown between these authorities' {people} (p {_eq(p)})"
    return f"{found}; with one authority on a side this compares places, not the unit model"


#: Names of the multiplicity adjustments (the ``adjustment`` column starts with the method's key).
ADJUSTMENTS = {
    "holm": "Holm",
    "bh": "Benjamini-Hochberg",
    "stepdown": "step-down",
    "primary": "gatekept",
    "bonferroni": "Bonferroni",
}


def adjustment_name(adjustment) -> str:
    """The adjustment a row's ``adjustment`` names ("holm over 12 worker tests" -> "Holm"); empty
    for none.

    Examples
    --------
    >>> adjustment_name("holm over 12 worker tests"), adjustment_name("bh over 3 admin tests")
    ('Holm', 'Benjamini-Hochberg')
    >>> adjustment_name("stepdown over 4 tests of question 'cla'")
    'step-down'
    >>> adjustment_name("none"), adjustment_name("")
    ('', '')
    """
    key = str(adjustment or "").split(" ", 1)[0]
    return ADJUSTMENTS.get(key, "")


def polarity(indicator: str) -> str:
    table = polarity_table()
    return table.loc[indicator, "polarity"] if indicator in table.index else "neutral"


def unit_label(indicator: str) -> str:
    """A short axis label for the indicator's unit (the chart's caption names the indicator).

    Examples
    --------
    >>> unit_label("cla_rate_per_10k"), unit_label("cp_plans_repeat_pct")
    ('per 10,000 children', '%')
    >>> unit_label("sickness_days_per_fte"), unit_label("working_days_lost_fte")
    ('days per FTE', 'days')
    """
    if is_percent(indicator):
        return "%"
    kind = polarity_table()["kind"].get(indicator, "")
    if kind == "days":  # working days lost in total are days; sickness days per FTE per FTE
        return "days per FTE" if indicator.endswith("per_fte") else "days"
    return {"count": "number", "rate": "per 10,000 children"}.get(kind, "")


def is_percent(indicator: str) -> bool:
    """Percentages by name (``*_pct``, ``*_percent``, ``*_percentage``, polarity kind ``percent``):
    what :func:`rsw_eval.designs.before_after.points_scale` reads as 0-100 without values. Whether
    a change is in points is that function's call on the values, or the row's (``change_pp``).

    Examples
    --------
    >>> is_percent("cp_plans_repeat_pct"), is_percent("agency_rate_fte"), is_percent("inpost_fte")
    (True, True, False)
    >>> is_percent("CPP_subsequent_percent")
    True
    """
    return points_scale(indicator, np.array([])) == 1.0


def unit_of(indicator: str) -> str:
    """The unit of a level change of the indicator, for sentences: a count's is what it counts (the
    DfE dashboard's unit), so a level-scale DiD never reads as a percentage. Shared by every report.

    Examples
    --------
    >>> unit_of("cp_plans_started"), unit_of("cp_plans_repeat_pct"), unit_of("adoptions")
    (' plans', ' pp', '')
    """
    kind = polarity_table()["kind"].get(indicator, "")
    if is_percent(indicator):
        return " pp"
    if kind == "count" or indicator in COUNT_INDICATORS:
        from rsw_eval.io._dashboard import dfe_indicators  # on first use, as dashboard_order

        units = dfe_indicators().set_index("indicator")["unit"]
        word = str(units.get(indicator, "")).replace("(count)", "").strip()
        return f" {word}" if word else " (number)"
    return {"days": " days", "rate": " per 10,000"}.get(kind, "")


def value_text(
    indicator: str, value: float, points: float | None = None, counts: frozenset[str] = COUNT_INDICATORS
) -> str:
    """An indicator's value at the precision it is published: counts (rsw-eval's own, or
    ``counts``: those a spec declares too) as integers, percentages (with their % sign) and days
    to one decimal, rates per 10,000 as integers (DfE), averages to one decimal. A 0-1 share or
    0/1 indicator (``points`` 100: its factor to percentage points,
    :func:`rsw_eval.report._points.level_points`) is a percentage to one decimal, so its levels
    read consistently with its change in pp (0.211 -> 0.290 is 21.1% -> 29.0%, +7.9 pp).

    Examples
    --------
    >>> value_text("children_looked_after", 352.0), value_text("cp_plans_repeat_pct", 24.53)
    ('352', '24.5%')
    >>> value_text("repeat_plan_share", 0.211, 100.0)
    '21.1%'
    >>> value_text("cla_female", 218.0), value_text("cla_female", 218.0, counts=frozenset({"cla_female"}))
    ('218.0', '218')
    """
    if value is None or pd.isna(value):
        return ""
    value = decimal(100 * float(value) if points == 100.0 else value)
    if points == 100.0 or is_percent(indicator):
        return f"{value:.1f}%"
    kind = polarity_table()["kind"].get(indicator, "")
    if kind == "grade":  # Ofsted: the words DfE's dashboard shows
        return {1: "Outstanding", 2: "Good", 3: "Requires improvement", 4: "Inadequate"}.get(round(value), "")
    if kind == "money":
        return f"£{float(value):,.0f}"
    if indicator in counts or indicator == "population_0_17":
        return f"{round(float(value)):,}"
    if indicator.endswith("_per_10k"):
        return f"{float(value):,.0f}"
    return f"{float(value):,.1f}"


def change_text(indicator: str, new: float, old: float, values=()) -> str:
    """The change from ``old`` to ``new`` by compare's rule
    (:func:`rsw_eval.designs.before_after.points_scale` on ``values``, every value of the indicator
    the report holds): percentage points for percentages, shares and 0/1 indicators, else percent.

    Examples
    --------
    >>> change_text("cp_plans_repeat_pct", 20.0, 24.5), change_text("children_looked_after", 352, 384)
    ('-4.5 pp', '-8.3%')
    >>> change_text("high_repeat", 1.0, 0.0, [0.0, 1.0]), change_text("repeat_share", 16.8, 9.3, [9.3, 16.8])
    ('+100.0 pp', '+7.5 pp')
    """
    if pd.isna(new) or pd.isna(old):
        return ""
    points = points_scale(indicator, np.asarray(values, dtype=float))
    change = change_between(old, new, points)
    return "" if pd.isna(change) else signed(change, " pp" if points else "%")


def levels_text(rows: pd.DataFrame) -> str:
    """What level the intervals have, from the rows: a permutation test over k comparators can
    support at most k/(k+1) confidence, so the rows state the level they achieve."""
    levels = sorted({round(float(v), 3) for v in rows["ci_level"].dropna()})
    if not levels:
        return "No interval could be given."
    shown = ", ".join(f"{v:.1%}" for v in levels)
    return (
        f"Intervals are at the level their row states ({shown}): with k comparators a permutation "
        "interval can reach at most k/(k+1), so a 95% interval needs at least 19."
    )
