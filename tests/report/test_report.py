"""Reports: sections, numbers equal to the results, escaping, small cells, provenance, PDF."""

from __future__ import annotations

import dataclasses
import hashlib
import re

import numpy as np
import pandas as pd
import pytest

from rsw_eval import SpecError
from rsw_eval.evaluation.engine import compare
from rsw_eval.report import ReportData, Section, build, render
from rsw_eval.report._numbers import ordinal
from rsw_eval.report._render import render_html
from rsw_eval.spec import default_sample_spec, load_spec
from tests.conftest import SAMPLE, needs_dfe

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
    section = html.split('id="suppression"', 1)[1].split("</section>")[0]
    rows = re.findall(r"<tr><td>(.*?)</td><td>(.*?)</td><td>(.*?)</td></tr>", section)
    assert rows and len({why for _, _, why in rows}) == 1  # where and what, never which was small
    assert "rule" not in section and "primary" not in section


def test_provenance_names_the_inputs_and_withholds_their_hashes(sample_results):
    """An input's hash would confirm a guess of a cell the publication hides (the rest of a DfE
    panel is public): reports name the files and say where the hashes are."""
    html = render_html(build(sample_results, "munro", generated="2026-11-24"))
    for name in ("worker_survey.csv", "costs.csv", "admin_panel.csv"):
        digest = hashlib.sha256((SAMPLE / name).read_bytes()).hexdigest()
        assert digest not in html and name in html
        assert digest in {f["sha256"] for f in sample_results.provenance["inputs"]}
    assert "withheld in protected outputs" in html
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
    # the sample's surveys hold one unit-model authority: every summary line says what it compared,
    # none calls a comparison of places significant, and each says what the design could detect
    places = t[
        (t["family"] == "worker") & (t["question"] == "places") & (t["comparison"] == "all conventional")
    ]
    assert len(places) and not places["p_adjusted"].notna().any()
    for line in data.summary:
        assert "statistically significant" not in line
        assert "compares places, not the unit model" in line
        assert "four times in five" in line


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
    # |g| = 0.49 under the custom rules; the sample's surveys compare places: a difference, not an effect
    assert "substantial difference" in stress
    default = build(sample_results, "forrester", generated="2026-11-24")
    assert "small difference" in [s for s in default.summary if "stress" in s][0]


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


def test_munro_headline_follows_the_spec_period(sample_results):
    """The headline takes the spec's (baseline, follow-up), not the first row's period."""
    data = build(sample_results, "munro", generated="2026-11-24")
    cla = [s for s in data.summary if s.startswith("Children looked after")][0]
    # sample spec: baseline 2006, follow-up 2009; sample admin panel: 470 (2006), 329 (2009)
    assert "from 470 in 2006 to 329 in 2009 (-30.0%" in cla and "baseline and follow-up" in cla
    other = dataclasses.replace(
        sample_results, provenance={**sample_results.provenance, "periods": [[2007, 2010]]}
    )
    cla = [s for s in build(other, "munro").summary if s.startswith("Children looked after")][0]
    assert "from 452 in 2007 to 314 in 2010" in cla  # sample admin panel: 452 (2007), 314 (2010)


def test_limitations_are_generated_from_the_results(sample_results):
    items = next(s for s in build(sample_results, "munro").sections if s.id == "limitations").items
    text = " ".join(items)
    assert "one unit-model authority (Hackney (synthetic))" in text
    k = int(sample_results.table.loc[sample_results.table["design"] == "did", "n_comparison"].max())
    assert f"1/{k + 1} = {1 / (k + 1):.2f}" in text  # placebo: k comparators -> p >= 1/(k+1)
    assert "Hackney's context" not in text
    assert "Section 52" not in text  # the sample's costs do not cross 2009-10 -> 2010-11
    only_costs = compare(default_sample_spec(SAMPLE), only=["cost"])
    text = " ".join(next(s for s in build(only_costs, "munro").sections if s.id == "limitations").items)
    assert "Difference-in-differences" not in text and "Cross-sectional" not in text


def test_what_could_not_be_estimated_lists_the_skipped(sample_results):
    section = next(s for s in build(sample_results, "forrester").sections if s.id == "not-estimated")
    assert section.kind == "text" and "Every analysis" in section.items[0]
    skipped = pd.DataFrame(
        [
            {
                "family": "admin",
                "design": "did",
                "outcome": "cp_plans_repeat_pct",
                "treatment": "E09000012",
                "reason": "no year before 2008 in the data",
            }
        ]
    )
    res = dataclasses.replace(sample_results, skipped=skipped)
    for style in ("munro", "annual"):
        section = next(s for s in build(res, style).sections if s.id == "not-estimated")
        assert section.rows == (
            ("Second or later plans (%)", "did", "admin", "no year before 2008 in the data"),
        )


def test_a_year_outside_the_data_is_an_error(sample_results):
    with pytest.raises(SpecError, match=r"--year 2030: .* they cover 2004-2016 \(years ending 31 March\)"):
        build(sample_results, "annual", year=2030)


def test_a_style_without_its_data_is_skipped(tmp_path, capsys):
    from rsw_eval.cli import main
    from rsw_eval.report import NothingToReport

    admin_only = compare(default_sample_spec(SAMPLE), only=["admin"])
    with pytest.raises(NothingToReport, match="forrester: the data hold no survey"):
        build(admin_only, "forrester")
    spec = tmp_path / "spec.toml"
    spec.write_text(f'unit_model = ["E09000012"]\n[data]\nadmin = ["{SAMPLE / "admin_panel.csv"}"]\n')
    status = main(
        ["report", "--spec", str(spec), "--style", "forrester,munro", "--format", "html"]
        + ["--out", str(tmp_path / "o")]
    )
    err = capsys.readouterr().err
    assert status == 0 and "skipped forrester: the data hold no survey" in err
    assert not (tmp_path / "o" / "forrester.html").exists() and (tmp_path / "o" / "munro.html").exists()
    status = main(["report", "--spec", str(spec), "--style", "forrester", "--out", str(tmp_path / "p")])
    assert status == 2 and "no report written" in capsys.readouterr().err


