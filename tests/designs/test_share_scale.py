"""B3 of the authority2 attack: the real DfE repeat-plan percentage (0-100) loaded under a
``*_share`` or ``*_proportion`` name changed by 750 pp (x 100 for the name). A share's scale is
read from its values: any value above 1 makes it a 0-100 percentage; a 0-1 share is x 100."""

from __future__ import annotations

import numpy as np
import pytest

from rsw_eval.designs._units import points_scale
from rsw_eval.designs.before_after import before_after
from rsw_eval.inputs import load_inputs
from rsw_eval.spec import load_spec
from tests._derived_dfe import D3, derived_d3, spec_dict
from tests.conftest import needs_dfe

SOUTHWARK = "E09000028"
NAMES = ("repeat_pct", "repeat_share", "repeat_proportion", "repeat_percent")


@needs_dfe
def test_a_0_100_share_changes_in_points_as_a_percentage_does(tmp_path):
    derived_d3(tmp_path)
    spec = dict(spec_dict({}))
    spec["data"]["admin"] = [{"path": D3, "value": {"CPP_subsequent_percent": n}} for n in NAMES]
    spec["data"]["admin"].append({"path": "d3_bin.csv", "value": {"repeat_frac": "repeat_frac_share"}})
    panel = load_inputs(load_spec(spec, data_dir=tmp_path), {"admin"}).panel
    others = sorted(set(panel["la_code"]) - {SOUTHWARK})
    rows = before_after(panel, [SOUTHWARK], others, [(2015, 2019)])
    own = {
        r["outcome"]: r
        for r in rows
        if r["treatment"].endswith(f"({SOUTHWARK})") and "median" not in r["treatment"]
    }
    ctx = {r["outcome"]: r for r in rows if r["treatment"].startswith("comparators")}
    for name in (*NAMES, "repeat_frac_share"):
        assert own[name]["effect_size_name"] == "change_pp"
        assert own[name]["effect_size"] == pytest.approx(7.5, abs=0.01)  # 9.3 -> 16.8
        assert ctx[name]["effect_size"] == pytest.approx(ctx["repeat_pct"]["effect_size"], abs=0.01)
        assert abs(ctx[name]["effect_size"]) <= 100


def test_a_shares_scale_is_read_from_its_values():
    assert points_scale("x_share", np.array([0.2, 0.9, np.nan])) == 100.0
    assert points_scale("x_proportion", np.array([0.2, 1.5])) == 1.0
    assert points_scale("x_share", np.array([np.nan])) == 100.0  # no values: the name's default
