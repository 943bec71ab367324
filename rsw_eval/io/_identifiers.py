"""What identifies a person: column names and value shapes that never reach a message or summary.

Two rules, because an identifier may sit in any column (typed into the wrong one, or in a column
rsw-eval does not know):

- by column: a column whose name says it holds identifiers (``respondent_id``, ``worker_name``,
  ``staff_number``, ``postcode`` ...) is summarised by counts only (:func:`is_identifier`);
- by value: a cell that looks like an identifier, whatever its column (a postcode, letters mixed
  with digits such as ``W1001`` or a UPN, a long run of digits such as an NHS number, an e-mail
  address), is never echoed (:func:`looks_like_id`, :func:`shown`). Codes rsw-eval reads are not
  identifiers and stay visible: GSS codes (``E09000012``), SSDA903 codes (``E11``), numbers and
  years.

A person's name cannot be told from other words by its shape alone, so a third rule errs on the
side of hiding: a value rejected by a loader is echoed in a message only when it does not look like a
name either (:func:`looks_like_name`: two or more words of letters, or "Surname, Forename"), see
:func:`shown_found`.
"""

from __future__ import annotations

import re
from collections.abc import Collection

import pandas as pd

from rsw_eval._errors import NAME as _NAME
from rsw_eval._errors import NAME_PLACEHOLDER, POSTCODE
from rsw_eval._identifier_shapes import EMAIL as _EMAIL
from rsw_eval._personal import person_shaped

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
#: Words in a column name that make it an identifier column (``worker_name``, ``staff_number``,
#: ``NHS No``, ``Date of birth``); an authority's or area's name or number is not one.
_ID_WORDS = frozenset(
    {
        "id",
        "ids",
        "name",
        "names",
        "forename",
        "surname",
        "firstname",
        "lastname",
        "upn",
        "uln",
        "nhs",
        "nino",
        "ni",
        "number",
        "no",
        "num",
        "ref",
        "reference",
        "postcode",
        "address",
        "email",
        "phone",
        "mobile",
        "dob",
        "birth",
        "initials",
    }
)
#: Words naming a person's role: a column called by them alone ("Social Worker", "Team Manager",
#: "Supervisor", "Parent 1", "Allocated worker") holds people's names. With any other word the
#: column is a measure about them ("Domestic_Abuse_child", "Young_Carer", "children_count").
_PERSON_WORDS = frozenset(
    {
        *("worker", "workers", "caseworker", "keyworker", "manager", "managers", "supervisor"),
        *("supervisors", "practitioner", "practitioners", "staff", "employee", "employees"),
        *("child", "parent", "parents", "carer", "carers", "mother", "father", "guardian"),
        *("respondent", "client", "person", "clinician", "consultant"),
    }
)
#: Words that may stand beside a role word in such a column ("Team Manager", "Named social worker").
_ROLE_QUALIFIERS = frozenset(
    {
        *("social", "team", "allocated", "assigned", "named", "lead", "key", "case", "responsible"),
        *("senior", "practice", "line", "main", "primary", "foster", "birth", "first", "second", "s"),
    }
)
#: Words of :data:`_ID_WORDS` that say "identifier" as a qualifier ("case no", "NHS number") or
#: alone, but not leading a longer name ("no time for reflection", "number of referrals").
_LEADING = frozenset({"no", "num", "number"})
_AREA_WORDS = frozenset(
    {"la", "lea", "authority", "council", "region", "country", "geog", "line", "indicator", "cost", "sn"}
)
#: A full UK postcode (outward and inward code); districts alone (``E8``) look like SSDA903 codes.
_POSTCODE = re.compile(rf"^\s*(?:{POSTCODE.pattern})\s*$", re.I)
_CODE = re.compile(r"[EWSNK]\d{7,9}")  # a GSS code, or a mistyped one: shown so it can be fixed
_NUMBER = re.compile(r"[-+]?(\d[\d,]*)?(\.\d+)?([eE][-+]?\d+)?%?|[-+]?(inf|infinity|nan)", re.I)
#: A number in a programmer's notation (``0x10``, ``0b101``, ``0o17``): shown, so the user sees
#: why it is not read (att12 L5).
_NOTATION = re.compile(r"0[xob][0-9a-f]{1,16}", re.I)
_MIXED = re.compile(r"(?=.*[A-Za-z])(?=.*\d)[A-Za-z\d][A-Za-z\d /._-]{3,}")
_DIGITS = re.compile(r"\d{9,}|\d[\d \-]{7,}\d")
#: Letters and digits run together inside one word (``W1001``, ``AB123456C``, ``12B``).
_JOINED = re.compile(r"[A-Za-z]\d|\d[A-Za-z]")
PLACEHOLDER = "<not shown: may be an identifier>"
#: The way out for a label named after a person that names none ("Florence Nightingale ward").
NOT_PEOPLE_HINT = (
    '; if it names no person (a ward or a house named after one), list it in the spec\'s not_people = ["..."]'
)


