"""The bundled lists :mod:`rsw_eval._personal` tells a name by: forenames, surnames and the English
authorities' names (``data/forenames.csv``, ``data/surnames.csv``, ``data/la_codes.csv``), read
once, and the word sets a surname is checked against.

Examples
--------
>>> "jane" in forenames() and "smith" in surnames() and "hackney" in authority_words()
True
"""

from __future__ import annotations

import csv
import re
import unicodedata
from functools import cache
from pathlib import Path

from rsw_eval import _name_words as _w

__all__ = [
    "NOT_NAMES",
    "NO_SURNAME",
    "authority_names",
    "authority_words",
    "forenames",
    "surnames",
    "unaccented",
]

_DATA = Path(__file__).resolve().parent / "data"
_WORD = re.compile(r"[^\W\d_]+")

#: Words of labels, places, groups and common data words: a text that holds one is no name by its
#: surname alone ("Patel Ward", "Singh Total").
NOT_NAMES = (
    _w.LABELS | _w.GROUPS | _w.PLACES | _w.STREETS | _w.AUTHORITY_WORDS | _w.SMALL_WORDS | _w.COMMON_WORDS
)
#: Words of labels, places, groups and the calendar: no surname after a title that is also a word.
NO_SURNAME = NOT_NAMES | _w.CALENDAR | _w.TITLES | _w.ACRONYMS | _w.PARTICLES


def _rows(name: str) -> list[dict[str, str]]:
    with (_DATA / name).open(encoding="utf-8") as f:
        return list(csv.DictReader(line for line in f if not line.startswith("#")))


@cache
def forenames() -> frozenset[str]:
    """The bundled forenames (``data/forenames.csv``), lower case."""
    return frozenset(r["forename"] for r in _rows("forenames.csv"))


@cache
def surnames() -> frozenset[str]:
    """The bundled surnames (``data/surnames.csv``), lower case without accents, with the feminine
    of a Polish one, less any that is a word of a label, a place or an authority."""
    names = {unaccented(r["surname"]) for r in _rows("surnames.csv")}
    names |= {n[:-1] + "a" for n in names if n.endswith(("ski", "cki"))}  # Polish: "Kowalska"
    return frozenset(names - NOT_NAMES - authority_words())


@cache
def authority_names() -> frozenset[str]:
    """The English authorities' names of the bundled lookup, lower case ("tower hamlets",
    "kensington and chelsea"): a name-shaped text that is one is an authority's.

    Examples
    --------
    >>> "kensington and chelsea" in authority_names()
    True
    """
    return frozenset(r["la_name"].strip().lower() for r in _rows("la_codes.csv"))


@cache
def authority_words() -> frozenset[str]:
    """The words of the bundled authorities' names ("lincolnshire", "hackney"): no surname an
    initial stands beside in a label."""
    return frozenset(w for name in authority_names() for w in _WORD.findall(name))


def unaccented(word: str) -> str:
    """A word in lower case without its accents.

    Examples
    --------
    >>> unaccented("Zoë"), unaccented("José")
    ('zoe', 'jose')
    """
    return unicodedata.normalize("NFKD", word).encode("ascii", "ignore").decode().lower()
