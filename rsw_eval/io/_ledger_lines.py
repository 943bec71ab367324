"""Checks that no cost line of a council's ledger was typed with another year or authority code.

A ledger has no name column to check a code against, and every year and code a row may carry is
valid on its own: a line typed with another year (``2019-20`` for ``2008-09``) or another
authority's code leaves its own authority-year, without a word (findings-q13in A5: Hackney's cost
change went from -4.97% to +69.7%). A first rule compared each authority-year with the lines half
of them hold; it refused a before/after ledger whose later years add the model's own lines and
warned the same words for a correct ledger and a moved line (findings-q15att L1, L2). The rule
now looks for what a moved line leaves behind (docs/spec-guide.md, "`costs` entries"):

* refused: two authority-years of one authority (or of one year) that hold no line in common and
  together hold exactly the lines of another authority-year (a *split* one); in a ledger of those
  two only, a lone line beside two or more;
* warned, naming the row and where it may come from: two other authority-years of one authority or
  year with no line in common; a line an authority holds in some years, then not, then again (a
  hole); a line one authority holds in a year where another, of the same year, lacks it, when
  giving the row back to that authority leaves both holding the line all years or none (2 or more
  fewer changes of held / not held over their years);
* silent: a line that starts in a year and is held in every later one (a service started later),
  one that stops (a service closed), a line only some authorities hold.

Line names are shown as a rejected value is (:func:`~rsw_eval.io._identifiers.shown_found`): one
that looks like a person's name or an identifier is not echoed (findings-q15att L3).

May import: ``rsw_eval._errors``, ``rsw_eval.io._identifiers``, ``rsw_eval.io._panel``.
"""

from __future__ import annotations

import warnings
from collections import Counter
from itertools import combinations, pairwise

import pandas as pd

from rsw_eval._errors import DataError, Problem, RswEvalWarning
from rsw_eval.io._identifiers import shown, shown_found
from rsw_eval.io._panel import ROW

__all__ = ["check_ledger_lines"]

_PREFIX = "cost_line:"


def _names(lines, most: int = 4) -> str:
    """Cost lines for a message, unquoted, at most ``most``; a name that may identify a person or
    looks like an identifier is not shown.

    Examples
    --------
    >>> _names(["cost_line:b", "cost_line:a", "cost_line:Jane Smith"], most=2)
    'text that may identify a person (not shown), a and 1 more'
    """
    names = sorted(lines)
    text = ", ".join(shown_found(n.removeprefix(_PREFIX)).strip("'\"") for n in names[:most])
    return text + (f" and {len(names) - most} more" if len(names) > most else "")


def _year(year: int) -> str:
    return f"{year - 1}-{year % 100:02d}"


def _rows(numbers) -> str:
    """File rows as a message names them: ``row 4``, ``rows 2-8`` or ``rows 2, 5, 9 ...``.

    Examples
    --------
    >>> _rows([8, 2, 3, 4, 5, 6, 7]), _rows([4]), _rows([9, 2, 5, 11, 12])
    ('rows 2-8', 'row 4', 'rows 2, 5, 9, 11 ...')
    """
    numbers = sorted(int(n) for n in numbers)
    if len(numbers) == 1:
        return f"row {numbers[0]}"
    if numbers[-1] - numbers[0] == len(numbers) - 1:
        return f"rows {numbers[0]}-{numbers[-1]}"
    return "rows " + ", ".join(map(str, numbers[:4])) + (" ..." if len(numbers) > 4 else "")


