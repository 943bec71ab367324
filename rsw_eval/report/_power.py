"""Words for what a row's test could detect, placed beside the estimate in every report.

"With these 10 comparators this design detects a fall of about 14% or more four times in five (could
be 9%-25%: estimated from 10 placebo authorities; at its own 9.1% level; at the 5% level it can
detect nothing: its smallest possible p is 1/11 = 0.091)." Built from the row's ``mde_low``/
``mde_high``/``mde_alpha``/``mde_note`` and the MDE's range ``mde_low_min`` .. ``mde_high_max``
with ``mde_units`` (the engine's; see :mod:`rsw_eval.designs._power` and
:mod:`rsw_eval.evaluation._survey_power`): the MDE is an estimate, never stated without how
uncertain it is.
"""

from __future__ import annotations

import math
import re

import pandas as pd

from rsw_eval.report._numbers import num
from rsw_eval.report._points import level_unit

__all__ = ["detect_cell", "detect_text", "detection_note", "range_text", "with_detection"]

_FIVE = {0.8: "four times in five", 0.9: "nine times in ten"}
_PEOPLE = {"worker": "workers", "parent": "parents"}


def _size(row: pd.Series, value: float) -> tuple[str, str]:
    """('fall'|'rise', '14%') of an effect on the row's scale, in the reader's units."""
    name = str(row.get("effect_size_name", ""))
    if name.endswith("_ratio"):
        value = 100 * (value - 1)
        unit = "%"
    elif row.get("scale") == "log" or name == "percent_change":
        unit = "%"
    elif name == "did_estimate" and row.get("family") == "cost":
        unit = " percentage points"
    elif name in ("hedges_g", "cohens_h", "d_t"):
        return ("lower" if value < 0 else "higher"), f"{abs(value):.2g} SD"
    elif name == "risk_difference":
        return ("lower" if value < 0 else "higher"), f"{100 * abs(value):.0f} percentage points"
    else:
        outcome = str(row.get("outcome", ""))
        factor, unit = level_unit(row)  # percentage points for a percentage, share or 0/1
        value, unit = factor * value, unit or (" days" if "days" in outcome else "")
    word = "fall" if value < 0 else "rise"
    shown = f"{abs(value):.0f}" if unit == "%" and abs(value) >= 10 else num(abs(value))
    return word, f"{shown}{unit}"


def _who(row: pd.Series) -> str:
    comparison = str(row.get("comparison", ""))
    pool = re.search(r"placebos from (\d+) donor-pool", comparison)
    k = re.match(r"(\d+) comparators", comparison) or re.search(r"mean of (\d+) comparators", comparison)
    synth = re.match(r"synthetic control of (\d+) donors", comparison)
    if synth:
        return f"with these {synth.group(1)} donors"
    if pool:
        return f"with {k.group(1) if k else 'these'} comparators and {pool.group(1)} donor-pool placebos"
    if k:
        return f"with these {k.group(1)} comparators"
    return "with these samples"


def _range(row: pd.Series, side: str) -> tuple[str, str] | None:
    """The MDE's range on one side ('low': the fall, 'high': the rise) in the reader's units."""
    a, b = (
        row.get(f"mde_{side}_max" if side == "low" else f"mde_{side}_min"),
        row.get(f"mde_{side}_min" if side == "low" else f"mde_{side}_max"),
    )
    if a is None or b is None or pd.isna(a) or pd.isna(b):
        return None
    return _size(row, a)[1], ("none" if math.isinf(b) else _size(row, b)[1])


def range_text(row: pd.Series, side: str = "low") -> str:
    """'could be 9%-25%: estimated from 10 placebo authorities', or '' without a range.

    Examples
    --------
    >>> r = pd.Series({"effect_size_name": "did_estimate", "scale": "log", "mde_low_min": -25.0,
    ...                "mde_low_max": -9.2, "mde_units": 10.0})
    >>> range_text(r)
    'could be 9.2-25%: estimated from 10 placebo authorities'
    """
    found = _range(row, side)
    if found is None:
        return ""
    units = row.get("mde_units")
    source = (
        f"estimated from {units:.0f} placebo authorities"
        if units is not None and pd.notna(units)
        else "its standard error is itself an estimate"
    )
    return f"could be {_span(*found)}: {source}"


