"""Read a tabular source (CSV, XLSX, XLS, ODS, Parquet path or a DataFrame) without interpreting its values.

Values come back as they are in the file (strings for CSV, cell values for XLSX and Parquet); the
loaders coerce and validate them. Input files are opened read-only and never written.
"""

from __future__ import annotations

import csv
import io
import os
import re
import zipfile
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from rsw_eval._errors import DataError, Problem
from rsw_eval.io._controls import control_cells, no_controls
from rsw_eval.io._csv_problems import has_line_ends, no_short_rows, no_swallowed_rows, ragged
from rsw_eval.io._formulas import percent_cells, refuse_blank_cells, show_percents
from rsw_eval.io._header_names import unique_names
from rsw_eval.io._hidden import warn_hidden
from rsw_eval.io._paths import require_file
from rsw_eval.io._personal_names import check_header
from rsw_eval.io._wide_text import wide_text
from rsw_eval.io._xls import _cell_text

SUFFIXES = (".csv", ".xlsx", ".xls", ".ods", ".parquet")
#: Text encodings tried, in order, for CSV files: UTF-8 (with or without a byte-order mark), then
#: Windows-1252, which is what Excel's "CSV" export writes on English-language Windows.
ENCODINGS = ("utf-8-sig", "cp1252")


@dataclass(frozen=True)
class Source:
    """Where a table came from, for error messages and provenance.

    A file's frame is indexed by its row as Excel shows it, minus 2 (the header is row 1, the first
    data row is index 0, and blank rows keep their numbers), so ``index + 2`` is the row to report
    even after the loader has selected rows; a DataFrame keeps its own index, reported as is.
    """

    label: str
    kind: str  # "csv", "xlsx", "xls", "ods", "parquet" or "dataframe"
    encoding: str | None = None
    sheet: str | None = None

    def rows(self, frame: pd.DataFrame, mask: np.ndarray) -> list:
        """Row numbers (file rows, header = 1) or index labels of the rows where ``mask`` is true."""
        return self.row_numbers(frame.index[np.asarray(mask, dtype=bool)])

    def row_numbers(self, labels) -> list:
        """The rows to report for index labels of a frame read by :func:`read_table`."""
        if self.kind == "dataframe":
            return list(labels)
        return [int(i) + 2 for i in labels]


def read_table(
    source: str | os.PathLike | pd.DataFrame,
    *,
    sheet: str | None = None,
    repeated: Collection[str] = (),
) -> tuple[pd.DataFrame, Source]:
    """Return the raw table and its :class:`Source` description.

    Files come back as CSV gives them, whatever their format: every cell a string, ``""`` where it
    is blank (XLSX, Parquet and DataFrame cells are written as CSV would show them: ``486``,
    ``13.5``, dates as ``31/03/2009``), so that every loader reads the same table from CSV, XLSX,
    Parquet and a DataFrame (which is not changed).

    Raises :class:`~rsw_eval.DataError` for a missing or unreadable path, an unsupported suffix, an
    empty or header-only file, undecodable bytes, a CSV that does not parse (rows longer than the
    header, e.g. a trailing comma on every row), a CSV row shorter than the header (its last cells
    lost, which would otherwise load as blanks), a column name that appears twice (except the names
    in ``repeated``, numbered ``NAME.1``, ``NAME.2`` ... as pandas does) and an ambiguous workbook.
    """
    if isinstance(source, pd.DataFrame):
        info = Source("<DataFrame>", "dataframe")
        names = unique_names([str(c) for c in source.columns], info.label, repeated)
        frame = as_csv_text(source)
        frame.columns = names
        check_header(names, info.label, None)
        _check_not_empty(frame, info)
        _check_controls(frame, info)
        return frame, info
    path = Path(source)
    label = str(source)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise DataError(
            Problem(
                label,
                "unsupported file type",
                expected=" or ".join(SUFFIXES),
                # the tool's own words unquoted: a quoted text is a cell, masked by its name's shape
                found=repr(path.suffix) if path.suffix else "no suffix",
                hint="export the table as CSV, XLSX, ODS or Parquet",
            )
        )
    require_file(path, label)
    try:
        if suffix == ".csv":
            frame, info = _read_csv(path, label)
        elif suffix == ".xlsx":
            frame, info = _read_xlsx(path, label, sheet)
        elif suffix in (".xls", ".ods"):
            frame, info = _read_calamine(path, label, sheet)
        else:
            frame, info = _read_parquet(path, label)
    except OSError as exc:
        raise DataError(
            Problem(label, f"the file cannot be read ({(exc.strerror or str(exc)).lower()})")
        ) from None
    top = 1  # the header's row as Excel shows it
    if info.kind == "parquet":
        header = [str(c) for c in frame.columns]
        frame = as_csv_text(frame)
    elif info.kind in ("xls", "ods"):  # text already, indexed by the row in Excel minus 2
        header = [str(c) for c in frame.columns]
        top = int(frame.index[0]) + 1 if len(frame) else 1
    else:  # every row as text, indexed by its row in the file minus 1 (below: minus 2)
        frame = frame if info.kind == "csv" else as_csv_text(frame)
        blank = (frame == "").all(axis=1).to_numpy()
        if blank.all():
            raise _empty(label, "0 rows")
        first = int(np.argmin(blank))  # the header: the first row that is not blank
        header = [str(v) for v in frame.iloc[first]]
        frame = frame.iloc[first + 1 :][~blank[first + 1 :]]
        frame.index = frame.index - 1
        top = first + 1
    frame.columns = unique_names(header, label, repeated)
    check_header(header, label, top)
    _check_not_empty(frame, info)
    _check_controls(frame, info)
    if info.kind in ("xlsx", "xls", "ods"):  # error cells of all three, by column and row (issue 21)
        refuse_blank_cells(path, info.label, info.sheet, frame)
    return frame, info


