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

__all__ = ["ALPHA", "SCOPES", "SOURCES", "PublishedFigure", "valid_test"]

#: Level of the test a directional claim needs.
ALPHA = 0.05
#: Scopes of cost figures: the evaluations' "cost of children's social care" versus the whole
#: children's and young people's services budget that the S52/S251 totals give.
SCOPES = {
    "csc": "children's social care",
    "childrens_social_care": "children's social care",
    "cyps": "children's and young people's services",
}

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
    and a valid test gives p < 0.05: a claim of a difference is not reproduced by a null result),
    or ``"unmeasured"`` (no data in the results measure it).

    A row is the same claim only when it is about the same authority (``la_code``: the Hackney
    figures are never checked against another authority), the same period (``match`` holds the
    period) and the same scope (``scope``: the cost figure is of children's social care; cost data
    of a wider scope give "different scope", not "not reproduced"). ``official`` names the public
    series that measures the claim for the official-statistics check: ``(indicator, year)`` or
    ``(indicator, (from_year, to_year))`` for a percent change; ``official_note`` says what is known
    about a gap.
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
    la_code: str = ""
    scope: str = ""
    official: tuple = ()
    official_note: str = ""

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
            return bool(self.same_direction(row) and valid_test(row) and row["p_adjusted"] < ALPHA)
        return False

    def same_direction(self, row: pd.Series) -> bool:
        """The row's estimate points the way the claim does (ratios: against 1)."""
        x = row[self.column]
        if x is None or (isinstance(x, float) and not np.isfinite(x)):
            return False
        ratio = str(row.get("effect_size_name", "")).endswith("ratio")
        return bool(np.sign(x - (1.0 if ratio else 0.0)) == np.sign(self.value))


#: ``question`` of rows that compare places (rsw_eval.spec._questions.PLACES): never a test of a claim
#: about the model.
PLACES = "places"


def valid_test(row: pd.Series) -> bool:
    """Whether a results row is a valid test of a claim about the model: it tests a question of the
    evaluation (not a comparison of places, not a sensitivity or descriptive row) and has an
    adjusted p-value.

    Examples
    --------
    >>> import pandas as pd
    >>> valid_test(pd.Series({"question": "admin", "p_adjusted": 0.03}))
    True
    >>> valid_test(pd.Series({"question": "places", "p_adjusted": float("nan")}))
    False
    """
    q = row.get("question", "")
    p = row.get("p_adjusted", np.nan)
    return bool(isinstance(q, str) and q not in ("", PLACES) and p is not None and np.isfinite(p))
