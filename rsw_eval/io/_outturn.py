"""Section 52 and Section 251 outturn (children's and young people's services spending) -> cost panel.

Every published layout and form from 2008-09 to 2017-18 (CSV; Excel 97 .xls, .xlsx and OpenDocument
.ods workbooks with title rows above the table or several sheets) and the Explore Education
Statistics (EES) layout is read through one versioned line crosswalk
(``rsw_eval/data/outturn_crosswalk.csv``) that maps each year's lines to the Munro cost drivers and
to a stable scope.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from rsw_eval._errors import DataError, Problem, found_columns
from rsw_eval.io._crosswalk import CROSSWALK_VERSION, match_lines
from rsw_eval.io._header_names import unique_names
from rsw_eval.io._lacodes import current_code, map_old_codes
from rsw_eval.io._outturn_amounts import amounts
from rsw_eval.io._outturn_blocks import (
    block_names_match,
    blocks_have_totals,
    la_numbers_given,
    last_row_whole,
)
from rsw_eval.io._panel import finish_panel, reporting_year
from rsw_eval.io._read import read_table
from rsw_eval.io._xls import WORKBOOK_SUFFIXES, choose_sheet, header_row, table_below

__all__ = ["SCOPES", "load_outturn"]

#: ``scope=`` choices: children's social care (a scope that stays the same from 2008-09 to
#: 2016-17) or the whole children's and young people's services budget (which gains Sure Start and
#: services for young people in 2010-11).
SCOPES = ("childrens_social_care", "cyps")
#: Expenditure column per layout: "gross" = total expenditure (k), "net" = net current expenditure (m).
_COLUMNS = {
    "gross": re.compile(r"^(total[ _]?(gross[ _]?)?expenditure|gross[ _]?expenditure)", re.I),
    "net": re.compile(r"^net[ _]?current[ _]?expenditure", re.I),
}


@dataclass(frozen=True)
class _Layout:
    name: str
    la: str
    la_name: str
    line: str | None  # None: the line number starts the description (2008-09) or there is none (EES)
    description: str

    def matches(self, columns: set[str]) -> bool:
        return {self.la, self.description, *([self.line] if self.line else [])} <= columns


_LAYOUTS = (
    _Layout("S52 2008-09", "LEA Number:", "LA Name:", None, "S52 Line Reference:"),
    _Layout("S251 2009-10", "LEA", "LEA Name", "Line", "S52 Line Reference"),
    _Layout("S251 2010-11", "LA", "LA Name", "Line", "S52 Line Reference"),
    _Layout("S251 2011-12 to 2013-14", "LA", "LA Name", "LineNumber", "CYPServiceDescription"),
    _Layout("S251 Table_A1 2015-16 on", "LA", "LA Name", "s251line", "Description"),
    _Layout("EES S251", "old_la_code", "la_name", None, "description_of_expenditure"),
)


def _layout(columns: set[str], label: str) -> _Layout:
    for layout in _LAYOUTS:
        if layout.matches(columns):
            return layout
    raise DataError(
        Problem(
            label,
            "not a recognised Section 52 / Section 251 outturn layout",
            expected="; ".join(
                f"{x.name}: {', '.join(repr(c) for c in (x.la, x.line, x.description) if c)}"
                for x in _LAYOUTS
            ),
            found=found_columns(sorted(columns)[:8]),
        )
    )


def _year_from_title(rows: list[list[object]], header: int) -> int | None:
    """The financial year a workbook's title rows name ("S52 Outturn 2008-09 - Table A1")."""
    for row in rows[:header]:
        for cell in row:
            m = re.search(r"\b(20\d{2})-(\d{2})\b", str(cell))
            if m and int(m.group(2)) == (int(m.group(1)) + 1) % 100:
                return int(m.group(1)) + 1
    return None


def _year_from_name(label: str) -> int:
    stem = Path(label).stem
    m = re.search(r"(\d{2})(\d{2})(?!\d)", stem)
    if m and int(m.group(2)) == (int(m.group(1)) + 1) % 100:
        return 2000 + int(m.group(2))
    m = re.search(r"ye(20\d{2})", stem, re.I)
    if m:
        return int(m.group(1))
    raise DataError(
        Problem(
            label,
            "cannot tell the financial year from the file name",
            hint="pass --year YEAR, the year ending 31 March (year = YYYY in the spec)",
        )
    )


