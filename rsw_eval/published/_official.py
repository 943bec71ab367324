"""The official-statistics check: each published claim beside what the public series shows."""

from __future__ import annotations

import numpy as np
import pandas as pd

from rsw_eval.inputs._vintages import compact_years, rounding_step
from rsw_eval.published._figure import SCOPES, PublishedFigure

__all__ = ["OFFICIAL_COLUMNS", "official_check"]

#: Columns of ``Results.official_check``.
OFFICIAL_COLUMNS = (
    "key",
    "statement",
    "published",
    "la_code",
    "indicator",
    "years",
    "official_value",
    "official",
    "official_source",
    "other_values",
    "status",
    "reason",
)


def _rounding(row: pd.Series) -> float:
    return float(rounding_step(row.to_frame().T)[0])


def _others(superseded: pd.DataFrame | None, code: str, indicator: str, years: list[int]) -> str:
    if superseded is None or superseded.empty:
        return ""
    alt = superseded[
        (superseded["la_code"] == code)
        & (superseded["indicator"] == indicator)
        & superseded["year"].isin(years)
    ]
    return "; ".join(
        f"{_num(r['value'])} in {r['year']} ({r['source']}"
        + (f", rounded to {_rounding(r):g}" if _rounding(r) else "")
        + ")"
        for _, r in alt.iterrows()
        if np.isfinite(r["value"])
    )


def _row(fig: PublishedFigure, **values) -> dict:
    base = dict.fromkeys(OFFICIAL_COLUMNS, "")
    base.update(key=fig.key, statement=fig.statement, published=fig.published, la_code=fig.la_code)
    base["official_value"] = np.nan
    base.update(values)
    return base


def _absent(panel: pd.DataFrame | None, data: str, code: str) -> str:
    if panel is None or panel.empty:
        return f"the spec loads no {data} data"
    return f"the {data} data do not cover {code}"


def _num(v: float) -> str:
    return f"{v:,.0f}" if abs(v) >= 10000 else f"{v:g}"


def _compare(fig: PublishedFigure, rows: list[pd.Series], change: bool) -> tuple[float, str, str, str]:
    """Official value, its display, status and reason for a value or a percent-change claim."""
    v = [float(r["value"]) for r in rows]
    half = [_rounding(r) / 2 for r in rows]
    src = ", ".join(dict.fromkeys(str(r["source"]) for r in rows))
    rounded = any(half)
    if change:
        official = 100 * (v[1] / v[0] - 1)
        low = 100 * ((v[1] - half[1]) / (v[0] + half[0]) - 1)
        high = 100 * ((v[1] + half[1]) / (v[0] - half[0]) - 1)
        shown = f"{official:+.1f}% ({_num(v[0])} in {rows[0]['year']} to {_num(v[1])} in {rows[1]['year']})"
        allowed = f"{low:+.1f}% to {high:+.1f}%"
    else:
        official = v[0]
        low, high = v[0] - half[0], v[0] + half[0]
        shown = f"{_num(official)} in {rows[0]['year']}"
        allowed = f"{_num(low)} to {_num(high)}"
    pub, tol = fig.value, fig.tolerance
    if abs(pub - official) <= tol + 1e-9:
        return official, shown, "matches", ""
    if rounded and low - tol <= pub <= high + tol:
        return official, shown, "within rounding", f"the source is rounded ({src}): it allows {allowed}"
    unit = "percentage points" if change else ""
    reason = f"published {pub:g}{fig.unit}, official {shown}: a gap of {pub - official:+.3g} {unit}".rstrip()
    if rounded:
        reason += f"; outside the {allowed} that the rounded figures allow"
    return official, shown, "differs", reason


