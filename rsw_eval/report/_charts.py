"""Charts as inline SVG (matplotlib, text kept as text so it can be read and searched)."""

from __future__ import annotations

import io
import re

import numpy as np
import pandas as pd

from rsw_eval.report._labels import outcome_label

INK, ACCENT, MUTED, GRID = "#1d2b3a", "#b0413e", "#7b8794", "#e4e7eb"


def _figure(width: float, height: float):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams.update(
        {
            "svg.fonttype": "none",
            "svg.hashsalt": "rsw-eval",
            "text.parse_math": False,  # names such as "Croydon $\\frac$" are text, not TeX
            "font.size": 9,
            "font.family": "DejaVu Sans",
            "axes.edgecolor": MUTED,
            "axes.labelcolor": INK,
            "xtick.color": INK,
            "ytick.color": INK,
        }
    )
    fig, ax = plt.subplots(figsize=(width, height))
    ax.grid(axis="x", color=GRID, linewidth=0.8)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    return fig, ax


def _svg(fig, tight: bool = True) -> str:
    """The figure as inline SVG; ``tight=False`` keeps the figure's own margins (one draw instead
    of the two a tight bounding box needs: the trend charts, drawn many times, use it)."""
    import matplotlib.pyplot as plt

    buf = io.StringIO()
    fig.savefig(
        buf,
        format="svg",
        bbox_inches="tight" if tight else None,
        metadata={"Date": None, "Creator": None},
    )
    plt.close(fig)
    text = buf.getvalue()
    text = text[text.index("<svg") :]  # drop the XML prolog and DOCTYPE for inlining
    return re.sub(r'\s(width|height)="[\d.]+pt"', "", text, count=2)  # scale with the page


def forest_plot(rows: pd.DataFrame, title: str) -> str:
    """Effect sizes with 95% CIs, one line per outcome (suppressed rows left out)."""
    rows = rows[rows["effect_size"].notna()].iloc[::-1]
    fig, ax = _figure(6.4, 0.32 * len(rows) + 0.9)
    y = np.arange(len(rows))
    ax.hlines(y, rows["ci_low"], rows["ci_high"], color=INK, linewidth=1.4)
    ax.plot(rows["effect_size"], y, "s", color=ACCENT, markersize=5)
    ax.axvline(0, color=MUTED, linewidth=0.8, linestyle="--")
    ax.set_yticks(y, [outcome_label(o) for o in rows["outcome"]])
    ax.set_xlabel("standardised effect (unit model minus comparison), 95% CI")
    ax.set_title(title, loc="left", fontsize=10, color=INK)
    return _svg(fig)


def trend_chart(
    wide: pd.DataFrame,
    treated: str,
    name: str,
    intervention_year: int | None,
    ylabel: str,
    england: pd.Series | None = None,
    comparators_label: str = "comparators",
) -> str:
    """The authority's series (named in the legend) against the comparators' median and range and,
    where national rows are loaded, England; missing years are gaps, years are whole numbers."""
    from matplotlib.ticker import MaxNLocator

    fig, ax = _figure(6.4, 2.6)
    years = wide.index.to_numpy()
    others = wide.drop(columns=[treated], errors="ignore")
    if not others.empty and others.notna().any().any():
        ax.fill_between(
            years, others.min(axis=1), others.max(axis=1), color=GRID, label=f"{comparators_label} (range)"
        )
        ax.plot(
            years, others.median(axis=1), color=MUTED, linewidth=1.5, label=f"{comparators_label} (median)"
        )
    if england is not None and len(england):
        e = england.reindex(wide.index)
        ax.plot(years, e.to_numpy(), color=INK, linewidth=1.2, linestyle="--", label="England")
    if treated in wide:
        ax.plot(
            years, wide[treated].to_numpy(), color=ACCENT, linewidth=2, marker="o", markersize=3, label=name
        )
    if intervention_year is not None and years.min() <= intervention_year <= years.max() + 1:
        ax.axvline(intervention_year - 0.5, color=INK, linewidth=0.8, linestyle=":")
        ax.annotate(
            f"model from {intervention_year}",
            (intervention_year - 0.5, ax.get_ylim()[1]),
            fontsize=8,
            color=INK,
            ha="right",
            va="top",
            rotation=90,
        )
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.grid(axis="y", color=GRID, linewidth=0.8)
    ax.set_ylabel(ylabel)
    ax.set_xlabel("year ending 31 March")
    fig.subplots_adjust(left=0.11, right=0.99, top=0.97, bottom=0.3)
    fig.legend(frameon=False, fontsize=8, loc="lower center", ncol=4)
    return _svg(fig, tight=False)


