"""Workbooks read cell by cell (.xls, .xlsx, .ods): title rows above the table, several sheets.

python-calamine reads all three formats (Excel 97, Office Open XML and OpenDocument) with one
engine and reports every row as Excel numbers it, so messages can name the row a user sees.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from rsw_eval._errors import DataError, Problem
from rsw_eval.io._formulas import cell_name, error_cells, uncached_formulas
from rsw_eval.io._paths import require_file

#: The workbook formats read cell by cell.
WORKBOOK_SUFFIXES = (".xls", ".xlsx", ".ods")


def _cell_text(value: object) -> str:
    """A cell as CSV shows it: "" for blank, ``486`` for a whole number, dates day first."""
    if value is None or value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, float | np.floating):
        if np.isnan(value):
            return ""
        return str(int(value)) if float(value).is_integer() and abs(value) < 2**53 else repr(float(value))
    if isinstance(value, dt.datetime | dt.date | pd.Timestamp):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, bool | np.bool_):
        return "TRUE" if value else "FALSE"
    return str(value)


def excel_engine(path: Path) -> str:
    """``"calamine"`` (reads .xls, .xlsx and .ods, the engine pandas 3 recommends in place of xlrd)
    when python-calamine is installed, else ``"openpyxl"`` for .xlsx; .xls and .ods need calamine.

    Examples
    --------
    >>> excel_engine(Path("book.xlsx")) in ("calamine", "openpyxl")
    True
    """
    try:
        import python_calamine  # noqa: F401
    except ImportError:
        if Path(path).suffix.lower() in (".xls", ".ods"):
            raise ImportError(
                f"reading {Path(path).name} (.xls or .ods) needs python-calamine: pip install python-calamine"
            ) from None
        return "openpyxl"
    return "calamine"


def read_cells(source: str | os.PathLike, sheet: str | None):
    """Every cell of one sheet (``sheet=None``: of every sheet, as a dict), no header row, values
    as stored. Raises :class:`~rsw_eval.DataError` for a missing or unreadable workbook."""
    label, path = str(source), Path(source)
    require_file(path, label)
    try:
        cells = pd.read_excel(path, sheet_name=sheet, header=None, dtype=object, engine=excel_engine(path))
    except ImportError as exc:
        raise DataError(Problem(label, str(exc), hint="pip install python-calamine")) from None
    except Exception as exc:  # engines raise their own types (BadZipFile, CalamineError)
        what = f"no sheet {sheet!r} or not" if sheet else "not"
        raise DataError(Problem(label, f"{what} a readable workbook ({exc})")) from None
    if sheet is not None:  # with every sheet, the caller checks the one it reads
        check_formulas(path, [sheet], label)
    return cells


def check_formulas(path: Path, sheets: list[str | None], label: str) -> None:
    """Formula cells of an XLSX workbook saved without a value, and Excel error values (``#N/A``,
    ``#REF!`` ...) of an XLSX, XLS or ODS workbook, read as blank (or 0): refuse them, by cell
    (:mod:`rsw_eval.io._formulas`; .xls and .ods always store formulas' values)."""
    if Path(path).suffix.lower() not in WORKBOOK_SUFFIXES:
        return
    problems = []
    for name in sheets:
        where = f"{'sheet ' + repr(name) + ': ' if name else ''}"
        cells = uncached_formulas(path, name)
        if cells:
            shown = ", ".join(cell_name(r, c) for r, c in cells[:5])
            problems.append(
                Problem(
                    label,
                    f"{where}formula cells without a saved value "
                    "(the workbook was saved by a program that does not calculate formulas)",
                    expected="a value in every cell",
                    found=f"{len(cells)} such cells: {shown}" + (" ..." if len(cells) > 5 else ""),
                    hint="open the workbook in Excel or LibreOffice and save it again",
                )
            )
        errors = error_cells(path, name)
        if errors:
            shown = ", ".join(f"{cell_name(r, c)} {text}" for r, c, text in errors[:5])
            problems.append(
                Problem(
                    label,
                    f"{where}Excel error values, which every reader sees as blank cells",
                    expected="a value in every cell",
                    found=f"{len(errors)} such cells: {shown}" + (" ..." if len(errors) > 5 else ""),
                    hint="correct the formula or the cells it uses, or type the value; "
                    "rsw-eval does not read an error as missing",
                )
            )
    if problems:
        raise DataError(problems)


def _book(path: Path, label: str):
    try:
        from python_calamine import CalamineWorkbook
    except ImportError:
        raise DataError(
            Problem(
                label,
                f"reading {path.suffix} workbooks needs python-calamine",
                hint="pip install python-calamine",
            )
        ) from None
    require_file(path, label)
    try:
        return CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # CalamineError, zip errors: not a workbook
        raise DataError(
            Problem(label, f"not a readable {path.suffix} workbook ({exc})", hint="open it and save it again")
        ) from None


def sheet_names(source: str | os.PathLike) -> list[str]:
    """The worksheet names of a workbook, in order.

    Examples
    --------
    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "b.xlsx"
    >>> with pd.ExcelWriter(path) as w:
    ...     pd.DataFrame({"a": [1]}).to_excel(w, sheet_name="one", index=False)
    ...     pd.DataFrame().to_excel(w, sheet_name="two")
    >>> sheet_names(path)
    ['one', 'two']
    """
    book = _book(Path(source), str(source))
    return list(book.sheet_names)


def sheet_rows(source: str | os.PathLike, sheet: str) -> list[list[object]]:
    """The cells of one sheet, row 0 = Excel row 1 (empty leading rows and columns kept), blank
    cells as ``""``, numbers as float, dates as datetime."""
    label = str(source)
    book = _book(Path(source), label)
    try:
        return book.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
    except Exception as exc:  # a sheet the engine cannot read
        raise DataError(Problem(label, f"sheet {sheet!r} cannot be read ({exc})")) from None


def cell_text(value: object) -> str:
    """A cell as CSV would show it (``486`` for a whole number, ``""`` for blank).

    Examples
    --------
    >>> cell_text(486.0), cell_text(13.5), cell_text(None), cell_text(" Hackney ")
    ('486', '13.5', '', ' Hackney ')
    """
    if isinstance(value, str):
        return value
    if type(value) is float:  # the common case, without _cell_text's checks of every type
        if value != value:
            return ""
        return str(int(value)) if value.is_integer() and abs(value) < 2**53 else repr(value)
    return "" if value is None else _cell_text(value)


def choose_sheet(
    source: str | os.PathLike,
    sheet: str | None,
    has_table: Callable[[list[list[object]]], bool],
    what: str,
    check: bool = True,
) -> tuple[str, list[list[object]]]:
    """The sheet to read and its rows: ``sheet`` when given, else the only sheet whose rows
    ``has_table`` recognises (empty sheets and title pages are passed over). With ``check``, its
    formula and error cells are refused (:func:`check_formulas`); without, the caller checks them.

    Raises :class:`~rsw_eval.DataError` naming the sheets when ``sheet`` does not exist, when no
    sheet holds ``what``, or when several do (choose one with ``sheet=``/``--sheet``).
    """
    label = str(source)
    names = sheet_names(source)
    if sheet is not None:
        if sheet not in names:
            raise DataError(
                Problem(label, f"no sheet named {sheet!r}", expected="one of " + ", ".join(map(repr, names)))
            )
        if check:
            check_formulas(Path(source), [sheet], label)
        return sheet, sheet_rows(source, sheet)
    found = []
    for name in names:
        rows = sheet_rows(source, name)
        if rows and has_table(rows):
            found.append((name, rows))
    if len(found) == 1:
        if check:
            check_formulas(Path(source), [found[0][0]], label)
        return found[0]
    raise DataError(
        Problem(
            label,
            f"no sheet holds {what}" if not found else f"several sheets hold {what} and none was chosen",
            expected="sheet = NAME in the spec (--sheet NAME)",
            found="sheets " + ", ".join(repr(n) for n, _ in found)
            if found
            else "sheets " + ", ".join(map(repr, names)),
        )
    )


def header_row(rows: list[list[object]], wanted: Callable[[set[str]], bool], limit: int = 30) -> int | None:
    """Index (0 = Excel row 1) of the first of the top ``limit`` rows whose stripped cells satisfy
    ``wanted``, or None.

    Examples
    --------
    >>> header_row([["Title"], [""], ["LA", "Line"]], lambda cells: {"LA", "Line"} <= cells)
    2
    """
    for i, row in enumerate(rows[:limit]):
        if wanted({cell_text(v).strip() for v in row}):
            return i
    return None


def table_below(
    rows: list[list[object]], header: int, label: str | None = None
) -> tuple[list[str], pd.DataFrame]:
    """The header cells of row ``header`` and the rows below it as CSV text, indexed so that
    ``index + 2`` is the row number Excel shows (rows with no value are left out). With the file's
    ``label``, a header cell that may identify a person is refused
    (:func:`rsw_eval.io._personal_names.check_header`): the workbook readers print and publish it.

    Examples
    --------
    >>> names, frame = table_below([["title"], ["la_code", "cla"], ["E09000012", 300]], 1, "t.ods")
    >>> names, frame.loc[1].tolist()
    (['la_code', 'cla'], ['E09000012', '300'])
    """
    names = [cell_text(v).strip() for v in rows[header]]
    if label is not None:
        from rsw_eval.io._personal_names import check_header

        check_header(names, label, header + 1)
    body = []
    index = []
    for i, row in enumerate(rows[header + 1 :], start=header + 1):
        cells = [cell_text(v) for v in row] + [""] * (len(names) - len(row))
        if any(c.strip() for c in cells):
            body.append(cells[: len(names)])
            index.append(i - 1)  # Excel row i + 1 = index + 2
    frame = pd.DataFrame(body, columns=range(len(names)), index=pd.Index(index), dtype=object)
    return names, frame


def check_columns(names: list[str], needed: tuple[str, ...], label: str, what: str) -> None:
    """Each of ``needed`` once in the header ``names`` of a sheet holding ``what``: a missing column
    would be a KeyError and two columns of one name would be read as one.

    Examples
    --------
    >>> check_columns(["ONS Code", "Local authority"], ("ONS Code",), "ro3.ods", "RO3")
    >>> try:
    ...     check_columns(["ONS Code", "ONS Code"], ("ONS Code", "E-code"), "ro3.ods", "RO3")
    ... except DataError as error:
    ...     print("; ".join(p.found for p in error.problems))
    2 columns of that name; no such column
    """
    problems = []
    for name in needed:
        n = names.count(name)
        if n != 1:
            problems.append(
                Problem(
                    label,
                    f"missing column {name!r} of {what}"
                    if n == 0
                    else f"the same column name appears more than once in {what}",
                    column=name,
                    expected=f"the column {name!r} once",
                    found="no such column" if n == 0 else f"{n} columns of that name",
                )
            )
    if problems:
        raise DataError(problems)


def refuse_empty(frame: pd.DataFrame, label: str, what: str) -> None:
    """A table that gives no rows of ``what`` (a file cut after its header, every row an
    authority not in the lookup) is an error, not a panel with "no problems found"."""
    if frame.empty:
        raise DataError(
            Problem(
                label,
                f"no rows of {what}",
                expected=f"at least one row of {what}",
                found="none (the header only, or no row of a known authority)",
            )
        )
