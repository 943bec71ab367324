"""``rsw-eval validate``: the loader and options for each ``--kind``."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import TYPE_CHECKING

from rsw_eval._errors import SpecError

if TYPE_CHECKING:  # pandas is imported by the loaders, not at start-up (rsw-eval --help stays instant)
    import pandas as pd

SURVEY_KINDS = ("worker_survey", "parent_survey")
PANEL_KINDS = (
    "dfe",
    "sfr",
    "ssda903",
    "outturn",
    "revenue",
    "indicators",
    "ofsted",
    "costs",
    "panel",
    "laa1",
    "workforce",
    "population",
)
KINDS = (*SURVEY_KINDS, *PANEL_KINDS, "neighbours", "deflator")


def _parse_pairs(pairs: Sequence[str], option: str, *, value_optional: bool = False) -> dict[str, str]:
    """``KEY=VALUE`` options into a dict (``KEY`` alone maps to itself when ``value_optional``)."""
    out = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep and value_optional:
            value = key
        elif not sep or not key.strip() or not value.strip():
            raise SpecError(f"{option} takes KEY=VALUE. Got {pair!r}.")
        out[key.strip()] = value.strip()
    from rsw_eval._personal import personal

    if any(personal(name) for name in out.values()):  # a name rsw-eval prints (findings-q17att Q5)
        raise SpecError(
            f"{option}: a name that may identify a person, or an identifier (not shown): give a "
            "name that says what the column is"
        )
    return out


def load(args: argparse.Namespace) -> pd.DataFrame:
    """Call the loader for ``--kind`` with the options that kind takes."""
    from rsw_eval import io
    from rsw_eval.comparison import neighbours as comparators

    kind, path = args.kind, args.file
    if kind in SURVEY_KINDS:
        options = {"mapping": _parse_pairs(args.map, "--map"), "sheet": args.sheet}
        if kind == "worker_survey":
            options["ghq_coding"] = args.ghq_coding
            options["check_ghq_coding"] = not args.no_ghq_coding_check
        loader = io.load_worker_survey if kind == "worker_survey" else io.load_parent_survey
        return loader(path, **options)
    if kind == "dfe":
        values = _parse_pairs(args.value, "--value", value_optional=True)
        filters = _parse_pairs(args.filter, "--filter") or None
        return io.load_dfe_table(path, value=values or None, filters=filters, sheet=args.sheet)
    if kind == "sfr":
        if not args.value:
            raise SpecError("--kind sfr needs --value COLUMN[=NAME] (e.g. --value children_looked_after)")
        return io.load_sfr_table(
            path,
            value=_parse_pairs(args.value, "--value", value_optional=True),
            year=args.year,
            on_unmapped=args.on_unmapped,
        )
    if kind == "ssda903":
        if not args.header or args.year is None or not args.la_code:
            raise SpecError(
                "--kind ssda903 takes the Episodes FILE with --header FILE, --year YEAR and --la-code CODE"
            )
        return io.load_ssda903(args.header, path, year=args.year, la_code=args.la_code)
    if kind == "outturn":
        if not args.expenditure:
            raise SpecError("--kind outturn needs --expenditure gross|net")
        return io.load_outturn(
            path,
            expenditure=args.expenditure,
            year=args.year,
            scope=args.scope,
            crosswalk=args.crosswalk,
            on_unmapped=args.on_unmapped,
            sheet=args.sheet,
        )
    if kind == "revenue":
        if not args.expenditure:
            raise SpecError("--kind revenue needs --expenditure gross|net")
        return io.load_revenue_outturn(
            path, expenditure=args.expenditure, scope=args.scope, sheet=args.sheet, year=args.year
        )
    if kind == "indicators":
        return io.load_dfe_indicators(path)
    if kind == "ofsted":
        return io.load_ofsted(path, sheet=args.sheet)
    if kind == "costs":
        return io.load_costs(path, mapping=_parse_pairs(args.map, "--map"))
    if kind == "panel":
        return io.load_panel(path)
    if kind == "laa1":
        return io.load_laa1(path, on_unmapped=args.on_unmapped)
    if kind == "workforce":
        return io.load_workforce(path, value=_parse_pairs(args.value, "--value", value_optional=True) or None)
    if kind == "population":
        return io.load_population(path)
    if kind == "deflator":
        return io.load_deflator(path, basis=args.basis, base=args.base, calendar=args.calendar)
    return comparators.load_statistical_neighbours(path)


def add_filter_option(parser: argparse.ArgumentParser, where: str) -> None:
    """``--filter COLUMN=VALUE`` (repeatable), the option the EES loader's hints name; parse it
    with :func:`_parse_pairs`. ``where`` says which files it applies to."""
    parser.add_argument(
        "--filter",
        action="append",
        default=[],
        metavar="COLUMN=VALUE",
        help=f"keep the rows of an EES filter column with this value {where}; repeatable, e.g. "
        "'population_type=Children looked after on 31 March each year'",
    )


def add_validate(sub: argparse._SubParsersAction, command) -> None:
    """The ``validate`` subcommand's parser; ``command`` runs it."""
    validate = sub.add_parser(
        "validate",
        help="check one input file and summarise it",
        description="Load FILE with the loader for --kind and report every problem (file, row, "
        "column, expected, found), or print a summary. The file is never modified.",
        epilog="examples: rsw-eval validate data/sample/admin_panel.csv --kind dfe | "
        "rsw-eval validate cla.csv --kind dfe --value children_count=children_looked_after "
        "--filter 'population_type=Children looked after on 31 March each year' | "
        "rsw-eval validate s52_outturn_0809.csv --kind outturn --expenditure gross | "
        "rsw-eval validate s251ye2013.xlsx --kind outturn --expenditure gross --sheet Sheet1 | "
        "rsw-eval validate sfr27-2010amv5.xls --kind laa1 --on-unmapped drop | "
        "rsw-eval validate GDP_Deflators_Budget_March_2020_update.xlsx --kind deflator --base 2018-19",
    )
    validate.add_argument(
        "file",
        metavar="FILE",
        help="a .csv, .xlsx, .xls, .ods or .parquet file (for ssda903: the Episodes file)",
    )
    validate.add_argument("--kind", required=True, choices=KINDS, help="the data contract of FILE")
    validate.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="OLD=NEW",
        help="rename a column to its canonical name (surveys, costs; repeatable)",
    )
    validate.add_argument(
        "--sheet",
        help="worksheet of a workbook (.xlsx, .xls, .ods) with several sheets (surveys, dfe, outturn, "
        "revenue, ofsted)",
    )
    validate.add_argument(
        "--ghq-coding",
        choices=("distress", "agree"),
        default="distress",
        help="coding of the positively worded GHQ-12 items (default: distress)",
    )
    validate.add_argument(
        "--no-ghq-coding-check",
        action="store_true",
        help="skip the check that the positively worded GHQ-12 items look reverse-coded "
        "(when you know the coding is right)",
    )
    validate.add_argument(
        "--value",
        action="append",
        default=[],
        metavar="COLUMN[=NAME]",
        help="indicator column to read, optionally renamed (dfe, sfr; repeatable)",
    )
    add_filter_option(validate, "(dfe)")
    validate.add_argument(
        "--threshold",
        type=int,
        default=5,
        metavar="T",
        help="the disclosure threshold: a panel's smallest or largest value that is a whole number "
        "from 1 to T prints as c; a survey's share or commonest count that is, or leaves, 1 to T "
        "is not shown (default 5: your spec's disclosure_threshold)",
    )
    validate.add_argument(
        "--rules",
        choices=("default", "dfe"),
        default="default",
        help="a panel's range is read from the values these disclosure rules publish "
        "(default: default; your spec's disclosure_rules; dfe fixes its own threshold, 7)",
    )
    validate.add_argument("--year", type=int, help="year ending 31 March (sfr, ssda903, outturn, revenue)")
    validate.add_argument("--header", metavar="FILE", help="SSDA903 Header file (ssda903)")
    validate.add_argument("--la-code", help="GSS code of the authority (ssda903)")
    validate.add_argument(
        "--expenditure",
        choices=("gross", "net"),
        help="total (gross) or net current expenditure (outturn, revenue)",
    )
    validate.add_argument(
        "--scope",
        choices=("childrens_social_care", "cyps"),
        default="childrens_social_care",
        help="lines summed into total_cost (outturn, revenue; default childrens_social_care)",
    )
    validate.add_argument("--crosswalk", metavar="FILE", help="your own outturn line crosswalk (outturn)")
    validate.add_argument(
        "--basis", choices=("financial", "calendar"), default="financial", help="years wanted (deflator)"
    )
    validate.add_argument("--base", metavar="YEAR", help="rebase to this year = 100, e.g. 2018-19 (deflator)")
    validate.add_argument(
        "--calendar",
        choices=("error", "allow"),
        default="error",
        help="financial years wanted, calendar years only in the workbook (deflator)",
    )
    validate.add_argument(
        "--on-unmapped",
        choices=("error", "drop"),
        default="error",
        help="rows of authorities abolished before GSS codes (sfr, outturn, laa1)",
    )
    validate.set_defaults(func=command)
