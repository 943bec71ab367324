"""The versioned outturn line crosswalk: each year's S52/S251 lines -> Munro cost drivers and scope."""

from __future__ import annotations

import os
import re
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

from rsw_eval._errors import DataError, Problem
from rsw_eval.io._identifiers import category_values, shown_values
from rsw_eval.io._read import read_table

__all__ = ["CROSSWALK_VERSION", "DRIVERS", "match_lines", "outturn_crosswalk"]

DRIVERS = (
    "looked_after_placements",
    "safeguarding_social_work",
    "family_support",
    "management_commissioning",
    "other",
)
CROSSWALK_PATH = Path(__file__).resolve().parents[1] / "data" / "outturn_crosswalk.csv"
CROSSWALK_VERSION = "outturn-v3"
_CROSSWALK_COLUMNS = ("year", "line", "description", "kind", "driver", "scope", "source")
_KINDS = ("detail", "subtotal", "total", "total_incl_cera", "cera", "memo")
_LINE_SCOPES = ("childrens_social_care", "wider_cyps")


def _normalise(text: str) -> str:
    """Lower case, line number or S251 code removed, punctuation and repeated spaces dropped."""
    text = re.sub(r"^\s*[0-9]+[a-z]?(\.[0-9]+)*\s*", "", str(text)).lower()
    text = re.sub(r"[^a-z0-9()]+", " ", text.replace("'", "").replace("\u2019", ""))
    return re.sub(r"\s+", " ", text).strip()


@cache
def _bundled() -> pd.DataFrame:
    return pd.read_csv(CROSSWALK_PATH, comment="#", dtype=str, keep_default_na=False)


def outturn_crosswalk() -> pd.DataFrame:
    """The bundled line crosswalk (version :data:`CROSSWALK_VERSION`), one row per year x line.

    Columns ``year`` (ending 31 March, or ``ees``), ``line``, ``description``, ``kind`` (``detail``
    lines are summed; ``subtotal``, ``total``, ``total_incl_cera``, ``cera``, ``memo`` are not),
    ``driver``, ``scope`` (``childrens_social_care`` or ``wider_cyps``), ``note`` (the known breaks
    between years) and ``source``. Copy it, change it and pass it as ``crosswalk=`` to map lines
    your own way.

    Examples
    --------
    >>> x = outturn_crosswalk()
    >>> x.query("year == '2010' and line == '44'")[["kind", "description"]].iloc[0].tolist()
    ['total', "TOTAL CHILDREN AND YOUNG PEOPLE'S SERVICES BUDGET (excluding CERA)"]
    """
    return _bundled().copy()


def _user_crosswalk(source: str | os.PathLike | pd.DataFrame) -> pd.DataFrame:
    frame, info = read_table(source)
    missing = [c for c in _CROSSWALK_COLUMNS if c not in frame.columns]
    if missing:
        raise DataError(
            Problem(
                info.label,
                "not an outturn crosswalk: missing columns",
                column=", ".join(missing),
                expected="columns "
                + ", ".join(_CROSSWALK_COLUMNS)
                + " (as in rsw_eval.io.outturn_crosswalk())",
            )
        )
    frame = frame.astype(object).where(frame.notna(), "").astype(str).map(str.strip)
    detail = frame["kind"] == "detail"
    checks = (
        ("kind", ~frame["kind"].isin(_KINDS), ", ".join(_KINDS)),
        ("driver", detail & ~frame["driver"].isin(DRIVERS), ", ".join(DRIVERS)),
        ("scope", detail & ~frame["scope"].isin(_LINE_SCOPES), ", ".join(_LINE_SCOPES)),
    )
    problems = [
        Problem.where(
            info.label,
            f"unknown {col}",
            frame.index,
            bad,
            column=col,
            expected="one of " + expected,
            found=shown_values(sorted(set(frame.loc[bad, col]))[:5]),
        )
        for col, bad, expected in checks
        if bad.any()
    ]
    if problems:
        raise DataError(problems)
    return frame


