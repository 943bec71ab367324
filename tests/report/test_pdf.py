"""The PDFs a council publishes: tagged PDF/UA-1 with language and title, every figure with its text
alternative, one embedded copy of each font, and byte-reproducible.

Reproducible means: the same data and the same software give the same bytes, whatever the process
(hash seed) and the second it runs in, and whichever font subsetter WeasyPrint finds (HarfBuzz, or
fontTools where HarfBuzz's subsetter is missing: it stamps the current time into each font unless
told otherwise). Each run below is a new process doing everything a user's run does: compare, build,
render; the two runs are at least a second apart.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.conftest import SAMPLE
from tests.report._child import in_child

pypdf = pytest.importorskip("pypdf", reason="pypdf is a test dependency (pip install 'rsw-eval[test]')")
pytest.importorskip("weasyprint", reason="PDF output needs the 'pdf' extra")

STYLES = ("forrester", "munro", "annual")


def _run(out: Path) -> dict:
    """Child-process side: the three sample reports as PDF, and the Forrester one again with
    WeasyPrint's fontTools subsetter; returns each report's title and chart count."""
    import warnings

    warnings.simplefilter("ignore")
    import weasyprint.pdf.fonts

    from rsw_eval.evaluation.engine import compare
    from rsw_eval.report import build
    from rsw_eval.report._render import render_html, render_pdf
    from rsw_eval.spec import default_sample_spec

    results = compare(default_sample_spec(SAMPLE))
    info = {}
    for style in STYLES:
        data = build(results, style, generated="2026-11-24")
        html = render_html(data)
        render_pdf(html, out / f"{style}.pdf")
        info[style] = {"title": data.title, "svgs": html.count("<svg")}
        if style == "forrester":
            harfbuzz = weasyprint.pdf.fonts.harfbuzz_subset
            weasyprint.pdf.fonts.harfbuzz_subset = None  # as on a machine without hb-subset
            render_pdf(html, out / "forrester-fonttools.pdf")
            weasyprint.pdf.fonts.harfbuzz_subset = harfbuzz
    return info


def _in_child(out: Path, seed: str) -> dict:
    out.mkdir()
    return in_child("tests.report.test_pdf", "_run", out, {"PYTHONHASHSEED": seed, "SOURCE_DATE_EPOCH": ""})


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> tuple[Path, Path, dict]:
    base = tmp_path_factory.mktemp("pdfs")
    start = time.monotonic()
    info = _in_child(base / "a", "1")
    time.sleep(max(0.0, 1.1 - (time.monotonic() - start)))
    _in_child(base / "b", "2")
    return base / "a", base / "b", info


@pytest.mark.parametrize("name", [*STYLES, "forrester-fonttools"])
def test_two_runs_give_the_same_bytes(runs, name):
    a, b, _ = runs
    assert (a / f"{name}.pdf").read_bytes() == (b / f"{name}.pdf").read_bytes()


def _structure(reader) -> list:
    """Every structure element of the tagged PDF (depth first)."""
    found = []

    def walk(node):
        node = node.get_object()
        if isinstance(node, pypdf.generic.DictionaryObject):
            if "/S" in node:
                found.append(node)
            kids = node.get("/K")
            for kid in kids if isinstance(kids, pypdf.generic.ArrayObject) else [kids]:
                if kid is not None:
                    walk(kid)

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    return found


@pytest.mark.parametrize("style", STYLES)
def test_pdf_is_tagged_pdf_ua_with_language_and_title(runs, style):
    a, _, info = runs
    reader = pypdf.PdfReader(a / f"{style}.pdf")
    root = reader.trailer["/Root"]
    assert reader.pdf_header == "%PDF-1.7"
    assert root["/Lang"] == "en"
    assert bool(root["/MarkInfo"]["/Marked"])
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    assert reader.metadata.title == info[style]["title"]
    assert reader.metadata.creation_date.year == 2026  # the report's date, not the clock's
    xmp = root["/Metadata"].get_object().get_data()
    assert b'pdfuaid:part="1"' in xmp
    elements = _structure(reader)
    kinds = {e["/S"] for e in elements}
    assert {"/Document", "/H1", "/H2", "/Table", "/TH", "/TD", "/L", "/LI"} <= kinds
    figures = [e for e in elements if e["/S"] == "/Figure"]
    assert len(figures) == info[style]["svgs"] >= 1  # every chart (and sparkline) is a figure...
    assert all(str(f.get("/Alt", "")).strip() for f in figures)  # ...with its text alternative


@pytest.mark.parametrize("style", STYLES)
def test_each_font_file_is_embedded_once(runs, style):
    a, _, _ = runs
    names = []
    for page in pypdf.PdfReader(a / f"{style}.pdf").pages:
        for ref in page.get("/Resources", {}).get("/Font", {}).values():
            names.append(str(ref.get_object()["/BaseFont"]).split("+", 1)[-1])
    assert set(names) <= {"rsw-eval-Sans", "rsw-eval-Sans-Bold", "rsw-eval-Sans-Oblique", "rsw-eval-Mono"}
