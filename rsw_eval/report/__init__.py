"""Evaluation reports (Forrester-style, Munro-style, annual council report) as HTML and PDF.

Build, then render: :func:`build` turns a :class:`~rsw_eval.Results` into frozen report data (after
disclosure control), and the templates in ``reports/templates/`` (shipped in the wheel, overridable
with ``templates=``) turn that into HTML; WeasyPrint turns the HTML into PDF.

May import: evaluation (the :class:`~rsw_eval.Results` it renders), disclosure, published and
the stages below them; never cli.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from pathlib import Path

from rsw_eval._errors import SpecError
from rsw_eval.evaluation.results import Results
from rsw_eval.io._outputs import guarded
from rsw_eval.report._build import STYLES, NothingToReport, ReportData, Section, build
from rsw_eval.report._render import pdf_bytes, render_html

__all__ = [
    "FORMATS",
    "STYLES",
    "NothingToReport",
    "ReportData",
    "Section",
    "build",
    "render",
    "render_all",
]

FORMATS = ("html", "pdf")


def render(
    results: Results,
    *,
    style: str,
    formats: tuple[str, ...] | list[str] = ("html",),
    out_dir: str | os.PathLike = "reports/out",
    templates: str | os.PathLike | None = None,
    authority: str | None = None,
    year: int | None = None,
    generated: str | None = None,
    rules: tuple[tuple[float, str], ...] | None = None,
    inputs: Iterable[str | os.PathLike] = (),
    force: bool = False,
) -> list[Path]:
    """Write one report in the given formats and return the paths.

    Parameters
    ----------
    results : Results
        From :func:`rsw_eval.compare`; the report is rendered only from it.
    style : {"forrester", "munro", "annual"}
        Comparative study of authorities; organisational before/after; or an authority's annual
        report (``authority`` and ``year``, default the unit-model authority and the latest year).
    formats : list of {"html", "pdf"}
        Output formats.
    out_dir : path
        Folder to write into (created).
    templates : path, optional
        A folder whose templates replace the shipped ones of the same name.
    generated : str, optional
        Date printed in the report (default today).
    rules : tuple of (bound, label), optional
        Effect-size labels for the summary (default Cohen 1988, see :mod:`rsw_eval.evaluation.interpret`).
    inputs, force : optional
        The files the evaluation read, which no report may be written over (by identity, hard and
        symbolic links included); ``force`` replaces an existing report rsw-eval did not write
        (:func:`rsw_eval.io._outputs.check_outputs`).

    Returns
    -------
    list of Path
        ``<style>.html`` and/or ``<style>.pdf`` in ``out_dir``.

    Examples
    --------
    >>> import tempfile, rsw_eval
    >>> res = rsw_eval.compare(rsw_eval.default_sample_spec("data/sample"), only=["cost"])
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     [p.name for p in render(res, style="munro", out_dir=tmp)]
    ['munro.html']
    """
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise SpecError(f"unknown report format {unknown[0]!r}; valid: {', '.join(FORMATS)}")
    extra = {"rules": rules} if rules is not None else {}
    data = build(results, style, authority=authority, year=year, generated=generated, **extra)
    html = render_html(data, templates)
    out = Path(out_dir)
    paths = [out / f"{style}.{fmt}" for fmt in FORMATS if fmt in formats]
    # laid out before any file is written: a template linking a local file writes nothing (A10)
    pdf = pdf_bytes(html, templates) if "pdf" in formats else b""
    with guarded(paths, inputs, force=force):  # checked before the folder is even made
        out.mkdir(parents=True, exist_ok=True)
        for path in paths:
            if path.suffix == ".html":
                path.write_text(html, encoding="utf-8")
            else:
                path.write_bytes(pdf)
    return paths


def _one(results: Results, style: str, options: dict) -> tuple[str, list[Path] | str]:
    try:
        return style, render(results, style=style, **options)
    except NothingToReport as exc:
        return style, str(exc)


def render_all(
    results: Results, styles: tuple[str, ...] | list[str], *, workers: int | None = None, **options
) -> dict[str, list[Path] | str]:
    """Write several report styles, in parallel processes where the platform can fork.

    Each style is built and laid out independently (WeasyPrint is single-threaded). By default
    every style gets its own process wherever there are two cores or more: on two cores three
    styles then share the cores and take about half their total time, where two workers took the
    longest style plus whichever followed on the same worker. Processes are forked on Linux
    only; elsewhere the styles are written one after another. ``options`` are those of
    :func:`render`. A style whose data are absent gives its :class:`NothingToReport` message
    instead of paths; any other error is raised.

    Returns
    -------
    dict
        style -> list of written paths, or the message saying why the style was skipped.

    Examples
    --------
    >>> import tempfile, rsw_eval
    >>> res = rsw_eval.compare(rsw_eval.default_sample_spec("data/sample"), only=["cost"])
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     out = render_all(res, ["munro", "forrester"], out_dir=tmp, workers=1)
    >>> [p.name for p in out["munro"]], out["forrester"].split(":")[0]
    (['munro.html'], 'forrester')
    """
    import multiprocessing

    from rsw_eval.report._annual import check_choice

    if "annual" in styles:  # a bad --year or --authority stops everything, before any file
        check_choice(results, options.get("authority"), options.get("year"))
    results = results.protected()  # once, before the styles (and their processes) share it
    workers = min(len(styles), workers or (len(styles) if (os.cpu_count() or 1) > 1 else 1))
    if workers < 2 or not sys.platform.startswith("linux"):  # fork is safe with Pango on Linux
        return dict(_one(results, s, options) for s in styles)
    from concurrent.futures import ProcessPoolExecutor

    import matplotlib.pyplot  # noqa: F401  imported once, before the fork, for every worker

    if "pdf" in options.get("formats", ()):
        import weasyprint  # noqa: F401
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        done = [pool.submit(_one, results, s, options) for s in styles]
        return dict(f.result() for f in done)
