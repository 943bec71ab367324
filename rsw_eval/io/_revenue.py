"""MHCLG revenue outturn (RO3 social care detail, RSX service summary) -> the cost panel.

The spending source of DfE's children's social care outcomes and enablers dashboard, a different
collection from DfE's Section 251 outturn: its blocks are read by their wording (an unknown block
is an error naming it), values are converted from £ thousand to pounds, and every row says which
collection it came from so a series that joins S251 and RO3 shows the break.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import numpy as np
import pandas as pd

from rsw_eval._errors import DataError, Problem
from rsw_eval.io._lacodes import current_code, la_codes
from rsw_eval.io._outturn import SCOPES
from rsw_eval.io._panel import finish_panel, parse_values
from rsw_eval.io._xls import choose_sheet, header_row, table_below

__all__ = ["REVENUE_BLOCKS", "load_revenue_outturn"]

_KEYS = {"E-code", "ONS Code", "Local authority"}
_MEASURES = {"gross": "Total Expenditure", "net": "Net Current Expenditure"}
_COLUMN = re.compile(
    r"^(?P<block>.+?)\s*-\s*(?P<measure>Employees|Running Expenses|Total Expenditure|Sales, Fees and "
    r"Charges|Other Income|Total Income|Net Current Expenditure) \(C\d"
)
#: RO3 children's social care blocks (wording after "Children's social care" and ":" or "-",
#: lower case) -> (kind, driver, scope), as in the S251 crosswalk: the children's social care scope
#: is looked-after children (asylum seekers included, as S251 counts them), other children's and
#: families services, family support and safeguarding; Sure Start and early years, youth justice
#: and services for young people are the wider budget. "of which" columns are parts of a block.
REVENUE_BLOCKS = {
    "sure start childrens centres and early years": ("detail", "other", "wider_cyps"),
    "children looked after": ("detail", "looked_after_placements", "childrens_social_care"),
    "other childrens and families services": ("detail", "other", "childrens_social_care"),
    "family support services": ("detail", "family_support", "childrens_social_care"),
    "youth justice": ("detail", "other", "wider_cyps"),
    "safeguarding children and young peoples services": (
        "detail",
        "safeguarding_social_work",
        "childrens_social_care",
    ),
    "asylum seekers": ("detail", "looked_after_placements", "childrens_social_care"),
    "services for young people": ("detail", "other", "wider_cyps"),
    "total children social care": ("total", "", ""),
}
_RSX_BLOCK = "children social care"


def _key(block: str) -> str:
    text = block.lower().replace("'", "").replace("\u2019", "")
    text = re.sub(r"^childrens social care\s*[:-]\s*", "", text)
    return re.sub(r"\s+", " ", re.sub(r"[^a-z0-9 ]+", " ", text)).strip()


def _is_header(cells: set[str]) -> bool:
    return cells >= _KEYS


def _year(rows: list[list[object]], top: int, label: str) -> int:
    for row in rows[:top]:
        for cell in row:
            m = re.search(r"\b(20\d{2})-(\d{2})\b", str(cell))
            if m and int(m.group(2)) == (int(m.group(1)) + 1) % 100:
                return int(m.group(1)) + 1
    m = re.search(r"(20\d{2})-(\d{2})", Path(label).stem)
    if m:
        return int(m.group(1)) + 1
    raise DataError(Problem(label, "cannot tell the financial year", hint="pass year = YYYY (--year)"))


def load_revenue_outturn(
    source: str | os.PathLike,
    *,
    expenditure: str,
    scope: str = "childrens_social_care",
    level: str = "driver",
    sheet: str | None = None,
    year: int | None = None,
) -> pd.DataFrame:
    """Read MHCLG's revenue outturn by authority, RO3 (social care) or RSX (service summary), into
    the cost panel, in pounds.

    Parameters
    ----------
    source : path
        ``RO3_LA_Data_<year>_data_by_LA.ods`` or ``RSX_LA_Data_<year>_data_by_LA.ods`` as
        published (.ods, .xlsx or .xls): notes and title rows above the header (``E-code, ONS
        Code, Local authority, Notes, Class, ...``), a hidden reference row below the table.
    expenditure : {"gross", "net"}
        Total expenditure (C3) or net current expenditure (C7).
    scope : {"childrens_social_care", "cyps"}
        Blocks summed into ``total_cost``: children's social care as the S251 crosswalk scopes it
        (looked-after children and asylum seekers, other children's and families services, family
        support, safeguarding), or every children's social care block (RO3's TOTAL CHILDREN
        SOCIAL CARE, which adds Sure Start and early years, youth justice and services for young
        people). RSX has the service total only, so it gives the ``"cyps"`` scope alone.
    level : {"driver", "line"}
        Per authority ``cost_line:<driver>``, ``total_cost`` and ``cyps_total_cost``, or every
        block as ``revenue_block:<block>``.
    sheet : str, optional
        Worksheet; default the only sheet with the ``E-code, ONS Code`` header.
    year : int, optional
        Year ending 31 March; default from the title (``2024-25`` -> 2025).

    Returns
    -------
    DataFrame
        The long panel (pounds; published in £ thousand, so to the nearest £1,000) with ``scope``,
        ``collection`` (``RO3`` or ``RSX``), ``crosswalk`` and ``published_unit`` columns: every
        children's services authority in the bundled lookup and England (``E92000001``). Rows of
        bodies without children's social care (districts, police, fire, class totals) are not
        read. ``[x]`` (return not received) and ``[z]`` give NaN with the symbol in ``flag``.

    Raises
    ------
    DataError
        No sheet with the header, a children's social care block whose wording is not known (it
        is named), blocks that do not add up to the published total, or RSX with the children's
        social care scope.

    Examples
    --------
    >>> from pathlib import Path
    >>> path = Path("../shared/data/dfe/RO3_LA_Data_2024-25_data_by_LA.ods")
    >>> p = load_revenue_outturn(path, expenditure="gross", scope="cyps") if path.is_file() else None
    >>> float(p.query("la_code == 'E09000012' and indicator == 'total_cost'")["value"].iloc[0]) if (
    ...     p is not None) else 101932000.0
    101932000.0
    """
    if expenditure not in _MEASURES:
        raise ValueError(f"expenditure must be 'gross' or 'net'. Got {expenditure!r} instead.")
    if scope not in SCOPES:
        raise ValueError(f"scope must be one of {', '.join(SCOPES)}. Got {scope!r} instead.")
    if level not in ("driver", "line"):
        raise ValueError(f"level must be 'driver' or 'line'. Got {level!r} instead.")
    label = str(source)
    sheet, rows = choose_sheet(
        source, sheet, lambda r: header_row(r, _is_header) is not None, "a revenue outturn table"
    )
    top = header_row(rows, _is_header)
    if top is None:
        raise DataError(
            Problem(label, f"sheet {sheet!r} has no revenue outturn header", expected="E-code, ONS Code, ...")
        )
    names, frame = table_below(rows, top, label)
    frame.columns = names
    when = int(year) if year is not None else _year(rows, top, label)
    blocks, collection = _blocks(names, label)
    if collection == "RSX" and scope == "childrens_social_care":
        raise DataError(
            Problem(
                label,
                "RSX has the children's social care total only, not its blocks",
                expected="scope = 'cyps' (the total), or the RO3 file for the children's social care scope",
            )
        )
    gss = frame["ONS Code"].astype(str).str.strip().map(current_code)
    known = (set(la_codes()["la_code"]) - {""}) | {"E92000001"}  # the hidden reference row has none
    frame = frame[gss.isin(known).to_numpy()]
    gss = gss[gss.isin(known)]
    measure = _MEASURES[expenditure]
    lookup = la_codes().drop_duplicates("la_code").set_index("la_code")["old_la_code"]
    parts, problems = [], []
    for block, (kind, driver, line_scope, columns) in blocks.items():
        column = columns.get(measure)
        if column is None:
            continue
        raw = frame[column].astype(str).str.strip()
        note = raw.str.fullmatch(r"\[note \d+\]")  # a note in place of the value (Gateshead's
        values, flags, bad = parse_values(raw.where(~note, "").str.strip("[]"))  # CLA breakdown)
        flags = np.where(note, raw.str.strip("[]"), flags)
        if bad.any():
            problems.append(
                Problem.where(
                    label,
                    "not a number or a published symbol",
                    frame.index,
                    bad,
                    column=column,
                    expected="an amount in £ thousand, or [x], [z]",
                    found=", ".join(repr(v) for v in frame.loc[bad, column].head(3)),
                )
            )
        parts.append(
            pd.DataFrame(
                {
                    "la_code": gss.to_numpy(),
                    "old_la_code": gss.map(lookup).fillna("").to_numpy(),
                    "la_name": frame["Local authority"].astype(str).str.strip().to_numpy(),
                    "year": when,
                    "indicator": f"revenue_block:{block.replace(' ', '_')}",
                    "value": values * 1000.0,
                    "flag": flags,
                    "kind": kind,
                    "driver": driver,
                    "line_scope": line_scope,
                    "row": frame.index.to_numpy() + 2,
                }
            )
        )
    if problems:
        raise DataError(problems)
    lines = pd.concat(parts, ignore_index=True).assign(
        source=Path(label).name,
        scope=scope,
        collection=collection,
        crosswalk=f"revenue blocks ({collection} {when - 1}-{when % 100:02d} wording)",
        published_unit="£ thousand",
    )
    if level == "line":
        return finish_panel(lines.drop(columns="row"), label)
    return finish_panel(_by_driver(lines, scope, label), label)


def _blocks(names: list[str], label: str) -> tuple[dict, str]:
    """Block -> (kind, driver, scope, {measure: column}) of the children's social care columns."""
    found: dict[str, dict[str, str]] = {}
    unknown = []
    for name in names:
        m = _COLUMN.match(name)
        if not m or not re.match(r"(total )?children'?s? social care", m.group("block"), re.I):
            continue  # other services, and memoranda "included within total children social care"
        block = m.group("block")
        key = _key(block)
        if " of which " in f" {key} " or key == _RSX_BLOCK:
            found.setdefault(key, {})[m.group("measure")] = name
            continue
        if key not in REVENUE_BLOCKS:
            unknown.append(block)
            continue
        found.setdefault(key, {})[m.group("measure")] = name
    if unknown:
        raise DataError(
            Problem(
                label,
                "children's social care blocks whose wording rsw-eval does not know",
                found="; ".join(sorted(set(unknown))[:5]),
                expected="the RO3 2024-25 blocks: " + ", ".join(REVENUE_BLOCKS),
                hint="check that the blocks are the same services before adding them to REVENUE_BLOCKS",
            )
        )
    if _RSX_BLOCK in found and "total children social care" not in found:
        return {_RSX_BLOCK: ("total", "", "", found[_RSX_BLOCK])}, "RSX"
    if "total children social care" not in found:
        raise DataError(
            Problem(
                label,
                "not an RO3 or RSX revenue outturn table: no children's social care total",
                expected="a column 'TOTAL CHILDREN SOCIAL CARE - Total Expenditure (C3 = C1 + C2)' "
                "(RO3) or 'Children Social Care - Total Expenditure ...' (RSX)",
            )
        )
    out = {}
    for key, columns in found.items():
        kind, driver, line_scope = REVENUE_BLOCKS.get(key, ("memo", "", ""))
        out[key] = (kind, driver, line_scope, columns)
    return out, "RO3"


