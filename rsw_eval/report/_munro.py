"""The Munro-style report: the organisation before and after the unit model, and its costs."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from rsw_eval.designs._units import note_range
from rsw_eval.designs.before_after import pair_relation
from rsw_eval.evaluation.results import Results
from rsw_eval.report._authority import adoption_of, name_of, pooled_rows, rows_of, series_of, units
from rsw_eval.report._changes import adopted, after_note, cost_relation, model_sentences, years_cell
from rsw_eval.report._common import (
    COMPARISON_COLUMNS,
    COMPARISON_NUMERIC,
    EFFECT_KEY,
    Section,
    capital,
    comparators_word,
    comparison_table,
    effect,
    no_estimate_note,
    protected_series,
    published_section,
    value_cell,
)
from rsw_eval.report._cost import cost_sections as _cost_sections
from rsw_eval.report._cost import fiscal_period
from rsw_eval.report._donor_charts import donor_sections
from rsw_eval.report._event_time import event_time_sections
from rsw_eval.report._labels import COUNT_INDICATORS, EFFECT_LABELS, levels_text, outcome_label, value_text
from rsw_eval.report._limits import SYMBOLS, limitations, not_estimated
from rsw_eval.report._munro_trends import trend_charts
from rsw_eval.report._numbers import decimal, num, p_text, signed
from rsw_eval.report._official import official_sections
from rsw_eval.report._points import level_points, row_points
from rsw_eval.report._power import detect_cell, detection_note
from rsw_eval.report._robustness import robustness_sections


def headline_period(results: Results, rows: pd.DataFrame) -> str | None:
    """The spec's baseline -> follow-up (the first pair of ``periods``), else the widest period."""
    periods = results.provenance.get("periods") or []
    if periods:
        return f"{periods[0][0]}->{periods[0][1]}"
    if rows.empty:
        return None
    spans = rows["period"].str.split("->").map(lambda p: int(p[1]) - int(p[0]))
    return str(rows.loc[spans.idxmax(), "period"])


def change_sentence(
    r: pd.Series,
    years: str = "the specification's baseline and follow-up years",
    points: float | None = None,
    counts: frozenset[str] = COUNT_INDICATORS,
) -> str:
    """'X fell from 21.1% in 2019 to 29.0% in 2023 (+7.9 pp; ...)': the row's levels (a 0-1
    share's, ``points`` 100, as percentages; ``counts``, whole numbers) and its change in the
    row's unit."""
    name = outcome_label(r["outcome"])
    if r.get("suppressed") or pd.isna(r["value_treatment"]) or pd.isna(r["value_comparison"]):
        return f"{capital(name)}: not shown (small numbers or no value)."
    a, b = r["period"].split("->")
    before, after = float(r["value_comparison"]), float(r["value_treatment"])
    if r["effect_size_name"] == "change_pp":  # the row's unit (compare's rule), not the name's
        size = signed(r["effect_size"], " pp") if pd.notna(r["effect_size"]) else ""
        ci = ""
    else:
        size = f"{num(r['effect_size'], 1)}%"
        ci = (
            f", 95% CI {num(r['ci_low'], 1)}% to {num(r['ci_high'], 1)}%"
            if pd.notna(r["ci_low"])
            else "; descriptive, no comparison group"
        )
    verb = "fell" if after < before else "rose" if after > before else "did not change"
    relation = pair_relation(int(a), int(b), adopted(r))  # a change while the model ran says so
    return (
        f"{capital(name)} {verb} from {value_text(r['outcome'], before, points, counts)} in {a} to "
        f"{value_text(r['outcome'], after, points, counts)} in {b} ({size}{ci}; {relation or years})."
    )


def comparators_cell(r: pd.Series | None, unit: str) -> str:
    """'median (min to max)' of the comparators' changes, as their before/after context row states
    them (its ``effect_size`` and ``note``: :func:`rsw_eval.designs._units.range_note`)."""
    if r is None or pd.isna(r["effect_size"]):
        return "c" if r is not None and r.get("suppressed") else ""
    median = signed(r["effect_size"], unit)
    span = note_range(r["note"])
    if span is None or int(r.get("n_treatment") or 0) < 2:
        return median
    return f"{median} ({signed(span[0], unit)} to {signed(span[1], unit)})"


