"""Staggered adoption counts only the adopters in its estimate and says which it left out (finding
B2, real d3 file without Hackney's ten 2021 neighbours: Hackney has no control, Hull has its own)."""

from __future__ import annotations

import warnings

import pandas as pd

from rsw_eval.evaluation.engine import compare
from rsw_eval.spec import load_spec
from tests.conftest import DFE, needs_dfe

D3 = "d3_cpps_subsequent_plan_2013_to_2025.csv"
HACKNEY_NEIGHBOURS = {"210", "208", "309", "209", "206", "320", "205", "306", "203", "308"}


@needs_dfe
def test_an_adopter_without_controls_is_not_counted_in_the_pooled_estimate(tmp_path):
    d3 = pd.read_csv(DFE / D3, dtype=str, keep_default_na=False)
    d3[~d3["old_la_code"].isin(HACKNEY_NEIGHBOURS)].to_csv(tmp_path / "d3.csv", index=False)
    spec = load_spec(
        {
            "unit_model": {"204": 2015, "810": 2016},
            "comparators": "statistical_neighbours",
            "donors": "statistical_neighbours",
            "designs": ["staggered"],
            "post_years": 4,
            "data": {
                "admin": [{"path": "d3.csv", "value": {"CPP_start": "cp_plans_started"}}],
                "neighbours": str(DFE / "New_Statistical_Neighbour_Groupings_April_2021.csv"),
            },
        },
        data_dir=tmp_path,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        results = compare(spec)
    att = results.table.query("design == 'staggered' and effect_size_name == 'att'")
    assert len(att) == 1
    assert att["treatment"].tolist() == ["1 adopter in 1 cohort (pooled)"]
    assert att["n_treatment"].tolist() == [1]
    cohorts = results.table.query("effect_size_name == 'att_group'")["period"].tolist()
    assert cohorts == ["cohort 2016"]
    left = results.skipped.query("design == 'staggered'")
    assert left["treatment"].tolist() == ["E09000012"]
    assert left["reason"].str.contains("no control").all()
    assert left["reason"].str.contains("left out of the pooled estimate").all()
