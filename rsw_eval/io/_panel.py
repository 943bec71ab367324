"""The long administrative panel every administrative and cost loader returns (DESIGN.md)."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from rsw_eval._errors import DataError, Problem
from rsw_eval.io._indicators import COUNT_INDICATORS

PANEL_COLUMNS = ("la_code", "old_la_code", "la_name", "year", "indicator", "value", "flag", "source")
#: Published suppression and status symbols (GSS and DfE conventions), read as "no value".
SYMBOLS = frozenset({"c", "x", "z", "k", "u", "low", ":", ".."})
_NUMBER = re.compile(r"^[-+]?(\d{1,3}(,\d{3})+|\d+)?(\.\d+)?([eE][-+]?\d+)?$")


def reporting_year(time_period: object) -> int | None:
    """The year in which a DfE reporting year ends on 31 March, or None if unrecognised.

    ``2025`` -> 2025; ``202425``, ``2024/25``, ``2024-25`` -> 2025; ``200506`` -> 2006.

    Examples
    --------
    >>> [reporting_year(t) for t in ("2025", "202425", "2024/25", "200506", "2024-2025", "25")]
    [2025, 2025, 2025, 2006, 2025, None]
    """
    text = str(time_period).strip()
    if re.fullmatch(r"\d{4}", text):
        return int(text)
    m = re.fullmatch(r"(\d{4})[/-]?(\d{2}|\d{4})", text)
    if m:
        start, end = int(m.group(1)), m.group(2)
        if int(end) % 100 == (start + 1) % 100:
            return start + 1
    return None


def parse_values(raw: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Numbers, flags and a mask of cells that are neither numbers nor published symbols.

    Thousands separators are removed; symbols (``c``, ``x``, ``z``, ``k``, ``u``, ``low``, ``:``,
    ``..``) and empty cells give NaN with the symbol kept as the flag.
    """
    text = raw.astype(object).map(
        lambda v: "" if v is None or (isinstance(v, float) and np.isnan(v)) else str(v).strip()
    )
    lower = text.str.lower()
    is_symbol = lower.isin(SYMBOLS).to_numpy(dtype=bool)
    is_empty = (text == "").to_numpy(dtype=bool)
    looks_numeric = text.str.match(_NUMBER).fillna(False).to_numpy(dtype=bool) & ~is_empty
    values = pd.to_numeric(
        text.str.replace(",", "", regex=False).where(looks_numeric, None), errors="coerce"
    ).to_numpy(dtype=float)
    flags = np.where(is_symbol, lower.to_numpy(dtype=object), "")
    bad = ~(looks_numeric | is_symbol | is_empty)
    return values, flags.astype(object), bad


def parse_column(
    frame: pd.DataFrame, column: str, label: str
) -> tuple[np.ndarray, np.ndarray, Problem | None]:
    """:func:`parse_values` of one column, with the problem (file rows, header = row 1) when cells
    are neither numbers nor published symbols. ``frame`` keeps the file's 0-based row positions as
    its index."""
    values, flags, bad = parse_values(frame[column])
    problem = None
    if bad.any():
        problem = Problem(
            label,
            "not a number or a published symbol",
            column=column,
            rows=tuple(int(i) + 2 for i in frame.index[bad][:5]),
            n_rows=int(bad.sum()),
            expected="a number or one of c, x, z, k, u, low, :, ..",
            found=", ".join(repr(v) for v in frame.loc[bad, column].head(5)),
        )
    return values, flags, problem


