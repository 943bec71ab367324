"""Read SSDA903 tables column by column into small integer codes (used by :mod:`._ssda903`).

A national extract has millions of episode rows but only a few thousand distinct dates and a few
dozen distinct codes, so every column is dictionary-encoded once (pyarrow for a CSV path, pandas'
factorize otherwise) and each *distinct* value is parsed or checked once; rows then carry integer
codes. Identifiers (CHILD) become integers here and never leave the loader as text.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from rsw_eval._errors import DataError, Problem, found_columns
from rsw_eval.io._personal_names import check_header
from rsw_eval.io._read import header_columns, read_table

#: Day numbers (days since 1970-01-01) for "no date": an open episode's DEC.
OPEN = np.iinfo(np.int32).max
#: Plausible dates of a looked-after episode; outside them a date is an error (e.g. 1066, 2300).
FIRST_DATE, LAST_DATE = dt.date(1900, 1, 1), dt.date(2100, 12, 31)
_EPOCH = dt.date(1970, 1, 1).toordinal()
_UK = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?")
DATE_SHAPED = re.compile(r"[\d/.\- :T]{6,19}")
CODE_SHAPED = re.compile(r"[A-Za-z0-9]{1,3}")
_EMPTY_TEXT = frozenset({"", "nan", "nat", "none"})
#: Status of a date cell.
DATE_OK, DATE_EMPTY, DATE_BAD, DATE_RANGE = 0, 1, 2, 3


@dataclass
class Part:
    """One file's columns as integer codes: ``codes[col]`` per row (-1 for a null cell) into
    ``uniques[col]`` (the distinct raw values)."""

    label: str
    n: int
    codes: dict[str, np.ndarray] = field(default_factory=dict)
    uniques: dict[str, np.ndarray] = field(default_factory=dict)
    #: columns whose uniques are already distinct stripped text (no blank cell coded -1)
    clean: set[str] = field(default_factory=set)
    #: each row's row in the file (header = 1); None when row i is row i + 2 (a DataFrame's
    #: position + 2, as this loader has always reported it)
    rows: np.ndarray | None = None

    def row_numbers(self, mask: np.ndarray) -> list:
        """The rows to report where ``mask`` holds."""
        at = np.flatnonzero(mask)
        return [int(r) + 2 for r in at] if self.rows is None else list(self.rows[at])

    def raw(self, column: str, mask: np.ndarray, limit: int = 5) -> list[object]:
        """The raw values of the first ``limit`` rows where ``mask`` holds."""
        rows = np.flatnonzero(mask)[:limit]
        return [_blank_to_none(self.uniques[column], c) for c in self.codes[column][rows]]


def _blank_to_none(uniques: np.ndarray, code: int) -> object:
    return None if code < 0 else uniques[code]


def _missing(columns: list[str], required: tuple[str, ...], label: str) -> None:
    missing = [c for c in required if c not in columns]
    if missing:
        raise DataError(
            Problem(
                label,
                "missing SSDA903 columns",
                column=", ".join(missing),
                expected=", ".join(required),
                found=found_columns(columns),
            )
        )


def _fast_csv(path: Path, columns: tuple[str, ...], required: tuple[str, ...]) -> Part | None:
    """Read only ``columns`` of a CSV with pyarrow; None when pyarrow is absent or the file needs
    the general reader (another encoding, ragged rows, an empty file: it gives the exact error)."""
    try:
        import pyarrow as pa
        import pyarrow.compute as pc
        from pyarrow import csv
    except ImportError:
        return None
    label = str(path)
    names = header_columns(path)
    if not names:
        return None
    check_header(names, label, None)  # as read_table checks it (the row: the first not blank)
    _missing(names, required, label)
    wanted = [c for c in columns if c in names]
    if len(set(names)) != len(names):
        return None
    try:
        table = csv.read_csv(
            path,
            read_options=csv.ReadOptions(column_names=names, skip_rows=1, block_size=1 << 24),
            parse_options=csv.ParseOptions(ignore_empty_lines=False),  # row i stays file row i + 2
            convert_options=csv.ConvertOptions(
                include_columns=wanted,
                column_types={c: pa.string() for c in wanted},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, UnicodeDecodeError):
        return None
    if table.num_rows == 0:
        return None
    blank = None
    for col in wanted:
        empty = pc.equal(pc.utf8_trim_whitespace(table.column(col)), "")
        blank = empty if blank is None else pc.and_(blank, empty)
    if blank is not None and pc.any(blank).as_py():  # blank rows: the general reader skips them
        return None
    part = Part(label, table.num_rows)
    for col in wanted:
        arr = table.column(col)
        if col == "CHILD":
            arr = pc.utf8_trim_whitespace(arr)
            part.clean.add(col)
        encoded = arr.combine_chunks().dictionary_encode()
        part.codes[col] = encoded.indices.to_numpy(zero_copy_only=False)
        part.uniques[col] = encoded.dictionary.to_numpy(zero_copy_only=False)
        table = table.drop_columns([col])  # free each column once it is encoded
    return part


def read_part(
    source: str | os.PathLike | pd.DataFrame, columns: tuple[str, ...], required: tuple[str, ...]
) -> Part:
    """``columns`` (those present; ``required`` must be) of one source, dictionary-encoded."""
    path = None if isinstance(source, pd.DataFrame) else Path(source)
    if path is not None and path.suffix.lower() == ".csv" and path.is_file():
        part = _fast_csv(path, columns, required)
        if part is not None:
            return part
    frame, info = read_table(source)
    _missing([str(c) for c in frame.columns], required, info.label)
    rows = None if info.kind == "dataframe" else np.asarray(info.row_numbers(frame.index))
    part = Part(info.label, len(frame), rows=rows)
    for col in columns:
        if col in frame.columns:
            values = frame[col]
            if isinstance(values, pd.DataFrame):  # a duplicated column name
                raise DataError(Problem(info.label, "the column appears more than once", column=col))
            codes, uniques = pd.factorize(values, use_na_sentinel=True)
            part.codes[col] = codes
            part.uniques[col] = np.asarray(uniques, dtype=object)
    return part


def text(value: object) -> str:
    """A cell as stripped text; empty for a blank (None, NaN, NaT) cell."""
    if value is None or (isinstance(value, float) and value != value) or value is pd.NaT:
        return ""
    return str(value).strip()


def child_ids(part: Part) -> tuple[np.ndarray, np.ndarray]:
    """Per-row index into the part's distinct stripped CHILD texts (a blank CHILD is ``""``)."""
    if "CHILD" in part.clean:
        return part.codes["CHILD"], part.uniques["CHILD"]
    uniques = np.array([text(u) for u in part.uniques["CHILD"]] + [""], dtype=object)
    codes = part.codes["CHILD"]
    codes = np.where(codes < 0, len(uniques) - 1, codes)
    ids, distinct = pd.factorize(uniques)
    return ids[codes], np.asarray(distinct, dtype=object)


