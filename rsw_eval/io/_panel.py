"""The long administrative panel every administrative and cost loader returns (DESIGN.md)."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from rsw_eval._errors import DataError, Problem
from rsw_eval.io._authority import DFE_NUMBER, describe_code, not_a_code
from rsw_eval.io._authority import GSS as GSS  # io._dashboard imports it from here
from rsw_eval.io._formulas import percent_number
from rsw_eval.io._identifiers import looks_like_id, shown
from rsw_eval.io._value_kinds import ABSURD, CEILINGS, LONG, kind_of, long_number, underflows

PANEL_COLUMNS = ("la_code", "old_la_code", "la_name", "year", "indicator", "value", "flag", "source")
#: Published suppression and status symbols (GSS and DfE conventions), read as "no value".
SYMBOLS = frozenset({"c", "x", "z", "k", "u", "low", ":", ".."})
#: A number as DfE and ONS write one: ASCII digits only (full-width "１２" or a lone "-" are not numbers
#: but would read as "no value", silently: q11in Q5), at least one digit.
_NUMBER = re.compile(r"^(?=[^0-9]*[0-9])[-+]?(\d{1,3}(,\d{3})+|\d+)?(\.\d+)?([eE][-+]?\d+)?$", re.ASCII)


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


def parse_values(raw: pd.Series, percent: bool = False) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Numbers, flags and a mask of cells that are neither numbers nor published symbols.

    Thousands separators are removed; symbols (``c``, ``x``, ``z``, ``k``, ``u``, ``low``, ``:``,
    ``..``) and empty cells give NaN with the symbol kept as the flag. With ``percent`` (a column of
    percentages 0-100) ``58%`` is 58, as Excel shows 0.58 in a percentage format
    (:func:`~rsw_eval.io._formulas.percent_number`); elsewhere it is not a number.
    """
    text = raw.astype(object).map(
        lambda v: "" if v is None or (isinstance(v, float) and np.isnan(v)) else str(v).strip()
    )
    if percent:
        text = percent_number(text)
    lower = text.str.lower()
    is_symbol = lower.isin(SYMBOLS).to_numpy(dtype=bool)
    is_empty = (text == "").to_numpy(dtype=bool)
    looks_numeric = text.str.match(_NUMBER).fillna(False).to_numpy(dtype=bool) & ~is_empty
    values = pd.to_numeric(
        text.str.replace(",", "", regex=False).where(looks_numeric, None), errors="coerce"
    ).to_numpy(dtype=float)
    flags = np.where(is_symbol, lower.to_numpy(dtype=object), "")
    # a number pandas cannot read (200,000 digits: q18att F4) is no number, not an empty cell
    bad = ~(looks_numeric | is_symbol | is_empty) | (looks_numeric & np.isnan(values))
    bad |= underflows(text, values)  # "1e-400" is no 0 (att12 L2)
    return values, flags.astype(object), bad


def parse_column(
    frame: pd.DataFrame, column: str, label: str, source=None, percent: bool = False
) -> tuple[np.ndarray, np.ndarray, Problem | None]:
    """:func:`parse_values` of one column, with the problem (file rows, header = row 1) when cells
    are neither numbers nor published symbols. ``frame`` is indexed as
    :func:`~rsw_eval.io._read.read_table` gives it (row in the file minus 2); ``source`` (its
    :class:`~rsw_eval.io._read.Source`) reports a DataFrame's own index instead; ``percent`` as
    for :func:`parse_values`."""
    values, flags, bad = parse_values(frame[column], percent)
    problem = None
    if bad.any():
        labels = frame.index[bad]
        problem = Problem(
            label,
            "not a number or a published symbol",
            column=column,
            rows=tuple(source.row_numbers(labels[:5]) if source else (int(i) + 2 for i in labels[:5])),
            n_rows=int(bad.sum()),
            expected="a number or one of c, x, z, k, u, low, :, ..",
            found=", ".join(shown(v) for v in frame.loc[bad, column].head(5)),
        )
    return values, flags, problem


