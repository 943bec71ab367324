"""What identifies a person: column names and value shapes that never reach a message or summary."""

from __future__ import annotations

import re

from rsw_eval._errors import POSTCODE

#: Columns whose values identify a person, a case or a place: summarised by counts only.
IDENTIFIER_COLUMNS = frozenset(
    {
        "respondent_id",
        "case_id",
        "child_id",
        "CHILD",
        "UPN",
        "MOTHER",
        "HOME_POST",
        "PL_POST",
        "URN",
        "postcode",
        "name",
    }
)
#: A full UK postcode (outward and inward code); districts alone (``E8``) look like SSDA903 codes.
_POSTCODE = re.compile(rf"^\s*(?:{POSTCODE.pattern})\s*$", re.I)


def is_identifier(column: str | None) -> bool:
    """Whether a column holds identifiers (by its name, any case).

    Examples
    --------
    >>> is_identifier("Postcode"), is_identifier("authority")
    (True, False)
    """
    return column is not None and str(column).strip().lower() in {c.lower() for c in IDENTIFIER_COLUMNS}


def shown(value: object) -> str:
    """``repr(value)``, or a placeholder when the value looks like a full postcode.

    Examples
    --------
    >>> shown("E8 1DY"), shown("abc")
    ('<a postcode, not shown>', "'abc'")
    """
    if isinstance(value, str) and _POSTCODE.match(value):
        return "<a postcode, not shown>"
    return repr(value)