def detect_text(row: pd.Series, power: float = 0.8) -> str:
    """One clause: what the row's test detects ``power`` of the time, and what it cannot do at 5%.

    Examples
    --------
    >>> r = pd.Series({"effect_size_name": "did_estimate", "scale": "log", "comparison": "10 comparators",
    ...                "mde_low": -14.3, "mde_high": 16.7, "mde_alpha": 1 / 11,
    ...                "mde_note": "...; at the 5% level this design can detect nothing: its smallest "
    ...                "possible p is 1/11 = 0.091"})
    >>> print(detect_text(r))  # doctest: +NORMALIZE_WHITESPACE
    with these 10 comparators this design detects a fall of about 14% or more four times in five (at
    its own 9.1% level; at the 5% level this design can detect nothing: its smallest possible p is
    1/11 = 0.091)
    """
    low, high, alpha = row.get("mde_low"), row.get("mde_high"), row.get("mde_alpha")
    if low is None or pd.isna(alpha) or pd.isna(low):
        return ""
    often = _FIVE.get(power, f"{power:.0%} of the time")
    floor = str(row.get("mde_note", "")).split("; ")[-1]
    floor = floor if "can detect nothing" in floor else ""
    level = f"at its own {alpha:.1%} level" if abs(alpha - 0.05) > 1e-9 else "at the 5% level"
    if math.isinf(high):
        return f"{_who(row)} this design detects no effect {often} ({level})"
    name = str(row.get("effect_size_name", ""))
    spread = range_text(row)
    if name in ("hedges_g", "cohens_h", "d_t", "risk_difference") or row.get("family") in _PEOPLE:
        (_, down), (_, up) = _size(row, low), _size(row, high)
        what = (
            f"a difference of about {up} or more either way"
            if down == up
            else f"a fall of about {down} or a rise of about {up}"
        )
        spread = range_text(row, "high") if down == up else spread
    else:
        word, size = _size(row, low)
        what = f"a {word} of about {size} or more"
    said = "; ".join(filter(None, [spread, level, floor]))
    return f"{_who(row)} this design detects {what} {often} ({said})"


def detect_cell(row: pd.Series) -> str:
    """Short table cell: '±0.45 (0.38-0.55)', '-14% / +17% (fall 9.2-25%)' (the MDE's range in
    brackets), or '' without an MDE."""
    low, high = row.get("mde_low"), row.get("mde_high")
    if low is None or pd.isna(low) or pd.isna(high):
        return ""
    if math.isinf(high):
        return "none"
    if row.get("effect_size_name") in ("hedges_g", "cohens_h", "d_t", "risk_difference"):
        rise = row.get("mde_high_min"), row.get("mde_high_max")
        known = all(x is not None and pd.notna(x) for x in rise)
        return f"±{num(high)}" + (f" ({num(rise[0])}-{num(rise[1])})" if known else "")  # Effect's scale
    s1, s2 = _size(row, low)[1], _size(row, high)[1]
    if s1 == s2:
        spread = _range(row, "high")
        return f"±{s1}" + (f" ({_span(*spread)})" if spread else "")
    spread = _range(row, "low")
    return f"-{s1} / +{s2}" + (f" (fall {_span(*spread)})" if spread else "")


def _span(low: str, high: str) -> str:
    """'5.4-12 pp' from '5.4 pp' and '12 pp' (the unit once); '5.4 pp or more' when unbounded."""
    if high == "none":
        return f"{low} or more"
    unit = re.search(r"(%| [a-z ]+)$", high)
    if unit and low.endswith(unit.group(1)):
        low = low[: -len(unit.group(1))]
    return f"{low}-{high}"


def with_detection(sentence: str, row: pd.Series) -> str:
    """A summary sentence with what its row's test could detect added before the full stop."""
    detect = detect_text(row)
    if not detect:
        return sentence
    return f"{sentence.rstrip('.')}; {detect}."


def detection_note(rows: pd.DataFrame) -> str:
    """Under a table of tests: what 'Detectable' means, adjusted p, and what the design cannot do at 5%."""
    floors = sorted(
        {str(n).split("; ")[-1] for n in rows.get("mde_note", []) if "can detect nothing" in str(n)}
    )
    text = (
        "Detectable: the fall / rise each test detects four times in five at its own level, by placebo "
        "resampling on this panel (each comparator or donor in turn as the treated authority); in "
        "brackets, how uncertain that estimate is (its 80% range from resampling those placebo "
        "authorities). Adj. p: "
        "adjusted within the question by a step-down over the tests' joint permutation distribution."
    )
    return " ".join([text, *(f"{f[:1].upper()}{f[1:]}." for f in floors)])
