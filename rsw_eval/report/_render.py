"""Render report data with Jinja2 (autoescaped) to HTML, and HTML to PDF with WeasyPrint.

Fonts: the PDF is laid out with the DejaVu Sans files that matplotlib ships in ``mpl-data/fonts/ttf``
(matplotlib is a dependency, so every installation has them), declared with ``@font-face`` under the
family the stylesheet and the charts name first ("rsw-eval Sans"; one family per file, so each file is
embedded once). The layout therefore never depends on the fonts a machine happens to have; the HTML
names the same family first and falls back to DejaVu Sans, Verdana or Arial in a browser.

The PDF is tagged PDF/UA-1 (structure tree, the document's language and title, each chart's text
alternative as its figure's ``/Alt``) and byte-reproducible: the same report data and the same
versions of rsw-eval, WeasyPrint, Pango and HarfBuzz give the same bytes, so a council can check a
published file by rendering it again. The file identifier is a hash of the content; the creation
date is the report's own date; the subset fonts carry a fixed timestamp (fontTools, which WeasyPrint
uses where HarfBuzz's subsetter is missing, would otherwise stamp the current second).

WeasyPrint fetches only what rsw-eval itself puts in a report: the bundled font files and ``data:``
URIs (:func:`allowed_url`). Any other URL a ``--templates`` folder links (``file://``, ``http://``;
as an attachment, image, object or stylesheet) is refused with a :class:`~rsw_eval.SpecError`
before any file is written, since WeasyPrint would otherwise embed that file in the published PDF
(findings-q13in A10: a template linking the raw survey carried it inside the "protected" PDF).
"""

from __future__ import annotations

import contextlib
import importlib
import os
from functools import cache
from pathlib import Path

from rsw_eval._errors import SpecError
from rsw_eval.report._build import ReportData

_REPO_TEMPLATES = Path(__file__).resolve().parents[2] / "reports" / "templates"
#: (family, weight, style, file in matplotlib's mpl-data/fonts/ttf): the stylesheet and the charts
#: (``_accessible.FONT``) name "rsw-eval Sans" first.
_FACES = (
    ("rsw-eval Sans", "normal", "normal", "DejaVuSans.ttf"),
    ("rsw-eval Sans", "bold", "normal", "DejaVuSans-Bold.ttf"),
    ("rsw-eval Sans", "normal", "italic", "DejaVuSans-Oblique.ttf"),
    ("rsw-eval Sans", "bold", "italic", "DejaVuSans-BoldOblique.ttf"),
    ("rsw-eval Mono", "normal", "normal", "DejaVuSansMono.ttf"),
)
#: What the PDF is: tagged PDF/UA-1, its /ID a hash of its content (see the module docstring).
PDF_OPTIONS = {"pdf_variant": "pdf/ua-1", "pdf_identifier": True}
#: 2000-01-01T00:00:00Z: the timestamp fontTools writes into subset fonts (SOURCE_DATE_EPOCH).
FONT_EPOCH = "946684800"


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


#: What a template may include, import or extend: templates and their style sheet, nothing else.
TEMPLATE_SUFFIXES = (".html", ".css")


def _loader(dirs: list[str]):
    """A Jinja2 file loader that serves only templates (:data:`TEMPLATE_SUFFIXES`) that are inside
    their folder, symbolic links resolved: ``{% include "worker_survey.csv" %}`` in a ``--templates``
    folder published the raw survey in the report (findings-q14 T1).

    Examples
    --------
    >>> import tempfile
    >>> from jinja2 import Environment, TemplateNotFound
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     _ = (Path(tmp) / "data.csv").write_text("W1001,yes")
    ...     env = Environment(loader=_loader([tmp]))
    ...     try:
    ...         env.get_template("data.csv")
    ...     except TemplateNotFound as error:
    ...         print("refused:", error)
    refused: data.csv (only .html and .css files inside the templates folder are templates)
    """
    from jinja2 import FileSystemLoader, TemplateNotFound

    class _Templates(FileSystemLoader):
        def get_source(self, environment, template):
            source, filename, uptodate = super().get_source(environment, template)
            real = Path(filename).resolve()
            inside = any(real.is_relative_to(Path(d).resolve()) for d in self.searchpath)
            if real.suffix.lower() not in TEMPLATE_SUFFIXES or not inside:
                raise TemplateNotFound(
                    f"{template} (only {' and '.join(TEMPLATE_SUFFIXES)} files inside the templates folder "
                    "are templates)"
                )
            return source, filename, uptodate

    return _Templates(dirs)


