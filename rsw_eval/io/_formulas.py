"""Cells of an XLSX workbook that every reader misreads, found in the sheet's XML (the same cells
of ODS and XLS workbooks: :mod:`rsw_eval.io._sheet_cells`).

- Formula cells without a saved value: a workbook written by a program that does not calculate
  (openpyxl, many exports, a script) stores each formula without its result, and every reader
  then sees a blank cell. Found from each ``<f>`` element to the cell around it.
- Error values (``#N/A``, ``#DIV/0!``, ``#REF!``, ``#VALUE!``): cells of type ``e``, which pandas'
  readers turn into blanks (:func:`error_cells`).
- Numbers shown as percentages: a cell holding 0.58 with the number format ``0%`` is 58% on
  screen but 0.58 to every reader (:func:`percent_cells`).

rsw-eval refuses the first two by cell instead of reading them as missing, and reads the third as
the percentage Excel shows.
"""

from __future__ import annotations

import math
import posixpath
import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree

from rsw_eval._errors import DataError, Problem
from rsw_eval.io._sheet_cells import ods_cells, xls_error_cells

__all__ = [
    "cell_name",
    "error_cells",
    "percent_cells",
    "percent_number",
    "refuse_blank_cells",
    "show_percents",
    "uncached_formulas",
]

_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")
_CELL_START = re.compile(rb"<(?:\w+:)?c[\s>]")
_CELL_END = re.compile(rb"</(?:\w+:)?c>")
_REF = re.compile(rb'\sr="([A-Z]+)(\d+)"')
_TYPE = re.compile(rb'\st="(\w+)"')
_VALUE = re.compile(rb"<(?:\w+:)?v>[^<]+</(?:\w+:)?v>")


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _sheet_xml(book: zipfile.ZipFile, sheet: str | None) -> str | None:
    """The zip member holding ``sheet`` (default: the first sheet)."""
    workbook = ElementTree.fromstring(book.read("xl/workbook.xml"))
    sheets = [e for e in workbook.iter() if _local(e.tag) == "sheet"]
    chosen = next((e for e in sheets if sheet is None or e.get("name") == sheet), None)
    if chosen is None:
        return None
    rels = ElementTree.fromstring(book.read("xl/_rels/workbook.xml.rels"))
    target = next((e.get("Target") for e in rels.iter() if e.get("Id") == chosen.get(_REL)), None)
    if not target:
        return None
    return target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")


def _member(path: str | Path, sheet: str | None, styles: bool = False) -> tuple[bytes, bytes | None]:
    """The XML of ``sheet`` (and of the styles, with ``styles``); empty for a workbook that cannot
    be read this way (the reader that follows says why)."""
    try:
        with zipfile.ZipFile(path) as book:
            member = _sheet_xml(book, sheet)
            if member is None or member not in book.namelist():
                return b"", None
            extra = book.read("xl/styles.xml") if styles and "xl/styles.xml" in book.namelist() else None
            return book.read(member), extra
    except (OSError, KeyError, zipfile.BadZipFile, ElementTree.ParseError):
        return b"", None


#: A cell with content (not ``<c .../>``), of type error / with a style; group 2 or 1: its content.
_ERROR_CELL = re.compile(rb'<(?:\w+:)?c\s[^>]*\bt="e"[^>]*(?<!/)>(.*?)</(?:\w+:)?c>', re.S)
_STYLED_CELL = re.compile(rb'<(?:\w+:)?c\s[^>]*\bs="(\d+)"[^>]*(?<!/)>(.*?)</(?:\w+:)?c>', re.S)
#: Excel's built-in percentage formats (``0%`` and ``0.00%``).
_PERCENT_BUILTIN = frozenset({9, 10})


def error_cells(path: str | Path, sheet: str | None = None) -> list[tuple[int, int, str]]:
    """``(row, column, error)`` of every cell of ``sheet`` holding an Excel error value
    (``#N/A``, ``#DIV/0!`` ...), row as Excel numbers it, column from 0: in an XLSX, an ODS or an
    XLS workbook (the last two: :mod:`rsw_eval.io._sheet_cells`).

    Examples
    --------
    >>> _errors_in(b'<c r="A6" s="1"/><c r="B6" t="e"><v>#N/A</v></c><c r="C6"><v>1</v></c>')
    [(6, 1, '#N/A')]
    """
    suffix = Path(path).suffix.lower()
    if suffix == ".ods":
        return ods_cells(path, sheet)[0]
    if suffix == ".xls":
        return xls_error_cells(path, sheet)
    return _errors_in(_member(path, sheet)[0])


