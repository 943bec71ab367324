"""Primary suppression (rules 1-6 of :mod:`rsw_eval.disclosure`) cell by cell and line by line, and
the rule sets."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from rsw_eval._errors import RswEvalError
from rsw_eval.io._indicators import COUNT_INDICATORS

__all__ = [
    "COUNT_OUTCOMES",
    "IDENTIFIER_COLUMNS",
    "RULE_SETS",
    "RuleSet",
    "Suppression",
    "protect",
    "rule_set",
    "suppress_counts",
]

IDENTIFIER_COLUMNS = frozenset(
    {"case_id", "respondent_id", "CHILD", "UPN", "HOME_POST", "PL_POST", "URN", "postcode", "name"}
)
#: Admin indicators that are counts of children or plans (rule 3).
COUNT_OUTCOMES = COUNT_INDICATORS
DERIVED = (
    "value_treatment",
    "value_comparison",
    "difference",
    "difference_ci_low",
    "difference_ci_high",
    "effect_size",
    "ci_low",
    "ci_high",
    "statistic",
    "df",
    "p_value",
    "p_adjusted",
    "sd_treatment",
    "sd_comparison",
    # what the row's test could detect: from its standard error and the comparison level (issue 19)
    "mde_low",
    "mde_high",
    "power",
    "power_effect",
)
#: Every statistic computed from both groups of a row (suppressed with either group, rule 6).
STATISTICS = tuple(c for c in DERIVED if not c.endswith(("_treatment", "_comparison")))
SIDES = {
    "treatment": ("n_treatment", "value_treatment", "sd_treatment"),
    "comparison": ("n_comparison", "value_comparison", "sd_comparison"),
}
RULE_SETS = ("default", "dfe")


@dataclass(frozen=True)
class Suppression:
    """What was suppressed and why (never the value itself)."""

    where: str
    columns: str
    reason: str


@dataclass(frozen=True)
class RuleSet:
    """A disclosure rule set: counts from 1 to ``threshold`` are suppressed; sub-national counts of
    years from ``round_from`` on are rounded to the nearest ``round_to`` (1: not rounded)."""

    name: str
    threshold: int
    round_to: int = 1
    round_from: int | None = None

    @property
    def description(self) -> str:
        text = f"counts from 1 to {self.threshold} suppressed, with secondary suppression"
        if self.name == "dfe":
            return (
                f"DfE rules: {text}; sub-national counts from {self.round_from} rounded to the "
                f"nearest {self.round_to}"
            )
        return f"rsw-eval default: {text}"


def rule_set(name: str = "default", threshold: int = 5) -> RuleSet:
    """The rule set called ``name`` (:data:`RULE_SETS`); ``threshold`` applies to ``"default"``.

    Examples
    --------
    >>> rule_set("dfe").threshold, rule_set("dfe").round_to, rule_set("default", 3).description
    (7, 5, 'rsw-eval default: counts from 1 to 3 suppressed, with secondary suppression')
    """
    if name == "dfe":
        return RuleSet("dfe", 7, round_to=5, round_from=2012)
    if name != "default":
        raise ValueError(f"disclosure_rules must be one of {', '.join(RULE_SETS)}. Got {name!r}.")
    return RuleSet("default", int(threshold))


def _small(x: float, threshold: int) -> bool:
    return bool(np.isfinite(x) and 1 <= round(x) <= threshold)


def protect(table: pd.DataFrame, threshold: int = 5) -> tuple[pd.DataFrame, list[Suppression]]:
    """Apply rules 1-3 to a results table; return the protected copy and the list of suppressions.

    Suppressed cells become NaN (rendered ``c``) and the row's ``suppressed`` is True.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame([{"outcome": "experienced_violence", "design": "cross_section",
    ...     "family": "worker",
    ...     "measure": "proportion", "comparison": "all", "n_treatment": 40, "n_comparison": 60,
    ...     "value_treatment": 0.05, "value_comparison": 0.3, "difference": -0.25,
    ...     "difference_ci_low": -0.4, "difference_ci_high": -0.1, "effect_size": -0.25,
    ...     "ci_low": -0.4, "ci_high": -0.1, "statistic": 9.0, "suppressed": False}])
    >>> out, log = protect(t)
    >>> out.loc[0, ["value_treatment", "effect_size"]].isna().all(), log[0].reason
    (np.True_, 'a proportion of 1-5 people (rule 2)')
    """
    bad = IDENTIFIER_COLUMNS & set(table.columns)
    if bad:
        raise RswEvalError(f"identifier columns must never reach a report: {sorted(bad)}")
    out = table.copy()
    for col in ("n_treatment", "n_comparison", *DERIVED):
        if col in out:
            out[col] = pd.to_numeric(out[col], errors="coerce").astype(float)
    log: list[Suppression] = []
    for i, row in out.iterrows():
        where = f"{row.get('outcome', '')} / {row.get('design', '')} / {row.get('comparison', '')}"
        people = row.get("family") in ("worker", "parent")  # n counts people, not authorities
        if people and any(_small(row.get(c, np.nan), threshold) for c in ("n_treatment", "n_comparison")):
            cols = [c for c in ("n_treatment", "n_comparison") if _small(row.get(c, np.nan), threshold)]
            out.loc[i, [*cols, *[c for c in DERIVED if c in out]]] = np.nan
            log.append(
                Suppression(
                    where,
                    ", ".join(cols) + " and every statistic",
                    f"a group of 1-{threshold} people (rule 1)",
                )
            )
        elif people and row.get("measure") == "proportion":
            counts = []
            for v, n in (("value_treatment", "n_treatment"), ("value_comparison", "n_comparison")):
                p, size = row.get(v, np.nan), row.get(n, np.nan)
                if np.isfinite(p) and np.isfinite(size):
                    counts += [p * size, (1 - p) * size]
            if any(_small(x, threshold) for x in counts):
                out.loc[i, [c for c in DERIVED if c in out]] = np.nan
                log.append(
                    Suppression(
                        where,
                        "proportions and every statistic derived from them",
                        f"a proportion of 1-{threshold} people (rule 2)",
                    )
                )
        elif (
            row.get("outcome") in COUNT_OUTCOMES
            and row.get("design") in ("before_after", "its", "did")
            and any(_small(row.get(c, np.nan), threshold) for c in ("value_treatment", "value_comparison"))
        ):
            out.loc[i, [c for c in DERIVED if c in out]] = np.nan
            log.append(
                Suppression(
                    where,
                    "counts and the changes computed from them",
                    f"a count of 1-{threshold} (rule 3)",
                )
            )
    checked = [c for c in ("n_treatment", "n_comparison", *DERIVED) if c in out]
    hidden = table[checked].apply(pd.to_numeric, errors="coerce").notna() & out[checked].isna()
    previously = table["suppressed"].astype(bool) if "suppressed" in table else False
    out["suppressed"] = hidden.any(axis=1) | previously
    return out, log


def suppress_counts(counts: pd.DataFrame, threshold: int = 5) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Primary and secondary suppression of a table of counts whose row and column totals are shown.

    Parameters
    ----------
    counts : DataFrame
        Non-negative counts (without total rows or columns).
    threshold : int
        Counts from 1 to this are suppressed (rule 1); then rule 5 until no row or column has
        exactly one suppressed cell.

    Returns
    -------
    (values, mask)
        ``values``: the counts with suppressed cells as NaN; ``mask``: True where suppressed.
        Row and column totals of the original table may be shown beside ``values``.

    Examples
    --------
    >>> import pandas as pd
    >>> c = pd.DataFrame({"unit": [3, 40, 50], "conventional": [30, 45, 60]})
    >>> values, mask = suppress_counts(c)
    >>> mask.to_numpy().tolist()
    [[True, True], [True, True], [False, False]]
    """
    values = counts.astype(float).to_numpy()
    mask = (values >= 1) & (values <= threshold)
    changed = True
    while changed:
        changed = False
        for axis in (0, 1):
            lines = mask if axis == 1 else mask.T
            vals = values if axis == 1 else values.T
            for k in range(lines.shape[0]):
                if lines[k].sum() == 1:
                    candidates = np.where(~lines[k] & (vals[k] > 0), vals[k], np.inf)
                    if np.isfinite(candidates.min()):
                        j = int(np.argmin(candidates))
                        if axis == 1:
                            mask[k, j] = True
                        else:
                            mask[j, k] = True
                        changed = True
    out = counts.astype(float).mask(mask)
    return out, pd.DataFrame(mask, index=counts.index, columns=counts.columns)