def finish_panel(frame: pd.DataFrame, label: str) -> pd.DataFrame:
    """Order and type the panel columns, sort, and reject duplicate authority x year x indicator."""
    for col in PANEL_COLUMNS:
        if col not in frame:
            frame[col] = "" if col in ("old_la_code", "flag", "la_name") else np.nan
    extra = [c for c in frame.columns if c not in PANEL_COLUMNS]
    out = frame.loc[:, [*PANEL_COLUMNS, *extra]].copy()
    for col in ("la_code", "old_la_code", "la_name", "indicator", "flag", "source"):
        out[col] = out[col].astype("string")
    out["year"] = out["year"].astype("int64")
    out["value"] = out["value"].astype("float64")
    _check_values(out, label)
    key = ["la_code", "year", "indicator"]
    dup = out.duplicated(key, keep=False)
    if dup.any():
        first = out.loc[dup, key].drop_duplicates().head(3)
        shown = "; ".join(f"{r.la_code} {r.year} {r.indicator}" for r in first.itertuples())
        raise DataError(
            Problem(
                label,
                "the panel would hold the same authority, year and indicator more than once",
                expected="one row per la_code x year x indicator",
                found=f"{int(dup.sum())} repeated rows, e.g. {shown}",
                hint="choose one value of each filter column: --filter COLUMN=VALUE (filters in the spec)",
            )
        )
    return out.sort_values(key, kind="stable").reset_index(drop=True)


def _check_values(panel: pd.DataFrame, label: str) -> None:
    """Empty authority codes, and counts that are negative or infinite, are errors in every panel."""
    problems = []
    empty = panel["la_code"].fillna("").str.strip() == ""
    if empty.any():
        problems.append(
            Problem(
                label,
                f"{int(empty.sum())} panel rows have no authority code",
                column="la_code",
                expected="a GSS code such as E09000012 in every row",
                found="an empty code",
            )
        )
    counts = panel["indicator"].isin(COUNT_INDICATORS)
    bad = counts & ((panel["value"] < 0) | np.isinf(panel["value"]))
    if bad.any():
        first = panel[bad].iloc[0]
        problems.append(
            Problem(
                label,
                f"{int(bad.sum())} counts are negative or infinite",
                column="value",
                expected="a count >= 0",
                found=f"{first['value']:g} ({first['indicator']}, {first['la_code']} {first['year']})",
            )
        )
    if problems:
        raise DataError(problems)


def load_panel(source) -> pd.DataFrame:
    """Read a long panel already in the canonical layout (e.g. one written by rsw-eval).

    Required columns ``la_code, year, indicator, value``; ``old_la_code``, ``la_name``, ``flag`` and
    ``source`` are optional. Values that are published symbols become NaN with the flag kept.

    Examples
    --------
    >>> import pandas as pd
    >>> load_panel(pd.DataFrame({"la_code": ["E09000012"], "year": ["2010"], "indicator": ["x"],
    ...                          "value": ["c"]}))[["year", "value", "flag"]]
       year  value flag
    0  2010    NaN    c
    """
    from pathlib import Path

    from rsw_eval.io._coerce import Checker
    from rsw_eval.io._read import read_table

    frame, info = read_table(source)
    check = Checker(frame, info)
    check.require(["la_code", "year", "indicator", "value"])
    check.raise_if_problems()
    year = check.numeric_column("year", low=1900, high=2100, integer=True, expected="a year")
    for col in ("la_code", "indicator"):
        check.no_missing(col)
    check.raise_if_problems()
    values, flags, bad = parse_values(frame["value"])
    if bad.any():
        raise DataError(
            Problem(
                info.label,
                "not a number or a published symbol",
                column="value",
                rows=tuple(int(i) + 2 for i in np.flatnonzero(bad)[:5]),
                n_rows=int(bad.sum()),
            )
        )
    out = pd.DataFrame(
        {
            "la_code": check.string_column("la_code"),
            "old_la_code": (check.string_column("old_la_code").fillna("") if "old_la_code" in frame else ""),
            "la_name": (check.string_column("la_name").fillna("") if "la_name" in frame else ""),
            "year": year.astype("int64"),
            "indicator": check.string_column("indicator"),
            "value": values,
            "flag": flags,
            "source": Path(info.label).name,
        }
    )
    return finish_panel(out, info.label)
