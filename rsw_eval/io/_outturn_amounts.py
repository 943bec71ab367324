"""The amounts of a Section 52 / 251 outturn file's expenditure column: every cell a number of
pounds a council could spend, or a published symbol; any other cell is named by its row.

May import: ``rsw_eval._errors``, ``rsw_eval.io._identifiers``, ``rsw_eval.io._panel``,
``rsw_eval.io._value_kinds``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from rsw_eval._errors import DataError, Problem
from rsw_eval.io._identifiers import shown_found
from rsw_eval.io._panel import parse_values
from rsw_eval.io._value_kinds import ABSURD

__all__ = ["amounts"]


def amounts(frame: pd.DataFrame, value_col: str, label: str) -> tuple[np.ndarray, np.ndarray]:
    """The values and flags of ``frame[value_col]``; a cell that is no number (quoted as found: att12
    M4) or an absurd amount (1e300, inf: named by its cell, not by the add-up check's 300 digits:
    att12 L2) is a DataError.

    Examples
    --------
    >>> frame = pd.DataFrame({"k": ["100", "NULL", "1e300"]})
    >>> try:
    ...     amounts(frame, "k", "s.xlsx")
    ... except DataError as error:
    ...     print(error)  # doctest: +ELLIPSIS
    s.xlsx, row 4, column 'k': an absurd amount (a misread or a typo?); ...found 1e+300
    """
    # the 2011-12 file writes NULL in cells it has no amount for (memorandum and CERA lines)
    raw = frame[value_col].astype(object).where(frame[value_col].astype(str).str.strip() != "NULL", "")
    values, flags, bad = parse_values(raw)
    if bad.any():
        raise DataError(
            Problem.where(
                label,
                "not a number",
                frame.index,
                bad,
                column=value_col,
                expected="an amount in pounds",
                found=", ".join(shown_found(v) for v in raw[bad].iloc[:3]),  # as the ledger's (att12 M4)
            )
        )
    huge = ~np.isnan(values) & ~(np.abs(values) <= ABSURD)  # and inf: named by its cell (att12 L2)
    if huge.any():
        raise DataError(
            Problem.where(
                label,
                "an absurd amount (a misread or a typo?)",
                frame.index,
                huge,
                column=value_col,
                expected=f"an amount below {ABSURD:,.0f} pounds",
                found=f"{values[huge][0]:.3g}",
            )
        )
    return values, flags
