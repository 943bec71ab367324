"""The rows of an EES file that one filter column's chosen value (or values) selects.

A filter selects rows by exact value, so a row whose value differs from the chosen one only in
case, spacing or an invisible character ("on 31 march", "on 31  March", a NUL byte a damaged file
left) would be dropped in silence, as if it were another category (findings-q18att F3): such a
row is refused by name instead, with the rows that hold it.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

import numpy as np
import pandas as pd

from rsw_eval._errors import DataError, Problem
from rsw_eval.io._identifiers import category_values, shown

__all__ = ["filter_rows", "folded"]


#: Cyrillic and Greek letters drawn as Latin ones (a pasted "а" in "Mаrch" looks the same).
_LOOKALIKES = str.maketrans("асеіјорхуѕАВСЕНІЈКМОРТХΑΒΕΗΙΚΜΝΟΡΤΧΥΖ", "aceijopxysABCEHIJKMOPTXABEHIKMNOPTXYZ")


def _unmarked(text: str) -> str:
    """``text`` without combining marks (accents taken off their letters)."""
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def folded(text: pd.Series) -> pd.Series:
    """``text`` as a reader of the value sees it: compatibility forms folded (NFKC: a fullwidth
    letter), invisible characters (controls, soft hyphens, zero-width spaces and joiners, a BOM)
    deleted, Cyrillic and Greek look-alikes read as the Latin letters, any run of spaces (a tab, a
    no-break space) one space, without accents or other combining marks (a stray U+0301 on "LA 1",
    findings-q20att F5; "Ynys Môn" is "Ynys Mon"), case or a full stop at the end (findings-q19att
    N12)."""
    plain = text.map(lambda v: _unmarked(unicodedata.normalize("NFKC", str(v)).translate(_LOOKALIKES)))
    plain = plain.str.replace(r"\s+", " ", regex=True)
    plain = plain.str.replace(r"[\x00-\x1f\x7f-\x9f\u00ad\u200b-\u200f\u2060-\u2064\ufeff]", "", regex=True)
    return plain.str.strip().str.rstrip(".").str.strip().str.casefold()


def filter_rows(frame: pd.DataFrame, col: str, wanted: str | Sequence[str], label: str, info) -> np.ndarray:
    """The rows of ``frame`` whose ``col`` is ``wanted`` (one value or several), as a mask.

    Raises :class:`~rsw_eval.DataError` for a row with no value in ``col`` (a short or cut row,
    findings-q11in Q4), for a row whose value is a chosen one but for case, spacing or an invisible
    character, and when no row matches. ``info`` (the file's
    :class:`~rsw_eval.io._read.Source`) numbers the rows as Excel shows them.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> info = SimpleNamespace(row_numbers=lambda index: [int(i) + 2 for i in index])
    >>> f = pd.DataFrame({"population_type": ["On 31 March", "Starting", "On 31 March"]})
    >>> filter_rows(f, "population_type", "On 31 March", "cla.csv", info).tolist()
    [True, False, True]
    >>> f.loc[2, "population_type"] = "on 31  march"
    >>> try:
    ...     filter_rows(f, "population_type", "On 31 March", "cla.csv", info)
    ... except DataError as error:
    ...     print(str(error)[:98])
    cla.csv, row 4, column 'population_type': a value of the filter column that is the chosen one but
    """
    wanted_list = [wanted] if isinstance(wanted, str) else list(wanted)
    present = frame[col].astype(str).str.strip()
    empty = (present == "").to_numpy()
    if empty.any():
        raise DataError(
            Problem(
                label,
                "a row with no value in a filter column: a short or cut row (its last cells lost)?",
                column=col,
                rows=tuple(info.row_numbers(frame.index[empty][:5])),
                n_rows=int(empty.sum()),
                expected=f"a value of {col} in every row, as in the others",
                found="an empty cell",
            )
        )
    match = present.isin(wanted_list).to_numpy()
    typo = ~match & folded(present).isin(set(folded(pd.Series(wanted_list, dtype=str)))).to_numpy()
    if typo.any():
        raise DataError(
            Problem(
                label,
                "a value of the filter column that is the chosen one but for case, spacing or an "
                "invisible character: the row would be dropped as another category",
                column=col,
                rows=tuple(info.row_numbers(frame.index[typo][:5])),
                n_rows=int(typo.sum()),
                expected=category_values(frame[match], col) + " as the other rows write it",
                found="; ".join(shown(v) for v in present[typo].unique()[:3]),
                hint="correct the cell to the value the other rows hold",
            )
        )
    if not match.any():
        raise DataError(
            Problem(
                label,
                f"filter {col} = {wanted!r} matches no rows",
                column=col,
                expected="one of " + category_values(frame, col),  # DfE's categories shown (q18att F10)
            )
        )
    return match
