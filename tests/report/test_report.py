"""Reports: sections, numbers equal to the results, escaping, small cells, provenance, PDF."""

from __future__ import annotations

import hashlib
import re

import numpy as np
import pandas as pd
import pytest

from rsw_eval import SpecError
from rsw_eval.engine import compare
from rsw_eval.report import ReportData, Section, build, render
from rsw_eval.report._render import render_html
from rsw_eval.spec import default_sample_spec, load_spec
from tests.conftest import SAMPLE

pypdf = pytest.importorskip("pypdf", reason="pypdf is a test dependency (pip install 'rsw-eval[test]')")
pytest.importorskip("weasyprint", reason="PDF output needs the 'pdf' extra")


@pytest.fixture(scope="module")
def sample_results():
    return compare(default_sample_spec(SAMPLE))


@pytest.fixture(scope="module")
def small_cells(tmp_path_factory):
    """A survey where one comparator authority has 3 workers and the unit model 2 'violence' cases;
    its authority name is an HTML injection attempt."""
    folder = tmp_path_factory.mktemp("small")
    rng = np.random.default_rng(1)
    rows = []
    for la, model, n in (
        ("Unit LA", "unit", 40),
        ("<script>alert(1)</script>", "conventional", 30),
        ("Tiny LA", "conventional", 3),
    ):
        for i in range(n):
            rows.append(
                {
                    "respondent_id": f"SECRET{la[:3]}{i}",
                    "authority": la,
                    "model": model,
                    "unit": f"{la[:3]}{i // 5}",
                    "ghq_score": float(rng.integers(0, 30)),
                    "experienced_violence": "yes"
                    if (model == "unit" and i < 2) or (model != "unit" and i % 2 == 0)
                    else "no",
                }
            )
    pd.DataFrame(rows).to_csv(folder / "w.csv", index=False)
    spec = load_spec(
        {
            "unit_model": ["Unit LA"],
            "synthetic": True,
            "disclosure_threshold": 5,
            "data": {"worker_survey": "w.csv"},
        },
        data_dir=folder,
    )
    results = compare(spec)
    paths = render(
        results, style="forrester", formats=("html", "pdf"), out_dir=folder / "out", generated="2026-11-24"
    )
    return results, paths


def _table_after(html: str, section_id: str) -> list[list[str]]:
    part = html.split(f'id="{section_id}"', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r"<tr>(.*?)</tr>", part, flags=re.S)
    cells = [
        [re.sub(r"<.*?>", "", c).strip() for c in re.findall(r"<td.*?>(.*?)</td>", r, re.S)] for r in rows
    ]
    return [c for c in cells if c]  # the header row has no <td>


def test_each_section_kind_renders_alone():
    data = ReportData(
        "forrester",
        "T",
        "",
        False,
        "2026-11-24",
        ("a <b>",),
        (
            Section("s1", "Table & more", "table", columns=("A", "B"), rows=(("<i>x</i>", "1.00"),)),
            Section("s2", "List", "list", items=("one",)),
            Section("s3", "Figure", "figure", svg="<svg></svg>"),
            Section("s4", "Text", "text", items=("para",)),
        ),
        (("rsw-eval version", "0"),),
        (),
        (),
    )
    html = render_html(data)
    assert "&lt;i&gt;x&lt;/i&gt;" in html and "<i>x</i>" not in html
    assert "Table &amp; more" in html and "a &lt;b&gt;" in html
    assert html.count("<svg></svg>") == 1


def test_worker_table_numbers_equal_the_results(sample_results):
    data = build(sample_results, "forrester", generated="2026-11-24")
    html = render_html(data)
    rows = _table_after(html, "worker")
    t = sample_results.table
    primary = t[(t["family"] == "worker") & t["primary"] & (t["design"] == "cross_section")]
    assert len(rows) == len(primary)
    for cells, (_, r) in zip(rows, primary.iterrows(), strict=True):
        assert cells[2] == f"{r['n_treatment']} / {r['n_comparison']}"
        sd = f" ({r['sd_treatment']:.2f})" if pd.notna(r["sd_treatment"]) else ""
        assert cells[3] == f"{r['value_treatment']:.2f}{sd}"
        assert cells[4].startswith(f"{r['value_comparison']:.2f}")
        assert cells[5] == f"{r['difference']:.2f}"
        assert cells[6].endswith(f"{r['effect_size']:.2f}")
        assert cells[7] == f"[{r['ci_low']:.2f}, {r['ci_high']:.2f}]"


