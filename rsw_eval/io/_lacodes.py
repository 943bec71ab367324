"""The bundled local-authority code lookup (DfE 3-digit numbers to ONS GSS codes)."""

from __future__ import annotations

import warnings
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

from rsw_eval._errors import DataError, Problem, RswEvalWarning
from rsw_eval.io._identifiers import shown


class UnmappedCodeWarning(RswEvalWarning):
    """Rows of authorities abolished before GSS codes were dropped (``on_unmapped="drop"``)."""


LOOKUP_PATH = Path(__file__).resolve().parents[1] / "data" / "la_codes.csv"


@cache
def _lookup() -> pd.DataFrame:
    frame = pd.read_csv(LOOKUP_PATH, comment="#", dtype=str, keep_default_na=False)
    return frame


def la_codes() -> pd.DataFrame:
    """The bundled lookup of local-authority codes, one row per DfE number and GSS code.

    Columns ``old_la_code`` (3 digits), ``la_code`` (GSS, e.g. E09000012), ``la_name``, ``status``
    (``current``, ``recoded`` or ``abolished``), ``successor_codes`` (``;``-separated GSS codes),
    ``changed`` (date) and ``note``. The file's header cites its sources.

    Examples
    --------
    >>> t = la_codes()
    >>> t.loc[t["old_la_code"] == "204", ["la_code", "la_name"]].iloc[0].tolist()
    ['E09000012', 'Hackney']
    """
    return _lookup().copy()


def code_map() -> dict[str, dict[str, str]]:
    """``old_la_code`` -> its lookup row: the current authority where one has that number (recoded
    county councils included), else the abolished authority's own row."""
    order = {"current": 0, "recoded": 1, "abolished": 2}
    out: dict[str, dict[str, str]] = {}
    for row in sorted(_lookup().to_dict("records"), key=lambda r: order[r["status"]]):
        out.setdefault(row["old_la_code"], row)
    return out


def current_code(la_code: str) -> str:
    """The GSS code now used for the same area: a recoded county's successor, else ``la_code``.

    Examples
    --------
    >>> current_code("E10000023"), current_code("E09000012")
    ('E06000065', 'E09000012')
    """
    return _recoded().get(la_code, la_code)


@cache
def _recoded() -> dict[str, str]:
    table = _lookup()
    rows = table[table["status"] == "recoded"]
    return dict(zip(rows["la_code"], rows["successor_codes"], strict=True))


def map_old_codes(
    codes: pd.Series, *, label: str, column: str, rows: pd.Series, on_unmapped: str = "error"
) -> tuple[pd.Series, np.ndarray]:
    """GSS codes for DfE numbers, and a mask of rows to keep.

    ``codes`` are zero-padded 3-digit numbers; ``rows`` the file row numbers for messages. An
    unknown number is always an error; an authority abolished before GSS codes existed (Bedfordshire,
    Cheshire) is an error unless ``on_unmapped="drop"``, which drops its rows with an
    :class:`UnmappedCodeWarning` naming them.
    """
    if on_unmapped not in ("error", "drop"):
        raise ValueError(f"on_unmapped must be 'error' or 'drop'. Got {on_unmapped!r} instead.")
    lookup = code_map()
    unknown = ~codes.isin(list(lookup)).to_numpy()
    if unknown.any():
        raise DataError(
            Problem(
                label,
                "unknown local-authority number",
                column=column,
                rows=tuple(int(r) for r in rows[unknown][:5]),
                n_rows=int(unknown.sum()),
                expected="a DfE LA number in the bundled lookup (rsw_eval.io.la_codes)",
                found=", ".join(shown(c, quote=False) for c in sorted(set(codes[unknown]))[:5]),
            )
        )
    gss = codes.map(lambda c: lookup[c]["la_code"])
    no_code = (gss == "").to_numpy()
    if no_code.any():
        names = "; ".join(
            f"{c} {lookup[c]['la_name']} ({lookup[c]['note']})" for c in sorted(set(codes[no_code]))
        )
        if on_unmapped == "error":
            raise DataError(
                Problem(
                    label,
                    "authority abolished before GSS codes: its figures cannot "
                    "be given to one current authority",
                    column=column,
                    rows=tuple(int(r) for r in rows[no_code][:5]),
                    n_rows=int(no_code.sum()),
                    found=names,
                    hint='pass --on-unmapped drop to leave them out (on_unmapped = "drop" in the spec)',
                )
            )
        warnings.warn(
            f"{label}: dropped {int(no_code.sum())} rows of authorities abolished before GSS codes: {names}",
            UnmappedCodeWarning,
            stacklevel=3,
        )
    return gss, ~no_code


def gss_code(code: str) -> str:
    """The current GSS code for a DfE 3-digit LA number; any other code is returned unchanged.

    Examples
    --------
    >>> gss_code("204"), gss_code("E09000012"), gss_code("Unit-model LA")
    ('E09000012', 'E09000012', 'Unit-model LA')
    """
    text = str(code).strip()
    row = code_map().get(text) if len(text) == 3 and text.isdigit() else None
    return current_code(row["la_code"]) if row and row["la_code"] else code
