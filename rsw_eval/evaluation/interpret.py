"""Plain-English readings of results rows, from a documented rule set.

The rules (also written into every row's ``interpretation``, so a reader sees which were used):

- **Size labels** apply to standardised effects only (d, g, d_T, Glass' delta, Cohen's h) and
  follow Cohen (1988): below 0.2 negligible, 0.2 small, 0.5 medium, 0.8 large (absolute values).
  A label is given for the point estimate *and* for the interval: "small effect (compatible with
  negligible to medium)". Where the interval spans zero the reading says the direction is not
  established.
- **Significance** is only claimed on rows that are tests of the question (``primary`` rows of a
  comparative design, inside a multiplicity family) and only on the *adjusted* p; the interval
  printed beside it is unadjusted, and the reading says so when the two disagree.
- **Sensitivity and descriptive rows** never read "statistically significant": their p (if any)
  is reported as unadjusted and as supporting evidence only.
- **Comparisons of places** (a survey comparison with one authority on a side) say what they
  compared: their p tests whether these authorities' workers or parents differ, never the model.
"""

from __future__ import annotations

import math

__all__ = [
    "COHEN_1988",
    "RULES_TEXT",
    "before_after_reading",
    "effect_label",
    "interpretation",
    "pair_reading",
    "place_reading",
    "range_label",
]

#: Cohen (1988) conventions for standardised differences (d, g, d_T, Glass' delta) and Cohen's h:
#: below 0.2 negligible, 0.2 small, 0.5 medium, 0.8 large (absolute values).
COHEN_1988 = ((0.2, "negligible"), (0.5, "small"), (0.8, "medium"), (math.inf, "large"))
STANDARDISED = frozenset({"hedges_g", "cohens_d", "glass_delta", "d_t", "cohens_h"})
#: One line naming the rules, appended to readings that use a size label.
RULES_TEXT = "size labels: Cohen 1988 (|d| 0.2 small, 0.5 medium, 0.8 large)"


def effect_label(name: str, value: float, rules=COHEN_1988) -> str:
    """The size label of a standardised effect, or "" for effects on other scales.

    Examples
    --------
    >>> effect_label("hedges_g", -0.45), effect_label("rate_ratio", 2.6)
    ('small', '')
    """
    if name not in STANDARDISED or not math.isfinite(value):
        return ""
    for bound, label in rules:
        if abs(value) < bound:
            return label
    return rules[-1][1]


def range_label(name: str, low: float, high: float, rules=COHEN_1988) -> str:
    """The size labels an interval is compatible with: "negligible to medium", or one label.

    An interval that spans zero runs from the label of its larger end in one direction, through
    negligible, to the other: "compatible with a small effect in either direction or none".

    Examples
    --------
    >>> range_label("hedges_g", 0.12, 0.78)
    'negligible to medium'
    >>> range_label("hedges_g", -0.3, 0.6)
    'from small (negative) to medium (positive)'
    >>> range_label("rate_ratio", 1.1, 2.0)
    ''
    """
    if name not in STANDARDISED or not (math.isfinite(low) and math.isfinite(high)):
        return ""
    if low < 0 < high:
        lo, hi = effect_label(name, low, rules), effect_label(name, high, rules)
        return f"from {lo} (negative) to {hi} (positive)"
    near, far = sorted((abs(low), abs(high)))
    a, b = effect_label(name, near, rules), effect_label(name, far, rules)
    return a if a == b else f"{a} to {b}"


def _fmt(value: float) -> str:
    return f"{value:.2g}" if abs(value) < 1000 else f"{value:,.0f}"


