"""Whether a text holds an identifier (:func:`identifier_shaped`): an e-mail address, a run of nine
digits or more (an NHS number), a staff, pupil or NI number (``W1001``, ``AB123456C``, ``W 1001``),
a case number after its word, a postcode, a telephone number, a date of birth. The shapes are
shared with :mod:`rsw_eval._personal`, which masks them in messages and tells names from them.
"""

from __future__ import annotations

import re

__all__ = [
    "BIRTH_DATE",
    "CODE_ID",
    "CODE_WORD",
    "OLD_ONS_CODE",
    "EMAIL",
    "LOGIN",
    "PHONE_NINO",
    "POSTCODE",
    "SPACED_ID",
    "WORDED_ID",
    "date_shaped",
    "identifier_shaped",
]

#: An e-mail address inside a text. A match may only start at the start of a word or just after an
#: "@", so a search over a very long cell is linear (``\S+@\S+\.\S+`` backtracks quadratically).
EMAIL = re.compile(r"(?<![^\s@])[^\s@]+@[^\s@]+\.[^\s@]+")
#: A staff, pupil or NI number: letters then four digits or more (``W1001``, ``AB123456C``, or
#: after capitals and a hyphen, ``W-1001``: findings-q17att Q4), not a
#: GSS code, or a mistyped one (``E09000012``, ``E0900012``), nor letters before a year
#: (``FY2021``, ``Q2024``).
CODE_ID = re.compile(
    r"(?![EWSNKewsnk]\d{7,9}\b)(?![A-Za-z]{1,4}-?(?:19|20)\d\d\b)(?:[A-Za-z]{1,3}|[A-Z]{1,4}-)\d{4,}[A-Za-z]?"
)  # "LAC-12345" (findings-q19att N2)
#: A staff or pupil number as a word of its own: not part of a longer word, a file's name, nor an
#: escape repr() writes for a no-break space before digits ("5\\xa0000": att12 M2).
CODE_WORD = re.compile(rf"(?<![\w.\\]){CODE_ID.pattern}(?![\w])")
#: A case, child or staff number after its word ("Case 2345678", "CHILD 123456": findings-q19att
#: N2) and a full UK postcode ("SW1A 1AA"). A date of birth is no shape of its own: the real files'
#: cells hold dates of every kind.
WORDED_ID = re.compile(
    r"\b(?:case|child|client|person|pupil|staff|worker|upn|mosaic|ref|id|nhs|lac|cin)\b[^\S\r\n]?"
    r"(?:no\.?|number|ref)?[^\S\r\n]?[#:.-]?[^\S\r\n]?\d{5,}(?!\d)",
    re.I,
)
#: A login name or a handle in free text (q21 gap 3): an initial, a dot and a word in lower case
#: ("j.quenby", not a file's "x.csv" nor "e.g."), or an "@" before a word that starts no e-mail
#: address ("@jquenby").
LOGIN = re.compile(
    r"(?<![\w.@/\\-])[a-z]\.(?!(?:csv|xlsx?|ods|txt|json|toml|ya?ml|html?|pdf|docx?|md|py|zip|parquet)\b)"
    r"[a-z]{3,}(?![\w@-]|\.\w)"
    r"|(?<![\w@.])@[A-Za-z][\w.]{2,}(?<!\.)(?![\w@])"
)
#: A staff or pupil number with a space after its letters ("W 1001", "AB 123456"; q21 gap 4), not a
#: year ("Q 2024", "FY 2021") nor a count ("N 10000").
SPACED_ID = re.compile(
    r"(?<![\w.,-])(?!N[^\S\r\n])[A-Z]{1,3}[^\S\r\n](?!(?:19|20)\d\d(?!\d))\d{4,}(?!\w|[.,]\d)"
)  # not a count ("N 10000")
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DATE = (
    rf"(?:\d{{1,2}}[/.-]\d{{1,2}}[/.-]\d{{2,4}}|\d{{4}}-\d{{1,2}}-\d{{1,2}}"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?[^\S\r\n]+(?:of[^\S\r\n]+)?{_MONTH},?[^\S\r\n]+\d{{4}}"
    rf"|{_MONTH}[^\S\r\n]+\d{{1,2}}(?:st|nd|rd|th)?,?[^\S\r\n]+\d{{4}})(?!\d)"
)


def date_shaped(text: str) -> bool:
    """Whether ``text`` is, whole, a date with its day, month and year ("03/04/2012", "2012-04-03",
    "3 April 2012"): typed where no date belongs it may be a date of birth (att12 M1).

    Examples
    --------
    >>> [date_shaped(t) for t in ("03/04/2012", " 2012-04-03", "3rd April 2012", "2012-13", "03/2012", "5")]
    [True, True, True, False, False, False]
    """
    return bool(re.fullmatch(_DATE, text.strip(), re.I))