def test_authority_name_is_escaped(small_cells):
    results, paths = small_cells
    html = paths[0].read_text()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_small_cells_are_suppressed_in_html_and_pdf(small_cells):
    results, paths = small_cells
    html = paths[0].read_text()
    samples = {row[0]: row[1] for row in _table_after(html, "samples")}
    assert samples["Tiny LA"] == "c"
    # secondary: the other comparator is suppressed too, so the total (73) reveals neither
    assert samples["&lt;script&gt;alert(1)&lt;/script&gt;"] == "c"
    tiny = [row for row in _table_after(html, "worker") if row[1] == "Tiny LA"]
    assert tiny and all(row[4] == "c" and row[6] == "c" for row in tiny)
    violence = [
        row
        for row in _table_after(html, "worker")
        if row[0].lower().startswith("violence") and row[1] == "all conventional"
    ]
    assert violence[0][3] == "c"  # 2 of 40 in the unit model: rule 2
    text = "\n".join(page.extract_text() for page in pypdf.PdfReader(paths[1]).pages)
    assert "Tiny LA c" in text.replace("\n", " ")
    assert "SECRET" not in html and "SECRET" not in text  # identifiers never reach a report


def test_suppressions_are_listed_without_values(small_cells):
    results, paths = small_cells
    html = paths[0].read_text()
    section = html.split('id="suppression"', 1)[1]
    assert "rule 1" in section and "rule 2" in section


def test_provenance_hashes_match_the_inputs(sample_results):
    html = render_html(build(sample_results, "munro", generated="2026-11-24"))
    for name in ("worker_survey.csv", "costs.csv", "admin_panel.csv"):
        digest = hashlib.sha256((SAMPLE / name).read_bytes()).hexdigest()
        assert digest in html
    assert "SYNTHETIC DATA" in html and "2026-11-24" in html


def test_identifiers_of_the_sample_never_appear(sample_results):
    for style in ("forrester", "munro", "annual"):
        html = render_html(build(sample_results, style, generated="2026-11-24"))
        assert "W1001" not in html and "F1001" not in html and "C0001" not in html


def test_pdf_pages_and_contents(small_cells):
    _, paths = small_cells
    reader = pypdf.PdfReader(paths[1])
    assert 2 <= len(reader.pages) <= 12
    first = reader.pages[0].extract_text() + reader.pages[1].extract_text()
    assert "Contents" in first and "Worker outcomes" in first and "Provenance" in first
    assert "Page 1 of" in reader.pages[0].extract_text()


def test_munro_and_annual_sections(sample_results):
    munro = build(sample_results, "munro", generated="2026-11-24")
    ids = [s.id for s in munro.sections]
    assert {"indicators", "published", "cost", "waterfall", "trends", "not-estimated"} <= set(ids)
    trends = dict(next(s for s in munro.sections if s.id == "trends").charts)
    assert "Children looked after (31 March)" in trends
    annual = build(sample_results, "annual", generated="2026-11-24")
    assert annual.subtitle.endswith("year ending 31 March 2016")
    assert {"indicators", "verdicts", "trends", "polarity", "limitations", "not-estimated"} <= {
        s.id for s in annual.sections
    }


def test_summary_does_not_overclaim(sample_results):
    data = build(sample_results, "forrester", generated="2026-11-24")
    t = sample_results.table
    nonsig = t[
        (t["family"] == "worker")
        & t["primary"]
        & (t["comparison"] == "all conventional")
        & (t["p_adjusted"] >= 0.05)
    ]
    for _, r in nonsig.iterrows():
        lines = [s for s in data.summary if r["outcome"].replace("_", " ") in s or False]
        for line in lines:
            assert "not statistically significant" in line
    violence = [s for s in data.summary if "violence" in s][0]
    assert "not statistically significant after adjustment" in violence