def _indicator_rows(
    unit_rows: pd.DataFrame, context: pd.DataFrame, series: pd.DataFrame, counts: frozenset[str]
) -> list[tuple]:
    """The before/after table: each row's own change and its comparators' context row, in the unit
    the rows are in (``change_pp`` or ``percent_change``); ``counts`` printed whole."""
    rows = []
    for _, r in unit_rows.iterrows():
        a, b = (int(y) for y in r["period"].split("->"))
        ind = r["outcome"]
        pp = r["effect_size_name"] == "change_pp"
        own = percent_cell(r, " pp" if pp else "%")
        points = level_points(series, ind)  # a 0-1 share's levels as percentages, beside its pp
        hit = context[(context["outcome"] == ind) & (context["period"] == r["period"])]
        rows.append(
            (
                capital(outcome_label(ind)),
                years_cell(r),
                value_cell(r, "value_comparison", ind, points, counts) or symbol(series, ind, a),
                value_cell(r, "value_treatment", ind, points, counts) or symbol(series, ind, b),
                own,
                comparators_cell(hit.iloc[0] if len(hit) else None, " pp" if pp else "%"),
            )
        )
    return rows


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


def percent_cell(r: pd.Series, unit: str = "%") -> str:
    """'-30.0% [-39.2, -19.4]' from a percent-change row, '+7.5 pp' with ``unit`` ' pp' (``c``
    when suppressed)."""
    if pd.isna(r["effect_size"]):
        return "c" if r.get("suppressed") else ""
    ci = f" [{decimal(r['ci_low']):+.1f}, {decimal(r['ci_high']):+.1f}]" if pd.notna(r["ci_low"]) else ""
    return f"{signed(r['effect_size'], unit)}{ci}"


def munro(results: Results, table: pd.DataFrame, threshold: int) -> tuple[list, list]:
    """Sections and summary: with several adopters, one part per adopter (its own rows, years,
    comparators and marker, every title naming it), then the pooled estimate and what is common."""
    series = protected_series(results, threshold)
    about = units(results)
    several = len(about) > 1
    sections: list[Section] = []
    summary: list[str] = []
    for code in about or [None]:
        own = rows_of(table, code) if code else table
        part, said = _adopter(
            results, own, series_of(series, results, code) if code else series, code, several, threshold
        )
        sections += part
        summary += said
        if not several:  # one adopter: the published figures follow its indicators, as before
            sections.insert(1 if part and part[0].id == "indicators" else 0, published_section(results))
    if several:
        sections.append(published_section(results))
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
    pooled = donor_sections(pooled_rows(table), threshold=threshold)
    if several and pooled:
        pooled[0] = replace(
            pooled[0],
            intro="Pooled over the adopters each row counts, each from its own adoption year (staggered "
            "adoption, a design built to pool; an adopter left out is listed, with the reason, under "
            "'What could not be estimated'): " + pooled[0].intro,
        )
    sections += pooled
    if several:  # the pooled (staggered) rows' sensitivity; each adopter's own is in its part
        sections += robustness_sections(pooled_rows(table))
    sections += official_sections(results)
    shown = {"admin", "cost"} | ({"worker"} if not reflection.empty else set())
    sections.append(limitations(results, table, shown, None if several else (about or [None])[0]))
    sections.append(not_estimated(results, {"admin", "cost"}))
    return sections, summary


