"""What kind of value an administrative indicator holds, from its name (a count, a percentage, a
population ...), and the ceilings each kind's values stay below: the panel loader's value checks
(:func:`rsw_eval.io._panel.check_values`) read them."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from rsw_eval.io._indicators import COUNT_INDICATORS

__all__ = ["ABSURD", "CEILINGS", "LONG", "is_percent", "kind_of", "long_number", "underflows"]

#: No panel value is this large (a trillion: no authority's, nor England's, spending in pounds, nor
#: any count); beyond it a value is a misread or a typo (a 40-digit population: q11in Q3, Q6b, Q11).
ABSURD = 1e12
#: Ceilings by kind of value (:func:`kind_of`; A3 of q13in): an English authority's population, and
#: England's 0-17 (about 12 million), are below 20 million; a count of children or staff, England's
#: too, below 5 million. Beyond them a value is a misread, or an NHS or phone number in the column.
CEILINGS = {"population": 20_000_000, "count": 5_000_000}
#: Names of amounts of money, the only values that may run to 10 digits or more (q14 V1).
_MONEY = re.compile(r"cost|spend|gbp|amount|expenditure|budget|income|pounds|outturn|£", re.I)
LONG = "a whole number of 10 digits or more, not an amount of money"
#: The workforce census's rates are percentages (``turnover_rate_fte``, ``absence_rate_headcount``).
_WORKFORCE_RATE = re.compile(r"_rate_(fte|headcount)$")


#: A number in exponent form ("1e-400", "2.5E-330", ".5e-999"); possessive, so that a cell of
#: 200,000 digits is read once, not backtracked over quadratically.
_EXPONENT_NOT_ZERO = re.compile(r"^\s*+[-+]?+[\d,]*+(?:\.\d*+)?+[eE]")


def underflows(text: pd.Series, values: np.ndarray) -> np.ndarray:
    """Per cell, whether its text is a number too small for a float, read as 0 ("1e-400"): a value
    the file does not hold, loaded silently (att12 L2).

    Examples
    --------
    >>> underflows(pd.Series(["1e-400", "0e-5", "0", "2.5"]), np.array([0.0, 0.0, 0.0, 2.5])).tolist()
    [True, False, False, False]
    """
    text = text.fillna("").astype(str)
    exponent = text.str.match(_EXPONENT_NOT_ZERO).to_numpy(dtype=bool)
    digits = text.str.split(r"[eE]", n=1, regex=True).str[0].str.contains(r"[1-9]").to_numpy(dtype=bool)
    return exponent & digits & (values == 0)


def long_number(panel: pd.DataFrame, value: np.ndarray) -> np.ndarray:
    """Per value of ``panel``, whether it is a whole number of 10 digits or more of an indicator
    that is no amount of money: an NHS, phone or staff number in the column (findings-q14 V1).

    Examples
    --------
    >>> p = pd.DataFrame({"indicator": ["sickness_days_per_fte", "total_cost_gbp", "sickness_days_per_fte"]})
    >>> long_number(p, np.array([4857773456.0, 4857773456.0, 12.5])).tolist()
    [True, False, False]
    """
    whole = (
        np.isfinite(value) & (np.abs(value) >= 1e9) & (np.abs(value) <= ABSURD) & (value == np.round(value))
    )
    return whole & ~panel["indicator"].astype(str).str.contains(_MONEY).to_numpy(bool)


def kind_of(indicator: str) -> str:
    """``count``, ``percent``, ``population``, ``nonnegative`` or ``""`` from an indicator's name.

    Examples
    --------
    >>> [kind_of(n) for n in ("children_looked_after", "turnover_rate_fte", "inpost_headcount", "cases",
    ...                     "caseload_fte", "cla_rate_per_10k", "population_0_17", "total_cost",
    ...                     "children_count")]
    ['count', 'percent', 'count', 'count', 'nonnegative', '', 'population', '', 'count']
    """
    name = indicator.lower()
    if _WORKFORCE_RATE.search(name):
        return "percent"
    if indicator in COUNT_INDICATORS or name.endswith(("_headcount", "_count")) or name == "cases":
        return "count"
    if name.endswith(("_pct", "_percent", "_percentage")) or "percent" in name:
        return "percent"
    if name.startswith("population"):
        return "population"
    if name.endswith("_fte"):  # staff, caseloads and days lost per full-time equivalent
        return "nonnegative"
    return ""


def is_percent(*names: str) -> bool:
    """Whether an indicator or the file's column it is read from holds percentages (0-100), by name.

    Examples
    --------
    >>> is_percent("CPP_subsequent_percent"), is_percent("pct", "turnover_rate_fte"), is_percent("cases")
    (True, True, False)
    """
    return any(kind_of(str(n)) == "percent" for n in names)
