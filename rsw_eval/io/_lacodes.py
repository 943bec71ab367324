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

    A GSS code in lower case and a number with leading zeros (as a spreadsheet may store it) are
    the same authority:

    >>> gss_code("e09000028"), gss_code("0210")
    ('E09000028', 'E09000028')
    """
    text = str(code).strip()
    if text.isdigit() and len(text) > 3:
        text = text.lstrip("0").zfill(3)
    if len(text) == 9 and text[0] in "ewsnEWSN" and text[1:].isdigit():
        return text.upper()
    row = code_map().get(text) if len(text) == 3 and text.isdigit() else None
    return current_code(row["la_code"]) if row and row["la_code"] else code


def reorganisation(la_code: str) -> dict[str, str] | None:
    """What happened to an authority's area since GSS codes began, from the bundled lookup, or None.

    ``change`` is ``abolished`` (merged or split: its figures end), ``created`` (from
    predecessors: no figures of its own before), or ``recoded`` (same area, new code: one series);
    ``date`` the day it took effect; ``related`` the successors or predecessors (DfE number and
    name); ``text`` one sentence for reports and provenance.

    Examples
    --------
    >>> reorganisation("E06000063")["text"]
    'Cumberland (942) was created on 2023-04-01 from Cumbria (909); figures before then are not its own'
    >>> reorganisation("E09000012") is None
    True
    """
    table = _lookup()
    rows = table[table["la_code"] == la_code]
    if rows.empty:
        return None
    row = rows.sort_values("status", key=lambda s: s.map({"recoded": 0, "abolished": 1, "current": 2})).iloc[
        0
    ]

    def named(code: str) -> str:
        hit = table[(table["la_code"] == code) & (table["status"] == "current")]
        hit = hit if len(hit) else table[table["la_code"] == code]
        return f"{hit['la_name'].iloc[0]} ({hit['old_la_code'].iloc[0]})" if len(hit) else code

    own = f"{row['la_name']} ({row['old_la_code']})"
    if row["status"] in ("abolished", "recoded"):
        successors = [c for c in row["successor_codes"].split(";") if c]
        related = " and ".join(named(c) for c in successors)
        if row["status"] == "recoded":
            text = (
                f"{own} was recoded {la_code} -> {successors[0]} on {row['changed']} (same area: one series)"
            )
        else:
            text = f"{own} was abolished on {row['changed']}; its area is now {related} ({row['note']})"
        return {
            "la_code": la_code,
            "change": row["status"],
            "date": row["changed"],
            "related": related,
            "text": text,
        }
    parents = table[table["successor_codes"].str.split(";").map(lambda s: la_code in s)]
    recoded = parents[parents["status"] == "recoded"]
    if len(recoded):
        old = recoded.iloc[0]
        text = (
            f"{own} took the code {la_code} on {old['changed']} (formerly {old['la_code']}; same area: "
            "one series)"
        )
        return {
            "la_code": la_code,
            "change": "recoded",
            "date": old["changed"],
            "related": old["la_code"],
            "text": text,
        }
    parents = parents[parents["status"] == "abolished"]
    if parents.empty:
        return None
    date = str(parents["changed"].iloc[0])
    related = " and ".join(f"{r.la_name} ({r.old_la_code})" for r in parents.itertuples())
    text = f"{own} was created on {date} from {related}; figures before then are not its own"
    return {"la_code": la_code, "change": "created", "date": date, "related": related, "text": text}
