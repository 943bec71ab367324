"""The Excel reader for workbooks read cell by cell (title rows above the table, Excel 97 .xls)."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from rsw_eval._errors import DataError, Problem
from rsw_eval.io._formulas import cell_name, uncached_formulas


def excel_engine(path: Path) -> str:
    """``"calamine"`` (reads .xls and .xlsx, the engine pandas 3 recommends in place of xlrd)
    when python-calamine is installed, else ``"openpyxl"`` for .xlsx; .xls needs calamine.

    Examples
    --------
    >>> excel_engine(Path("book.xlsx")) in ("calamine", "openpyxl")
    True
    """
    try:
        import python_calamine  # noqa: F401
    except ImportError:
        if Path(path).suffix.lower() == ".xls":
            raise ImportError(
                f"reading {Path(path).name} (Excel 97 .xls) needs python-calamine: "
                "pip install python-calamine"
            ) from None
        return "openpyxl"
    return "calamine"


def read_cells(source: str | os.PathLike, sheet: str | None):
    """Every cell of one sheet (``sheet=None``: of every sheet, as a dict), no header row, values
    as stored. Raises :class:`~rsw_eval.DataError` for a missing or unreadable workbook."""
    label, path = str(source), Path(source)
    if not path.is_file():
        raise DataError(Problem(label, "the path does not exist", hint="check the path and its spelling"))
    try:
        cells = pd.read_excel(path, sheet_name=sheet, header=None, dtype=object, engine=excel_engine(path))
    except ImportError as exc:
        raise DataError(Problem(label, str(exc), hint="pip install python-calamine")) from None
    except Exception as exc:  # engines raise their own types (BadZipFile, CalamineError)
        what = f"no sheet {sheet!r} or not" if sheet else "not"
        raise DataError(Problem(label, f"{what} a readable workbook ({exc})")) from None
    if path.suffix.lower() == ".xlsx":
        _check_formulas(path, list(cells) if isinstance(cells, dict) else [sheet], label)
    return cells


def _check_formulas(path: Path, sheets: list[str | None], label: str) -> None:
    """Formula cells saved without a value would read as blank: refuse them, by cell."""
    problems = []
    for name in sheets:
        cells = uncached_formulas(path, name)
        if cells:
            shown = ", ".join(cell_name(r, c) for r, c in cells[:5])
            problems.append(
                Problem(
                    label,
                    f"{'sheet ' + repr(name) + ': ' if name else ''}formula cells without a saved value "
                    "(the workbook was saved by a program that does not calculate formulas)",
                    expected="a value in every cell",
                    found=f"{len(cells)} such cells: {shown}" + (" ..." if len(cells) > 5 else ""),
                    hint="open the workbook in Excel or LibreOffice and save it again",
                )
            )
    if problems:
        raise DataError(problems)