def as_csv_text(frame: pd.DataFrame) -> pd.DataFrame:
    """Every cell of ``frame`` as the string a CSV export would hold (``""`` for blank).

    Examples
    --------
    >>> import pandas as pd
    >>> as_csv_text(pd.DataFrame({"a": [486.0, 13.5, None], "b": [pd.Timestamp("2009-03-31"), pd.NaT, None]}))
         a           b
    0  486  31/03/2009
    1 13.5
    2
    """
    return pd.DataFrame(
        {i: [_cell_text(v) for v in frame.iloc[:, i].tolist()] for i in range(frame.shape[1])},
        index=frame.index,
        dtype=object,
    ).set_axis(frame.columns, axis=1)


def header_columns(path: Path) -> list[str]:
    """The column names of a file, reading only the start of a CSV (used to recognise a layout
    before choosing its loader): the first record that is not blank, whatever the line ends.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = Path(tmp, "t.csv")
    ...     _ = path.write_bytes(b"\\r la_code,year\\r204,2010\\r")  # classic-Mac line ends
    ...     header_columns(path)
    ['la_code', 'year']
    """
    if path.suffix.lower() != ".csv":
        return [str(c).strip() for c in read_table(path)[0].columns]
    with path.open("rb") as fh:
        start = fh.read(_HEADER_BYTES)
        if len(start) == _HEADER_BYTES:  # cut after a line end: never inside a UTF-8 character
            start = start[: max(start.rfind(b"\n"), start.rfind(b"\r")) + 1] or start
    text, _ = _decode(start, str(path))
    for record in csv.reader(io.StringIO(text.lstrip("\ufeff"), newline="")):
        if any(c.strip() for c in record):
            return [c.strip() for c in record]
    return []


#: How much of a CSV :func:`header_columns` reads.
_HEADER_BYTES = 1 << 20


def _decode(data: bytes, label: str) -> tuple[str, str]:
    """The text of a CSV file's bytes and its encoding, the first of :data:`ENCODINGS` that
    decodes them. UTF-16 and UTF-32 are refused by name (without a byte-order mark, UTF-16 Latin
    text is valid UTF-8, a NUL beside each letter); a stray NUL byte is decoded, so that the check
    of control characters names its row and column.

    Examples
    --------
    >>> _decode("LA,Café\\n".encode("cp1252"), "s.csv")
    ('LA,Café\\n', 'cp1252')
    """
    wide = wide_text(data)
    for encoding in ENCODINGS if wide is None else ():
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise DataError(
        Problem(
            label,
            "the file's text encoding is not supported",
            expected="UTF-8, UTF-8 with BOM or Windows-1252 (Excel CSV)",
            found=wide or "bytes that decode as none of these (a binary file?)",
            hint="save the file again as 'CSV UTF-8'",
        )
    )


def _read_csv(path: Path, label: str) -> tuple[pd.DataFrame, Source]:
    """Every record as text, indexed by its row in Excel minus 1 (a blank line is a row; a quoted
    line break is not; CR, LF and CRLF line ends are all read)."""
    data = path.read_bytes()
    if not data.strip():
        raise _empty(label, "0 rows")
    text, encoding = _decode(data, label)
    has_line_ends(text, label)
    body = text.lstrip("\r\n")  # pandas cannot start at a blank line: count the ones skipped
    skipped = len(re.findall(r"\r\n|\r|\n", text[: len(text) - len(body)]))
    try:
        frame = pd.read_csv(
            io.StringIO(body), dtype=str, keep_default_na=False, skip_blank_lines=False, header=None
        ).fillna("")
    except pd.errors.ParserError as exc:
        raise DataError(ragged(text, label, exc)) from None
    except pd.errors.EmptyDataError:
        raise _empty(label, "0 rows") from None
    frame.index = frame.index + skipped
    no_swallowed_rows(frame, label)  # first: a swallowed row also leaves its record short
    no_short_rows(frame, body, label)
    return frame, Source(label, "csv", encoding=encoding)


