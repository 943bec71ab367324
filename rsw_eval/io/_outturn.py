"""Section 52 outturn (children's and young people's services spending) -> cost panel."""

from __future__ import annotations

import os
import re
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

from rsw_eval._errors import DataError, Problem
from rsw_eval.io._lacodes import map_old_codes
from rsw_eval.io._panel import finish_panel, parse_values
from rsw_eval.io._read import read_table

__all__ = ["DRIVERS", "load_outturn"]

DRIVERS = (
    "looked_after_placements",
    "safeguarding_social_work",
    "family_support",
    "management_commissioning",
    "other",
)
MAPPING_PATH = Path(__file__).resolve().parents[1] / "data" / "s52_drivers.csv"
MAPPING_VERSION = "s52-2008/2010-v1"
#: Expenditure column per layout: "gross" = total expenditure (k), "net" = net current expenditure (m).
_COLUMNS = {
    "gross": re.compile(r"^total expenditure", re.I),
    "net": re.compile(r"^net current expenditure", re.I),
}


def _normalise(text: str) -> str:
    text = re.sub(r"^\s*\d+\s*", "", str(text)).lower().replace("'", "").replace(",", "")
    return re.sub(r"\s+", " ", text).strip()


@cache
def _mapping() -> dict[str, str]:
    table = pd.read_csv(MAPPING_PATH, comment="#", dtype=str)
    return dict(zip(table["description"], table["driver"], strict=True))


def _layout(columns: list[str], label: str) -> tuple[str, str, str | None, str]:
    """(la column, name column, line-number column or None, description column)."""
    if {"LEA Number:", "S52 Line Reference:"} <= set(columns):
        return "LEA Number:", "LA Name:", None, "S52 Line Reference:"
    if {"LEA", "Line", "S52 Line Reference"} <= set(columns):
        return "LEA", "LEA Name", "Line", "S52 Line Reference"
    raise DataError(
        Problem(
            label,
            "not a recognised Section 52 outturn layout",
            expected="'LEA Number:', 'LA Name:', 'S52 Line Reference:' (2008-09) or "
            "'LEA', 'LEA Name', 'Line', 'S52 Line Reference' (2009-10)",
            found="columns " + ", ".join(map(repr, columns[:6])),
        )
    )


