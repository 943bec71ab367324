"""Issue 18 item 5 (finding A6): an adopter with no usable comparator is skipped alone, with the
reason; the run is an error only when no adopter at all can be compared. On the real DfE d3 file
(child protection plans), as the attacker ran it."""

from __future__ import annotations

import pandas as pd
import pytest

from rsw_eval._errors import SpecError
from rsw_eval.evaluation.engine import compare
from rsw_eval.spec import load_spec
from tests.conftest import DFE, needs_dfe

pytestmark = needs_dfe

D3 = "d3_cpps_subsequent_plan_2013_to_2025.csv"
GROUPS = "New_Statistical_Neighbour_Groupings_April_2021.csv"
HACKNEY, SOUTHWARK, HULL = "E09000012", "E09000028", "E06000010"
#: Hackney's 2021 statistical neighbours other than Southwark (old LA numbers)
HACKNEYS_OTHERS = {"208", "309", "209", "206", "320", "205", "306", "203", "308"}


def _spec(folder, comparators, unit_model, d3=D3):
    raw = {
        "title": "no comparator",
        "comparators": comparators,
        "donors": "comparators",
        "designs": ["did", "its", "before_after", "synthetic_control"],
        "post_years": 4,
        "unit_model": unit_model,
        # DfE's percentage read alone (a file renamed, or without its count and denominator, is no
        # file as DfE published it: withheld unless declared, q12disc Q1, q13disc R1)
        "not_counts": ["cp_plans_repeat_pct"],
        "data": {
            "neighbours": str(DFE / GROUPS),
            "admin": [{"path": d3, "value": {"CPP_subsequent_percent": "cp_plans_repeat_pct"}}],
        },
    }
    return load_spec(raw, data_dir=folder)


def test_when_no_adopter_can_be_compared_the_run_says_why(tmp_path):
    """repro-authority/nocomp.toml: Hackney listed as the only comparator of two adopters."""
    spec = _spec(DFE, ["204"], {"204": 2015, "210": 2016})
    with pytest.raises(
        SpecError, match=r"no unit-model authority can be compared: .*E09000012 uses the unit model"
    ):
        compare(spec)


def test_an_adopter_with_no_comparator_is_skipped_and_the_others_stand(tmp_path):
    """Hackney's and Southwark's neighbours are each other or not in the data; Hull's are there."""
    d3 = pd.read_csv(DFE / D3, dtype=str, keep_default_na=False)
    d3[~d3["old_la_code"].isin(HACKNEYS_OTHERS)].to_csv(tmp_path / "d3.csv", index=False)
    spec = _spec(tmp_path, "statistical_neighbours", {"204": 2015, "210": 2016, "810": 2017}, "d3.csv")
    r = compare(spec)
    skipped = r.skipped[r.skipped["design"].isin(["did", "synthetic_control"])]
    for code in (HACKNEY, SOUTHWARK):
        mine = skipped[skipped["treatment"].str.contains(code)]
        assert set(mine["design"]) == {"did", "synthetic_control"}
        assert mine["reason"].str.contains("uses the unit model").all()
        assert mine["reason"].str.contains("not in the administrative data").all()
        assert not r.table["treatment"].str.contains(f"({code})", regex=False).any() or set(
            r.table.loc[r.table["treatment"].str.contains(code), "design"]
        ) <= {"before_after", "its"}  # its own change and own trend, never a comparison
    did = r.table[(r.table["design"] == "did") & r.table["primary"]]
    assert len(did) and did["treatment"].str.contains(f"({HULL})", regex=False).all()
    assert did["p_value"].notna().all()


def test_an_adopter_the_neighbour_model_cannot_place_is_skipped_and_the_others_stand():
    """repro-authority2/northants.toml: Northamptonshire (928, abolished 2021) is not in the 2025
    neighbour model; it was a DataError that lost Hull's results. Now its comparisons are skip
    records with the model's reason, and staggered adoption runs without controls for it."""
    spec = load_spec(
        {
            "title": "abolished adopter",
            "comparators": "statistical_neighbours",
            "donors": "statistical_neighbours",
            "designs": ["did", "synthetic_control", "staggered"],
            "post_years": 4,
            "unit_model": {"928": 2017, "810": 2016},
            "data": {
                "neighbours": str(DFE / "sn_model_2025_wide.csv"),
                "admin": [{"path": D3, "value": {"CPP_subsequent_percent": "cp_plans_repeat_pct"}}],
            },
        },
        data_dir=DFE,
    )
    r = compare(spec)
    mine = r.skipped[r.skipped["treatment"].str.contains("E10000021")]
    assert {"did", "synthetic_control"} <= set(mine["design"])
    pooled = mine["design"] == "staggered"  # left out of the pooled estimate, with why (B2)
    assert mine.loc[~pooled, "reason"].str.contains("not in the 2025 model").all()
    assert mine.loc[pooled, "reason"].str.contains("left out of the pooled estimate").all()
    did = r.table[(r.table["design"] == "did") & r.table["primary"]]
    assert len(did) and did["treatment"].str.contains(f"({HULL})", regex=False).all()
