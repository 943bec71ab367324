"""Checks that each authority's block of a Section 52 / 251 outturn file is whole: a block without
its total line (rows deleted, a download cut short) would otherwise load with a smaller total.

May import: ``rsw_eval._errors``.
"""

from __future__ import annotations

import pandas as pd

from rsw_eval._errors import DataError, Problem

__all__ = ["blocks_have_totals", "last_row_whole"]


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
