"""Render report data with Jinja2 (autoescaped) to HTML, and HTML to PDF with WeasyPrint.

Fonts: the PDF is laid out with the DejaVu Sans files that matplotlib ships in ``mpl-data/fonts/ttf``
(matplotlib is a dependency, so every installation has them), declared with ``@font-face`` under the
family the stylesheet names. The layout therefore never depends on the fonts a machine happens to have;
the HTML names the same family first and falls back to Verdana/Arial in a browser.
"""

from __future__ import annotations

import importlib
import os
from functools import cache
from pathlib import Path

from rsw_eval._errors import SpecError
from rsw_eval.report._build import ReportData

_REPO_TEMPLATES = Path(__file__).resolve().parents[2] / "reports" / "templates"
#: (families, weight, style, file in matplotlib's mpl-data/fonts/ttf): the stylesheet names
#: "rsw-eval Sans"; charts (matplotlib SVG) name "DejaVu Sans"; both resolve to the bundled files.
_FACES = (
    (("rsw-eval Sans", "DejaVu Sans"), "normal", "normal", "DejaVuSans.ttf"),
    (("rsw-eval Sans", "DejaVu Sans"), "bold", "normal", "DejaVuSans-Bold.ttf"),
    (("rsw-eval Sans", "DejaVu Sans"), "normal", "italic", "DejaVuSans-Oblique.ttf"),
    (("rsw-eval Sans", "DejaVu Sans"), "bold", "italic", "DejaVuSans-BoldOblique.ttf"),
    (("rsw-eval Mono", "DejaVu Sans Mono"), "normal", "normal", "DejaVuSansMono.ttf"),
)


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


def _environment(templates: str | os.PathLike | None):
    from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

    return Environment(
        loader=FileSystemLoader(template_dirs(templates)),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def check_templates(templates: str | os.PathLike | None) -> None:
    """Compile every template of a ``--templates`` folder, so that a syntax error is one line
    (file, line, what) before the comparison runs, not a traceback after it."""
    from jinja2 import TemplateSyntaxError

    if templates is None:
        return
    env = _environment(templates)
    for path in sorted(Path(templates).glob("*.html")):
        try:
            env.get_template(path.name)
        except TemplateSyntaxError as exc:
            raise SpecError(
                f"{exc.filename or path}, line {exc.lineno}: template syntax error ({exc.message})"
            ) from None


def render_html(data: ReportData, templates: str | os.PathLike | None = None) -> str:
    """The report as one self-contained HTML page (inline CSS and SVG).

    A template of ``templates`` that does not compile or fails while rendering (an unknown name, a
    bad filter) is a :class:`~rsw_eval.SpecError` naming it; the shipped templates never fail.
    """
    from jinja2 import TemplateError

    check_templates(templates)
    try:
        return _environment(templates).get_template("base.html").render(report=data)
    except (TemplateError, TypeError, ValueError, AttributeError) as exc:
        if templates is None:
            raise
        raise SpecError(f"--templates: a template failed ({type(exc).__name__}: {exc})") from None


def bundled_fonts() -> list[Path]:
    """The font files the PDF uses (matplotlib's DejaVu TTFs; missing files are left out)."""
    import matplotlib

    folder = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    return [folder / f for *_, f in _FACES if (folder / f).is_file()]


@cache
def _font_css() -> str:
    import matplotlib

    folder = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    return "\n".join(
        f'@font-face {{ font-family: "{family}"; font-weight: {weight}; font-style: {style}; '
        f"src: url({(folder / name).as_uri()}); }}"
        for families, weight, style, name in _FACES
        for family in families
        if (folder / name).is_file()
    )


def layout(html: str):
    """The laid-out WeasyPrint document of the HTML, with the bundled fonts (for PDF and tests)."""
    try:
        from weasyprint import CSS, HTML
        from weasyprint.text.fonts import FontConfiguration
    except ImportError:
        raise SpecError("PDF output needs WeasyPrint: pip install 'rsw-eval[pdf]'") from None
    fonts = FontConfiguration()
    css = CSS(string=_font_css(), font_config=fonts)
    return HTML(string=html).render(stylesheets=[css], font_config=fonts)


def render_pdf(html: str, path: Path) -> None:
    """A4 PDF of the HTML (print CSS: running header, page numbers, contents with pages)."""
    layout(html).write_pdf(path)
