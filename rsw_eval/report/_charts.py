"""Charts as inline SVG (matplotlib): text kept as text so it can be read, searched and tagged;
every name printed as given (no mathtext: ``$``, ``_``, ``^`` and ``\\`` are characters); every chart
a :class:`~rsw_eval.report._accessible.Chart` with its text alternative and its data as tables;
nothing told apart by colour alone (markers, line styles, labels)."""

from __future__ import annotations

import functools
import io
from collections.abc import Callable

import numpy as np
import pandas as pd

from rsw_eval.report._accessible import MEANINGS, Chart, DataTable, across, first_last, span
from rsw_eval.report._labels import COUNT_INDICATORS, outcome_label, value_text
from rsw_eval.report._numbers import num

INK, ACCENT, MUTED, GRID = "#1d2b3a", "#b0413e", "#7b8794", "#e4e7eb"
#: matplotlib settings of every chart, applied only while it is drawn (the user's own rcParams are
#: left as they were): names are text, never TeX; SVG text stays text.
STYLE = {
    "svg.fonttype": "none",
    "text.parse_math": False,
    "text.usetex": False,
    "font.size": 9,
    "font.family": "DejaVu Sans",
    "axes.edgecolor": MUTED,
    "axes.labelcolor": INK,
    "xtick.color": INK,
    "ytick.color": INK,
}


def plain_text(draw: Callable) -> Callable:
    """Run a chart function with :data:`STYLE` in force (``matplotlib.rc_context``)."""

    @functools.wraps(draw)
    def wrapper(*args, **kwargs):
        import matplotlib

        matplotlib.use("Agg")
        with matplotlib.rc_context(STYLE):
            return draw(*args, **kwargs)

    return wrapper


def _figure(width: float, height: float):
    """A figure and axes in the report's style (call inside a :func:`plain_text` function)."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(width, height))
    ax.grid(axis="x", color=GRID, linewidth=0.8)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    return fig, ax


def _svg(fig, alt: str, tables: tuple[DataTable, ...] = (), tight: bool = True, meanings=MEANINGS) -> Chart:
    """The figure as an inline :class:`Chart`; ``tight=False`` keeps the figure's own margins (one
    draw instead of the two a tight bounding box needs: the trend charts, drawn many times, use it).
    The text alternative salts the SVG's clip-path ids, so that charts on one page do not share them."""
    import matplotlib.pyplot as plt

    buf = io.StringIO()
    with plt.rc_context({"svg.hashsalt": alt}):
        fig.savefig(
            buf,
            format="svg",
            bbox_inches="tight" if tight else None,
            metadata={"Date": None, "Creator": None},
        )
    plt.close(fig)
    return Chart(buf.getvalue(), alt, tables, meanings)


def _level(rows: pd.DataFrame) -> str:
    """The rows' interval level as printed ('95%'), from ``ci_level`` where they all share one."""
    levels = set(rows["ci_level"].dropna()) if "ci_level" in rows else set()
    level = levels.pop() if len(levels) == 1 else 0.95
    return f"{100 * float(level):.4g}%"


