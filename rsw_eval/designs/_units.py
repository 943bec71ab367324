"""The unit an indicator's change is in: one rule for ``compare``'s rows and every report.

Percentages, shares and 0/1 indicators change in **percentage points**; every other indicator in
**percent**. A share's scale is read from its values, not trusted to its name: a ``*_share`` whose
values go above 1 is a 0-100 percentage (a change of 7.5 pp, not 750 pp). The comparators' context
row of a before/after change states its median in ``effect_size`` and its range in ``note``
(:func:`range_note`), which the reports read back (:func:`note_range`) rather than recompute.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

__all__ = ["SHARE_SUFFIXES", "change_between", "note_range", "points_scale", "polarity_table", "range_note"]

#: Names of indicators that are percentages (0 to 100): their change is in percentage points.
PERCENT_SUFFIXES = ("_pct", "_percent", "_percentage")
#: Names of indicators that are shares: 0 to 1 (change x 100), or 0 to 100 if a value is above 1.
SHARE_SUFFIXES = ("_share", "_proportion", "_prop")
_POLARITY = Path(__file__).resolve().parents[1] / "data" / "indicator_polarity.csv"


@cache
def polarity_table() -> pd.DataFrame:
    """The bundled polarity of each indicator: ``lower`` (lower is better), ``higher`` or
    ``neutral`` (no direction is better: no quartile band), with its kind and the reason.

    Examples
    --------
    >>> polarity_table().loc["cp_plans_repeat_pct", "polarity"]
    'lower'
    """
    return pd.read_csv(_POLARITY, dtype=str, keep_default_na=False).set_index("indicator")


@cache
def _percent_kind() -> frozenset[str]:
    """The indicators the shipped polarity table calls percentages (``agency_rate_fte``, ...)."""
    table = polarity_table()
    return frozenset(table.index[table["kind"] == "percent"])


def points_scale(indicator: str, values: np.ndarray) -> float | None:
    """How an indicator changes in percentage points: ``1`` for a percentage (``*_pct``,
    ``*_percent``, ``*_percentage``, or of kind ``percent`` in the polarity table) and for a
    ``*_share`` / ``*_proportion`` whose values go above 1 (a share stored 0-100), ``100`` for a
    0-1 share or a 0/1 indicator (every value 0 or 1), ``None`` for a level (percent change). A
    percent change of a 0/1 indicator is not defined from 0 and says nothing from 1.

    ``values`` are every value of the indicator the change is taken over (all authorities and
    years), so the scale is the data's, not one authority's.

    Examples
    --------
    >>> points_scale("cp_plans_repeat_pct", np.array([12.0])), points_scale("agency_rate_fte", np.array([9]))
    (1.0, 1.0)
    >>> points_scale("high_repeat", np.array([0.0, 1.0, np.nan])), points_scale("cla", np.array([3.0]))
    (100.0, None)
    >>> points_scale("repeat_share", np.array([0.093, 0.168])), points_scale("repeat_share", np.array([9.3]))
    (100.0, 1.0)
    """
    name = indicator.lower()
    if name.endswith(PERCENT_SUFFIXES) or indicator in _percent_kind():
        return 1.0
    finite = np.asarray(values, dtype=float)
    finite = finite[np.isfinite(finite)]
    if name.endswith(SHARE_SUFFIXES):
        return 1.0 if finite.size and (np.abs(finite) > 1).any() else 100.0
    if finite.size and np.isin(finite, (0.0, 1.0)).all():
        return 100.0
    return None


def change_between(before, after, points: float | None):
    """The change from ``before`` to ``after``: in percentage points when ``points`` (the scale to
    them, :func:`points_scale`) is given, else in percent (NaN from a baseline that is not positive).

    Examples
    --------
    >>> change_between(0.0, 1.0, 100.0), round(change_between(384.0, 352.0, None), 2)
    (100.0, -8.33)
    """
    before, after = np.asarray(before, dtype=float), np.asarray(after, dtype=float)
    if points:
        out = points * (after - before)
    else:
        with np.errstate(divide="ignore", invalid="ignore"):
            out = np.where(before > 0, 100 * (after / np.where(before > 0, before, 1) - 1), np.nan)
    return float(out) if out.ndim == 0 else out


def range_note(changes: np.ndarray, unit: str) -> str:
    """The note of the comparators' context row: their median and range, to 4 significant figures.

    Examples
    --------
    >>> range_note(np.array([-12.34, 4.05, 12.8]), "pp")
    "comparators' change, for context: median 4.05pp, range -12.34 to 12.8pp; no interval"
    """
    return (
        f"comparators' change, for context: median {np.median(changes):.4g}{unit}, "
        f"range {changes.min():.4g} to {changes.max():.4g}{unit}; no interval"
    )


_RANGE = re.compile(r"range (\S+) to (\S+?)(?:pp|%)?;")


def note_range(note: str) -> tuple[float, float] | None:
    """The comparators' range read back from their row's note (:func:`range_note`); ``None`` when
    the note does not state one.

    Examples
    --------
    >>> note_range(range_note(np.array([-12.34, 4.05, 12.8]), "pp")), note_range("")
    ((-12.34, 12.8), None)
    """
    hit = _RANGE.search(str(note))
    if not hit:
        return None
    try:
        return float(hit.group(1)), float(hit.group(2))
    except ValueError:
        return None
