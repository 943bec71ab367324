"""SFR 27/2010 additional table LAA1: children looked after at 31 March by authority **name**, 2006-2010."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pandas as pd

from rsw_eval._errors import DataError, Problem
from rsw_eval.io._identifiers import shown_values
from rsw_eval.io._lacodes import la_codes, map_old_codes
from rsw_eval.io._panel import finish_panel
from rsw_eval.io._xls import read_cells

__all__ = ["LAA1_NAMES", "load_laa1", "name_key"]

#: Names in LAA1 that differ from the bundled lookup's, with the DfE number they stand for and the
#: evidence (the lookup's own name for that number; footnote markers such as "Cheshire5" are
#: removed before matching).
LAA1_NAMES: dict[str, tuple[str, str]] = {
    "durham": ("840", "lookup name 'County Durham'; LAA1 row between Darlington and Gateshead"),
    "herefordshire": ("884", "lookup name 'Herefordshire, County of'"),
    "bedford borough": (
        "822",
        "lookup name 'Bedford'; LAA1 footnote 5: Bedfordshire split into Bedford and Central Bedfordshire",
    ),
    "medway towns": ("887", "lookup name 'Medway'"),
}
#: Rows that are areas, not authorities (their totals are rounded differently: footnote 3).
_AREAS = frozenset(
    {
        "england",
        "north east",
        "north west",
        "yorkshire and the humber",
        "east midlands",
        "west midlands",
        "east of england",
        "london",
        "inner london",
        "outer london",
        "south east",
        "south west",
    }
)
_BLOCKS = {"numbers": ("children_looked_after", "nearest 5"), "rates": ("cla_rate_per_10k", "whole number")}


def name_key(name: str) -> str:
    """An authority's name as the lookups compare it: lower case, letters only, ``&`` as ``and``,
    a footnote number at the end dropped.

    Examples
    --------
    >>> name_key("Bath & North East Somerset2")
    'bath and north east somerset'
    """
    name = re.sub(r"\d+$", "", str(name).strip())  # footnote marker
    return re.sub(r"[^a-z]+", " ", name.lower().replace("&", "and")).strip()


def _codes_by_name() -> dict[str, str]:
    table = la_codes()
    order = {"current": 0, "recoded": 1, "abolished": 2}
    rows = sorted(table.to_dict("records"), key=lambda r: order[r["status"]])
    out: dict[str, str] = {}
    for row in rows:
        out.setdefault(name_key(row["la_name"]), row["old_la_code"])
    out.update({k: v for k, (v, _) in LAA1_NAMES.items()})
    return out


def _layout(sheet: pd.DataFrame, label: str) -> tuple[int, int, dict[str, list[tuple[int, int]]]]:
    """(year header row, name column, {block: [(column, year), ...]}) read from the headers."""
    text = (
        sheet.astype(object).where(sheet.notna(), "").astype(str).map(lambda v: v.strip().removesuffix(".0"))
    )
    is_year = text.apply(lambda c: c.str.fullmatch(r"(19|20)\d{2}"))
    counts = is_year.sum(axis=1)
    if counts.max() < 2:
        raise DataError(Problem(label, "no header row of years (2006 ... 2010) found", expected="table LAA1"))
    row = int(counts.idxmax())
    blocks: dict[str, list[tuple[int, int]]] = {}
    current = None
    for col in sheet.columns:
        if not is_year.loc[row, col]:
            current = None
            continue
        above = " ".join(text.loc[max(row - 2, 0) : row - 1, col]).lower()
        for word in _BLOCKS:
            if word in above:
                current = word
        if current is None:
            current = "numbers" if "numbers" not in blocks else "rates"
        blocks.setdefault(current, []).append((col, int(text.loc[row, col])))
    first = min(c for cols in blocks.values() for c, _ in cols)
    name_col = max(
        c for c in sheet.columns if c < first and text.loc[row + 1 :, c].str.contains("[A-Za-z]").any()
    )
    return row, name_col, blocks


def load_laa1(
    source: str | os.PathLike,
    *,
    sheet: str = "LAA1",
    on_unmapped: str = "error",
) -> pd.DataFrame:
    """Read table LAA1 of the SFR 27/2010 additional tables (``sfr27-2010amv5.xls``) into the panel.

    LAA1 is the only public local-authority source of children looked after for 2006-2009. Its rows
    are keyed by authority **name** (the first column is a sort key, not the LA number); names are
    mapped to codes through the bundled lookup (:func:`rsw_eval.io.la_codes`) and
    :data:`LAA1_NAMES`. The layout (the year header row, the "numbers" and "rates" blocks) is read
    from the headers.

    Parameters
    ----------
    source : path
        The workbook as published (Excel 97 ``.xls``; needs python-calamine) or an ``.xlsx`` copy.
    sheet : str, default "LAA1"
    on_unmapped : {"error", "drop"}
        Bedfordshire and Cheshire (split in 2009, no GSS code): raise (default) or drop their rows
        with an :class:`~rsw_eval.io.UnmappedCodeWarning`.

    Returns
    -------
    DataFrame
        The long panel: ``children_looked_after`` (rounded to the nearest 5 by DfE) and
        ``cla_rate_per_10k`` (whole numbers) for 2006-2010, with a ``rounding`` column
        (``"nearest 5"``, ``"whole number"``) so that rounded values are never taken for exact
        ones; ``x`` (suppressed) and ``.`` (not applicable: an authority that did not yet exist)
        give NaN with the symbol in ``flag``. England and regional rows are left out.

    Raises
    ------
    DataError
        No year header row, or a name that is neither an area nor in the lookup.

    Examples
    --------
    >>> import tempfile
    >>> rows = [["Table LAA1", None, None, None, None], [None, "numbers", None, "rates", None],
    ...         [None, 2009, 2010, 2009, 2010], ["England", 60900, 64400, 55, 58],
    ...         ["Hackney", 345, 305, 68, 59]]
    >>> path = Path(tempfile.mkdtemp()) / "laa1.xlsx"
    >>> pd.DataFrame(rows).to_excel(path, sheet_name="LAA1", header=False, index=False)
    >>> load_laa1(path).query("indicator == 'children_looked_after'")[
    ...     ["la_code", "year", "value", "rounding"]]
         la_code  year  value   rounding
    0  E09000012  2009  345.0  nearest 5
    2  E09000012  2010  305.0  nearest 5
    """
    label = str(source)
    path = Path(source)
    raw = read_cells(path, sheet)
    row, name_col, blocks = _layout(raw, label)
    body = raw.iloc[row + 1 :]
    names = body[name_col].astype(object).where(body[name_col].notna(), "").astype(str).str.strip()
    value_cols = [c for cols in blocks.values() for c, _ in cols]
    filled = body[value_cols].notna().any(axis=1)  # blank rows and footnotes have no values
    body, names = body[filled & (names != "")], names[filled & (names != "")]
    keys = names.map(name_key)
    body, names, keys = body[~keys.isin(_AREAS)], names[~keys.isin(_AREAS)], keys[~keys.isin(_AREAS)]
    lookup = _codes_by_name()
    unknown = ~keys.isin(list(lookup))
    if unknown.any():
        raise DataError(
            Problem(
                label,
                "authority names not in the bundled lookup",
                column=f"column {chr(65 + name_col)} (authority name)",
                rows=tuple(int(i) + 1 for i in body.index[unknown][:5]),
                n_rows=int(unknown.sum()),
                found=shown_values(names[unknown].head(5)),
                hint="the names are matched to rsw_eval.io.la_codes() and LAA1_NAMES",
            )
        )
    codes = keys.map(lookup)
    gss, keep = map_old_codes(
        codes,
        label=label,
        column=f"column {chr(65 + name_col)} (authority name)",
        rows=body.index.to_series() + 1,
        on_unmapped=on_unmapped,
    )
    parts = []
    for block, columns in blocks.items():
        indicator, rounding = _BLOCKS[block]
        for col, year in columns:
            cell = body[col].astype(object).where(body[col].notna(), "").astype(str).str.strip()
            symbol = cell.str.lower().isin(["x", ".", ".."])
            parts.append(
                pd.DataFrame(
                    {
                        "la_code": gss.to_numpy(),
                        "old_la_code": codes.to_numpy(),
                        "la_name": names.str.replace(r"\d+$", "", regex=True).to_numpy(),
                        "year": year,
                        "indicator": indicator,
                        "value": pd.to_numeric(cell.where(~symbol), errors="coerce").to_numpy(dtype=float),
                        "flag": cell.where(symbol, "").str.lower().to_numpy(),
                        "source": path.name,
                        "rounding": rounding,
                    }
                )[keep]
            )
    return finish_panel(pd.concat(parts, ignore_index=True), label)