def _read_xlsx(path: Path, label: str, sheet: str | None) -> tuple[pd.DataFrame, Source]:
    try:
        book = pd.ExcelFile(path, engine="openpyxl")
    except (zipfile.BadZipFile, ValueError, KeyError, OSError) as exc:
        raise DataError(
            Problem(
                label,
                f"not a readable XLSX workbook ({exc})",
                hint="open it in Excel and save as .xlsx",
            )
        ) from None
    with book:
        names = [str(n) for n in book.sheet_names]
        if sheet is None and len(names) > 1:  # sheets left empty (Sheet2, Sheet3) are not a choice
            names = _sheets_with_cells(path, names)
        if sheet is None:
            if len(names) != 1:
                raise DataError(
                    Problem(
                        label,
                        "the workbook has several sheets and none was chosen",
                        expected="one sheet, or sheet=NAME (--sheet NAME)",
                        found=", ".join(repr(n) for n in names),
                    )
                )
            sheet = names[0]
        elif sheet not in names:
            raise DataError(
                Problem(
                    label,
                    f"no sheet named {sheet!r}",
                    expected="one of " + ", ".join(repr(n) for n in names),
                )
            )
        raw = pd.read_excel(book, sheet_name=sheet, dtype=object, header=None)
    if raw.empty:
        raise _empty(label, "0 rows")
    show_percents(raw, percent_cells(path, sheet))
    warn_hidden(path, label, sheet, raw.shape)
    return raw, Source(label, "xlsx", sheet=sheet)  # index: the row in Excel minus 1


def _sheets_with_cells(path: Path, names: list[str]) -> list[str]:
    from rsw_eval.io._xls import _book

    book = _book(path, str(path))
    used = [n for n in names if book.get_sheet_by_name(n).height > 0]
    return used or names


def _read_calamine(path: Path, label: str, sheet: str | None) -> tuple[pd.DataFrame, Source]:
    """An Excel 97 (.xls) or OpenDocument (.ods) sheet: the chosen one, else the only sheet with
    cells; the header is its first row with a value (index: the row in Excel minus 2). ODS
    percentage cells read as shown (:func:`~rsw_eval.io._formulas.show_percents`); the caller
    refuses error cells by column (:func:`~rsw_eval.io._formulas.refuse_blank_cells`)."""
    from rsw_eval.io._xls import choose_sheet, header_row, table_below

    sheet, rows = choose_sheet(path, sheet, lambda r: header_row(r, any) is not None, "a table", check=False)
    percents = percent_cells(path, sheet)  # ODS: 0.58 in a percentage cell is 58% on screen
    if percents:
        raw = pd.DataFrame(rows, dtype=object)
        show_percents(raw, percents)
        rows = raw.to_numpy().tolist()
    top = header_row(rows, any)
    if top is None:
        raise _empty(label, "0 rows")
    names, frame = table_below(rows, top)
    frame.columns = names
    return frame, Source(label, path.suffix.lower().lstrip("."), sheet=sheet)


def _read_parquet(path: Path, label: str) -> tuple[pd.DataFrame, Source]:
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        raise DataError(
            Problem(label, "reading Parquet needs pyarrow", hint="pip install 'rsw-eval[parquet]'")
        ) from None
    try:
        frame = pd.read_parquet(path)
    except Exception as exc:  # pyarrow raises several unrelated types for a corrupt file
        raise DataError(
            Problem(
                label,
                f"not a readable Parquet file ({type(exc).__name__})",
                hint="write it again with pandas.DataFrame.to_parquet",
            )
        ) from None
    return frame, Source(label, "parquet")


def _empty(label: str, found: str) -> DataError:
    return DataError(Problem(label, "the file is empty", expected="a header row and data rows", found=found))


def _check_controls(frame: pd.DataFrame, info: Source) -> None:
    """Refuse a cell holding a control character (:func:`~rsw_eval.io._controls.no_controls`), by
    row and column."""
    if (found := control_cells(frame)) is None:
        return
    column, rows = found
    no_controls(
        frame.loc[rows.to_numpy(), column].astype(str).head(5),
        info.label,
        "a cell (pasted from another program, or a damaged file?): it would break the reports and "
        "charts, and change how the text displays",
        rows=info.rows(frame, rows.to_numpy())[:5],
        n_rows=int(rows.sum()),
        column=column,
        hint="delete the character (it is invisible in most programs: retype the cell)",
    )


def _check_not_empty(frame: pd.DataFrame, info: Source) -> None:
    if frame.shape[1] == 0:
        raise _empty(info.label, "no columns")
    if frame.shape[0] == 0:
        raise DataError(
            Problem(
                info.label,
                "the file has a header but no data rows",
                expected="at least one data row",
                found=f"header only ({frame.shape[1]} columns)",
            )
        )