def _errors_in(data: bytes) -> list[tuple[int, int, str]]:
    found = []
    for m in _ERROR_CELL.finditer(data):
        ref = _REF.search(m.group(0))
        value = re.search(rb"<(?:\w+:)?v>([^<]*)<", m.group(1))
        if ref:
            text = value.group(1).decode("utf-8", "replace") if value else "an error"
            found.append((int(ref.group(2)), _column_index(ref.group(1).decode()), text))
    return found


def _percent_styles(styles: bytes) -> set[int]:
    """Indexes of the cell formats (``cellXfs``) whose number format shows a percentage."""
    root = ElementTree.fromstring(styles)
    custom = {}
    for e in root.iter():
        if _local(e.tag) == "numFmt":
            code = re.sub(r'"[^"]*"|\\.', "", e.get("formatCode", ""))  # literal text is not a format
            custom[int(e.get("numFmtId", -1))] = "%" in code
    xfs = next((e for e in root if _local(e.tag) == "cellXfs"), None)
    if xfs is None:
        return set()
    out = set()
    for i, xf in enumerate(e for e in xfs if _local(e.tag) == "xf"):
        fmt = int(xf.get("numFmtId", 0))
        if fmt in _PERCENT_BUILTIN or custom.get(fmt, False):
            out.add(i)
    return out


def percent_cells(path: str | Path, sheet: str | None = None) -> list[tuple[int, int]]:
    """``(row, column)`` of every number of ``sheet`` shown as a percentage (a number format with
    ``%``: Excel shows 0.58 as 58%), row as Excel numbers it, column from 0; in an XLSX or an ODS
    workbook (a cell of value-type ``percentage``).

    Examples
    --------
    >>> import tempfile
    >>> from openpyxl import Workbook
    >>> book = Workbook()
    >>> book.active.append(["pct", "n"]); book.active.append([0.58, 3])
    >>> book.active["A2"].number_format = "0%"
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     book.save(Path(tmp, "t.xlsx"))
    ...     percent_cells(Path(tmp, "t.xlsx"))
    [(2, 0)]
    """
    if Path(path).suffix.lower() == ".ods":  # a cell of value-type "percentage"
        return ods_cells(path, sheet)[1]
    data, styles = _member(path, sheet, styles=True)
    if not data or not styles:
        return []
    try:
        percent = _percent_styles(styles)
    except (ElementTree.ParseError, ValueError):
        return []
    found = []
    for m in _STYLED_CELL.finditer(data):
        if int(m.group(1)) not in percent:
            continue
        head = m.group(0)[: m.group(0).find(b">") + 1]
        kind = _TYPE.search(head)
        ref = _REF.search(head)
        if ref and (kind is None or kind.group(1) == b"n") and _VALUE.search(m.group(2)):
            found.append((int(ref.group(2)), _column_index(ref.group(1).decode())))
    return found


def uncached_formulas(path: str | Path, sheet: str | None = None) -> list[tuple[int, int]]:
    """``(row, column)`` of every formula cell of ``sheet`` that has no saved value: the row as
    Excel numbers it, the column from 0. Empty for a workbook that cannot be read this way (the
    reader that follows says why).

    Examples
    --------
    >>> import tempfile
    >>> from openpyxl import Workbook
    >>> book = Workbook()
    >>> book.active.append(["a", "b"]); book.active.append([1, "=A2*2"])
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     book.save(Path(tmp, "t.xlsx"))
    ...     uncached_formulas(Path(tmp, "t.xlsx"))
    [(2, 1)]
    """
    data = _member(path, sheet)[0]
    return _scan(data) if data else []


def _scan(data: bytes) -> list[tuple[int, int]]:
    """The formula cells without a value, found from each ``<f>`` element (a sheet with a few
    formulas among a million cells is not parsed cell by cell)."""
    found = []
    for m in _FORMULA.finditer(data):
        start = data.rfind(b"<", 0, m.start())
        while start >= 0 and not _CELL_START.match(data, start):
            start = data.rfind(b"<", 0, start)
        end = _CELL_END.search(data, m.end())
        head = data[start : data.find(b">", start) + 1] if start >= 0 else b""
        if not head or head.endswith(b"/>") or end is None or _CELL_END.search(data, start, m.start()):
            continue  # a formula outside a cell (not in a worksheet's data)
        cell = data[start : end.end()]
        kind = _TYPE.search(head)
        cached = _VALUE.search(cell) or (kind is not None and kind.group(1) in (b"str", b"inlineStr"))
        ref = _REF.search(head)
        if not cached and ref:
            found.append((int(ref.group(2)), _column_index(ref.group(1).decode())))
    return found


def _column_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - ord("A") + 1
    return n - 1


