"""The ``time_period`` column of an explore-education-statistics table: one form per year, and
snapshot dates turned into the years ending 31 March that hold them (:mod:`rsw_eval.io._ees`)."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from rsw_eval._errors import DataError, Problem
from rsw_eval.io._identifiers import shown

__all__ = ["one_form_per_year", "snapshot_years"]


def one_form_per_year(time_period: pd.Series, years: pd.Series, codes: pd.Series, info, label: str) -> None:
    """Refuse one authority's year written in two forms ("2004-05" and "2005", both the year ending
    March 2005): the rows would clash as one year held twice, and the message then blamed a filter
    column the file does not have (att12 M9).

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> text = pd.Series(["2004-05", "2005", "2006"])
    >>> info = SimpleNamespace(row_numbers=lambda index: [int(i) + 2 for i in index])
    >>> try:
    ...     one_form_per_year(text, pd.Series([2005, 2005, 2006]), pd.Series(["E1"] * 3), info, "a.csv")
    ... except DataError as error:
    ...     print(error)  # doctest: +ELLIPSIS
    a.csv, rows 2, 3, column 'time_period': one year written in two forms...found '2004-05' and '2005'...
    """
    text = time_period.astype(str).str.strip()
    forms = pd.DataFrame({"code": codes.to_numpy(), "year": years.to_numpy(), "text": text.to_numpy()})
    many = forms.groupby(["code", "year"])["text"].transform("nunique").to_numpy() > 1
    if not many.any():
        return
    first = forms[many].iloc[0]
    clash = many & (forms["code"] == first["code"]).to_numpy() & (forms["year"] == first["year"]).to_numpy()
    shown_forms = " and ".join(repr(t) for t in dict.fromkeys(forms.loc[clash, "text"]))
    raise DataError(
        Problem(
            label,
            "one year written in two forms, so its rows would clash as the same year held twice",
            column="time_period",
            rows=tuple(info.row_numbers(time_period.index[many][:5])),
            n_rows=int(many.sum()),
            expected=f"one form for each year (both are the year ending March {int(first['year'])})",
            found=shown_forms,
            hint="write every year in one form, as the rest of the file does (2005, or 2004-05)",
        )
    )


def snapshot_years(time_period: pd.Series, reference_date: str, label: str) -> tuple[pd.Series, np.ndarray]:
    """Years ending 31 March that contain ``YYYY-<reference_date>``, and those dates."""
    m = re.fullmatch(r"(\d{2})-(\d{2})", str(reference_date))
    if not m or not (1 <= int(m.group(1)) <= 12 and 1 <= int(m.group(2)) <= 31):
        raise ValueError(f"reference_date must be 'MM-DD' (e.g. '09-30'). Got {reference_date!r} instead.")
    text = time_period.astype(str).str.strip()
    bad = ~text.str.fullmatch(r"\d{4}")
    if bad.any():
        raise DataError(
            Problem(
                label,
                "a snapshot date needs calendar years in time_period",
                column="time_period",
                expected="a year such as 2017",
                found=", ".join(shown(v) for v in text[bad].head(3)),
            )
        )
    calendar = text.astype(int).to_numpy()
    shift = 1 if int(m.group(1)) >= 4 else 0
    dates = np.array([f"{y}-{reference_date}" for y in calendar], dtype=object)
    return pd.Series(calendar + shift, index=time_period.index), dates