def _is_header(cells: set[str]) -> bool:
    return any(layout.matches(cells) for layout in _LAYOUTS)


def _read(source, sheet: str | None = None) -> tuple[pd.DataFrame, str, int | None]:
    """The table, its label and the year its title rows name (workbooks). A workbook's sheet is
    ``sheet``, else the only sheet holding an outturn table (title rows above the header and
    empty sheets are passed over); row numbers in messages are the rows Excel shows."""
    if isinstance(source, pd.DataFrame) or Path(source).suffix.lower() not in WORKBOOK_SUFFIXES:
        frame, info = read_table(source, sheet=sheet)
        frame.columns = [str(c).strip() for c in frame.columns]
        return frame, info.label, None  # indexed by the row in the file minus 2
    label = str(source)
    sheet, rows = choose_sheet(
        source, sheet, lambda r: header_row(r, _is_header) is not None, "a Section 52 / 251 outturn table"
    )
    top = header_row(rows, _is_header)
    if top is None:  # the sheet was named: say which layouts were looked for
        first = header_row(rows, any)
        if first is None:
            raise DataError(Problem(label, f"sheet {sheet!r} is empty", expected="an outturn table"))
        _layout(set(table_below(rows, first)[0]), f"{label} (sheet {sheet!r})")
    names, frame = table_below(rows, top, label)
    frame.columns = unique_names(names, label)
    return frame, label, _year_from_title(rows, top)


