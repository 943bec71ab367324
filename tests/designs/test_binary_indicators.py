"""Finding A7: 0/1 and constant indicators built from the real DfE d3 file (child protection
plans), as the attacker built them (notes' make_binary.py): a before/after change in percentage
points, a conformal interval that never excludes its own estimate, and no ratio to donors that
fit one another exactly."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from rsw_eval.designs.before_after import before_after
from rsw_eval.designs.synth import synthetic_control
from rsw_eval.inputs import load_inputs
from rsw_eval.spec import load_spec
from tests.conftest import DFE, needs_dfe

pytestmark = needs_dfe

D3 = "d3_cpps_subsequent_plan_2013_to_2025.csv"
HULL = "E06000010"
#: Hull's 2021 statistical neighbours (old LA numbers), none of them an adopter in binary.toml
HULLS = ["861", "806", "890", "812", "355", "805", "851", "393", "879", "852"]


def _panel(tmp_path, column: str, make) -> pd.DataFrame:
    """The d3 file with ``column`` made by ``make`` (a function of the raw table), loaded as the
    tool loads it."""
    raw = pd.read_csv(DFE / D3, dtype=str, keep_default_na=False)
    raw[column] = make(raw)
    raw.to_csv(tmp_path / "d3.csv", index=False)
    spec = load_spec(
        {
            "unit_model": {"810": 2017},
            "comparators": HULLS,
            "data": {"admin": [{"path": "d3.csv", "value": {column: column}}]},
        },
        data_dir=tmp_path,
    )
    return load_inputs(spec, {"admin"}).panel


def _high_repeat(raw):
    v = pd.to_numeric(raw["CPP_subsequent_percent"], errors="coerce")
    return ["x" if x != x else ("1" if x > 20 else "0") for x in v]


@pytest.fixture(scope="module")
def binary(tmp_path_factory):
    return _panel(tmp_path_factory.mktemp("binary"), "high_repeat", _high_repeat)


def _codes(panel, olds):
    from rsw_eval.io._lacodes import gss_code

    return [c for c in (gss_code(o) for o in olds) if c in set(panel["la_code"])]


def test_a_binary_indicator_changes_in_percentage_points(binary):
    """binary.toml: 'percent_change ... not computed: a value is missing or not positive'."""
    rows = before_after(binary, [HULL], _codes(binary, HULLS), [(2016, 2020)])
    hull = next(r for r in rows if "Hull" in r["treatment"])
    wide = binary[binary["la_code"] == HULL].set_index("year")["value"]
    assert hull["effect_size_name"] == "change_pp" and hull["measure"] == "proportion"
    assert hull["effect_size"] == pytest.approx(100 * (wide[2020] - wide[2016]))
    context = next(r for r in rows if r["treatment"].startswith("comparators"))
    assert context["effect_size_name"] == "change_pp" and "pp" in context["note"]


def test_the_conformal_interval_contains_its_estimate_or_is_withheld(binary):
    """Hull's synthetic_gap_conformal was [-1.4998, -2.0e-14] around 0.0833, p = 0.5."""
    framed = binary[(binary["year"] >= 2013) & (binary["year"] <= 2020)]
    rows = synthetic_control(framed, treated=HULL, donors=_codes(binary, HULLS), intervention_year=2017)
    conf = [r for r in rows if r.get("effect_size_name") == "synthetic_gap_conformal"]
    assert conf
    for r in conf:
        if np.isfinite(r["ci_low"]):
            assert r["ci_low"] <= r["effect_size"] <= r["ci_high"]
        else:
            assert np.isnan(r["p_value"]) and "no interval" in r["note"]


def test_donors_that_fit_one_another_exactly_give_no_ratio(tmp_path):
    """degen.toml: 'pre-period RMSPE 1.08 (122097713949850.14 times the donors' median ...)'."""

    def constant_before(raw):
        out = raw["CPP_subsequent_percent"].copy()
        out[raw["time_period"].str[:4].astype(int) < 2016] = "10.0"
        return out

    panel = _panel(tmp_path, "repeat_pct", constant_before)
    framed = panel[(panel["year"] >= 2013) & (panel["year"] <= 2020)]
    codes = sorted(set(framed["la_code"]) - {HULL})
    rows = synthetic_control(framed, treated=HULL, donors=codes[:20], intervention_year=2017)
    main = [r for r in rows if r.get("effect_size_name") == "synthetic_gap"]
    for r in main:
        assert "times the donors' median" not in r["note"] or r["prefit_ratio"] < 1e6
        if np.isnan(r["prefit_ratio"]):
            assert "fit one another exactly" in r["note"]


def test_solver_tolerance_zeros_give_no_ratio_on_a_binary_outcome(binary):
    """B11 (binary_nc.toml): Hull 'pre-period RMSPE 2.89e-07 (0.41 times the donors' median ...)':
    a ratio of two solver-tolerance zeros on the 0/1 high_repeat."""
    from rsw_eval.designs._synth_limits import FIT_TOL

    framed = binary[(binary["year"] >= 2013) & (binary["year"] <= 2020)]
    rows = synthetic_control(framed, treated=HULL, donors=_codes(binary, HULLS), intervention_year=2017)
    main = [r for r in rows if r.get("effect_size_name") == "synthetic_gap"]
    assert main and all(r["prefit_rmspe"] <= FIT_TOL for r in main)  # exact fits (0/1 data)
    for r in main:
        assert not np.isfinite(r["prefit_ratio"]) and "times the donors' median" not in r["note"]
        assert "fits exactly, as do the donors" in r["note"]