def _parse_date(value: object) -> tuple[int, int]:
    """(status, day number) of one distinct date cell."""
    if isinstance(value, pd.Timestamp | dt.datetime | dt.date | np.datetime64):
        if value is pd.NaT or (isinstance(value, np.datetime64) and np.isnat(value)):
            return DATE_EMPTY, OPEN
        day = pd.Timestamp(value).date() if isinstance(value, np.datetime64) else value
        day = day.date() if isinstance(day, dt.datetime) else day
    else:
        cell = text(value)
        if cell.lower() in _EMPTY_TEXT:
            return DATE_EMPTY, OPEN
        m = _UK.fullmatch(cell)
        d, mo, y = (m.group(1), m.group(2), m.group(3)) if m else (None, None, None)
        if m is None and (m := _ISO.fullmatch(cell)):
            y, mo, d = m.group(1), m.group(2), m.group(3)
        try:
            day = dt.date(int(y), int(mo), int(d))
        except (TypeError, ValueError):
            return DATE_BAD, OPEN
    if not FIRST_DATE <= day <= LAST_DATE:
        return DATE_RANGE, OPEN
    return DATE_OK, day.toordinal() - _EPOCH


def _padded_uk(uniques: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(mask, day numbers) of the values written exactly ``dd/mm/yyyy`` (zero-padded, a real
    calendar date), in bulk; the rest are left to :func:`_parse_date`."""
    text = np.asarray(uniques, dtype=str)
    n = len(text)
    if n == 0 or text.dtype.itemsize < 40:  # no value is 10 characters long
        return np.zeros(n, dtype=bool), np.zeros(n, dtype=np.int64)
    digits = text.astype("<U10").view(np.uint32).reshape(n, 10).astype(np.int64) - ord("0")
    slash = ord("/") - ord("0")
    numeric = np.delete(digits, [2, 5], axis=1)
    ok = (np.char.str_len(text) == 10) & (digits[:, 2] == slash) & (digits[:, 5] == slash)
    ok &= ((numeric >= 0) & (numeric <= 9)).all(axis=1)
    d, m = digits[:, 0] * 10 + digits[:, 1], digits[:, 3] * 10 + digits[:, 4]
    y = digits[:, 6] * 1000 + digits[:, 7] * 100 + digits[:, 8] * 10 + digits[:, 9]
    ok &= (m >= 1) & (m <= 12) & (d >= 1) & (d <= 31)
    month = np.where(ok, (y - 1970) * 12 + m - 1, 0).astype("datetime64[M]")
    day = month.astype("datetime64[D]") + np.where(ok, d - 1, 0)
    ok &= day.astype("datetime64[M]") == month  # 31/02 does not roll over into March
    return ok, day.astype(np.int64)


def dates(part: Part, column: str) -> tuple[np.ndarray, np.ndarray]:
    """Per-row (status, day number) of a date column, each distinct value parsed once (the usual
    zero-padded ``dd/mm/yyyy`` in bulk, anything else one by one)."""
    uniques = part.uniques[column]
    fast, fast_days = _padded_uk(uniques)
    status = np.full(len(uniques) + 1, DATE_EMPTY, dtype=np.int8)
    days = np.full(len(uniques) + 1, OPEN, dtype=np.int32)
    first, last = FIRST_DATE.toordinal() - _EPOCH, LAST_DATE.toordinal() - _EPOCH
    inside = fast & (fast_days >= first) & (fast_days <= last)
    status[:-1][fast] = np.where(inside[fast], DATE_OK, DATE_RANGE)
    days[:-1][inside] = fast_days[inside]
    for i in np.flatnonzero(~fast):
        status[i], days[i] = _parse_date(uniques[i])
    codes = part.codes[column]
    codes = np.where(codes < 0, len(uniques), codes)
    return status[codes], days[codes]


def code_index(part: Part, column: str, codes: tuple[str, ...]) -> np.ndarray:
    """Per-row position of a code column's value in ``codes``: -1 blank, -2 not a valid code."""
    where = {c: i for i, c in enumerate(codes)}
    per_unique = [
        where.get(t.upper(), -1 if t.lower() in _EMPTY_TEXT else -2) for t in map(text, part.uniques[column])
    ]
    lookup = np.array([*per_unique, -1], dtype=np.int8)
    rows = part.codes[column]
    return lookup[np.where(rows < 0, len(lookup) - 1, rows)]


def shown(values: list[object], shape: re.Pattern) -> str:
    """``repr`` of the values that look like ``shape`` (a date or a code); the others are counted,
    never echoed (a postcode or an identifier typed into the wrong column stays private)."""
    cells = [text(v) if not isinstance(v, dt.date | np.datetime64) else str(v) for v in values]
    safe = [repr(c) for c in cells if shape.fullmatch(c)]
    hidden = len(cells) - len(safe)
    if hidden:
        what = "a date" if shape is DATE_SHAPED else "a code"
        safe.append(f"{hidden} value{'s' if hidden > 1 else ''} not shown (not {what}; may be an identifier)")
    return ", ".join(safe)
