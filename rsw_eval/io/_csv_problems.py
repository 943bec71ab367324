"""Why a CSV does not read as one record per line: rows with more fields than the header, a broken
quote, a stray double quote that made later rows one cell, or rows with fewer fields than the
header (the last two found after parsing).

May import: ``rsw_eval._errors`` only.
"""

from __future__ import annotations

import contextlib
import csv
import io
import re

import numpy as np
import pandas as pd

from rsw_eval._errors import DataError, Problem

__all__ = ["has_line_ends", "no_short_rows", "no_swallowed_rows", "ragged"]


#: Line separators CSV readers do not take for line ends, as a message names them.
UNICODE_ENDS = {"\x85": "U+0085 (NEL)", "\u2028": "U+2028", "\u2029": "U+2029"}


def has_line_ends(text: str, label: str) -> None:
    r"""Refuse a text whose lines end only with a Unicode line separator: pandas reads no line end
    in it, and the file came back as one row ("column '0' appears 1152 times", att8).

    Examples
    --------
    >>> has_line_ends("a,b\n1,2\n", "f.csv")
    >>> has_line_ends("a,b\x851,2", "f.csv")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    rsw_eval._errors.DataError: f.csv: the file's lines end with ...found U+0085 (NEL)...
    """
    ends = [c for c in UNICODE_ENDS if c in text]
    if ends and not re.search(r"[\r\n]", text.strip()):
        raise DataError(
            Problem(
                label,
                "the file's lines end with a character CSV readers do not take for a line end",
                expected="CR, LF or CRLF line ends",
                found=UNICODE_ENDS[ends[0]],
                hint="save the file again as 'CSV UTF-8'",
            )
        )


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


@contextlib.contextmanager
def _fields_of_any_length():
    """The csv module's field limit (131,072 characters by default) lifted while rows are counted,
    then put back: a cell pandas read whole is no reason for a traceback."""
    limit = csv.field_size_limit()
    csv.field_size_limit(2**31 - 1)  # the largest every platform's C long holds
    try:
        yield
    finally:
        csv.field_size_limit(limit)


def no_short_rows(frame: pd.DataFrame, text: str, label: str) -> None:
    """Refuse records with fewer fields than the header: their last cells were lost (a download or
    a copy cut short, a row typed by hand), and pandas fills them with blanks, so the lost values
    would load as missing, silently (issue 21). A wholly blank line is not a record and is passed
    over. The same rule holds for every loader: it is applied where every CSV is read.

    Parameters
    ----------
    frame : DataFrame
        The CSV as ``pandas.read_csv(text, header=None, skip_blank_lines=False)`` parses it, every
        cell a string; indexed by the row in Excel minus 1. Its header is its first row that is not
        blank.
    text : str
        The text that was parsed, to count each record's fields (pandas gives a missing field and an
        empty one alike as ``""``).
    label : str
        The file, for the message.

    Raises
    ------
    DataError
        One problem naming the rows (as Excel numbers them), the columns they lack, the number of
        fields expected and the number found.

    Examples
    --------
    >>> import io
    >>> text = "la_code,year,value\\n204,2024,352\\n\\n202,2024\\n"
    >>> frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False,
    ...                     skip_blank_lines=False, header=None)
    >>> try:
    ...     no_short_rows(frame, text, "cla.csv")
    ... except DataError as error:
    ...     print(str(error).split(":")[0], "...", str(error).split(";")[1].split(".")[0])
    cla.csv, row 4, column 'value' ...  expected 3 fields, as in the header, found 2 fields
    """
    cells = frame.astype(str).apply(lambda col: col.str.strip())
    blank = (cells == "").all(axis=1).to_numpy()
    if blank.all() or not ((cells.iloc[:, -1] == "").to_numpy() & ~blank).any():
        return  # a short record's last cell is blank: none, nothing to count
    with _fields_of_any_length():  # pandas read a cell of any length: the count must too (q18att F4)
        fields = np.array([len(r) for r in csv.reader(io.StringIO(text, newline=""))])
        if len(fields) != len(frame):  # the two parsers split the records differently: pandas decides
            missing = pd.read_csv(
                io.StringIO(text),
                dtype=str,
                keep_default_na=False,
                na_values=[],
                header=None,
                skip_blank_lines=False,
                engine="python",
            ).isna()
            fields = frame.shape[1] - missing.sum(axis=1).to_numpy()
    header = int(np.argmin(blank))
    short = (fields < frame.shape[1]) & ~blank
    short[: header + 1] = False  # the header sets the width
    if not short.any():
        return
    width, fewest = frame.shape[1], int(fields[short].min())
    names = [str(v).strip() or f"column {i + 1}" for i, v in enumerate(frame.iloc[header])]
    rows = [int(i) + 1 for i in frame.index[short]]
    lost = names[fewest:]
    raise DataError(
        Problem(
            label,
            "a row with fewer fields than the header, its last cells missing (a file or a row cut short?)",
            column=", ".join(lost) if len(lost) <= 4 else f"{lost[0]} to {lost[-1]} ({len(lost)} columns)",
            rows=tuple(rows[:5]),
            n_rows=len(rows),
            expected=f"{width} fields, as in the header",
            found=" or ".join(str(n) for n in sorted(set(fields[short].tolist()), reverse=True)) + " fields",
            hint="restore the missing cells; an empty cell is still written, with its comma (202,2024,)",
        )
    )


