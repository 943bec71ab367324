"""The engine on the sample: contract, published figures, determinism, families, formats."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from rsw_eval import SpecError, VintageWarning
from rsw_eval.designs._rows import RESULT_COLUMNS
from rsw_eval.evaluation._adjustment import COMPARATIVE_DESIGNS
from rsw_eval.evaluation.engine import compare
from rsw_eval.evaluation.interpret import RULES_TEXT, effect_label
from rsw_eval.spec import default_sample_spec, load_spec
from rsw_eval.stats import adjust_pvalues
from tests.conftest import DFE, SAMPLE, needs_dfe

CONTRACT = [
    "outcome",
    "family",
    "design",
    "measure",
    "treatment",
    "comparison",
    "n_treatment",
    "n_comparison",
    "value_treatment",
    "value_comparison",
    "difference",
    "effect_size_name",
    "effect_size",
    "ci_low",
    "ci_high",
    "test",
    "statistic",
    "df",
    "p_value",
    "p_adjusted",
    "adjustment",
    "interpretation",
    "suppressed",
    "note",
]  # DESIGN.md, results contract


@pytest.fixture(scope="module")
def results():
    return compare(default_sample_spec(SAMPLE))


def test_contract_columns_first_and_in_order(results):
    assert list(results.table.columns[: len(CONTRACT)]) == CONTRACT
    assert tuple(results.table.columns) == RESULT_COLUMNS
    assert set(results.table["measure"]) <= {"mean", "proportion", "rate", "percent_change", "count"}


SURVEY_CLAIMS = {
    "parent_ratings",
    "stress_lower",
    "satisfaction_higher",
    "violence_lower",
    "confidence_higher",
}


def test_every_measured_published_figure_reproduces(results):
    pub = results.published.set_index("key")
    measured = pub[pub["reproduced"].notna()].drop(index="repeat_cp_lower")
    assert len(measured) >= 12
    assert measured["reproduced"].astype(bool).all(), measured[~measured["reproduced"].astype(bool)]
    unmeasured = set(pub.index[pub["reproduced"].isna()])
    assert unmeasured == {"sickness_893_200910_part", "applicants"} | SURVEY_CLAIMS


def test_survey_claims_with_one_unit_model_authority_have_no_valid_test(results):
    # the sample's surveys hold one unit-model authority: its rows compare places, and the
    # published-figure check says so instead of "reproduced"
    pub = results.published.set_index("key").loc[sorted(SURVEY_CLAIMS)]
    assert (pub["status"] == "direction matches; no valid test").all()
    assert pub["note"].str.contains("compare places").all()


def test_a_directional_claim_needs_a_valid_significant_test(results):
    # one treated authority against 10 comparators: the placebo p is at least 1/11 > 0.05, so
    # "lower rates of repeat plans" cannot be reproduced by the DiD, whatever its sign
    row = results.published.set_index("key").loc["repeat_cp_lower"]
    assert row["reproduced"] is False and row["status"] == "not reproduced"
    assert "smallest placebo p is 1/11 = 0.091" in row["note"]


def test_every_family_and_design_present(results):
    assert set(results.table["family"]) == {"worker", "parent", "admin", "cost"}
    assert {
        "cross_section",
        "cross_section_rank",
        "multilevel",
        "consistency",
        "before_after",
        "did",
        "its",
        "cost_change",
        "cost_did",
    } <= set(results.table["design"])


def test_adjustment_within_questions_on_primary_rows_of_comparative_designs(results):
    t = results.table
    tests = t[~t["question"].isin(["", "places"])]
    assert set(tests["design"]) <= COMPARATIVE_DESIGNS and tests["primary"].all()
    # the sample's surveys compare places, and the cost comparison is descriptive (no test)
    assert set(tests["question"]) == {"admin"}
    admin = tests[tests["question"] == "admin"]
    assert set(admin["design"]) == {"did", "its"} and len(admin) == 18
    assert (
        admin["adjustment"] == "stepdown over 18 tests of question 'admin' (Westfall-Young maxT "
        "over their joint permutation distribution)"
    ).all()
    assert (tests["p_adjusted"] >= tests["p_value"] - 1e-12).all()
    # with ten comparators the step-down floor is the permutation floor 1/11, not Holm's 18/11 -> 1
    assert admin["p_adjusted"].min() == pytest.approx(1 / 11)
    others = t.drop(tests.index)
    assert others["p_adjusted"].isna().all() and (others["adjustment"] == "").all()
    # nothing outside a question is read as significant
    assert not others["interpretation"].str.contains("statistically significant").any()


def test_survey_rows_with_one_unit_model_authority_compare_places(results):
    t = results.table
    survey = t[t["family"].isin(["worker", "parent"]) & t["design"].isin(["cross_section", "consistency"])]
    assert (survey["question"] == "places").all()
    assert survey["interpretation"].str.startswith("compares ").all()
    tested = survey[survey["p_value"].notna()]
    assert (
        tested["interpretation"]
        .str.contains("tests whether these authorities' (?:workers|parents) differ")
        .all()
    )


def test_holm_and_bh_remain_options(results):
    spec = default_sample_spec(SAMPLE)
    for method in ("holm", "bh"):
        t = compare(spec.with_options(adjust=method), only=["admin"]).table
        admin = t[t["question"] == "admin"]
        expected = adjust_pvalues(admin["p_value"], method=method)
        assert admin["p_adjusted"].to_numpy() == pytest.approx(expected, abs=1e-15)
        assert admin["adjustment"].str.startswith(f"{method} over 18 tests of question 'admin'").all()


def test_same_inputs_and_seed_give_identical_csv(results):
    again = compare(default_sample_spec(SAMPLE))
    assert again.to_csv() == results.to_csv()


def test_only_some_families():
    r = compare(default_sample_spec(SAMPLE), only=["cost"])
    assert set(r.table["family"]) == {"cost"}
    with pytest.raises(SpecError, match="unknown family 'costs'; valid: worker, parent, admin, cost"):
        compare(default_sample_spec(SAMPLE), only=["costs"])


def test_provenance_hashes_the_inputs(results):
    import hashlib

    files = {f["file"]: f["sha256"] for f in results.provenance["inputs"]}
    digest = hashlib.sha256((SAMPLE / "costs.csv").read_bytes()).hexdigest()
    assert files["costs.csv"] == digest
    assert results.provenance["synthetic"] is True


@pytest.mark.parametrize("suffix", [".csv", ".json", ".parquet"])
def test_write_formats(results, tmp_path, suffix):
    path = results.write(tmp_path / f"r{suffix}")
    if suffix == ".csv":
        back = pd.read_csv(path)
        assert len(back) == len(results.table)
    elif suffix == ".json":
        data = json.loads(path.read_text())
        assert len(data["results"]) == len(results.table) and data["provenance"]["synthetic"]
    else:
        assert len(pd.read_parquet(path)) == len(results.table)


def test_unknown_output_format(results, tmp_path):
    with pytest.raises(SpecError, match=r"unknown output format '.xlsx'; valid: .csv, .json, .parquet"):
        results.write(tmp_path / "r.xlsx")


def test_summary_and_html_say_synthetic(results):
    assert results.summary().startswith("SYNTHETIC DATA")
    assert "Synthetic data" in results._repr_html_()


def test_explicit_comparator_list(tmp_path):
    spec = load_spec(
        {
            "unit_model": ["E09000012"],
            "intervention_year": 2008,
            "comparators": ["E09000028", "E09000022", "E09000014"],
            "data": {"admin": ["admin_panel.csv"]},
        },
        data_dir=SAMPLE,
    )
    did = compare(spec).table.query("design == 'did'")
    assert set(did["comparison"]) == {"3 comparators"}


@needs_dfe
def test_statistical_neighbours_as_comparators():
    spec = load_spec(
        {
            "unit_model": ["E09000012"],
            "intervention_year": 2008,
            "comparators": "statistical_neighbours",
            "data": {
                "admin": ["admin_panel.csv"],
                "neighbours": str(DFE / "New_Statistical_Neighbour_Groupings_April_2021.csv"),
            },
        },
        data_dir=SAMPLE,
    )
    did = compare(spec).table.query("design == 'did'")
    assert set(did["comparison"]) == {"10 comparators"}


def test_interpretation_text(results):
    row = results.table.query("outcome == 'children_looked_after' and design == 'did'").iloc[0]
    text = row["interpretation"]
    assert f"stepdown-adjusted p = {row['p_adjusted']:.2g}" in text
    assert ("not statistically significant" in text) == (row["p_adjusted"] >= 0.05)
    place = results.table.query(
        "outcome == 'ghq_score' and comparison == 'all conventional' and design == 'cross_section'"
    ).iloc[0]
    assert place["interpretation"].startswith("compares Unit-model LA's workers with all conventional")
    assert effect_label("hedges_g", place["effect_size"]) and RULES_TEXT not in place["interpretation"]


def test_admin_and_cost_comparators_are_resolved_separately(tmp_path):
    # the cost ledger covers 3 authorities, the panel 11: each design uses its own comparators
    costs = pd.read_csv(SAMPLE / "costs.csv")
    keep = ["E09000012", "E09000028", "E09000022"]
    costs[costs["la_code"].isin(keep)].to_csv(tmp_path / "costs.csv", index=False)
    (tmp_path / "admin_panel.csv").write_bytes((SAMPLE / "admin_panel.csv").read_bytes())
    spec = load_spec(
        {
            "unit_model": ["E09000012"],
            "intervention_year": 2008,
            "data": {"admin": ["admin_panel.csv"], "costs": "costs.csv"},
        },
        data_dir=tmp_path,
    )
    t = compare(spec).table
    assert set(t.loc[t["design"] == "did", "comparison"]) == {"10 comparators"}
    assert set(t.loc[t["design"] == "cost_did", "comparison"]) == {"2 comparators"}


@pytest.mark.parametrize(
    ("changes", "match"),
    [
        ({"unit_model": ["NOPE"]}, r"none of unit_model \(NOPE\) is in the administrative data"),
        ({"comparators": ["X1"]}, r"comparators \(X1\) can be one; none is in the administrative data"),
        ({"cost_years": [2001, 2002]}, r"cost_years \[2001, 2002\] are not both in the cost data"),
    ],
    ids=["unit-model", "comparators", "cost-years"],
)
def test_spec_that_matches_no_data_is_an_error(changes, match):
    base = {
        "unit_model": ["E09000012"],
        "intervention_year": 2008,
        "data": {"admin": ["admin_panel.csv"], "costs": "costs.csv"},
    }
    with pytest.raises(SpecError, match=match):
        compare(load_spec({**base, **changes}, data_dir=SAMPLE))


GROUPINGS = "New_Statistical_Neighbour_Groupings_April_2021.csv"


def _sample_spec(tmp_path=None, **changes):
    base = {
        "unit_model": ["E09000012"],
        "intervention_year": 2008,
        "baseline_year": 2006,
        "followup_year": 2009,
        "data": {"admin": ["admin_panel.csv"], "costs": "costs.csv"},
    }
    return load_spec({**base, **changes}, data_dir=tmp_path or SAMPLE)


def test_a_council_ledger_of_its_own_costs_runs_and_records_the_comparator_part(tmp_path):
    # issue #13: a council's ledger covers only itself; compare used to exit 2 and produce nothing
    costs = pd.read_csv(SAMPLE / "costs.csv")
    costs[costs["la_code"] == "E09000012"].to_csv(tmp_path / "costs.csv", index=False)
    (tmp_path / "admin_panel.csv").write_bytes((SAMPLE / "admin_panel.csv").read_bytes())
    spec = _sample_spec(tmp_path, comparators=["E09000028", "E09000022"], cost_years=[2009, 2010])
    r = compare(spec, only=["cost"])
    own = r.table.query("design == 'cost_change' and outcome == 'total_cost'")
    assert len(own) == 1 and own["effect_size"].iloc[0] == pytest.approx(-4.97, abs=0.005)
    skip = r.skipped.query("design == 'cost_did'").iloc[0]
    assert skip["outcome"] == "total_cost"
    assert "0 comparator(s) in the cost data" in skip["reason"]
    # only=["cost"] reads no panel (issue #12), so the names come from the bundled LA lookup
    assert "Southwark (E09000028), Lambeth (E09000022) not in it" in skip["reason"]
    cost = r.provenance["comparison"]["cost"]
    assert [(a["la_code"], a["in_data"]) for a in cost["authorities"]] == [
        ("E09000012", True),
        ("E09000028", False),
        ("E09000022", False),
    ]


def test_engine_skip_records_for_what_the_spec_asks_but_cannot_run():
    spec = _sample_spec(intervention_year=None, designs=["did", "its", "cross_section"])
    r = compare(spec, only=["admin", "worker"])
    got = {(s.family, s.design): s.reason for s in r.skipped.itertuples()}
    assert got[("admin", "did")] == "no intervention_year in the spec"
    assert got[("admin", "its")] == "no intervention_year in the spec"
    assert got[("worker", "")] == "--only worker: the spec has no [data] worker_survey"
    assert got[("worker", "cross_section")].startswith("designs asks for cross_section")


def test_every_design_and_indicator_gives_rows_or_a_reason(results):
    # the SSDA903 return gives cla_started for 2010 only: before/after, DiD and ITS cannot use it
    s = results.skipped.query("outcome == 'cla_started'").set_index("design")["reason"]
    assert "2006->2009: no 2006 or 2009 value for" in s.loc["before_after"].iloc[0]
    assert s.loc["did"].startswith("cla_started has 0 year(s) before 2008 and 1 from 2008 on (2010)")
    assert s.loc["its"].endswith("an interrupted time series needs 3 of each")
    rows = results.table
    for outcome in set(rows.loc[rows["family"] == "admin", "outcome"]):
        for design in ("did", "its"):
            assert ((rows["design"] == design) & (rows["outcome"] == outcome)).any() or (
                (results.skipped["design"] == design) & (results.skipped["outcome"] == outcome)
            ).any(), (design, outcome)


def test_published_figures_are_checked_only_against_hackney():
    # the same sample data, but Southwark declared the unit-model authority: its before/after rows
    # must not be read as Hackney's 470 -> 314
    r = compare(_sample_spec(unit_model=["E09000028"], before_after=[[2006, 2010]]), only=["admin"])
    pub = r.published.set_index("key")
    assert pub.loc["cla_470_2006", "status"] == "different authority"
    assert pub.loc["cla_470_2006", "reproduced"] is None
    assert "E09000028" in pub.loc["cla_470_2006", "note"]
    assert not r.table["published_key"].astype(bool).any()


def test_coverage_and_official_check_are_written_beside_the_table(results, tmp_path):
    path = results.write(tmp_path / "r.csv")
    for name in ("skipped", "coverage", "official"):
        beside = pd.read_csv(path.with_suffix(f".{name}.csv"))
        assert len(beside) == len(getattr(results, {"official": "official_check"}.get(name, name)))
    data = json.loads(results.to_json())
    assert {"skipped", "coverage", "official_check"} <= set(data)
    cov = results.coverage.set_index(["indicator", "source"])
    assert cov.loc[("children_looked_after", "ssda903_episodes_2010.csv"), "superseded_years"] == "2010"
    assert cov.loc[("children_looked_after", "all sources"), "years"] == "2004-2016"
    assert results.official_check["reason"].str.startswith("synthetic data").all()


def test_compare_command_prints_skipped_and_coverage(capsys):
    from rsw_eval.cli import main

    assert main(["compare", str(SAMPLE), "--only", "admin"]) == 0
    out = capsys.readouterr().out
    assert "Not estimated" in out and "cla_started" in out
    assert "Data coverage" in out and "admin children_looked_after: 2004-2016" in out
    assert "Official statistics beside the published claims" in out


@needs_dfe
def test_an_authoritys_own_statistical_neighbours():
    spec = _sample_spec(
        unit_model=["E09000012", "E09000028"],
        comparators="statistical_neighbours",
        data={"admin": ["admin_panel.csv"], "neighbours": str(DFE / GROUPINGS)},
    )
    r = compare(spec, only=["admin"], authority="E09000028")
    prov = r.provenance["comparison"]["admin"]
    assert prov["neighbours_of"] == "E09000028" and prov["groupings_year"] == 2021
    assert prov["how"].startswith("statistical neighbours of")
    comps = [a for a in prov["authorities"] if a["role"] == "comparator"]
    # Southwark's 2021 neighbours (groupings file): SN1 is Hackney, a unit-model authority, so
    # never a comparator; the nearest comparator is SN2
    assert comps[0]["rank"] == 2 and all(a["la_code"] != "E09000012" for a in comps)
    assert comps[0]["la_code"] == "E09000022" and comps[0]["la_name"].startswith("Lambeth")  # 208
    assert comps[0]["closeness"] == "Close"
    treated = set(r.series.loc[r.series["role"] == "treated", "la_code"])
    assert treated == {"E09000028"}
    # an authority that is not a unit-model one is benchmarked (issue 18); one not in the data is
    # still an error
    with pytest.raises(SpecError, match="authority 'E09000001' is not in the administrative data"):
        compare(spec, only=["admin"], authority="E09000001")


@needs_dfe
def test_real_looked_after_series_with_gaps_named_neighbours_and_official_check():
    from tests.inputs.test_inputs import NEW_ENTRY, OLD_ENTRY

    count_only = {"value": {"children_count": "children_looked_after"}}
    spec = load_spec(
        {
            "unit_model": ["E09000012"],
            "comparators": "statistical_neighbours",
            "intervention_year": 2019,
            "data": {
                "admin": [
                    "SFR27_2010_March.csv",
                    "SFR21_2011_CLA.csv",
                    "SFR36_CLA2014.csv",
                    OLD_ENTRY | {"value": {"number": "children_looked_after"}},
                    NEW_ENTRY | count_only,
                ],
                "neighbours": GROUPINGS,
            },
        },
        data_dir=DFE,
    )
    with pytest.warns(VintageWarning, match="2021-2023"):
        r = compare(spec, only=["admin"])
    cov = r.coverage.set_index(["indicator", "source"])
    total = cov.loc[("children_looked_after", "all sources")]
    assert (total["years"], total["gaps"]) == ("2010-2011, 2014, 2019-2025", "2012-2013, 2015-2018")
    assert total["n_authorities"] == 11  # Hackney and its 10 neighbours
    assert cov.loc[("children_looked_after", OLD_ENTRY["path"]), "superseded_years"] == "2021-2023"
    hackney = r.series[(r.series["la_code"] == "E09000012") & (r.series["role"] == "treated")]
    by_year = hackney.set_index("year")["value"]
    # DfE README anchors: 304 (2010, SFR27), 264 (2011, SFR21), 391 (2023, newer release), 352 (2025)
    assert (by_year[2010], by_year[2011], by_year[2023], by_year[2025]) == (304, 264, 391, 352)
    prov = r.provenance["comparison"]["admin"]
    names = [a["la_name"] for a in prov["authorities"] if a["role"] == "comparator"][:3]
    assert names == ["Southwark", "Lambeth", "Haringey"]  # README: 210, 208, 309
    assert prov["groupings_file"] == GROUPINGS and prov["groupings_year"] == 2021
    check = r.official_check.set_index("key")
    assert check.loc["cla_314_2010", "official_value"] == 304
    assert "no children_looked_after for 2006" in check.loc["cla_470_2006", "reason"]


def test_a_design_asked_for_that_gives_nothing_is_recorded():
    spec = _sample_spec(designs=["did", "cost_change"], intervention_year=2030)
    r = compare(spec, only=["admin"])
    reasons = r.skipped.query("design == 'did'")["reason"]
    assert len(reasons) and reasons.str.contains("0 from 2030 on").all()


@pytest.mark.parametrize(
    ("scopes", "context"),
    [(["cyps"], {"cost_scope": "cyps"}), (["csc", "csc"], {"cost_scope": "csc"}), (["", ""], {})],
    ids=["wider", "csc", "unstated"],
)
def test_the_cost_scope_comes_from_the_cost_data(scopes, context):
    # a loader that knows the scope of its lines (outturn crosswalk) keeps it in a `scope` column
    from rsw_eval.evaluation.engine import _context
    from rsw_eval.inputs import Inputs

    costs = pd.DataFrame({"la_code": "E09000012", "indicator": "total_cost", "scope": scopes})
    assert _context(Inputs(costs=costs)) == context


def test_every_interval_is_at_the_level_its_row_states():
    # the survey designs ignored spec.confidence (95% intervals labelled 80%): each design's
    # interval must narrow when the level falls, and ci_level must say the level
    wide = compare(default_sample_spec(SAMPLE)).table
    narrow = compare(default_sample_spec(SAMPLE).with_options(confidence=0.8)).table
    keys = ["outcome", "design", "comparison", "effect_size_name", "period", "treatment"]
    both = wide.merge(narrow, on=keys, suffixes=("_95", "_80"))
    both = both[both["ci_low_95"].notna() & both["ci_low_80"].notna()]
    assert set(both["design"]) >= {"cross_section", "consistency", "did", "its"}
    width_95 = both["ci_high_95"] - both["ci_low_95"]
    width_80 = both["ci_high_80"] - both["ci_low_80"]
    assert (width_80 < width_95).all(), both.loc[width_80 >= width_95, keys]
    assert (both["ci_level_80"] < both["ci_level_95"]).all()