def interpretation(
    name: str,
    value: float,
    p: float,
    p_adjusted: float,
    adjustment: str,
    primary: bool,
    alpha: float = 0.05,
    *,
    ci_low: float = math.nan,
    ci_high: float = math.nan,
    ci_level: float = math.nan,
    null: float = 0.0,
) -> str:
    """A short reading of one results row that follows the adjusted p and the interval together.

    Parameters
    ----------
    name, value : str, float
        Effect-size name and estimate.
    p, p_adjusted : float
        Raw and adjusted p-values (NaN where not given).
    adjustment : str
        The multiplicity adjustment of the row ("" when the row is in no family).
    primary : bool
        Whether the row is a test of the question (in a family); otherwise sensitivity or
        descriptive, never called significant.
    alpha : float
        Significance level of the adjusted test.
    ci_low, ci_high, ci_level : float
        The row's interval and its stated level.
    null : float
        The no-effect value on the row's scale (1 for ratios).

    Examples
    --------
    >>> interpretation("hedges_g", 0.45, 0.007, 0.021, "holm", True, ci_low=0.12, ci_high=0.78,
    ...                ci_level=0.95)
    'small effect (95% CI compatible with negligible to medium); statistically significant
    (holm-adjusted p = 0.021); size labels: Cohen 1988 (|d| 0.2 small, 0.5 medium, 0.8 large)'
    >>> interpretation("risk_difference", -0.02, 0.4, 0.8, "holm", True)
    'not statistically significant (holm-adjusted p = 0.8)'
    >>> interpretation("rank_biserial", 0.3, 0.01, math.nan, "", False)
    'sensitivity analysis: unadjusted p = 0.01, not a test of the main question'
    """
    parts = []
    label = effect_label(name, value)
    has_ci = math.isfinite(ci_low) and math.isfinite(ci_high)
    level = f"{ci_level:.0%} CI" if math.isfinite(ci_level) else "CI"
    if label:
        span = range_label(name, ci_low, ci_high) if has_ci else ""
        parts.append(f"{label} effect" + (f" ({level} compatible with {span})" if span else ""))
    in_family = primary and adjustment not in ("",) and math.isfinite(p_adjusted)
    if in_family:
        where = "p" if adjustment == "none" else f"{adjustment}-adjusted p"
        excludes_null = has_ci and not (ci_low <= null <= ci_high)
        if p_adjusted < alpha:
            parts.append(f"statistically significant ({where} = {_fmt(p_adjusted)})")
        else:
            text = f"not statistically significant ({where} = {_fmt(p_adjusted)})"
            if excludes_null and math.isfinite(p) and p < alpha:
                text += f"; the unadjusted {level} excludes no effect, but not after adjustment"
            parts.append(text)
    elif math.isfinite(p):
        parts.append(f"sensitivity analysis: unadjusted p = {_fmt(p)}, not a test of the main question")
    elif has_ci and not primary:
        parts.append("descriptive: no test of the model")
    if label:
        parts.append(RULES_TEXT)
    return "; ".join(parts)


def _year(adopted) -> int | None:
    try:
        return None if adopted is None or math.isnan(adopted) else int(adopted)
    except TypeError:  # pandas' NA (an Int64 column's missing year)
        return None


def pair_reading(period: str, adopted) -> str:
    """'descriptive: change 2014 to 2017, both years before the model began in 2019: ...' for a
    row over a pair of years (``period`` "2014->2017") wholly before or after its adoption year
    (:func:`rsw_eval.designs.before_after.pair_relation`), ``""`` otherwise: the reading of a
    before/after or cost change, and of the comparison of cost changes (``cost_did``).

    Examples
    --------
    >>> print(pair_reading("2014->2017", 2019))  # doctest: +NORMALIZE_WHITESPACE
    descriptive: change 2014 to 2017, both years before the model began in 2019: not a
    before/after comparison of the model
    >>> pair_reading("2014->2017", 2016), pair_reading("2014->2017", None)
    ('', '')
    """
    from rsw_eval.designs.before_after import pair_relation

    years = str(period).split("->")
    if len(years) != 2:
        return ""
    relation = pair_relation(int(years[0]), int(years[1]), _year(adopted))
    return f"descriptive: {relation}" if relation else ""


def before_after_reading(period: str, adopted, comparison: str) -> str:
    """The reading of an authority's own before/after change (``comparison`` "own baseline ..."):
    descriptive, and for a pair of years wholly after (or before) its adoption year, that it is
    no comparison of before and after the model
    (:func:`rsw_eval.designs.before_after.pair_relation`); ``""`` for other rows.

    Examples
    --------
    >>> print(before_after_reading("2009->2010", 2008, "own baseline 2009"))  # doctest: +NORMALIZE_WHITESPACE
    descriptive: change 2009 to 2010, both years after the model began in 2008: not a before/after
    comparison of the model
    >>> print(before_after_reading("2006->2010", 2008, "own baseline 2006"))  # doctest: +NORMALIZE_WHITESPACE
    descriptive: a change across the start of the model (2008) with no comparison group, not a test
    of the model
    """
    years = str(period).split("->")
    if not str(comparison).startswith("own baseline") or len(years) != 2:
        return ""
    year = _year(adopted)
    relation = pair_reading(period, year)
    if relation:
        return relation
    start = f" across the start of the model ({year})" if year is not None else ""
    return f"descriptive: a change{start} with no comparison group, not a test of the model"


_PEOPLE = {"worker": "workers", "parent": "parents"}


def place_reading(family: str, treatment: str, comparison: str, p: float, design: str = "") -> str:
    """The reading of a comparison of places: what was compared, and what its p does (not) test.

    Examples
    --------
    >>> place_reading("worker", "Unit-model LA", "Comparator LA 1", 0.01)  # doctest: +NORMALIZE_WHITESPACE
    "compares Unit-model LA's workers with Comparator LA 1's: with one authority on a side, model and
    place are confounded; p = 0.01 tests whether these authorities' workers differ, not the unit model"
    """
    people = _PEOPLE.get(family, "respondents")
    other = "all conventional authorities'" if comparison == "all conventional" else f"{comparison}'s"
    what = "the spread of " if design == "consistency" else ""
    text = (
        f"compares {what}{treatment}'s {people} with {other}: with one authority on a side, model and "
        "place are confounded"
    )
    if math.isfinite(p):
        text += f"; p = {_fmt(p)} tests whether these authorities' {people} differ, not the unit model"
    else:
        text += "; a description of these authorities, not a test of the unit model"
    return text
