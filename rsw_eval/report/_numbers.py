"""How the reports write numbers: rounding from the decimal a float stands for, table cells,
signed changes, two significant figures, p-values, financial years, pounds in thousands, ordinals.
What a number *is* (its indicator's unit, percentage or count) is :mod:`rsw_eval.report._labels`."""

from __future__ import annotations

import math

import pandas as pd

__all__ = ["decimal", "fiscal_year", "num", "ordinal", "p_text", "sig2", "signed", "thousands"]


def decimal(x: float) -> float:
    """``x`` to 12 significant figures, the decimal it stands for: float noise never decides how
    it rounds, so a percentage and a 0-1 share of the same data print alike (a median 2.85 of
    percentages is 2.8499999999999996, of shares in pp 2.8500000000000005).

    >>> f"{2.8499999999999996:.1f}", f"{decimal(2.8499999999999996):.1f}", f"{decimal(100 * 0.0285):.1f}"
    ('2.8', '2.9', '2.9')
    """
    return float(f"{float(x):.12g}")


def num(x: float, digits: int = 2) -> str:
    """A number for a report cell: ``c`` when suppressed (NaN on a suppressed row is shown by the
    caller), thousands separators for large values; rounded from its decimal (:func:`decimal`)."""
    if x is None or (isinstance(x, float) and not math.isfinite(x)) or pd.isna(x):
        return ""
    x = decimal(x)
    if abs(x) >= 1000:
        return f"{x:,.0f}"
    return f"{x:.{digits}f}"


def sig2(x: float) -> str:
    """``x`` at two significant figures in plain notation (``.2g`` prints 150 as '1.5e+02' and
    0.00001 as '1e-05'); thousands separators from 1,000.

    Examples
    --------
    >>> sig2(0.00046), sig2(0.000012), sig2(1.234), sig2(153.0), sig2(12345.0), sig2(-0.5)
    ('0.00046', '0.000012', '1.2', '150', '12,000', '-0.5')
    """
    x = decimal(x)
    if x == 0:
        return "0"
    exponent = math.floor(math.log10(abs(float(f"{x:.2g}"))))
    if exponent >= 1:
        return f"{round(x, 1 - exponent):,.0f}"
    return f"{x:.{1 - exponent}f}"


def p_text(p: float) -> str:
    if p is None or pd.isna(p):
        return ""
    return "< 0.001" if p < 0.001 else f"{p:.3f}"


def signed(value: float, unit: str = "") -> str:
    """A change with its sign to one decimal; a change that rounds to zero is '0.0' (no '-0.0').

    Examples
    --------
    >>> signed(-0.04, " pp"), signed(2.25, "%"), signed(-3.0)
    ('0.0 pp', '+2.2%', '-3.0')
    """
    text = f"{decimal(value):+.1f}"
    return ("0.0" if text in ("+0.0", "-0.0") else text) + unit


def fiscal_year(year: int) -> str:
    """A financial year by the year it ends (31 March), as DfE writes spending years.

    Examples
    --------
    >>> fiscal_year(2009)
    '2008-09'
    """
    return f"{int(year) - 1}-{int(year) % 100:02d}"


def thousands(value: float) -> str:
    """Pounds in thousands, as council accounts print them.

    Examples
    --------
    >>> thousands(46941035.13), thousands(-650000)
    ('46,941', '-650')
    """
    if value is None or pd.isna(value):
        return ""
    return f"{value / 1000:,.0f}"


def ordinal(k: int) -> str:
    """1 -> '1st', 2 -> '2nd', 11 -> '11th'.

    Examples
    --------
    >>> [ordinal(k) for k in (1, 2, 3, 4, 11, 12, 13, 21, 22)]
    ['1st', '2nd', '3rd', '4th', '11th', '12th', '13th', '21st', '22nd']
    """
    suffix = "th" if 10 <= k % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(k % 10, "th")
    return f"{k}{suffix}"