@plain_text
def forest_plot(rows: pd.DataFrame, title: str, *, threshold: int) -> Chart:
    """Effect sizes with their CIs, one line per outcome; a suppressed outcome is not drawn and
    reads ``c`` in the data table (``threshold``: the report's, for :func:`table_meanings`)."""
    hidden = rows[rows["effect_size"].isna() & rows.get("suppressed", False)]
    rows = rows[rows["effect_size"].notna()]
    level = _level(rows)
    drawn = rows.iloc[::-1]
    fig, ax = _figure(6.4, 0.32 * len(rows) + 0.9)
    y = np.arange(len(drawn))
    ax.hlines(y, drawn["ci_low"], drawn["ci_high"], color=INK, linewidth=1.4)
    ax.plot(drawn["effect_size"], y, "s", color=ACCENT, markersize=5)
    ax.axvline(0, color=MUTED, linewidth=0.8, linestyle="--")
    ax.set_yticks(y, [outcome_label(o) for o in drawn["outcome"]])
    ax.set_xlabel(f"standardised effect (unit model minus comparison), {level} CI")
    ax.set_title(title, loc="left", fontsize=10, color=INK)
    labels = [outcome_label(o) for o in rows["outcome"]]
    table = DataTable(
        "",
        ("Outcome", "Effect", f"{level} CI lower", f"{level} CI upper"),
        tuple(
            (label, num(e), num(lo), num(hi))
            for label, e, lo, hi in zip(
                labels, rows["effect_size"], rows["ci_low"], rows["ci_high"], strict=True
            )
        )
        + tuple((outcome_label(o), "c", "c", "c") for o in hidden["outcome"]),
    )
    low, high = int(np.argmin(rows["effect_size"])), int(np.argmax(rows["effect_size"]))
    clear = int(((rows["ci_low"] > 0) | (rows["ci_high"] < 0)).sum())
    alt = (
        f"{title}: standardised effects with {level} confidence intervals for {len(rows)} outcomes, "
        f"from {labels[low]} ({num(rows['effect_size'].iloc[low])}) to {labels[high]} "
        f"({num(rows['effect_size'].iloc[high])}); {clear} of the {len(rows)} intervals exclude zero."
    )
    return _svg(fig, alt, (table,), meanings=table_meanings(threshold))


@plain_text
def trend_chart(
    wide: pd.DataFrame,
    treated: str,
    name: str,
    intervention_year: int | None,
    ylabel: str,
    england: pd.Series | None = None,
    comparators_label: str = "comparators",
    *,
    indicator: str = "",
    points: float | None = None,
    marks: pd.DataFrame | None = None,
    threshold: int,
    by_dfe: bool = False,
    counts: frozenset[str] = COUNT_INDICATORS,
) -> Chart:
    """The authority's series (named in the legend) against the comparators' median and range and,
    where national rows are loaded, England; missing years are gaps, years are whole numbers.

    Told apart without colour: the authority is a thick line with dots, the median a plain line, the
    range a shaded band edged by dotted lines, England dashed. ``indicator`` sets the precision of
    the values in the text alternative and the data table (as the report's tables print them; a
    0-1 share's, ``points`` 100, as percentages; one of ``counts`` as whole numbers); ``marks``
    (:func:`rsw_eval.report._series.marks`) says what stands in the table where the authority has
    no value: ``c`` suppressed, DfE's symbol, else a dash (not collected); ``threshold`` and
    ``by_dfe`` say what ``c`` means (:func:`table_meanings`)."""
    from matplotlib.ticker import MaxNLocator

    scale = 100.0 if points == 100.0 else 1.0  # a 0-1 share drawn in percent, as its table prints it
    wide = wide * scale
    england = england * scale if england is not None else None
    ylabel = "%" if scale != 1.0 and not ylabel else ylabel

    def fmt(v: float) -> str:
        return value_text(indicator, v / scale, points, counts) if indicator else num(v, 1)

    fig, ax = _figure(6.4, 2.6)
    years = wide.index.to_numpy()
    others = wide.drop(columns=[treated], errors="ignore")
    lines: list[tuple[str, np.ndarray]] = []
    keys: list[tuple[object, str]] = []  # legend (handle, label), given explicitly: see below
    own = wide[treated].to_numpy(dtype=float) if treated in wide else None
    if own is not None:
        lines.append((name, own))
    if not others.empty and others.notna().any().any():
        low, mid, high = (others.min(axis=1), others.median(axis=1), others.max(axis=1))
        keys.append((ax.fill_between(years, low, high, color=GRID), f"{comparators_label} (range)"))
        for edge in (low, high):
            ax.plot(years, edge, color=MUTED, linewidth=0.6, linestyle=":")
        keys.append((ax.plot(years, mid, color=MUTED, linewidth=1.5)[0], f"{comparators_label} (median)"))
        lines += [
            (f"{comparators_label} (median)", mid.to_numpy(float)),
            (f"{comparators_label} (lowest)", low.to_numpy(float)),
            (f"{comparators_label} (highest)", high.to_numpy(float)),
        ]
    if england is not None and len(england):
        e = england.reindex(wide.index).to_numpy(dtype=float)
        keys.append((ax.plot(years, e, color=INK, linewidth=1.2, linestyle="--")[0], "England"))
        lines.append(("England", e))
    if own is not None:
        keys.append((ax.plot(years, own, color=ACCENT, linewidth=2, marker="o", markersize=3)[0], name))
    if intervention_year is not None and years.min() <= intervention_year <= years.max() + 1:
        ax.axvline(intervention_year - 0.5, color=INK, linewidth=0.8, linestyle=":")
        ax.annotate(
            f"model from {intervention_year}",
            (intervention_year - 0.5, ax.get_ylim()[1]),
            xytext=(-2, -2),
            textcoords="offset points",
            fontsize=8,
            color=INK,
            ha="right",
            va="top",
            rotation=90,
            bbox={"boxstyle": "square,pad=0.15", "facecolor": "white", "edgecolor": "none", "alpha": 0.85},
        )
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.grid(axis="y", color=GRID, linewidth=0.8)
    ax.set_ylabel(ylabel)
    ax.set_xlabel("year ending 31 March")
    fig.subplots_adjust(left=0.11, right=0.99, top=0.97, bottom=0.3)
    # handles and labels given explicitly: a label matplotlib collects itself is dropped when it
    # starts with "_" (its "no legend" convention), and an authority may be named so
    if keys:
        fig.legend(*zip(*keys, strict=True), frameon=False, fontsize=8, loc="lower center", ncol=4)
    what = outcome_label(indicator) if indicator else ylabel
    said = "; ".join(
        f"{who}: {first_last(years, v, fmt)}"
        for who, v in lines
        if not who.endswith(("(lowest)", "(highest)"))
    )
    model = f"; the model from {intervention_year}" if intervention_year is not None else ""
    alt = f"Line chart of {what} by year, {span(years)}. {said}{model}. The data are in the table below."
    own_marks = marks[treated].tolist() if marks is not None and treated in marks else None
    tables = across("Year", years, lines, fmt, marks=[own_marks] if own is not None else [])
    return _svg(fig, alt, tables, tight=False, meanings=table_meanings(threshold, by_dfe))


