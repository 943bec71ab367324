"""Hidden rows and columns of an XLSX sheet: read like every other cell, and said.

Loading them is right (a hidden row of a DfE table is still data), but a user who hid a row to
leave it out, or never saw the one a colleague hid, would not know that it counted (findings-q22
L3): a warning names them as Excel numbers them.
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path

from rsw_eval._errors import RswEvalWarning
from rsw_eval.io._formulas import _member, cell_name

__all__ = ["hidden_parts", "warn_hidden"]

_ROW = re.compile(rb"<(?:\w+:)?row\s[^>]*>")
_COL = re.compile(rb"<(?:\w+:)?col\s[^>]*>")


def _attribute(tag: bytes, name: bytes) -> str:
    found = re.search(rb"\s" + name + rb'="([^"]*)"', tag)
    return found.group(1).decode() if found else ""


def hidden_parts(data: bytes) -> tuple[list[int], list[int]]:
    """The hidden rows (numbered from 1) and columns (from 0) of a sheet's XML.

    Parameters
    ----------
    data : bytes
        The XML of one worksheet of an XLSX workbook.

    Returns
    -------
    (rows, columns)
        Rows as Excel numbers them; columns from 0 (A is 0).

    Examples
    --------
    >>> hidden_parts(b'<cols><col min="5" max="6" hidden="1"/></cols><row r="2"/><row r="3" hidden="1">')
    ([3], [4, 5])
    """
    rows = [int(_attribute(t, b"r")) for t in _ROW.findall(data) if _is_hidden(t) and _attribute(t, b"r")]
    columns = [
        c
        for t in _COL.findall(data)
        if _is_hidden(t)
        for c in range(int(_attribute(t, b"min") or 1) - 1, int(_attribute(t, b"max") or 1))
    ]
    return rows, columns


def _is_hidden(tag: bytes) -> bool:
    return _attribute(tag, b"hidden").lower() in ("1", "true")


def _runs(numbers: list[int], name) -> str:
    """``[3, 4, 5, 9]`` as ``"3-5, 9"``, each number written by ``name``.

    Examples
    --------
    >>> _runs([9, 3, 4, 5], str), _runs([2, 3], lambda c: "ABCD"[c])
    ('3-5, 9', 'C-D')
    """
    runs: list[list[int]] = []
    for n in sorted(set(numbers)):
        if runs and n == runs[-1][1] + 1:
            runs[-1][1] = n
        else:
            runs.append([n, n])
    return ", ".join(name(a) if a == b else f"{name(a)}-{name(b)}" for a, b in runs)


def warn_hidden(path: str | Path, label: str, sheet: str, shape: tuple[int, int]) -> None:
    """Warn (:class:`~rsw_eval.RswEvalWarning`) when ``sheet`` of the XLSX workbook ``path`` has
    hidden rows or columns within its table (``shape``: the rows and columns read), naming them as
    Excel does: rows by number, columns by letter.

    Examples
    --------
    >>> import tempfile, warnings
    >>> from openpyxl import Workbook
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     book = Workbook()
    ...     book.active.title = "Costs"
    ...     for row in (["la_code", "year", "value"], ["E09000012", 2009, 1], ["E09000012", 2010, 2]):
    ...         book.active.append(row)
    ...     book.active.row_dimensions[3].hidden = True
    ...     book.active.column_dimensions["C"].hidden = True
    ...     book.save(f"{tmp}/c.xlsx")
    ...     with warnings.catch_warnings(record=True) as caught:
    ...         warnings.simplefilter("always")
    ...         warn_hidden(f"{tmp}/c.xlsx", "c.xlsx", "Costs", (3, 3))
    >>> print(str(caught[0].message).split(", which")[0])
    c.xlsx, sheet 'Costs': Excel hides row 3 and column C
    """
    rows, columns = hidden_parts(_member(path, sheet)[0])
    rows = [r for r in rows if r <= shape[0]]
    columns = [c for c in columns if c < shape[1]]
    parts = [
        f"{what}{'s' if len(found) > 1 else ''} {_runs(found, name)}"
        for what, found, name in (
            ("row", rows, str),
            ("column", columns, lambda c: cell_name(1, c)[:-1]),
        )
        if found
    ]
    if parts:
        warnings.warn(
            f"{label}, sheet {sheet!r}: Excel hides {' and '.join(parts)}, which rsw-eval reads like "
            "every other cell; unhide them to check them, and delete them from the file if they are "
            "not data",
            RswEvalWarning,
            stacklevel=4,
        )
