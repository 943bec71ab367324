"""What a test could detect, as one cell of the ``compare`` summary: the MDE, its range, the power.

The MDE is an estimate from a few placebo authorities (or from a standard error), so the summary
never prints it without its range (``mde_low_min`` .. ``mde_low_max``, the engine's 80% range from
resampling the placebos), nor without the power for the spec's ``mde_effect`` when one is set.
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["HEADER", "mde_cell"]

#: The legend printed once above the summary's table.
HEADER = (
    "MDE: the fall / rise the row's test detects four times in five at its own level (mde_alpha), "
    "with [its 80% range]\nfrom resampling the placebo authorities; power: of the test for the "
    "spec's mde_effect"
)


def _fmt(value: float) -> str:
    if not np.isfinite(value):
        return "none"
    return f"{value:.3g}" if abs(value) < 1000 else f"{value:,.0f}"


def mde_cell(row) -> str:
    """'MDE -14.3/+16.7 [-25..-9.2] power 83%' from a results row (a named tuple or Series).

    ``MDE none`` when no effect is detected that often; '' without an MDE. Ratios read below and
    above 1. The range shown is the fall's (``mde_low_min`` .. ``mde_low_max``).

    Examples
    --------
    >>> from types import SimpleNamespace as Row
    >>> mde_cell(Row(mde_low=-14.3, mde_high=16.7, mde_low_min=-25.0, mde_low_max=-9.2, power=0.83))
    'MDE -14.3/+16.7 [-25..-9.2] power 83%'
    >>> mde_cell(Row(mde_low=float("nan"), mde_high=float("nan"), mde_low_min=float("nan"),
    ...              mde_low_max=float("nan"), power=float("nan")))
    ''
    """
    low, high = row.mde_low, row.mde_high
    power = getattr(row, "power", math.nan)
    said = f" power {power:.0%}" if np.isfinite(power) else ""
    if np.isnan(low) and np.isnan(high):
        return said.strip()
    if np.isinf(high):
        return f"MDE none{said}"
    a, b = getattr(row, "mde_low_min", math.nan), getattr(row, "mde_low_max", math.nan)
    spread = f" [{_fmt(a)}..{_fmt(b)}]" if not (np.isnan(a) or np.isnan(b)) else ""
    return f"MDE {_fmt(low)}/{'+' if low < 0 else ''}{_fmt(high)}{spread}{said}"
