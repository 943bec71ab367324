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

__all__ = ["PUBLISHED", "PublishedFigure", "match_published"]

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


_HACKNEY = "Hackney (unit model)"
_BA = {"design": "before_after", "primary": True}
_POOLED = {"design": "cross_section", "comparison": "all conventional", "primary": True}

PUBLISHED: tuple[PublishedFigure, ...] = (
    PublishedFigure(
        "cost_change",
        "The cost of children's social care fell by 4.97%",
        "CC-Munro",
        _HACKNEY,
        "2008-09 to 2009-10 (as evaluated)",
        "value",
        -4.97,
        "%",
        0.005,
        match={"design": "cost_change", "outcome": "total_cost"},
    ),
    PublishedFigure(
        "cla_fall_30pct",
        "Looked-after children fell 30% between 2005-6 and 2008-9",
        "CC-Munro",
        _HACKNEY,
        "2005-06 to 2008-09",
        "value",
        -30.0,
        "%",
        0.5,
        match={**_BA, "outcome": "children_looked_after", "period": "2006->2009"},
    ),
    PublishedFigure(
        "cla_470_2006",
        "470 children in care in 2006",
        "CC-Units",
        _HACKNEY,
        "2006",
        "value",
        470,
        "",
        0.5,
        column="value_comparison",
        match={**_BA, "outcome": "children_looked_after", "period": "2006->2010"},
    ),
    PublishedFigure(
        "cla_314_2010",
        "314 children in care today (2010)",
        "CC-Units",
        _HACKNEY,
        "2010",
        "value",
        314,
        "",
        0.5,
        column="value_treatment",
        match={**_BA, "outcome": "children_looked_after", "period": "2006->2010"},
    ),
    PublishedFigure(
        "sickness_1566_200809",
        "Sickness days 15.66 on average in 2008-9",
        "CC-Munro",
        _HACKNEY,
        "2008-09",
        "value",
        15.66,
        " days",
        0.005,
        column="value_comparison",
        match={**_BA, "outcome": "sickness_days_per_fte", "period": "2009->2010"},
        note="one of two base years the sources give for 15.66 days",
    ),
    PublishedFigure(
        "sickness_7_200910",
        "Sickness days fell to seven in 2009-10",
        "CC-Munro",
        _HACKNEY,
        "2009-10",
        "value",
        7,
        " days",
        0.5,
        column="value_treatment",
        match={**_BA, "outcome": "sickness_days_per_fte", "period": "2009->2010"},
    ),
    PublishedFigure(
        "sickness_fall_55pct",
        "A 55% fall in staff days lost to sickness",
        "DfE",
        _HACKNEY,
        "2008-09 to 2009-10",
        "value",
        -55,
        "%",
        0.5,
        match={**_BA, "outcome": "sickness_days_per_fte", "period": "2009->2010"},
    ),
    PublishedFigure(
        "sickness_1566_200607",
        "Sickness fell from an average 15.66 days in 2006-7",
        "CC-Units",
        _HACKNEY,
        "2006-07",
        "value",
        15.66,
        " days",
        0.005,
        column="value_comparison",
        match={**_BA, "outcome": "sickness_days_per_fte", "period": "2007->2010"},
        note="the other base year given for 15.66 days",
    ),
    PublishedFigure(
        "sickness_893_200910_part",
        "... to 8.93 days so far for 2009-10",
        "CC-Units",
        _HACKNEY,
        "2009-10 (part year)",
        "unmeasured",
        note="a part-year figure: full-year data cannot reproduce it",
    ),
    PublishedFigure(
        "agency_40pct",
        "Use of agency staff has fallen from around 40%",
        "CC-Units",
        _HACKNEY,
        "before the units (2006-07 in the sample)",
        "value",
        40,
        "%",
        1.0,
        column="value_comparison",
        match={**_BA, "outcome": "agency_worker_pct", "period": "2007->2010"},
    ),
    PublishedFigure(
        "agency_266pct",
        "... to 26.6%",
        "CC-Units",
        _HACKNEY,
        "2009-10",
        "value",
        26.6,
        "%",
        0.05,
        column="value_treatment",
        match={**_BA, "outcome": "agency_worker_pct", "period": "2007->2010"},
    ),
    PublishedFigure(
        "reflection_teams",
        "More than half of old-style team respondents had no time for critical reflection",
        "CC-Munro",
        "conventional teams",
        "2009-10",
        "above",
        0.5,
        "",
        column="value_comparison",
        match={**_POOLED, "outcome": "no_time_for_reflection"},
    ),
    PublishedFigure(
        "reflection_units",
        "Less than one in five staff from units felt similarly",
        "CC-Munro",
        "unit model",
        "2009-10",
        "below",
        0.2,
        "",
        column="value_treatment",
        match={**_POOLED, "outcome": "no_time_for_reflection"},
    ),
    PublishedFigure(
        "contact_2_3x",
        "Families saw their workers 2 to 3 times more than in comparator authorities",
        "DfE",
        "unit model vs comparators",
        "2013",
        "range",
        low=2.0,
        high=3.0,
        unit=" times",
        match={**_POOLED, "outcome": "contact_rate"},
    ),
    PublishedFigure(
        "parent_ratings",
        "Parent ratings were higher, and statistically significant, across a range of areas",
        "DfE",
        "unit model vs comparators",
        "2013",
        "direction",
        1.0,
        significant=True,
        match={**_POOLED, "outcome": "rating_*"},
    ),
    PublishedFigure(
        "stress_lower",
        "Workers were less stressed",
        "CC-Stress",
        "unit model vs comparators",
        "2013",
        "direction",
        -1.0,
        match={**_POOLED, "outcome": "ghq_score"},
    ),
    PublishedFigure(
        "satisfaction_higher",
        "Workers enjoyed their work more",
        "CC-Stress",
        "unit model vs comparators",
        "2013",
        "direction",
        1.0,
        match={**_POOLED, "outcome": "job_satisfaction"},
    ),
    PublishedFigure(
        "violence_lower",
        "Less violence and aggression from parents",
        "CC-Stress",
        "unit model vs comparators",
        "2013",
        "direction",
        -1.0,
        match={**_POOLED, "outcome": "experienced_violence"},
    ),
    PublishedFigure(
        "confidence_higher",
        "Greater confidence in their assessments",
        "CC-Stress",
        "unit model vs comparators",
        "2013",
        "direction",
        1.0,
        match={**_POOLED, "outcome": "confidence_assessment"},
    ),
    PublishedFigure(
        "repeat_cp_lower",
        "Lower rates of second or subsequent child protection plans",
        "DfE",
        _HACKNEY,
        "after 2008",
        "direction",
        -1.0,
        match={"design": "did", "outcome": "cp_plans_repeat_pct"},
    ),
    PublishedFigure(
        "applicants",
        "1,403 people applied for 142 social work unit posts",
        "CC-Units",
        _HACKNEY,
        "2008-10",
        "unmeasured",
        note="recruitment is not in the data",
    ),
)


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
    table: pd.DataFrame, registry: tuple[PublishedFigure, ...] = PUBLISHED
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
