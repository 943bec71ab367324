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
    assert set(table["closeness"]) >= {"Very Close", "Close", "Not Close"}


def test_unknown_authority():
    table = pd.DataFrame({"la_code": ["A"], "neighbour_code": ["B"], "rank": [1], "old_la_code": ["100"]})
    with pytest.raises(DataError, match="'Z' is not in the groupings table"):
        statistical_neighbours("Z", table=table)


def test_not_a_groupings_file():
    with pytest.raises(DataError, match="not a statistical neighbour groupings file"):
        load_statistical_neighbours(pd.DataFrame({"x": [1]}))


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
