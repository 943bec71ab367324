"""The overlap between two files says only what is published (findings-q7disc F2): the warning and
``provenance.overlaps`` printed "E09000012 2010: 3 kept, 28 replaced" beside a suppressed count of 3,
and the largest differences (25, 89%) gave 28 and 3 back even without the example."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

from rsw_eval.disclosure import rule_set
from rsw_eval.inputs import load_inputs
from rsw_eval.publication import count_rules, protect_inputs, published_overlaps
from rsw_eval.spec import load_spec

HACKNEY, OTHER = "E09000012", "E09000002"


def _file(path, values: dict) -> None:
    rows = [(code, year, v) for (code, year), v in values.items()]
    pd.DataFrame(rows, columns=["la_code", "year", "value"]).assign(
        indicator="residential_placements"
    ).to_csv(path, index=False)


@pytest.mark.parametrize("small", [1, 3, 5])
def test_an_overlap_never_names_a_suppressed_value(tmp_path, small):
    base = {(HACKNEY, 2009): 30, (HACKNEY, 2010): 28, (OTHER, 2009): 40, (OTHER, 2010): 42}
    _file(tmp_path / "old.csv", base)
    _file(tmp_path / "new.csv", {**base, (HACKNEY, 2010): small, (OTHER, 2010): 44})
    spec = load_spec({"unit_model": [HACKNEY], "data": {"admin": ["old.csv", "new.csv"]}}, data_dir=tmp_path)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        inputs = load_inputs(spec, ["admin"])
    said = " ".join(str(w.message) for w in caught)
    assert "differ" in said and f"{small:g} kept" not in said and "28 replaced" not in said
    rules, _ = count_rules(spec, inputs.panel, rule_set())
    protected, _ = protect_inputs(inputs, rules)
    (o,) = published_overlaps(protected.overlaps, protected.panel, rules)
    assert "_differ" not in o and o["disagree"] == 2
    assert o["examples"].startswith(f"{OTHER} 2010: 44 kept, 42 replaced")  # published: said
    assert f"{HACKNEY} 2010" not in o["examples"]
    assert (o["max_abs_difference"], o["max_rel_difference"]) == (2.0, pytest.approx(2 / 42))


def test_under_dfe_rounding_an_overlap_gives_places_not_values(tmp_path):
    """A replaced value is the other file's exact figure: beside a rounded count its difference gives
    it back, so under "dfe" only the authority-years are said."""
    base = {(HACKNEY, 2013): 30, (OTHER, 2013): 40}
    _file(tmp_path / "old.csv", base)
    _file(tmp_path / "new.csv", {(HACKNEY, 2013): 28, (OTHER, 2013): 43})
    spec = load_spec(
        {"unit_model": [HACKNEY], "disclosure_rules": "dfe", "data": {"admin": ["old.csv", "new.csv"]}},
        data_dir=tmp_path,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        inputs = load_inputs(spec, ["admin"])
    rules, _ = count_rules(spec, inputs.panel, rule_set("dfe"))
    protected, _ = protect_inputs(inputs, rules)
    (o,) = published_overlaps(protected.overlaps, protected.panel, rules)
    assert o["max_abs_difference"] is None and o["max_rel_difference"] is None
    assert "28" not in o["examples"] and "43" not in o["examples"] and "values not shown" in o["examples"]
