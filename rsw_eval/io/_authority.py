"""Authority codes in a file: what is one, and whether a code names the authority its row says.

Every panel's ``la_code`` is a GSS code (``E09000012``) or a DfE LA number (``204``, given its GSS
code from the bundled lookup): anything else (a name, a person's name, a code with an invisible
character in it) would be a new "authority" holding part of a real one's figures, so it is
refused by name (:func:`not_a_code`). A local-authority row's GSS code must be an authority in the
lookup, and agree with the row's DfE number where the file gives both (:func:`disagreements`).
"""

from __future__ import annotations

import re
import unicodedata

import numpy as np
import pandas as pd

from rsw_eval._errors import Problem
from rsw_eval.io._identifiers import shown, shown_found

__all__ = ["AREA_PREFIXES", "authority_problems", "describe_code", "disagreements", "is_area", "not_a_code"]

#: GSS prefixes of areas that are not local authorities: England (E92), regions (E12), inner and
#: outer London (E13). Their rows (national figures) are context, never treated or comparators.
AREA_PREFIXES = ("E92", "E12", "E13")


def is_area(codes: pd.Series) -> np.ndarray:
    """Per code, whether it is an area's (England, a region) rather than an authority's.

    Examples
    --------
    >>> is_area(pd.Series(["E09000012", "E92000001", "E12000007"])).tolist()
    [False, True, True]
    """
    return codes.astype(str).str.startswith(AREA_PREFIXES).to_numpy(dtype=bool)


#: A GSS (ONS) area code: a country letter and eight digits (E09000012).
GSS = re.compile(r"[EWSNK]\d{8}")
#: Authorities that publish jointly, as the workforce census writes them ("E06000061 / E06000062").
JOINT = re.compile(rf"{GSS.pattern}( / {GSS.pattern})+")
#: An old DfE LA number (204); leading zeros as a spreadsheet may store them (0204) are the same.
DFE_NUMBER = re.compile(r"\d{1,4}")


#: Codes DfE tables use that the bundled lookup does not list (it maps each DfE number to one code):
#: Barnsley and Sheffield took new codes in 2024 after a boundary change (csww_indicators_2017_to_2025
#: gives 370 E08000038 Barnsley, 373 E08000039 Sheffield for 2025).
LATER_CODES = {"E08000038": ("370", "Barnsley"), "E08000039": ("373", "Sheffield")}


def _invisible(char: str) -> bool:
    """A control, format (zero-width space, BOM) or non-ASCII space character."""
    return unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp") or (char.isspace() and char != " ")


def describe_code(value: object) -> str:
    """What a cell that is no authority code holds, for a message: a code with an invisible
    character shows the code and names the character; text without digits (an authority's or a
    person's name) is never echoed; anything else as :func:`~rsw_eval.io._identifiers.shown`.

    Examples
    --------
    >>> describe_code("E09000012\\u200b")
    "'E09000012' with an invisible character (U+200B) in it"
    >>> describe_code("John Smith"), describe_code("E0900001")
    ('text that is no authority code', "'E0900001'")
    """
    text = str(value)
    hidden = [c for c in text if _invisible(c)]
    if hidden:
        visible = "".join(c for c in text if not _invisible(c)).strip()
        what = shown(visible) if GSS.fullmatch(visible) or DFE_NUMBER.fullmatch(visible) else "a value"
        return f"{what} with an invisible character (U+{ord(hidden[0]):04X}) in it"
    if not any(c.isdigit() for c in text):
        return "text that is no authority code"
    return shown(text)


def not_a_code(codes: pd.Series) -> np.ndarray:
    """Cells (stripped) that are neither a GSS code (or joint authorities' codes, ``E06000061 /
    E06000062``) nor a DfE LA number; empty cells are not included (a missing code is its own
    problem).

    Examples
    --------
    >>> not_a_code(pd.Series(["E09000012", "204", "", "Hackney", "E09000012\\x00", "e09000012"]))
    array([False, False, False,  True,  True,  True])
    """
    text = codes.fillna("").astype(str)
    ok = (
        text.str.fullmatch(GSS.pattern)
        | text.str.fullmatch(JOINT.pattern)
        | text.str.fullmatch(DFE_NUMBER.pattern)
        | (text == "")
    )
    return ~ok.fillna(False).to_numpy(dtype=bool)


