"""Permutation p-values and inverted intervals against an independent base-R implementation
(tests/reference/panel_permutation.R, output committed beside it as panel_permutation.json)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from rsw_eval.inference import assignment_weights, invert_permutation, linear_statistics

REFERENCE = json.loads((Path(__file__).parents[1] / "reference" / "panel_permutation.json").read_text())


@pytest.mark.parametrize("case", REFERENCE["cases"], ids=["one-treated", "two-treated"])
def test_matches_r(case):
    delta, scale = np.array(REFERENCE["delta"]), np.array(REFERENCE["scale"])
    w = assignment_weights(delta.size, case["treated"])
    assert w.shape[0] == case["assignments"]  # R: combn
    u, v, s = linear_statistics(delta, scale, w, case["treated"])
    r = invert_permutation(u, v, s, confidence=1 - case["alpha"])
    # R: statistics recomputed per assignment; ends by bisection to 1e-12
    for key in ("estimate", "p_value", "ci_low", "ci_high"):
        assert float(r[key]) == pytest.approx(case[key], abs=1e-8), key
    assert float(r["level"]) == pytest.approx(1 - case["alpha"], abs=1e-12)
