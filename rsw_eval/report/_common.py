"""Report data classes and the helpers every report style uses (formatting, protection, provenance)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pandas as pd

from rsw_eval.disclosure import Suppression
from rsw_eval.evaluation.results import Results
from rsw_eval.published import SOURCES
from rsw_eval.report._labels import COUNT_INDICATORS, outcome_label, value_text
from rsw_eval.report._numbers import num, p_text
from rsw_eval.report._points import row_points, series_points
from rsw_eval.report._power import detect_cell

SUPPRESSED = "c"

#: A cell where a design ran but gave no estimate (an invalid row: :func:`invalid_reason`).
NO_ESTIMATE = "no estimate"

_INVALID = re.compile(r"(?:^|; )invalid: ([^;]*)")


def invalid_reason(row: pd.Series) -> str:
    """Why a row is invalid (its note's ``invalid: ...`` clause: a series with no variation, so
    the test is undefined), ``""`` for a valid row. An invalid row has an estimate of 0 or of
    rounding noise and no p: it is no finding, and never printed as a change.

    Examples
    --------
    >>> invalid_reason(pd.Series({"note": "invalid: no variation around the means; pre-trend: 0",
    ...     "p_value": float("nan")}))
    'no variation around the means'
    >>> invalid_reason(pd.Series({"note": "90.9% interval", "p_value": 0.4}))
    ''
    """
    if pd.notna(row.get("p_value")):
        return ""
    found = _INVALID.search(str(row.get("note") or ""))
    return found.group(1).strip() if found else ""


def capital(text: str) -> str:
    return text[:1].upper() + text[1:]


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
    sparks: tuple[str, ...] = ()  # one inline SVG per row, shown in a last "Trend" column
    bands: int = 0  # index of a column of quartile bands A-D (0: none)
    charts: tuple[tuple[str, str], ...] = ()  # (caption, inline SVG) for kind "charts"

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


def value_cell(
    row: pd.Series,
    column: str,
    indicator: str,
    points: float | None = None,
    counts: frozenset[str] = COUNT_INDICATORS,
) -> str:
    """An indicator's value at its published precision (a 0-1 share's, ``points`` 100, as a
    percentage; ``counts``, rsw-eval's and the spec's, whole: :func:`~rsw_eval.report._labels.
    value_text`), ``c`` on a suppressed row."""
    value = row[column]
    if pd.isna(value):
        return SUPPRESSED if row.get("suppressed") else ""
    return value_text(indicator, value, points, counts)


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


def no_estimate_note(rows: pd.DataFrame) -> str:
    """Under a table of estimates: why each row without one (an invalid row, or an estimate
    missing though not suppressed) has none, so that no row is blank or 0 in silence.

    Examples
    --------
    >>> r = pd.DataFrame({"outcome": ["flat_share"], "design": "did", "effect_size": [0.0],
    ...     "p_value": [float("nan")], "note": ["invalid: no variation around the means"]})
    >>> no_estimate_note(r)
    'No estimate: flat share (DID): no variation around the means.'
    """
    said = []
    for _, r in rows.iterrows():
        reason = invalid_reason(r)
        if not reason and pd.isna(r["effect_size"]) and not r.get("suppressed"):
            reason = str(r.get("note") or "") or "the design gave none"
        if reason:
            said.append(f"{outcome_label(str(r['outcome']))} ({str(r['design']).upper()}): {reason}")
    return f"No estimate: {'; '.join(said)}." if said else ""


def effect(row: pd.Series, label: bool = False) -> str:
    """'-1.23 [-4.56, 2.10]', in percentage points ('-1.23 pp [...]') for a row of a percentage,
    share or 0/1 indicator (:mod:`rsw_eval.report._points`)."""
    if pd.isna(row["effect_size"]):
        return SUPPRESSED if row.get("suppressed") else ""
    if invalid_reason(row):
        return NO_ESTIMATE
    points = row_points(row)
    k, unit = (points, " pp") if points else (1.0, "")
    ci = f" [{num(k * row['ci_low'])}, {num(k * row['ci_high'])}]" if pd.notna(row["ci_low"]) else ""
    name = f"{SHORT.get(row['effect_size_name'], '')} " if label else ""
    return f"{name}{num(k * row['effect_size'])}{unit}{ci}"


def interval(row: pd.Series) -> str:
    """'[low, high]' of a row's effect size, empty without an interval."""
    if pd.isna(row["ci_low"]) or pd.isna(row["effect_size"]):
        return ""
    return f"[{num(row['ci_low'])}, {num(row['ci_high'])}]"


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
    """Rows of a comparison table: outcome (once per group of rows), comparison, n, mean (SD) or
    proportion in each group, difference, effect, its CI, p and adjusted p, with ``c`` for
    suppressed cells."""
    out = []
    previous = None
    for _, r in rows.iterrows():
        label = capital(outcome_label(r["outcome"]))
        out.append(
            (
                label if label != previous else "",
                str(r["comparison"]),
                _sizes(r),
                _with_sd(r, "value_treatment", "sd_treatment", value_digits),
                _with_sd(r, "value_comparison", "sd_comparison", value_digits),
                cell(r, "difference", value_digits),
                effect(r, label=True).split(" [")[0],
                interval(r),
                p_text(r["p_value"]),
                p_text(r["p_adjusted"]) if r.get("question") != "places" else "places",
                detect_cell(r),
            )
        )
        previous = label
    return tuple(out)