def _unknown_lines(frame: pd.DataFrame, layout, unknown: np.ndarray) -> str:
    """The descriptions of the lines the crosswalk does not know, for a message: a line that three
    authorities' blocks or more carry is a spending line's label ("2 Youth offending teams"), shown
    so the user can map it (att12 M5); any other is shown as a cell is, an identifier masked.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> frame = pd.DataFrame({"LA": ["201", "202", "203", "204"],
    ...                       "Desc": ["2 Youth offending teams"] * 3 + ["W1001 Jane"]})
    >>> _unknown_lines(frame, SimpleNamespace(la="LA", description="Desc"), np.ones(4, bool))
    '2 Youth offending teams, <not shown: may be an identifier>'
    """
    rows = pd.DataFrame(
        {
            "new_la_code": frame[layout.la].to_numpy()[unknown],
            "line": frame[layout.description].to_numpy()[unknown],
        }
    )
    return category_values(rows, "line", sep=", ", most=5)


def match_lines(frame, layout, years: pd.Series, label: str, crosswalk) -> pd.DataFrame:
    """The crosswalk row of every file row (line, kind, driver, scope), or a DataError."""
    table = _bundled() if crosswalk is None else _user_crosswalk(crosswalk)
    desc = frame[layout.description].astype(str)
    norm = desc.map({d: _normalise(d) for d in desc.unique()})  # a file repeats ~40 wordings
    if layout.name.startswith("EES"):
        keys = pd.DataFrame({"year": "ees", "key": norm.to_numpy()}, index=frame.index)
        table = table.assign(key=table["description"].map(_normalise))
    else:
        line = (
            frame[layout.line].astype(str).str.strip().str.removesuffix(".0")
            if layout.line
            else desc.str.extract(r"^\s*(\d+)", expand=False).fillna("")
        )
        if layout.line == "s251line":  # Table A1: the number that starts the description is the
            # line as the file words it (2015-16 gives s251line 16 to two lines; see the crosswalk)
            own = desc.str.extract(r"^\s*(\d+[a-z]?(?:\.\d+)*)", expand=False)
            line = own.fillna(line)
        keys = pd.DataFrame({"year": years.astype(str), "key": line.to_numpy()}, index=frame.index)
        table = table.assign(key=table["line"])
        covered = sorted(set(table["year"]) - {"ees"})
        absent = sorted(set(keys["year"]) - set(covered))
        if absent:
            raise DataError(
                Problem(
                    label,
                    f"the outturn crosswalk has no lines for the year ending March {absent[0]}",
                    expected="one of " + ", ".join(covered),
                    hint="pass --year YEAR if the file name misleads, or --crosswalk FILE with your "
                    'own line mapping (crosswalk = "FILE" in the spec)',
                )
            )
    table = table.drop_duplicates(["year", "key"])
    found = keys.merge(table, on=["year", "key"], how="left", validate="many_to_one")
    found.index = frame.index
    unknown = found["kind"].isna().to_numpy()
    if not unknown.any() and not layout.name.startswith("EES"):
        # the line number is known: its text must be the crosswalk's line, not a renumbered one
        mine, theirs = norm.str[:20], found["description"].map(_normalise).str[:20]
        n = np.minimum(mine.str.len(), theirs.str.len())
        unknown = np.array([a[:k] != b[:k] for a, b, k in zip(mine, theirs, n, strict=True)])
    if unknown.any():
        raise DataError(
            Problem.where(
                label,
                f"spending lines not in the outturn crosswalk ({CROSSWALK_VERSION}) for this year",
                frame.index,
                unknown,
                column=layout.description,
                found=_unknown_lines(frame, layout, unknown),
                hint='pass --crosswalk FILE with your own line mapping (crosswalk = "FILE" in the spec)',
            )
        )
    line = found["line"].where(found["line"] != "", found["key"].str.replace(" ", "_"))
    return found.assign(line=line)[["line", "kind", "driver", "scope"]]
