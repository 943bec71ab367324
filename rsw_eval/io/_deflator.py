"""HM Treasury GDP deflators at market prices, read from the workbook as published."""

from __future__ import annotations

import os
import re
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from rsw_eval._errors import DataError, Problem, RswEvalWarning
from rsw_eval.io._panel import reporting_year
from rsw_eval.io._xls import read_cells

__all__ = ["CalendarYearDeflatorWarning", "load_deflator"]

_FINANCIAL = re.compile(r"^\s*(\d{4})\s*-\s*(\d{2})\b")
_CALENDAR = re.compile(r"^\s*(\d{4})(\.0)?(\s|$|\()")
_BASE = re.compile(r"=\s*100|index", re.I)


class DeflatorGapWarning(RswEvalWarning):
    """Spending years a deflator vintage has no index for: they stay in nominal terms only."""


class CalendarYearDeflatorWarning(RswEvalWarning):
    """Financial-year spending is being deflated with a calendar-year index (``calendar="allow"``)."""


def _blocks(sheet: pd.DataFrame) -> dict[str, tuple[int, int, int]]:
    """``{"financial"|"calendar": (year column, index column, first data row)}`` read from the
    headers: a column of year labels and, to its right, the column headed ``... = 100`` or
    ``Index ...``."""
    text = sheet.astype(object).where(sheet.notna(), "").astype(str)
    found: dict[str, tuple[int, int, int]] = {}
    for col in text.columns:
        cells = text[col].str.strip()
        for basis, pattern in (("financial", _FINANCIAL), ("calendar", _CALENDAR)):
            hits = cells.str.match(pattern)
            if basis in found or hits.sum() < 10:
                continue
            first = int(np.flatnonzero(hits.to_numpy())[0])
            header = text.iloc[max(first - 3, 0) : first]
            index_col = next(
                (
                    c
                    for c in text.columns
                    if c > col
                    and header[c].str.contains(_BASE).any()
                    and c not in {v[1] for v in found.values()}
                ),
                None,
            )
            if index_col is not None:
                found[basis] = (col, index_col, first)
    return found


def _vintage(sheet: pd.DataFrame, first_row: int) -> str:
    cells = [
        str(v).strip()
        for v in sheet.iloc[:first_row].to_numpy().ravel()
        if isinstance(v, str) and re.search(r"updated|as at|consistent with", v, re.I)
    ]
    return " ".join(cells)


