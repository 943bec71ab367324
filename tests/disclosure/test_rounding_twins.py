"""DfE rounding cannot be undone from the rates published beside rounded counts (issue 21): two
series whose counts differ only within their rounding intervals publish the same values, whatever
the file's own rates (rounded to whole numbers or 1 dp, as DfE prints them) say."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from rsw_eval.disclosure import protect_series, rule_set


def _series(cla: int, started: int, repeat: int, placements_3plus: int) -> pd.DataFrame:
    population = 58_060
    values = {
        "children_looked_after": cla,
        "population_0_17": population,
        "cla_rate_per_10k": round(cla / population * 10_000),  # DfE prints whole numbers
        "cp_plans_started": started,
        "cp_plans_repeat": repeat,
        "cp_plans_repeat_pct": round(repeat / started * 100, 1),  # and 1 dp
        "placements_3plus_pct": round(placements_3plus / cla * 100, 1),
    }
    return pd.DataFrame(
        {"la_code": "E09000012", "year": 2014, "indicator": list(values), "value": list(values.values())}
    ).astype({"value": float})


TWINS = [
    # the looked-after count moved by rounding (402 and 398 both print 400)
    ((402, 373, 33, 35), (398, 373, 33, 35)),
    # plans started and repeat plans within their intervals (373/375, 33/34 print 375 and 35)
    ((402, 373, 33, 35), (402, 376, 34, 35)),
    # a count already a multiple of 5 against one that rounding moved
    ((290, 375, 35, 30), (292, 377, 36, 30)),
]


@pytest.mark.parametrize(("a", "b"), TWINS)
def test_counts_within_one_rounding_interval_publish_the_same_series(a, b):
    rules = rule_set("dfe")
    first = protect_series(_series(*a), rules=rules)["value"].to_numpy()
    second = protect_series(_series(*b), rules=rules)["value"].to_numpy()
    np.testing.assert_array_equal(first, second)


def test_rates_are_computed_from_the_rounded_counts_only():
    out = protect_series(_series(402, 373, 33, 35), rules=rule_set("dfe")).set_index("indicator")["value"]
    assert out["children_looked_after"] == 400
    assert out["placements_3plus_pct"] == pytest.approx(35 / 400 * 100)  # not 35 / 402
    assert out["cp_plans_repeat_pct"] == pytest.approx(35 / 375 * 100)  # not 8.8 x 35 / 33
    assert out["cla_rate_per_10k"] == pytest.approx(400 / 58_060 * 10_000)


@pytest.mark.parametrize("cla", [290, 292])  # a count already a multiple of 5, and one rounding moves
def test_a_derived_rate_is_recomputed_in_every_rounded_year(cla):
    from rsw_eval.publication._inputs import protect_panel

    population = 58_388
    panel = pd.DataFrame(
        {
            "la_code": "E09000012",
            "year": 2015,
            "indicator": ["children_looked_after", "population_0_17", "cla_rate_per_10k"],
            "value": [float(cla), float(population), float(round(cla / population * 10_000))],
            "flag": "",
        }
    )
    entry = {"indicator": "cla_rate_per_10k", "expr": "children_looked_after / population_0_17 * 10000"}
    out, _ = protect_panel(panel, rule_set("dfe"), [entry])
    rate = out.set_index("indicator").loc["cla_rate_per_10k", "value"]
    assert rate == pytest.approx(290 / population * 10_000)  # never the file's whole-number 50


def test_a_dashboard_percentage_of_a_small_count_is_suppressed():
    """Re-referrals of 3 in 931 referrals: the annual report printed 0.3% beside 931."""
    s = pd.DataFrame(
        {
            "la_code": "E09000022",
            "year": 2014,
            "indicator": ["referrals", "rereferral_pct", "cp_plans", "cp_plans_2years_pct"],
            "value": [931.0, 3 / 931 * 100, 240.0, 4 / 240 * 100],
        }
    )
    out = protect_series(s).set_index("indicator")["value"]
    assert (
        out["referrals"] == 931 and np.isnan(out["rereferral_pct"]) and np.isnan(out["cp_plans_2years_pct"])
    )
