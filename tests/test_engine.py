"""The engine on the sample: contract, published figures, determinism, families, formats."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from rsw_eval import SpecError
from rsw_eval.designs._rows import RESULT_COLUMNS
from rsw_eval.engine import COMPARATIVE_DESIGNS, compare
from rsw_eval.interpret import RULES_TEXT, effect_label
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


def test_every_measured_published_figure_reproduces(results):
    pub = results.published
    measured = pub[pub["reproduced"].notna()]
    assert len(measured) >= 17
    assert measured["reproduced"].astype(bool).all(), measured[~measured["reproduced"].astype(bool)]
    unmeasured = set(pub.loc[pub["reproduced"].isna(), "key"])
    assert unmeasured == {"sickness_893_200910_part", "applicants"}


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


def test_adjustment_within_families_on_primary_rows_of_comparative_designs(results):
    t = results.table
    comparative = t["design"].isin(COMPARATIVE_DESIGNS)
    eligible = t[t["primary"] & t["p_value"].notna() & comparative]
    expected = adjust_pvalues(eligible["p_value"], method="holm", families=eligible["family"])
    assert eligible["p_adjusted"].to_numpy() == pytest.approx(expected, abs=1e-15)
    # the adjustment column names the family and its size
    sizes = eligible["family"].value_counts()
    assert (eligible["adjustment"] == [f"holm over {sizes[f]} {f} tests" for f in eligible["family"]]).all()
    others = t.drop(eligible.index)
    assert others["p_adjusted"].isna().all() and (others["adjustment"] == "").all()
    # nothing outside a family is read as significant
    assert not others["interpretation"].str.contains("statistically significant").any()


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
    row = results.table.query(
        "outcome == 'ghq_score' and comparison == 'all conventional' and design == 'cross_section'"
    ).iloc[0]
    text = row["interpretation"]
    assert text.startswith(f"{effect_label('hedges_g', row['effect_size'])} effect (95% CI compatible with ")
    assert f"holm-adjusted p = {row['p_adjusted']:.2g}" in text
    assert ("not statistically significant" in text) == (row["p_adjusted"] >= 0.05)
    assert text.endswith(RULES_TEXT)


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
        ({"comparators": ["X1"]}, r"none of the comparators \(X1\) is in the administrative data"),
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
