"""Why a CSV does not read as one record per line: rows with more fields than the header, a broken
quote, or a stray double quote that made later rows one cell (found after parsing).

May import: ``rsw_eval._errors`` only.
"""

from __future__ import annotations

import csv
import io

import pandas as pd

from rsw_eval._errors import DataError, Problem

__all__ = ["no_swallowed_rows", "ragged"]


def no_swallowed_rows(frame: pd.DataFrame, label: str) -> None:
    """A field that runs over several lines and holds a comma is rows swallowed by a stray double
    quote (the file then loads with rows missing, silently): refused, naming where it starts."""
    for col in frame.columns:
        cells = frame[col].astype(str)
        bad = cells.str.contains(r"[\r\n]", regex=True) & cells.str.contains(",", regex=False)
        if bad.any():
            first = frame.index[bad.to_numpy()][0]
            raise DataError(
                Problem(
                    label,
                    "a quoted field runs over several lines and holds commas: a stray double quote "
                    '(") made the rows after it one cell',
                    rows=(int(first) + 1,),
                    n_rows=int(bad.sum()),
                    expected="one record per line (a double quote only around a whole field)",
                    found=f"{cells[bad].iloc[0].count(chr(10)) + 1} lines in one field",
                    hint="remove the stray double quote, or close it where the field ends",
                )
            )


def ragged(text: str, label: str, exc: Exception) -> Problem:
    """Why a CSV does not parse: rows with more fields than the header (a trailing comma on every
    row is the usual cause), or a broken quote."""
    rows = list(csv.reader(io.StringIO(text, newline="")))  # a lone CR is a line end, as for pandas
    width = len(rows[0]) if rows else 0
    longer = [i + 1 for i, r in enumerate(rows) if len(r) > width]
    if longer and all(not r[width:] or all(not c.strip() for c in r[width:]) for r in rows[1:]):
        return Problem(
            label,
            "data rows have more fields than the header: an extra, empty field at the end of "
            + ("every row" if len(longer) == len(rows) - 1 else "some rows"),
            rows=tuple(longer[:5]),
            n_rows=len(longer),
            expected=f"{width} fields per row, as in the header",
            found=f"{width + 1} (a trailing comma?)",
            hint="remove the trailing commas, or give the extra column a name in the header",
        )
    return Problem(
        label,
        f"the CSV does not parse ({exc})".replace("\n", " "),
        rows=tuple(longer[:5]),
        n_rows=len(longer),
        hint="check for unquoted commas or a stray line",
    )
