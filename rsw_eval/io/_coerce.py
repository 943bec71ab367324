"""Column coercion with row-level problem reporting, shared by every loader.

A :class:`Checker` wraps one raw table. Each ``*_column`` method returns a typed Series and records a
:class:`~rsw_eval.Problem` for every kind of bad value instead of raising, so that a user sees all of
a file's problems at once; :meth:`Checker.raise_if_problems` raises them together as one
:class:`~rsw_eval.DataError`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import numpy as np
import pandas as pd

from rsw_eval._errors import DataError, Problem, found_columns
from rsw_eval.io._formulas import percent_number
from rsw_eval.io._identifiers import is_identifier, shown_found
from rsw_eval.io._read import Source
from rsw_eval.io._value_kinds import underflows

#: Cell contents read as "missing" in every column.
MISSING_TOKENS = frozenset({"", "na", "n/a", "nan", "null", "none", "-"})
TRUE_TOKENS = frozenset({"yes", "y", "true", "t", "1", "1.0"})
FALSE_TOKENS = frozenset({"no", "n", "false", "f", "0", "0.0"})


def _describe(values: pd.Series, column: str | None = None) -> str:
    """The first bad values for a message; never an identifier, a postcode or what may be a person's
    name (a rejected value is in no column's vocabulary: see
    :func:`~rsw_eval.io._identifiers.shown_found`)."""
    if is_identifier(column):
        return f"{len(values)} value{'s' if len(values) != 1 else ''} (identifiers are not shown)"
    text = ", ".join(shown_found(v) for v in values.iloc[:5])
    return text + (f" (+{len(values) - 5} more)" if len(values) > 5 else "")


#: A number with thousands separators: 1,234 or 1,234,567.89 (anything else with a comma is not read).
_THOUSANDS = re.compile(r"^[-+]?\d{1,3}(,\d{3})+(\.\d*)?$")


class Checker:
    """Coerce the columns of one raw table, collecting problems."""

    def __init__(self, frame: pd.DataFrame, source: Source):
        self.frame = frame
        self.source = source
        self.problems: list[Problem] = []

    # -- structure -------------------------------------------------------------------------------
    def apply_mapping(self, mapping: Mapping[str, str] | None) -> None:
        """Rename the user's columns to canonical names; a mapped column that is absent is a problem."""
        if not mapping:
            return
        missing = [old for old in mapping if old not in self.frame.columns]
        for old in missing:
            self.problems.append(
                Problem(
                    self.source.label,
                    f"the mapping names column {old!r} (to become {mapping[old]!r}) "
                    "but the file has no such column",
                    expected=repr(old),
                    found=found_columns(self.frame.columns),
                )
            )
        self.frame = self.frame.rename(columns={o: n for o, n in mapping.items() if o not in missing})
        from rsw_eval.io._personal_names import personal_names

        new = [str(n) for o, n in mapping.items() if o not in missing]
        # a name given by --map is a header as the file's are (findings-q16att N8)
        self.problems += personal_names(
            pd.Series(new, dtype=object),
            self.source.label,
            [None] * len(new),
            None,
            "a column name given by --map",
        )

    def require(self, columns: list[str], *, hint: str | None = None) -> bool:
        """Record a problem for each required column that is absent; True when all are present."""
        absent = [c for c in columns if c not in self.frame.columns]
        if absent:
            self.problems.append(
                Problem(
                    self.source.label,
                    "missing required column" + ("s" if len(absent) > 1 else ""),
                    column=", ".join(absent),
                    expected="columns " + ", ".join(columns),
                    found=found_columns(self.frame.columns),
                    hint=hint or "rename the column in the file or pass --map 'YOUR NAME=canonical'",
                )
            )
        return not absent

    def raise_if_problems(self) -> None:
        if self.problems:
            raise DataError(self.problems)

    # -- helpers ---------------------------------------------------------------------------------
    def _raw(self, column: str) -> tuple[pd.Series, np.ndarray]:
        """The column as stripped strings (object dtype) and a mask of missing cells."""
        raw = self.frame[column]
        absent = raw.isna().to_numpy()
        text = raw.astype(str).str.strip().astype(object)
        text[absent] = ""
        missing = text.str.lower().isin(MISSING_TOKENS).to_numpy(dtype=bool) | absent
        return text, missing

    def _bad(
        self,
        column: str,
        mask: np.ndarray,
        text: pd.Series,
        message: str,
        expected: str,
        hint: str | None = None,
        found: str | None = None,
    ) -> None:
        rows = self.source.rows(self.frame, mask)
        self.problems.append(
            Problem(
                self.source.label,
                message,
                column=column,
                rows=tuple(rows[:5]),
                n_rows=len(rows),
                expected=expected,
                found=found or _describe(text[mask], column),
                hint=hint,
            )
        )

    # -- coercers --------------------------------------------------------------------------------
    def string_column(self, column: str) -> pd.Series:
        text, missing = self._raw(column)
        return pd.Series(np.where(missing, None, text), index=self.frame.index, dtype="string")

    def numeric_column(
        self,
        column: str,
        *,
        low: float | None = None,
        high: float | None = None,
        integer: bool = False,
        expected: str | None = None,
        hint: str | None = None,
        percent: bool = False,
    ) -> pd.Series:
        """Numbers (``float64``, or ``Int64`` when ``integer``); bad or out-of-range cells are problems.

        Thousands separators (``1,234``) are accepted; any other comma (``1,5``) is a problem, never
        read as thousands. ``inf`` and ``nan`` spelled out are not numbers. With ``percent`` (a
        column of percentages 0-100) ``58%`` is 58, as typed in a CSV or shown by Excel for a cell
        holding 0.58 in a percentage format; elsewhere it is not a number.
        """
        text, missing = self._raw(column)
        if percent:
            text = percent_number(text)
        comma = text.str.contains(",", regex=False).to_numpy(dtype=bool) & ~missing
        decimal_comma = comma & ~text.str.match(_THOUSANDS).to_numpy(dtype=bool)
        plain = text.str.replace(",", "", regex=False).where(~missing & ~decimal_comma, None)
        values = pd.to_numeric(plain, errors="coerce").astype(float).to_numpy()
        what = expected or _range_text(low, high, integer)
        if decimal_comma.any():
            self._bad(
                column,
                decimal_comma,
                text,
                "a comma that is not a thousands separator (a decimal comma?)",
                what + " with a decimal point",
                "write 1.5, not 1,5 (commas are read only as thousands separators: 1,234)",
            )
        bad_type = ~missing & ~decimal_comma & ~np.isfinite(values)  # text, or "inf"
        if bad_type.any():
            self._bad(column, bad_type, text, "not a number", what, hint)
        tiny = ~missing & underflows(plain, values)
        if tiny.any():
            self._bad(column, tiny, text, "a number too small to hold: it would read as 0", what, hint)
            bad_type |= tiny
        ok = np.isfinite(values)
        out_of_range = np.zeros(len(values), dtype=bool)
        if low is not None:
            out_of_range |= ok & (values < low)
        if high is not None:
            out_of_range |= ok & (values > high)
        if integer:  # beyond 2**53 a float is no exact whole number, and beyond 2**63 no int64
            out_of_range |= ok & ((values != np.round(values)) | (np.abs(values) > 2.0**53))
        if out_of_range.any():
            message = (
                "negative value" if (low == 0 and high is None and not integer) else "value out of range"
            )
            self._bad(column, out_of_range, text, message, what, hint)
        values = np.where(bad_type | out_of_range | decimal_comma, np.nan, values)
        series = pd.Series(values, index=self.frame.index, dtype=float)
        return series.astype("Int64") if integer else series

    def bool_column(self, column: str) -> pd.Series:
        """Nullable booleans from yes/no, true/false, y/n, t/f, 1/0 (any case)."""
        text, missing = self._raw(column)
        lower = text.str.lower()
        is_true = lower.isin(TRUE_TOKENS).to_numpy(dtype=bool)
        is_false = lower.isin(FALSE_TOKENS).to_numpy(dtype=bool)
        bad = ~missing & ~is_true & ~is_false
        if bad.any():
            self._bad(column, bad, text, "not a yes/no value", "yes/no, true/false, y/n, t/f or 1/0")
        values = pd.array(np.where(is_true, True, False), dtype="boolean")
        values[missing | bad] = pd.NA
        return pd.Series(values, index=self.frame.index)

    def label_column(self, column: str, synonyms: Mapping[str, str]) -> pd.Series:
        """Canonical labels from a case-insensitive synonym table; anything else is a problem."""
        text, missing = self._raw(column)
        mapped = text.str.lower().map(synonyms)
        bad = ~missing & mapped.isna().to_numpy()
        if bad.any():
            accepted = sorted(set(synonyms.values()))
            self._bad(
                column,
                bad,
                text,
                "unknown label",
                "one of "
                + ", ".join(accepted)
                + " (synonyms: "
                + ", ".join(sorted(k for k in synonyms if k not in accepted))
                + ")",
            )
        missing_mask = missing | bad
        return pd.Series(np.where(missing_mask, None, mapped), index=self.frame.index, dtype="string")

    def unique_column(self, series: pd.Series, column: str) -> None:
        """Record duplicated non-missing values of an identifier column."""
        dup = (series.duplicated(keep=False) & series.notna()).to_numpy(dtype=bool)
        if dup.any():
            text, _ = self._raw(column)
            self._bad(
                column,
                dup,
                text,
                "duplicate identifier",
                "each value once",
                hint="remove repeated rows or make the identifiers unique",
            )

    def repeated_rows(self, *, hint: str | None = None) -> None:
        """Record rows identical in every column to an earlier row: a survey pasted twice or a row
        repeated, which doubles n and shrinks every p-value without changing an estimate.

        Examples
        --------
        >>> import pandas as pd
        >>> from rsw_eval.io._read import read_table
        >>> check = Checker(*read_table(pd.DataFrame({"case_id": ["c1", "c2", "c1"], "x": [1, 2, 1]})))
        >>> check.repeated_rows()
        >>> print(check.problems[0].found)
        1 row repeats an earlier one: row 2 = row 0
        """
        text = self.frame.fillna("").astype(str).apply(lambda col: col.str.strip())
        later = text.duplicated(keep="first").to_numpy()
        if not later.any():
            return
        key = pd.util.hash_pandas_object(text, index=False)
        first = dict(zip(key.iloc[::-1], text.index[::-1], strict=True))
        rows = self.source.rows(self.frame, later)
        earlier = self.source.row_numbers([first[k] for k in key[later]])
        pairs = ", ".join(f"row {r} = row {e}" for r, e in list(zip(rows, earlier, strict=True))[:5])
        n = len(rows)
        self.problems.append(
            Problem(
                self.source.label,
                "rows identical in every column to an earlier row (a block pasted twice or a row repeated?)",
                rows=tuple(rows[:5]),
                n_rows=n,
                expected="each row once",
                found=f"{n} row{'s' if n != 1 else ''} repeat{'s' if n == 1 else ''} an earlier one: {pairs}"
                + (f" (+{n - 5} more)" if n > 5 else ""),
                hint=hint,
            )
        )

    def no_missing(self, column: str, *, hint: str | None = None) -> None:
        """Record empty cells (or a missing-value word such as ``NaN``, quoted) in a column that
        must always be filled."""
        text, missing = self._raw(column)
        if missing.any():
            cells = text[missing].astype(str)
            n = int((cells == "").sum())
            found = [] if n == 0 else ["an empty cell" if n == 1 else f"{n} empty cells"]
            found += [repr(w) for w in sorted(set(cells[cells != ""]))[:3]]
            self._bad(column, missing, text, "missing value", "a value in every row", hint, ", ".join(found))


def _range_text(low: float | None, high: float | None, integer: bool) -> str:
    kind = "an integer" if integer else "a number"
    if low is not None and high is not None:
        return f"{kind} {low:g}-{high:g}"
    if low is not None:
        return f"{kind} >= {low:g}"
    return kind