def _environment(templates: str | os.PathLike | None):
    """The Jinja2 environment: sandboxed, since a ``--templates`` folder is the user's code (a
    sandboxed template cannot reach ``os`` through an object's globals or call unsafe methods)."""
    from jinja2 import StrictUndefined, select_autoescape
    from jinja2.sandbox import SandboxedEnvironment

    from rsw_eval.report._widths import column_widths

    env = SandboxedEnvironment(
        loader=_loader(template_dirs(templates)),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["column_widths"] = column_widths
    return env


def _override_files(templates: str | os.PathLike) -> list[Path]:
    """The entries of a ``--templates`` folder that replace a shipped template (or are ``*.html``);
    one that is not a file (a folder of that name) is a :class:`~rsw_eval.SpecError`, since the
    loader would skip it and silently use the shipped template."""
    shipped = {p.name for d in template_dirs() for p in Path(d).iterdir()}
    found = []
    for path in sorted(Path(templates).iterdir()):
        if path.name not in shipped and path.suffix != ".html":
            continue
        if not path.is_file():
            raise SpecError(f"{path}: not a file (a template must be a file)")
        found.append(path)
    return found


def check_templates(templates: str | os.PathLike | None) -> None:
    """Compile every template of a ``--templates`` folder, so that a syntax error or a file that is
    not UTF-8 is one line (file, line, what) before the comparison runs, not a traceback after it.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     _ = Path(tmp, "summary.html").write_bytes(b"\\xff")
    ...     try:
    ...         check_templates(tmp)
    ...     except SpecError as exc:
    ...         print(str(exc).endswith("summary.html: not UTF-8 text"))
    True
    """
    from jinja2 import TemplateNotFound, TemplateSyntaxError

    if templates is None:
        return
    env = _environment(templates)
    for path in _override_files(templates):
        try:
            env.get_template(path.name)
        except TemplateSyntaxError as exc:
            raise SpecError(
                f"{exc.filename or path}, line {exc.lineno}: template syntax error ({exc.message})"
            ) from None
        except UnicodeDecodeError:
            raise SpecError(f"{path}: not UTF-8 text") from None
        except TemplateNotFound as exc:  # a link out of the folder, named .html (findings-q14 T1)
            raise SpecError(f"{path}: {exc.message}") from None


def _where(exc: BaseException, folder: Path) -> str:
    """``FILE, line N`` of the innermost frame of a user's template in the traceback (Jinja2
    rewrites template frames to the template's file and line), or ``--templates FOLDER``."""
    where = f"--templates {folder}"
    tb = exc.__traceback__
    root = folder.resolve()
    while tb is not None:
        name = tb.tb_frame.f_code.co_filename
        with contextlib.suppress(OSError, ValueError):
            if Path(name).resolve().parent == root:
                where = f"{name}, line {tb.tb_lineno}"
        tb = tb.tb_next
    return where


def render_html(data: ReportData, templates: str | os.PathLike | None = None) -> str:
    """The report as one self-contained HTML page (inline CSS and SVG).

    A template of ``templates`` that does not compile or fails while rendering (an unknown name, a
    bad filter, a division by zero, an include of itself, an unsafe call the sandbox refuses) is a
    :class:`~rsw_eval.SpecError` naming its file and line; the shipped templates never fail.
    """
    check_templates(templates)
    try:
        return _environment(templates).get_template("base.html").render(report=data)
    except Exception as exc:  # any failure of the user's code, a RecursionError too
        if templates is None:
            raise
        where = _where(exc, Path(templates))
        raise SpecError(f"{where}: the template failed ({type(exc).__name__}: {exc})") from None


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
        for family, weight, style, name in _FACES
        if (folder / name).is_file()
    )


def allowed_url(url: str) -> bool:
    """Whether the PDF may load ``url``: a ``data:`` URI or one of the :func:`bundled_fonts`, the
    only resources the shipped templates use; every other URL (a local file, the web) is refused.

    Examples
    --------
    >>> allowed_url("data:image/png;base64,AAAA"), allowed_url("file:///etc/hostname")
    (True, False)
    >>> allowed_url(bundled_fonts()[0].as_uri()), allowed_url("https://example.org/x.css")
    (True, False)
    """
    if url.lower().startswith("data:"):
        return True
    return url.split("?")[0].split("#")[0] in {f.as_uri() for f in bundled_fonts()}