def check_ledger_lines(lines: pd.DataFrame, label: str) -> None:
    """Refuse an authority-year split in two by a line typed with another year or authority code;
    warn (:class:`~rsw_eval.RswEvalWarning`, naming the rows, never an authority) where a row looks
    moved; say nothing of a service started later or closed.

    Parameters
    ----------
    lines : DataFrame
        One row per cost line: ``la_code`` (one spelling per authority), ``year`` (ending 31
        March), ``indicator`` (``cost_line:<name>``) and the file row :data:`~rsw_eval.io._panel.ROW`.
    label : str
        The file, as messages name it.

    Raises
    ------
    DataError
        One problem naming the authority-year split off, its rows, and the one it was split from.

    Examples
    --------
    >>> import pandas as pd
    >>> lines = pd.DataFrame({"la_code": "E09000012", "year": [2009, 2009, 2009, 2010, 2010, 2020],
    ...                       "indicator": ["cost_line:" + c for c in "abcbca"], ROW: range(2, 8)})
    >>> try:
    ...     check_ledger_lines(lines, "costs.csv")
    ... except DataError as err:
    ...     print(err.problems[0].rows, err.problems[0].column)
    ...     print(err.problems[0].found)
    (7,) year
    E09000012 2019-20: 1 line (a), which E09000012 2009-10 lacks
    """
    held = lines.groupby(["la_code", "year"], sort=False)["indicator"].agg(frozenset)
    if len(held) < 2:
        return
    rows = lines.groupby(["la_code", "year"], sort=False)[ROW].agg(list)
    said, pairs = [], _disjoint(held)
    sets = Counter(held)
    for part, rest in pairs:
        if sets[held[part] | held[rest]] or _lone_line(held, part, rest):
            raise DataError(_refusal(held, rows, part, rest, label))
    for part, rest in {part: rest for part, rest in reversed(pairs)}.items():  # one per part
        kind = "authority" if part[0] == rest[0] else "year"
        said.append(
            f"{_rows(rows[part])} and {_rows(rows[rest])}, authority-years of the same {kind}, hold no "
            f"cost line in common (a line typed with another {'year' if kind == 'authority' else 'la_code'}?)"
        )
    said += _moved(lines, held)
    if said:
        warnings.warn(
            f"{label}: {'; '.join(said[:5])}{f'; and {len(said) - 5} more' if len(said) > 5 else ''}. "
            "A row typed with another year or la_code is corrected, and a line with no spending in a "
            "year is written with amount_gbp 0: the total_cost of an authority-year counts the lines it "
            "holds (findings-q15att L1)",
            RswEvalWarning,
            stacklevel=3,
        )


def _disjoint(held: pd.Series) -> list[tuple]:
    """Pairs (part, rest) of authority-years of one authority or one year that hold no line in
    common, where ``part`` is the one that looks split off: its year (or code) is the rarer in the
    ledger, else it holds fewer lines. A pair of different authorities is kept only when ``part``'s
    authority has no other year (two councils with their own charts of accounts are not a split)."""
    codes = Counter(code for code, _ in held.index)
    years = Counter(year for _, year in held.index)
    found = []
    for key, groups in ((0, _by(held, 0)), (1, _by(held, 1))):
        for one, two in (pair for group in groups for pair in combinations(group, 2)):
            if not held[one].isdisjoint(held[two]):
                continue
            count = years if key == 0 else codes  # the coordinate the two differ in
            part, rest = sorted((one, two), key=lambda k: (count[k[1 - key]], len(held[k])))
            if key == 0 or codes[part[0]] == 1:
                found.append((part, rest))
    return found


def _by(held: pd.Series, level: int) -> list[list]:
    """The authority-years grouped by authority (``level`` 0) or year (1)."""
    groups: dict = {}
    for key in held.index:
        groups.setdefault(key[level], []).append(key)
    return [g for g in groups.values() if len(g) > 1]


def _lone_line(held: pd.Series, part, rest) -> bool:
    """A ledger of two authority-years, one holding a lone line beside two or more."""
    return len(held) == 2 and len(held[part]) == 1 and len(held[rest]) >= 2


def _refusal(held: pd.Series, rows: pd.Series, part, rest, label: str) -> Problem:
    """The one problem for an authority-year ``part`` split off ``rest``."""
    whole = held[part] | held[rest]
    same = [k for k in held.index if held[k] == whole]
    column = "year" if part[0] == rest[0] else "la_code"
    n = len(held[part])
    return Problem(
        label,
        "an authority-year holds only cost lines another of the same "
        f"{'authority' if column == 'year' else 'year'} lacks, and the two hold no line in common (a line "
        f"typed with another {'year' if column == 'year' else 'authority code'}?)",
        column=column,
        rows=tuple(rows[part][:5]),
        n_rows=n,
        expected="the lines of one authority-year under one year and la_code"
        + (f" (together the two hold the {len(whole)} lines of {_ay(same[0])})" if same else ""),
        found=f"{_ay(part)}: {n} line{'s' * (n != 1)} ({_names(held[part])}), which {_ay(rest)} lacks",
        hint="correct the row's year or la_code; a line with no spending in a year is written with "
        "amount_gbp 0, not left out",
    )


