"""The annual council report: one authority's year benchmarked against its comparators and England
(LAIT-style: value, change, median and range, rank, quartile band by polarity, trend, verdict)."""

from __future__ import annotations

import re
from dataclasses import replace

import pandas as pd

from rsw_eval._errors import SpecError
from rsw_eval.designs._panel import LOG_SCALE
from rsw_eval.evaluation.results import Results
from rsw_eval.report import _charts
from rsw_eval.report._authority import adoption_of, name_of, rows_of, series_of, units
from rsw_eval.report._benchmark import NOT_COLLECTED, benchmark, caveats_section, region_name
from rsw_eval.report._common import (
    Section,
    capital,
    comparators_word,
    effect,
    no_estimate_note,
    protected_series,
)
from rsw_eval.report._event_time import event_time_sections
from rsw_eval.report._labels import (
    COUNT_INDICATORS,
    EFFECT_LABELS,
    levels_text,
    outcome_label,
    polarity_table,
    unit_label,
)
from rsw_eval.report._limits import SYMBOLS, dfe_suppressed, limitations, not_estimated, suppressed_legend
from rsw_eval.report._numbers import p_text
from rsw_eval.report._points import level_points
from rsw_eval.report._series import marks, wide


def year_ranges(years) -> str:
    """'2004-2016' or '2013-2016, 2019-2025' for a set of years."""
    years = sorted({int(y) for y in years})
    runs, start = [], years[0]
    for a, b in zip(years, years[1:] + [None], strict=True):
        if b != a + 1:
            runs.append(f"{start}-{a}" if a > start else f"{a}")
            start = b
    return ", ".join(runs)


def check_choice(results: Results, authority: str | None, year: int | None) -> None:
    """Raise the annual report's SpecError for an authority or year the data do not hold, before
    any report is written."""
    if len(results.series) and (authority is not None or year is not None):
        _choose(results, results.series, authority, year)


#: The annual report's year is the latest with looked-after-children figures (the census of
#: 31 March that names the reporting year), not a workforce census placed a year ahead.
YEAR_INDICATORS = ("children_looked_after", "cla_rate_per_10k")


def _choose(
    results: Results, series: pd.DataFrame, authority: str | None, year: int | None
) -> tuple[str, int]:
    about = units(results)
    authority = authority or (
        about[0] if about else series.loc[series["role"] == "treated", "la_code"].iloc[0]
    )
    local = series[~series["role"].isin(["england", "region"])]
    if authority not in set(local["la_code"]):
        raise SpecError(
            f"--authority {authority}: not in the data; available: "
            f"{', '.join(sorted(local['la_code'].unique()))}"
        )
    if about and authority not in about:
        raise SpecError(
            f"--authority {authority}: these results are about {', '.join(about)}; an annual report "
            f"of {authority} needs compare(spec, authority={authority!r}) (report --authority does this)"
        )
    covered = local.loc[local["la_code"] == authority, "year"]
    if year is not None and int(year) not in set(covered.astype(int)):
        raise SpecError(
            f"--year {year}: the data hold no figures for {authority} in that year; they cover "
            f"{year_ranges(covered)} (years ending 31 March)"
        )
    if year is None:
        own = local[(local["la_code"] == authority) & local["value"].notna()]
        cla = own[own["indicator"].isin(YEAR_INDICATORS)]
        if len(cla):
            return authority, int(cla["year"].max())
        # no looked-after figures: the latest year with 3/4 of the best-covered year's indicators
        per_year = own.groupby("year")["indicator"].nunique()
        full = per_year[per_year >= 0.75 * per_year.max()]
        year = int(full.index.max()) if len(full) else int(covered.max())
    return authority, int(year)


