"""Checks that the authority-years of a council's cost ledger hold the same cost lines.

A ledger has no name column to check a code against, and every year and code a row may carry is
valid on its own: a line typed with another year (``2019-20`` for ``2008-09``) or another
authority's code left its own authority-year and made a new one, without a word. Hackney's 2008-09
total fell from 40.0m to 22.4m, a Hackney 2019-20 of one line appeared, and the published cost
change went from -4.97% to +69.7% (findings-q13in A5). The outturn loader refuses the counterpart,
a block without the total line the other blocks have (:func:`rsw_eval.io._outturn_blocks.
blocks_have_totals`); a ledger has no total line, so its lines are compared instead.

The rule (docs/spec-guide.md, "`costs` entries"): the ledger's *usual* lines are the ones at least
half of its authority-years hold (a line with an amount of 0 is held). An authority-year that holds
fewer than half of them is refused: no ledger keeps one line of seven for a year, and that is what
a moved line makes. One that lacks some but holds at least half (a service closed), or holds lines
most do not (a service started later), loads with a warning, since its total is not like for like:
so does a line moved in a ledger of two lines, whose authority-years then hold one of two (a
ledger of two authorities with a line each, under their own names, loads). The outturn loader's
check counts a line as the others' when more than half of the blocks hold it; a ledger is often
of two authority-years (one per file, or a council's before and after), where that would leave
none, so here half is enough.

May import: ``rsw_eval._errors``, ``rsw_eval.io._identifiers``, ``rsw_eval.io._panel``.
"""

from __future__ import annotations

import warnings
from collections import Counter

import pandas as pd

from rsw_eval._errors import DataError, Problem, RswEvalWarning
from rsw_eval.io._identifiers import shown, shown_found
from rsw_eval.io._panel import ROW

__all__ = ["check_ledger_lines"]

_PREFIX = "cost_line:"


def _too_few(held: int, usual: int) -> bool:
    """Whether an authority-year holding ``held`` of the ``usual`` lines is refused.

    Examples
    --------
    >>> [_too_few(h, 7) for h in (1, 3, 4, 6)], _too_few(1, 2), _too_few(0, 1)
    ([True, True, False, False], False, True)
    """
    return 2 * held < usual


def _names(lines, most: int = 4, known: frozenset[str] = frozenset()) -> str:
    """Cost lines for a message, unquoted, at most ``most`` of them: a ``known`` line (one the
    ledger's authority-years share, a category) is shown unless it looks like an identifier, any
    other unless it may also be a person's name.

    Examples
    --------
    >>> _names(["cost_line:b", "cost_line:a", "cost_line:Jane Smith"], most=2, known={"cost_line:a"})
    'text that may identify a person (not shown), a and 1 more'
    """
    names = sorted(lines)
    text = ", ".join(
        shown(n.removeprefix(_PREFIX), quote=False)
        if n in known
        else shown_found(n.removeprefix(_PREFIX)).strip("'\"")
        for n in names[:most]
    )
    return text + (f" and {len(names) - most} more" if len(names) > most else "")


def _year(year: int) -> str:
    return f"{year - 1}-{year % 100:02d}"


def check_ledger_lines(lines: pd.DataFrame, label: str) -> None:
    """Refuse an authority-year that holds fewer than half of the ledger's usual cost lines (the
    ones at least half of its authority-years hold); warn
    (:class:`~rsw_eval.RswEvalWarning`, naming rows and lines, never an authority) where one lacks
    some of them or holds lines most do not.

    Parameters
    ----------
    lines : DataFrame
        One row per cost line: ``la_code``, ``year`` (ending 31 March), ``indicator``
        (``cost_line:<name>``) and the file row :data:`~rsw_eval.io._panel.ROW`.
    label : str
        The file, as messages name it.

    Raises
    ------
    DataError
        One problem naming the authority-years refused, their rows, the lines they hold and lack,
        and the authority-years that lack the lines they hold (where a moved line came from).

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
    E09000012 2019-20: 1 line (a), without b, c; E09000012 2009-10 lacks a
    """
    keys = ["la_code", "year"]
    held = lines.groupby(keys, sort=False)["indicator"].agg(frozenset)
    if len(held) < 2:
        return
    count = Counter(line for group in held for line in group)
    usual = frozenset(line for line, n in count.items() if 2 * n >= len(held))
    refused = [key for key, group in held.items() if _too_few(len(group & usual), len(usual))]
    if refused:
        raise DataError(_refusal(lines, held, usual, refused, label))
    lacking = [key for key, group in held.items() if usual - group]
    extra = lines["indicator"].map(count) * 2 < len(held)
    if lacking or extra.any():
        warnings.warn(_warning(lines, held, usual, lacking, extra, label), RswEvalWarning, stacklevel=3)


