"""The rule sets, and primary and secondary suppression of a plain table of counts with totals."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from rsw_eval.io._indicators import COUNT_INDICATORS
from rsw_eval.io._threshold import check_threshold

__all__ = [
    "COUNT_OUTCOMES",
    "IDENTIFIER_COLUMNS",
    "RATES",
    "RULE_SETS",
    "RuleSet",
    "Suppression",
    "rule_set",
    "suppress_counts",
]

IDENTIFIER_COLUMNS = frozenset(
    {"case_id", "respondent_id", "CHILD", "UPN", "HOME_POST", "PL_POST", "URN", "postcode", "name"}
)
#: Admin indicators that are counts of children or plans (rule 4).
COUNT_OUTCOMES = COUNT_INDICATORS
RULE_SETS = ("default", "dfe")


@dataclass(frozen=True)
class Suppression:
    """Where cells were suppressed and what (never the value itself, nor whether a cell was small
    or hidden to protect another: a log that said so would point at the small one)."""

    where: str
    columns: str
    reason: str


#: Rates and percentages with the count they are computed from: indicator -> (numerator,
#: denominator, scale); value = numerator / denominator x scale. ``None``: a count the series does
#: not hold (it is implied by value x denominator / scale).
RATES = {
    "cla_rate_per_10k": ("children_looked_after", "population_0_17", 10_000),
    "cp_plans_repeat_pct": ("cp_plans_repeat", "cp_plans_started", 100),
    "placements_3plus_pct": (None, "children_looked_after", 100),
    # the dashboard's rates of the counts it publishes (rsw_eval/data/dfe_indicators.csv)
    "referrals_rate_per_10k": ("referrals", "population_0_17", 10_000),
    "rereferral_pct": (None, "referrals", 100),
    "cin_rate_per_10k": ("children_in_need", "population_0_17", 10_000),
    "cpp_rate_per_10k": ("cp_plans", "population_0_17", 10_000),
    "cp_plans_2years_pct": (None, "cp_plans", 100),
    # its percentages of counts a panel may hold beside it (docs/indicators.md: the denominators)
    "placement_long_term_pct": (None, "cla_long_term_under16", 100),
    "care_leavers_19_21_suitable_accommodation_pct": (None, "care_leavers_19_21", 100),
    "care_leavers_17_18_suitable_accommodation_pct": (None, "care_leavers_17_18", 100),
    "care_leavers_19_21_eet_pct": (None, "care_leavers_19_21", 100),
    "care_leavers_17_18_eet_pct": (None, "care_leavers_17_18", 100),
}


@dataclass(frozen=True)
class RuleSet:
    """A disclosure rule set: counts from 1 to ``threshold`` are suppressed; sub-national counts of
    years from ``round_from`` on are rounded to the nearest ``round_to`` (1: not rounded).

    Under ``"dfe"`` these are the fixed rule: an administrative figure whose DfE release rsw-eval's
    registry knows takes its release's own rule instead (:func:`rsw_eval.disclosure.row_rules`);
    ``releases`` says the rules so applied (it does not change what the rule set is: two rule sets
    that differ only there are equal). ``counts``: the administrative indicators that are counts
    (:data:`COUNT_OUTCOMES`, and those a spec declares or a panel shows to be counts:
    :func:`rsw_eval.publication.count_rules`); every rule that asks "is this a count" reads it.
    ``rates``: a spec's declared rates, ``(name, numerator or None, denominator, scale)``, protected
    as :data:`rsw_eval.disclosure.RATES` are; ``guarded``: undeclared indicators whose names say
    they are rates or percentages (and declared rates with no numerator), protected conservatively;
    ``guarded_values``: undeclared indicators whose names say nothing but whose values are not whole,
    hidden only where value x a plausible denominator gives a small count
    (:mod:`rsw_eval.publication._rates`); ``withheld``: guarded rates no denominator of the panel
    explains, every value hidden; ``unprotected``: the spec's ``not_counts``, published as loaded
    where nothing else hides them (a rate of :data:`~rsw_eval.disclosure.RATES` still follows its
    count)."""

    name: str
    threshold: int
    round_to: int = 1
    round_from: int | None = None
    releases: tuple[str, ...] = field(default=(), compare=False)
    counts: frozenset[str] = COUNT_OUTCOMES
    rates: tuple[tuple[str, str | None, str, float], ...] = ()
    guarded: frozenset[str] = frozenset()
    guarded_values: frozenset[str] = frozenset()
    withheld: frozenset[str] = frozenset()
    unprotected: frozenset[str] = frozenset()

    @property
    def description(self) -> str:
        """What the rule set does, in words (every report prints it).

        Examples
        --------
        >>> from dataclasses import replace
        >>> rule_set("dfe").description[:84]
        'DfE rules: each administrative count under the rule of the DfE release it came from,'
        >>> said = "children_looked_after 2025 (local authority): counts 1 to 5 suppressed, not rounded"
        >>> dfe = replace(rule_set("dfe"), releases=(said,))
        >>> said in dfe.description, dfe == rule_set("dfe")
        (True, True)
        """
        text = (
            f"counts from 1 to {self.threshold} suppressed, with secondary suppression until every "
            f"suppressed count's possible range, given everything published, is wider than {self.threshold}"
        )
        if self.name != "dfe":
            return f"rsw-eval default: {text}"
        applied = "; ".join(self.releases) if self.releases else "none in these data"
        return (
            "DfE rules: each administrative count under the rule of the DfE release it came from, "
            f"where rsw-eval's registry of DfE releases knows it ({applied}); every other count "
            f"(survey groups, files the registry does not know, derived indicators): {text}; "
            f"sub-national administrative counts from {self.round_from} rounded to the nearest "
            f"{self.round_to} (survey groups are not rounded: their shares and means are of the "
            "exact group)"
        )


def rule_set(name: str = "default", threshold: int = 5, counts: tuple[str, ...] | frozenset = ()) -> RuleSet:
    """The rule set called ``name`` (:data:`RULE_SETS`); ``threshold`` applies to ``"default"``;
    ``counts`` are count indicators beside :data:`COUNT_OUTCOMES`.

    Examples
    --------
    >>> rule_set("dfe").threshold, rule_set("dfe").round_to, rule_set("default", 3).description[:58]
    (7, 5, 'rsw-eval default: counts from 1 to 3 suppressed, with seco')
    >>> "adoptions" in rule_set("default", 5, ["adoptions"]).counts
    True
    >>> rule_set("default", 0)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    rsw_eval._errors.SpecError: disclosure_threshold must be a whole number from 1 to 1,000,000 ...
    """
    counts = COUNT_OUTCOMES | frozenset(counts)
    if name == "dfe":
        return RuleSet("dfe", 7, round_to=5, round_from=2012, counts=counts)
    if name != "default":
        raise ValueError(f"disclosure_rules must be one of {', '.join(RULE_SETS)}. Got {name!r}.")
    check_threshold(threshold, "disclosure_threshold")
    return RuleSet("default", int(threshold), counts=counts)


def _small(x: float, threshold: int) -> bool:
    return bool(np.isfinite(x) and 1 <= round(x) <= threshold)


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
