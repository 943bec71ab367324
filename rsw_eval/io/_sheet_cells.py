"""Cells of .ods and .xls workbooks that python-calamine misreads, found in the file itself.

- Error values (``#N/A``, ``#DIV/0!``, ``#REF!``, ``#VALUE!`` ...): calamine gives an OpenDocument
  error cell as a blank, or as the 0 LibreOffice stores beside it, and an Excel 97 error cell as a
  blank; both are then read as missing (or as 0), silently. :mod:`rsw_eval.io._formulas` finds them
  in an XLSX workbook; this module finds them in an ODS sheet's ``content.xml`` (a cell of
  ``calcext:value-type="error"``, or a formula showing an error) and in an XLS workbook's BIFF8
  records (``BOOLERR`` and ``FORMULA`` records holding an error).
- Percentages: an ODS cell of ``office:value-type="percentage"`` holds 0.58 where the sheet shows
  58%; calamine gives 0.58.

Rows are numbered as the spreadsheet shows them (from 1), columns from 0, as in
:mod:`rsw_eval.io._formulas`. A file that cannot be read this way gives no cells (the reader that
follows says why).

May import: ``rsw_eval._errors`` only.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
from pathlib import Path
from xml.etree import ElementTree

__all__ = ["ods_cells", "xls_error_cells"]

_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_CALCEXT = "{urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0}"
#: What a spreadsheet shows in a cell whose formula fails (Excel's and LibreOffice's own ``Err:502``).
_ERROR_TEXT = re.compile(r"#(NULL!|DIV/0!|VALUE!|REF!|NAME\?|NUM!|N/A)|Err:\d{3}")
#: BIFF8 error codes (MS-XLS 2.5.97.2 BErr).
_BIFF_ERRORS = {
    0x00: "#NULL!",
    0x07: "#DIV/0!",
    0x0F: "#VALUE!",
    0x17: "#REF!",
    0x1D: "#NAME?",
    0x24: "#NUM!",
}
_BIFF_ERRORS |= {0x2A: "#N/A", 0x2B: "#GETTING_DATA"}


def ods_cells(
    path: str | Path, sheet: str | None
) -> tuple[list[tuple[int, int, str]], list[tuple[int, int]]]:
    """The error cells ``(row, column, text)`` and the percentage cells ``(row, column)`` of one
    sheet of an OpenDocument spreadsheet (``sheet=None``: the first).

    Examples
    --------
    >>> import tempfile
    >>> row = ('<table:table-row><table:table-cell table:number-columns-repeated="2"/>'
    ...        '<table:table-cell office:value-type="percentage" office:value="0.58"/>'
    ...        '<table:table-cell table:formula="of:=1/0" office:value-type="float" office:value="0" '
    ...        'calcext:value-type="error"><text:p>#DIV/0!</text:p></table:table-cell></table:table-row>')
    >>> content = ('<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    ...     'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    ...     'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    ...     'xmlns:calcext="urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0">'
    ...     '<office:body><office:spreadsheet><table:table table:name="S">'
    ...     '<table:table-row table:number-rows-repeated="2"/>' + row +
    ...     '</table:table></office:spreadsheet></office:body></office:document-content>')
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     with zipfile.ZipFile(Path(tmp, "b.ods"), "w") as book:
    ...         book.writestr("content.xml", content)
    ...     ods_cells(Path(tmp, "b.ods"), "S")
    ([(3, 3, '#DIV/0!')], [(3, 2)])
    """
    try:
        with zipfile.ZipFile(path) as book:
            data = book.read("content.xml")
    except (OSError, KeyError, zipfile.BadZipFile):
        return [], []
    shown_error = b"table:formula" in data and re.search(rb">(#[A-Z/0!?]+|Err:\d{3})<", data)
    if b'value-type="error"' not in data and b'value-type="percentage"' not in data and not shown_error:
        return [], []  # the common case: nothing to look for, and no parse
    errors: list[tuple[int, int, str]] = []
    percents: list[tuple[int, int]] = []
    inside, row, col = False, 0, 0
    try:
        for event, e in ElementTree.iterparse(io.BytesIO(data), events=("start", "end")):
            if event == "start":
                if e.tag == _TABLE + "table" and sheet in (None, e.get(_TABLE + "name")) and not inside:
                    inside, row = True, 0
                elif e.tag == _TABLE + "table-row":
                    col = 0
            elif e.tag == _TABLE + "table" and inside:
                break
            elif not inside:
                if e.tag == _TABLE + "table-row":
                    e.clear()  # another sheet's rows
            elif e.tag in (_TABLE + "table-cell", _TABLE + "covered-table-cell"):
                span = int(e.get(_TABLE + "number-columns-repeated", "1"))
                kind = e.get(_CALCEXT + "value-type") or e.get(_OFFICE + "value-type")
                text = "".join(e.itertext()).strip()
                if kind == "error" or (e.get(_TABLE + "formula") and _ERROR_TEXT.fullmatch(text)):
                    errors += [(row + 1, c, text or "an error") for c in range(col, col + min(span, 1024))]
                elif kind == "percentage":
                    percents += [(row + 1, c) for c in range(col, col + min(span, 1024))]
                col += span
            elif e.tag == _TABLE + "table-row":
                repeat = int(e.get(_TABLE + "number-rows-repeated", "1"))
                for found in (errors, percents):  # a repeated row repeats its cells
                    mine = [cell for cell in found if cell[0] == row + 1]
                    found += [(row + 1 + k, *cell[1:]) for k in range(1, min(repeat, 65536)) for cell in mine]
                row += repeat
                e.clear()
    except (ElementTree.ParseError, ValueError):
        return [], []
    return errors, percents


def xls_error_cells(path: str | Path, sheet: str | None) -> list[tuple[int, int, str]]:
    """``(row, column, error)`` of every error cell of one sheet of an Excel 97 (BIFF8) workbook
    (``sheet=None``: the first): a ``BOOLERR`` record holding an error, or a ``FORMULA`` record
    whose saved result is one.

    Examples
    --------
    >>> xls_error_cells(Path("no such file.xls"), None)
    []
    """
    try:
        stream = _cfb_stream(Path(path).read_bytes(), "Workbook")
    except (OSError, ValueError, IndexError, struct.error):
        return []
    if stream is None:
        return []
    found = []
    try:
        offset = _sheet_offset(stream, sheet)
        for kind, body in _records(stream, offset or 0):
            if offset is None or kind == 0x000A:  # EOF: the end of the sheet
                break
            if kind == 0x0205 and len(body) >= 8 and body[7] == 1:  # BOOLERR, an error
                row, col = struct.unpack_from("<HH", body)
                found.append((row + 1, col, _BIFF_ERRORS.get(body[6], "an error")))
            elif kind == 0x0006 and len(body) >= 14 and body[6] == 2 and body[12:14] == b"\xff\xff":
                row, col = struct.unpack_from("<HH", body)  # FORMULA whose result is an error
                found.append((row + 1, col, _BIFF_ERRORS.get(body[8], "an error")))
    except (IndexError, struct.error):
        return found
    return found


def _records(stream: bytes, at: int):
    while at + 4 <= len(stream):
        kind, size = struct.unpack_from("<HH", stream, at)
        yield kind, stream[at + 4 : at + 4 + size]
        at += 4 + size


def _sheet_offset(stream: bytes, sheet: str | None) -> int | None:
    """Where the worksheet ``sheet`` (None: the first) starts, from the workbook's BOUNDSHEET8 records."""
    for kind, body in _records(stream, 0):
        if kind == 0x000A:  # the end of the workbook globals
            return None
        if kind == 0x0085 and body[5] == 0:  # BOUNDSHEET8 of a worksheet
            count, wide = body[6], body[7] & 1
            raw = body[8 : 8 + count * (2 if wide else 1)]
            name = raw.decode("utf-16-le" if wide else "latin-1")
            if sheet is None or name == sheet:
                return struct.unpack_from("<I", body)[0]
    return None