def load_outturn(
    source: str | os.PathLike | pd.DataFrame,
    *,
    expenditure: str,
    year: int | None = None,
    level: str = "driver",
    on_unmapped: str = "error",
) -> pd.DataFrame:
    """Read a Section 52 outturn file (every authority's spending by line) into the cost panel.

    Parameters
    ----------
    source : path or DataFrame
        Either layout: 2008-09 (``LEA Number:``, ``LA Name:``, line number inside
        ``S52 Line Reference:``) or 2009-10 (``LEA``, ``LEA Name``, ``Line``,
        ``S52 Line Reference``). Trailing spaces and Windows-1252 bytes are handled.
    expenditure : {"gross", "net"}
        ``"gross"``: total expenditure (column k); ``"net"``: net current expenditure (column m).
        Required: the two differ by income and answer different questions.
    year : int, optional
        Year ending 31 March. Default: from a ``0809``-style pair in the file name (-> 2009).
    level : {"driver", "line"}
        ``"driver"`` (default): one row per authority with ``cost_line:<driver>`` for each driver
        (see the bundled, versioned mapping ``rsw_eval/data/s52_drivers.csv``), ``total_cost`` (the
        file's total excluding CERA) and ``cost_line:cera``. ``"line"``: every line as
        ``s52_line:<n>`` with ``description``, ``is_total`` and ``driver`` columns.
    on_unmapped : {"error", "drop"}
        Rows of authorities abolished before GSS codes (the 2008-09 file still has Bedfordshire and
        Cheshire): raise (default) or drop them with a warning.

    Returns
    -------
    DataFrame
        The long panel (values in pounds).

    Raises
    ------
    DataError
        Unknown layout, a detail line the mapping does not know (so a new layout is never
        summed silently), unknown LA numbers, or drivers that do not add up to the file's total.

    Examples
    --------
    >>> import pandas as pd
    >>> raw = pd.DataFrame({"LEA": ["204", "204", "204"], "LEA Name": ["Hackney "] * 3,
    ...     "Line": ["5", "6", "44"], "S52 Line Reference": ["Residential care", "Fostering services",
    ...     "TOTAL CHILDREN AND YOUNG PEOPLE'S SERVICES BUDGET (excluding CERA)"],
    ...     "Total Expenditure (k)": ["100", "50", "150"],
    ...     "NET Current Expenditure (m)": ["90", "50", "140"]})
    >>> p = load_outturn(raw, expenditure="gross", year=2010)
    >>> p.set_index("indicator")["value"].to_dict()["cost_line:looked_after_placements"]
    150.0
    """
    if expenditure not in _COLUMNS:
        raise ValueError(f"expenditure must be 'gross' or 'net'. Got {expenditure!r} instead.")
    if level not in ("driver", "line"):
        raise ValueError(f"level must be 'driver' or 'line'. Got {level!r} instead.")
    frame, info = read_table(source)
    label = info.label
    columns = [str(c).strip() for c in frame.columns]
    frame.columns = columns
    la_col, name_col, line_col, desc_col = _layout(columns, label)
    value_col = next((c for c in columns if _COLUMNS[expenditure].match(c)), None)
    if value_col is None:
        raise DataError(
            Problem(
                label,
                f"no {expenditure} expenditure column",
                expected=_COLUMNS[expenditure].pattern.lstrip("^") + " ...",
                found="columns " + ", ".join(map(repr, columns)),
            )
        )
    if year is None:
        m = re.search(r"(\d{2})(\d{2})(?!\d)", Path(label).stem)
        if not m or int(m.group(2)) != (int(m.group(1)) + 1) % 100:
            raise DataError(
                Problem(
                    label,
                    "cannot tell the financial year from the file name",
                    hint="pass year= (the year ending 31 March)",
                )
            )
        year = 2000 + int(m.group(2))
    frame = frame.reset_index(drop=True)
    desc = frame[desc_col].astype(str)
    line = (
        frame[line_col].astype(str).str.strip()
        if line_col
        else desc.str.extract(r"^\s*(\d+)", expand=False).fillna("")
    )
    norm = desc.map(_normalise)
    is_total = norm.str.startswith("total")
    mapping = _mapping()
    driver = norm.map(mapping)
    unknown = ~is_total & driver.isna()
    if unknown.any():
        raise DataError(
            Problem(
                label,
                f"spending lines not in the driver mapping ({MAPPING_VERSION})",
                column=desc_col,
                rows=tuple(int(i) + 2 for i in frame.index[unknown][:5]),
                n_rows=int(unknown.sum()),
                found=", ".join(sorted(set(desc[unknown].str.strip()))[:5]),
            )
        )
    values, flags, bad = parse_values(frame[value_col])
    if bad.any():
        raise DataError(
            Problem(
                label,
                "not a number",
                column=value_col,
                rows=tuple(int(i) + 2 for i in frame.index[bad][:5]),
                n_rows=int(bad.sum()),
                expected="an amount in pounds",
            )
        )
    codes = frame[la_col].astype(str).str.strip().str.removesuffix(".0").str.zfill(3)
    gss, keep = map_old_codes(
        codes, label=label, column=la_col, rows=frame.index.to_series() + 2, on_unmapped=on_unmapped
    )
    lines = pd.DataFrame(
        {
            "la_code": gss,
            "old_la_code": codes,
            "la_name": frame[name_col].astype(str).str.strip(),
            "year": int(year),
            "indicator": "s52_line:" + line,
            "value": values,
            "flag": flags,
            "source": Path(label).name,
            "description": desc.str.strip(),
            "is_total": is_total,
            "driver": driver.fillna(""),
        }
    )[keep]
    if level == "line":
        return finish_panel(lines, label)
    return finish_panel(_by_driver(lines, label), label)


def _by_driver(lines: pd.DataFrame, label: str) -> pd.DataFrame:
    detail = lines[~lines["is_total"]]
    keys = ["la_code", "old_la_code", "la_name", "year", "source"]
    sums = detail.groupby([*keys, "driver"], sort=False)["value"].sum(min_count=1).reset_index()
    sums["indicator"] = "cost_line:" + sums["driver"]
    total_rows = lines[lines["description"].map(_normalise).str.contains(r"excluding cera")]
    total = total_rows.groupby(keys, sort=False)["value"].sum(min_count=1).rename("total")
    check = sums[sums["driver"] != "cera"].groupby(keys, sort=False)["value"].sum().to_frame("sum")
    check = check.join(total, how="left")
    off = check["total"].notna() & (np.abs(check["sum"] - check["total"]) > 1.0)
    if off.any():
        worst = check[off].iloc[0]
        raise DataError(
            Problem(
                label,
                "the lines do not add up to the file's total (excluding CERA)",
                found=f"{int(off.sum())} authorities, e.g. "
                f"{check[off].index[0][2]}: lines {worst['sum']:,.2f} vs total "
                f"{worst['total']:,.2f}",
            )
        )
    totals = check["total"].fillna(check["sum"]).rename("value").reset_index()
    totals["indicator"] = "total_cost"
    out = pd.concat([sums.drop(columns="driver"), totals], ignore_index=True)
    out["flag"] = ""
    return out
