"""``rsw-eval validate``: the loader and options for each ``--kind``."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import TYPE_CHECKING

from rsw_eval._errors import SpecError

if TYPE_CHECKING:  # pandas is imported by the loaders, not at start-up (rsw-eval --help stays instant)
    import pandas as pd

SURVEY_KINDS = ("worker_survey", "parent_survey")
PANEL_KINDS = ("dfe", "sfr", "ssda903", "outturn", "costs", "panel", "laa1", "workforce", "population")
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
    return out


def load(args: argparse.Namespace) -> pd.DataFrame:
    """Call the loader for ``--kind`` with the options that kind takes."""
    from rsw_eval import comparators, io

    kind, path = args.kind, args.file
    if kind in SURVEY_KINDS:
        options = {"mapping": _parse_pairs(args.map, "--map"), "sheet": args.sheet}
        if kind == "worker_survey":
            options["ghq_coding"] = args.ghq_coding
        loader = io.load_worker_survey if kind == "worker_survey" else io.load_parent_survey
        return loader(path, **options)
    if kind == "dfe":
        values = _parse_pairs(args.value, "--value", value_optional=True)
        return io.load_dfe_table(
            path, value=values or None, filters=_parse_pairs(args.filter, "--filter") or None
        )
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
        )
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