#: Part of a date, as a date of birth is often written: a month and year ("03/2011", "2011-04",
#: "April 2011") or a day and month ("3 Apr", "April 3rd"; issue 21).
_PART_DATE = (
    rf"(?:\d{{1,2}}[/.-]\d{{4}}|\d{{4}}[/.-]\d{{1,2}}|\d{{1,2}}(?:st|nd|rd|th)?[^\S\r\n]+(?:of[^\S\r\n]+)?{_MONTH}"
    rf"|{_MONTH}[^\S\r\n]+(?:\d{{4}}|\d{{1,2}}(?:st|nd|rd|th)?))(?![^\W_])"
)
#: A date of birth: a date, or part of one, after "DOB", "date of birth" or "born" ("DOB 03/04/2011",
#: "born 3 April 2011"; q21 gap 4; "DOB 03/2011", "d.o.b. 3 Apr": issue 21). A date alone is no
#: identifier: the real files' cells hold dates of every kind.
BIRTH_DATE = re.compile(
    rf"(?<![^\W_])(?:d\.?o\.?b\.?|date[^\S\r\n]+of[^\S\r\n]+birth|birth[^\S\r\n]*date|born(?:[^\S\r\n]+on)?)"
    rf"[^\S\r\n]*[:=-]?[^\S\r\n]*(?:{_DATE}|{_PART_DATE})",
    re.I,
)
#: A full UK postcode anywhere in a text: never printed in a message (identifiers stay in the file).
#: An old ONS code of an authority (``E5030``): MHCLG's forms put it in the name column, and a
#: survey may label an authority by it; letters and digits, but no person's identifier.
OLD_ONS_CODE = re.compile(r"E\d{4}")
POSTCODE = re.compile(r"(?<![A-Za-z0-9])[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}(?![A-Za-z0-9])", re.I)
#: A telephone number (UK: "020 7946 0018", "+44 7700 900123", "(020) 7946 0018"), an NHS number
#: written in three groups ("943 476 5919") or a National Insurance number written with spaces
#: ("AB 12 34 56 C", "AB 123456 C"; findings-q17att Q4).
PHONE_NINO = re.compile(
    r"(?<![\w+])(?:\+44[^\S\r\n]?(?:\(0\)[^\S\r\n]?)?|0)\d{2,4}[^\S\r\n-]?[-\s]?\d{3,4}[-\s]?\d{3,4}(?!\d)"
    r"|\(0\d{2,4}\)[^\S\r\n]?\d{3,4}[-\s]?\d{3,4}(?!\d)"
    r"|(?<![\w.,])\d{3}[-\s]\d{3}[-\s]\d{4}(?![\w.,])"
    r"|\b[A-Za-z]{2}[^\S\r\n]\d{2}[^\S\r\n]\d{2}[^\S\r\n]\d{2}[^\S\r\n]?[A-Da-d]\b"
    r"|\b[A-Z]{2}[^\S\r\n]?\d{6}[^\S\r\n]?[A-D]\b"
)


def identifier_shaped(text: object) -> bool:
    """Whether ``text`` holds an identifier: an e-mail address, nine digits or more in a row, or a
    staff or NI number (``W1001``, ``AB123456C``) as a word of its own.

    Examples
    --------
    >>> [identifier_shaped(t) for t in ("W1001", "jane.smith@council.gov.uk", "4857773456", "AB123456C",
    ...                                 "020 7946 0018", "AB 12 34 56 C", "Case 2345678", "SW1A 1AA",
    ...                                 "W 1001", "DOB 03/04/2011", "born 3 April 2011", "DOB 03/2011",
    ...                                 "born 2011-04", "d.o.b. 3 Apr")]
    [True, True, True, True, True, True, True, True, True, True, True, True, True, True]
    >>> [identifier_shaped(t) for t in ("E09000012", "ghq12", "FY2021", "d3_2021.csv", "rate_per_10000",
    ...                                 "31/03/2014", "FY 2021", "N 10000", "born in 2011", "03/2011")]
    [False, False, False, False, False, False, False, False, False, False]
    """
    if not isinstance(text, str):
        return False
    return bool(
        ("@" in text and EMAIL.search(text))
        or PHONE_NINO.search(text)
        or re.search(r"(?<!\d)\d{9,}(?!\d)", text)
        or CODE_WORD.search(text)
        or any(p.search(text) for p in (WORDED_ID, POSTCODE, SPACED_ID, BIRTH_DATE))
    )
