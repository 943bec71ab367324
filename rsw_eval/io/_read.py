"""Read a tabular source (CSV, XLSX, Parquet path or a DataFrame) without interpreting its values.

Values come back as they are in the file (strings for CSV, cell values for XLSX and Parquet); the
loaders coerce and validate them. Input files are opened read-only and never written.
"""

from __future__ import annotations

import csv
import io
import os
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from rsw_eval._errors import DataError, Problem

SUFFIXES = (".csv", ".xlsx", ".parquet")
#: Text encodings tried, in order, for CSV files: UTF-8 (with or without a byte-order mark), then
#: Windows-1252, which is what Excel's "CSV" export writes on English-language Windows.
ENCODINGS = ("utf-8-sig", "cp1252")


@dataclass(frozen=True)
class Source:
    """Where a table came from, for error messages and provenance.

    ``row_offset`` turns a 0-based data-row position into the row number a user sees: 2 for files with a
    header in row 1, ``None`` for DataFrames (whose index labels are reported instead).
    """

    label: str
    kind: str  # "csv", "xlsx", "parquet" or "dataframe"
    encoding: str | None = None
    sheet: str | None = None

    def rows(self, frame: pd.DataFrame, mask: np.ndarray) -> list[int]:
        """Row numbers (file rows, header = 1) or index labels of the rows where ``mask`` is true."""
        positions = np.flatnonzero(mask)
        if self.kind == "dataframe":
            return [frame.index[p] for p in positions]
        return [int(p) + 2 for p in positions]


def read_table(
    source: str | os.PathLike | pd.DataFrame, *, sheet: str | None = None
) -> tuple[pd.DataFrame, Source]:
    """Return the raw table and its :class:`Source` description.

    Raises :class:`~rsw_eval.DataError` for a missing path, an unsupported suffix, an empty or
    header-only file, undecodable bytes, a CSV that does not parse and an ambiguous XLSX workbook.
    """
    if isinstance(source, pd.DataFrame):
        frame = source.copy()
        frame.columns = [str(c).strip() for c in frame.columns]
        info = Source("<DataFrame>", "dataframe")
        _check_not_empty(frame, info)
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
                found=repr(path.suffix or "no suffix"),
                hint="export the table as CSV, XLSX or Parquet",
            )
        )
    if not path.is_file():
        what = "is a folder, not a file" if path.is_dir() else "does not exist"
        raise DataError(Problem(label, f"the path {what}", hint="check the path and its spelling"))
    if suffix == ".csv":
        frame, info = _read_csv(path, label)
    elif suffix == ".xlsx":
        frame, info = _read_xlsx(path, label, sheet)
    else:
        frame, info = _read_parquet(path, label)
    frame.columns = [str(c).strip() for c in frame.columns]
    _check_not_empty(frame, info)
    return frame, info


def header_columns(path: Path) -> list[str]:
    """The column names of a file, reading only the header line of a CSV (used to recognise a
    layout before choosing its loader)."""
    if path.suffix.lower() != ".csv":
        return [str(c).strip() for c in read_table(path)[0].columns]
    with path.open("rb") as fh:
        first = fh.readline()
    text, _ = _decode(first, str(path))
    return [c.strip() for c in next(csv.reader([text.lstrip("\ufeff")]), [])]


def _decode(data: bytes, label: str) -> tuple[str, str]:
    for encoding in ENCODINGS:
        if encoding != "utf-8-sig" and b"\x00" in data:
            break  # UTF-16/32 or binary: cp1252 would "decode" it into garbage
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise DataError(
        Problem(
            label,
            "the file's text encoding is not supported",
            expected="UTF-8, UTF-8 with BOM or Windows-1252 (Excel CSV)",
            found="bytes that decode as none of these (UTF-16 or a binary file?)",
            hint="save the file again as 'CSV UTF-8'",
        )
    )


def _read_csv(path: Path, label: str) -> tuple[pd.DataFrame, Source]:
    data = path.read_bytes()
    if not data.strip():
        raise _empty(label, "0 rows")
    text, encoding = _decode(data, label)
    try:
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, skip_blank_lines=True)
    except pd.errors.ParserError as exc:
        raise DataError(
            Problem(
                label,
                f"the CSV does not parse ({exc})".replace("\n", " "),
                hint="check for unquoted commas or a stray line",
            )
        ) from None
    except pd.errors.EmptyDataError:
        raise _empty(label, "0 rows") from None
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
        frame = pd.read_excel(book, sheet_name=sheet, dtype=object)
    frame = frame.dropna(how="all")
    return frame, Source(label, "xlsx", sheet=sheet)


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
