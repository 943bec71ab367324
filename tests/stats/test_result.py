"""The result object: fixed columns, immutability, invalid results, summaries."""

import dataclasses

import numpy as np
import pytest

from rsw_eval.stats import COLUMNS, StatResult, two_proportions, welch_t


def test_to_frame_has_fixed_columns_for_every_function():
    for result in (
        welch_t([1, 2, 3], [2, 3, 5]),
        two_proportions(3, 10, 5, 10),
        StatResult.invalid("x", "because"),
    ):
        assert tuple(result.to_frame().columns) == COLUMNS


def test_results_are_frozen():
    r = welch_t([1, 2, 3], [2, 3, 5])
    with pytest.raises(dataclasses.FrozenInstanceError):
        r.estimate = 0.0
    with pytest.raises(TypeError):
        r.details["se"] = 0.0


def test_invalid_result_keeps_na_and_reason():
    r = StatResult.invalid("icc", "no variation within clusters")
    row = r.to_frame().iloc[0]
    assert not row["valid"] and row["reason"] == "no variation within clusters"
    assert np.isnan(row["estimate"]) and np.isnan(row["p_value"])


def test_getitem_lists_available_names():
    r = two_proportions(3, 10, 5, 10)
    assert r["cohens_h"].name == "cohens_h"
    with pytest.raises(KeyError, match="available are risk_difference, risk_ratio"):
        r["hedges_g"]


def test_text_and_html_summaries():
    r = welch_t([1, 2, 3], [2, 3, 5])
    assert "mean_difference" in str(r) and "Welch" in str(r)
    html = r._repr_html_()
    assert html.startswith("<div>") and "<table" in html


def test_full_precision_kept():
    r = welch_t([1.0, 2.0, 3.0], [2.0, 3.0, 5.0])
    assert r.estimate == pytest.approx(2.0 - 10 / 3, abs=1e-15)
