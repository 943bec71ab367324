"""Charts and sections of the donor-pool designs for the Munro-style report: the staggered event
study (estimate and band by years since adoption, the pre-adoption years as a parallel-trends
check) and the synthetic-control gap (treated minus synthetic, by year).

They read the designs' non-primary rows of the results table: ``design == "staggered"`` with
``effect_size_name == "att_event"`` and ``period`` "event e"; ``design == "synthetic_control"`` with
``effect_size_name == "synthetic_gap_year"`` and ``period`` the year. A suppressed row is a gap in
the chart and ``c`` in its data table (a dash is a key with no value in the data).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from rsw_eval.report._accessible import Chart, across, first_last, span
from rsw_eval.report._charts import ACCENT, GRID, INK, MUTED, _figure, _svg, plain_text, table_meanings
from rsw_eval.report._common import Section, capital
from rsw_eval.report._labels import outcome_label
from rsw_eval.report._numbers import num
from rsw_eval.report._points import in_points

#: Indicators charted, in order (at most this many of each chart).
MAX_CHARTS = 4


@plain_text
def event_study_chart(
    rows: pd.DataFrame, title: str, band: str = "uniform 95% band", ylabel: str = "ATT", *, threshold: int
) -> Chart:
    """ATT by years since adoption with its band (where given); adoption marked at 0. Before and
    after adoption differ in marker (circle, square) as well as colour. ``threshold`` is the
    report's (what ``c`` means: :func:`~rsw_eval.report._charts.table_meanings`)."""
    e = rows["period"].str.removeprefix("event ").astype(int).to_numpy()
    order = np.argsort(e)
    hidden = _marks(rows)[order]
    e, est = e[order], rows["effect_size"].to_numpy(float)[order]
    lo, hi = rows["ci_low"].to_numpy(float)[order], rows["ci_high"].to_numpy(float)[order]
    fig, ax = _figure(6.4, 2.9)
    has = np.isfinite(lo) & np.isfinite(hi)
    if has.any():
        ax.vlines(e[has], lo[has], hi[has], color=MUTED, linewidth=2.2, label=band)
    pre = e < 0
    ax.plot(e[pre], est[pre], "o", color=INK, markersize=4, label="before adoption (parallel trends)")
    ax.plot(e[~pre], est[~pre], "s", color=ACCENT, markersize=4, label="after adoption")
    ax.axhline(0, color=MUTED, linewidth=0.8, linestyle="--")
    ax.axvline(-0.5, color=INK, linewidth=0.8, linestyle=":")
    ax.grid(axis="y", color=GRID, linewidth=0.8)
    from matplotlib.ticker import MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("years since adoption")
    ax.set_ylabel(ylabel)
    ax.set_title(title, loc="left", fontsize=10, color=INK)
    fig.subplots_adjust(left=0.1, right=0.99, top=0.9, bottom=0.3)  # fixed: one draw, not two
    fig.legend(frameon=False, fontsize=8, loc="lower center", ncol=3)
    lines = [(ylabel, est)] + ([(f"{band}: lower", lo), (f"{band}: upper", hi)] if has.any() else [])
    tables = across("Years since adoption", e, lines, num, marks=[hidden] * len(lines))
    alt = (
        f"{title}: event study of the average effect on the treated by years since adoption, "
        f"{span(e)}; before adoption {first_last(e[pre], est[pre], num)}; after adoption "
        f"{first_last(e[~pre], est[~pre], num)}. The data are in the table below."
    )
    return _svg(fig, alt, tables, tight=False, meanings=table_meanings(threshold))


