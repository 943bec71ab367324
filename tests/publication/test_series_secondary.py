"""Secondary suppression on the series (F6 of the disclosure attack): a ``[derived]`` count from 1
to t that is the difference of two published counts (40 plans started - 37 second plans = 3 first
plans) had its inputs published beside it; the row whose value it hides said ``suppressed False``."""

from __future__ import annotations

import numpy as np
import pandas as pd

from rsw_eval.disclosure import rule_set
from rsw_eval.inputs._derived import _compute
from rsw_eval.publication import protect_panel
from rsw_eval.spec._derived import parse_derived
from tests.publication._data import TREATED, Panel, _toml, spec

PLANTED = {(TREATED, 2014, "cp_plans_started"): 40.0, (TREATED, 2014, "cp_plans_repeat"): 37.0}
FIRST = {"indicator": "cp_first_plans", "expr": "cp_plans_started - cp_plans_repeat"}


def test_one_input_of_a_small_derived_difference_is_hidden_with_its_rate():
    panel = Panel(PLANTED, extra={"cp_plans_repeat": 200}).frame().assign(flag="", source="panel.csv")
    rate = {"indicator": "cp_plans_repeat_pct"}
    rows = panel[panel["indicator"] == "cp_plans_repeat"].assign(indicator=rate["indicator"], value=92.5)
    first = _compute(panel, parse_derived({FIRST["indicator"]: FIRST["expr"]})[0])
    out, _ = protect_panel(pd.concat([panel, rows, first], ignore_index=True), rule_set(), [FIRST])
    here = out[(out["la_code"] == TREATED) & (out["year"] == 2014)].set_index("indicator")["value"]
    assert np.isnan(here["cp_first_plans"])
    assert np.isnan(here["cp_plans_repeat"]) and np.isnan(here["cp_plans_repeat_pct"])  # 37 < 40
    assert here["cp_plans_started"] == 40.0
    other = out[(out["la_code"] == TREATED) & (out["year"] == 2013)].set_index("indicator")["value"]
    assert other.notna().all()  # nothing hidden where the difference is not small


def test_the_compared_rows_give_no_difference_and_say_suppressed(tmp_path):
    from rsw_eval.evaluation.engine import compare
    from rsw_eval.spec import load_spec

    s = spec(tmp_path, survey=None, panel=Panel(PLANTED, extra={"cp_plans_repeat": 200}))
    s["designs"] = ["before_after"]
    s["derived"] = {**s["derived"], "cp_first_plans": FIRST["expr"]}
    (tmp_path / "spec.toml").write_text(_toml(s))
    table = compare(load_spec(tmp_path / "spec.toml")).protected().table
    rows = table[(table["design"] == "before_after") & table["period"].astype(str).str.endswith("2014")]
    treated = rows["treatment"].astype(str)
    rows = rows[treated.str.contains(TREATED) & ~treated.str.startswith("comparators")].set_index("outcome")
    assert np.isnan(rows.loc["cp_first_plans", "value_treatment"])
    assert bool(rows.loc["cp_first_plans", "suppressed"])
    started, repeat = (
        rows.loc["cp_plans_started", "value_treatment"],
        rows.loc["cp_plans_repeat", "value_treatment"],
    )
    assert np.isnan(started) or np.isnan(repeat)
    assert bool(rows.loc["cp_plans_repeat", "suppressed"])


def test_a_derived_count_of_a_derived_count_is_a_count():
    """disclosure2 G2: ``d2 = residential - first`` with ``first = started - repeat`` (40 - 32 = 8,
    11 - 8 = 3) was no count (its term ``first`` is not a panel count): d2 = 3 was published."""
    planted = {
        (TREATED, 2014, "cp_plans_started"): 40.0,
        (TREATED, 2014, "cp_plans_repeat"): 32.0,
        (TREATED, 2014, "residential_placements"): 11.0,
    }
    panel = Panel(planted, extra={"cp_plans_repeat": 200}).frame().assign(flag="", source="panel.csv")
    second = {"indicator": "d2", "expr": "residential_placements - cp_first_plans"}
    for order in ([FIRST, second], [second, FIRST]):
        rows = [panel]
        for entry in (FIRST, second):
            d = parse_derived({entry["indicator"]: entry["expr"]})[0]
            rows.append(_compute(pd.concat(rows, ignore_index=True), d).assign(source=f"derived:{d.name}"))
        out, _ = protect_panel(pd.concat(rows, ignore_index=True), rule_set(), order)
        here = out[(out["la_code"] == TREATED) & (out["year"] == 2014)].set_index("indicator")["value"]
        assert np.isnan(here["d2"])
        # and not by subtraction: residential - (started - repeat)
        assert (
            np.isnan(here["residential_placements"])
            or np.isnan(here["cp_first_plans"])
            and (np.isnan(here["cp_plans_started"]) or np.isnan(here["cp_plans_repeat"]))
        )


def test_a_rate_goes_with_its_hidden_denominator():
    """disclosure2 G7: the secondary cell for ``cla_not_cp = cla - cp_plans_started`` (297 - 294 = 3)
    is cp_plans_started; cp_plans_repeat_pct = 32 / 294 x 100 stayed published beside repeat = 32,
    so started = 32 / 0.10884 = 294 and cla_not_cp = 3 came back."""
    planted = {
        (TREATED, 2014, "children_looked_after"): 297.0,
        (TREATED, 2014, "cp_plans_started"): 294.0,
        (TREATED, 2014, "cp_plans_repeat"): 32.0,
    }
    panel = Panel(planted, extra={"cp_plans_repeat": 200}).frame().assign(flag="", source="panel.csv")
    rows = panel[panel["indicator"] == "cp_plans_repeat"].assign(indicator="cp_plans_repeat_pct", value=10.9)
    entry = {"indicator": "cla_not_cp", "expr": "children_looked_after - cp_plans_started"}
    d = _compute(panel, parse_derived({entry["indicator"]: entry["expr"]})[0]).assign(source="derived:x")
    out, _ = protect_panel(pd.concat([panel, rows, d], ignore_index=True), rule_set(), [entry])
    here = out[(out["la_code"] == TREATED) & (out["year"] == 2014)].set_index("indicator")["value"]
    assert np.isnan(here["cla_not_cp"]) and np.isnan(here["cp_plans_started"])
    assert here["cp_plans_repeat"] == 32.0
    assert np.isnan(here["cp_plans_repeat_pct"])