def table_meanings(threshold: int, by_dfe: bool = False) -> tuple[tuple[str, str], ...]:
    """What a chart's data table's marks mean: the annual table's (a dash: not collected in these
    data; ``c``: :func:`~rsw_eval.report._limits.suppressed_meaning` with the report's
    ``threshold``, DfE's own too where ``by_dfe``) and DfE's other symbols
    (:data:`rsw_eval.report._limits.SYMBOLS`).

    Examples
    --------
    >>> dict(table_meanings(5))["c"]
    'suppressed (a count from 1 to 5, or a figure from which one could be worked out)'
    """
    from rsw_eval.report._limits import SYMBOLS, suppressed_meaning  # the reports' one wording

    return (
        ("–", "not collected in these data"),
        ("c", suppressed_meaning(threshold, by_dfe)),
        *((s, f"{m} (DfE)") for s, m in SYMBOLS.items() if s != "c"),
    )


def sparkline(
    own: pd.Series,
    median: pd.Series,
    england: pd.Series | None = None,
    *,
    indicator: str = "",
    name: str = "",
    points: float | None = None,
    counts: frozenset[str] = COUNT_INDICATORS,
) -> str:
    """A small inline SVG (no text, no matplotlib) on one scale, missing years breaking the lines:
    the authority (thick, a dot at its last value), the comparators' median (thin) and England
    (dashed). Its ``<title>`` says the first and last values of each line (``indicator`` sets their
    precision, a 0-1 share's, ``points`` 100, as percentages, one of ``counts`` as whole numbers;
    ``name`` names the authority)."""
    w, h, pad = 80.0, 20.0, 2.0
    index = own.index.union(median.index)
    frames = [own, median] + ([england] if england is not None and len(england) else [])
    values = pd.concat([f.reindex(index) for f in frames]).to_numpy(dtype=float)
    if len(index) < 2 or not np.isfinite(values).any():
        return ""
    lo, hi = np.nanmin(values), np.nanmax(values)
    span_ = hi - lo or 1.0
    x0, x1 = index.min(), index.max()

    def point(year, v) -> str:
        x = pad + (w - 2 * pad) * (year - x0) / (x1 - x0)
        return f"{x:.1f},{h - pad - (h - 2 * pad) * (v - lo) / span_:.1f}"

    def path(series: pd.Series) -> str:
        parts, run = [], []
        for year, v in series.reindex(index).items():
            if pd.isna(v):
                parts.append(run)
                run = []
                continue
            run.append(point(year, v))
        parts.append(run)
        return "".join(f"M{' L'.join(r)} " if len(r) > 1 else f"M{r[0]} l0.1,0 " for r in parts if r).strip()

    fmt = (
        functools.partial(value_text, indicator, points=points, counts=counts)
        if indicator
        else (lambda v: num(v, 1))
    )
    lines = [(median, MUTED, "1", "", "comparators' median")]
    if england is not None and len(england):
        lines.append((england, INK, "0.9", ' stroke-dasharray="2.5,1.5"', "England (dashed)"))
    lines.append((own, ACCENT, "1.8", "", name or "this authority"))
    body = "".join(
        f'<path d="{path(s)}" fill="none" stroke="{c}" stroke-width="{sw}" stroke-linecap="round"{dash}/>'
        for s, c, sw, dash, _ in lines
        if s.notna().any()
    )
    last = own.dropna()
    if len(last):
        x, y = point(last.index[-1], last.iloc[-1]).split(",")
        body += f'<circle cx="{x}" cy="{y}" r="1.9" fill="{ACCENT}"/>'
    alt = f"Trend {span(index)}: " + "; ".join(
        f"{who} {first_last(s.reindex(index).index, s.reindex(index).to_numpy(float), fmt)}"
        for s, *_, who in reversed(lines)
    )
    return (
        f'<svg viewBox="0 0 {w:.0f} {h:.0f}" xmlns="http://www.w3.org/2000/svg" role="img">'
        f"<title>{_escape(alt)}</title>{body}</svg>"
    )


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


