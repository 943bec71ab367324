"""Names rsw-eval would print and publish from a file (a header's cells, an indicator, a cost
line, an authority's name) that may identify a person: refused, by row or cell, never echoed
(:func:`rsw_eval._personal.personal`; findings-q13in A13, q14 M5, M6, q16att N2, att14 1)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from rsw_eval._errors import NAME_PLACEHOLDER, DataError, Problem
from rsw_eval._identifier_shapes import OLD_ONS_CODE
from rsw_eval._personal import personal
from rsw_eval.io._controls import no_controls
from rsw_eval.io._identifiers import NOT_PEOPLE_HINT

__all__ = ["check_header", "no_personal_authority_names", "personal_names"]


def personal_names(
    names: pd.Series, label: str, rows: list, column: str | None, what: str, expected: str | None = None
) -> list[Problem]:
    """The problem (a list of none or one) with the names rsw-eval would print and publish (a header
    row's cells, an indicator, a cost line) that may identify a person
    (:func:`rsw_eval._personal.personal`: "Jane Quenby", "Quenby, Jane (rate)", ``W1001``, an e-mail
    address; findings-q14 M5, M6, findings-q13in A13). ``rows`` are the rows to report, one per
    name; ``column`` is the column holding the names, or None for a header row (whose cells are
    then named as Excel names them, ``G1``). Refused rather than masked: such a name is a row label
    of every output, and masked it would say nothing; a name typed where a measure's belongs is a
    mistake the user can fix in the file.

    Examples
    --------
    >>> personal_names(pd.Series(["children_looked_after", "Children in need"]), "p.csv", [2, 3],
    ...                "indicator", "an indicator name")
    []
    >>> print(*personal_names(pd.Series(["ghq1", "Jane Smith"]), "s.csv", [1, 1], None, "a column name"))
    ... # doctest: +NORMALIZE_WHITESPACE
    s.csv, row 1: a column name that may identify a person (a name, a staff number or an e-mail
    address), in cell B1; expected a column name that names a measure or a category (ghq1,
    children_looked_after, staffing ...), found text that may identify a person (not shown). Hint:
    rename the column or delete it: rsw-eval prints and publishes names like this one, and reads
    no table with a column per person; if it names no person (a ward or a house named after one),
    list it in the spec's not_people = ["..."]
    """
    bad = names.map(personal).to_numpy(dtype=bool)
    if not bad.any():
        return []
    from rsw_eval.io._formulas import cell_name

    at = [i for i, b in enumerate(bad) if b]
    shown_rows = sorted({int(rows[i]) for i in at if rows[i] is not None})
    named = [cell_name(int(rows[i]), i) if rows[i] else f"column {i + 1}" for i in at[:5]]
    cells = "" if column else f", in cell{'s' * (len(at) > 1)} {', '.join(named)}"
    return [
        Problem(
            label,
            f"{what} that may identify a person (a name, a staff number or an e-mail address){cells}",
            column=column,
            rows=tuple(shown_rows[:5]),
            n_rows=len(shown_rows),
            expected=expected
            or f"{what} that names a measure or a category (ghq1, children_looked_after, staffing ...)",
            found=NAME_PLACEHOLDER,
            hint=(
                "rename the column or delete it: rsw-eval prints and publishes names like this one, and "
                "reads no table with a column per person"
                if column is None
                else "correct the cell (a name typed into the wrong column?): rsw-eval prints and "
                "publishes it"
            )
            + NOT_PEOPLE_HINT,
        )
    ]


def check_header(names: list[str], label: str, row: int | None) -> None:
    """Refuse a header row (``names``, on row ``row`` of the file as Excel numbers it; None for a
    DataFrame) with a column name that may identify a person (:func:`personal_names`): every
    reader's header goes through here, the workbooks' raw readers' and SSDA903's too.

    Examples
    --------
    >>> check_header(["la_code", "CPP_start"], "p.csv", 1)  # measures: nothing to refuse
    >>> try:
    ...     check_header(["la_code", "Smith J"], "p.csv", 3)
    ... except DataError as error:
    ...     print(error.problems[0].rows, "Smith" in str(error))
    (3,) False
    """
    if bad := personal_names(
        pd.Series(names, dtype=object), label, [row] * len(names), None, "a column name"
    ):
        raise DataError(bad)  # a header is printed and published (findings-q13in A13)
    no_controls(names, label, "a column name", rows=() if row is None else (row,))  # findings-q18att F11


def no_personal_authority_names(panel: pd.DataFrame, label: str, rows: pd.Series | None) -> None:
    """Refuse an authority name (``la_name``) that may identify a person: reports print it as the
    authority's name in their headings, results in their notes (findings-q16att N2). The bundled
    authorities' names are names of places.

    Examples
    --------
    >>> p = pd.DataFrame({"la_name": ["Hackney", "Kensington & Chelsea", "E0101"]})
    >>> no_personal_authority_names(p, "p.csv", None)  # places and codes: nothing to refuse
    >>> try:
    ...     no_personal_authority_names(pd.DataFrame({"la_name": ["Southwark (ref W1001)"]}), "p.csv", None)
    ... except DataError as error:
    ...     print("W1001" in str(error), "may identify a person" in str(error))
    False True
    """
    names = panel["la_name"].fillna("").astype(str)
    # a person's name or an identifier (an e-mail address, a staff or NHS number: att14 1), but an
    # old ONS code (E0101), which stands in the name column of MHCLG's forms
    old_code = names.str.strip().str.fullmatch(OLD_ONS_CODE.pattern)
    first = ~names.duplicated() & names.map(personal).astype(bool) & ~old_code
    at = [
        None if rows is None or pd.isna(rows.iloc[i]) else int(rows.iloc[i])
        for i in np.flatnonzero(first.to_numpy())
    ]
    expected = "the authority's name as DfE or ONS gives it (Hackney, Kingston upon Hull, City of)"
    problems = personal_names(
        names[first].reset_index(drop=True), label, at, "la_name", "an authority name", expected
    )
    if problems:
        raise DataError(problems)