def cell_name(row: int, column: int) -> str:
    """Excel's name of a cell (row from 1, column from 0).

    Examples
    --------
    >>> cell_name(3, 0), cell_name(10, 27)
    ('A3', 'AB10')
    """
    letters = ""
    column += 1
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return f"{letters}{row}"


def refuse_blank_cells(path: Path, label: str, sheet: str | None, frame) -> None:
    """Cells every reader sees as blank: formulas saved without their value, and Excel error values
    (``#N/A``, ``#DIV/0!`` ...) that pandas turns into blanks. Refused, by column and row of
    ``frame``, a table read by :func:`~rsw_eval.io._read.read_table` (index = Excel row minus 2)."""
    uncached = [(r, c, "") for r, c in uncached_formulas(path, sheet)]
    problems = _cell_problems(label, frame, uncached, UNCACHED) + _cell_problems(
        label, frame, error_cells(path, sheet), ERROR_VALUE
    )
    if problems:
        raise DataError(problems)


#: Message, expected, what one cell is, and hint for each kind of cell :func:`_check_formulas` refuses.
UNCACHED = (
    "a formula without a saved value (the workbook was saved by a program that does not "
    "calculate formulas), which every reader sees as a blank cell",
    "a value",
    "formula cell{s} with no value",
    "open the workbook in Excel or LibreOffice and save it again, which stores each value",
)
ERROR_VALUE = (
    "an Excel error value, which every reader sees as a blank cell",
    "a value, or a blank or a DfE symbol (c, x, z ...) where there is none",
    "error value{s}",
    "correct the formula or the cells it uses, or type the value; rsw-eval does not read an error as missing",
)


def _cell_problems(
    label: str, frame, cells: list[tuple[int, int, str]], kind: tuple[str, str, str, str]
) -> list[Problem]:
    """One problem per column of ``cells`` (row as Excel numbers it, column from 0, the cell's text)."""
    message, expected, what, hint = kind
    rows_of: dict[int, list[tuple[int, str]]] = {}
    for row, col, text in cells:
        if row - 2 in frame.index and col < frame.shape[1]:
            rows_of.setdefault(col, []).append((row, text))
    problems = []
    for col, found in sorted(rows_of.items()):
        found.sort()
        texts = sorted({t for _, t in found if t})
        problems.append(
            Problem(
                label,
                message,
                column=str(frame.columns[col]),
                rows=tuple(r for r, _ in found[:5]),
                n_rows=len(found),
                expected=expected,
                found=f"{len(found)} {what.format(s='s' if len(found) > 1 else '')}"
                + (f" ({', '.join(texts[:3])})" if texts else ""),
                hint=hint,
            )
        )
    return problems


def show_percents(raw, cells: list[tuple[int, int]]) -> None:
    """Numbers with a percentage number format as Excel shows them and a CSV export holds them
    (0.58 with format ``0%`` is ``58%``), so that a percentage column typed the usual Excel way is
    not read 100 times too small: loaders that expect a percentage read ``58%`` as 58, the others
    refuse it by cell ("not a number"). ``raw``: index = the row in Excel minus 1.

    Examples
    --------
    >>> import pandas as pd
    >>> raw = pd.DataFrame([["pct", "n"], [0.184, 3]], dtype=object)
    >>> show_percents(raw, [(2, 0)])
    >>> raw.iat[1, 0]
    '18.4%'
    """
    for row, col in cells:
        if 0 <= row - 1 < raw.shape[0] and col < raw.shape[1]:
            value = raw.iat[row - 1, col]
            number = isinstance(value, int | float) and not isinstance(value, bool)
            if number and math.isfinite(value):
                raw.iat[row - 1, col] = f"{float(value) * 100:.12g}%"


#: A number followed by a percent sign, as :func:`show_percents` writes it and as a CSV holds it.
_PERCENT_SIGN = r"(?<=\d)\s*%$"


def percent_number(text):
    """Cells of a percentage column (0-100) as numbers to parse: ``58%`` is 58, as Excel shows a
    cell holding 0.58 in a percentage format (:func:`show_percents`) and as a CSV export or a
    typist writes it; other cells are left as they are. Only a loader that knows a column holds
    percentages calls this: elsewhere ``58%`` stays text and is refused by cell.

    Parameters
    ----------
    text : Series of str
        The cells, as :func:`~rsw_eval.io._read.read_table` gives them.

    Returns
    -------
    Series of str
        The same cells, a trailing ``%`` after a digit removed.

    Examples
    --------
    >>> import pandas as pd
    >>> percent_number(pd.Series(["58%", "18.4 %", "7", "c", "%"])).tolist()
    ['58', '18.4', '7', 'c', '%']
    """
    return text.str.replace(_PERCENT_SIGN, "", regex=True)
