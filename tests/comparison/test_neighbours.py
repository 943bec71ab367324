"""Statistical neighbours (DfE groupings) and nearest neighbours on own characteristics."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from rsw_eval import DataError
from rsw_eval.comparison.neighbours import (
    load_statistical_neighbours,
    nearest_neighbours,
    statistical_neighbours,
)
from tests.conftest import DFE, needs_dfe


@needs_dfe
def test_hackney_neighbours_real_file():
    # DfE 2021 groupings: Hackney's neighbours start 210 Southwark, 208 Lambeth, 309 Haringey
    table = load_statistical_neighbours(DFE / "New_Statistical_Neighbour_Groupings_April_2021.csv")
    assert statistical_neighbours("E09000012", 3, table=table) == ["E09000028", "E09000022", "E09000014"]
    assert statistical_neighbours("204", table=table)[0] == "E09000028"
    assert (table.groupby("la_code").size() == 10).all()
    # one spelling of the bands in every model ("Very Close" in 2021, "Close " in 2025)
    assert set(table["closeness"]) == {
        "Extremely close",
        "Very close",
        "Close",
        "Somewhat close",
        "Not close",
    }
    assert set(table["model"]) == {2021}


@needs_dfe
def test_hackney_2025_model_row_48_real_file():
    # sn_model_2025_wide.csv row 48 (as Excel shows it), read by hand: 204 Hackney, SN_1 210
    # "Somewhat close", SN_2 206, SN_3 309, SN_4 208, SN_5 211, SN_6 209, SN_7 202 (all "Somewhat
    # close"), SN_8 352, SN_9 320, SN_10 213 ("Not close")
    table = load_statistical_neighbours(DFE / "sn_model_2025_wide.csv")
    h = table[table["la_code"] == "E09000012"].sort_values("rank")
    assert h["neighbour_old_code"].tolist() == [
        "210",
        "206",
        "309",
        "208",
        "211",
        "209",
        "202",
        "352",
        "320",
        "213",
    ]
    assert h["closeness"].tolist() == ["Somewhat close"] * 7 + ["Not close"] * 3
    assert set(table["model"]) == {2025}
    assert table["la_code"].nunique() == 153 and (table.groupby("la_code").size() == 10).all()


@needs_dfe
def test_reorganised_authorities_in_each_model_real_file():
    old = load_statistical_neighbours(DFE / "New_Statistical_Neighbour_Groupings_April_2021.csv")
    new = load_statistical_neighbours(DFE / "sn_model_2025_wide.csv")
    # 2021 still has Cumbria (909, row 139) and the pre-2019 Dorset, Poole, Bournemouth rows;
    # 2025 has Cumberland (942, row 32: first neighbour 943 Westmorland and Furness)
    assert "E10000006" in set(old["la_code"]) and "E10000006" not in set(new["la_code"])
    assert {"E10000009", "E06000029", "E06000028"} <= set(old["la_code"])
    assert statistical_neighbours("942", 1, table=new) == ["E06000064"]
    with pytest.raises(
        DataError,
        match=r"'909' is not in the 2025 model.*Cumbria \(909\) was abolished on "
        r"2023-04-01; its area is now Cumberland \(942\) and Westmorland and Furness",
    ):
        statistical_neighbours("909", table=new)


def test_unknown_authority():
    table = pd.DataFrame({"la_code": ["A"], "neighbour_code": ["B"], "rank": [1], "old_la_code": ["100"]})
    with pytest.raises(DataError, match="'Z' is not in the groupings table"):
        statistical_neighbours("Z", table=table)


def test_not_a_groupings_file():
    with pytest.raises(DataError, match="not a statistical neighbour groupings file.*2025 model"):
        load_statistical_neighbours(pd.DataFrame({"x": [1]}))


def test_2025_layout_constructed_and_bands_normalised():
    raw = pd.DataFrame(
        [["204", "Hackney", "3", "London", "210", "Close ", "206", "Very Close"]],
        columns=["old_la_code", "la_name", "region_ind", "region_name", "SN_1", "SN_1P", "SN_2", "SN_2P"],
    )
    t = load_statistical_neighbours(raw, model=2025)
    assert t["neighbour_code"].tolist() == ["E09000028", "E09000019"]
    assert t["closeness"].tolist() == ["Close", "Very close"]
    assert t["model"].tolist() == [2025, 2025]


def test_reorganisation_records():
    from rsw_eval.io._lacodes import reorganisation

    assert reorganisation("E06000064")["change"] == "created"  # Westmorland and Furness, from Cumbria
    assert (
        reorganisation("E10000021")["related"]
        == "North Northamptonshire (940) and West Northamptonshire (941)"
    )
    assert "Dorset (835)" in reorganisation("E06000058")["related"]  # BCP took Christchurch from Dorset
    assert reorganisation("E06000065")["change"] == "recoded"  # North Yorkshire: one series
    assert reorganisation("E06000066")["related"] == "E10000027"  # Somerset
    assert reorganisation("E09000012") is None


def test_nearest_neighbours_hand_computed():
    # two variables, z-scores over four authorities (SD with n - 1), weights 1 and 4
    c = pd.DataFrame({"la_code": list("ABCD"), "x": [0.0, 1.0, 2.0, 3.0], "y": [10.0, 10, 20, 20]})
    out = nearest_neighbours(c, "A", 3, weights={"y": 4.0})
    sx, sy = np.std([0, 1, 2, 3], ddof=1), np.std([10, 10, 20, 20], ddof=1)
    expected = {
        k: np.sqrt(((c.x[i] - 0) / sx) ** 2 + 4 * ((c.y[i] - 10) / sy) ** 2) for i, k in enumerate("ABCD")
    }
    assert out["la_code"].tolist() == ["B", "C", "D"]
    assert out["distance"].tolist() == pytest.approx([expected["B"], expected["C"], expected["D"]], abs=1e-12)
    assert out["rank"].tolist() == [1, 2, 3]


def test_nearest_neighbours_unknown_variable():
    c = pd.DataFrame({"la_code": list("AB"), "x": [0.0, 1.0]})
    with pytest.raises(DataError, match=r"unknown or no variables \['z'\]"):
        nearest_neighbours(c, "A", variables=["z"])
