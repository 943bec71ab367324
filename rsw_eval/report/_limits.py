"""Limitations and "What could not be estimated", generated from what was run, skipped and loaded.

Each limitation is stated only when the results or the data show that it holds (one treated
authority, no pre-period, a before/after without a comparison group, neighbour groupings of a later
year, the workforce census date, spending scope breaks, stitched series and missing years, suppressed
or unpublished cells); nothing names a place or a number the results do not carry.
"""

from __future__ import annotations

import re

import pandas as pd

from rsw_eval.designs.before_after import pair_relation
from rsw_eval.evaluation.results import Results
from rsw_eval.report._authority import adoption_of, name_of, units
from rsw_eval.report._common import Section, capital, groupings
from rsw_eval.report._labels import outcome_label

WORKFORCE = {
    "sickness_days_per_fte",
    "agency_worker_pct",
    "turnover_rate_pct",
    "vacancy_rate_pct",
    "caseload_per_fte",
    "agency_rate_fte",
    "turnover_rate_fte",
    "vacancy_rate_fte",
    "caseload_fte",
    "inpost_fte",
    "working_days_lost_fte",
}
#: DfE's symbols for values that exist but are not published, with their meaning (EES guidance)
SYMBOLS = {
    "c": "confidential (suppressed to protect individuals)",
    "x": "not available",
    "z": "not applicable",
    "k": "rounds to zero",
    "u": "low reliability",
    "low": "below the level published",
    "..": "not available",
    ":": "not available",
}


def suppressed_meaning(threshold: int, by_dfe: bool = False) -> str:
    """What ``c`` stands for, in the annual table's legend and under every chart's data table:
    rsw-eval's suppression (a count from 1 to ``threshold``, or a figure from which one could be
    worked out), and DfE's own where ``by_dfe`` (a value DfE published as c may be shown). It never
    says which cell was suppressed for which reason.

    Examples
    --------
    >>> suppressed_meaning(5)
    'suppressed (a count from 1 to 5, or a figure from which one could be worked out)'
    >>> suppressed_meaning(5, True).split(" (")[0]
    'suppressed, by DfE in its release or by rsw-eval'
    """
    who = ", by DfE in its release or by rsw-eval" if by_dfe else ""
    return f"suppressed{who} (a count from 1 to {threshold}, or a figure from which one could be worked out)"


def suppressed_legend(threshold: int, by_dfe: bool) -> str:
    """The annual table's legend of ``c`` (:func:`suppressed_meaning`), left out of its medians
    and ranks.

    Examples
    --------
    >>> suppressed_legend(5, True).split(" (")[0]
    'c = suppressed, by DfE in its release or by rsw-eval'
    """
    return f"c = {suppressed_meaning(threshold, by_dfe)} and left out of medians and ranks"


def dfe_suppressed(series: pd.DataFrame, authority: str, year: int) -> bool:
    """Whether a ``c`` the annual table shows for ``authority`` (``year`` or the year before) may
    be DfE's own: a row of a DfE release's file (:func:`~rsw_eval.io._gaps.release_file`). The
    protected series marks DfE's and rsw-eval's suppression alike, so a ``c`` in a council's own
    file is rsw-eval's, and one in DfE's file may be either.

    Examples
    --------
    >>> s = pd.DataFrame({"la_code": "E09000012", "year": [2010, 2011], "flag": ["c", ""],
    ...                   "source": ["b1_children_in_need_2013_to_2025.csv", "panel.csv"]})
    >>> dfe_suppressed(s, "E09000012", 2011), dfe_suppressed(s.assign(source="panel.csv"), "E09000012", 2011)
    (True, False)
    """
    from rsw_eval.io._gaps import release_file

    shown = series[(series["la_code"] == authority) & series["year"].isin([year, year - 1])]
    if "source" not in shown or "flag" not in shown:
        return False
    marked = shown[shown["flag"].astype(str) == "c"]
    return any(release_file(str(s)) for s in marked["source"].unique())


def _names(items: list[str], limit: int = 6) -> str:
    items = sorted(set(items))
    shown = ", ".join(items[:limit])
    return shown + (f" and {len(items) - limit} more" if len(items) > limit else "")


def treated_names(results: Results, table: pd.DataFrame, code: str | None = None) -> list[str]:
    """The unit-model authorities the results are about (panel names, else survey labels); with
    ``code``, that authority alone."""
    if code is not None:
        return [name_of(results, code)]
    if results.provenance.get("adoption"):
        return [name_of(results, c) for c in units(results)]
    series = results.series
    if len(series) and "role" in series:
        names = series.loc[series["role"] == "treated", "la_name"].dropna().unique().tolist()
        if names:
            return [str(n) for n in names]
    cross = table[table["design"].isin(["cross_section", "before_after", "cost_change"])]
    return sorted({str(t) for t in cross["treatment"].dropna() if t})


