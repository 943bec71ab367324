"""HM Treasury GDP deflators at market prices, read from the workbook as published."""

from __future__ import annotations

import os
import re
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from rsw_eval._errors import DataError, Problem, RswEvalWarning
from rsw_eval.io._formulas import cell_name
from rsw_eval.io._panel import reporting_year
from rsw_eval.io._xls import check_formulas, read_cells

__all__ = ["CalendarYearDeflatorWarning", "load_deflator"]

_FINANCIAL = re.compile(r"^\s*(\d{4})\s*-\s*(\d{2})\b")
_CALENDAR = re.compile(r"^\s*(\d{4})(\.0)?(\s|$|\()")
_BASE = re.compile(r"=\s*100|index", re.I)


#: The yearly change (ratio to the year before) a deflator may show. HM Treasury's GDP deflator
#: series (March 2020 and March 2022 vintages, 1955 on) rose at most 24.5% in a financial year
#: (1975-76; 26.2% in calendar 1975) and fell at most 0.34%: the bound leaves margin on both sides
#: and refuses a slipped or swapped leading digit (84.19 typed 48.19 is a 41% fall).
_YEARLY = (0.95, 1.40)


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
        ``calendar="error"``), a base year the series does not have, or a series that is not one
        positive index per year: a year listed twice, years out of sequence or missing, a year
        label that is not a year (``2008-10``, ``1066-67``), a blank or error cell before the
        last year with an index, or an index more than doubling or halving in a year.

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
    for name, raw in sheets.items():
        blocks = _blocks(raw)
        if blocks:
            check_formulas(path, [name], label)  # values the workbook never saved read as blank
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
    _check_series(period, years, rows[index_col], index, (year_col, index_col), label)
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


def _refuse(label: str, col: int, at, message: str, expected: str, found) -> DataError:
    """The error for the sheet rows ``at`` (0-based, as read) of column ``col``, numbered as Excel
    shows them."""
    at = list(at)
    return DataError(
        Problem(
            label,
            message,
            column=cell_name(1, col)[:-1],
            rows=tuple(int(i) + 1 for i in at[:5]),
            n_rows=len(at),
            expected=expected,
            found=", ".join(
                "an empty cell or an error value such as #REF!"
                if v is None or (isinstance(v, float) and np.isnan(v))
                else (f"'{v}'" if isinstance(v, str) else f"{v:g}")
                for v in list(found)[:5]
            ),
        )
    )


def _check_series(
    period: pd.Series, years: pd.Series, cells: pd.Series, index: pd.Series, cols: tuple, label: str
) -> None:
    """A deflator series is one index per year, years in sequence with none twice or missing, and
    values that are price levels: refuse anything else by cell (a duplicate year crashed later
    joins; a swapped, deleted or blank year silently deflated spending with another year's index).
    Forecast years at the end of the series may carry no index (``-``)."""
    year_col, index_col = cols
    fy = "a financial year such as 2008-09" if period.str.contains("-").any() else "a year such as 2008"
    bad = years.isna() | ~years.between(1900, 2100)
    if bad.any():
        raise _refuse(
            label,
            year_col,
            years.index[bad],
            "a year label that is not a year of the series",
            f"{fy} (the second year the one after the first), from 1900 to 2100",
            period[bad],
        )
    years = years.astype(int)
    twice = years.duplicated(keep=False)
    if twice.any():
        raise _refuse(
            label,
            year_col,
            years.index[twice],
            "the same year listed twice",
            "each year once (which of the values is right?)",
            period[twice],
        )
    step = years.diff().iloc[1:] != 1
    if step.any():
        at = years.index.get_loc(step.index[step.to_numpy()][0])
        raise _refuse(
            label,
            year_col,
            years.index[at - 1 : at + 1],
            "years not in sequence",
            "each year the one after the row above, with no year missing or out of order",
            period.iloc[at - 1 : at + 1],
        )
    gap = index.isna() & index[::-1].notna().cummax()[::-1].shift(-1, fill_value=False)
    if gap.any():
        raise _refuse(
            label,
            index_col,
            index.index[gap],
            "no index for a year before the last year that has one",
            "a number (only the forecast years at the end may show '-')",
            cells[gap].map(lambda v: v if pd.isna(v) else str(v)),
        )
    bad = ~(index > 0) & index.notna()  # a deflator is a positive price level
    if bad.any():
        raise _refuse(
            label,
            index_col,
            index.index[bad],
            "a deflator that is not positive",
            "an index above 0",
            index[bad],
        )
    ratio = index.dropna() / index.dropna().shift()
    jump = ~ratio.between(*_YEARLY) & ratio.notna()
    if jump.any():  # a one-digit typo (84.19 -> 48.19) moves it by far more (findings-q13in A4)
        at = list(jump.index[jump.to_numpy()])
        low, high = (round(100 * (r - 1)) for r in _YEARLY)
        raise _refuse(
            label,
            index_col,
            at,
            "a deflator that changes from the year before by more than the GDP deflator ever has",
            f"a change from the year before of {low}% to +{high}% (HM Treasury's series since 1955 rose "
            "at most 26% in a year, in 1975, and never fell more than 0.4%); a digit typed wrong?",
            index[at],
        )


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