def test_unknown_style_and_format(sample_results, tmp_path):
    with pytest.raises(SpecError, match="unknown report style 'annul'; valid: forrester, munro, annual"):
        render(sample_results, style="annul", out_dir=tmp_path)
    with pytest.raises(SpecError, match="unknown report format 'docx'; valid: html, pdf"):
        render(sample_results, style="munro", formats=("docx",), out_dir=tmp_path)


def test_templates_can_be_overridden(sample_results, tmp_path):
    custom = tmp_path / "t"
    custom.mkdir()
    (custom / "summary.html").write_text("<p>CUSTOM SUMMARY</p>")
    html = render(sample_results, style="munro", out_dir=tmp_path / "o", templates=custom)[0].read_text()
    assert "CUSTOM SUMMARY" in html and "Provenance" in html


def test_effect_size_rules_are_configurable(sample_results):
    strict = ((0.1, "tiny"), (0.3, "modest"), (float("inf"), "substantial"))
    data = build(sample_results, "forrester", generated="2026-11-24", rules=strict)
    stress = [s for s in data.summary if "stress" in s][0]
    assert "substantial effect" in stress  # |g| = 0.49 under the custom rules
    default = build(sample_results, "forrester", generated="2026-11-24")
    assert "small effect" in [s for s in default.summary if "stress" in s][0]


def test_england_rows_are_context_not_comparators(tmp_path):
    panel = pd.DataFrame(
        {
            "la_code": "E92000001",
            "la_name": "England",
            "year": [2015, 2016],
            "indicator": "sickness_days_per_fte",
            "value": [9.5, 9.3],
        }
    )
    panel.to_csv(tmp_path / "england.csv", index=False)
    (tmp_path / "admin_panel.csv").write_bytes((SAMPLE / "admin_panel.csv").read_bytes())
    spec = load_spec(
        {
            "unit_model": ["E09000012"],
            "intervention_year": 2008,
            "data": {"admin": ["admin_panel.csv", "england.csv"]},
        },
        data_dir=tmp_path,
    )
    results = compare(spec)
    assert set(results.table.loc[results.table["design"] == "did", "comparison"]) == {"10 comparators"}
    html = render_html(build(results, "annual", generated="2026-11-24"))
    sickness = [r for r in _table_after(html, "indicators") if r[0] == "Sickness days per FTE"][0]
    assert sickness[5] == "9.3"


@pytest.mark.skipif(
    not (SAMPLE.parents[1].parent / "shared" / "data" / "dfe").is_dir(),
    reason="real DfE example files not found",
)
def test_annual_report_from_real_dfe_tables(tmp_path):
    from tests.conftest import DFE

    cla = str(DFE / "cla_number_and_rate_per_10k_children.csv")
    entry = {
        "path": cla,
        "filters": {"population_type": "Children looked after on 31 March each year"},
        "value": {"children_count": "children_looked_after", "population_estimate": "population_0_17"},
    }
    spec = load_spec(
        {"unit_model": ["E09000012"], "data": {"admin": [entry, {**entry, "geographic_level": "National"}]}},
        data_dir=tmp_path,
    )
    data = build(compare(spec), "annual", generated="2026-11-24")
    table = data.sections[0]
    row = [r for r in table.rows if r[0] == "Children looked after (31 March)"][0]
    # DfE: Hackney 352 (2025) and 384 (2024); England's total (81,770) is not shown beside a count
    assert (row[1], row[2], row[3], row[5]) == ("352", "384", "-8.3%", "–")
    rate = [r for r in table.rows if r[0] == "Looked-after children per 10,000"][0]
    # DfE rate_per_10000: Hackney 65 (2025), 70 (2024); England 67 (2025): a rate beside a rate
    assert (rate[1], rate[2], rate[5]) == ("65", "70", "67")