def _panel_items(
    results: Results, table: pd.DataFrame, code: str | None = None, shown: tuple[str, ...] = ("admin", "cost")
) -> list[str]:
    items = []
    series = results.series
    own = series[series["role"] == "treated"] if len(series) else series
    if code is not None and len(own):
        own = own[own["la_code"] == code]
    about = [code] if code is not None else units(results) or list(dict.fromkeys(own.get("la_code", [])))
    by_year: dict[int, list[str]] = {}
    for unit in about:
        year = adoption_of(results, unit)
        if year is not None:
            by_year.setdefault(year, []).append(unit)
    for year, codes in sorted(by_year.items()):
        first = own[own["la_code"].isin(codes)].groupby("indicator")["year"].min() if len(own) else {}
        late = [outcome_label(i) for i, y in dict(first).items() if y >= year and i != "population_0_17"]
        if late:
            whose = "" if len(about) == 1 else f" of {', '.join(name_of(results, c) for c in codes)}"
            items.append(
                f"No year before the intervention{whose} ({year}) in the data for {_names(late)}: "
                "for these the data cannot show a change since the model began."
            )
    ba = table[table["design"] == "before_after"]
    if len(ba):
        context = ba[~ba["comparison"].str.startswith("own baseline")]  # the comparators' median rows
        who = (
            name_of(results, code)
            if code
            else "each unit-model authority"
            if len(about) > 1
            else "the unit-model authority"
        )
        items.append(
            f"Before/after changes describe {who} alone: they do not separate the "
            "model from national trends or other local changes"
            + (
                "; the comparators' changes are shown for context, not as a control."
                if len(context)
                else ", and no comparison group was available."
            )
        )
        items += _off_start(ba[ba["comparison"].str.startswith("own baseline")])
    file, year = groupings(results)
    if year and len(series) and int(series["year"].min()) < year:
        items.append(
            f"Comparators are statistical neighbours from the {year} groupings ({file}), applied "
            f"to data from {int(series['year'].min())}: earlier groupings may have named other "
            "neighbours."
        )
    csww = any("csww" in f["file"].lower() or "workforce" in f["file"].lower() for f in _inputs(results))
    if csww and len(series) and series["indicator"].isin(WORKFORCE).any():
        items.append(
            "Workforce figures come from the children's social work workforce census, taken on "
            "30 September, not at 31 March as the children's figures are."
        )
    if len(own):
        gaps = []
        for indicator, sub in own.groupby("indicator"):
            years = set(sub.loc[sub["value"].notna(), "year"].astype(int))
            if years:
                missing = sorted(set(range(min(years), max(years) + 1)) - years)
                if missing:
                    gaps.append(f"{outcome_label(str(indicator))} ({', '.join(map(str, missing))})")
        if gaps:
            items.append("Years missing inside a series (drawn as gaps): " + "; ".join(gaps) + ".")
    coverage = getattr(results, "coverage", None)
    if isinstance(coverage, pd.DataFrame) and {"indicator", "source"} <= set(coverage.columns):
        sources = coverage[~coverage["source"].astype(str).isin(["all sources", ""])]
        if "data" in sources:  # only the data sets the report shows
            sources = sources[sources["data"].astype(str).isin(shown)]
        stitched = sources.groupby("indicator")["source"].nunique()
        stitched = [outcome_label(str(i)) for i, n in stitched.items() if n > 1]
        if stitched:
            items.append(
                f"Series stitched from more than one publication: {_names(stitched)}; definitions and "
                "revisions may differ where they meet."
            )
    if "flag" in series and len(series):
        flagged = series[series["flag"].fillna("").astype(str).str.len() > 0]
        if len(flagged):
            symbols = sorted(set(flagged["flag"].astype(str)))
            meaning = "; ".join(f"{s} = {SYMBOLS.get(s, 'not published')}" for s in symbols)
            items.append(
                f"{len(flagged)} published value(s) are not available ({meaning}); they are shown with "
                "the symbol and left out of medians, ranks and estimates."
            )
    return items


def _off_start(own: pd.DataFrame) -> list[str]:
    """The before/after pairs whose years both lie after (or before) their adoption year, said as
    what they are (:func:`rsw_eval.designs.before_after.pair_relation`), one item per pair."""
    found = {}
    for r in own.itertuples():
        year = None if pd.isna(r.adoption_year) else int(r.adoption_year)
        a, b = (int(y) for y in str(r.period).split("->"))
        relation = pair_relation(a, b, year)
        if relation:
            found.setdefault(relation, []).append(str(r.treatment))
    several = len({t for who in found.values() for t in who}) > 1
    return [
        capital(relation) + (f" ({', '.join(dict.fromkeys(who))})" if several else "") + "."
        for relation, who in found.items()
    ]


def _inputs(results: Results) -> list[dict]:
    return list(results.provenance.get("inputs", []))


def _cost_items(table: pd.DataFrame) -> list[str]:
    cost = table[table["family"] == "cost"]
    if cost.empty:
        return []
    items = []
    years = sorted({int(y) for p in cost["period"].dropna() for y in re.findall(r"\d{4}", str(p))})
    if years and years[0] <= 2010 < years[-1]:
        items.append(
            "Spending up to 2009-10 comes from Section 52 returns and from 2010-11 from Section 251: "
            "lines and their scope changed between the two, so the series is not on one basis."
        )
    if cost["note"].fillna("").str.contains("scope").any():
        items.append("Some spending lines changed scope over the period (see the notes of the cost rows).")
    items.append("Spending is taken from the accounts as published: no sampling error applies.")
    return items


