"""Project exceptions and warning classes.

Every error a user can cause is an :class:`RswEvalError`; the CLI turns it into one line per problem
and exit status 2, never a traceback.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rsw_eval._identifier_shapes import POSTCODE
from rsw_eval._name_lists import authority_names
from rsw_eval._personal import mask_people, person_shaped

#: One word of a person's name: letters, with inner hyphens or apostrophes (``O'Brien``,
#: ``Anne-Marie``), or an initial (``J.``); a name is two or more, or "Surname, Forename".
_NAME_WORD = r"[^\W\d_]+(?:['\u2019-][^\W\d_]+)*\.?"
NAME = re.compile(rf"{_NAME_WORD}(?:\s+{_NAME_WORD})+|{_NAME_WORD}\s*,\s*{_NAME_WORD}(?:\s+{_NAME_WORD})*")
#: What a message says in place of a value that may be a person's name.
NAME_PLACEHOLDER = "text that may identify a person (not shown)"
_QUOTED = re.compile(r"'([^']*)'|\"([^\"]*)\"")


#: What may hide a name's shape in a quoted cell: an escaped space or tab (repr's ``\\xa0``,
#: ``\\t``), digits, and marks other than a name's own hyphen and apostrophe.
_NOISE = re.compile(r"\\(?:x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|[tnr])|[^\w\s'\u2019-]|\d")


def _person(text: str, cell: bool = False) -> bool:
    """Whether ``text`` has a person's name's shape and is not an authority's name; a quoted
    ``cell`` with its marks, digits and escaped spaces aside ("Jane Smith!", "Jane Smith (10)",
    "Jane\\xa0Smith": findings-q14 M1, M2), which a message's own text keeps (a code and a number
    are no name)."""
    plain = " ".join(_NOISE.sub(" ", text).split()).strip("-'\u2019 ") if cell else text.strip()
    return bool(NAME.fullmatch(plain)) and plain.lower() not in authority_names()


def mask_found(text: str) -> str:
    """``text`` (what a message says was found) with a person-name-shaped value, the whole text or
    any quoted part of it, replaced by a placeholder, and every postcode (:func:`mask_postcodes`):
    a loader that quotes a rejected cell never echoes a name typed into it (findings-q13in A6).
    The bundled authorities' names are shown, and a message's own words (unquoted, lower case:
    "an empty cell") unless they are a person's name by its forename (:func:`person_shaped`:
    "jane quenby", findings-q14 M3); any other name or identifier inside the text is masked by
    :func:`mask_text`.

    Examples
    --------
    >>> mask_found("'Jane Smith'"), mask_found("Smith, Jane")
    ('text that may identify a person (not shown)', 'text that may identify a person (not shown)')
    >>> mask_found("'Tower Hamlets', 'x'")
    "'Tower Hamlets', 'x'"
    >>> mask_found("'2024', 'Jane Smith' and 3 more")
    "'2024', text that may identify a person (not shown) and 3 more"
    >>> {mask_found(t) for t in ("'Jane Smith!'", "'Jane\\\\xa0Smith (10)'", "''Jane Smith''", "jane quenby")}
    {'text that may identify a person (not shown)'}
    >>> mask_found("an empty cell"), mask_found("columns 'a', Jane Smith, W1001").count("not shown")
    ('an empty cell', 2)
    """
    bare = text.strip("'\" ")
    # a message's own words ("an empty cell", "reversed coding") are lower case; a quoted cell is a cell
    quoted = bare != text.strip()
    if _person(bare, cell=quoted) and (quoted or bare != bare.lower() or person_shaped(bare)):
        return NAME_PLACEHOLDER
    text = _QUOTED.sub(
        lambda m: NAME_PLACEHOLDER if _person(m.group(1) or m.group(2) or "", cell=True) else m.group(0), text
    )
    return mask_text(text)


def mask_text(text: str) -> str:
    """``text`` (any line rsw-eval prints: a message, a warning) with every run of words written
    as a person's name, every identifier (:func:`rsw_eval._personal.mask_people`) and every
    postcode replaced by a placeholder: a name from the user's data is never printed, wherever a
    message or warning quotes it (findings-q14 M6, findings-q13in A13).

    Examples
    --------
    >>> mask_text("Jane Quenby inferred to be a count; children_looked_after too")
    'text that may identify a person (not shown) inferred to be a count; children_looked_after too'
    """
    return mask_postcodes(mask_people(text, NAME_PLACEHOLDER))


class _Headers(str):
    """A found text that lists a file's column names (:func:`found_columns`)."""

    __slots__ = ()


