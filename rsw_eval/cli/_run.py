"""The commands that run the comparison: ``compare`` (the results table) and ``report`` (the
reports rendered from it), with what they share (the spec from the options, ``--authority``,
``--adoption-year``, the progress bar)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from rsw_eval._errors import SpecError
from rsw_eval.cli._annual import annual_results
from rsw_eval.cli._outputs import check_folder, check_suffix, input_files, no_unprotected_in
from rsw_eval.cli._years import check_change_year

__all__ = ["cmd_compare", "cmd_report"]


def _progress(done: int, total: int, label: str) -> None:
    """A one-line progress bar on stderr (only when stderr is a terminal)."""
    if not sys.stderr.isatty():
        return
    width = 24
    filled = round(width * done / total)
    sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} {label:<28}")
    if done == total:
        sys.stderr.write("\n")
    sys.stderr.flush()


def _spec_for(args: argparse.Namespace):
    from rsw_eval.spec import default_sample_spec, load_spec

    if args.spec:
        spec = load_spec(args.spec, data_dir=args.data_dir)
        args.not_people = spec.not_people  # the labels main's masks let through
    elif args.data_dir:
        spec = default_sample_spec(args.data_dir)
    else:
        raise SpecError("give a DATA_DIR (the bundled spec describes `rsw-eval sample` data) or --spec FILE")
    spec = spec.with_options(confidence=args.confidence, adjust=args.adjust, seed=args.seed)
    if getattr(args, "adoption_year", None) is not None:
        if not args.authority:
            raise SpecError(
                "--adoption-year needs --authority (the authority that adopted the model that year)"
            )
        spec = spec.with_adopter(_authority(args), args.adoption_year)
    return spec


def _check_adoption_year(args: argparse.Namespace, results) -> None:
    """Refuse an --adoption-year outside the years the data hold for the authority (exit 2, before
    anything is written): with no year before it, or none from it on, nothing can compare before
    and after the model, and a pair of later years would read as a change since it began."""
    year, code = getattr(args, "adoption_year", None), _authority(args)
    series = results.series
    if year is None or not len(series):
        return
    own = series[series["la_code"] == code]
    who = f"{own['la_name'].iloc[0]} ({code})" if "la_name" in own and len(own) else code
    check_change_year("--adoption-year", year, own["year"].astype(int), f"{who}'s ")


def _authority(args: argparse.Namespace) -> str | None:
    """--authority as a GSS code (old 3-digit DfE numbers accepted: 204 -> E09000012)."""
    from rsw_eval.io._lacodes import gss_code

    return gss_code(args.authority.strip()) if getattr(args, "authority", None) else None


def cmd_compare(args: argparse.Namespace) -> int:
    from rsw_eval.evaluation._neutralise import UNPROTECTED
    from rsw_eval.evaluation.engine import compare
    from rsw_eval.evaluation.results import Results
    from rsw_eval.io._outputs import check_outputs

    spec = _spec_for(args)
    only = [f.strip() for f in args.only.split(",")] if args.only else None
    inputs = input_files(spec, args.spec)
    out = _out_file(args.out, args.unprotected) if args.out else None
    if out:  # every file --out writes, checked before the comparison runs
        files = Results.output_files(out)
        check_outputs({f: "--out" if f == out else "" for f in files}, inputs, force=args.force)
    results = compare(spec, only=only, progress=_progress, authority=_authority(args))
    _check_adoption_year(args, results)
    protected = not args.unprotected
    shown = results.protected() if protected else results  # every output below comes from it
    if out:
        path = shown.write(out, protected=protected, inputs=inputs, force=args.force)
        what = "protected: small cells suppressed" if protected else UNPROTECTED
        print(
            f"wrote {path} ({len(shown.table)} rows, {len(shown.skipped)} skipped, {what})",
            file=sys.stderr,
        )
    if args.format == "csv":
        sys.stdout.write(shown.to_csv(protected=protected))
    elif args.format == "json":
        sys.stdout.write(shown.to_json(protected=protected) + "\n")
    else:
        print(shown.summary(protected=protected))
    checks = shown.checks_summary(protected=protected)
    if checks:  # beside a machine-readable stdout, the checks go to stderr
        print("\n" + checks, file=sys.stdout if args.format == "table" else sys.stderr)
    if args.format != "table" and len(shown.skipped):
        for r in shown.skipped.itertuples():
            print(
                f"rsw-eval: not estimated: {r.design} {r.outcome}: {r.reason}".replace("  ", " "),
                file=sys.stderr,
            )
    return 0


def _out_file(out: str, unprotected: bool) -> Path:
    """Where ``compare --out`` writes. An unprotected table is named so and is never written among
    published reports (``reports/out``)."""
    from rsw_eval.evaluation.results import OUTPUT_FORMATS
    from rsw_eval.io._outputs import holds_reports

    path = Path(out)
    if unprotected:
        if "unprotected" not in path.name.lower():
            path = path.with_name(f"{path.stem}.unprotected{path.suffix}")
        folder = path.resolve().parent
        parts = [p.casefold() for p in folder.parts]
        named = any(parts[k : k + 2] == ["reports", "out"] for k in range(len(parts) - 1))
        if named or any(holds_reports(f) for f in (folder, *folder.parents)):  # q18att F8
            raise SpecError(
                f"--unprotected: {path} is inside a folder of published reports (reports/out, or one "
                "rsw-eval wrote a report into); write the unprotected table to another folder"
            )
    if path.is_dir():
        raise SpecError(f"--out {out}: is a folder; give a file name ending .csv, .json or .parquet")
    check_suffix(path, "--out", OUTPUT_FORMATS)  # before the comparison runs
    return check_folder(path, "--out")


def cmd_report(args: argparse.Namespace) -> int:
    from rsw_eval.evaluation.engine import compare
    from rsw_eval.io._outputs import check_outputs
    from rsw_eval.report import FORMATS, STYLES, render_all
    from rsw_eval.report._render import check_templates

    styles = [s.strip() for s in args.style.split(",")]
    formats = [f.strip() for f in args.format.split(",")]
    for value, valid, what in ((styles, STYLES, "style"), (formats, FORMATS, "format")):
        unknown = [v for v in value if v not in valid]
        if unknown:
            raise SpecError(f"unknown report {what} {unknown[0]!r}; valid: {', '.join(valid)}")
    if Path(args.out).exists() and not Path(args.out).is_dir():
        raise SpecError(f"--out {args.out}: is a file; reports are written into a folder")
    check_folder(args.out, "--out", create=True)
    no_unprotected_in(args.out)
    check_templates(args.templates)
    spec = _spec_for(args)
    inputs = input_files(spec, args.spec, args.templates)
    outputs = [Path(args.out) / f"{style}.{fmt}" for style in styles for fmt in formats]
    check_outputs(outputs, inputs, force=args.force)  # before the comparison runs
    authority = _authority(args)
    results = compare(spec, progress=_progress, authority=authority)  # = compare --authority
    _check_adoption_year(args, results)
    options = dict(
        formats=formats, out_dir=args.out, templates=args.templates, inputs=inputs, force=args.force
    )
    runs = [(results, styles, authority)]
    if "annual" in styles:  # X's own analysis, its years with the model ending at --year
        annual, about = annual_results(spec, authority, args.year, results, compare, _progress)
        if annual is not results:  # the annual first: a bad --year stops it before any file
            runs = [(annual, ["annual"], about), (results, [s for s in styles if s != "annual"], authority)]
    written = {}
    for shown, some, who in runs:
        if some:
            written |= render_all(shown, some, authority=who, year=args.year, **options)
    written = {s: written[s] for s in styles}
    for out in written.values():
        if isinstance(out, str):  # a style whose data are absent: say so, write nothing
            print(f"rsw-eval: skipped {out}", file=sys.stderr)
        else:
            for path in out:
                print(f"wrote {path}")
    if all(isinstance(out, str) for out in written.values()):
        raise SpecError(f"no report written: the data hold nothing for {', '.join(styles)}")
    return 0