def _refusal(lines: pd.DataFrame, held: pd.Series, usual: frozenset, refused: list, label: str) -> Problem:
    """The one problem for the ``refused`` authority-years (the first three described)."""
    where = pd.MultiIndex.from_frame(lines[["la_code", "year"]]).isin(refused)
    codes = Counter(code for code, _ in held.index)
    # an authority the ledger names in other years: its year is the odd one out; else its code
    column = "year" if codes[refused[0][0]] > 1 else "la_code"
    parts = []
    for code, year in refused[:3]:
        group = held[(code, year)]
        mine = group & usual
        source = [k for k, g in held.items() if k not in refused and mine - g]
        text = f"{shown(code, quote=False)} {_year(year)}: {len(group)} line{'s' * (len(group) != 1)} "
        text += f"({_names(group, known=usual)}), without {_names(usual - group, 3, usual)}"
        if source:
            gone = held[source[0]]
            text += f"; {shown(source[0][0], quote=False)} {_year(source[0][1])} lacks "
            text += _names(mine - gone, 3, usual)
        parts.append(text)
    if len(refused) > 3:
        parts.append(f"and {len(refused) - 3} more authority-years")
    return Problem(
        label,
        "an authority-year holds few of the cost lines the ledger's other authority-years hold (a line "
        f"typed with another {'year' if column == 'year' else 'authority code'}?)",
        column=column,
        rows=tuple(lines.loc[where, ROW].head(5)),
        n_rows=int(where.sum()),
        expected=f"at least {-(-len(usual) // 2)} of the {len(usual)} cost lines "
        f"at least half of the authority-years hold ({_names(usual, 8, usual)})",
        found="; ".join(parts),
        hint="correct the row's year or la_code; a line with no spending in a year is written with "
        "amount_gbp 0, not left out",
    )


def _warning(lines, held, usual, lacking, extra, label: str) -> str:
    """The warning text: rows and lines, never an authority's code."""
    said = []
    if lacking:
        starts = lines.groupby(["la_code", "year"], sort=False)[ROW].min()
        first = [int(starts[key]) for key in lacking[:5]]
        gone = frozenset().union(*(usual - held[k] for k in lacking))
        said.append(
            f"{len(lacking)} authority-year{'s' * (len(lacking) != 1)} (first row"
            f"{'s' * (len(first) != 1)} {', '.join(map(str, first[:5]))}) "
            f"{'lack' if len(lacking) != 1 else 'lacks'} cost lines at least half of the authority-years "
            f"hold ({_names(gone, known=usual)})"
        )
    if extra.any():
        rows = lines.loc[extra, ROW].head(5)
        said.append(
            f"row{'s' * (len(rows) != 1)} {', '.join(map(str, rows))} "
            f"{'hold' if len(rows) != 1 else 'holds'} cost lines fewer than half of the authority-years "
            f"hold ({_names(set(lines.loc[extra, 'indicator']))})"
        )
    return (
        f"{label}: {'; '.join(said)}: their total_cost is not like for like with the others'. A line "
        "with no spending in a year is written with amount_gbp 0; a row typed with another year or "
        "la_code is corrected (findings-q13in A5)"
    )