def found_columns(names: Iterable[object]) -> str:
    """``columns 'a', 'b'``: what a message found in a file's header. A header is masked as every
    header is judged (:func:`mask_text`: a person's name by its forename, title or surname, an
    identifier; ``check_header`` refuses both), not by a name's shape alone as a cell typed into
    the wrong column is (:func:`mask_found`): "Local authority" and "Social worker" are headers,
    not people (issue 21).

    Examples
    --------
    >>> print(Problem("a.csv", "missing column", found=found_columns(["Local authority", "Jane Quenby"])))
    a.csv: missing column, found columns 'Local authority', text that may identify a person (not shown)
    >>> print(Problem("a.csv", "bad cell", found="'Local authority'"))  # a cell: by its shape
    a.csv: bad cell, found text that may identify a person (not shown)
    """
    return _Headers("columns " + ", ".join(map(repr, names)))


def mask_postcodes(text: str) -> str:
    """``text`` with every postcode replaced by a placeholder.

    Examples
    --------
    >>> mask_postcodes("found 'E8 1DY', 'E09000012'")
    "found '<a postcode, not shown>', 'E09000012'"
    """
    return POSTCODE.sub("<a postcode, not shown>", text)


__all__ = [
    "DataError",
    "GhqCodingWarning",
    "Problem",
    "RswEvalError",
    "RswEvalWarning",
    "SpecError",
]


class RswEvalError(Exception):
    """Base class of the errors rsw-eval raises on bad input."""

    def lines(self) -> list[str]:
        """One line per problem, as the CLI prints them."""
        return [str(self)]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input file.

    Attributes
    ----------
    file : str
        File name as the user gave it (or ``<DataFrame>``).
    message : str
        What is wrong, in a sentence.
    column : str or None
        Column name as it appears in the file.
    rows : tuple of int
        Row numbers as the user sees them in the file (header = row 1); at most the first five are shown.
    n_rows : int
        How many rows have the problem (can exceed ``len(rows)``).
    expected, found, hint : str or None
        What was expected, what was found and how to fix it.
    """

    file: str
    message: str
    column: str | None = None
    rows: tuple[int, ...] = ()
    n_rows: int = 0
    expected: str | None = None
    found: str | None = None
    hint: str | None = None

    @classmethod
    def where(cls, file: str, message: str, index, mask, **fields) -> Problem:
        """The problem on the rows of ``index`` where ``mask`` holds, numbered as a spreadsheet
        shows them: a frame read with its default index has its first data row at row 2.

        Examples
        --------
        >>> bad = [False, True, True, False]
        >>> str(Problem.where("a.csv", "not a number", range(4), bad, column="x"))
        "a.csv, rows 3, 4, column 'x': not a number"
        """
        index, mask = list(index), list(mask)
        rows = [int(i) + 2 for i, bad in zip(index, mask, strict=True) if bad]
        return cls(file, message, rows=tuple(rows[:5]), n_rows=len(rows), **fields)

    def __str__(self) -> str:
        where = [self.file]
        if self.rows:
            shown = ", ".join(str(r) for r in self.rows[:5])
            more = f" (+{self.n_rows - 5} more)" if self.n_rows > 5 else ""
            where.append(f"row{'s' if len(self.rows) > 1 else ''} {shown}{more}")
        if self.column is not None:
            where.append(f"column '{mask_text(self.column)}'")
        text = f"{', '.join(where)}: {mask_text(self.message)}"
        if self.expected is not None:
            text += f"; expected {mask_text(self.expected)}"
        if self.found is not None:
            found = mask_text if isinstance(self.found, _Headers) else mask_found
            text += f", found {found(self.found)}"
        if self.hint:
            text += f". Hint: {mask_text(self.hint)}"
        return text


class DataError(RswEvalError, ValueError):
    """An input file (or DataFrame) does not meet its data contract.

    Holds one or more :class:`Problem` objects; ``str(err)`` joins them one per line.

    Examples
    --------
    >>> err = DataError([Problem("a.csv", "value out of range", column="ghq3", rows=(4,), n_rows=1,
    ...                          expected="an integer 0-3", found="7")])
    >>> print(err)
    a.csv, row 4, column 'ghq3': value out of range; expected an integer 0-3, found 7
    """

    def __init__(self, problems: Problem | str | Iterable[Problem]):
        if isinstance(problems, str | Problem):
            problems = [problems]
        self.problems: Sequence[Problem | str] = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    def lines(self) -> list[str]:
        return [str(p) for p in self.problems]


class SpecError(RswEvalError, ValueError):
    """An evaluation spec or command-line option is invalid."""


class RswEvalWarning(UserWarning):
    """Base class of rsw-eval warnings (filter them with ``warnings.filterwarnings``)."""


class GhqCodingWarning(RswEvalWarning):
    """GHQ-12 items look as if they may be reverse-coded, without clear evidence (the file loads)."""
