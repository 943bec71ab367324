"""Cells of an XLSX workbook that every reader misreads, found in the sheet's XML.

- Formula cells without a saved value: a workbook written by a program that does not calculate
  (openpyxl, many exports, a script) stores each formula without its result, and every reader
  then sees a blank cell. Found from each ``<f>`` element to the cell around it.
- Error values (``#N/A``, ``#DIV/0!``, ``#REF!``, ``#VALUE!``): cells of type ``e``, which pandas'
  readers turn into blanks (:func:`error_cells`).

rsw-eval refuses them by cell instead of reading them as missing.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree

__all__ = ["cell_name", "error_cells", "uncached_formulas"]

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


def error_cells(path: str | Path, sheet: str | None = None) -> list[tuple[int, int, str]]:
    """``(row, column, error)`` of every cell of ``sheet`` holding an Excel error value
    (``#N/A``, ``#DIV/0!`` ...), row as Excel numbers it, column from 0.

    Examples
    --------
    >>> _errors_in(b'<c r="A6" s="1"/><c r="B6" t="e"><v>#N/A</v></c><c r="C6"><v>1</v></c>')
    [(6, 1, '#N/A')]
    """
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