def _words(column: str) -> list[str]:
    spaced = re.sub(r"([a-z])([A-Z])", r"\1 \2", column)  # staffNumber -> staff Number
    return [w for w in re.split(r"[^a-z0-9]+", spaced.lower()) if w]


def is_identifier(column: str | None) -> bool:
    """Whether a column holds identifiers (by its name, any case and spelling).

    Examples
    --------
    >>> [is_identifier(c) for c in ("Postcode", "worker_name", "staffNumber", "NHS No", "authority",
    ...                             "la_name", "LA num", "ghq3", "no_time_for_reflection", "No")]
    [True, True, True, True, False, False, False, False, False, True]
    >>> [is_identifier(c) for c in ("Social Worker", "Team Manager", "Supervisor", "Parent 1",
    ...                             "Domestic_Abuse_child", "children_count", "hours_direct_work")]
    [True, True, True, True, False, False, False]
    """
    if column is None:
        return False
    text = str(column).strip()
    if text.lower() in {c.lower() for c in IDENTIFIER_COLUMNS}:
        return True
    words = _words(text)
    if set(words) & _PERSON_WORDS and all(
        w in _PERSON_WORDS or w in _ROLE_QUALIFIERS or w.isdigit() for w in words
    ):
        return True
    if len(words) > 1 and words[0] in _LEADING:  # "no_time_for_reflection", "number_of_referrals"
        words = words[1:]
    return bool(set(words) & _ID_WORDS) and not set(words) & _AREA_WORDS


def _label(text: str) -> bool:
    """Words with numbers beside them, as a category label is written ("Aged 16 to 17",
    "Children looked after on 31 March each year", "Under 1 year"): a word of three letters or more
    and no word that runs letters and digits together (``W1001``), which an identifier does."""
    parts = [p.strip(".,;:()'\"") for p in text.split()]
    return any(len(p) >= 3 and p.isalpha() for p in parts) and not any(_JOINED.search(p) for p in parts)


def looks_like_id(value: object) -> bool:
    """Whether a cell looks like an identifier: a postcode, letters mixed with digits (4 characters
    or more, e.g. ``W1001``, a UPN, a National Insurance number, "John Smith aged 12"; a filter's
    category labels are shown by :func:`category_values`), 9 or more digits in a row (an
    NHS or phone number) or an e-mail address. Numbers, years, GSS codes and short codes do not.

    Examples
    --------
    >>> [looks_like_id(v) for v in ("E8 1DY", "W1001", "4857773456", "a@b.org", "AB123456C")]
    [True, True, True, True, True]
    >>> [looks_like_id(v) for v in ("E09000012", "E11", "1e400", "2009-10", "-7", "unit", "1,234",
    ...                             "31/03/2010", "123,456,789", "0x10")]
    [False, False, False, False, False, False, False, False, False, False]
    >>> [looks_like_id(v) for v in ("John Smith aged 12", "DOB 03/04/2012", "AB 12 34 56 C")]
    [True, True, True]
    """
    if not isinstance(value, str):
        return False
    text = value.strip()
    if re.fullmatch(r"\d{9,}", text):  # digits alone, no separator: an NHS number, not an amount
        return True
    if not text or _CODE.fullmatch(text) or _NUMBER.fullmatch(text) or _NOTATION.fullmatch(text):
        return False
    return bool(
        _POSTCODE.match(text)
        or _MIXED.fullmatch(text)
        or _DIGITS.search(text)
        or ("@" in text and _EMAIL.search(text))
    )


