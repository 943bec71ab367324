"""A table's column names, each once: a repeated name is an error wherever a table is read (a CSV,
a workbook's table below its title rows).

May import: ``rsw_eval._errors`` only.
"""

from __future__ import annotations

from collections.abc import Collection

from rsw_eval._errors import DataError, Problem, header_text

__all__ = ["unique_names"]


def unique_names(header: list[str], label: str, repeated: Collection[str] = ()) -> list[str]:
    """Stripped column names, blank ones as pandas names them; a repeated name is an error (it
    would be renamed ``NAME.1`` and one of the two silently ignored, or, in a workbook, make a
    column two and crash its reader: att12 M3) unless listed in ``repeated``.

    Examples
    --------
    >>> unique_names(["LA ", "", "Line"], "s.csv")
    ['LA', 'Unnamed: 1', 'Line']
    >>> try:
    ...     unique_names(["LA", "Total Expenditure (k)", "Total Expenditure (k)"], "s.xlsx")
    ... except DataError as error:
    ...     print(error)  # doctest: +ELLIPSIS
    s.xlsx, column 'Total Expenditure (k)': ...found 'Total Expenditure (k)' 2 times...
    """
    names = [
        h.strip() if h.strip() and h.strip().lower() != "nan" else f"Unnamed: {i}"
        for i, h in enumerate(header)
    ]
    seen: dict[str, int] = {}
    out = []
    for name in names:
        count = seen.get(name, 0)
        seen[name] = count + 1
        out.append(name if count == 0 else f"{name}.{count}")
    twice = sorted(n for n, k in seen.items() if k > 1 and n not in repeated)
    if twice:
        raise DataError(
            Problem(
                label,
                "the same column name appears more than once in the header",
                column=twice[0],
                expected="each column name once",
                found=header_text(", ".join(f"{n!r} {seen[n]} times" for n in twice)),
                hint="rename or delete the extra column; rsw-eval does not guess which one is meant",
            )
        )
    return out