def _adopter(
    results: Results,
    table: pd.DataFrame,
    series: pd.DataFrame,
    code: str | None,
    several: bool,
    threshold: int,
) -> tuple[list[Section], list[str]]:
    """One adopter's part of the report (all of it when there is one): its before/after table,
    trends with its own adoption year, costs, DiD/ITS table, event-time view and synthetic gap."""
    sections: list[Section] = []
    name = name_of(results, code) if code else "the unit-model authority"
    year = adoption_of(results, code)
    tag, lead = (f"-{code}", f"{name}: ") if several else ("", "")

    def section(id_: str, title: str, kind: str, **kw) -> Section:
        return Section(id_ + tag, lead + title if several else title, kind, **kw)

    ba = table[(table["design"] == "before_after")]
    unit_rows = ba[ba["comparison"].str.startswith("own baseline")]  # else the comparators' median
    counts = COUNT_INDICATORS | results.rules().counts  # rsw-eval's and the spec's: whole numbers
    rows = _indicator_rows(unit_rows, ba[~ba.index.isin(unit_rows.index)], series, counts)
    who = "The unit-model authority's" if not several else f"{name}'s"
    if rows:
        sections.append(
            section(
                "indicators",
                "Indicators before and after",
                "table",
                intro=f"{who} indicators at the baseline and follow-up years "
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
                note=" ".join(filter(None, [after_note(unit_rows), symbols_note(rows)])),
            )
        )
    trends = trend_charts(series, year, comparators_word(results), threshold=threshold)
    if trends:
        whose = f"{name}'s" if several else "its"
        marker = (
            f"; the dotted line marks {whose} first year with the model ({year})" if year is not None else ""
        )
        sections.append(
            section(
                "trends",
                "Trends",
                "charts",
                intro=("The unit-model authority" if not several else name)
                + " against the comparators' median and range"
                + (" and England" if (series["role"] == "england").any() else "")
                + marker
                + "; gaps are years without data.",
                charts=trends,
            )
        )
    cost = table[table["family"] == "cost"]
    total = cost[(cost["design"] == "cost_change") & (cost["outcome"] == "total_cost")]
    if not total.empty:
        t = total.iloc[0]
        parts = cost[cost["effect_size_name"] == "contribution_pp"]
        sections += _cost_sections(section, cost, parts, t)
    causal = table[table["design"].isin(["did", "its"]) & table["primary"]]
    if not causal.empty:
        rows = tuple(
            (
                capital(outcome_label(r["outcome"])),
                r["design"].upper(),
                EFFECT_LABELS.get(r["effect_size_name"], r["effect_size_name"]),
                str(r["period"]),
                effect(r),
                p_text(r["p_value"]),
                p_text(r["p_adjusted"]),
                detect_cell(r),
                "percentage points"
                if row_points(r)
                else {"log": "relative (%)", "level": "units of the indicator"}.get(r["scale"], r["scale"]),
            )
            for _, r in causal.iterrows()
        )
        sections.append(
            section(
                "did",
                "Change against comparators and against trend",
                "table",
                intro=f"Difference-in-differences ({'unit-model authority' if not several else name} vs "
                "comparators) and comparative interrupted time series (level change "
                "against the comparators' mean), by exact permutation tests, over the years in the "
                "Years column. " + levels_text(causal),
                columns=(
                    "Indicator",
                    "Design",
                    "Estimate",
                    "Years",
                    "Value [CI]",
                    "p",
                    "Adj. p",
                    "Detectable (80% power)",
                    "Scale",
                ),
                rows=rows,
                numeric=(False, False, False, False, True, True, True, True, False),
                note=" ".join(n for n in (detection_note(causal), no_estimate_note(causal)) if n),
            )
        )
    sections += event_time_sections(
        table, name if code else "The unit-model authority", tag.strip("-"), threshold=threshold
    )
    robust = robustness_sections(table)
    sections += [replace(s, id=s.id + tag, title=lead + s.title) for s in robust]
    gaps = donor_sections(table[table["design"] == "synthetic_control"], year, threshold=threshold)
    sections += [replace(s, id=s.id + tag) for s in gaps]
    level = float(results.provenance.get("confidence", 0.95))
    questions = results.provenance.get("questions") or {}
    primaries = frozenset(str(q.get("primary")) for q in questions.values() if q.get("primary"))
    model = model_sentences(table, level, primaries)  # B6: the estimates; condensed to what moved
    summary = _summary(results, unit_rows, series, total, counts, gaps=not several, model=model)
    return sections, [f"{name}: {s}" for s in summary] if several else summary


def _summary(
    results: Results,
    unit_rows: pd.DataFrame,
    series: pd.DataFrame,
    total: pd.DataFrame,
    counts: frozenset[str],
    gaps: bool = True,
    model: list[str] | None = None,
) -> list[str]:
    """The headline changes (and, with ``gaps``, the key indicators no change can be shown for),
    then ``model`` (the estimates of a change since the model began), then the cost."""
    period = headline_period(results, unit_rows)
    key = ("children_looked_after", "cla_rate_per_10k", "sickness_days_per_fte", "agency_worker_pct")
    years = (
        "the specification's baseline and follow-up years"
        if results.provenance.get("periods")
        else "the year before adoption and the last year of the post window"
    )
    summary = [
        change_sentence(r, years, level_points(series, r["outcome"]), counts)
        for _, r in unit_rows.iterrows()
        if r["period"] == period and r["outcome"] in key
    ]
    measured = set(series.loc[series["role"] == "treated", "indicator"]) if len(series) else set()
    headlined = set(unit_rows.loc[unit_rows["period"] == period, "outcome"])
    if period and gaps:
        a, b = period.split("->")
        summary += [
            f"{capital(outcome_label(i))}: no change can be shown for the specification's {a} to {b} "
            f"(the data hold no value for {a if _has(series, i, b) else b})."
            for i in key
            if i in measured - headlined
        ]
    summary += model or []
    if not total.empty:
        t = total.iloc[0]
        relation = cost_relation(t)  # a change while the model ran is never one since it began
        summary.append(
            f"Total cost changed by {num(t['effect_size'])}% ({relation or fiscal_period(t['period'])})."
        )
    return summary


def _has(series: pd.DataFrame, indicator: str, year: str) -> bool:
    own = series[(series["role"] == "treated") & (series["indicator"] == indicator)]
    return bool(own.loc[own["year"] == int(year), "value"].notna().any())