def load_outturn(
    source: str | os.PathLike | pd.DataFrame,
    *,
    expenditure: str,
    year: int | None = None,
    level: str = "driver",
    scope: str = "childrens_social_care",
    crosswalk: str | os.PathLike | pd.DataFrame | None = None,
    on_unmapped: str = "error",
    sheet: str | None = None,
) -> pd.DataFrame:
    """Read a Section 52 / Section 251 outturn file (every authority's spending by line) into the cost panel.

    Parameters
    ----------
    source : path or DataFrame
        Any published layout: S52 2008-09 (``LEA Number:``, line number inside
        ``S52 Line Reference:``), 2009-10 (``LEA``, ``Line``), 2010-11 (``LA``, ``Line``,
        ``ReturnStatus``), 2011-12 to 2013-14 (``LineNumber``, ``CYPServiceDescription``),
        Table A1 of 2015-16 to 2017-18 (``ReportGroup``, ``OrderLine``, ``Description``,
        ``s251line``: the line is the number or code that starts the description) or the EES table
        (``time_period``, ..., ``description_of_expenditure``); in any form DfE published it: CSV
        (trailing spaces and Windows-1252 bytes handled), Excel 97 ``.xls``, ``.xlsx`` or
        OpenDocument ``.ods``, with title rows above the header (the year is then read from the
        title) and empty sheets beside the table. The years the bundled crosswalk covers are
        2008-09 to 2013-14, 2015-16 to 2017-18 and the EES layout.
    expenditure : {"gross", "net"}
        ``"gross"``: total expenditure (column k); ``"net"``: net current expenditure (column m).
        Required: the two differ by income and answer different questions.
    year : int, optional
        Year ending 31 March. Default: from the file name (``0809`` -> 2009, ``ye2017`` -> 2017);
        the EES layout has it in ``time_period``.
    level : {"driver", "line"}
        ``"driver"`` (default): per authority ``cost_line:<driver>`` and ``total_cost`` of the
        chosen scope, plus ``cyps_total_cost`` (the file's total excluding CERA) and ``cera``.
        ``"line"``: every line as ``outturn_line:<n>`` with ``description``, ``kind``, ``driver``
        and ``line_scope`` columns.
    scope : {"childrens_social_care", "cyps"}
        Lines summed into ``total_cost``: children's social care (looked-after children,
        safeguarding and social work, family support, other children's and families services,
        management and strategy: the same scope in every year), or every detail line of the
        children's and young people's services budget (its scope grows in 2010-11).
    crosswalk : path or DataFrame, optional
        Your own line mapping, with the columns of :func:`outturn_crosswalk`. Default: the
        bundled crosswalk (``CROSSWALK_VERSION``).
    on_unmapped : {"error", "drop"}
        Rows of authorities abolished before GSS codes (the 2008-09 file still has Bedfordshire and
        Cheshire): raise (default) or drop them with a warning.
    sheet : str, optional
        The worksheet of a workbook (``sheet =`` in the spec, ``--sheet``). Default: the only
        sheet that holds an outturn table.

    Returns
    -------
    DataFrame
        The long panel (values in pounds) with ``scope``, ``crosswalk`` (the bundled version, or
        ``user: FILE sha256:...`` for your own) and ``collection`` (``S52`` for 2008-09, else
        ``S251``) columns.

    Raises
    ------
    DataError
        Unknown layout, a year the crosswalk does not cover, a line it does not know or whose text
        differs from the crosswalk (so a new layout is never summed silently), unknown LA numbers,
        detail lines that do not add up to the file's total, an authority's block without the
        total line the other blocks have, a last row cut short, or an LA number whose authority
        in the bundled lookup is not the one the name column gives.

    Examples
    --------
    >>> import pandas as pd
    >>> raw = pd.DataFrame({"LEA": ["204"] * 4, "LEA Name": ["Hackney "] * 4,
    ...     "Line": ["5", "6", "1", "44"], "S52 Line Reference": ["Residential care",
    ...     "Fostering services", "Secure accommodation (youth justice)",
    ...     "TOTAL CHILDREN AND YOUNG PEOPLE'S SERVICES BUDGET (excluding CERA)"],
    ...     "Total Expenditure (k)": ["100", "50", "10", "160"],
    ...     "NET Current Expenditure (m)": ["90", "50", "10", "150"]})
    >>> p = load_outturn(raw, expenditure="gross", year=2010).set_index("indicator")["value"]
    >>> p[["cost_line:looked_after_placements", "total_cost", "cyps_total_cost"]].tolist()
    [150.0, 150.0, 160.0]
    """
    if expenditure not in _COLUMNS:
        raise ValueError(f"expenditure must be 'gross' or 'net'. Got {expenditure!r} instead.")
    if level not in ("driver", "line"):
        raise ValueError(f"level must be 'driver' or 'line'. Got {level!r} instead.")
    if scope not in SCOPES:
        raise ValueError(f"scope must be one of {', '.join(SCOPES)}. Got {scope!r} instead.")
    frame, label, titled = _read(source, sheet)
    layout = _layout(set(frame.columns), label)
    if layout.la_name not in frame.columns:
        raise DataError(
            Problem(
                label,
                f"missing column {layout.la_name!r} of the {layout.name} layout",
                column=layout.la_name,
                expected=f"columns {layout.la!r}, {layout.la_name!r} and the spending lines",
                found=found_columns(frame.columns),
            )
        )
    ees = layout.name.startswith("EES")
    if not ees:  # EES tables end with national rows, which have no LA columns
        last_row_whole(frame, label)
    value_col = next((c for c in frame.columns if _COLUMNS[expenditure].match(c)), None)
    if value_col is None:
        raise DataError(
            Problem(
                label,
                f"no {expenditure} expenditure column",
                expected=_COLUMNS[expenditure].pattern.lstrip("^") + " ...",
                found=found_columns(frame.columns),
            )
        )
    if ees:
        frame, years = _ees_rows(frame, label)
    else:
        chosen = int(year) if year is not None else titled if titled is not None else _year_from_name(label)
        years = pd.Series(chosen, index=frame.index)
    lines = match_lines(frame, layout, years, label, crosswalk)
    values, flags = amounts(frame, value_col, label)
    if not ees:  # an EES table's national rows have no LA number
        la_numbers_given(frame, layout.la, label)
    codes = frame[layout.la].astype(str).str.strip().str.removesuffix(".0").str.zfill(3)
    if ees:
        gss, keep = frame["new_la_code"].astype(str).str.strip().map(current_code), np.ones(len(frame), bool)
    else:
        gss, keep = map_old_codes(
            codes, label=label, column=layout.la, rows=frame.index.to_series() + 2, on_unmapped=on_unmapped
        )
    block_names_match(frame[keep], codes[keep], layout.la_name, label)
    version = _crosswalk_version(crosswalk)
    panel = pd.DataFrame(
        {
            "la_code": gss,
            "old_la_code": codes,
            "la_name": frame[layout.la_name].astype(str).str.strip(),
            "year": years,
            "indicator": "outturn_line:" + lines["line"],
            "value": values,
            "flag": flags,
            "source": Path(label).name,
            "description": frame[layout.description].astype(str).str.strip(),
            "kind": lines["kind"],
            "driver": lines["driver"],
            "line_scope": lines["scope"],
            "scope": scope,
            "crosswalk": version,
            "collection": "S52" if layout.name.startswith("S52") else "S251",
        }
    )[keep]
    _no_repeated_lines(panel, label, layout.line or layout.description)
    blocks_have_totals(panel, label, layout.line or layout.description)
    if level == "line":
        return finish_panel(panel, label)
    return finish_panel(_by_driver(panel, label, scope), label)


