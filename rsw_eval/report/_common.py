"""Report data classes and the helpers every report style uses (formatting, protection, provenance)."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from rsw_eval.disclosure import Suppression, protect_series, rule_set
from rsw_eval.published import SOURCES
from rsw_eval.report._labels import num, outcome_label, p_text
from rsw_eval.results import Results

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


def cell(row: pd.Series, column: str, digits: int = 2) -> str:
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


def effect(row: pd.Series, label: bool = False) -> str:
    if pd.isna(row["effect_size"]):
        return SUPPRESSED if row.get("suppressed") else ""
    ci = f" [{num(row['ci_low'])}, {num(row['ci_high'])}]" if pd.notna(row["ci_low"]) else ""
    name = f"{SHORT.get(row['effect_size_name'], '')} " if label else ""
    return f"{name}{num(row['effect_size'])}{ci}"


def _with_sd(row: pd.Series, value: str, sd: str, digits: int) -> str:
    shown = cell(row, value, digits)
    if sd in row and pd.notna(row[sd]) and shown not in ("", SUPPRESSED):
        return f"{shown} ({num(row[sd], digits)})"
    return shown


def _sizes(row: pd.Series) -> str:
    def one(col: str) -> str:
        value = row[col]
        if pd.isna(value):
            return SUPPRESSED if row.get("suppressed") else ""
        return f"{int(value)}"

    return f"{one('n_treatment')} / {one('n_comparison')}"


def comparison_table(rows: pd.DataFrame, value_digits: int = 2) -> tuple[tuple[str, ...], ...]:
    """Rows of a comparison table: outcome, comparison, n, mean (SD) or proportion in each group,
    difference, effect [CI], p and adjusted p, with ``c`` for suppressed cells."""
    out = []
    for _, r in rows.iterrows():
        out.append(
            (
                outcome_label(r["outcome"]),
                str(r["comparison"]),
                _sizes(r),
                _with_sd(r, "value_treatment", "sd_treatment", value_digits),
                _with_sd(r, "value_comparison", "sd_comparison", value_digits),
                cell(r, "difference", value_digits),
                effect(r, label=True),
                p_text(r["p_value"]),
                p_text(r["p_adjusted"]),
            )
        )
    return tuple(out)


COMPARISON_COLUMNS = (
    "Outcome",
    "Compared with",
    "n (unit / comparison)",
    "Unit model: mean (SD) or share",
    "Comparison: mean (SD) or share",
    "Difference",
    "Effect [95% CI]",
    "p",
    "Adj. p",
)
COMPARISON_NUMERIC = (False, False, True, True, True, True, True, True, True)
EFFECT_KEY = (
    "Effect sizes: g = Hedges' g; h = Cohen's h; RD = risk difference; OR = odds ratio; "
    "RR = rate ratio; VR = variance ratio; d = standardised by the total (within + "
    "between cluster) SD."
)


def published_section(results: Results, keys: set[str] | None = None) -> Section:
    pub = results.published
    if keys is not None:
        pub = pub[pub["key"].isin(keys)]
    rows = []
    for r in pub.itertuples():
        state = {True: "reproduced", False: "NOT reproduced", None: "not measured by these data"}[
            r.reproduced
        ]
        state = "not shown (small numbers)" if r.reproduced_value == SUPPRESSED else state
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


def provenance(results: Results, generated: str) -> tuple[tuple, tuple, tuple]:
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


def protected_series(results: Results, threshold: int) -> pd.DataFrame:
    """The series for charts and the annual table, small counts and the rates computed from them
    removed (``suppressed`` marks them; :func:`rsw_eval.disclosure.protect_series`)."""
    rules = rule_set(results.provenance.get("disclosure_rules", "default"), threshold)
    return results.series.copy() if results.series.empty else protect_series(results.series, rules=rules)


def capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def limitations(results: Results, table: pd.DataFrame) -> Section:
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