def annual(
    results: Results, table: pd.DataFrame, threshold: int, authority: str | None, year: int | None
) -> tuple[list, list, str]:
    series = protected_series(results, threshold)
    if series.empty:
        raise SpecError("the annual report needs administrative data (an [data] admin entry)")
    authority, year = _choose(results, series, authority, year)
    series = series[series["year"] <= year]  # the report's year ends every table and chart
    series = series_of(series, results, authority)  # its own comparators, never another adopter
    table = rows_of(table, authority)
    adopted = adoption_of(results, authority)
    name = name_of(results, authority)
    who = comparators_word(results)
    later = adopted is not None and year < adopted  # a year before the model: benchmarking only
    table, left_out = (table.iloc[0:0], 0) if later else up_to_year(table, year)
    marker = None if later else adopted
    level = float(results.provenance.get("confidence", 0.95))
    counts = COUNT_INDICATORS | results.rules().counts  # rsw-eval's and the spec's: whole numbers
    lines = benchmark(series, table, authority, year, who, level, counts)
    region = region_name(series)
    if not region:  # no regional rows in the data: the table keeps its usual columns
        lines = [replace(b, cells=b.cells[:6] + b.cells[7:]) for b in lines]
    by_dfe = dfe_suppressed(series, authority, year)  # a c in the table or charts may be DfE's
    flags = sorted({c for b in lines for c in b.cells[1:3] if c in SYMBOLS and c != "c"})
    footnote = (
        f"Change: percentage points (pp) for percentages, percent otherwise. Rank: 1st = best by the "
        f"indicator's polarity (highest first where no direction is better); band: quartile among "
        f"{name} and its {who} that year, A = best quarter, none where no direction is better. "
        + (f"England and {region} are" if region else "England is")
        + " shown for rates, percentages and averages, not for counts and totals (a national or "
        "regional total is not comparable with one authority's). "
        f"{NOT_COLLECTED} = not collected in these data"
        + "".join(f"; {s} = {SYMBOLS[s]} (DfE)" for s in flags)
        + f"; {suppressed_legend(threshold, by_dfe)}."
    )
    sections = [
        Section(
            "indicators",
            f"{name}: indicators for the year ending 31 March {year}",
            "table",
            intro=f"This year against last year, the median of the {who} with their range (lowest to "
            f"highest), England, the rank and quartile band, and the trend (thick line ending in a dot: "
            f"{name}; thin line: the {who}' median"
            + ("; dashed: England)." if any(len(b.england) for b in lines) else ")."),
            columns=(
                "Indicator",
                str(year),
                str(year - 1),
                "Change",
                f"{capital(who)}: median (range)",
                "England",
                *((region,) if region else ()),
                "Rank",
                "Band",
            ),
            rows=tuple(b.cells for b in lines),
            sparks=tuple(
                _charts.sparkline(
                    b.own,
                    b.median,
                    b.england,
                    indicator=b.indicator,
                    name=name,
                    points=level_points(series, b.indicator),
                    counts=counts,
                )
                for b in lines
            ),
            numeric=(False, True, True, True, True, True, *((True,) if region else ()), True, False),
            bands=8 if region else 7,
            note=footnote,
        ),
        Section(
            "verdicts",
            "What the figures say",
            "list",
            intro="One sentence per indicator, generated from the figures above and the evaluation's "
            "estimates (only published, disclosure-checked values).",
            items=tuple(b.verdict for b in lines),
        ),
    ]
    causal = table[table["design"].isin(["did", "its"]) & table["primary"]]
    if not causal.empty and adopted is not None:
        sections.append(
            Section(
                "model-change",
                f"{name} since the model began ({adopted})",
                "table",
                intro=f"Estimates of the change in {name} since its first year with the model, "
                f"{adopted} (the year ending 31 March), against its {who} (DiD on the log scale and "
                f"Poisson ITS ratios are relative changes{_level_scale(causal)}"
                + ("; percentages, shares and 0/1 indicators change in percentage points, pp" * _pp(causal))
                + "). "
                + levels_text(causal)
                + " Adjusted p allows for the other tests of the same question: a change is called "
                "clear only where it is below 0.05." + late_text(left_out, year),
                columns=("Indicator", "Design", "Estimate", "Value [CI]", "p", "Adjusted p"),
                numeric=(False, False, False, True, True, True),
                rows=tuple(
                    (
                        capital(outcome_label(r["outcome"])),
                        r["design"].upper(),
                        EFFECT_LABELS.get(r["effect_size_name"], ""),
                        effect(r),
                        p_text(r["p_value"]),
                        p_text(r["p_adjusted"]),
                    )
                    for _, r in causal.iterrows()
                ),
                note=no_estimate_note(causal),
            )
        )
    sections += event_time_sections(table, name, threshold=threshold)
    charts = tuple(
        (
            capital(outcome_label(b.indicator)),
            _charts.trend_chart(
                wide(series, b.indicator, roles=("treated", "comparator")),
                authority,
                name,
                marker,
                unit_label(b.indicator),
                b.england if len(b.england) else None,
                who,
                indicator=b.indicator,
                points=level_points(series, b.indicator),
                marks=marks(series, b.indicator, wide(series, b.indicator, roles=("treated", "comparator"))),
                threshold=threshold,
                by_dfe=by_dfe,
                counts=counts,
            ),
        )
        for b in lines
    )
    if charts:
        sections.append(
            Section(
                "trends",
                "Trends",
                "charts",
                intro=f"{name} against the median and range of its {who}"
                + (" and England" if any(len(b.england) for b in lines) else "")
                + (
                    f"; the dotted line marks {name}'s first year with the model ({adopted})"
                    if marker is not None
                    else ""
                )
                + ". Axes need not start at zero.",
                charts=charts,
            )
        )
    sections.append(polarity_section({b.indicator for b in lines}))
    caveats = caveats_section(series, authority, {b.indicator for b in lines}, year)
    if caveats is not None:
        sections.append(caveats)
    sections.append(limitations(results, table, {"admin"}, authority))  # it shows no costs
    sections.append(
        not_estimated(results, {"admin", "cost"}, authority)
        if not later
        else Section(
            "not-estimated", "What could not be estimated", "text", items=(before_text(name, adopted, year),)
        )
    )
    summary = [b.verdict for b in lines if b.indicator in KEY] or [b.verdict for b in lines[:3]]
    if later:
        summary.insert(
            0, before_text(name, adopted, year) + f" It is benchmarked against its {who} and England."
        )
    elif left_out and not any(s.id == "model-change" for s in sections):
        summary.insert(0, late_text(left_out, year).strip())
    if adopted is None:
        summary.insert(
            0,
            f"{name} is benchmarked against its {who} and England: it is not a unit-model authority "
            "here, so nothing in this report estimates an effect of the model.",
        )
    return sections, summary, f"{name}, year ending 31 March {year}"


