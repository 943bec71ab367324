"""The ``rsw-eval`` command line: parses arguments and calls the library, nothing more."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import warnings
from collections.abc import Sequence

from rsw_eval._errors import RswEvalError, RswEvalWarning, mask_text, typed_paths
from rsw_eval._version import __version__
from rsw_eval.cli._load import PANEL_KINDS
from rsw_eval.cli._load import add_validate as _add_validate
from rsw_eval.cli._load import load as _load
from rsw_eval.cli._outputs import add_force_option, check_folder
from rsw_eval.cli._reported import add_check_reported as _add_check_reported
from rsw_eval.cli._run import cmd_compare, cmd_report
from rsw_eval.cli._screen import add_screen as _add_screen
from rsw_eval.cli._startup import check_source_date_epoch

# Heavy modules (pandas, SciPy, statsmodels, the loaders and the engine) are imported inside the
# commands that use them, so that --help, --version and argument errors answer at once.

EXIT_BAD_INPUT = 2


def _cmd_validate(args: argparse.Namespace) -> int:
    import pandas as pd

    from rsw_eval.io import describe, describe_panel
    from rsw_eval.io._authority import is_area
    from rsw_eval.io._describe import count_text
    from rsw_eval.io._threshold import check_threshold
    from rsw_eval.publication import protected_panel

    check_threshold(args.threshold, "--threshold")
    threshold = 7 if args.rules == "dfe" else args.threshold  # DfE's rules fix their own
    frame = _load(args)
    if args.kind in PANEL_KINDS:
        areas = frame["la_code"][is_area(frame["la_code"])].nunique()
        shape = (
            f"{len(frame)} panel rows, {frame['la_code'].nunique() - areas} authorities"
            + (f" and {areas} national or regional area{'s' if areas > 1 else ''}" if areas else "")
            + f", {frame['indicator'].nunique()} indicators"
        )
        published = protected_panel(frame, args.rules, threshold)  # the range of what may be published
        summary = describe_panel(frame, threshold, published)
    elif args.kind == "deflator":
        shape = f"{frame['index'].notna().sum()} {frame['basis'].iloc[0]}s, base {frame['base'].iloc[0]}"
        summary = frame[frame["index"].notna()].set_index("period")[["year", "index"]].tail(12)
        print(f"vintage: {frame['vintage'].iloc[0]}")
    elif args.kind == "neighbours":
        shape = f"{frame['la_code'].nunique()} authorities, {len(frame)} neighbour pairs"
        summary = frame.groupby("closeness").size().rename("pairs").to_frame()
    else:
        shape = f"{count_text(len(frame), threshold)} rows, {frame.shape[1]} columns"  # rows are people
        summary = describe(frame, threshold)  # no count from 1 to T, nor one given back by rows or n
    print(f"{args.file}: {args.kind}, {shape}, no problems found")
    with pd.option_context("display.max_colwidth", 80, "display.width", 160, "display.max_rows", 500):
        print(summary.to_string())
    if args.kind in PANEL_KINDS and (summary[["min", "max"]] == "c").any(axis=None):
        print(f"c: a whole number from 1 to {threshold} (it may be a count), not shown")
    if args.kind in PANEL_KINDS and summary["hidden"].any():
        print(f"hidden: values the {args.rules} disclosure rules hide, left out of min and max")
    print()
    return 0


def _cmd_sample(args: argparse.Namespace) -> int:
    from rsw_eval.sample import generate_sample

    check_folder(args.out, "--out", create=True)
    for path in generate_sample(args.out, seed=args.seed, force=args.force):
        print(f"wrote {path}")
    return 0


def _add_spec_options(parser: argparse.ArgumentParser) -> None:
    """DATA_DIR, --spec and the settings that override the spec (compare and report)."""
    parser.add_argument(
        "data_dir",
        nargs="?",
        metavar="DATA_DIR",
        help="folder of the data (with no --spec: the bundled sample spec)",
    )
    parser.add_argument("--spec", metavar="FILE", help="evaluation spec (TOML)")
    parser.add_argument("--confidence", type=float, help="confidence level (default 0.95)")
    parser.add_argument(
        "--adjust",
        choices=("stepdown", "holm", "bh", "none"),
        help="multiplicity adjustment within each question (default stepdown: Westfall-Young over "
        "the joint permutation distribution, Holm where there is none)",
    )
    parser.add_argument("--seed", type=int, help="seed of every resampling step")
    parser.add_argument(
        "--authority",
        metavar="CODE",
        help="the authority the evaluation is about (GSS code or old DfE number): its own comparators "
        "and adoption year; an authority that is not a unit-model one is benchmarked only",
    )
    parser.add_argument(
        "--adoption-year",
        type=int,
        metavar="YEAR",
        help="with --authority: its first year (ending 31 March) with the model, for an authority "
        "the spec does not list in [unit_model] (one it gives another year is refused: exit 2, as is "
        "a year with no year of the authority's data before it or none from it on)",
    )


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
    _add_validate(sub, _cmd_validate)
    compare = sub.add_parser(
        "compare",
        help="compare unit-model authorities with comparators",
        description="Run every design the data allow (cross-section, consistency, multilevel, "
        "before/after, difference-in-differences, interrupted time series, cost change) "
        "and print or write one tidy results table with effect sizes, CIs, tests and "
        "adjusted p-values, checked against the published figures.",
    )
    _add_spec_options(compare)
    compare.add_argument("--out", metavar="FILE", help="write the results: .csv, .json or .parquet")
    compare.add_argument(
        "--unprotected",
        action="store_true",
        help="write and print the survey cells unsuppressed (the file is named .unprotected; not for "
        "publication; administrative estimates always come from the protected panel; default: the "
        "protected publication every report is rendered from)",
    )
    compare.add_argument("--only", metavar="FAMILY,...", help="families to run: worker, parent, admin, cost")
    add_force_option(compare)
    compare.add_argument(
        "--format",
        choices=("table", "csv", "json"),
        default="table",
        help="what to print on stdout (default: a readable table)",
    )
    compare.set_defaults(func=cmd_compare)
    report = sub.add_parser(
        "report",
        help="write evaluation reports as HTML and PDF",
        description="Run the comparison, then write Forrester-style, Munro-style or annual reports "
        "(after disclosure control) as self-contained HTML and A4 PDF.",
    )
    _add_spec_options(report)
    report.add_argument(
        "--style",
        default="forrester,munro,annual",
        help="forrester, munro and/or annual, comma-separated (default: all three)",
    )
    report.add_argument("--format", default="html,pdf", help="html and/or pdf (default: both)")
    report.add_argument(
        "--out", default="reports/out", metavar="DIR", help="folder to write into (default reports/out)"
    )
    report.add_argument("--year", type=int, help="year (ending 31 March) of the annual report")
    report.add_argument(
        "--templates",
        metavar="DIR",
        help="templates that replace the shipped ones (trusted code: rendered in Jinja2's sandbox,"
        " but they shape what is published)",
    )
    add_force_option(report)
    report.set_defaults(func=cmd_report)
    _add_check_reported(sub)
    sample = sub.add_parser(
        "sample",
        help="write the synthetic sample data set",
        description="Generate the synthetic, calibrated sample data (byte-for-byte reproducible for a seed).",
    )
    sample.add_argument("--out", required=True, metavar="DIR", help="folder to write into")
    sample.add_argument("--seed", type=int, default=20100401, help="random seed (default 20100401)")
    add_force_option(sample)
    sample.set_defaults(func=_cmd_sample)
    _add_screen(sub)
    return parser


def _masked(args: argparse.Namespace, text: str) -> str:
    """``text`` as :func:`rsw_eval._errors.mask_text` masks it, but for the labels the command's
    spec declares in ``not_people`` (set on ``args`` when the spec is read).

    Examples
    --------
    >>> args = argparse.Namespace(not_people=("Florence Nightingale ward",))
    >>> _masked(args, "Florence Nightingale ward: 3 rows"), _masked(args, "Jane Quenby ward: 3 rows")
    ('Florence Nightingale ward: 3 rows', 'text that may identify a person (not shown) ward: 3 rows')
    """
    from rsw_eval._personal import not_people

    with not_people(getattr(args, "not_people", ())), typed_paths(getattr(args, "typed_paths", ())):
        return mask_text(text)


def _paths_typed(argv: Sequence[str]) -> tuple[str, ...]:
    """The arguments that name a file or a folder, as typed and as :class:`pathlib.Path` writes
    them (a message names a file by ``str(path)``): printed as they are (att12 M2).

    Examples
    --------
    >>> _paths_typed(["validate", "./d/harry.csv", "--kind", "costs", "--spec=s.toml"])
    ('./d/harry.csv', 'd/harry.csv', 's.toml')
    """
    from pathlib import Path

    values = [a.partition("=")[2] if a.startswith("--") else a for a in argv]
    paths = [v for v in values if v and ("/" in v or os.sep in v or Path(v).suffix or Path(v).exists())]
    return tuple(dict.fromkeys(p for v in paths for p in (v, str(Path(v)))))


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``rsw-eval``; returns the exit status (0 ok, 2 bad input)."""
    args = build_parser().parse_args(argv)
    args.typed_paths = _paths_typed(sys.argv[1:] if argv is None else argv)
    try:
        check_source_date_epoch()
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", RswEvalWarning)
            status = args.func(args)
        # numpy, pandas and matplotlib warnings are not the user's to act on; a warning the run gave
        # twice (a report compares the whole data set and then the authority) is printed once
        said = dict.fromkeys(
            _masked(args, str(w.message)) for w in caught if issubclass(w.category, RswEvalWarning)
        )
        for text in said:
            print(f"rsw-eval: warning: {text}", file=sys.stderr)
        return status
    except RswEvalError as exc:
        for line in exc.lines():  # a Problem's line is masked already; a SpecError's is here
            print(f"rsw-eval: error: {_masked(args, line)}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except ValueError as exc:  # invalid option values rejected by the library
        print(f"rsw-eval: error: {_masked(args, str(exc))}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except BrokenPipeError:  # the reader closed stdout early (`| head`): not an error
        with contextlib.suppress(OSError, ValueError, AttributeError):  # no flush error at exit
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except OSError as exc:  # a file or folder that cannot be read or written
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"rsw-eval: error: {where}{(exc.strerror or str(exc)).lower()}", file=sys.stderr)
        return EXIT_BAD_INPUT
