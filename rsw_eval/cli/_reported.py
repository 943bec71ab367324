"""``rsw-eval check-reported``: recompute reported p-values from their statistics (its parser and
command; pandas and SciPy are imported inside the command so that ``--help`` stays instant)."""

from __future__ import annotations

import argparse

__all__ = ["add_check_reported"]

#: The columns of the table, as the command's help lists them.
COLUMNS = (
    "test (t, F, chi2, z, r), statistic, df (df1 and df2 for F), p (a sign typed before it, as in <.001, "
    "is its comparison) and optionally comparison (=, <, >)"
)


def _rows(frame, info) -> tuple[list[dict], list]:
    """Every row's arguments of :func:`~rsw_eval.stats.check_reported`, and the problems of the rows
    that cannot be checked (all of them, so that the table is fixed in one pass)."""
    from rsw_eval._errors import Problem
    from rsw_eval.io._identifiers import shown
    from rsw_eval.stats._published import reported_problems

    has_f = {"df1", "df2"} <= set(frame.columns)
    rows, problems = [], []
    for row, r in zip(info.row_numbers(frame.index), frame.to_dict("records"), strict=True):
        test = str(r["test"]).strip()
        if test == "F" and not has_f:
            problems.append(
                Problem(
                    info.label,
                    "an F test needs both degrees of freedom",
                    column="df1, df2",
                    rows=(row,),
                    n_rows=1,
                    expected="columns df1 and df2",
                    found="no such columns",
                )
            )
            continue
        df = (r["df1"], r["df2"]) if test == "F" else r.get("df", "")
        df = None if test == "z" else df
        comparison = str(r.get("comparison") or "").strip() or None  # None: the p's own sign, or =
        wrong = reported_problems(test, r["statistic"], df, r["p"], comparison)
        for field, expected, found in wrong:
            column = "df1, df2" if field == "df" and test == "F" else field
            problems.append(
                Problem(
                    info.label,
                    f"a reported {test if field != 'test' else 'test'} that cannot be checked",
                    column=column,
                    rows=(row,),
                    n_rows=1,
                    expected=expected,
                    found=shown(found),
                )
            )
        if not wrong:
            rows.append({"row": row, "args": (test, str(r["statistic"]), df, str(r["p"])), "cmp": comparison})
    return rows, problems


def _cmd_check_reported(args: argparse.Namespace) -> int:
    import pandas as pd

    from rsw_eval._errors import DataError, SpecError
    from rsw_eval.io._read import read_table
    from rsw_eval.stats import check_reported

    frame, info = read_table(args.file)
    missing = [c for c in ("test", "statistic", "p") if c not in frame.columns]
    if missing:
        raise SpecError(f"{info.label}: check-reported needs columns {COLUMNS}; missing {', '.join(missing)}")
    rows, problems = _rows(frame, info)
    if problems:  # no verdict about a paper from a table with values no test can have
        raise DataError(problems)
    table = pd.concat(
        [check_reported(*r["args"], comparison=r["cmp"]).to_frame().assign(row=r["row"]) for r in rows],
        ignore_index=True,
    )
    cols = ["row", "test", "statistic", "df", "p_reported", "p_computed", "consistent", "decision_error"]
    with pd.option_context("display.width", 160, "display.max_rows", 1000):
        print(table[cols].to_string(index=False, float_format=lambda v: f"{v:.4g}"))
    bad = int((~table["consistent"]).sum())
    print(f"\n{len(table)} checked: {bad} inconsistent, {int(table['decision_error'].sum())} decision errors")
    return 0


def add_check_reported(sub: argparse._SubParsersAction) -> None:
    check = sub.add_parser(
        "check-reported",
        help="recompute reported p-values from their statistics (statcheck-style)",
        description=f"FILE has columns {COLUMNS}. Values are read as text so that trailing zeros count "
        "as reported decimals. A row that cannot be checked (an unknown test, degrees of freedom that "
        "are not positive, a correlation outside -1 to 1 ...) is an error, never a verdict.",
    )
    check.add_argument("file", metavar="FILE", help="a .csv, .xlsx or .parquet table")
    check.set_defaults(func=_cmd_check_reported)
