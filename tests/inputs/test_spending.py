"""Spending inputs: a user's crosswalk beside the data (hashed), spending per child over the
population DfE divides by, revenue outturn entries and the deflator's missing years."""

from __future__ import annotations

import hashlib
import warnings

import pandas as pd
import pytest

from rsw_eval.inputs import load_inputs
from rsw_eval.io import DeflatorGapWarning, outturn_crosswalk
from rsw_eval.spec import load_spec
from tests.conftest import DFE, needs_dfe

HACKNEY = "E09000012"


def _panel(path):
    pd.DataFrame(
        {
            "la_code": HACKNEY,
            "year": [2024, 2025],
            "indicator": "population_0_17",
            "value": [54690.0, 54191.0],
        }
    ).to_csv(path, index=False)


def _ledger(path):
    pd.DataFrame(
        {
            "la_code": HACKNEY,
            "year": ["2023-24", "2024-25"],
            "cost_line": "placements",
            "amount_gbp": [9e7, 9.1e7],
        }
    ).to_csv(path, index=False)


def test_spend_per_child_divides_by_the_panels_population(tmp_path):
    _panel(tmp_path / "panel.csv")
    _ledger(tmp_path / "costs.csv")
    spec = load_spec(
        {
            "unit_model": [HACKNEY],
            "data": {"admin": ["panel.csv"], "costs": "costs.csv"},
            "derived": {"spend_per_child": "total_cost / population_0_17"},
        },
        data_dir=tmp_path,
    )
    p = load_inputs(spec).panel
    s = p[p["indicator"] == "spend_per_child"].set_index("year")
    # 2024-25: 91,000,000 / 54,191 (mid-2024, placed in the year ending March 2025)
    assert s.loc[2025, "value"] == pytest.approx(9.1e7 / 54191, rel=1e-12)
    assert s.loc[2025, "source"].startswith("derived: total_cost / population_0_17 from costs.csv")
    assert "total_cost" not in set(p["indicator"])  # the costs stay in the costs


@needs_dfe
def test_user_crosswalk_resolves_against_the_data_folder_and_is_hashed(tmp_path, monkeypatch):
    data = tmp_path / "data"
    data.mkdir()
    (data / "s251_outturn_1314.csv").write_bytes((DFE / "s251_outturn_1314.csv").read_bytes())
    outturn_crosswalk().to_csv(data / "my_lines.csv", index=False)
    monkeypatch.chdir(tmp_path)  # not the data folder: the path must not resolve from here
    spec = load_spec(
        {
            "unit_model": [HACKNEY],
            "data": {
                "costs": [
                    {"path": "s251_outturn_1314.csv", "expenditure": "gross", "crosswalk": "my_lines.csv"}
                ]
            },
        },
        data_dir=data,
    )
    inputs = load_inputs(spec, ["cost"])
    digest = hashlib.sha256((data / "my_lines.csv").read_bytes()).hexdigest()
    assert {"role": "crosswalk", "file": "my_lines.csv", "sha256": digest} in inputs.files
    assert set(inputs.costs["crosswalk"]) == {f"user: my_lines.csv sha256:{digest[:12]}"}


@needs_dfe
def test_revenue_and_s251_in_one_spec_with_a_deflator_gap():
    spec = load_spec(
        {
            "unit_model": [HACKNEY],
            "data": {
                "costs": [
                    {"path": "S251ye2018.xlsx", "expenditure": "gross"},
                    {"path": "RO3_LA_Data_2024-25_data_by_LA.ods", "expenditure": "gross"},
                ],
                "deflator": "GDP_Deflators_Budget_March_2020_update.xlsx",
            },
        },
        data_dir=DFE,
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        costs = load_inputs(spec, ["cost"]).costs
    assert any(issubclass(w.category, DeflatorGapWarning) for w in caught)
    h = costs[(costs["la_code"] == HACKNEY) & (costs["indicator"] == "total_cost")].set_index("year")
    assert h["collection"].to_dict() == {2018: "S251", 2025: "RO3"}
    assert h.loc[2018, "price_index"] == 97.908175 and pd.isna(h.loc[2025, "price_index"])
