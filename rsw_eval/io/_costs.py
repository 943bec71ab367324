"""A council's own cost ledger (canonical costs layout) and conversion to real terms."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from rsw_eval._errors import DataError, Problem, found_columns
from rsw_eval.io._authority import authority_problems
from rsw_eval.io._coerce import Checker
from rsw_eval.io._identifiers import shown
from rsw_eval.io._lacodes import gss_code
from rsw_eval.io._ledger_lines import check_ledger_lines
from rsw_eval.io._panel import COLUMN, LEDGER_HINT, ROW, finish_panel, reporting_year
from rsw_eval.io._personal_names import personal_names
from rsw_eval.io._read import read_table

__all__ = ["load_costs", "real_terms"]


def load_costs(
    source: str | os.PathLike | pd.DataFrame, *, mapping: Mapping[str, str] | None = None
) -> pd.DataFrame:
    """Load costs in the canonical layout (``la_code, year, cost_line, amount_gbp[, price_index]``).

    Parameters
    ----------
    source : path or DataFrame
        One row per authority x year x cost line; ``year`` as ``2009``, ``2008-09`` or ``200809``
        (the year ending 31 March). Cost lines follow the Munro drivers (looked-after placements,
        staffing, agency premium, sickness cover, management ...) or your ledger's own names.
    mapping : dict, optional
        Your column names to canonical ones.

    Returns
    -------
    DataFrame
        The long panel: ``cost_line:<line>`` per line and ``total_cost`` per authority and year, in
        pounds; ``price_index`` kept as a column when given.

    Examples
    --------
    >>> import pandas as pd
    >>> raw = pd.DataFrame({"la_code": ["E09000012"] * 2, "year": ["2008-09"] * 2,
    ...                     "cost_line": ["staffing", "agency premium"], "amount_gbp": ["1,000", "250"]})
    >>> load_costs(raw)[["year", "indicator", "value"]]
       year                 indicator   value
    0  2009  cost_line:agency premium   250.0
    1  2009        cost_line:staffing  1000.0
    2  2009                total_cost  1250.0
    """
    frame, info = read_table(source)
    check = Checker(frame, info)
    check.apply_mapping(mapping)
    check.require(["la_code", "year", "cost_line", "amount_gbp"])
    check.raise_if_problems()
    data = check.frame
    la = check.string_column("la_code")
    line = check.string_column("cost_line")
    for col in ("la_code", "cost_line", "year"):
        check.no_missing(col)
    # a cost line is published as an indicator ("cost_line:staffing"): never a person's name (q14 M5)
    check.problems += personal_names(
        line.fillna(""), info.label, info.row_numbers(data.index), "cost_line", "a cost line"
    )
    # the docs give no meaning to a blank amount, and the total of an authority-year with one would
    # be NaN, silently (q11in Q11): a line without an amount is an error, not a zero
    check.no_missing("amount_gbp", hint="write 0 for a line with no spending")
    amount = check.numeric_column("amount_gbp", expected="an amount in pounds")
    index = None
    if "price_index" in data.columns:
        index = check.numeric_column("price_index", low=0, expected="a positive index")
        zero = (index == 0).to_numpy()
        if zero.any():  # a zero index would make every real-terms change -100% or infinite
            text, _ = check._raw("price_index")
            check._bad("price_index", zero, text, "a price index of 0", "a positive index")
        index = index.mask(index == 0)
    # a valid-shaped code that is no authority (E09000000, Cardiff's W06000015) is refused (q11in Q2)
    check.problems += authority_problems(
        info.label, la.fillna(""), pd.Series("", index=la.index), info.row_numbers(data.index), "la_code"
    )
    years = data["year"].map(reporting_year)
    bad = years.isna().to_numpy() & ~check._raw("year")[1]  # a blank year is a missing value
    if bad.any():
        check.problems.append(
            Problem(
                info.label,
                "unrecognised year",
                column="year",
                rows=tuple(info.row_numbers(data.index[bad][:5])),
                n_rows=int(bad.sum()),
                expected="2009, 2008-09 or 200809",
                found=", ".join(map(shown, data.loc[bad, "year"].head(5))),
            )
        )
    check.raise_if_problems()
    lines = pd.DataFrame(
        {
            "la_code": la,
            "year": years.astype("int64"),
            "indicator": "cost_line:" + line,
            "value": amount,
            "source": Path(info.label).name,
            ROW: info.row_numbers(data.index),
            COLUMN: "amount_gbp",
        }
    )
    if index is not None:
        lines["price_index"] = index
        _one_index(lines, info)
    # a DfE number (204) and the GSS code (E09000012) are one authority: a ledger mixing them is one
    # authority-year, totalled once, not a "duplicate" told to use --filter (findings-q15att M2)
    lines["_authority"] = la.where(~la.str.fullmatch(r"\d+").fillna(False), la.map(gss_code))
    dup = lines.duplicated(["_authority", "year", "indicator"], keep=False)
    if dup.any():
        raise DataError(
            Problem(
                info.label,
                "the same authority, year and cost line appears more than once",
                rows=tuple(lines.loc[dup, ROW].head(5)),
                n_rows=int(dup.sum()),
                hint="sum the rows in your ledger first, or correct a row typed with another year or "
                "la_code (204 and E09000012 are one authority)",
            )
        )
    keys = ["_authority", "year"]
    totals = lines.groupby(keys, sort=False).agg(
        la_code=("la_code", "first"),
        value=("value", lambda v: v.sum(min_count=len(v))),
        source=("source", "first"),
        **{ROW: (ROW, "first")},
    )
    if index is not None:
        totals["price_index"] = lines.groupby(keys, sort=False)["price_index"].first()
    totals = totals.reset_index().assign(indicator="total_cost")
    both = pd.concat([lines, totals], ignore_index=True).drop(columns="_authority")
    panel = finish_panel(both, info.label, duplicate_hint=LEDGER_HINT)
    # after every cell's check: a line typed with another valid year or code moves out of its
    # authority-year, which no cell shows (findings-q13in A5)
    check_ledger_lines(lines.assign(la_code=lines["_authority"]), info.label)
    return panel


def _index_table(table: pd.DataFrame, info) -> dict[int, float]:
    """``{year: index}`` from a price index table; an index that is not a positive number, or two
    different values for one year, is an error naming the rows."""
    check = Checker(table, info)
    values = check.numeric_column("index", expected="a price index above 0")
    wrong = (values <= 0).to_numpy(dtype=bool)
    if wrong.any():
        check._bad(
            "index", wrong, check._raw("index")[0], "a price index that is not positive", "an index above 0"
        )
    check.raise_if_problems()
    years = table["year"].map(reporting_year)
    known = pd.DataFrame({"year": years, "index": values}).dropna()
    twice = known.groupby("year")["index"].transform("nunique") > 1
    if twice.any():
        raise DataError(
            Problem(
                info.label,
                "one year has two different price indexes",
                column="index",
                rows=tuple(info.row_numbers(known.index[twice][:5])),
                n_rows=int(twice.sum()),
                expected="one index per year",
                found=", ".join(f"{v:g}" for v in known.loc[twice, "index"].head(5)),
            )
        )
    return {int(y): float(v) for y, v in zip(known["year"], known["index"], strict=True)}


def _one_index(lines: pd.DataFrame, info) -> None:
    """One price index per authority and year: two values would make real terms depend on the
    row order (the first one won)."""
    given = lines.groupby(["la_code", "year"])["price_index"].transform("count")
    partly = (lines["price_index"].isna() & (given > 0)).to_numpy()
    if partly.any():  # the lines without one would take the others' index, silently (q11in Q11)
        raise _price_problem(
            info,
            lines,
            partly,
            "a cost line without the price index the other lines of its authority and year have",
            "one price_index on every line of an authority and year",
            "an empty cell or a missing-value word",
        )
    index = lines.dropna(subset=["price_index"])
    many = index.groupby(["la_code", "year"])["price_index"].transform("nunique") > 1
    if many.any():
        first = index[many].iloc[0]
        same = index[many & (index["la_code"] == first["la_code"]) & (index["year"] == first["year"])]
        values = ", ".join(f"{v:g}" for v in pd.unique(same["price_index"]))
        raise _price_problem(
            info,
            index,
            many,
            "one authority and year has two different price indexes",
            "one price_index per la_code and year",
            f"{values} ({shown(first['la_code'], quote=False)} {first['year']})",
            hint="give every cost line of an authority-year the same index",
        )
    _national_index(index, info)


def _price_problem(info, lines: pd.DataFrame, mask, message: str, expected: str, found: str, hint=None):
    """The error for the cost ``lines`` where ``mask`` holds, in column ``price_index``: their
    file rows (the first five) and count, as every price index check names them (review D1).

    Examples
    --------
    >>> import pandas as pd
    >>> from rsw_eval.io._read import read_table
    >>> lines = pd.DataFrame({"price_index": [97.9, None], ROW: [2, 3]})
    >>> print(_price_problem(read_table(lines)[1], lines, lines["price_index"].isna(), "no index",
    ...                      "an index", "an empty cell"))
    <DataFrame>, row 3, column 'price_index': no index; expected an index, found an empty cell
    """
    return DataError(
        Problem(
            info.label,
            message,
            column="price_index",
            rows=tuple(lines.loc[mask, ROW].head(5)),
            n_rows=int(mask.sum()),
            expected=expected,
            found=found,
            hint=hint,
        )
    )


def _national_index(index: pd.DataFrame, info) -> None:
    """One price index per year for every authority: a price index is a national deflator, so an
    authority-year whose index differs from the year's commonest value is a typo (9.79 for 97.9
    turned a -7% real-terms change into -91%, findings-q13in A12); refuse the rows that differ.

    Examples
    --------
    >>> import pandas as pd
    >>> from rsw_eval.io._read import read_table
    >>> lines = pd.DataFrame({"la_code": ["E09000012", "E09000028", "E09000007"],
    ...                       "year": [2009] * 3, "price_index": [9.79, 97.9, 97.9], ROW: [2, 3, 4]})
    >>> try:
    ...     _national_index(lines, read_table(lines)[1])
    ... except DataError as err:
    ...     print(err.problems[0].rows, err.problems[0].found)
    (2,) 9.79 (E09000012 2009)
    """
    commonest = index.groupby("year")["price_index"].transform(lambda v: v.mode().iloc[0])
    off = (index["price_index"] != commonest).to_numpy()
    if not off.any():
        return
    wrong = index[off].drop_duplicates(["la_code", "year"])
    years = "; ".join(
        f"{v:g} in {y}" for y, v in commonest[off].groupby(index.loc[off, "year"]).first().items()
    )
    raise _price_problem(
        info,
        index,
        off,
        "a price index that differs from the other authorities' for its year",
        f"one price_index per year for every authority (a national deflator): {years}",
        ", ".join(
            f"{r.price_index:g} ({shown(r.la_code, quote=False)} {r.year})"
            for r in wrong.head(5).itertuples()
        ),
        hint="give every authority the same index for a year, or drop price_index and name a "
        "deflator in the spec",
    )


def real_terms(
    panel: pd.DataFrame,
    *,
    base_year: int,
    price_index: Mapping[int, float] | pd.DataFrame | str | os.PathLike | None = None,
) -> pd.DataFrame:
    """Convert pound values to ``base_year`` prices: ``value * index[base_year] / index[year]``.

    Parameters
    ----------
    panel : DataFrame
        A cost panel (not modified).
    base_year : int
        Year ending 31 March whose prices to express everything in.
    price_index : dict, DataFrame or path, optional
        ``{year: index}``, or a table with ``year`` and ``index`` columns: a series you wrote, or
        :func:`rsw_eval.io.load_deflator` of the HM Treasury workbook (a calendar-year table is
        refused: the years here end on 31 March). Default: the panel's ``price_index`` column.

    Returns
    -------
    DataFrame
        A copy with converted values and a ``price_basis`` column (``"<base_year> prices"``).

    Examples
    --------
    >>> import pandas as pd
    >>> p = pd.DataFrame({"la_code": "X", "year": [2009, 2010], "indicator": "total_cost",
    ...                   "value": [100.0, 103.0]})
    >>> real_terms(p, base_year=2010, price_index={2009: 97.0, 2010: 100.0})["value"].round(4).tolist()
    [103.0928, 103.0]
    """
    if price_index is None:
        if "price_index" not in panel.columns:
            raise DataError("real_terms: give price_index= or load costs with a price_index column")
        index = panel.groupby("year")["price_index"].first().to_dict()
    elif isinstance(price_index, Mapping):
        index = {int(k): float(v) for k, v in price_index.items()}
    else:
        table, info = read_table(price_index)
        calendar = table["basis"].astype(str).str.startswith("calendar") if "basis" in table else None
        if calendar is not None and calendar.any():
            raise DataError(
                Problem(
                    info.label,
                    "a calendar-year price index cannot deflate spending by financial year",
                    hint="read the workbook's financial years (--basis financial), or pass "
                    "--calendar allow to use calendar year Y-1 for the year ending March Y, with a warning",
                )
            )
        if not {"year", "index"} <= set(table.columns):
            raise DataError(
                Problem(
                    info.label,
                    "a price index table needs columns year and index",
                    found=found_columns(table.columns),
                )
            )
        index = _index_table(table, info)
    needed = sorted({int(y) for y in panel["year"]} | {int(base_year)})
    missing = [y for y in needed if y not in index or not np.isfinite(index[y]) or index[y] <= 0]
    if missing:
        raise DataError(
            f"real_terms: the price index has no positive value for {missing}; it covers {sorted(index)}"
        )
    factor = panel["year"].map(lambda y: index[int(base_year)] / index[int(y)])
    return panel.assign(value=panel["value"] * factor, price_basis=f"{int(base_year)} prices")
