"""Checks that each authority's block of a Section 52 / 251 outturn file is whole and is that
authority's: a block without its total line (rows deleted, a download cut short) and a block whose
LA number names another authority would otherwise load as smaller or as another's spending.

May import: ``rsw_eval._errors``, ``rsw_eval.io._lacodes``, ``rsw_eval.io._laa1``.
"""

from __future__ import annotations

import pandas as pd

from rsw_eval._errors import DataError, Problem
from rsw_eval.io._laa1 import name_key
from rsw_eval.io._lacodes import code_map

__all__ = ["block_names_match", "blocks_have_totals", "la_numbers_given", "last_row_whole", "same_authority"]

#: Words a file may add to or leave out of the lookup's name ("Bedford Borough", "Durham",
#: "Herefordshire" for "Bedford", "County Durham", "Herefordshire, County of").
_GENERIC = frozenset(
    {"borough", "city", "county", "council", "of", "the", "royal", "metropolitan", "district"}
)


def _words(name: str) -> frozenset[str]:
    return frozenset(name_key(name).split()) - _GENERIC


def same_authority(name: str, reference: str) -> bool:
    """Whether ``name`` in a file is ``reference`` (the lookup's name), allowing the spelling
    variants DfE files use: case, punctuation, ``&``, and words such as "County" or "Borough".

    Examples
    --------
    >>> same_authority("Durham", "County Durham"), same_authority("Hackney ", "Hackney")
    (True, True)
    >>> same_authority("Hackney", "Camden"), same_authority("Bedford", "Bedfordshire")
    (False, False)
    """
    mine, theirs = _words(name), _words(reference)
    return bool(mine) and (mine <= theirs or theirs <= mine)


def block_names_match(frame: pd.DataFrame, codes: pd.Series, name_col: str, label: str) -> None:
    """Refuse rows whose LA number is another authority's in the bundled lookup (a block
    relabelled with a neighbour's number would publish one authority's spending as the other's).

    ``codes`` are the 3-digit numbers, already known to the lookup; row numbers are as Excel shows
    them (``frame`` is indexed by the row minus 2)."""
    lookup = code_map()
    names = frame[name_col].astype(str).str.strip()
    pairs = pd.DataFrame({"code": codes, "name": names}).drop_duplicates()
    wrong = [
        (c, n)
        for c, n in pairs.itertuples(index=False)
        if c in lookup and not same_authority(n, lookup[c]["la_name"])
    ]
    if wrong:
        bad = pd.Series(list(zip(codes, names, strict=True)), index=frame.index).isin(wrong).to_numpy()
        raise DataError(
            Problem.where(
                label,
                "the LA number and the authority's name disagree (a block relabelled?)",
                frame.index,
                bad,
                column=name_col,
                expected="; ".join(f"{c} = {lookup[c]['la_name']}" for c, _ in wrong[:3])
                + " (bundled lookup)",
                found="; ".join(f"{c} with the name {n!r}" for c, n in wrong[:3]),
                hint="check which authority the rows are, and correct the number or the name",
            )
        )


def blocks_have_totals(panel: pd.DataFrame, label: str, column: str) -> None:
    """Refuse an authority's block without the total line(s) the file's other blocks have: rows
    deleted from the block or a file cut short, whose smaller sum nothing else would catch (the
    lines-add-up check needs the total line)."""
    keys = ["la_code", "year"]
    totals = panel[panel["kind"] == "total"].groupby(keys)["indicator"].agg(frozenset)
    blocks = panel.groupby(keys, sort=False)
    if totals.empty or blocks.ngroups < 2:
        return
    expected = frozenset().union(*totals)
    common = [t for t in expected if (totals.map(lambda s, t=t: t in s)).sum() * 2 > blocks.ngroups]
    problems = []
    for (code, year), block in blocks:
        have = totals.get((code, year), frozenset())
        missing = sorted(t.removeprefix("outturn_line:") for t in common if t not in have)
        if missing:
            first, last = int(block.index.min()) + 2, int(block.index.max()) + 2
            problems.append(
                Problem(
                    label,
                    "an authority's block has no total line (rows deleted, or the file cut short?)",
                    column=column,
                    rows=(first, last) if last != first else (first,),
                    n_rows=2 if last != first else 1,
                    expected=f"line {', '.join(missing)} (the total), as the other authorities' blocks have",
                    found=f"{block['old_la_code'].iloc[0]} {block['la_name'].iloc[0]} ({year - 1}-"
                    f"{year % 100:02d}): {len(block)} lines in rows {first} to {last}, without it",
                    hint="download or copy the file again; rsw-eval never totals a partial block",
                )
            )
    if problems:
        raise DataError(problems)


def last_row_whole(frame: pd.DataFrame, label: str) -> None:
    """Refuse a last row with cells empty that every other row fills (a file cut mid-row, as an
    interrupted download leaves it)."""
    if len(frame) < 3:
        return
    text = frame.astype(str).apply(lambda c: c.str.strip())
    filled = (text.iloc[:-1] != "").all()
    empty = [c for c in frame.columns if filled[c] and text[c].iloc[-1] == ""]
    if empty:
        raise DataError(
            Problem(
                label,
                "the last row is cut short (an interrupted download?)",
                column=empty[0],
                rows=(int(frame.index[-1]) + 2,),
                n_rows=1,
                expected="a value in every column, as in every other row",
                found=f"{len(empty)} empty cells: " + ", ".join(repr(c) for c in empty[:5]),
                hint="download the file again",
            )
        )


def la_numbers_given(frame: pd.DataFrame, column: str, label: str) -> None:
    """Refuse rows whose LA number is empty: merged cells (an authority's block merged down the LA
    columns, as a report is formatted) keep the number in their first row only, and the empty rest
    was read as LA number "000" (att12 M6).

    Examples
    --------
    >>> frame = pd.DataFrame({"LA": ["204", "", ""], "Line": ["1", "2", "3"]})
    >>> try:
    ...     la_numbers_given(frame, "LA", "s.xlsx")
    ... except DataError as error:
    ...     print(error)  # doctest: +ELLIPSIS
    s.xlsx, rows 3, 4, column 'LA': no LA number...found an empty cell. Hint: merged cells...
    """
    empty = frame[column].astype(str).str.strip().isin(["", "nan", "None"]).to_numpy()
    if empty.any():
        raise DataError(
            Problem.where(
                label,
                "no LA number",
                frame.index,
                empty,
                column=column,
                expected="the authority's LA number on every row",
                found="an empty cell",
                hint="merged cells keep their value in the first row only: unmerge them and fill the "
                "LA number and name down to every row of the authority's block",
            )
        )