COMPARISON_COLUMNS = (
    "Outcome",
    "Compared with",
    "n (unit / comp.)",
    "Unit model: mean (SD) or share",
    "Comparison: mean (SD) or share",
    "Diff.",
    "Effect",
    "95% CI",
    "p",
    "Adj. p",
    "Detectable (80% power)",
)
COMPARISON_NUMERIC = (False, False, True, True, True, True, True, True, True, True, True)
EFFECT_KEY = (
    "Effect sizes: g = Hedges' g; h = Cohen's h; RD = risk difference; OR = odds ratio; "
    "RR = rate ratio; VR = variance ratio; d = standardised by the total (within + "
    "between cluster) SD. Adj. p: adjusted within the row's question; 'places': one authority on a "
    "side, so the row compares these authorities, not the unit model, and is not adjusted. Detectable: "
    "the difference the row's test detects four times in five at the 5% level, from its cluster-robust "
    "standard error."
)


def published_section(results: Results, keys: set[str] | None = None) -> Section:
    """Published figures the data measure, in a table; those they do not, listed in one note."""
    pub = results.published
    if keys is not None:
        pub = pub[pub["key"].isin(keys)]
    states = {True: "reproduced", False: "NOT reproduced"}
    rows, unmeasured = [], []
    for r in pub.itertuples():
        status = str(getattr(r, "status", "") or "")
        state = status or states.get(r.reproduced)
        if r.reproduced_value == SUPPRESSED:  # the row behind it is suppressed
            state = "not shown (small numbers)"
        elif state is None or state == "not measured":
            unmeasured.append(f"{r.statement} [{r.source_key}]")
            continue
        note = str(getattr(r, "note", "") or "")
        if state != "not shown (small numbers)":
            state = state.replace("not reproduced", "NOT reproduced") + (f": {note}" if note else "")
        rows.append(
            (r.statement, r.period, r.published, r.reproduced_value or "", state, f"[{r.source_key}]")
        )
    legend = "; ".join(f"[{k}] {v}" for k, v in SOURCES.items() if k in set(pub["source_key"]))
    note = f"Sources: {legend}."
    if unmeasured:
        note = f"Not measured by these data ({len(unmeasured)}): {'; '.join(unmeasured)}. " + note
    return Section(
        "published",
        "Published figures and this reproduction",
        "table" if rows else "text",
        intro="Each figure the evaluations published that these data measure, with its source, "
        "against the value these data give (within the published rounding).",
        columns=("Published statement", "Period", "Published", "Here", "Result", "Source"),
        rows=tuple(rows),
        items=() if rows else ("None of the published figures is measured by these data.",),
        numeric=(False,) * 6,
        note=note,
    )


def comparators_word(results: Results) -> str:
    """'neighbours' when the comparators are statistical neighbours, else 'comparators'."""
    roles = {f.get("role") for f in results.provenance.get("inputs", [])}
    return "neighbours" if "neighbours" in roles else "comparators"


