"""Every box of every page of every report lies inside the page's content area (A4 less margins).

Design: the reports (the sample, and a wide real-data spec from ../shared/data/dfe when present) are
built, rendered to HTML and laid out by WeasyPrint exactly as ``render_pdf`` does. Then every box
of every page (blocks, table cells, lines, words, replaced SVGs) is compared with the page's
content box; the running header and page numbers live in the margin boxes and are left out. A text
test cannot do this: a cut-off column is still in the PDF's text.

Fonts: the layout runs in a child process whose fontconfig knows **no** system font
(``FONTCONFIG_FILE`` = an empty configuration), so it holds on a fresh machine: the reports must
carry their own fonts (the DejaVu TTFs matplotlib ships, see ``rsw_eval.report._render``), and the
PDF must embed nothing else.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import DFE, ROOT, SAMPLE
from tests.report._child import in_child

pytest.importorskip("weasyprint", reason="PDF output needs the 'pdf' extra")

TOLERANCE = 0.5  # CSS px: rounding in WeasyPrint's layout
WALKTHROUGH = ROOT / "docs" / "examples" / "hackney_neighbours.toml"


def real_spec() -> dict:
    """A wide real-data spec: Hackney and its 2021 statistical neighbours from the public DfE files
    (looked-after children, child protection plans, the workforce census), with England rows. The
    intervention year is the test's choice, so that every panel design gives rows."""
    cla = {
        "filters": {"population_type": "Children looked after on 31 March each year"},
        "value": {"children_count": "children_looked_after", "rate_per_10000": "cla_rate_per_10k"},
    }
    entries = [
        {"path": str(DFE / "cla_number_and_rate_per_10k_children.csv"), **cla},
        {
            "path": str(DFE / "d3_cpps_subsequent_plan_2013_to_2025.csv"),
            "value": {
                "CPP_start": "cp_plans_started",
                "CPP_subsequent": "cp_plans_repeat",
                "CPP_subsequent_percent": "cp_plans_repeat_pct",
            },
        },
        {
            "path": str(DFE / "csww_indicators_2017_to_2025.csv"),
            "value": {
                "agency_rate_fte": "agency_worker_pct",
                "turnover_rate_fte": "turnover_rate_pct",
                "vacancy_rate_fte": "vacancy_rate_pct",
                "caseload_fte": "caseload_per_fte",
            },
        },
    ]
    national = entries[:2]  # the workforce census kind has no national rows option
    admin = entries + [{**e, "geographic_level": "National"} for e in national]
    return {
        "title": "Hackney against its statistical neighbours (public DfE data, layout test)",
        "unit_model": ["E09000012"],
        "comparators": "statistical_neighbours",
        "intervention_year": 2018,
        "baseline_year": 2019,
        "followup_year": 2025,
        "before_after": [[2022, 2025]],
        "data": {
            "admin": admin,
            "neighbours": str(DFE / "New_Statistical_Neighbour_Groupings_April_2021.csv"),
        },
    }


def walkthrough_spec(data_dir: Path):
    """The docs' walkthrough spec (S52/S251 costs, LAA1, SFR, EES, workforce), without keys the
    spec loader does not know yet."""
    import tomllib

    from rsw_eval.spec import load_spec

    raw = tomllib.loads(WALKTHROUGH.read_text(encoding="utf-8"))
    try:
        return load_spec(raw, data_dir=data_dir)
    except Exception:  # e.g. [derived] before it lands: the layout test needs the rest only
        raw.pop("derived", None)
        return load_spec(raw, data_dir=data_dir)


def overflows(document) -> list[str]:
    """Boxes that extend beyond their page's content area, described for a failure message."""
    from weasyprint.formatting_structure import boxes

    found = []
    for number, page in enumerate(document.pages, start=1):
        box = page._page_box
        left, top = box.content_box_x(), box.content_box_y()
        right, bottom = left + box.width, top + box.height
        for child in box.children:
            if isinstance(child, boxes.MarginBox):
                continue  # running header and page numbers sit in the margin by design
            for b in child.descendants():
                x, y = b.border_box_x(), b.border_box_y()
                w, h = b.border_width(), b.border_height()
                if w == 0 or h == 0:
                    continue
                if x < left - TOLERANCE or x + w > right + TOLERANCE or y + h > bottom + TOLERANCE:
                    text = getattr(b, "text", "") or ""
                    found.append(
                        f"page {number}: {type(b).__name__} {text[:40]!r} at x {x:.0f}-{x + w:.0f}, "
                        f"y {y:.0f}-{y + h:.0f} (content area x {left:.0f}-{right:.0f}, "
                        f"y {top:.0f}-{bottom:.0f})"
                    )
    return found