def before_text(name: str, adopted: int, year: int) -> str:
    """Why an annual report for a year before the authority adopted the model estimates no effect."""
    return (
        f"{name} first used the model in {adopted} (the year ending 31 March), after this report's "
        f"year ({year}): nothing in this report estimates an effect of the model."
    )


def _last_year(row: pd.Series) -> int | None:
    """The latest year a row used: its event year, else the latest year its ``period`` names."""
    if row.get("design") == "did_event" and pd.notna(row.get("event_time")):
        return int(row["adoption_year"]) + int(row["event_time"])
    found = [int(y) for y in re.findall(r"(?<!\d)(?:19|20)\d\d(?!\d)", str(row.get("period", "")))]
    return max(found) if found else None


def up_to_year(table: pd.DataFrame, year: int) -> tuple[pd.DataFrame, int]:
    """The rows an annual report for ``year`` may show (none uses a later year) and how many were
    left out (results from a spec whose post window runs past the year: ``report --year`` runs
    ``compare(ending_in(spec, X, year), authority=X)``, whose rows all end by then).

    Examples
    --------
    >>> t = pd.DataFrame({"design": ["did", "did_event", "did_event"], "period": ["pre 2014-2015 vs "
    ...     "post 2016-2019", "", ""], "adoption_year": [2016] * 3, "event_time": [None, 0, 2]})
    >>> kept, out = up_to_year(t, 2017)
    >>> kept.index.tolist(), out
    ([1], 2)
    """
    if table.empty:
        return table, 0
    last = table.apply(_last_year, axis=1)
    keep = last.isna() | (last <= year)
    return table[keep], int((~keep).sum())


def late_text(left_out: int, year: int) -> str:
    """The sentence saying that estimates using years after the report's year were left out."""
    if not left_out:
        return ""
    return (
        f" {left_out} estimate{'s' * (left_out != 1)} using years after {year} "
        f"{'are' if left_out != 1 else 'is'} left out (report --year {year} estimates from years "
        f"up to {year} only)."
    )


KEY = ("cla_rate_per_10k", "cp_plans_repeat_pct", "sickness_days_per_fte", "agency_worker_pct")


def _pp(causal: pd.DataFrame) -> bool:
    """Whether any row is in percentage points (:mod:`rsw_eval.report._points`)."""
    return "points" in causal and bool(causal["points"].notna().any())


def _level_scale(causal) -> str:
    """Which counts' DiD is on the level scale (their series have zeros), so the intro does not
    claim the log scale for them."""
    level = causal[
        (causal["design"] == "did") & (causal["scale"] == "level") & causal["outcome"].isin(LOG_SCALE)
    ]
    if level.empty:
        return ""
    names = ", ".join(dict.fromkeys(outcome_label(o) for o in level["outcome"]))
    return (
        f"; the DiD of {names} is on the level scale, a difference in its own units, as the series has zeros"
    )


def polarity_section(indicators: set[str]) -> Section:
    table = polarity_table()
    rows = tuple(
        (capital(outcome_label(i)), table.loc[i, "polarity"], table.loc[i, "rationale"])
        for i in sorted(indicators)
        if i in table.index
    )
    return Section(
        "polarity",
        "Which direction is better",
        "table",
        intro="The polarity behind ranks and bands (rsw_eval/data/indicator_polarity.csv).",
        columns=("Indicator", "Better", "Why"),
        rows=rows,
        numeric=(False, False, False),
    )