@plain_text
def waterfall(parts: pd.DataFrame, total: float, title: str) -> Chart:
    """Contributions (percentage points) of each cost line to the total percent change; each bar
    labelled with its signed value, so the sign is never told by colour alone."""
    parts = parts.sort_values("effect_size")
    fig, ax = _figure(6.4, 0.34 * (len(parts) + 1) + 0.9)
    start = 0.0
    labels, rows = [], []
    for k, (_, r) in enumerate(parts.iterrows()):
        v = r["effect_size"]
        ax.barh(k, v, left=start, color=ACCENT if v < 0 else MUTED, height=0.6)
        start += v
        labels.append(f"{outcome_label(str(r['outcome']))} ({v:+.2f})")
        rows.append((outcome_label(str(r["outcome"])), f"{v:+.2f}"))
    ax.barh(len(parts), total, color=INK, height=0.6)
    labels.append(f"total change ({total:+.2f})")
    rows.append(("total change", f"{total:+.2f}"))
    ax.set_yticks(range(len(labels)), labels)
    ax.axvline(0, color=MUTED, linewidth=0.8)
    ax.set_xlabel("percentage points of the total before")
    ax.set_title(title, loc="left", fontsize=10, color=INK)
    ax.invert_yaxis()
    table = DataTable("", ("Cost line", "Contribution (percentage points)"), tuple(rows))
    alt = (
        f"{title}: a waterfall of {len(parts)} cost lines adding up to a total change of {total:+.2f} "
        f"percentage points; " + ", ".join(labels[:-1]) + "."
    )
    return _svg(fig, alt, (table,))