def _lookup_sets() -> tuple[set[str], set[tuple[str, str]], dict[str, str]]:
    """GSS codes of authorities, (DfE number, GSS code) pairs that agree, and each code's name."""
    from rsw_eval.io._lacodes import la_codes

    table = la_codes()
    table = table[table["la_code"] != ""]
    pairs = set(zip(table["old_la_code"], table["la_code"], strict=True))
    recoded = table[table["status"] == "recoded"]
    pairs |= set(zip(recoded["old_la_code"], recoded["successor_codes"], strict=True))
    names = dict(zip(table["la_code"], table["la_name"], strict=True))
    for code, (number, name) in LATER_CODES.items():
        pairs.add((number, code))
        names[code] = name
    known = set(names) | {c for s in table["successor_codes"] for c in s.split(";") if c}
    return known, pairs, names


def disagreements(codes: pd.Series, old: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Local-authority rows whose GSS code is no authority in the bundled lookup (``unknown``), and
    rows whose GSS code and DfE number name different authorities (``mismatch``). Joint
    authorities (``E06000061 / E06000062`` with ``940 / 941``) are compared code by code; cells
    that are not GSS codes (refused by :func:`not_a_code`) and empty numbers are not compared.

    A historical code is an authority (Northamptonshire E10000021, Bournemouth E06000028, Cumbria
    E10000006 before their reorganisations); a recoded county's old or new code agrees with its
    number (North Yorkshire 815: E10000023 or E06000065).

    Examples
    --------
    >>> codes = pd.Series(["E09000012", "W06000015", "E09000007", "E10000021", "E0900\\x00"])
    >>> unknown, mismatch = disagreements(codes, pd.Series(["204", "204", "204", "928", "204"]))
    >>> unknown.tolist(), mismatch.tolist()
    ([False, True, False, False, False], [False, False, True, False, False])
    """
    known, pairs, _ = _lookup_sets()
    unknown = np.zeros(len(codes), dtype=bool)
    mismatch = np.zeros(len(codes), dtype=bool)
    texts = zip(codes.fillna("").astype(str), old.fillna("").astype(str), strict=True)
    for i, (code, number) in enumerate(texts):
        if not (GSS.fullmatch(code) or JOINT.fullmatch(code)):
            continue
        parts = code.split(" / ")
        unknown[i] = any(c not in known for c in parts)
        numbers = [n.strip().lstrip("0").zfill(3) for n in number.split("/")] if number.strip() else []
        if numbers and not unknown[i]:
            mismatch[i] = len(numbers) != len(parts) or any(
                (n, c) not in pairs for n, c in zip(numbers, parts, strict=True)
            )
    return unknown, mismatch


def authority_problems(label: str, codes: pd.Series, old: pd.Series, rows, column: str) -> list[Problem]:
    """The problems of :func:`disagreements`, one per kind, naming the rows (``rows``: the file
    rows of ``codes``) and what the lookup calls each code (findings q11in Q2, Q25).

    Examples
    --------
    >>> codes, old = pd.Series(["E09000007"]), pd.Series(["204"])
    >>> print(authority_problems("a.csv", codes, old, [2], "new_la_code")[0])  # doctest: +ELLIPSIS
    a.csv, row 2, column 'new_la_code': the GSS code and the DfE LA number name different ...
    """
    unknown, mismatch = disagreements(codes, old)
    _, _, names = _lookup_sets()
    rows = list(rows)
    problems = []
    if unknown.any():
        at = unknown.nonzero()[0]
        problems.append(
            Problem(
                label,
                "a GSS code that is no English local authority in the bundled lookup (rsw_eval.io.la_codes)",
                column=column,
                **_where(rows, at),
                expected="the GSS code of an English local authority, such as E09000012",
                found=", ".join(shown(c) for c in dict.fromkeys(codes.iloc[at]))[:200],
            )
        )
    if mismatch.any():
        at = mismatch.nonzero()[0]
        first = at[0]
        number = str(old.iloc[first]).strip().lstrip("0").zfill(3)
        by_number = {n: name for (n, c), name in ((p, names.get(p[1], "")) for p in _lookup_sets()[1])}
        problems.append(
            Problem(
                label,
                "the GSS code and the DfE LA number name different authorities",
                column=column,
                **_where(rows, at),
                expected="the code of the authority the row's old_la_code names",
                found=f"{codes.iloc[first]} ({names.get(codes.iloc[first], '?')}) with number "
                f"{number if number.isdigit() else shown_found(number)} "
                f"({by_number.get(number, 'not in the lookup')})",
            )
        )
    return problems


def _where(rows: list, at) -> dict:
    """A problem's rows (the first five, each once) and how many rows it has, for positions ``at``
    (a code given as an option, not read from a file row, has row None)."""
    lines = dict.fromkeys(rows[i] for i in at if rows[i] is not None)
    return {"rows": tuple(lines)[:5], "n_rows": len(lines)}