#: Optional columns of a frame given to :func:`finish_panel`: the file row each panel row was read
#: from (as :meth:`~rsw_eval.io._read.Source.row_numbers` gives it) and the file's column its value
#: came from, for the messages; both are dropped from the panel.
ROW, COLUMN = "_row", "_column"

#: What a duplicate authority x year x indicator is told (:func:`finish_panel`): a panel's
#: duplicates come from a filter column left unfiltered; a ledger's, which has none, from a row or a
#: file typed with another year or la_code.
FILTER_HINT = "choose one value of each filter column: --filter COLUMN=VALUE (filters in the spec)"
LEDGER_HINT = (
    "a ledger has no filter column: correct the year or la_code of a row, or of a costs file, typed with "
    "another authority-year's, or sum the rows first"
)


def finish_panel(
    frame: pd.DataFrame,
    label: str,
    *,
    year_column: str | None = "year",
    code_column: str = "la_code",
    duplicate_hint: str = FILTER_HINT,
) -> pd.DataFrame:
    """Order and type the panel columns, sort, and reject impossible values (:func:`check_values`)
    and duplicate authority x year x indicator.

    ``frame`` may carry :data:`ROW` and :data:`COLUMN` (the file row and column of each value) for
    the messages; ``year_column`` is the file's column the years were read from (None when the year
    came from an option or the file name); ``code_column`` the one the authority codes were read from;
    ``duplicate_hint`` what a duplicate's message advises (a ledger has no filter column, so costs
    give :data:`LEDGER_HINT`: findings-q15att M2).
    """
    rows, columns = frame.get(ROW), frame.get(COLUMN)
    frame = frame.drop(columns=[c for c in (ROW, COLUMN) if c in frame])
    for col in PANEL_COLUMNS:
        if col not in frame:
            frame[col] = "" if col in ("old_la_code", "flag", "la_name") else np.nan
    extra = [c for c in frame.columns if c not in PANEL_COLUMNS]
    out = frame.loc[:, [*PANEL_COLUMNS, *extra]].copy()
    for col in ("la_code", "old_la_code", "la_name", "indicator", "flag", "source"):
        out[col] = out[col].astype("string")
    out["la_code"] = _authority_codes(out, label, rows, code_column)
    out["year"] = out["year"].astype("int64")
    out["value"] = out["value"].astype("float64")
    check_values(out, label, rows=rows, columns=columns, year_column=year_column)
    from rsw_eval.io._personal_names import no_personal_authority_names

    no_personal_authority_names(out, label, rows)
    key = ["la_code", "year", "indicator"]
    dup = out.duplicated(key, keep=False)
    if dup.any():
        first = out.loc[dup, key].drop_duplicates().head(3)
        file_rows = [] if rows is None else sorted(set(rows[dup.to_numpy()].dropna().astype(int)))
        shown_ = "; ".join(
            f"{shown(r.la_code, quote=False)} {r.year} {r.indicator}" for r in first.itertuples()
        )
        raise DataError(
            Problem(
                label,
                "the panel would hold the same authority, year and indicator more than once",
                rows=tuple(file_rows[:5]),  # a file row holds many indicators: named once (att12 M9)
                n_rows=len(file_rows) or int(dup.sum()),
                expected="one row per la_code x year x indicator",
                found=f"{int(dup.sum())} repeated rows, e.g. {shown_}",
                hint=duplicate_hint,
            )
        )
    return out.sort_values(key, kind="stable").reset_index(drop=True)


#: Years a panel may hold (years ending 31 March).
FIRST_YEAR, LAST_YEAR = 1990, 2100


