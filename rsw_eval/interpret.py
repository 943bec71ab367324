"""Plain-English labels for effect sizes and tests, from a documented rule set."""

from __future__ import annotations

import math

__all__ = ["COHEN_1988", "effect_label", "interpretation"]

#: Cohen (1988) conventions for standardised differences (d, g, d_T, Glass' delta) and Cohen's h:
#: below 0.2 negligible, 0.2 small, 0.5 medium, 0.8 large (absolute values).
COHEN_1988 = ((0.2, "negligible"), (0.5, "small"), (0.8, "medium"), (math.inf, "large"))
STANDARDISED = frozenset({"hedges_g", "cohens_d", "glass_delta", "d_t", "cohens_h"})


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


def interpretation(
    name: str, value: float, p: float, p_adjusted: float, adjustment: str, primary: bool, alpha: float = 0.05
) -> str:
    """A short reading of one results row: size label, then significance (adjusted when primary).

    Examples
    --------
    >>> interpretation("hedges_g", 0.45, 0.007, 0.021, "holm", True)
    'small effect; statistically significant (holm-adjusted p < 0.05)'
    >>> interpretation("risk_difference", -0.02, 0.4, 0.8, "holm", True)
    'not statistically significant (holm-adjusted p = 0.8)'
    """
    parts = []
    label = effect_label(name, value)
    if label:
        parts.append(f"{label} effect")
    use_adjusted = primary and adjustment not in ("", "none") and math.isfinite(p_adjusted)
    q = p_adjusted if use_adjusted else p
    where = f"{adjustment}-adjusted p" if use_adjusted else "p"
    if math.isfinite(q):
        if q < alpha:
            parts.append(f"statistically significant ({where} < {alpha:g})")
        else:
            parts.append(f"not statistically significant ({where} = {q:.2g})")
    return "; ".join(parts)