def official_check(
    registry: tuple[PublishedFigure, ...],
    sets: dict[str, tuple[pd.DataFrame | None, pd.DataFrame | None]],
    context: dict | None = None,
) -> pd.DataFrame:
    """Each published claim with an ``official`` series beside the value(s) the loaded data give.

    Parameters
    ----------
    registry : tuple of PublishedFigure
        The figures (:data:`rsw_eval.published.PUBLISHED`); those without ``official`` are left out.
    sets : dict
        ``{"admin": (panel, superseded), "cost": (costs, None)}``: the series as used and the
        values other files gave (shown as ``other_values``). ``total_cost`` is read from ``cost``.
    context : dict, optional
        ``cost_scope`` of the cost data (see :func:`rsw_eval.published.match_published`).

    Returns
    -------
    DataFrame
        :data:`OFFICIAL_COLUMNS`. ``status``: ``matches`` (within the published rounding),
        ``within rounding`` (within the source's own rounding, ``rounding`` or ``rounded_to``), ``differs``,
        ``different scope`` or ``not in the data``, with ``reason`` saying why.

    Examples
    --------
    >>> import pandas as pd
    >>> from rsw_eval.published import PUBLISHED
    >>> laa1 = pd.DataFrame({"la_code": "E09000012", "year": [2006, 2007, 2008, 2009, 2010],
    ...     "indicator": "children_looked_after", "value": [460.0, 425, 360, 345, 305],
    ...     "source": "sfr27-2010amv5.xls", "rounding": "nearest 5"})
    >>> t = official_check(PUBLISHED, {"admin": (laa1, None)}).set_index("key")
    >>> t.loc["cla_fall_30pct", ["official", "status"]].tolist()
    ['-25.0% (460 in 2006 to 345 in 2009)', 'differs']
    """
    context = dict(context or {})
    out = []
    for fig in registry:
        if not fig.official:
            continue
        indicator, when = fig.official
        change = isinstance(when, tuple)
        years = list(when) if change else [when]
        data = "cost" if indicator.startswith("total_cost") else "admin"
        panel, superseded = sets.get(data, (None, None))
        common = dict(indicator=indicator, years="->".join(map(str, years)))
        if panel is None or panel.empty or not (panel["la_code"] == fig.la_code).any():
            out.append(
                _row(
                    fig,
                    **common,
                    status="not in the data",
                    reason=f"{_absent(panel, data, fig.la_code)}; {fig.official_note}".rstrip("; "),
                )
            )
            continue
        own = panel[(panel["la_code"] == fig.la_code) & (panel["indicator"] == indicator)]
        rows = [own[own["year"] == y] for y in years]
        if any(r.empty or not np.isfinite(r["value"].iloc[0]) for r in rows):
            have = compact_years(own.loc[np.isfinite(own["value"].to_numpy(dtype=float)), "year"])
            lacking = [
                y for y, r in zip(years, rows, strict=True) if r.empty or not np.isfinite(r["value"].iloc[0])
            ]
            covers = f"it covers {have}" if have else f"the data have no {indicator}"
            reason = f"no {indicator} for {', '.join(map(str, lacking))} ({covers}); {fig.official_note}"
            out.append(_row(fig, **common, status="not in the data", reason=reason.rstrip("; ")))
            continue
        series = [r.iloc[0] for r in rows]
        official, shown, status, reason = _compare(fig, series, change)
        scope = context.get("cost_scope")
        if fig.scope and scope and SCOPES.get(scope, scope) != SCOPES.get(fig.scope, fig.scope):
            status = "different scope"
            reason = (
                f"published for {SCOPES.get(fig.scope, fig.scope)}; the data give {SCOPES.get(scope, scope)}"
            )
        if status != "matches" and fig.official_note and status != "different scope":
            reason = f"{reason}; {fig.official_note}"
        out.append(
            _row(
                fig,
                **common,
                official_value=official,
                official=shown,
                official_source=", ".join(dict.fromkeys(str(r["source"]) for r in series)),
                other_values=_others(superseded, fig.la_code, indicator, years),
                status=status,
                reason=reason,
            )
        )
    return pd.DataFrame(out, columns=list(OFFICIAL_COLUMNS))
