"""Build, then render: results -> frozen report data (every number formatted, every small cell
suppressed) -> templates. Nothing here computes a statistic; it only selects and words results."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from rsw_eval._errors import SpecError
from rsw_eval.disclosure import COUNT_OUTCOMES, Suppression, protect, suppress_counts
from rsw_eval.published import SOURCES
from rsw_eval.report import _charts
from rsw_eval.report._labels import EFFECT_LABELS, num, outcome_label, p_text, sentence
from rsw_eval.results import Results

STYLES = ("forrester", "munro", "annual")
SUPPRESSED = "c"


@dataclass(frozen=True)
class Section:
    """One report section; ``kind`` picks its template (``section_<kind>.html``)."""

    id: str
    title: str
    kind: str  # "table", "figure", "list", "text"
    intro: str = ""
    columns: tuple[str, ...] = ()
    rows: tuple[tuple[str, ...], ...] = ()
    svg: str = ""
    items: tuple[str, ...] = ()
    note: str = ""
    numeric: tuple[bool, ...] = ()  # right-aligned columns (default: all but the first)

    @property
    def aligned(self) -> tuple[bool, ...]:
        return self.numeric or tuple(i > 0 for i in range(len(self.columns)))


@dataclass(frozen=True)
class ReportData:
    style: str
    title: str
    subtitle: str
    synthetic: bool
    generated: str
    summary: tuple[str, ...]
    sections: tuple[Section, ...]
    provenance: tuple[tuple[str, str], ...]
    inputs: tuple[tuple[str, str, str], ...]
    methods: tuple[str, ...]
    suppressions: tuple[Suppression, ...] = ()
    threshold: int = 5
    extra: dict = field(default_factory=dict)


def _cell(row: pd.Series, column: str, digits: int = 2) -> str:
    value = row[column]
    if pd.isna(value):
        return SUPPRESSED if row.get("suppressed") else ""
    return num(value, digits)


SHORT = {
    "hedges_g": "g",
    "cohens_h": "h",
    "risk_difference": "RD",
    "odds_ratio": "OR",
    "rate_ratio": "RR",
    "variance_ratio": "VR",
    "d_t": "d",
    "relative_effect": "P",
    "percent_change": "%",
    "did_estimate": "DiD",
}


def _effect(row: pd.Series, label: bool = False) -> str:
    if pd.isna(row["effect_size"]):
        return SUPPRESSED if row.get("suppressed") else ""
    ci = f" [{num(row['ci_low'])}, {num(row['ci_high'])}]" if pd.notna(row["ci_low"]) else ""
    name = f"{SHORT.get(row['effect_size_name'], '')} " if label else ""
    return f"{name}{num(row['effect_size'])}{ci}"


def _comparison_table(rows: pd.DataFrame, value_digits: int = 2) -> tuple[tuple[str, ...], ...]:
    out = []
    for _, r in rows.iterrows():
        out.append(
            (
                outcome_label(r["outcome"]),
                str(r["comparison"]),
                _cell(r, "value_treatment", value_digits),
                _cell(r, "value_comparison", value_digits),
                _cell(r, "difference", value_digits),
                _effect(r, label=True),
                p_text(r["p_value"]),
                p_text(r["p_adjusted"]),
            )
        )
    return tuple(out)


COMPARISON_COLUMNS = (
    "Outcome",
    "Compared with",
    "Unit model",
    "Comparison",
    "Difference",
    "Effect [95% CI]",
    "p",
    "Adj. p",
)
COMPARISON_NUMERIC = (False, False, True, True, True, True, True, True)
EFFECT_KEY = (
    "Effect sizes: g = Hedges' g; h = Cohen's h; RD = risk difference; OR = odds ratio; "
    "RR = rate ratio; VR = variance ratio; d = standardised by the total (within + "
    "between cluster) SD."
)


def _published_section(results: Results, keys: set[str] | None = None) -> Section:
    pub = results.published
    if keys is not None:
        pub = pub[pub["key"].isin(keys)]
    rows = []
    for r in pub.itertuples():
        state = {True: "reproduced", False: "NOT reproduced", None: "not measured by these data"}[
            r.reproduced
        ]
        rows.append(
            (r.statement, r.period, r.published, r.reproduced_value or "", state, f"[{r.source_key}]")
        )
    legend = "; ".join(f"[{k}] {v}" for k, v in SOURCES.items() if k in set(pub["source_key"]))
    return Section(
        "published",
        "Published figures and this reproduction",
        "table",
        intro="Each figure the evaluations published, with its source, against the value "
        "these data give (within the published rounding).",
        columns=("Published statement", "Period", "Published", "Here", "Result", "Source"),
        rows=tuple(rows),
        numeric=(False,) * 6,
        note=f"Sources: {legend}.",
    )


def _provenance(results: Results, generated: str) -> tuple[tuple, tuple, tuple]:
    p = results.provenance
    pairs = (
        ("rsw-eval version", str(p.get("rsw_eval_version", ""))),
        ("Generated", generated),
        ("Evaluation", str(p.get("title", ""))),
        ("Seed", str(p.get("seed", ""))),
        ("Confidence level", str(p.get("confidence", ""))),
        ("Multiplicity adjustment", f"{p.get('adjustment', '')}, within families"),
        ("Comparators", str(p.get("comparators", ""))),
        ("Data", "SYNTHETIC (made up by rsw-eval sample)" if p.get("synthetic") else "as supplied"),
    )
    inputs = tuple((f["role"], f["file"], f["sha256"]) for f in p.get("inputs", []))
    methods = tuple(sorted({m.split(";")[0] for m in results.table["method"].dropna() if m}))
    return pairs, inputs, methods


def _protected_series(results: Results, threshold: int) -> pd.DataFrame:
    """The series for charts and the annual table, small counts removed (``suppressed`` marks them)."""
    s = results.series.copy()
    if s.empty:
        return s
    small = s["indicator"].isin(COUNT_OUTCOMES) & s["value"].between(1, threshold)
    s["suppressed"] = small
    s.loc[small, "value"] = np.nan
    return s


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _samples_section(table: pd.DataFrame, threshold: int) -> Section:
    """N per authority for each survey, with secondary suppression, from the per-authority rows."""
    counts = {}
    for family, outcome in (("worker", "ghq_score"), ("parent", "rating_overall")):
        rows = table[(table["family"] == family) & (table["design"] == "cross_section") & table["primary"]]
        if rows.empty:
            continue
        first = (
            rows[rows["outcome"] == outcome]
            if (rows["outcome"] == outcome).any()
            else rows[rows["outcome"] == rows["outcome"].iloc[0]]
        )
        per = first[first["comparison"] != "all conventional"]
        column = {str(r.comparison): float(r.n_comparison) for r in per.itertuples()}
        column[str(first["treatment"].iloc[0]) + " (unit model)"] = float(first["n_treatment"].iloc[0])
        counts[f"{family}s"] = column
    if not counts:
        return Section("samples", "Design and samples", "text", intro="No survey data.")
    frame = pd.DataFrame(counts).fillna(0)
    frame = frame.loc[sorted(frame.index, key=lambda k: ("unit model" not in k, k))]
    values, mask = suppress_counts(frame, threshold)
    rows = [
        (str(a), *[SUPPRESSED if mask.loc[a, c] else f"{int(values.loc[a, c])}" for c in frame.columns])
        for a in frame.index
    ]
    rows.append(("Total", *[f"{int(frame[c].sum())}" for c in frame.columns]))
    return Section(
        "samples",
        "Design and samples",
        "table",
        intro="Respondents per authority. The unit-model authority is compared with all "
        "conventional authorities together and with each one; counts of 1 to "
        f"{threshold} are shown as c, with one more cell suppressed wherever a total "
        "would reveal them.",
        columns=("Authority", *[_capital(c) for c in frame.columns]),
        rows=tuple(rows),
    )


def _limitations(results: Results, table: pd.DataFrame) -> Section:
    items = []
    ml = table[table["design"] == "multilevel"]
    if ml["note"].str.contains("confounded").any():
        items.append(
            "There is one unit-model authority, so the unit model and the place cannot be "
            "separated: differences may reflect Hackney's context as much as the model."
        )
    if not ml.empty:
        items.append(
            "Workers are clustered in units and teams; the multilevel rows show how much the "
            "clustering widens the intervals (design effects above 1)."
        )
    if (table["design"] == "did").any():
        items.append(
            "Difference-in-differences with one treated authority rests on placebo inference "
            "over the comparators: with 10 comparators the smallest possible p-value is "
            "1/11 = 0.09, and the intervals are coarse."
        )
    items.append(
        "Cross-sectional comparisons show association at one time, not the effect of introducing the model."
    )
    if results.provenance.get("synthetic"):
        items.append(
            "These data are synthetic: the report demonstrates the method and must not be "
            "read as findings about any real authority."
        )
    return Section("limitations", "Limitations", "list", items=tuple(items))


def _forrester(results: Results, table: pd.DataFrame, threshold: int) -> tuple[list, list]:
    primary = table[table["primary"] & (table["design"] == "cross_section")]
    sections = [_samples_section(results.table, threshold)]  # raw counts: suppressed inside
    worker = primary[primary["family"] == "worker"]
    if not worker.empty:
        sections.append(
            Section(
                "worker",
                "Worker outcomes",
                "table",
                intro="Means (scores) or proportions in the unit-model authority and "
                "in the comparison, with effect sizes and 95% CIs. p is Welch's "
                "t (means) or the chi-square/Fisher test (proportions); adjusted "
                "p is Holm's within the worker family.",
                columns=COMPARISON_COLUMNS,
                rows=_comparison_table(worker),
                numeric=COMPARISON_NUMERIC,
                note=EFFECT_KEY,
            )
        )
    std = primary[
        (primary["comparison"] == "all conventional")
        & primary["effect_size_name"].isin(["hedges_g", "cohens_h"])
    ]
    if not std.empty:
        sections.append(
            Section(
                "forest",
                "Effect sizes",
                "figure",
                intro="Standardised effects (Hedges' g for scores, Cohen's h for "
                "proportions): unit model against all conventional authorities.",
                svg=_charts.forest_plot(std, "Unit model vs all conventional"),
            )
        )
    parent = primary[(primary["family"] == "parent") & primary["outcome"].str.startswith("rating_")]
    if not parent.empty:
        sections.append(
            Section(
                "parent",
                "Parent ratings",
                "table",
                intro="Ratings from 1 (very poor) to 5 (very good).",
                columns=COMPARISON_COLUMNS,
                rows=_comparison_table(parent),
                numeric=COMPARISON_NUMERIC,
                note=EFFECT_KEY,
            )
        )
    contact = primary[primary["outcome"] == "contact_rate"]
    if not contact.empty:
        sections.append(
            Section(
                "contact",
                "Contact with families",
                "table",
                intro="Worker contacts per week observed; rate ratio from a Poisson or "
                "negative binomial model with weeks as exposure.",
                columns=COMPARISON_COLUMNS,
                rows=_comparison_table(contact),
                numeric=COMPARISON_NUMERIC,
                note=contact["note"].iloc[0].split(";")[0] + " (pooled comparison).",
            )
        )
    consistency = table[table["design"] == "consistency"]
    if not consistency.empty:
        sections.append(
            Section(
                "consistency",
                "Consistency of practice",
                "table",
                intro="Standard deviations: a variance ratio below 1 means the unit "
                "model's practice varies less.",
                columns=COMPARISON_COLUMNS,
                rows=_comparison_table(consistency),
                numeric=COMPARISON_NUMERIC,
                note=EFFECT_KEY,
            )
        )
    ml = table[table["design"] == "multilevel"]
    if not ml.empty:
        rows = tuple(
            (
                outcome_label(r.outcome),
                _cell(pd.Series(r._asdict()), "difference"),
                _effect(pd.Series(r._asdict())),
                p_text(r.p_value),
                r.note,
            )
            for r in ml.itertuples()
        )
        sections.append(
            Section(
                "multilevel",
                "Allowing for units and teams",
                "table",
                intro="Random-intercept models for workers within units within "
                "authorities (sensitivity analysis; p not adjusted).",
                columns=(
                    "Outcome",
                    "Difference",
                    "d (total variance) [95% CI]",
                    "p",
                    "ICCs, design effect and notes",
                ),
                rows=rows,
                numeric=(False, True, True, True, False),
            )
        )
    sections.append(_limitations(results, table))
    sections.append(
        _published_section(
            results,
            {
                "reflection_teams",
                "reflection_units",
                "contact_2_3x",
                "parent_ratings",
                "stress_lower",
                "satisfaction_higher",
                "violence_lower",
                "confidence_higher",
            },
        )
    )
    pooled = primary[primary["comparison"] == "all conventional"]
    summary = [
        sentence(r, "Unit-model authority vs all conventional")
        for _, r in pooled.iterrows()
        if r["outcome"]
        in (
            "ghq_score",
            "job_satisfaction",
            "no_time_for_reflection",
            "experienced_violence",
            "contact_rate",
            "rating_overall",
        )
    ]
    return sections, summary


def _change_sentence(r: pd.Series) -> str:
    name = outcome_label(r["outcome"])
    if r.get("suppressed") or pd.isna(r["effect_size"]):
        return f"{name}: not shown (small numbers)."
    a, b = r["period"].split("->")
    ci = (
        f", 95% CI {num(r['ci_low'], 1)} to {num(r['ci_high'], 1)}"
        if pd.notna(r["ci_low"])
        else "; no sampling error can be given for this indicator"
    )
    verb = "fell" if r["effect_size"] < 0 else "rose"
    return (
        f"{_capital(name)} {verb} from {num(r['value_comparison'])} in {a} to "
        f"{num(r['value_treatment'])} in {b} ({num(r['effect_size'], 1)}%{ci})."
    )


def _munro(results: Results, table: pd.DataFrame, threshold: int) -> tuple[list, list]:
    sections: list[Section] = []
    ba = table[(table["design"] == "before_after")]
    unit_rows = ba[ba["primary"]]
    comp_rows = ba[~ba["primary"]].set_index(["outcome", "period"])
    rows = []
    for _, r in unit_rows.iterrows():
        comp = comp_rows["effect_size"].get((r["outcome"], r["period"]), np.nan)
        rows.append(
            (
                outcome_label(r["outcome"]),
                r["period"].replace("->", " to "),
                _cell(r, "value_comparison"),
                _cell(r, "value_treatment"),
                _effect(r),
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
                "follow-up years (ending 31 March), with the percent change "
                "(95% CI for counts) and the comparators' mean change.",
                columns=(
                    "Indicator",
                    "Years",
                    "Baseline",
                    "Follow-up",
                    "Change % [95% CI]",
                    "Comparators' change %",
                    "p",
                ),
                rows=tuple(rows),
            )
        )
    sections.append(_published_section(results))
    series = _protected_series(results, threshold)
    treated = series.loc[series["role"] == "treated", "la_code"]
    intervention = results.provenance.get("intervention_year")
    for indicator, label in (
        ("children_looked_after", "number"),
        ("cla_rate_per_10k", "per 10,000 children"),
        ("sickness_days_per_fte", "days per FTE"),
        ("agency_worker_pct", "% of workers"),
        ("cp_plans_repeat_pct", "% of plans"),
    ):
        sub = series[series["indicator"] == indicator]
        if sub.empty or treated.empty:
            continue
        sections.append(
            Section(
                f"trend-{indicator}",
                f"Trend: {outcome_label(indicator)}",
                "figure",
                svg=_charts.trend_chart(
                    sub, treated.iloc[0], intervention, _capital(outcome_label(indicator)), label
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
                rows=_comparison_table(reflection),
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
                _effect(r),
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
                "comparators, placebo inference) and interrupted time series "
                "(level change at the intervention, Newey-West errors).",
                columns=("Indicator", "Design", "Estimate", "Value [95% CI]", "p", "Scale"),
                rows=rows,
                numeric=(False, False, False, True, True, False),
            )
        )
    sections.append(_limitations(results, table))
    first_period = unit_rows["period"].iloc[0] if not unit_rows.empty else None
    summary = [
        _change_sentence(r)
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


def _annual_rows(series: pd.DataFrame, authority: str, year: int) -> tuple[list, list]:
    rows, summary = [], []
    for indicator in sorted(series["indicator"].unique()):
        if indicator == "population_0_17":
            continue
        sub = series[series["indicator"] == indicator]
        own = sub[sub["la_code"] == authority].set_index("year")
        if not own.index.isin([year, year - 1]).any():
            continue  # not measured in these years (e.g. a single-year SSDA903 return)
        others = sub[(sub["la_code"] != authority) & (sub["year"] == year)]["value"]
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
                "not in the data",
            )
        )
        key = ("children_looked_after", "cla_rate_per_10k", "sickness_days_per_fte")
        if indicator in key and pd.notna(this) and pd.notna(last):
            direction = "down" if this < last else "up" if this > last else "unchanged"
            summary.append(
                f"{_capital(outcome_label(indicator))}: {num(this, digits)} in {year}, "
                f"{direction} from {num(last, digits)} in {year - 1}; comparators' "
                f"median {num(med, digits)}."
            )
    return rows, summary


def _annual(
    results: Results, table: pd.DataFrame, threshold: int, authority: str | None, year: int | None
) -> tuple[list, list, str]:
    series = _protected_series(results, threshold)
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
    rows, summary = _annual_rows(series, authority, year)
    sections = [
        Section(
            "indicators",
            f"{name}: indicators for the year ending 31 March {year}",
            "table",
            intro="This year against last year and the comparators' median. "
            "England figures appear when the data include national rows.",
            columns=("Indicator", str(year), str(year - 1), "Change %", "Comparators' median", "England"),
            rows=tuple(rows),
            numeric=(False, True, True, True, True, False),
        )
    ]
    for indicator, label in (
        ("cla_rate_per_10k", "looked-after children per 10,000"),
        ("cp_plans_repeat_pct", "second or later plans (%)"),
    ):
        sub = series[(series["indicator"] == indicator) & (series["year"] == year)]
        if sub.empty:
            continue
        names = sub.set_index("la_code")["la_name"]
        values = sub.set_index("la_code")["value"]
        values.index = [names[c] for c in values.index]
        sections.append(
            Section(
                f"dots-{indicator}",
                f"{_capital(label)}, {year}",
                "figure",
                svg=_charts.dot_plot(values, names[authority], _capital(label), label),
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
                        _effect(r),
                        p_text(r["p_value"]),
                    )
                    for _, r in causal.iterrows()
                ),
            )
        )
    sections.append(_limitations(results, table))
    return sections, summary, f"{name}, year ending 31 March {year}"


def build(
    results: Results,
    style: str,
    *,
    threshold: int | None = None,
    authority: str | None = None,
    year: int | None = None,
    generated: str | None = None,
) -> ReportData:
    """The frozen content of one report: protected, formatted, worded; no rendering."""
    if style not in STYLES:
        raise SpecError(f"unknown report style {style!r}; valid: {', '.join(STYLES)}")
    threshold = int(results.provenance.get("disclosure_threshold", 5) if threshold is None else threshold)
    table, log = protect(results.table, threshold)
    generated = generated or dt.date.today().isoformat()
    subtitle = {
        "forrester": "A comparative study of social work units and conventional teams",
        "munro": "An organisational evaluation: before and after the unit model",
        "annual": "",
    }[style]
    if style == "forrester":
        sections, summary = _forrester(results, table, threshold)
    elif style == "munro":
        sections, summary = _munro(results, table, threshold)
    else:
        sections, summary, subtitle = _annual(results, table, threshold, authority, year)
    pairs, inputs, methods = _provenance(results, generated)
    title = str(results.provenance.get("title", "Evaluation report"))
    return ReportData(
        style,
        title,
        subtitle,
        bool(results.provenance.get("synthetic")),
        generated,
        tuple(summary),
        tuple(sections),
        pairs,
        inputs,
        methods,
        tuple(log),
        threshold,
    )
