"""Project exceptions and warning classes.

Every error a user can cause is an :class:`RswEvalError`; the CLI turns it into one line per problem
and exit status 2, never a traceback.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from rsw_eval._identifier_shapes import POSTCODE, date_shaped
from rsw_eval._name_lists import authority_names
from rsw_eval._personal import mask_people, one_name, person_shaped

#: One word of a person's name: letters, with inner hyphens or apostrophes (``O'Brien``,
#: ``Anne-Marie``), or an initial (``J.``); a name is two or more, or "Surname, Forename".
_NAME_WORD = r"[^\W\d_]+(?:['\u2019-][^\W\d_]+)*\.?"
NAME = re.compile(rf"{_NAME_WORD}(?:\s+{_NAME_WORD})+|{_NAME_WORD}\s*,\s*{_NAME_WORD}(?:\s+{_NAME_WORD})*")
#: What a message says in place of a value that may be a person's name.
NAME_PLACEHOLDER = "text that may identify a person (not shown)"
#: What a message says in place of a date found where none belongs.
DATE_PLACEHOLDER = "a date (not shown: it may be a date of birth)"
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


def _hidden_cell(cell: str, dates: bool) -> str | None:
    """The placeholder for one quoted cell that may identify a person: a name's shape, one word
    that is a forename, a surname or a user name (:func:`rsw_eval._personal.one_name`), or a
    date where no date is ``dates`` expected (att12 M1); ``None`` for any other cell."""
    if _person(cell, cell=True) or one_name(cell):
        return NAME_PLACEHOLDER
    return DATE_PLACEHOLDER if date_shaped(cell) and not dates else None


def mask_found(text: str, dates: bool = False) -> str:
    """``text`` (what a message says was found) with a value that may identify a person, the whole
    text or any quoted part of it, replaced by a placeholder, and every postcode
    (:func:`mask_postcodes`): a loader that quotes a rejected cell never echoes a name typed into
    it (findings-q13in A6). A quoted cell is masked if it is shaped as a person's name, is one
    forename, surname or user name ("'Mohammed'", "'jsmith'"), or, unless ``dates`` are what the
    column holds, a date (att12 M1). The bundled authorities' names are shown, and a message's own
    words (unquoted, lower case: "an empty cell") unless they are a person's name by its forename
    (:func:`person_shaped`: "jane quenby", findings-q14 M3); any other name or identifier inside
    the text is masked by :func:`mask_text`.

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
    >>> mask_found("'Oliver'"), mask_found("'03/04/2012'")
    ('text that may identify a person (not shown)', 'a date (not shown: it may be a date of birth)')
    >>> mask_found("'03/04/2012'", dates=True)
    "'03/04/2012'"
    """
    bare = text.strip("'\" ")
    # a message's own words ("an empty cell", "reversed coding") are lower case; a quoted cell is a cell
    quoted = bare != text.strip()
    if quoted and (hidden := _hidden_cell(bare, dates)):
        return hidden
    if _person(bare, cell=quoted) and (quoted or bare != bare.lower() or person_shaped(bare)):
        return NAME_PLACEHOLDER
    text = _QUOTED.sub(lambda m: _hidden_cell(m.group(1) or m.group(2) or "", dates) or m.group(0), text)
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
    pattern = _typed_pattern(_TYPED.get())
    parts = pattern.split(text) if pattern else [text]  # a path the user typed: at the odd places
    masked = (p if i % 2 else mask_postcodes(mask_people(p, NAME_PLACEHOLDER)) for i, p in enumerate(parts))
    return "".join(masked)


#: The paths the user typed on the command line, while :func:`typed_paths` runs.
_TYPED: ContextVar[tuple[str, ...]] = ContextVar("typed_paths", default=())


@contextmanager
def typed_paths(paths: Iterable[str]) -> Iterator[None]:
    """Within the block, :func:`mask_text` prints the ``paths`` the user typed, and any path under
    one of them, as they are: a file or folder name is the user's own, not a value from the data,
    and masking it ("harry.csv", "costs_nan.csv", a folder "Sarah_Jones") left the user unable to
    tell which file is at fault, or ate the message's own words (att12 M2). A path of dots alone
    (".") is not kept, as it would split every sentence.

    Examples
    --------
    >>> with typed_paths(["data/harry.csv"]):
    ...     print(mask_text("data/harry.csv, row 2: Jane Smith"))
    data/harry.csv, row 2: text that may identify a person (not shown)
    """
    kept = tuple(p for p in paths if p.strip("./\\") and len(p) > 2)
    token = _TYPED.set(_TYPED.get() + kept)
    try:
        yield
    finally:
        _TYPED.reset(token)


def _typed_pattern(paths: tuple[str, ...]) -> re.Pattern | None:
    """A pattern matching each of ``paths`` and any path under it, longest first, as one group."""
    if not paths:
        return None
    alternatives = "|".join(map(re.escape, sorted(set(paths), key=len, reverse=True)))
    return re.compile(rf"((?:{alternatives})(?:[/\\][^\s,:;'\"]*)?)")


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


def header_text(text: str) -> str:
    """``text``, what a message found, as a text of a file's column names: masked as every header
    is (:func:`found_columns`), not by a name's shape alone as a cell is ("'Total Expenditure (k)'
    2 times" is a header: att12 M3).

    Examples
    --------
    >>> print(Problem("a.csv", "repeated column", found=header_text("'Total Expenditure (k)' 2 times")))
    a.csv: repeated column, found 'Total Expenditure (k)' 2 times
    """
    return _Headers(text)


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
            text += f", found {self._found()}"
        if self.hint:
            text += f". Hint: {mask_text(self.hint)}"
        return text

    def _found(self) -> str:
        """What was found, masked: a header as every header is (:func:`mask_text`), a cell by
        :func:`mask_found`, a date shown only where the column holds dates, and never in a
        date-of-birth column."""
        if isinstance(self.found, _Headers):
            return mask_text(self.found)
        dated = re.search(r"\bdates?\b|dd/mm|yyyy", self.expected or "", re.I)
        born = re.search(r"dob|birth", self.column or "", re.I)
        return mask_found(self.found, dates=bool(dated and not born))


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