@plain_text
def gap_chart(
    rows: pd.DataFrame, intervention_year: int | None, title: str, ylabel: str = "gap", *, threshold: int
) -> Chart:
    """Treated minus synthetic control by year; the intervention marked; ``threshold`` as in
    :func:`event_study_chart`."""
    year = rows["period"].astype(int).to_numpy()
    order = np.argsort(year)
    year, gap = year[order], rows["effect_size"].to_numpy(float)[order]
    hidden = _marks(rows)[order]
    fig, ax = _figure(6.4, 2.7)
    ax.plot(
        year,
        gap,
        color=ACCENT,
        linewidth=2,
        marker="o",
        markersize=3,
        label="unit-model authority minus its synthetic control",
    )
    ax.axhline(0, color=MUTED, linewidth=0.8, linestyle="--")
    if intervention_year is not None:
        ax.axvline(intervention_year - 0.5, color=INK, linewidth=0.8, linestyle=":")
    ax.grid(axis="y", color=GRID, linewidth=0.8)
    ax.set_xlabel("year ending 31 March")
    ax.set_ylabel(ylabel)
    ax.set_title(title, loc="left", fontsize=10, color=INK)
    fig.subplots_adjust(left=0.1, right=0.99, top=0.9, bottom=0.3)
    fig.legend(frameon=False, fontsize=8, loc="lower center")
    model = f"; the model from {intervention_year}" if intervention_year is not None else ""
    alt = (
        f"{title}: the unit-model authority minus its synthetic control by year, {span(year)}: "
        f"{first_last(year, gap, num)}{model}. The data are in the table below."
    )
    tables = across("Year", year, [("Gap", gap)], num, marks=[hidden])
    return _svg(fig, alt, tables, tight=False, meanings=table_meanings(threshold))


def _hidden(rows: pd.DataFrame) -> pd.Series:
    """Whether each row is suppressed."""
    if "suppressed" not in rows:
        return pd.Series(False, index=rows.index)
    return rows["suppressed"].fillna(False).astype(bool)


def _marks(rows: pd.DataFrame) -> np.ndarray:
    """``c`` for each suppressed row (its data table's cell), ``""`` for the others."""
    return np.where(_hidden(rows).to_numpy(), "c", "")


def shown_rows(rows: pd.DataFrame) -> pd.DataFrame:
    """Rows with a value, and suppressed rows (a gap in the chart, ``c`` in its table).

    Examples
    --------
    >>> r = pd.DataFrame({"effect_size": [1.0, None, None], "suppressed": [False, True, False]})
    >>> shown_rows(r).index.tolist()
    [0, 1]
    """
    return rows[rows["effect_size"].notna() | _hidden(rows)]


def _shown(table: pd.DataFrame, design: str, name: str) -> pd.DataFrame:
    return shown_rows(table[(table["design"] == design) & (table["effect_size_name"] == name)])


def donor_sections(
    table: pd.DataFrame, intervention_year: int | None = None, *, threshold: int
) -> list[Section]:
    """Event-study and gap-chart sections, one per indicator (none when the rows are absent);
    ``threshold`` is the report's (what ``c`` in a chart's data table means).

    Examples
    --------
    >>> cols = ["outcome", "design", "effect_size_name", "effect_size", "period", "treatment"]
    >>> donor_sections(pd.DataFrame(columns=cols), threshold=5)
    []
    """
    sections: list[Section] = []
    events = _shown(table, "staggered", "att_event")
    for outcome in list(dict.fromkeys(events["outcome"]))[:MAX_CHARTS]:
        sub, unit = in_points(events[events["outcome"] == outcome])  # pp for a percentage
        sections.append(
            Section(
                f"event-study-{outcome}",
                f"Event study: {outcome_label(outcome)}",
                "figure",
                intro="Callaway & Sant'Anna ATT by years since each authority adopted the model; "
                "estimates before adoption should sit around zero if trends were parallel.",
                svg=event_study_chart(
                    sub, capital(outcome_label(outcome)), ylabel=f"ATT{unit}", threshold=threshold
                ),
                note=f"Controls: {sub['comparison'].iloc[0]}.",
            )
        )
    gaps = _shown(table, "synthetic_control", "synthetic_gap_year")
    for (outcome, treated), rows in list(gaps.groupby(["outcome", "treatment"], sort=False))[:MAX_CHARTS]:
        sub, unit = in_points(rows)  # pp for a percentage, share or 0/1 indicator
        sections.append(
            Section(
                f"synthetic-gap-{outcome}",
                f"Synthetic control: {outcome_label(outcome)}",
                "figure",
                intro=f"{treated} minus its synthetic control (a weighted mix of donor authorities "
                "fitted to its years before the model).",
                svg=gap_chart(
                    sub, intervention_year, capital(outcome_label(outcome)), f"gap{unit}", threshold=threshold
                ),
            )
        )
    return sections
