"""Small .ods and .xls workbooks written byte by byte, for the cells no installed writer makes: error
values (an ODS formula showing ``#DIV/0!``, an XLS ``BOOLERR`` or ``FORMULA`` record holding
``#REF!``) and ODS percentage cells. pandas writes neither format without odfpy or xlwt, which
rsw-eval does not need; these writers are the smallest files python-calamine reads."""

from __future__ import annotations

import struct
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

#: Excel's BIFF8 error codes (MS-XLS BErr).
XLS_ERRORS = {"#NULL!": 0x00, "#DIV/0!": 0x07, "#VALUE!": 0x0F, "#REF!": 0x17, "#N/A": 0x2A}


class Error(str):
    """An error cell showing this text (``Error("#REF!")``)."""


class FormulaError(Error):
    """A formula cell whose saved result is this error (XLS: a FORMULA record; ODS: LibreOffice's
    way, the error beside a stored 0)."""


class Percent(float):
    """A number shown as a percentage (0.58 shown as 58%)."""


def _ods_cell(value) -> str:
    if isinstance(value, Error):
        attrs = 'table:formula="of:=1/0" calcext:value-type="error" '
        attrs += 'office:value-type="float" office:value="0"' if isinstance(value, FormulaError) else ""
        return f"<table:table-cell {attrs}><text:p>{escape(value)}</text:p></table:table-cell>"
    if isinstance(value, Percent):
        return f'<table:table-cell office:value-type="percentage" office:value="{float(value)!r}"/>'
    if isinstance(value, int | float):
        return f'<table:table-cell office:value-type="float" office:value="{value!r}"/>'
    if value in (None, ""):
        return "<table:table-cell/>"
    text = escape(str(value))
    return f'<table:table-cell office:value-type="string"><text:p>{text}</text:p></table:table-cell>'


def write_ods(path: Path, rows: list[list], sheet: str = "Sheet1") -> Path:
    """An OpenDocument spreadsheet of one sheet holding ``rows`` (row 0 = row 1)."""
    ns = {
        "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
        "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
        "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
        "calcext": "urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0",
        "manifest": "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0",
    }
    xmlns = " ".join(f'xmlns:{k}="{v}"' for k, v in ns.items())
    body = "".join("<table:table-row>" + "".join(map(_ods_cell, r)) + "</table:table-row>" for r in rows)
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {xmlns} office:version="1.2">'
        f'<office:body><office:spreadsheet><table:table table:name="{escape(sheet)}">{body}</table:table>'
        "</office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        f'<?xml version="1.0" encoding="UTF-8"?><manifest:manifest {xmlns} manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    with zipfile.ZipFile(path, "w") as book:
        book.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        book.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
        book.writestr("META-INF/manifest.xml", manifest)
    return path


def _record(kind: int, body: bytes = b"") -> bytes:
    return struct.pack("<HH", kind, len(body)) + body


def _biff8(rows: list[list], sheet: str) -> bytes:
    """A BIFF8 workbook stream: globals (BOF, CODEPAGE, BOUNDSHEET8, SST, EOF), then the sheet."""
    strings = sorted({str(v) for r in rows for v in r if isinstance(v, str) and not isinstance(v, Error)})

    def bof(kind: int) -> bytes:
        return _record(0x0809, struct.pack("<HHHHII", 0x0600, kind, 0x0DBB, 0x07CC, 0, 6))

    sst = struct.pack("<II", len(strings), len(strings))
    sst += b"".join(struct.pack("<HB", len(s), 0) + s.encode("latin-1") for s in strings)
    name = sheet.encode("latin-1")

    def globals_(offset: int) -> bytes:
        bound = struct.pack("<IBBBB", offset, 0, 0, len(name), 0) + name
        codepage = _record(0x0042, struct.pack("<H", 1200))
        return bof(0x0005) + codepage + _record(0x0085, bound) + _record(0x00FC, sst) + _record(0x000A)

    cells = b""
    for r, row in enumerate(rows):
        for c, v in enumerate(row):
            if isinstance(v, FormulaError):
                code = XLS_ERRORS[v]
                result = bytes([2, 0, code, 0, 0, 0, 0xFF, 0xFF])
                formula = struct.pack("<HIH", 0, 0, 2) + bytes([0x1C, code])  # ptgErr
                cells += _record(0x0006, struct.pack("<HHH", r, c, 0) + result + formula)
            elif isinstance(v, Error):
                cells += _record(0x0205, struct.pack("<HHHBB", r, c, 0, XLS_ERRORS[v], 1))
            elif isinstance(v, str) and v:
                cells += _record(0x00FD, struct.pack("<HHHI", r, c, 0, strings.index(v)))
            elif isinstance(v, int | float):
                cells += _record(0x0203, struct.pack("<HHHd", r, c, 0, float(v)))
    start = len(globals_(0))
    return globals_(start) + bof(0x0010) + cells + _record(0x000A)


def write_xls(path: Path, rows: list[list], sheet: str = "Sheet1") -> Path:
    """An Excel 97 workbook of one sheet holding ``rows``: a BIFF8 stream in an OLE compound file
    of 512-byte sectors (header, one FAT sector, one directory sector, the stream)."""
    stream = _biff8(rows, sheet)
    stream += b"\0" * (max(4096, -(-len(stream) // 512) * 512) - len(stream))  # no mini stream
    n = len(stream) // 512
    end, free = 0xFFFFFFFE, 0xFFFFFFFF
    fat = [0xFFFFFFFD, end] + [3 + i if i < n - 1 else end for i in range(n)]
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 16
    header += struct.pack("<HHHHH6sIIIIIIIII", 0x3E, 3, 0xFFFE, 9, 6, b"", 0, 1, 1, 0, 4096, end, 0, end, 0)
    header += struct.pack("<109I", 0, *[free] * 108)

    def entry(name: str, kind: int, child: int, start: int, size: int) -> bytes:
        raw = name.encode("utf-16-le") + b"\0\0" if name else b""
        head = raw.ljust(64, b"\0") + struct.pack(
            "<HBBIII", len(raw), kind, 1 if name else 0, free, free, child
        )
        return head + b"\0" * 36 + struct.pack("<III", start, size, 0)

    directory = entry("Root Entry", 5, 1, end, 0) + entry("Workbook", 2, free, 2, len(stream))
    directory += entry("", 0, free, 0, 0) * 2
    path.write_bytes(header + struct.pack("<128I", *(fat + [free] * 128)[:128]) + directory + stream)
    return path