def looks_like_name(value: object) -> bool:
    """Whether a cell may be a person's name: two or more words of letters ("Jane Smith",
    "Anne-Marie O'Brien") or "Surname, Forename". Labels of two words ("Unit-model LA") have the
    same shape; callers show them only where they are the column's known vocabulary.

    Examples
    --------
    >>> [looks_like_name(v) for v in ("Jane Smith", "Smith, Jane", "J. Smith", "Anne-Marie O'Brien")]
    [True, True, True, True]
    >>> [looks_like_name(v) for v in ("Smith", "yes", "1,5", "12 hours", "W1001", "", 3)]
    [False, False, False, False, False, False, False]
    """
    return isinstance(value, str) and bool(_NAME.fullmatch(value.strip()))


def shown_found(value: object, vocabulary: Collection[str] = ()) -> str:
    """A value a loader rejected, as a message echoes it: quoted, unless it looks like an identifier
    (:func:`shown`) or a person's name (:func:`looks_like_name`). A value of the column's
    ``vocabulary`` (compared case-insensitively) is shown whatever its shape.

    Examples
    --------
    >>> shown_found("Jane Smith"), shown_found("Smith, Jane"), shown_found("maybe")
    ('text that may identify a person (not shown)', 'text that may identify a person (not shown)', "'maybe'")
    >>> shown_found("Unit-model LA", vocabulary={"unit-model la"}), shown_found("W1001")
    ("'Unit-model LA'", '<not shown: may be an identifier>')
    """
    if isinstance(value, str) and value.strip().lower() in {v.lower() for v in vocabulary}:
        return repr(value)
    if looks_like_name(value):
        return NAME_PLACEHOLDER
    return shown(value)


def shown(value: object, *, quote: bool = True) -> str:
    """``repr(value)`` (or ``str`` with ``quote=False``), or a placeholder when the value looks like
    an identifier (:func:`looks_like_id`) or a person's name by its forename, whatever its case
    (:func:`rsw_eval._personal.person_shaped`: "jane quenby", findings-q14 M3).

    Examples
    --------
    >>> shown("E8 1DY"), shown("abc"), shown("W1001"), shown("E09000012", quote=False)
    ('<a postcode, not shown>', "'abc'", '<not shown: may be an identifier>', 'E09000012')
    >>> shown("jane quenby", quote=False)
    'text that may identify a person (not shown)'
    """
    text = value if isinstance(value, str) else str(value)
    if _POSTCODE.match(text):
        return "<a postcode, not shown>"
    if looks_like_id(text):
        return PLACEHOLDER
    if person_shaped(text):
        return NAME_PLACEHOLDER
    return repr(value) if quote else str(value)


def category_values(frame: pd.DataFrame, column: str, sep: str = "; ", most: int = 6) -> str:
    """A filter column's values for a message: a value that three authorities or more share, and at
    least half the file's authorities, as a category of a published table is, and that reads as a
    label (:func:`_label`: "Aged 16 to 17", "Children looked after on 31 March each
    year") is a category and shown; any other, and every value of a column whose name says it
    identifies people (:func:`is_identifier`), is shown as :func:`shown` shows it, so a name or a
    date of birth stays masked however often one authority's rows repeat it.

    Examples
    --------
    >>> ages = ["Aged 16 to 17"] * 3 + ["John Smith aged 12"] * 2 + ["Under 1 year"]
    >>> f = pd.DataFrame({"new_la_code": ["E1", "E2", "E3", "E1", "E2", "E3"], "age": ages})
    >>> category_values(f, "age")
    'Aged 16 to 17; <not shown: may be an identifier>; <not shown: may be an identifier>'
    >>> category_values(f.rename(columns={"age": "child_name"}), "child_name").count("not shown")
    3
    """
    text = frame[column].astype(str).str.strip()
    where = (
        frame["new_la_code"] if "new_la_code" in frame else pd.Series(range(len(frame)), index=frame.index)
    )
    spread = where.groupby(text).nunique()
    enough = max(3, -(-where.nunique() // 2))
    people = is_identifier(column)

    def one(v: str) -> str:
        category = (
            not people
            and spread[v] >= enough
            and _label(v)
            and not (_POSTCODE.match(v) or _DIGITS.search(v) or "@" in v)
        )
        return v if category else shown(v, quote=False)

    return sep.join(one(v) for v in sorted(spread.index)[:most])


def shown_values(values, sep: str = ", ") -> str:
    """Values joined for a message, unquoted, each one that looks like an identifier replaced by
    the placeholder (:func:`shown`).

    Examples
    --------
    >>> shown_values(["Total", "W1001", "Boys"], "; ")
    'Total; <not shown: may be an identifier>; Boys'
    """
    return sep.join(shown(v, quote=False) for v in values)
