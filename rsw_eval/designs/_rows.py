"""The results contract: column names and the row builder every design uses (DESIGN.md)."""

from __future__ import annotations

import math
from typing import Any

#: Contract columns (DESIGN.md), then rsw-eval's extensions.
RESULT_COLUMNS = (
    "outcome",
    "family",
    "design",
    "measure",
    "treatment",
    "comparison",
    "n_treatment",
    "n_comparison",
    "value_treatment",
    "value_comparison",
    "difference",
    "effect_size_name",
    "effect_size",
    "ci_low",
    "ci_high",
    "test",
    "statistic",
    "df",
    "p_value",
    "p_adjusted",
    "adjustment",
    "interpretation",
    "suppressed",
    "note",
    # extensions
    "primary",
    "method",
    "ci_level",
    "difference_ci_low",
    "difference_ci_high",
    "sd_treatment",
    "sd_comparison",
    "scale",
    "period",
    "published_key",
    "published_value",
    "published_source",
    "reproduced",
    # authority (issue 18): the adopter's own first year with the model, and a row's years since it
    "adoption_year",
    "event_time",
    # power (issue 19): the question the row tests, and what its test could detect
    "question",
    "mde_low",
    "mde_high",
    "mde_alpha",
    "power",
    "power_effect",
    "mde_note",
    # power (issue 19, F5): the MDE's range from resampling the placebos, and how many there were
    "mde_low_min",
    "mde_low_max",
    "mde_high_min",
    "mde_high_max",
    "mde_units",
    # robustness (issue 19 items 4-5): parallel-trends sensitivity, pre-trend test, pre-period fit
    "breakdown_mbar",
    "breakdown_m",
    "pretrend_p",
    "pretrend_slope80",
    "prefit_rmspe",
    "prefit_ratio",
)
MEASURES = ("mean", "proportion", "rate", "percent_change", "count")
_TEXT = {
    "outcome",
    "family",
    "design",
    "measure",
    "treatment",
    "comparison",
    "effect_size_name",
    "test",
    "adjustment",
    "interpretation",
    "note",
    "method",
    "scale",
    "period",
    "published_key",
    "published_value",
    "published_source",
    "question",
    "mde_note",
}


def make_row(**values: Any) -> dict[str, Any]:
    """One results row with every contract column present (NaN or empty where not applicable)."""
    unknown = set(values) - set(RESULT_COLUMNS)
    if unknown:
        raise KeyError(f"not result columns: {sorted(unknown)}")
    if values.get("measure") not in MEASURES:
        raise ValueError(f"measure must be one of {MEASURES}. Got {values.get('measure')!r}.")
    row: dict[str, Any] = {}
    for col in RESULT_COLUMNS:
        default: Any = "" if col in _TEXT else math.nan
        if col in ("suppressed", "reproduced"):
            default = False if col == "suppressed" else None
        if col == "primary":
            default = True
        row[col] = values.get(col, default)
    return row


#: Columns of ``Results.skipped``: one record per analysis the spec asked for that gave no rows.
SKIPPED_COLUMNS = ("family", "design", "outcome", "treatment", "reason")
#: How many respondents of each survey group gave each answer of an item
#: (:func:`rsw_eval.designs._answers.answer_counts`; never written).
ANSWER_COLUMNS = ("family", "scope", "group", "outcome", "value", "count")
#: The ``scope`` of the answer counts of each unit-model authority where the unit-model group pools
#: several: never a row's group, but the clustered and multilevel rows weigh each authority's
#: answers (att9 H1), so the publication asks whether one of them is small.
ADOPTER = "adopter"


def skip_row(*, family: str, design: str, outcome: str, reason: str, treatment: str = "") -> dict[str, Any]:
    """A record that an analysis was asked for but gives no rows, and why (never a silent drop).

    Designs return these among their result rows; the engine moves them to ``Results.skipped``.

    Examples
    --------
    >>> skip_row(family="admin", design="did", outcome="children_looked_after",
    ...          reason="no year before 2008 in the data")["reason"]
    'no year before 2008 in the data'
    """
    return {
        "_skipped": True,
        "family": family,
        "design": design,
        "outcome": outcome,
        "treatment": treatment,
        "reason": reason,
    }


def is_skip(row: dict[str, Any]) -> bool:
    """True for a :func:`skip_row` record."""
    return bool(row.get("_skipped"))


def from_stat(result, **values: Any) -> dict[str, Any]:
    """A row whose effect-size and test columns come from a :class:`~rsw_eval.stats.StatResult`."""
    base = {
        "effect_size_name": result.name,
        "effect_size": result.estimate,
        "ci_low": result.ci_low,
        "ci_high": result.ci_high,
        "test": result.test,
        "statistic": result.statistic,
        "df": result.df,
        "p_value": result.p_value,
        "method": result.method,
    }
    if not result.valid:
        base["note"] = f"not computed: {result.reason}"
    elif result.reason:
        base["note"] = result.reason
    base.update(values)
    return make_row(**base)


def group_name(comparison: str, treatment: str) -> str:
    """The name of a row's comparison group in the auditor's ledger: a conventional group that
    carries the unit-model group's label (a respondent of the unit-model authority coded
    ``conventional``: findings-q20att F1) is a group of its own, not the unit-model group.

    Examples
    --------
    >>> group_name("A LA", "U"), group_name("U", "U")
    ('A LA', 'U (conventional respondents)')
    """
    return f"{comparison} (conventional respondents)" if comparison == treatment else comparison