def _authority_codes(panel: pd.DataFrame, label: str, rows: pd.Series | None, column: str) -> pd.Series:
    """``la_code`` with DfE LA numbers given their GSS code (``204`` is Hackney, E09000012, not a
    separate authority). A code that is neither a GSS code nor a number in the bundled lookup (a
    name, a code with an invisible character, a lower-case or short GSS code) is an error: it would
    be a new authority holding part of a real one's figures (findings q11in Q1, Q10)."""
    from rsw_eval.io._lacodes import code_map, current_code

    codes = panel["la_code"].fillna("").str.strip()
    number = codes.str.fullmatch(DFE_NUMBER.pattern).fillna(False).to_numpy(dtype=bool)
    problems = []
    if number.any():
        lookup = code_map()
        three = codes[number].str.lstrip("0").str.zfill(3)
        mapped = three.map(lambda c: current_code(lookup[c]["la_code"]) if c in lookup else "")
        unknown = (mapped == "").to_numpy()
        if unknown.any():
            problems.append(
                _problem(
                    label,
                    rows,
                    number.nonzero()[0][unknown],
                    column,
                    "unknown local-authority number",
                    "a DfE LA number in the bundled lookup (rsw_eval.io.la_codes) or a GSS code",
                    ", ".join(sorted(set(codes[number][unknown]))[:5]),
                )
            )
        old = panel["old_la_code"].fillna("")
        panel.loc[number, "old_la_code"] = old[number].where(old[number] != "", three)
        codes = codes.copy()
        codes[number] = mapped
    bad = not_a_code(codes)
    if bad.any():
        problems.append(
            _problem(
                label,
                rows,
                bad.nonzero()[0],
                column,
                "not an authority code",
                "a GSS code such as E09000012 (a capital letter and 8 digits) or a DfE LA number such as 204",
                "; ".join(dict.fromkeys(describe_code(v) for v in codes[bad].head(3))),
            )
        )
    if problems:
        raise DataError(problems)
    return codes.where(codes != "", panel["la_code"]).astype("string")


def _problem(label, rows, positions, column, message, expected, found) -> Problem:
    """One problem at ``positions`` of the panel (file rows when known; a row made by the loader,
    such as a total, has none)."""
    # a row read into several panel rows (one per indicator, or a line and its total) is one row
    where = () if rows is None else tuple(dict.fromkeys(r for r in rows.iloc[positions] if not pd.isna(r)))
    return Problem(
        label, message, column=column, rows=where[:5], n_rows=len(where), expected=expected, found=found
    )


