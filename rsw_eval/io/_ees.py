"""Explore Education Statistics (EES) tidy tables -> long panel."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd

from rsw_eval._errors import DataError, Problem, found_columns
from rsw_eval.io._authority import authority_problems
from rsw_eval.io._ees_years import one_form_per_year, snapshot_years
from rsw_eval.io._filters import filter_rows
from rsw_eval.io._identifiers import category_values, shown, shown_values
from rsw_eval.io._lacodes import current_code
from rsw_eval.io._panel import (
    COLUMN,
    ROW,
    finish_panel,
    parse_column,
    parse_values,
    reporting_year,
)
from rsw_eval.io._read import read_table
from rsw_eval.io._value_kinds import is_percent

__all__ = ["GEOGRAPHY_COLUMNS", "add_cla_rate", "load_dfe_table"]

#: The standard EES geography and time columns (any order; not all are always present).
GEOGRAPHY_COLUMNS = (
    "time_period",
    "time_identifier",
    "geographic_level",
    "country_code",
    "country_name",
    "region_code",
    "region_name",
    "old_la_code",
    "new_la_code",
    "la_name",
)
_REQUIRED = ("time_period", "geographic_level", "old_la_code", "new_la_code", "la_name")
#: Explore Education Statistics' geographic levels (its data standards): a row at any other level
#: is a misread or a typo, never silently dropped with the levels a loader does not keep.
EES_LEVELS = frozenset(
    level.lower()
    for level in (
        "National",
        "Regional",
        "Local authority",
        "Local authority district",
        "Local skills improvement plan area",
        "Local enterprise partnership",
        "English devolved area",
        "Mayoral combined authority",
        "Opportunity area",
        "Parliamentary constituency",
        "Police force area",
        "Planning area",
        "Provider",
        "Institution",
        "School",
        "Multi-academy trust",
        "Sponsor",
        "Ward",
        "RSC region",
    )
)


def _mostly_numbers(column: pd.Series) -> bool:
    """Whether a column is an indicator: at least half its filled cells are numbers or published
    symbols (a column of text with a few numbers is a filter; one bad cell does not make an
    indicator column a filter). A percentage column's ``58%`` is a number (:func:`parse_values`)."""
    _, _, bad = parse_values(column, is_percent(column.name))
    filled = column.astype(str).str.strip().ne("").to_numpy(dtype=bool)
    return bool(filled.any()) and int((filled & ~bad).sum()) >= int(bad.sum())


def _as_mapping(value: str | Sequence[str] | Mapping[str, str] | None) -> dict[str, str] | None:
    if value is None or isinstance(value, Mapping):
        return None if value is None else dict(value)
    return {value: value} if isinstance(value, str) else {v: v for v in value}


