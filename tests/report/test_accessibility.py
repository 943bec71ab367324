"""The HTML reports meet WCAG 2.2 AA as axe-core checks it in a real browser (issue 20 item 5).

Councils publish these reports on their websites, which fall under the public sector bodies
accessibility regulations (GOV.UK's standard: WCAG 2.2 AA). Each report, for the synthetic sample
and for public DfE data, is opened in headless Chromium through Playwright and checked by axe-core
(``axe-playwright-python`` bundles it) with the WCAG 2.0/2.1/2.2 A and AA rules and axe's
best-practice rules: 0 violations. The page is also checked for what axe cannot judge: every chart
is an image with a text alternative and has its data as a table.

Playwright drives the system Chromium (``/usr/bin/chromium``, or ``RSW_EVAL_CHROMIUM``); it never
downloads a browser. Without Playwright, axe-playwright-python (the ``test`` extra) or Chromium
the tests skip with the reason.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.conftest import DFE, SAMPLE

sync_api = pytest.importorskip(
    "playwright.sync_api", reason="needs playwright (pip install 'rsw-eval[test]')"
)
axe_module = pytest.importorskip(
    "axe_playwright_python.sync_playwright",
    reason="needs axe-playwright-python (pip install 'rsw-eval[test]')",
)

CHROMIUM = os.environ.get("RSW_EVAL_CHROMIUM") or next(
    (p for p in ("/usr/bin/chromium", shutil.which("chromium"), shutil.which("chromium-browser")) if p), None
)
if not CHROMIUM or not Path(CHROMIUM).is_file():
    pytest.skip(
        "no Chromium for the browser tests (apt-get install chromium, or set RSW_EVAL_CHROMIUM)",
        allow_module_level=True,
    )

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
RULES = {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]}
STYLES = ("forrester", "munro", "annual")
SURVEY_NAMES = {"Unit-model LA": "Hackney", "Comparator LA 1": "Southwark", "Comparator LA 2": "Lambeth"}


def real_with_surveys(folder: Path) -> dict:
    """The layout test's real-data spec (Hackney and its 2021 statistical neighbours from the DfE
    files, England rows) with the sample's surveys under real authority names: no survey of
    social workers or families is public, and the Forrester report needs one."""
    from tests.report.test_layout import real_spec

    spec = real_spec()
    for name in ("worker_survey", "parent_survey"):
        text = (SAMPLE / f"{name}.csv").read_text(encoding="utf-8")
        for old, new in SURVEY_NAMES.items():
            text = text.replace(old, new)
        (folder / f"{name}.csv").write_text(text, encoding="utf-8")
        spec["data"][name] = str(folder / f"{name}.csv")
    spec["unit_model"] = ["E09000012", "Hackney"]
    return spec


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> dict[str, Path]:
    """Every report as an HTML file: ``sample/<style>`` and, with the DfE files, ``real/<style>``."""
    from rsw_eval.evaluation.engine import compare
    from rsw_eval.report import build
    from rsw_eval.report._render import render_html
    from rsw_eval.spec import default_sample_spec, load_spec

    out = tmp_path_factory.mktemp("a11y")
    sets = {"sample": default_sample_spec(SAMPLE)}
    if DFE.is_dir():
        sets["real"] = load_spec(real_with_surveys(out), data_dir=out)
    files = {}
    for name, spec in sets.items():
        results = compare(spec)
        for style in STYLES:
            path = out / f"{name}-{style}.html"
            path.write_text(render_html(build(results, style, generated="2026-11-24")), encoding="utf-8")
            files[f"{name}/{style}"] = path
    return files


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


def _check(browser, path: Path) -> tuple[list[str], dict]:
    page = browser.new_page()
    try:
        page.goto(path.as_uri())
        results = axe_module.Axe().run(page, options={"runOnly": RULES, "resultTypes": ["violations"]})
        found = [
            f"{v['id']} ({v['impact']}): {v['help']} - {n['target']} {n['html'][:120]}"
            for v in results.response["violations"]
            for n in v["nodes"]
        ]
        charts = page.evaluate(
            """() => [...document.querySelectorAll("figure")].map(f => ({
                svgs: f.querySelectorAll("svg").length,
                named: [...f.querySelectorAll("svg")].every(s =>
                    s.getAttribute("role") === "img" && (s.querySelector("title")?.textContent || "").trim()),
                tables: f.querySelectorAll("details.chart-data table").length,
            }))"""
        )
        sparks = page.evaluate(
            """() => [...document.querySelectorAll("td.spark svg")].every(s =>
                s.getAttribute("role") === "img" && (s.querySelector("title")?.textContent || "").trim())"""
        )
    finally:
        page.close()
    return found, {"charts": charts, "sparks": sparks}


@pytest.mark.parametrize("name", [f"{d}/{s}" for d in ("sample", "real") for s in STYLES])
def test_no_axe_violations_and_every_chart_has_text_and_data(pages, browser, name):
    if name not in pages:
        pytest.skip(f"real DfE example files not found at {DFE}")
    found, dom = _check(browser, pages[name])
    assert found == [], "\n".join(found[:30])
    charts = [c for c in dom["charts"] if c["svgs"]]
    assert charts  # each report has charts: the forest plot, the trends
    assert all(c["named"] and c["tables"] >= 1 for c in charts), dom["charts"]
    assert dom["sparks"]
