"""A ``[derived]`` indicator computed from the costs (spending per child) is protected with its count
(findings-q7disc F1): ``total_cost / residential_placements`` kept its raw value where the count was
suppressed, and the published total_cost divided by it gave the count back (40,000,000 / 13,333,333.3 = 3)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from rsw_eval.disclosure import rule_set
from rsw_eval.inputs import load_inputs
from rsw_eval.publication import count_rules, protect_inputs
from rsw_eval.spec import load_spec

HACKNEY, OTHER = "E09000012", "E09000002"


def _files(folder, small: int) -> None:
    rows = [
        (code, year, count)
        for code, counts in ((HACKNEY, (30, small)), (OTHER, (40, 44)))
        for year, count in zip((2009, 2010), counts, strict=True)
    ]
    pd.DataFrame(rows, columns=["la_code", "year", "value"]).assign(
        indicator="residential_placements"
    ).to_csv(folder / "panel.csv", index=False)
    pd.DataFrame(
        {
            "la_code": [HACKNEY, HACKNEY, OTHER, OTHER],
            "year": ["2008-09", "2009-10"] * 2,
            "cost_line": "looked_after_placements",
            "amount_gbp": [4.0e7, 3.8e7, 3.0e7, 3.1e7],
        }
    ).to_csv(folder / "costs.csv", index=False)


@pytest.mark.parametrize("rules", ["default", "dfe"])
@pytest.mark.parametrize("small", [1, 3, 5])
def test_a_cost_per_child_is_hidden_where_its_count_is(tmp_path, small, rules):
    _files(tmp_path, small)
    spec = load_spec(
        {
            "unit_model": [HACKNEY],
            "disclosure_rules": rules,
            "data": {"admin": ["panel.csv"], "costs": "costs.csv"},
            "derived": {"spend_per_res": "total_cost / residential_placements"},
        },
        data_dir=tmp_path,
    )
    inputs = load_inputs(spec, ["admin", "cost"])
    raw = inputs.panel.set_index(["la_code", "year", "indicator"])["value"]
    assert raw[(HACKNEY, 2010, "spend_per_res")] == pytest.approx(3.8e7 / small)  # computed from the costs
    rules_, _ = count_rules(spec, inputs.panel, rule_set(spec.disclosure_rules, spec.disclosure_threshold))
    protected, _ = protect_inputs(inputs, rules_)
    out = protected.panel.set_index(["la_code", "year", "indicator"])["value"]
    assert np.isnan(out[(HACKNEY, 2010, "residential_placements")])
    assert np.isnan(out[(HACKNEY, 2010, "spend_per_res")])  # 38,000,000 / it would give the count back
    assert out[(HACKNEY, 2009, "spend_per_res")] == pytest.approx(4.0e7 / 30)  # nothing hidden, kept
    assert out[(OTHER, 2010, "spend_per_res")] == pytest.approx(3.1e7 / 44)