def load_dfe_table(
    source: str | os.PathLike | pd.DataFrame,
    *,
    value: str | Sequence[str] | Mapping[str, str] | None = None,
    filters: Mapping[str, str | Sequence[str]] | None = None,
    geographic_level: str | Sequence[str] = "Local authority",
    reference_date: str | None = None,
    sheet: str | None = None,
) -> pd.DataFrame:
    """Read any local-authority table downloaded from Explore Education Statistics into the panel.

    Parameters
    ----------
    source : path or DataFrame
        The EES CSV as downloaded (BOM, quoted empty strings and symbols are fine); never modified.
    value : str, list or dict, optional
        Indicator column(s) to keep, or ``{column: indicator_name}`` to rename them (e.g.
        ``{"children_count": "children_looked_after"}``). Default: every numeric indicator column.
    filters : dict, optional
        ``{filter_column: value or [values]}``, e.g.
        ``{"population_type": "Children looked after on 31 March each year"}``.
    geographic_level : str or list of str, default "Local authority"
        Rows of this ``geographic_level`` (or these) are kept (``"National"``, ``"Regional"`` ...):
        England's row gets ``la_code`` E92000001 and a region its GSS code (E12..., E13...).
    reference_date : str, optional
        ``"MM-DD"``: the figures are a snapshot on that date of the calendar year ``time_period``
        names (``"09-30"`` for the social work workforce census, ``"06-30"`` for ONS mid-year
        population). ``year`` is then the year ending 31 March that contains the date (30
        September 2017 -> 2018, mid-2024 -> 2025) and a ``reference_date`` column records it.
    sheet : str, optional
        Worksheet of the table when it was saved as a workbook with several sheets (a notes sheet).

    Returns
    -------
    DataFrame
        The long panel (``la_code, old_la_code, la_name, year, indicator, value, flag, source``) plus
        ``time_period`` as published. ``year`` is the year the reporting year ends (202425 -> 2025);
        ``la_code`` is the current GSS code for the area (recoded counties take their unitary code);
        suppression symbols become NaN with the symbol in ``flag``.

    Raises
    ------
    DataError
        Missing geography columns, unknown value or filter columns (valid ones listed), a filter that
        matches nothing (existing values listed), non-numeric indicator cells (rows shown),
        unrecognised time periods, or rows that would repeat an authority x year x indicator.

    Examples
    --------
    >>> import pandas as pd
    >>> raw = pd.DataFrame({"time_period": ["202425", "202425"], "time_identifier": "Financial year",
    ...     "geographic_level": "Local authority", "old_la_code": ["204", "202"],
    ...     "new_la_code": ["E09000012", "E09000007"], "la_name": ["Hackney", "Camden"],
    ...     "children_count": ["352", "c"]})
    >>> load_dfe_table(raw, value={"children_count": "children_looked_after"})[
    ...     ["la_code", "year", "indicator", "value", "flag"]]
         la_code  year              indicator  value flag
    0  E09000007  2025  children_looked_after    NaN    c
    1  E09000012  2025  children_looked_after  352.0
    """
    frame, info = read_table(source, sheet=sheet)
    label = info.label
    missing = [c for c in _REQUIRED if c not in frame.columns]
    if missing:
        raise DataError(
            Problem(
                label,
                "not an Explore Education Statistics table: missing geography columns",
                column=", ".join(missing),
                expected="columns " + ", ".join(_REQUIRED),
                found=found_columns(frame.columns),
            )
        )
    level = frame["geographic_level"].astype(str).str.strip()
    unknown = ~level.str.lower().isin(EES_LEVELS)
    if unknown.any():
        raise DataError(
            Problem(
                label,
                "not an Explore Education Statistics geographic level",
                column="geographic_level",
                rows=tuple(info.row_numbers(frame.index[unknown.to_numpy()][:5])),
                n_rows=int(unknown.sum()),
                expected="National, Regional, Local authority or another EES level",
                found=shown_values(sorted(set(level[unknown]))[:3]) or "an empty cell",
            )
        )
    levels = [geographic_level] if isinstance(geographic_level, str) else list(geographic_level)
    keep = level.str.lower().isin([v.lower() for v in levels])
    if not keep.any():
        raise DataError(
            Problem(
                label,
                f"no rows at geographic_level {' or '.join(map(repr, levels))}",
                column="geographic_level",
                expected="one of " + shown_values(sorted(level.unique())),
            )
        )
    frame = frame[keep]
    for col, wanted in (filters or {}).items():
        if col not in frame.columns:
            others = [c for c in frame.columns if c not in GEOGRAPHY_COLUMNS]
            raise DataError(
                Problem(label, f"unknown filter column {col!r}", expected="one of " + ", ".join(others))
            )
        frame = frame[filter_rows(frame, col, wanted, label, info)]
    candidates = [c for c in frame.columns if c not in GEOGRAPHY_COLUMNS and c not in (filters or {})]
    chosen = _as_mapping(value)
    if chosen is None:
        chosen = {c: c for c in candidates if _mostly_numbers(frame[c])}
        if not chosen:
            raise DataError(
                Problem(
                    label,
                    "no numeric indicator columns found",
                    expected="columns of numbers",
                    found=", ".join(candidates),
                )
            )
    unknown = [c for c in chosen if c not in frame.columns]
    if unknown:
        raise DataError(
            Problem(
                label,
                "unknown indicator column" + ("s" if len(unknown) > 1 else ""),
                column=", ".join(unknown),
                expected="one of " + ", ".join(candidates),
            )
        )
    text_columns = [
        c for c in candidates if c not in chosen and parse_values(frame[c], is_percent(c))[2].any()
    ]
    open_filters = {
        c: sorted(frame[c].astype(str).str.strip().unique())
        for c in text_columns
        if frame[c].astype(str).str.strip().nunique() > 1
    }
    if open_filters:
        col, values = next(iter(open_filters.items()))
        listed = category_values(frame, col)
        example = next((v for v in values if v in listed.split("; ")), "VALUE")
        raise DataError(
            Problem(
                label,
                "the table has filter columns with several values, so each "
                "authority and year would appear more than once",
                column=", ".join(open_filters),
                expected="one value per filter column",
                found=f"{col}: " + listed,
                hint=f"pass --filter '{col}={example}' (in the spec: filters = {{ {col} = \"{example}\" }})",
            )
        )
    years = frame["time_period"].map(reporting_year)
    bad_years = years.isna()
    if bad_years.any():
        raise DataError(
            Problem(
                label,
                "unrecognised time_period",
                column="time_period",
                rows=tuple(info.row_numbers(frame.index[bad_years.to_numpy()][:5])),
                n_rows=int(bad_years.sum()),
                expected="a year such as 2025, 202425 or 2024/25",
                found=", ".join(shown(v) for v in frame.loc[bad_years, "time_period"].head(5)),
            )
        )
    dates = None
    if reference_date is not None:
        years, dates = snapshot_years(frame["time_period"], reference_date, label)
    codes = frame["new_la_code"].astype(str).str.strip()
    one_form_per_year(frame["time_period"], years, codes, info, label)
    old = frame["old_la_code"].astype(str).str.strip().str.replace(r"\.0$", "", regex=True)
    names = frame["la_name"].astype(str).str.strip()
    # national and regional rows have no LA code: their country or region code stands in
    for level, code_col, name_col in (
        ("national", "country_code", "country_name"),
        ("regional", "region_code", "region_name"),
    ):
        area = frame["geographic_level"].astype(str).str.strip().str.lower() == level
        if area.any() and code_col in frame.columns:
            codes = codes.where(~area, frame[code_col].astype(str).str.strip())
            if name_col in frame.columns:
                names = names.where(~area, frame[name_col].astype(str).str.strip())
    local = (frame["geographic_level"].astype(str).str.strip().str.lower() == "local authority").to_numpy()
    rows = np.asarray(info.row_numbers(frame.index))
    problems = authority_problems(label, codes[local], old[local], rows[local], "new_la_code")
    if problems:  # a local authority's code that no authority has, or another one's (q11in Q2)
        raise DataError(problems)
    base = pd.DataFrame(
        {
            "la_code": codes.map(current_code).to_numpy(),
            "old_la_code": old.where(old == "", old.str.zfill(3)).to_numpy(),
            "la_name": names.to_numpy(),
            "year": years.astype("int64").to_numpy(),
            "source": Path(label).name,
            "time_period": frame["time_period"].astype(str).str.strip().to_numpy(),
            ROW: info.row_numbers(frame.index),
        }
    )
    if dates is not None:
        base["reference_date"] = dates
    parts, problems = [], []
    for column, name in chosen.items():
        values, flags, problem = parse_column(frame, column, label, info, is_percent(name, column))
        if problem is not None:
            problems.append(replace(problem, hint=_BAD_CELL_HINT))
        parts.append(base.assign(indicator=name, value=values, flag=flags, **{COLUMN: column}))
    if problems:
        raise DataError(problems)
    return finish_panel(
        pd.concat(parts, ignore_index=True), label, year_column="time_period", code_column="new_la_code"
    )