def check_values(
    panel: pd.DataFrame,
    label: str,
    *,
    rows: pd.Series | None = None,
    columns: pd.Series | None = None,
    year_column: str | None = "year",
) -> None:
    """Refuse, by name, values no panel can hold: an empty authority code, a year outside
    1990-2100, an infinite or absurd (above :data:`ABSURD`) value, a count or population above its
    :data:`CEILINGS`, a count that is negative or not a whole number, a percentage outside 0-100, a
    population that is 0, negative or not whole, and a negative FTE, caseload or days lost. An
    indicator is classed by its name (:func:`_kind`), or, when that says nothing, by the name of the
    file's column it was read from.

    ``rows`` and ``columns`` (aligned with ``panel``) give each value's file row and column.
    """
    problems = []
    empty = (panel["la_code"].fillna("").str.strip() == "").to_numpy(dtype=bool)
    if empty.any():
        problems.append(
            _problem(
                label,
                rows,
                empty.nonzero()[0],
                "la_code",
                f"{int(empty.sum())} panel rows have no authority code",
                "a GSS code such as E09000012 in every row",
                "an empty code",
            )
        )
    year = panel["year"].to_numpy()
    out_of_range = (year < FIRST_YEAR) | (year > LAST_YEAR)
    # the year as the file writes it, not the panel's year ending 31 March (a census of 30 September
    # 1066 is year 1067 in the panel; the message quotes the cell: q11in Q8)
    as_written = (panel["time_period"] if "time_period" in panel else panel["year"]).to_numpy()
    if out_of_range.any():
        at = out_of_range.nonzero()[0]
        problems.append(
            _problem(
                label,
                rows,
                at,
                year_column,
                "value out of range",
                f"a year {FIRST_YEAR}-{LAST_YEAR}",
                ", ".join(repr(str(y)) for y in pd.unique(as_written[at])[:5]),
            )
        )
    value = panel["value"].to_numpy(dtype=float)
    kinds = panel["indicator"].map(kind_of).to_numpy(dtype=object)
    if columns is not None:  # a renamed column keeps its source's checks (q11in Q7: ..._percent=pct)
        kinds = np.where(
            kinds == "", columns.fillna("").astype(str).map(kind_of).to_numpy(dtype=object), kinds
        )
    finite = np.isfinite(value)
    checks = (
        (np.isinf(value), "an infinite value", "a finite number"),
        ((kinds == "count") & finite & (value < 0), "a negative count", "a count >= 0"),
        (
            (kinds == "count") & finite & (value >= 0) & (value != np.round(value)),
            "a count that is not a whole number",
            "a whole number",
        ),
        (
            (kinds == "percent") & finite & ((value < 0) | (value > 100)),
            "a percentage outside 0-100",
            "0 to 100",
        ),
        ((kinds == "population") & finite & (value < 0), "a negative population", "a population >= 0"),
        ((kinds == "nonnegative") & finite & (value < 0), "a negative value", "a value >= 0"),
        (
            (kinds == "population") & finite & (value >= 0) & (value != np.round(value)),
            "a population that is not a whole number",
            "a whole number of people",
        ),
        ((kinds == "population") & (value == 0), "a population of 0", "a population above 0 (a denominator)"),
        *(
            (
                (kinds == kind) & (value > top) & (value <= ABSURD),
                f"an implausible {kind}",
                f"a {kind} below {top:,}",
            )
            for kind, top in CEILINGS.items()
        ),
        (finite & (np.abs(value) > ABSURD), "an absurd value", f"a value below {ABSURD:,.0f}"),
        (long_number(panel, value), f"{LONG} (an NHS, phone or staff number?)", "fewer than 10 digits"),
    )
    said = np.zeros(len(value), bool)  # a cell is named once, by the first check it fails (att12 L1)
    for mask, message, expected in checks:
        mask, said = mask & ~said, said | mask
        if mask.any():
            at = mask.nonzero()[0]
            first = panel.iloc[at[0]]
            column = "value" if columns is None else str(columns.iloc[at[0]])
            where = f"{first['indicator']}, {shown(first['la_code'], quote=False)} {first['year']}"
            text = f"{first['value']:.12g}"  # an NHS number's digits are not echoed (A3 of q13in)
            value_text = shown(text, quote=False) if looks_like_id(text) else f"{first['value']:g}"
            found = f"{value_text} ({where})"
            problems.append(_problem(label, rows, at, column, message, expected, found))
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
    from rsw_eval.io._personal_names import personal_names
    from rsw_eval.io._read import read_table

    frame, info = read_table(source)
    check = Checker(frame, info)
    check.require(["la_code", "year", "indicator", "value"])
    check.raise_if_problems()
    year = check.numeric_column(
        "year", low=FIRST_YEAR, high=LAST_YEAR, integer=True, expected=f"a year {FIRST_YEAR}-{LAST_YEAR}"
    )
    for col in ("la_code", "year", "indicator"):
        check.no_missing(col)
    check.raise_if_problems()
    names = check.string_column("indicator").fillna("")
    check.problems += personal_names(
        names, info.label, info.row_numbers(frame.index), "indicator", "an indicator name"
    )
    check.raise_if_problems()  # an indicator is published as the name of its rows (findings-q14 M6)
    values, flags, problem = parse_column(frame, "value", info.label, info)
    if problem is not None:
        raise DataError(problem)
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
            ROW: info.row_numbers(frame.index),
            COLUMN: "value",
        }
    )
    return finish_panel(out, info.label)
