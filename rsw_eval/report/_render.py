"""Render report data with Jinja2 (autoescaped) to HTML, and HTML to PDF with WeasyPrint."""

from __future__ import annotations

import importlib
import os
from pathlib import Path

from rsw_eval._errors import SpecError
from rsw_eval.report._build import ReportData

_REPO_TEMPLATES = Path(__file__).resolve().parents[2] / "reports" / "templates"


def template_dirs(override: str | os.PathLike | None = None) -> list[str]:
    """Template folders in search order: ``override``, then the shipped templates."""
    dirs = []
    if override is not None:
        path = Path(override)
        if not path.is_dir():
            raise SpecError(f"--templates {path}: not a folder")
        dirs.append(str(path))
    try:  # a namespace package in the wheel (the folder holds no Python)
        shipped = importlib.import_module("rsw_eval.templates")
        dirs.extend(str(p) for p in shipped.__path__ if Path(p, "base.html").is_file())
    except ModuleNotFoundError:
        pass
    if _REPO_TEMPLATES.is_dir():
        dirs.append(str(_REPO_TEMPLATES))
    return dirs


def render_html(data: ReportData, templates: str | os.PathLike | None = None) -> str:
    """The report as one self-contained HTML page (inline CSS and SVG)."""
    from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

    env = Environment(
        loader=FileSystemLoader(template_dirs(templates)),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env.get_template("base.html").render(report=data)


def render_pdf(html: str, path: Path) -> None:
    """A4 PDF of the HTML (print CSS: running header, page numbers, contents with pages)."""
    try:
        from weasyprint import HTML
    except ImportError:
        raise SpecError("PDF output needs WeasyPrint: pip install 'rsw-eval[pdf]'") from None
    HTML(string=html).write_pdf(path)