def _no_repeated_lines(panel: pd.DataFrame, label: str, column: str) -> None:
    """An authority's spending line twice (a block pasted twice) would be summed into its totals:
    refuse it, naming the repeated rows (the first occurrence of each line is kept as the original)."""
    again = panel.duplicated(["la_code", "year", "indicator"], keep="first")
    if again.any():
        first = panel[again].iloc[0]
        raise DataError(
            Problem.where(
                label,
                "the same authority and spending line appear more than once (a block of rows repeated?)",
                panel.index,
                again,
                column=column,
                expected="each authority's lines once",
                found=f"{int(again.sum())} repeated rows, e.g. {first['old_la_code']} {first['la_name']} "
                f"{first['indicator'].removeprefix('outturn_line:')}",
                hint="delete the repeated rows; rsw-eval never sums a line twice",
            )
        )


def _crosswalk_version(crosswalk) -> str:
    """The bundled version, or the user's file with its hash (provenance names what was summed)."""
    if crosswalk is None:
        return CROSSWALK_VERSION
    if isinstance(crosswalk, pd.DataFrame):
        return "user: <DataFrame>"
    path = Path(crosswalk)
    digest = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "?"
    return f"user: {path.name} sha256:{digest[:12]}"


def _ees_rows(frame: pd.DataFrame, label: str) -> tuple[pd.DataFrame, pd.Series]:
    missing = [c for c in ("time_period", "geographic_level", "new_la_code") if c not in frame.columns]
    if missing:
        raise DataError(
            Problem(label, "EES outturn table without its geography columns", column=", ".join(missing))
        )
    frame = frame[frame["geographic_level"].astype(str).str.strip().str.lower() == "local authority"]
    years = frame["time_period"].map(reporting_year)
    if years.isna().any():
        bad = years.isna()
        raise DataError(
            Problem.where(
                label,
                "unrecognised time_period",
                frame.index,
                bad,
                column="time_period",
                expected="a financial year such as 201718",
            )
        )
    return frame, years.astype("int64")


def _by_driver(lines: pd.DataFrame, label: str, scope: str) -> pd.DataFrame:
    keys = ["la_code", "old_la_code", "la_name", "year", "source", "scope", "crosswalk", "collection"]
    detail = lines[lines["kind"] == "detail"]
    chosen = detail if scope == "cyps" else detail[detail["line_scope"] == "childrens_social_care"]
    sums = chosen.groupby([*keys, "driver"], sort=False)["value"].sum(min_count=1).reset_index()
    sums["indicator"] = "cost_line:" + sums["driver"]
    all_detail = detail.groupby(keys, sort=False)["value"].sum().rename("sum")
    published = lines[lines["kind"] == "total"].groupby(keys, sort=False)["value"].sum(min_count=1)
    check = all_detail.to_frame().join(published.rename("total"), how="left")
    off = check["total"].notna() & (np.abs(check["sum"] - check["total"]) > 1.0)
    if off.any():
        worst = check[off].iloc[0]
        raise DataError(
            Problem(
                label,
                "the detail lines do not add up to the file's total (excluding CERA)",
                found=f"{int(off.sum())} authorities, e.g. "
                f"{check[off].index[0][2]}: lines {worst['sum']:,.2f} vs total "
                f"{worst['total']:,.2f}",
                hint="the crosswalk may count a sub-total as a detail line: check it (--crosswalk FILE)",
            )
        )
    parts = [sums.drop(columns="driver")]
    total = chosen.groupby(keys, sort=False)["value"].sum(min_count=1)
    parts.append(total.rename("value").reset_index().assign(indicator="total_cost"))
    cyps = check["total"].fillna(check["sum"]).rename("value").reset_index()
    parts.append(cyps.assign(indicator="cyps_total_cost"))
    cera = lines[lines["kind"] == "cera"].groupby(keys, sort=False)["value"].sum(min_count=1)
    parts.append(cera.rename("value").reset_index().assign(indicator="cera"))
    out = pd.concat(parts, ignore_index=True)
    out["flag"] = ""
    return out
