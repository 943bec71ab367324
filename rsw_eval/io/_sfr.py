"""Legacy statistical-first-release (SFR) underlying data -> long panel."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
from pathlib import Path

import pandas as pd

from rsw_eval._errors import DataError, Problem, found_columns
from rsw_eval.io._lacodes import map_old_codes
from rsw_eval.io._panel import COLUMN, ROW, finish_panel, parse_column
from rsw_eval.io._read import read_table

__all__ = ["SFR_ALIASES", "load_sfr_table"]

#: Column names that SFR underlying-data files have used for one measure, with the evidence.
#: ``{year}`` stands for the four-digit year ending 31 March.
SFR_ALIASES: dict[str, tuple[tuple[str, str], ...]] = {
    "children_looked_after": (
        (
            "MarTotal_{year}",
            "SFR27/2010 underlying data, Annex A of its metadata: 'Children looked after at 31 March 2010'",
        ),
        (
            "CLA_Mar{year}",
            "SFR21/2011 (SFR21_2011_CLA.csv: Hackney 264) and SFR36/2014 (SFR36_CLA2014.csv: Hackney 329) "
            "underlying data; the 2012, 2013 and 2015-2017 files are not in the shared data, so the "
            "pattern is assumed, not seen, for those years",
        ),
    ),
    "cla_started": (
        (
            "StartTotal_{year}",
            "SFR27/2010 Annex A: 'Children who started to be looked after during the year ending 31 March'",
        ),
    ),
    "cla_ceased": (
        (
            "CeasedTotal_{year}",
            "SFR27/2010 Annex A: 'All children who ceased to be looked after during the year ending "
            "31 March'",
        ),
    ),
}


def _resolve(columns: Sequence[str], value: str, year: int | None) -> list[tuple[str, str]]:
    """(column, indicator name) pairs for a column name or an alias key: an alias matches one
    column per year (``CLA_Mar2014`` ... ``CLA_Mar2018``), every one of them when ``year`` is None,
    so that a multi-year file is never read as its first year."""
    if value in columns:
        return [(value, value)]
    if value in SFR_ALIASES:
        for pattern, _ in SFR_ALIASES[value]:
            regex = re.escape(pattern).replace(r"\{year\}", r"(\d{4})")
            found = [(col, int(m.group(1))) for col in columns if (m := re.fullmatch(regex, col))]
            if not found:
                continue
            hits = [(col, value) for col, y in found if year is None or y == year]
            if not hits:
                held = ", ".join(str(y) for _, y in sorted(found, key=lambda f: f[1]))
                raise LookupError(f"year {year} is not in the file: its {value} columns hold {held}")
            return hits
    raise KeyError(value)


def _year_of(column: str) -> int | None:
    m = re.search(r"(?:^|\D)((?:19|20)\d{2})$", column)
    return int(m.group(1)) if m else None


def load_sfr_table(
    source: str | os.PathLike | pd.DataFrame,
    *,
    value: str | Sequence[str] | Mapping[str, str],
    year: int | None = None,
    on_unmapped: str = "error",
) -> pd.DataFrame:
    """Read a legacy SFR underlying-data file (``geog_l, geog_c, geog_n`` + wide year columns).

    Parameters
    ----------
    source : path or DataFrame
        E.g. ``SFR27_2010_March.csv``; never modified.
    value : str, list or dict
        Column(s) to read, an alias from :data:`SFR_ALIASES` (``"children_looked_after"`` finds
        ``MarTotal_2010``, ``CLA_Mar2011`` ...), or ``{column: indicator_name}``. A file with
        the alias's column for several years (``CLA_Mar2014`` ... ``CLA_Mar2018``) gives every one
        of those years (overlaps with other files are settled by the vintage rule).
    year : int, optional
        The year ending 31 March the values belong to. Default: read from the column name
        (``MarTotal_2010`` -> 2010); required for columns without a year (``Mid2009Pop0-17`` is the
        population DfE pairs with the 2010 counts, so pass ``year=2010``). With an alias, only
        that year's column is read (a year the file does not hold is refused, listing the years it
        does).
    on_unmapped : {"error", "drop"}
        What to do with rows whose DfE number has no GSS code (authorities abolished before 2009):
        raise (default) or drop them with an :class:`UnmappedCodeWarning` naming them.

    Returns
    -------
    DataFrame
        The long panel for local-authority rows (``geog_l == "LA"``); ``old_la_code`` is the file's
        number, ``la_code`` the GSS code from the bundled lookup (:func:`rsw_eval.io.la_codes`):
        the current code for the area, or an abolished authority's own code (the lookup records its
        successors).

    Examples
    --------
    >>> import pandas as pd
    >>> raw = pd.DataFrame({"geog_l": ["National", "LA"], "geog_c": ["921", "204"],
    ...                     "geog_n": ["England", "Hackney"], "MarTotal_2010": ["64400", "304"]})
    >>> load_sfr_table(raw, value="children_looked_after")[["la_code", "year", "indicator", "value"]]
         la_code  year              indicator  value
    0  E09000012  2010  children_looked_after  304.0
    """
    frame, info = read_table(source)
    label = info.label
    missing = [c for c in ("geog_l", "geog_c", "geog_n") if c not in frame.columns]
    if missing:
        raise DataError(
            Problem(
                label,
                "not an SFR underlying-data table: missing columns",
                column=", ".join(missing),
                expected="geog_l, geog_c, geog_n",
                found=found_columns(frame.columns),
            )
        )
    columns = [c for c in frame.columns if c not in ("geog_l", "geog_c", "geog_n")]
    wanted = (
        {value: value}
        if isinstance(value, str)
        else (dict(value) if isinstance(value, Mapping) else {v: v for v in value})
    )
    chosen: dict[str, tuple[str, int]] = {}
    for key, name in wanted.items():
        try:
            found = _resolve(columns, key, year)
        except LookupError as exc:
            if not isinstance(exc, KeyError):
                raise DataError(Problem(label, str(exc), expected=f"year = {year}")) from None
            found = None
        if found is None:
            aliases = ", ".join(SFR_ALIASES)
            raise DataError(
                Problem(
                    label,
                    f"no column or alias {key!r}",
                    expected="one of " + ", ".join(columns) + f" (or an alias: {aliases})",
                )
            ) from None
        for column, alias_name in found:
            col_year = year if year is not None else _year_of(column)
            if col_year is None:
                raise DataError(
                    Problem(
                        label,
                        f"cannot tell which year column {column!r} belongs to",
                        column=column,
                        expected="year=YYYY",
                        hint="pass --year YEAR, the year ending 31 March (year = YYYY in the spec)",
                    )
                )
            chosen[column] = (name if name != key else alias_name, col_year)

    la = frame[frame["geog_l"].astype(str).str.strip().str.upper() == "LA"]
    codes = la["geog_c"].astype(str).str.strip().str.replace(r"\.0$", "", regex=True).str.zfill(3)
    gss, keep = map_old_codes(
        codes, label=label, column="geog_c", rows=la.index.to_series() + 2, on_unmapped=on_unmapped
    )
    la, codes, gss = la[keep], codes[keep], gss[keep]
    base = pd.DataFrame(
        {
            "la_code": gss.to_numpy(),
            "old_la_code": codes.to_numpy(),
            "la_name": la["geog_n"].astype(str).str.strip().to_numpy(),
            "source": Path(label).name,
            ROW: info.row_numbers(la.index),
        }
    )
    parts, problems = [], []
    for column, (name, col_year) in chosen.items():
        values, flags, problem = parse_column(la, column, label, info)
        if problem is not None:
            problems.append(problem)
        parts.append(base.assign(year=col_year, indicator=name, value=values, flag=flags, **{COLUMN: column}))
    if problems:
        raise DataError(problems)
    return finish_panel(pd.concat(parts, ignore_index=True), label, year_column=None)
