"""The ``rsw-eval`` command line: parses arguments and calls the library, nothing more."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

import pandas as pd

from rsw_eval._errors import RswEvalError, SpecError
from rsw_eval._version import __version__

EXIT_BAD_INPUT = 2


def _loaders() -> dict[str, Callable[..., pd.DataFrame]]:
    from rsw_eval.io import load_parent_survey, load_worker_survey

    return {"worker_survey": load_worker_survey, "parent_survey": load_parent_survey}


def _parse_map(pairs: Sequence[str]) -> dict[str, str]:
    mapping = {}
    for pair in pairs:
        old, sep, new = pair.partition("=")
        if not sep or not old.strip() or not new.strip():
            raise SpecError(f"--map takes OLD=NEW (your column name = canonical name). Got {pair!r}.")
        mapping[old.strip()] = new.strip()
    return mapping


def _cmd_validate(args: argparse.Namespace) -> int:
    from rsw_eval.io import describe

    loader = _loaders()[args.kind]
    options = {"mapping": _parse_map(args.map), "sheet": args.sheet}
    if args.kind == "worker_survey":
        options["ghq_coding"] = args.ghq_coding
    frame = loader(args.file, **options)
    print(f"{args.file}: {args.kind}, {len(frame)} rows, {frame.shape[1]} columns, no problems found")
    with pd.option_context("display.max_colwidth", 80, "display.width", 160, "display.max_rows", 500):
        print(describe(frame).to_string())
    print()
    return 0


def _cmd_sample(args: argparse.Namespace) -> int:
    from rsw_eval.sample import generate_sample

    for path in generate_sample(args.out, seed=args.seed):
        print(f"wrote {path}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``rsw-eval`` (exposed for documentation and tests)."""
    parser = argparse.ArgumentParser(
        prog="rsw-eval",
        description="Reproduce and re-run evaluations of Reclaiming Social Work (the Hackney unit "
        "model): load survey, administrative and cost data and compare unit-model "
        "authorities with comparators.",
        epilog="Bad input gives one line per problem on stderr and exit status 2.",
    )
    parser.add_argument("--version", action="version", version=f"rsw-eval {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    validate = sub.add_parser(
        "validate",
        help="check one input file and summarise its columns",
        description="Load FILE with the loader for --kind, report every "
        "problem (file, row, column, expected, found) or print a "
        "per-column summary. The file is never modified.",
    )
    validate.add_argument("file", metavar="FILE", help="a .csv, .xlsx or .parquet file")
    validate.add_argument(
        "--kind",
        required=True,
        choices=sorted(_loaders()),
        help="which data contract the file follows",
    )
    validate.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="OLD=NEW",
        help="rename a column to its canonical name (repeatable)",
    )
    validate.add_argument("--sheet", help="worksheet of an XLSX file with several sheets")
    validate.add_argument(
        "--ghq-coding",
        choices=("distress", "agree"),
        default="distress",
        help="coding of the positively worded GHQ-12 items (default: distress)",
    )
    validate.set_defaults(func=_cmd_validate)

    sample = sub.add_parser(
        "sample",
        help="write the synthetic sample data set",
        description="Generate the synthetic, calibrated sample data (byte-for-byte reproducible for a seed).",
    )
    sample.add_argument("--out", required=True, metavar="DIR", help="folder to write into")
    sample.add_argument("--seed", type=int, default=20100401, help="random seed (default 20100401)")
    sample.set_defaults(func=_cmd_sample)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``rsw-eval``; returns the exit status (0 ok, 2 bad input)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except RswEvalError as exc:
        for line in exc.lines():
            print(f"rsw-eval: error: {line}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except ValueError as exc:  # invalid option values rejected by the library
        print(f"rsw-eval: error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