def _ay(key) -> str:
    return f"{shown(key[0], quote=False)} {_year(key[1])}"


def _moved(lines: pd.DataFrame, held: pd.Series) -> list[str]:
    """What the warning says of rows that look moved: a line with a hole in an authority's years,
    and a line given back to another authority of the same year making both regular."""
    years: dict = {}
    for code, year in held.index:
        years.setdefault(code, []).append(year)
    at = lines.set_index(["la_code", "year", "indicator"])[ROW]
    have: dict = {}
    for code, year, line in lines[["la_code", "year", "indicator"]].itertuples(index=False):
        have.setdefault((code, line), set()).add(year)
    said = []
    for (code, line), mine in have.items():
        ours = sorted(years[code])
        if len(_runs(mine, ours)) > 1:
            gap = [y for y in ours if y not in mine and min(mine) < y < max(mine)]
            said.append(
                f"{_rows(at[code, y, line] for y in mine)} ({_names([line])}): their authority holds the "
                f"line in {_years(mine)} but not in {_years(gap)}, between them (a row typed with another "
                "year or la_code, or a line left out?)"
            )
    paired = set()  # in two years, giving either row to the other authority reads the same
    for (code, line), mine in have.items():
        for year in sorted(mine) if len(mine) < len(years[code]) else ():
            other = _give_back(have, years, held, (code, line), year)
            if other is not None and (other, code, line) not in paired:
                paired.add((code, other, line))
                rows = lines.loc[(lines["la_code"] == other) & (lines["year"] == year), ROW]
                said.append(
                    f"row {at[code, year, line]} ({_names([line])}, {_year(year)}) may belong to the "
                    f"authority-year of {_rows(rows)}, which lacks it (a row typed with another la_code?): "
                    f"its authority holds the line in {_years(mine)}, the other in "
                    f"{_years(have.get((other, line), ())) or 'no year'}"
                )
    return said


def _runs(held, years) -> list[list]:
    """The runs of consecutive ``years`` (sorted) in ``held``.

    Examples
    --------
    >>> _runs({2009, 2010, 2012}, [2009, 2010, 2011, 2012]), _runs(set(), [2009])
    ([[2009, 2010], [2012]], [])
    """
    runs: list[list] = []
    for i, year in enumerate(years):
        if year in held:
            if i and years[i - 1] in held:
                runs[-1].append(year)
            else:
                runs.append([year])
    return runs


def _changes(held, years) -> int:
    """How often a line goes from held to not held, or back, over an authority's ``years``.

    Examples
    --------
    >>> _changes({2009, 2010}, [2009, 2010]), _changes({2010}, [2009, 2010])
    (0, 1)
    >>> _changes({2009, 2011}, [2009, 2010, 2011])
    2
    """
    return sum((a in held) != (b in held) for a, b in pairwise(years))


def _give_back(have, years, held, key, year):
    """The authority of ``year`` lacking the line of ``key`` (authority, line) to which giving the
    row back removes 2 or more changes of held / not held over the two authorities' years, or None."""
    code, line = key
    mine, ours = have[key], sorted(years[code])
    for other in (c for c, y in held.index if y == year and c != code and line not in held[c, y]):
        theirs, their_years = have.get((other, line), set()), sorted(years[other])
        before = _changes(mine, ours) + _changes(theirs, their_years)
        after = _changes(mine - {year}, ours) + _changes(theirs | {year}, their_years)
        if before - after >= 2:
            return other
    return None


def _years(years) -> str:
    shown_ = [_year(y) for y in sorted(years)]
    return ", ".join(shown_[:4]) + (f" and {len(shown_) - 4} more" if len(shown_) > 4 else "")