def _cfb_stream(data: bytes, wanted: str) -> bytes | None:
    """The stream ``wanted`` of an OLE compound file (the container of .xls workbooks), or None."""
    if data[:8] != b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        return None
    shift, mini_shift = struct.unpack_from("<HH", data, 0x1E)
    size = 1 << shift
    n_fat, first_dir = struct.unpack_from("<II", data, 0x2C)
    cutoff, first_mini, _n_mini, first_difat = struct.unpack_from("<IIII", data, 0x38)
    sectors = list(struct.unpack_from("<109I", data, 0x4C))
    next_difat = first_difat
    while next_difat < 0xFFFFFFFA and len(sectors) < n_fat + 109:
        more = struct.unpack_from(f"<{size // 4}I", data, (next_difat + 1) * size)
        sectors += more[:-1]
        next_difat = more[-1]
    fat = []
    for s in sectors[:n_fat]:
        fat += struct.unpack_from(f"<{size // 4}I", data, (s + 1) * size)

    def chain(start: int, unit: int, read, table) -> bytes:
        out, seen = [], set()
        while start < 0xFFFFFFFA and start not in seen and start < len(table):
            seen.add(start)
            out.append(read(start, unit))
            start = table[start]
        return b"".join(out)

    def big(s: int, n: int) -> bytes:
        return data[(s + 1) * n : (s + 2) * n]

    directory = chain(first_dir, size, big, fat)
    entries = [directory[i : i + 128] for i in range(0, len(directory) - 127, 128)]
    for entry in entries:
        length = struct.unpack_from("<H", entry, 64)[0]
        if entry[: max(length - 2, 0)].decode("utf-16-le", "replace") != wanted:
            continue
        start, stream_size = struct.unpack_from("<II", entry, 116)
        if stream_size >= cutoff:
            return chain(start, size, big, fat)[:stream_size]
        root = entries[0]
        ministream = chain(struct.unpack_from("<I", root, 116)[0], size, big, fat)
        minifat_bytes = chain(first_mini, size, big, fat)
        minifat = struct.unpack_from(f"<{len(minifat_bytes) // 4}I", minifat_bytes)
        mini = 1 << mini_shift
        return chain(start, mini, lambda s, n, m=ministream: m[s * n : (s + 1) * n], minifat)[:stream_size]
    return None