class RefusedURL(BaseException):
    """A URL the PDF may not load (a ``BaseException``, so that WeasyPrint stops instead of logging
    a warning and going on)."""

    def __init__(self, url: str):
        self.url = url
        super().__init__(url)


def _fetcher():
    """A WeasyPrint URL fetcher that serves :func:`allowed_url` URLs and raises :class:`RefusedURL`
    for any other."""
    from weasyprint.urls import URLFetcher

    class _Fetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if not allowed_url(url):
                raise RefusedURL(url)
            return super().fetch(url, headers)

    return _Fetcher(allowed_protocols=("data", "file"))


def layout(html: str):
    """The laid-out WeasyPrint document of the HTML, with the bundled fonts (for PDF and tests);
    it loads only :func:`allowed_url` URLs (:class:`RefusedURL` for any other)."""
    try:
        from weasyprint import CSS, HTML
        from weasyprint.text.fonts import FontConfiguration
    except ImportError:
        raise SpecError("PDF output needs WeasyPrint: pip install 'rsw-eval[pdf]'") from None
    fonts, fetcher = FontConfiguration(), _fetcher()
    css = CSS(string=_font_css(), font_config=fonts, url_fetcher=fetcher)
    return HTML(string=html, url_fetcher=fetcher).render(stylesheets=[css], font_config=fonts)


@contextlib.contextmanager
def _fixed_font_timestamp():
    """``SOURCE_DATE_EPOCH`` set to :data:`FONT_EPOCH` for the duration, unless the user set one."""
    if "SOURCE_DATE_EPOCH" in os.environ:
        yield
        return
    os.environ["SOURCE_DATE_EPOCH"] = FONT_EPOCH
    try:
        yield
    finally:
        os.environ.pop("SOURCE_DATE_EPOCH", None)


def write_pdf(document, target=None) -> bytes | None:
    """Write a laid-out document as the reports' PDF (:data:`PDF_OPTIONS`, fixed font timestamps):
    to ``target`` (a path), or return the bytes when ``target`` is None."""
    with _fixed_font_timestamp():
        return document.write_pdf(target, **PDF_OPTIONS)


def pdf_bytes(html: str, templates: str | os.PathLike | None = None) -> bytes:
    """The report's PDF as bytes (:func:`layout`, :func:`write_pdf`); a URL it may not load
    (:func:`allowed_url`) is a :class:`~rsw_eval.SpecError` naming the template file that links it
    (or the ``--templates`` folder) and the URL, so a template cannot embed a local file.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     _ = Path(tmp, "summary.html").write_text('<img src="file:///etc/hostname">')
    ...     try:
    ...         pdf_bytes('<p><img src="file:///etc/hostname"></p>', tmp)
    ...     except SpecError as exc:
    ...         print(str(exc).replace(tmp, "TPL").split(";")[0])
    TPL/summary.html: links file:///etc/hostname
    """
    try:
        return write_pdf(layout(html))
    except RefusedURL as exc:
        where = "the report" if templates is None else f"--templates {templates}"
        if templates is not None:
            for path in _override_files(templates):
                if exc.url in path.read_text(encoding="utf-8", errors="replace"):
                    where = str(path)
                    break
        raise SpecError(
            f"{where}: links {exc.url}; a report template may link no file or web address (only data: URIs)"
        ) from None


def render_pdf(html: str, path: Path) -> None:
    """A4 PDF of the HTML (print CSS: running header, page numbers, contents with pages), tagged
    PDF/UA-1 and byte-reproducible (see the module docstring).

    Examples
    --------
    >>> import tempfile
    >>> html = '<html lang="en"><head><title>T</title></head><body><p>x</p></body></html>'
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     render_pdf(html, Path(tmp) / "a.pdf"); render_pdf(html, Path(tmp) / "b.pdf")
    ...     Path(tmp, "a.pdf").read_bytes() == Path(tmp, "b.pdf").read_bytes()
    True
    """
    write_pdf(layout(html), path)