def load_deflator(
    source: str | os.PathLike,
    *,
    basis: str = "financial",
    base: str | int | None = None,
    calendar: str = "error",
    sheet: str | None = None,
) -> pd.DataFrame:
    """Read the HM Treasury GDP deflator workbook (``GDP_Deflators_*.xlsx``) as published.

    The layout is read from the headers: the block of financial years (``1955-56`` ...) and the
    block of calendar years (``1955`` ...), each with the column headed ``... = 100`` or
    ``Index ...`` beside it; forecast years that carry only a % change come back as NaN.

    Parameters
    ----------
    source : path
        The workbook as downloaded from gov.uk ("GDP deflators at market prices, and money GDP").
    basis : {"financial", "calendar"}
        The years wanted: financial years (for spending by financial year, such as outturn) or
        calendar years.
    base : str or int, optional
        Rebase so that this year is 100: ``"2018-19"`` or ``2019`` (year ending 31 March) for
        financial years, ``2019`` for calendar years. Default: the published base.
    calendar : {"error", "allow"}
        When financial years are wanted and the workbook has only calendar years (the March 2022
        vintage): raise (default), or give the financial year ending 31 March Y the index of
        calendar year Y-1 (which holds nine of its twelve months) with a
        :class:`CalendarYearDeflatorWarning`.
    sheet : str, optional
        Worksheet name; default the first sheet with a deflator block.

    Returns
    -------
    DataFrame
        ``year`` (int: year ending 31 March for financial years), ``period`` (as published),
        ``index``, ``basis`` (``"financial year"``, ``"calendar year"`` or ``"financial year from
        calendar year Y-1"``), ``base`` (e.g. ``"2018-19 = 100"``), ``published_base``,
        ``vintage`` (the workbook's "last updated" and forecast notes) and ``source``. It can be
        passed to :func:`rsw_eval.io.real_terms` as ``price_index=``.

    Raises
    ------
    DataError
        No deflator block in the headers, financial years wanted but absent (with
        ``calendar="error"``), or a base year the series does not have.

    Examples
    --------
    >>> from pathlib import Path
    >>> path = Path("../shared/data/dfe/GDP_Deflators_Budget_March_2020_update.xlsx")
    >>> d = load_deflator(path) if path.is_file() else None
    >>> d.set_index("year").loc[[2009, 2010], "index"].tolist() if d is not None else [84.190175, 85.57825]
    [84.190175, 85.57825]
    """
    if basis not in ("financial", "calendar"):
        raise ValueError(f"basis must be 'financial' or 'calendar'. Got {basis!r} instead.")
    if calendar not in ("error", "allow"):
        raise ValueError(f"calendar must be 'error' or 'allow'. Got {calendar!r} instead.")
    label = str(source)
    path = Path(source)
    sheets = read_cells(path, sheet)
    sheets = {sheet: sheets} if sheet is not None else sheets
    blocks, raw = {}, None
    for raw in sheets.values():
        blocks = _blocks(raw)
        if blocks:
            break
    if not blocks:
        raise DataError(
            Problem(
                label,
                "no GDP deflator table found in the headers",
                expected="a column of years (1955-56 ... or 1955 ...) with a column headed '... = 100' "
                "or 'Index ...' beside it",
            )
        )
    converted = basis == "financial" and "financial" not in blocks
    if converted and calendar == "error":
        raise DataError(
            Problem(
                label,
                "financial years wanted but the workbook has calendar years only",
                expected="a 'Financial year' block (e.g. the March 2020 Budget vintage)",
                found="a calendar-year block only",
                hint="use a vintage with financial years, or pass --calendar allow (in the spec: "
                'deflator = { path = "...", calendar = "allow" }) to use calendar year Y-1 for the '
                "year ending March Y",
            )
        )
    year_col, index_col, first = blocks["calendar" if converted or basis == "calendar" else "financial"]
    header = raw.iloc[max(first - 3, 0) : first, index_col].dropna().astype(str)
    published_base = next((h.strip() for h in header if _BASE.search(h)), "")
    rows = raw.iloc[first:, [year_col, index_col]].dropna(subset=[year_col])
    period = rows[year_col].astype(str).str.strip()
    pattern = _CALENDAR if converted or basis == "calendar" else _FINANCIAL
    rows, period = rows[period.str.match(pattern)], period[period.str.match(pattern)]
    if converted or basis == "calendar":
        years = period.str.extract(r"^(\d{4})", expand=False).astype(int)
    else:
        start = period.str.extract(r"^(\d{4}\s*-\s*\d{2})", expand=False)
        years = start.str.replace(" ", "").map(reporting_year)
    index = pd.to_numeric(rows[index_col], errors="coerce").astype(float)
    out = pd.DataFrame(
        {
            "year": (years + 1 if converted else years).astype("int64").to_numpy(),
            "period": period.str.replace(r"\s*\(\d\).*$", "", regex=True).to_numpy(),
            "index": index.to_numpy(),
            "basis": "financial year from calendar year Y-1"
            if converted
            else ("financial year" if basis == "financial" else "calendar year"),
            "published_base": published_base,
            "vintage": _vintage(raw, first),
            "source": path.name,
        }
    )
    if converted:
        warnings.warn(
            f"{path.name} has calendar years only: the financial year ending 31 March Y is deflated "
            "with calendar year Y-1's index (an approximation; use a vintage with financial years)",
            CalendarYearDeflatorWarning,
            stacklevel=2,
        )
    out["base"] = published_base
    if base is not None:
        out = _rebase(out, base, label)
    return out


def _rebase(table: pd.DataFrame, base: str | int, label: str) -> pd.DataFrame:
    year = reporting_year(base) if isinstance(base, str) else int(base)
    row = table[table["year"] == year]
    if year is None or row.empty or not np.isfinite(row["index"].iloc[0]):
        have = table.loc[table["index"].notna(), "year"]
        raise DataError(
            Problem(
                label,
                f"no deflator value for the base year {base!r}",
                expected=f"a year from {int(have.min())} to {int(have.max())} (years ending 31 March)",
            )
        )
    period = row["period"].iloc[0]
    factor = 100 / row["index"].iloc[0]  # exactly 1 when the base is the published one
    return table.assign(index=table["index"] * factor, base=f"{period} = 100")
