"""Authority codes in a file: what is one, and whether a code names the authority its row says.

Every panel's ``la_code`` is a GSS code (``E09000012``) or a DfE LA number (``204``, given its GSS
code from the bundled lookup): anything else (a name, a person's name, a code with an invisible
character in it) would be a new "authority" holding part of a real one's figures, so it is
refused by name (:func:`not_a_code`).
"""

from __future__ import annotations

import re
import unicodedata

import numpy as np
import pandas as pd

from rsw_eval.io._identifiers import shown

__all__ = ["describe_code", "not_a_code"]

#: A GSS (ONS) area code: a country letter and eight digits (E09000012).
GSS = re.compile(r"[EWSNK]\d{8}")
#: Authorities that publish jointly, as the workforce census writes them ("E06000061 / E06000062").
JOINT = re.compile(rf"{GSS.pattern}( / {GSS.pattern})+")
#: An old DfE LA number (204); leading zeros as a spreadsheet may store them (0204) are the same.
DFE_NUMBER = re.compile(r"\d{1,4}")


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