def _comparison(results: Results, code: str | None = None) -> dict:
    """The engine's record of how the panel's comparators were chosen (``provenance["comparison"]``:
    ``how``, ``groupings_file``, ``authorities`` with role, code, name, rank, closeness), of
    ``code``'s own comparators when the results hold one per adopter, or {}."""
    from rsw_eval.report._authority import comparison_of

    return comparison_of(results, code)


def comparator_rows(results: Results, code: str | None = None) -> tuple[tuple[str, str, str, str], ...]:
    """(code, name, rank, closeness) of each comparator (of ``code`` when given): from the engine's
    comparison record when there is one, else the names in the series."""
    entry = _comparison(results, code)
    listed = [a for a in entry.get("authorities") or [] if a.get("role") == "comparator"]
    changed = {r["la_code"]: r["text"] for r in entry.get("reorganised") or []}
    if listed:
        return tuple(
            (
                str(a.get("la_code") or ""),
                str(a.get("la_name") or "")
                + ("" if a.get("in_data", True) else " (not in the data)")
                + (f"; {changed[a.get('la_code')]}" if a.get("la_code") in changed else ""),
                "" if a.get("rank") is None else str(a.get("rank")),
                str(a.get("closeness") or ""),
            )
            for a in listed
        )
    series = results.series
    if len(series) == 0 or "role" not in series:
        return ()
    named = series[series["role"] == "comparator"].drop_duplicates("la_code").sort_values("la_code")
    return tuple((str(r.la_code), str(r.la_name), "", "") for r in named.itertuples())


def groupings(results: Results) -> tuple[str, int | None]:
    """(file, year) of the statistical neighbour groupings used, ('', None) without."""
    entry = _comparison(results)
    if entry.get("groupings_file"):
        return str(entry["groupings_file"]), entry.get("groupings_year")
    files = [f["file"] for f in results.provenance.get("inputs", []) if f.get("role") == "neighbours"]
    if not files:
        return "", None
    years = re.findall(r"(?:19|20)\d{2}", files[0])
    return files[0], int(years[0]) if years else None


def _comparators_text(results: Results, rows: tuple, code: str | None = None) -> str:
    how = str(_comparison(results, code).get("how") or "")
    file, _ = groupings(results)
    text = f"{len(rows)} authorities" if rows else ""
    if how:
        text = f"{how}: {text}" if text else how
    elif file:
        text += f" (statistical neighbour groupings: {file})"
    return text


def provenance(
    results: Results,
    generated: str,
    panel: bool = True,
    families: tuple[str, ...] | None = None,
    code: str | None = None,
) -> tuple[tuple, tuple, tuple]:
    """Key facts, input files and methods; ``panel`` names the panel's comparators (``code``'s own
    when given); ``families`` limits the methods to those of the rows the report shows (default all)."""
    p = results.provenance
    pairs = (
        ("rsw-eval version", str(p.get("rsw_eval_version", ""))),
        ("Generated", generated),
        ("Evaluation", str(p.get("title", ""))),
        ("Seed", str(p.get("seed", ""))),
        ("Confidence level", str(p.get("confidence", ""))),
        ("Multiplicity adjustment", f"{p.get('adjustment', '')}, within questions"),
        (
            "Comparators",
            _comparators_text(results, comparator_rows(results, code), code) if panel else "see the tables",
        ),
        ("Data", "SYNTHETIC (made up by rsw-eval sample)" if p.get("synthetic") else "as supplied"),
    )
    inputs = tuple((f["role"], f["file"], f["sha256"]) for f in p.get("inputs", []))
    table = results.table
    if families is not None:
        table = table[table["family"].isin(families)]
    methods = tuple(sorted({m.split(";")[0] for m in table["method"].dropna() if m}))
    return pairs, inputs, methods


def protected_series(results: Results, threshold: int | None = None) -> pd.DataFrame:
    """The series for charts and the annual table: the publication's (small counts and the rates
    computed from them suppressed before the designs ran; ``suppressed`` marks them), with ``flag``
    holding DfE's symbol of a value published as one (empty otherwise) and ``level_points`` each
    indicator's factor to percentage points (:func:`~rsw_eval.report._points.series_points`: a 0-1
    share's levels print as percentages). ``threshold`` is the publication's own (kept for callers
    that pass it)."""
    s = results.protected().series.copy()
    if s.empty:
        return s
    s["flag"] = s["flag"].fillna("").astype(str) if "flag" in s else ""
    return series_points(s)