_BAD_CELL_HINT = "correct the cell, or write a published symbol (c, x, z, ..) where there is no value"


def add_cla_rate(
    panel: pd.DataFrame,
    *,
    count: str = "children_looked_after",
    population: str = "population_0_17",
    name: str = "cla_rate_per_10k",
) -> pd.DataFrame:
    """Append the rate per 10,000 children, ``10000 * count / population``, where both exist.

    Parameters
    ----------
    panel : DataFrame
        A long panel holding both indicators (not modified).
    count, population : str
        Indicator names of the numerator and the 0-17 population.
    name : str, default "cla_rate_per_10k"
        Indicator name of the new rows.

    Returns
    -------
    DataFrame
        The panel with the rate rows added; a rate whose inputs are missing is NaN with the flag of
        the missing input.

    Examples
    --------
    >>> import pandas as pd
    >>> p = pd.DataFrame({"la_code": "E09000012", "old_la_code": "204", "la_name": "Hackney",
    ...                   "year": 2010, "indicator": ["children_looked_after", "population_0_17"],
    ...                   "value": [304.0, 51300.0], "flag": "", "source": "SFR27_2010_March.csv"})
    >>> round(float(add_cla_rate(p).query("indicator == 'cla_rate_per_10k'")["value"].iloc[0]), 2)
    59.26
    """
    key = ["la_code", "year"]
    num = panel[panel["indicator"] == count].set_index(key)
    den = panel[panel["indicator"] == population].set_index(key)
    both = num.join(den[["value", "flag"]].add_suffix("_pop"), how="inner")
    if both.empty:
        raise DataError(
            f"add_cla_rate: no authority-year has both {count!r} and {population!r}; "
            f"indicators present: {sorted(panel['indicator'].unique())}"
        )
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = 10000 * both["value"] / both["value_pop"]
    flag = both["flag"].where(both["flag"] != "", both["flag_pop"])
    rows = both.drop(columns=["value_pop", "flag_pop"]).assign(
        indicator=name, value=rate, flag=flag.where(rate.isna(), "")
    )
    return finish_panel(pd.concat([panel, rows.reset_index()], ignore_index=True), "add_cla_rate")