def cell_overflows(document) -> list[str]:
    """Words wider than their table cell: a table laid out with fixed column widths (measured from
    the text, ``rsw_eval.report._widths``) lets a word run into the next column, inside the page."""
    from weasyprint.formatting_structure import boxes

    found = []
    for number, page in enumerate(document.pages, start=1):
        for cell in page._page_box.descendants():
            if not isinstance(cell, boxes.TableCellBox):
                continue
            right = cell.border_box_x() + cell.border_width()
            for b in cell.descendants():
                if isinstance(b, boxes.TextBox) and b.position_x + b.width > right + TOLERANCE:
                    over = b.position_x + b.width - right
                    found.append(f"page {number}: {b.text[:40]!r} {over:.1f} px wider than its cell")
    return found


def _lay_out_all(out: Path) -> dict:
    """Child-process side: build every report, lay it out, record overflows and embedded fonts."""
    import warnings

    warnings.simplefilter("ignore")
    from rsw_eval.evaluation.engine import compare
    from rsw_eval.report import STYLES, NothingToReport, build
    from rsw_eval.report._render import layout, render_html
    from rsw_eval.spec import default_sample_spec, load_spec

    sets = {"sample": default_sample_spec(SAMPLE)}
    if DFE.is_dir():
        sets["real"] = load_spec(real_spec(), data_dir=out)
        if WALKTHROUGH.is_file():
            sets["walkthrough"] = walkthrough_spec(DFE)
    report: dict[str, dict] = {}
    for name, spec in sets.items():
        results = compare(spec)
        for style in STYLES:
            try:
                data = build(results, style, generated="2026-11-24")
            except NothingToReport as exc:  # a style the data cannot give (reported, not laid out)
                report[f"{name}/{style}"] = {"skipped": str(exc)}
                continue
            document = layout(render_html(data))
            pdf = out / f"{name}-{style}.pdf"
            document.write_pdf(pdf)
            report[f"{name}/{style}"] = {
                "pages": len(document.pages),
                "overflows": overflows(document) + cell_overflows(document),
                "fonts": sorted(_fonts(pdf)),
            }
    return report


def _fonts(pdf: Path) -> set[str]:
    import pypdf

    names = set()
    for page in pypdf.PdfReader(pdf).pages:
        fonts = page.get("/Resources", {}).get("/Font", {})
        for ref in fonts.values():
            names.add(str(ref.get_object()["/BaseFont"]).split("+", 1)[-1])
    return names


@pytest.fixture(scope="module")
def laid_out(tmp_path_factory) -> dict:
    out = tmp_path_factory.mktemp("layout")
    conf = out / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd">'
        f"<fontconfig><cachedir>{out / 'fc-cache'}</cachedir></fontconfig>"
    )
    return in_child("tests.report.test_layout", "_lay_out_all", out, {"FONTCONFIG_FILE": str(conf)})


@pytest.mark.parametrize("style", ["forrester", "munro", "annual"])
def test_sample_reports_fit_the_page(laid_out, style):
    entry = laid_out[f"sample/{style}"]
    assert entry["pages"] >= 2
    assert entry["overflows"] == [], "\n".join(entry["overflows"][:20])


@pytest.mark.skipif(not DFE.is_dir(), reason=f"real DfE example files not found at {DFE}")
@pytest.mark.parametrize("name", ["real/munro", "real/annual", "walkthrough/munro", "walkthrough/annual"])
def test_real_data_reports_fit_the_page(laid_out, name):
    if name not in laid_out:
        pytest.skip(f"{name}: the walkthrough spec is not in this checkout")
    entry = laid_out[name]
    assert "skipped" not in entry, entry.get("skipped")
    assert entry["overflows"] == [], "\n".join(entry["overflows"][:20])


def test_the_checker_sees_a_word_wider_than_its_cell():
    """The cell check itself: a fixed-width column narrower than its word is reported."""
    from rsw_eval.report._render import layout

    table = "<table style='table-layout: fixed; width: 100%'><col style='width: 5%'><col>"
    row = "<tr><td>Unbreakablewordwiderthanitscolumn</td><td>x</td></tr>"
    document = layout(f"<html><body>{table}{row}</table></body></html>")
    assert cell_overflows(document)


def test_pdfs_embed_only_the_bundled_fonts(laid_out):
    """With no system font at all, the PDFs use the DejaVu files rsw-eval declares, nothing else."""
    for name, entry in laid_out.items():
        for font in entry.get("fonts", []):
            assert font.startswith("rsw-eval-") or font.startswith("DejaVu"), (name, font)


def test_the_checker_sees_a_table_that_is_too_wide():
    """The check itself: a table of unbreakable cells wider than A4 is reported (reference case)."""
    from rsw_eval.report._render import layout

    cells = "".join(f"<td style='white-space: nowrap'>column number {i} of many</td>" for i in range(12))
    document = layout(f"<html><body><table><tr>{cells}</tr></table></body></html>")
    assert any("TableBox" in o or "TableCellBox" in o for o in overflows(document))
