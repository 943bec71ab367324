"""Argument checks shared by the statistics (scikit-learn style messages: name, rule, value)."""

from __future__ import annotations

import math
from numbers import Real

import numpy as np
import pandas as pd

ALTERNATIVES = ("two-sided", "greater", "less")
#: Largest magnitude accepted: squares and products of larger values overflow float64 (1e308), so
#: variances and test statistics would come out as inf or NaN without a word.
MAX_MAGNITUDE = 1e150


def check_confidence(confidence: object, func: str) -> float:
    if isinstance(confidence, bool) or not isinstance(confidence, Real) or not 0 < float(confidence) < 1:
        raise ValueError(
            f"The 'confidence' parameter of {func} must be a float in (0, 1). Got {confidence!r} instead."
        )
    return float(confidence)


def check_alternative(alternative: str, func: str) -> str:
    if alternative not in ALTERNATIVES:
        raise ValueError(
            f"The 'alternative' parameter of {func} must be one of "
            f"{', '.join(ALTERNATIVES)}. Got {alternative!r} instead."
        )
    return alternative


def check_choice(value: object, name: str, choices: tuple[str, ...], func: str) -> str:
    if value not in choices:
        raise ValueError(
            f"The '{name}' parameter of {func} must be one of "
            f"{', '.join(map(repr, choices))}. Got {value!r} instead."
        )
    return value  # type: ignore[return-value]


def sample(values: object, name: str, func: str, *, min_n: int = 2) -> tuple[np.ndarray, int]:
    """A 1-D float array without NaNs, and how many NaNs were dropped."""
    try:
        arr = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(
            f"The '{name}' parameter of {func} must be numeric. Got values that are not numbers."
        ) from None
    arr = arr.ravel()
    keep = ~np.isnan(arr)
    dropped = int(arr.size - keep.sum())
    arr = arr[keep]
    if arr.size == 0:
        raise ValueError(
            f"The '{name}' parameter of {func} has no non-missing values ({dropped} NaN dropped)."
        )
    if np.isinf(arr).any():
        raise ValueError(f"The '{name}' parameter of {func} must be finite. Got infinite values.")
    if (np.abs(arr) > MAX_MAGNITUDE).any():
        raise ValueError(
            f"The '{name}' parameter of {func} has values beyond +-{MAX_MAGNITUDE:g}; their squares "
            "overflow. Rescale the data (e.g. thousands of pounds)."
        )
    if arr.size < min_n:
        raise ValueError(
            f"The '{name}' parameter of {func} needs at least {min_n} non-missing values. Got {arr.size}."
        )
    return arr, dropped


#: A spread (SD, standard error) below this fraction of the data's own magnitude is floating-point
#: rounding, not variation: float64 keeps about 16 significant digits and means and differences
#: lose a few, so "zero" is judged relative to the data's scale, never as exact 0 (1e-16 noise on
#: constant data must not pass for information).
RELATIVE_TOL = 1e-10


def data_scale(*arrays) -> float:
    """Largest magnitude among the values (0 for empty or all-zero data)."""
    sizes = [np.max(np.abs(np.asarray(a, dtype=float))) for a in arrays if np.size(a)]
    return float(max(sizes, default=0.0))


def negligible(spread: float, *arrays) -> bool:
    """True when ``spread`` is zero to within rounding of data of the magnitude of ``arrays``.

    Examples
    --------
    >>> negligible(1e-16, [1.0, 1.0, 1.0]), negligible(0.01, [1.0, 1.01]), negligible(0.0, [0.0])
    (True, False, True)
    """
    return not float(spread) > RELATIVE_TOL * data_scale(*arrays)


def positive_variance(var: float, name: str, func: str, *arrays) -> None:
    if not var > 0 or (arrays and negligible(np.sqrt(var), *arrays)):
        raise ValueError(
            f"The '{name}' parameter of {func} has zero variance; the standardised effect is undefined."
        )


def nonneg_count(value: object, name: str, func: str) -> int:
    if isinstance(value, bool) or not isinstance(value, Real) or value < 0 or value != int(value):
        raise ValueError(
            f"The '{name}' parameter of {func} must be a non-negative whole number. Got {value!r} instead."
        )
    return int(value)


def positive(value: object, name: str, func: str) -> float:
    if isinstance(value, bool) or not isinstance(value, Real) or not math.isfinite(value) or value <= 0:
        raise ValueError(
            f"The '{name}' parameter of {func} must be a positive number. Got {value!r} instead."
        )
    return float(value)


def p_from_t(t: np.ndarray | float, df: np.ndarray | float, alternative: str):
    from scipy import stats

    if alternative == "two-sided":
        return 2 * stats.t.sf(np.abs(t), df)
    if alternative == "greater":
        return stats.t.sf(t, df)
    return stats.t.cdf(t, df)


def p_from_z(z: np.ndarray | float, alternative: str):
    from scipy import stats

    if alternative == "two-sided":
        return 2 * stats.norm.sf(np.abs(z))
    if alternative == "greater":
        return stats.norm.sf(z)
    return stats.norm.cdf(z)


def z_crit(confidence: float) -> float:
    from scipy import stats

    return float(stats.norm.ppf(0.5 + confidence / 2))


def group_indicator(group, func: str) -> np.ndarray:
    """1.0 for the treatment group, 0.0 for the comparison, NaN where missing.

    Booleans and 0/1 are used as they are; with text labels the treatment is ``"unit"`` when
    present, else the second label in sorted order.
    """
    values = pd.Series(np.asarray(group, dtype=object))
    levels = sorted(values.dropna().unique(), key=str)
    if len(levels) != 2:
        raise ValueError(
            f"The 'group' parameter of {func} must have exactly two values. Got {len(levels)}: {levels[:5]}."
        )
    if set(levels) <= {0, 1}:  # also True/False, which equal 1/0
        treated = 1
    elif "unit" in levels:
        treated = "unit"
    else:
        treated = levels[1]
    out = (values == treated).to_numpy(dtype=float, copy=True)
    out[values.isna().to_numpy()] = np.nan
    return out
