"""The Excel reader for workbooks read cell by cell (title rows above the table, Excel 97 .xls)."""

from __future__ import annotations

from pathlib import Path


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
