"""Figures the evaluations published, with their sources, and how to check a results table against them.

Sources (``../shared/seeds`` of the project):
  [CC-Munro]  "Munro plaudit for Hackney's Reclaim Social Work model", Community Care (2010), on
              Cross, Hubbard & Munro (LSE, 2010).
  [DfE]       DfE case study "Reclaiming social work in Hackney", on Forrester et al. (2013).
  [CC-Stress] "Stress-busting Hackney model ...", Community Care (2013), on Forrester et al. (2013).
  [CC-Units]  "How Hackney has replaced social work teams with 'units'", Community Care (2010).
  [Hackney]   Hackney Council press release on the Munro interim report.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["PUBLISHED", "SOURCES", "PublishedFigure", "match_published"]  # noqa: F822 (lazy)

SOURCES = {
    "CC-Munro": "Community Care, 'Munro plaudit for Hackney's Reclaim Social Work model' "
    "(Cross, Hubbard & Munro 2010)",
    "DfE": "DfE case study 'Reclaiming social work in Hackney' (Forrester et al. 2013)",
    "CC-Stress": "Community Care, 'Stress-busting Hackney model under threat' (Forrester et al. 2013)",
    "CC-Units": "Community Care, 'How Hackney has replaced social work teams with units' (2010)",
    "Hackney": "Hackney Council press release on the Munro interim report",
}


@dataclass(frozen=True)
class PublishedFigure:
    """One published figure and the results rows that measure the same thing.

    ``kind``: ``"value"`` (``column`` of the matched row equals ``value`` within ``tolerance``, the
    published rounding), ``"range"`` (``low <= column <= high``), ``"below"``/``"above"``
    (``column < value`` / ``column > value``), ``"direction"`` (``column`` has the sign of ``value``
    and, when ``significant``, p < 0.05), or ``"unmeasured"`` (no data in the results measure it).
    """

    key: str
    statement: str
    source: str
    authority: str
    period: str
    kind: str
    value: float = np.nan
    unit: str = ""
    tolerance: float = 0.0
    low: float = np.nan
    high: float = np.nan
    significant: bool = False
    column: str = "effect_size"
    match: dict[str, Any] = field(default_factory=dict)
    note: str = ""

    @property
    def published(self) -> str:
        if self.kind == "range":
            return f"{self.low:g} to {self.high:g}{self.unit}"
        if self.kind in ("below", "above"):
            return f"{'<' if self.kind == 'below' else '>'} {self.value:g}{self.unit}"
        if self.kind == "direction":
            return ("lower" if self.value < 0 else "higher") + (
                ", statistically significant" if self.significant else ""
            )
        if self.kind == "unmeasured":
            return self.statement
        return f"{self.value:g}{self.unit}"

    def holds(self, row: pd.Series) -> bool:
        x = row[self.column]
        if x is None or (isinstance(x, float) and not np.isfinite(x)):
            return False
        if self.kind == "value":
            return bool(abs(x - self.value) <= self.tolerance + 1e-9)
        if self.kind == "range":
            return bool(self.low <= x <= self.high)
        if self.kind == "below":
            return bool(x < self.value)
        if self.kind == "above":
            return bool(x > self.value)
        if self.kind == "direction":
            sign_ok = np.sign(x) == np.sign(self.value)
            return bool(sign_ok and (not self.significant or row["p_value"] < 0.05))
        return False


def _registry() -> tuple[PublishedFigure, ...]:
    from rsw_eval._registry import PUBLISHED as figures  # the entries need this module's class

    return figures


def __getattr__(name: str):
    if name == "PUBLISHED":
        return _registry()
    raise AttributeError(name)


def _mask(table: pd.DataFrame, criteria: dict[str, Any]) -> pd.Series:
    """Rows meeting every criterion; a string ending in ``*`` matches by prefix."""
    mask = pd.Series(True, index=table.index)
    for column, wanted in criteria.items():
        if column not in table.columns:
            return pd.Series(False, index=table.index)
        if isinstance(wanted, str) and wanted.endswith("*"):
            mask &= table[column].astype(str).str.startswith(wanted[:-1])
        else:
            mask &= table[column] == wanted
    return mask


def match_published(
    table: pd.DataFrame, registry: tuple[PublishedFigure, ...] | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Mark the rows that measure a published figure and say whether it is reproduced.

    Returns
    -------
    (table, published)
        ``table`` with ``published_key``, ``published_value``, ``published_source`` and
        ``reproduced`` filled on matched rows (several figures on one row are joined with "; "
        and reproduced only if all are); ``published``: one row per figure with ``key``,
        ``statement``, ``source``, ``published``, ``reproduced_value``, ``matched_rows`` and
        ``reproduced`` (None when nothing in the results measures it).

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame([{"design": "cost_change", "outcome": "total_cost", "effect_size": -4.97,
    ...                    "p_value": float("nan"), "primary": True, "published_key": "",
    ...                    "published_value": "",
    ...                    "published_source": "", "reproduced": None}])
    >>> _, pub = match_published(t)
    >>> pub.set_index("key").loc["cost_change", "reproduced"]
    True
    """
    registry = _registry() if registry is None else registry
    table = table.copy()
    for col in ("published_key", "published_value", "published_source"):
        table[col] = table[col].astype(object)
    table["reproduced"] = table["reproduced"].astype(object)
    summary = []
    for fig in registry:
        hits = [] if fig.kind == "unmeasured" else list(table.index[_mask(table, fig.match)])
        ok = [fig.holds(table.loc[i]) for i in hits]
        values = [table.loc[i, fig.column] for i in hits]
        for i, good in zip(hits, ok, strict=True):
            for col, add in (
                ("published_key", fig.key),
                ("published_value", fig.published),
                ("published_source", SOURCES[fig.source]),
            ):
                table.at[i, col] = add if not table.at[i, col] else f"{table.at[i, col]}; {add}"
            previous = table.at[i, "reproduced"]
            table.at[i, "reproduced"] = good if previous is None else bool(previous and good)
        summary.append(
            {
                "key": fig.key,
                "statement": fig.statement,
                "source": SOURCES[fig.source],
                "source_key": fig.source,
                "authority": fig.authority,
                "period": fig.period,
                "published": fig.published,
                "reproduced_value": "; ".join(f"{v:.4g}" for v in values),
                "matched_rows": len(hits),
                "reproduced": (all(ok) if hits else None),
                "note": fig.note
                or ("" if hits or fig.kind == "unmeasured" else "no results row measures this"),
            }
        )
    return table, pd.DataFrame(summary)