def sparkline(own: pd.Series, median: pd.Series, england: pd.Series | None = None) -> str:
    """A small inline SVG (no text, no matplotlib): the authority (red), the comparators' median
    (grey) and England (dashed), on one scale; missing years break the lines."""
    w, h, pad = 80.0, 20.0, 2.0
    index = own.index.union(median.index)
    frames = [own, median] + ([england] if england is not None and len(england) else [])
    values = pd.concat([f.reindex(index) for f in frames]).to_numpy(dtype=float)
    if len(index) < 2 or not np.isfinite(values).any():
        return ""
    lo, hi = np.nanmin(values), np.nanmax(values)
    span = hi - lo or 1.0
    x0, x1 = index.min(), index.max()

    def path(series: pd.Series) -> str:
        parts, run = [], []
        for year, v in series.reindex(index).items():
            if pd.isna(v):
                parts.append(run)
                run = []
                continue
            x = pad + (w - 2 * pad) * (year - x0) / (x1 - x0)
            y = h - pad - (h - 2 * pad) * (v - lo) / span
            run.append(f"{x:.1f},{y:.1f}")
        parts.append(run)
        return "".join(f"M{' L'.join(r)} " if len(r) > 1 else f"M{r[0]} l0.1,0 " for r in parts if r).strip()

    lines = [(median, MUTED, "1.2", ""), (own, ACCENT, "1.6", "")]
    if england is not None and len(england):
        lines.insert(1, (england, INK, "0.9", ' stroke-dasharray="2,1.5"'))
    body = "".join(
        f'<path d="{path(s)}" fill="none" stroke="{c}" stroke-width="{sw}" stroke-linecap="round"{dash}/>'
        for s, c, sw, dash in lines
        if s.notna().any()
    )
    return f'<svg viewBox="0 0 {w:.0f} {h:.0f}" xmlns="http://www.w3.org/2000/svg" role="img">{body}</svg>'


def waterfall(parts: pd.DataFrame, total: float, title: str) -> str:
    """Contributions (percentage points) of each cost line to the total percent change."""
    parts = parts.sort_values("effect_size")
    fig, ax = _figure(6.4, 0.34 * (len(parts) + 1) + 0.9)
    start = 0.0
    labels = []
    for k, (_, r) in enumerate(parts.iterrows()):
        v = r["effect_size"]
        ax.barh(k, v, left=start, color=ACCENT if v < 0 else MUTED, height=0.6)
        start += v
        labels.append(f"{outcome_label(str(r['outcome']))} ({v:+.2f})")
    ax.barh(len(parts), total, color=INK, height=0.6)
    labels.append(f"total change ({total:+.2f})")
    ax.set_yticks(range(len(labels)), labels)
    ax.axvline(0, color=MUTED, linewidth=0.8)
    ax.set_xlabel("percentage points of the total before")
    ax.set_title(title, loc="left", fontsize=10, color=INK)
    ax.invert_yaxis()
    return _svg(fig)


def dot_plot(values: pd.Series, highlight: str, title: str, xlabel: str) -> str:
    """One dot per authority for one year, the chosen authority highlighted, median marked."""
    values = values.dropna().sort_values()
    fig, ax = _figure(6.4, 0.24 * len(values) + 0.9)
    y = np.arange(len(values))
    colors = [ACCENT if code == highlight else MUTED for code in values.index]
    ax.scatter(values.to_numpy(), y, color=colors, s=22, zorder=3)
    ax.axvline(values.median(), color=INK, linewidth=0.8, linestyle="--", label="median")
    ax.set_yticks(y, [str(i) for i in values.index])
    ax.set_xlabel(xlabel)
    ax.set_title(title, loc="left", fontsize=10, color=INK)
    ax.legend(frameon=False, fontsize=8)
    return _svg(fig)
