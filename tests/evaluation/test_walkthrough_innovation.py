"""The Innovation Programme walkthrough (docs/walkthrough-innovation.md) end to end on the real
DfE files: its spec, the figures it quotes, the per-adopter Munro report and one adopter's own
annual report."""

from __future__ import annotations

import warnings

import pytest

from rsw_eval.evaluation.engine import compare
from rsw_eval.report import build
from rsw_eval.report._render import render_html
from rsw_eval.spec import load_spec
from tests.conftest import DFE, ROOT, needs_dfe

SPEC = ROOT / "docs" / "examples" / "innovation_programme.toml"
ADOPTERS = {"E09000012": 2008, "E06000060": 2016, "E10000007": 2016, "E09000015": 2016, "E06000010": 2016}
ADOPTERS["E09000028"] = 2016
SOUTHWARK = "E09000028"


def _spec():
    return load_spec(SPEC, data_dir=DFE)


@pytest.fixture(scope="module")
def results():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Bedfordshire and Cheshire dropped, as the spec asks
        return compare(_spec())


def _row(results, code, design, outcome):
    t = results.table
    hit = t[
        (t["design"] == design)
        & (t["outcome"] == outcome)
        & t["primary"]
        & t["treatment"].str.contains(f"({code})", regex=False)
    ]
    assert len(hit) == 1, (code, design, outcome)
    return hit.iloc[0]


@needs_dfe
def test_every_adopter_has_its_own_year_and_neighbours(results):
    assert results.provenance["adoption"] == ADOPTERS
    for code, year in ADOPTERS.items():
        rows = results.table[results.table["treatment"].str.contains(f"({code})", regex=False)]
        panel = rows[rows["family"] == "admin"]
        assert len(panel) and set(panel["adoption_year"]) == {year}
        who = results.provenance["comparison"][f"admin/{code}"]
        comparators = {a["la_code"] for a in who["authorities"] if a["role"] == "comparator"}
        assert who["neighbours_of"] == code and not comparators & set(ADOPTERS)
    assert "Southwark (E09000028)" in results.provenance["comparison"]["admin/E09000012"]["how"]
    did = results.table[results.table["design"] == "did"]
    assert set(did["n_treatment"]) == {1}  # nothing pooled but staggered adoption


@needs_dfe
def test_the_figures_the_walkthrough_quotes(results):
    r = _row(results, SOUTHWARK, "did", "cp_plans_repeat_pct")
    assert r["period"] == "pre 2013-2015 vs post 2016-2019"
    assert (round(r["effect_size"], 2), round(r["ci_low"], 2), round(r["ci_high"], 2)) == (1.37, -1.96, 5.53)
    assert r["p_value"] == pytest.approx(0.8) and r["ci_level"] == pytest.approx(0.9)  # 9 comparators
    hull = _row(results, "E06000010", "did", "cp_plans_started")
    assert (round(hull["effect_size"], 1), round(hull["p_value"], 2)) == (56.9, 0.09)
    hackney = _row(results, "E09000012", "did", "children_looked_after")
    assert (
        hackney["period"] == "pre 2006-2007 vs post 2008-2011" and round(hackney["effect_size"], 1) == -25.0
    )
    t = results.table
    att = t[
        (t["design"] == "staggered")
        & (t["effect_size_name"] == "att")
        & (t["outcome"] == "cp_plans_repeat_pct")
    ]
    assert round(float(att["effect_size"].iloc[0]), 2) == 0.08 and att["p_value"].isna().all()
    skip = results.skipped[
        (results.skipped["design"] == "staggered") & (results.skipped["outcome"] == "agency_rate_fte")
    ]
    assert "6 of 6 adopters adopted by its first year" in skip["reason"].iloc[0]
    cost = _row(results, SOUTHWARK, "cost_change", "total_cost")
    assert round(cost["effect_size"], 1) == 12.8
    versus = _row(results, SOUTHWARK, "cost_did", "total_cost")
    assert (round(versus["effect_size"], 1), versus["n_comparison"]) == (7.4, 9)
    events = t[(t["design"] == "did_event") & (t["outcome"] == "cp_plans_repeat_pct")]
    events = events[events["treatment"].str.contains(SOUTHWARK)].set_index("event_time")["effect_size"]
    assert [round(events[e], 1) for e in (0, 1, 2, 3)] == [-3.0, 3.3, 2.7, 2.4]


@needs_dfe
def test_the_munro_report_has_a_part_for_each_adopter(results):
    data = build(results, "munro", generated="2026-01-01")
    ids = [s.id for s in data.sections]
    for code in ADOPTERS:
        assert f"did-{code}" in ids
    cost = [s for s in data.sections if s.id.startswith("cost-")]
    assert len(cost) == len(ADOPTERS)  # one cost table per adopter, never stacked
    assert all(len(s.rows) <= 8 for s in cost)
    hull = next(s for s in data.sections if s.id == "trends-E06000010")
    assert hull.title.startswith("Kingston") and "(2016)" in hull.intro
    html = render_html(data)
    assert "Pooled over every adopter" in html and "Official statistics beside the published claims" in html


@needs_dfe
def test_one_adopters_own_annual_report():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        own = compare(_spec(), authority="210", only=["admin"])
    data = build(own, "annual", authority=SOUTHWARK, generated="2026-01-01")
    assert data.title.startswith("Southwark") and data.subtitle == "Southwark, year ending 31 March 2025"
    change = next(s for s in data.sections if s.id == "model-change")
    assert change.title == "Southwark since the model began (2016)"
    assert ("Second or later plans (%)", "DID", "DiD estimate", "1.37 [-1.96, 5.53]", "0.800") in change.rows
    at = data.sections[0].columns.index("Rank")  # a region column may come before it
    rank = {r[0]: r[at] for r in data.sections[0].rows}
    assert rank["Second or later plans (%)"].endswith("of 10")  # Southwark and its 9 neighbours
