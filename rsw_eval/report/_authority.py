"""Which authority a report (or a section of one) is about: its rows, its series against its own
comparators, its adoption year, its name. Every report reads these, so that a sentence, chart
marker or limitation about an authority uses that authority's rows and year, never another's.

A row belongs to an authority when its ``treatment`` names it ("Southwark (E09000028)"): every
per-adopter design row does (:mod:`rsw_eval.evaluation._steps`); pooled rows (staggered adoption)
name no single authority and belong to none.
"""

from __future__ import annotations

import re

import pandas as pd

from rsw_eval.evaluation.results import Results

__all__ = ["adoption_of", "comparison_of", "name_of", "pooled_rows", "rows_of", "series_of", "units"]

_CODE = re.compile(r"\((?:[EWSN]\d{8})\)")


def units(results: Results) -> list[str]:
    """The authorities the results are about (each adopter, or the one authority asked for), in
    the engine's order.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> units(SimpleNamespace(provenance={"adoption": {"E09000012": 2008, "E09000028": 2016}}))
    ['E09000012', 'E09000028']
    """
    adoption = results.provenance.get("adoption")
    if adoption:
        return list(adoption)
    series = getattr(results, "series", pd.DataFrame())
    if len(series) and "role" in series:
        return list(dict.fromkeys(series.loc[series["role"] == "treated", "la_code"].astype(str)))
    return []


def adoption_of(results: Results, code: str | None) -> int | None:
    """The authority's own first year with the model (None: not an adopter, or unknown)."""
    adoption = results.provenance.get("adoption")
    if adoption is not None and code is not None:
        year = adoption.get(code)
        return None if year is None else int(year)
    year = results.provenance.get("intervention_year")  # results from before per-adopter years
    return None if year is None else int(year)


def rows_of(table: pd.DataFrame, code: str) -> pd.DataFrame:
    """The rows about one authority (its ``treatment`` names it by code).

    Examples
    --------
    >>> t = pd.DataFrame({"treatment": ["Hackney (E09000012)", "Southwark (E09000028)", "6 adopters"]})
    >>> rows_of(t, "E09000028").index.tolist()
    [1]
    """
    text = table["treatment"].astype(str)
    return table[text.str.contains(f"({code})", regex=False) | (text == code)]


def pooled_rows(table: pd.DataFrame) -> pd.DataFrame:
    """Rows that name no single authority (pooled over adopters, or survey rows by label)."""
    text = table["treatment"].astype(str)
    return table[~text.str.contains(_CODE)]


def comparison_of(results: Results, code: str | None = None, key: str = "admin") -> dict:
    """The engine's record of whom ``code`` is compared with (``provenance["comparison"]``)."""
    comparison = results.provenance.get("comparison") or {}
    entry = comparison.get(f"{key}/{code}") if code else None
    entry = entry or comparison.get(key) or comparison.get("cost") or {}
    return entry if isinstance(entry, dict) else {}


def name_of(results: Results, code: str) -> str:
    """The authority's display name (the data's, else the comparison record's, else its code)."""
    series = results.series
    if len(series):
        named = series.loc[series["la_code"] == code, "la_name"].dropna().astype(str)
        named = named[named != ""]
        if len(named):
            return named.iloc[0]
    for entry in (results.provenance.get("comparison") or {}).values():
        for a in entry.get("authorities") or []:
            if a.get("la_code") == code and a.get("la_name"):
                return str(a["la_name"])
    from rsw_eval.io._lacodes import la_codes

    lookup = la_codes().drop_duplicates("la_code").set_index("la_code")["la_name"]
    return str(lookup.get(code, code))


def series_of(series: pd.DataFrame, results: Results, code: str) -> pd.DataFrame:
    """The series with ``code`` as the only treated authority and its own comparators (never
    another unit-model authority), England and its own region kept (several adopters bring
    several regions)."""
    if series.empty:
        return series
    entry = comparison_of(results, code)
    own = [a["la_code"] for a in entry.get("authorities") or [] if a.get("role") == "comparator"]
    from rsw_eval.io._lacodes import la_codes

    region = la_codes().drop_duplicates("la_code").set_index("la_code")["region_code"].get(code, "")
    keep = (series["la_code"] == code) | (series["role"] == "england")
    keep |= (series["role"] == "region") & (series["la_code"] == region)  # its own region only
    keep |= (
        series["la_code"].isin(own) & (series["role"] == "comparator")
        if own
        else series["role"] == "comparator"
    )
    out = series[keep].copy()
    out.loc[out["la_code"] == code, "role"] = "treated"
    return out