def _records(text: str) -> list[list[str]]:
    """The records of ``text`` as the csv module reads them, a cell of any length (q12att H1), a
    blank line an empty record: record ``i`` is row ``i + 1`` in Excel."""
    with _fields_of_any_length():
        return list(csv.reader(io.StringIO(text, newline="")))  # a lone CR is a line end, as for pandas


def ragged(text: str, label: str, exc: Exception) -> Problem:
    """Why a CSV does not parse: rows with more fields than the header (a trailing comma on every
    row is the usual cause), or a quote never closed; rows as Excel numbers them.

    Examples
    --------
    >>> print(ragged('a,b\\n1,"x\\n', "f.csv", ValueError("EOF inside string")))  # doctest: +ELLIPSIS
    f.csv, row 2, column 'b': a double quote (") opens a field that never closes...
    >>> print(ragged("a,b\\n1,2,3\\n", "f.csv", ValueError("saw 3")))  # doctest: +ELLIPSIS
    f.csv, row 2: a row with more fields than the header; expected 2 fields, as in the header, found 3...
    """
    rows = _records(text)
    header = next((i for i, r in enumerate(rows) if any(c.strip() for c in r)), 0)
    width = len(rows[header]) if rows else 0
    if "EOF inside string" in str(exc) and rows:
        return _unclosed(rows, header, label)
    longer = [i + 1 for i, r in enumerate(rows) if len(r) > width and i > header]
    data = [r for r in rows[header + 1 :] if r]
    if longer and all(not c.strip() for r in data for c in r[width:]):
        return Problem(
            label,
            "data rows have more fields than the header: an extra, empty field at the end of "
            + ("every row" if len(longer) == len(data) else "some rows"),
            rows=tuple(longer[:5]),
            n_rows=len(longer),
            expected=f"{width} fields per row, as in the header",
            found=f"{width + 1} (a trailing comma?)",
            hint="remove the trailing commas, or give the extra column a name in the header",
        )
    if longer:
        counts = sorted({len(rows[i - 1]) for i in longer}, reverse=True)
        return Problem(
            label,
            "a row with more fields than the header",
            rows=tuple(longer[:5]),
            n_rows=len(longer),
            expected=f"{width} fields, as in the header",
            found=" or ".join(map(str, counts)) + " fields",
            hint='put a value that holds a comma in double quotes ("5,000"), or name the extra column',
        )
    return Problem(
        label,
        f"the CSV does not parse ({exc})".replace("\n", " "),
        hint="check for unquoted commas or a stray line",
    )


def _unclosed(rows: list[list[str]], header: int, label: str) -> Problem:
    """A double quote that opens a field and never closes: the csv module reads the rest of the file
    into that field, so it is the last record's last field; pandas numbers the row from its own
    count (q12att M8), this from Excel's."""
    names = rows[header]
    at = len(rows[-1]) - 1
    return Problem(
        label,
        'a double quote (") opens a field that never closes: the rest of the file reads as one cell',
        column=names[at].strip().lstrip("\ufeff") if len(rows) - 1 > header and at < len(names) else None,
        rows=(len(rows),),
        n_rows=1,
        expected="a closing double quote at the end of the field",
        found="none before the end of the file",
        hint='close the quote, or remove it (a double quote inside a quoted field is written "")',
    )
