"""``rsw-eval screen``: every authority against its own neighbours, in one pass (its parser and
command; heavy modules are imported inside the command so that ``--help`` stays instant)."""

from __future__ import annotations

import argparse
import sys

from rsw_eval._errors import SpecError
from rsw_eval.cli._load import add_filter_option
from rsw_eval.cli._outputs import add_force_option

__all__ = ["add_screen"]

#: What ``--chart`` writes (matplotlib picks the format by suffix).
CHART_SUFFIXES = (".png", ".svg", ".pdf")


def _cmd_screen(args: argparse.Namespace) -> int:
    from pathlib import Path

    from rsw_eval.cli._load import _parse_pairs
    from rsw_eval.cli._outputs import check_folder, check_suffix, input_files, refuse_same_file
    from rsw_eval.cli._years import check_change_year
    from rsw_eval.evaluation._neutralise import neutralise
    from rsw_eval.evaluation.screen import national_screen
    from rsw_eval.inputs import load_inputs
    from rsw_eval.io._outputs import check_outputs, guarded
    from rsw_eval.publication import count_rules, protect_inputs, rule_set
    from rsw_eval.spec import EvaluationSpec, load_spec

    if args.spec:
        spec = load_spec(args.spec)
        args.not_people = spec.not_people  # the labels main's masks let through
    elif args.files:
        filters = _parse_pairs(args.filter, "--filter")
        entries = [
            {"path": str(Path(f).resolve()), "filters": filters} if filters else str(Path(f).resolve())
            for f in args.files
        ]
        spec = EvaluationSpec(data={"admin": entries})
    else:
        raise SpecError("give the panel files (EES or SFR tables, long panels) or --spec FILE")
    if args.neighbours:
        spec = spec.with_options(data={**spec.data, "neighbours": str(Path(args.neighbours).resolve())})
    year = args.year if args.year is not None else spec.intervention_year
    if args.adopters:
        if not spec.unit_model:
            raise SpecError("--adopters screens the spec's unit_model authorities; give --spec FILE")
        year = {code: spec.adoption_year(code) for code in spec.unit_model}
        if None in year.values():
            raise SpecError("--adopters needs each unit_model authority's year ([unit_model] CODE = YEAR)")
    elif year is None:
        raise SpecError("give --year YEAR (the first reporting year after the change)")
    if args.out:  # every check before any work (Q12, Q13, Q26, findings-q13in A2)
        check_folder(check_suffix(args.out, "--out", (".csv",)), "--out")
    if args.chart:
        check_folder(check_suffix(args.chart, "--chart", CHART_SUFFIXES), "--chart")
    refuse_same_file({"--out": args.out, "--chart": args.chart})
    read = input_files(spec, args.spec, *args.files, args.neighbours)
    outputs = {Path(p): option for p, option in ((args.out, "--out"), (args.chart, "--chart")) if p}
    check_outputs(outputs, read, force=args.force)  # before the screen runs
    inputs = load_inputs(spec, ["admin"])
    if inputs.panel is None:
        raise SpecError("the spec names no administrative data ([data] admin)")
    held = inputs.panel["year"].dropna().astype(int)
    option = "--year" if args.year is not None else "intervention_year"
    firsts = {f"[unit_model] {c} =": y for c, y in year.items()} if isinstance(year, dict) else {option: year}
    for option, first in firsts.items():  # before the screen runs (Q28)
        check_change_year(option, int(first), held)
    # the table, chart and summary are computed from the panel as it may be published
    rules, _ = count_rules(spec, inputs.panel, rule_set(spec.disclosure_rules, spec.disclosure_threshold))
    inputs, _ = protect_inputs(inputs, rules)
    comparators = args.comparators or ("statistical_neighbours" if inputs.neighbours is not None else "all")
    screen = national_screen(
        inputs.panel,
        year,
        neighbours=inputs.neighbours,
        comparators=comparators,
        design=args.design,
        indicators=args.indicator or None,
        adjust=args.adjust,
        disclosure_rules=None,  # protected above, by the spec's rules
    )
    if args.out:  # text cells a spreadsheet would run as a formula are neutralised
        with guarded({Path(args.out): "--out"}, read, force=args.force):
            neutralise(screen.table).to_csv(args.out, index=False, lineterminator="\n")
        print(f"wrote {args.out} ({len(screen.table)} rows)", file=sys.stderr)
    if args.chart:
        highlight = [c.strip() for c in args.highlight.split(",")] if args.highlight else []
        with guarded({Path(args.chart): "--chart"}, read, force=args.force):
            path = screen.chart(args.chart, indicator=args.chart_indicator, highlight=highlight)
        print(f"wrote {path}", file=sys.stderr)
    print("\n".join(f"- {n}" for n in screen.notes))
    print()
    print(screen.top(args.top).to_string(index=False, float_format=lambda v: f"{v:.3g}"))
    return 0


def add_screen(sub: argparse._SubParsersAction) -> None:
    screen = sub.add_parser(
        "screen",
        help="every authority against its own neighbours: which show a break after the change?",
        description="Run a difference-in-differences for every authority in the panel against its "
        "own statistical neighbours (or every other authority), in one pass, with exact placebo "
        "p-values adjusted within each indicator; print the ranked leads and write the table.",
        epilog="example: rsw-eval screen cla.csv cpp.csv --neighbours "
        "New_Statistical_Neighbour_Groupings_April_2021.csv --year 2019 --out screen.csv",
    )
    screen.add_argument("files", nargs="*", metavar="FILE", help="EES or SFR tables or long panels")
    screen.add_argument("--spec", metavar="FILE", help="evaluation spec: its [data] admin and neighbours")
    add_filter_option(screen, "(in every FILE)")
    screen.add_argument("--neighbours", metavar="FILE", help="DfE statistical neighbour groupings")
    screen.add_argument(
        "--year", type=int, help="first reporting year after the change (default: the spec's)"
    )
    screen.add_argument(
        "--adopters",
        action="store_true",
        help="screen only the spec's unit_model authorities, each from its own adoption year",
    )
    screen.add_argument(
        "--comparators",
        choices=("statistical_neighbours", "all"),
        help="default: statistical neighbours when given, else every other authority",
    )
    screen.add_argument(
        "--design", choices=("did", "its"), default="did", help="did or comparative its (default did)"
    )
    screen.add_argument("--indicator", action="append", default=[], help="indicator to screen (repeatable)")
    screen.add_argument(
        "--adjust", choices=("bh", "holm", "none"), default="bh", help="within indicator (default bh)"
    )
    screen.add_argument("--top", type=int, default=20, help="rows to print (default 20)")
    screen.add_argument("--out", metavar="FILE", help="write the whole ranked table (.csv)")
    screen.add_argument("--chart", metavar="FILE", help="write a ranked chart (.png, .svg or .pdf)")
    screen.add_argument(
        "--chart-indicator", metavar="NAME", help="indicator of the chart (default: top row's)"
    )
    screen.add_argument("--highlight", metavar="CODE,...", help="authorities to label on the chart")
    add_force_option(screen)
    screen.set_defaults(func=_cmd_screen)