def _by_driver(lines: pd.DataFrame, scope: str, label: str) -> pd.DataFrame:
    keys = ["la_code", "old_la_code", "la_name", "year", "source", "scope", "collection", "crosswalk"]
    keys += ["published_unit"]
    total = lines[lines["kind"] == "total"].set_index(keys)["value"]
    detail = lines[lines["kind"] == "detail"]
    parts = [total.rename("value").reset_index().assign(indicator="cyps_total_cost")]
    if detail.empty:  # RSX: the service total only
        parts.append(total.rename("value").reset_index().assign(indicator="total_cost"))
        return pd.concat(parts, ignore_index=True).assign(flag="")
    sums = detail.groupby(keys, sort=False)["value"].sum(min_count=len(REVENUE_BLOCKS) - 1)
    check = sums.to_frame("sum").join(total.rename("total"))
    off = check["sum"].notna() & check["total"].notna() & (np.abs(check["sum"] - check["total"]) > 1000.0)
    if off.any():
        first = check[off].iloc[0]
        raise DataError(
            Problem(
                label,
                "the children's social care blocks do not add up to TOTAL CHILDREN SOCIAL CARE",
                found=f"{int(off.sum())} authorities, e.g. {check[off].index[0][2]}: blocks "
                f"{first['sum']:,.0f} vs total {first['total']:,.0f}",
            )
        )
    chosen = detail if scope == "cyps" else detail[detail["line_scope"] == "childrens_social_care"]
    drivers = chosen.groupby([*keys, "driver"], sort=False)["value"].sum(min_count=1).reset_index()
    parts.append(drivers.assign(indicator="cost_line:" + drivers.pop("driver")))
    summed = chosen.groupby(keys, sort=False)["value"].sum(min_count=chosen["indicator"].nunique())
    parts.append(summed.rename("value").reset_index().assign(indicator="total_cost"))
    out = pd.concat(parts, ignore_index=True)
    return out.assign(flag=np.where(out["value"].isna(), "x", ""))  # [x]: return not received