def _design_items(results: Results, table: pd.DataFrame, code: str | None) -> list[str]:
    """What the number and kind of authorities shown imply (one adopter, several, or none)."""
    adopters = [c for c in units(results) if adoption_of(results, c) is not None]
    if code is not None and adoption_of(results, code) is None:
        return [
            f"{name_of(results, code)} is not a unit-model authority (no adoption year was given): this "
            "report benchmarks it against its comparators and says nothing about the model."
        ]
    if code is None and len(adopters) > 1:
        names = ", ".join(name_of(results, c) for c in adopters)
        pooled = (table["design"] == "staggered").any()
        return [
            f"{len(adopters)} unit-model authorities ({names}), each compared with its own comparators "
            "from its own adoption year: each authority's estimates are about that authority alone, "
            "and in each the model and the place are confounded"
            + ("; the only estimate pooled over them is staggered adoption." if pooled else ".")
        ]
    treated = treated_names(results, table, code)
    pooled = max((results.provenance.get("survey_unit_authorities") or {}).values(), default=0)
    if code is None and pooled > 1:  # the survey pools several (att10 L1)
        return [
            f"The survey pools the respondents of {pooled} unit-model authorities: with so few, the "
            "model and the places are confounded, and any difference may come from the authorities "
            "as much as from the model."
        ]
    if len(treated) == 1:
        return [
            f"There is one unit-model authority ({treated[0]}), so the model and the place are "
            "confounded: any difference may come from the authority as much as from the model."
        ]
    return []


def _placebo_items(table: pd.DataFrame) -> list[str]:
    """The smallest p-value each placebo test shown could give (from the rows' own placebo counts)."""
    did = table[(table["design"] == "did") & table["primary"] & table["n_comparison"].notna()]
    if did.empty:
        return []
    pool = did["comparison"].astype(str).str.extract(r"placebos from (\d+) donor-pool")[0]
    k = pool.astype(float).where(pool.notna(), did["n_comparison"].astype(float)).astype(int)
    ks = sorted(set(k))
    smallest = ", ".join(f"1/{x + 1} = {1 / (x + 1):.3f} with {x} placebos" for x in ks)
    return [
        "Difference-in-differences with one treated authority rests on placebo inference: the smallest "
        f"p-value possible is {smallest}, and the intervals are coarse."
    ]


def limitations(
    results: Results, table: pd.DataFrame, families: set[str], code: str | None = None
) -> Section:
    """The limitations that the results and the data show to hold, for the families a report shows
    (with ``code``: for that authority, from its rows)."""
    items = []
    table = table[table["family"].isin(families)]
    items += _design_items(results, table, code)
    ml = table[table["design"] == "multilevel"] if "multilevel" in families else table.iloc[:0]
    if not ml.empty:
        items.append(
            "Workers are clustered in units and teams; the multilevel rows show how much the "
            "clustering widens the intervals (design effects above 1)."
        )
    items += _placebo_items(table)
    if (table["design"] == "cross_section").any():
        items.append(
            "Cross-sectional comparisons show association at one time, not the effect of "
            "introducing the model."
        )
    if "admin" in families:
        items += _panel_items(results, table, code, tuple(f for f in ("admin", "cost") if f in families))
    if "cost" in families:
        items += _cost_items(table)
    if table["suppressed"].astype(bool).any():
        items.append("Some cells are suppressed for disclosure control (shown as c): see Disclosure control.")
    if results.provenance.get("synthetic"):
        items.append(
            "These data are synthetic: the report demonstrates the method and must not be "
            "read as findings about any real authority."
        )
    return Section("limitations", "Limitations", "list", items=tuple(items))


def not_estimated(results: Results, families: set[str] | None = None, code: str | None = None) -> Section:
    """Every analysis the spec asked for that gave no rows, with its reason (Results.skipped);
    with ``code``, those about that authority or about no one authority."""
    skipped = results.skipped
    if families is not None and len(skipped):
        skipped = skipped[skipped["family"].isin(families)]
    if code is not None and len(skipped):
        text = skipped["treatment"].astype(str)
        skipped = skipped[text.str.contains(f"({code})", regex=False) | (text == code) | (text == "")]
    rows = tuple(
        (
            capital(outcome_label(str(r.outcome))) if r.outcome else "",
            str(r.design).replace("_", " "),
            str(r.family),
            str(r.reason),
        )
        for r in skipped.itertuples()
    )
    if not rows:
        return Section(
            "not-estimated",
            "What could not be estimated",
            "text",
            items=("Every analysis the specification asked for gave results.",),
        )
    return Section(
        "not-estimated",
        "What could not be estimated",
        "table",
        intro="Analyses the specification asked for that the data could not support, with the reason.",
        columns=("Indicator", "Design", "Family", "Reason"),
        rows=rows,
        numeric=(False,) * 4,
    )
