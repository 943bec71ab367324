"""Control characters in text that rsw-eval prints and publishes.

A NUL, escape, bell, vertical tab or form feed (cells pasted out of Word, old Mac Excel, a damaged
download), DEL, a C1 control or a bidirectional override inside an authority's name, a label, a
header or the spec's title crashed the reports (SVG is XML, which has no such characters), wrote
charts no browser renders, recoloured the analyst's terminal and reversed how a name displays in
the published files (findings-q18att F11). Nobody types them on purpose: they are refused, by
where they are. Tab, line feed and carriage return, which a cell may hold, are not controls here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

import pandas as pd

from rsw_eval._errors import DataError, Problem

__all__ = ["CONTROL", "control_cells", "describe_control", "no_controls"]

#: C0 controls but tab, line feed and carriage return; DEL and the C1 controls; the
#: left-to-right and right-to-left marks, embeddings, overrides and isolates; the noncharacters
#: XML forbids (U+FFFE is a UTF-16 byte-order mark read the wrong way round: findings-q19att N15).
CONTROL = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\ufdd0-\ufdef\ufffe\uffff]"
)


def describe_control(text: str) -> str:
    """The first control character of ``text``, as its code point (never the text itself).

    Examples
    --------
    >>> describe_control("South\\x1bwark")
    'the control character U+001B'
    """
    found = CONTROL.search(text)
    return f"the control character U+{ord(found.group()):04X}" if found else "no control character"


def control_cells(frame: pd.DataFrame) -> tuple[str, pd.Series] | None:
    """The first column of ``frame`` (cells as text) holding a control character, with the mask
    of its rows; None when no cell holds one.

    Examples
    --------
    >>> f = pd.DataFrame({"la_name": ["Hackney", "Croy\\x00don"], "value": ["1", "2"]})
    >>> column, rows = control_cells(f)
    >>> column, rows.tolist()
    ('la_name', [False, True])
    """
    for column in frame.columns:
        cells = frame[column]
        if cells.dtype == object or isinstance(cells.dtype, pd.StringDtype):
            hit = cells.astype(str).str.contains(CONTROL, na=False)
            if hit.any():
                return str(column), hit
    return None


def no_controls(
    texts: Iterable[object],
    label: str,
    what: str,
    *,
    rows: Sequence[int] = (),
    n_rows: int = 0,
    column: str | None = None,
    hint: str | None = None,
) -> None:
    """Raise :class:`~rsw_eval.DataError` when one of ``texts`` (``what``: "a column name", "a
    cell" ...; in ``column``, on ``rows`` of ``label`` as Excel numbers them, of ``n_rows`` in
    all) holds a control character; the text itself is not echoed, only the first control's code
    point. The one refusal of a header's, a cell's and every other text's control characters.

    Examples
    --------
    >>> no_controls(["la_code", "value"], "p.csv", "a column name", rows=[1])
    >>> try:
    ...     no_controls(["la_code", "val\x0bue"], "p.csv", "a column name", rows=[1])
    ... except DataError as error:
    ...     print(error)  # doctest: +NORMALIZE_WHITESPACE
    p.csv, row 1: a control character in a column name; expected text without control characters,
    found the control character U+000B
    """
    bad = [str(t) for t in texts if CONTROL.search(str(t))]
    if bad:
        raise DataError(
            Problem(
                label,
                f"a control character in {what}",
                column=column,
                rows=tuple(rows),
                n_rows=n_rows,
                expected="text without control characters",
                found=describe_control(" ".join(bad[:5])),
                hint=hint,
            )
        )