def test_annual_benchmark_cells(sample_results):
    data = build(sample_results, "annual", generated="2026-11-24")
    table = data.sections[0]
    rows = {r[0]: r for r in table.rows}
    s = sample_results.series
    own = s[(s["role"] == "treated") & (s["indicator"] == "cp_plans_repeat_pct")].set_index("year")["value"]
    # percentages change in percentage points: own 2016 minus own 2015 (sample admin panel)
    assert rows["Second or later plans (%)"][3] == f"{own[2016] - own[2015]:+.1f} pp"
    comp = s[(s["role"] == "comparator") & (s["indicator"] == "cp_plans_repeat_pct") & (s["year"] == 2016)]
    lower = int((comp["value"] < own[2016]).sum())
    assert rows["Second or later plans (%)"][6] == f"{ordinal(lower + 1)} of {len(comp) + 1}"
    assert len(table.sparks) == len(table.rows) and all(p.startswith("<svg") for p in table.sparks)
    assert "Effect sizes are labelled" not in render_html(data)  # no effect sizes in this summary
    assert "Effect sizes are labelled" in render_html(build(sample_results, "forrester"))


def test_verdict_words_follow_the_series(sample_results):
    s = sample_results.series
    grid = s[s["indicator"] == "cla_rate_per_10k"].pivot(index="year", columns="la_code", values="value")
    own, others = grid["E09000012"], grid.drop(columns="E09000012")
    streak = 0
    for year in range(2016, 2003, -1):
        if own[year] < others.loc[year].min():
            streak += 1
        else:
            break
    assert streak >= 2
    data = build(sample_results, "annual", generated="2026-11-24")
    verdicts = next(sec for sec in data.sections if sec.id == "verdicts").items
    line = [v for v in verdicts if v.startswith("Looked-after children per 10,000")][0]
    words = {8: "eight", 9: "nine", 10: "ten", 11: "eleven", 12: "twelve", 13: "thirteen"}
    assert f"lower than all ten comparators in each of the last {words.get(streak, streak)} years" in line


def test_cost_years_are_financial_years(sample_results):
    cost = next(s for s in build(sample_results, "munro").sections if s.id == "cost")
    assert cost.title == "Cost change, 2008-09 to 2009-10"
    assert cost.rows[-1][0] == "Total" and cost.rows[-1][4] == "-4.97%"  # the published -4.97%


@needs_dfe
def test_real_data_symbols_england_line_and_limitations(tmp_path):
    from tests.report.test_layout import real_spec

    results = compare(load_spec(real_spec(), data_dir=tmp_path))
    data = build(results, "annual", year=2022, generated="2026-11-24")
    rows = {r[0]: r for r in data.sections[0].rows}
    # DfE d3 file: Hackney's child protection plans for 2021-22 are published as "x"
    assert rows["Child protection plans started"][1] == "x"
    assert "x = not available (DfE)" in data.sections[0].note
    charts = dict(next(s for s in data.sections if s.id == "trends").charts)
    assert "England" in charts["Second or later plans (%)"]
    assert "England" not in charts["Children looked after (31 March)"]  # a count: no national total
    text = " ".join(next(s for s in data.sections if s.id == "limitations").items)
    assert "2021 groupings" in text and "30 September" in text
    assert "No year before the intervention (2018)" in text  # the CLA file starts in 2021


def test_report_year_outside_the_data_writes_nothing(tmp_path, capsys):
    from rsw_eval.cli import main

    out = tmp_path / "o"
    status = main(["report", str(SAMPLE), "--year", "2030", "--format", "html", "--out", str(out)])
    err = capsys.readouterr().err
    assert status == 2 and "--year 2030" in err and "cover 2004-2016" in err
    assert not out.exists()  # no other style was written before the error


def test_verdicts_and_tables_quote_each_interval_at_the_level_its_row_states(sample_results):
    # a placebo interval over 10 comparators is a 90.9% interval: calling it "95%" is the error
    # issue 9 forbids, in sentences as much as in tables
    data = build(sample_results, style="annual")
    levels = {f"{v:.1%}" for v in sample_results.table["ci_level"].dropna()}
    quoted = []
    for section in data.sections:
        for text in (section.intro or "", *(section.items or ())):
            quoted += re.findall(r"(\d+(?:\.\d)?%) CI\b", text)
            quoted += re.findall(r"the (\d+(?:\.\d)?%) interval", text)
    assert quoted, "the annual report quotes no interval level"
    assert set(quoted) <= levels, (set(quoted), levels)


def test_a_percentage_named_percent_changes_in_points_as_in_the_results():
    """The reports and the before/after rows agree on which indicators change in percentage points
    (a DfE column such as CPP_subsequent_percent loaded under its own name printed "+7.5%" in the
    Munro table where its row says change_pp 7.5)."""
    import numpy as np

    from rsw_eval.designs.before_after import points_scale
    from rsw_eval.report._labels import change_text, is_percent

    for name in ("repeat_pct", "CPP_subsequent_percent", "repeat_percentage", "children_looked_after"):
        assert is_percent(name) == (points_scale(name, np.array([9.3, 16.8])) == 1.0)
    assert change_text("CPP_subsequent_percent", 16.8, 9.3) == "+7.5 pp"
