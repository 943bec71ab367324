"""The rule sets, a plain counts table with totals, and the series rules (counts, rates, DfE rounding)."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

from rsw_eval.disclosure import protect_series, rule_set, suppress_counts


@pytest.mark.parametrize("seed", range(20))
def test_secondary_suppression_of_a_counts_table_leaves_nothing_to_solve(seed):
    rng = np.random.default_rng(seed)
    counts = pd.DataFrame(rng.integers(0, 30, size=(5, 4)))
    counts.iloc[rng.integers(0, 5), rng.integers(0, 4)] = int(rng.integers(1, 6))
    values, mask = suppress_counts(counts, 5)
    m = mask.to_numpy()
    small = (counts.to_numpy() >= 1) & (counts.to_numpy() <= 5)
    assert (m | ~small).all()  # every small count is suppressed
    for axis, k in itertools.chain(((1, r) for r in range(m.shape[0])), ((0, c) for c in range(m.shape[1]))):
        line = m[k] if axis == 1 else m[:, k]
        vals = counts.to_numpy()[k] if axis == 1 else counts.to_numpy()[:, k]
        if line.sum() == 1:
            assert not ((~line) & (vals > 0)).any()
    assert values.isna().to_numpy().sum() == m.sum()


def _series(indicators, values, year=2013):
    return pd.DataFrame({"la_code": "E09000001", "year": year, "indicator": indicators, "value": values})


def test_rates_follow_their_counts():
    s = _series(["population_0_17", "cla_rate_per_10k"], [20_000.0, 3.0])
    assert not protect_series(s)["suppressed"].any()  # 6 children: shown
    s["value"] = [20_000.0, 2.0]  # = 4 children, no count in the series: the rate gives it away
    assert protect_series(s)["suppressed"].tolist() == [False, True]
    s = _series(["children_looked_after", "population_0_17", "cla_rate_per_10k"], [4.0, 20_000.0, 2.0])
    out = protect_series(s)
    assert out["suppressed"].tolist() == [True, False, True] and out["flag"].tolist()[0] == "c"


def test_percentage_with_a_small_complement_goes():
    # 3+ placements: 97% of 100 children = 97; the other 3 are a small count
    s = _series(["children_looked_after", "placements_3plus_pct"], [100.0, 97.0])
    assert protect_series(s)["suppressed"].tolist() == [False, True]


def test_dfe_rules_suppress_1_to_7_and_round_sub_national_counts_from_2012():
    s = pd.DataFrame(
        {
            "la_code": ["E09000001"] * 3 + ["E92000001"],
            "year": [2011, 2012, 2013, 2013],
            "indicator": "children_looked_after",
            "value": [123.0, 123.0, 7.0, 69_001.0],
            "role": ["treated"] * 3 + ["england"],
        }
    )
    out = protect_series(s, rules=rule_set("dfe"))
    assert out["value"].tolist()[:2] == [123.0, 125.0] and np.isnan(out["value"].iloc[2])
    assert out["value"].iloc[3] == 69_001.0  # national figures are not rounded
    assert protect_series(s)["value"].tolist()[:3] == [123.0, 123.0, 7.0]  # default: 7 > 5 is shown


def test_dfe_rates_are_computed_from_the_rounded_count():
    # 123 children of 20,000: the published rate 61.5 x 2 would give 123 back; from 125 it is 62.5
    s = _series(["children_looked_after", "population_0_17", "cla_rate_per_10k"], [123.0, 20_000.0, 61.5])
    out = protect_series(s, rules=rule_set("dfe")).set_index("indicator")["value"]
    assert out["children_looked_after"] == 125 and out["cla_rate_per_10k"] == pytest.approx(62.5)
    # a rate without its count in the series: recomputed from the rounded implied count
    s = _series(["population_0_17", "cla_rate_per_10k"], [20_000.0, 61.5])
    out = protect_series(s, rules=rule_set("dfe")).set_index("indicator")["value"]
    assert out["cla_rate_per_10k"] == pytest.approx(62.5)


@pytest.mark.parametrize(
    ("pct", "denominator", "value"),
    [
        ("placement_long_term_pct", "cla_long_term_under16", 92.5),  # 37 of 40: 3 are not
        ("care_leavers_19_21_eet_pct", "care_leavers_19_21", 5.0),  # 3 of 60
        ("care_leavers_17_18_suitable_accommodation_pct", "care_leavers_17_18", 95.0),  # 57 of 60
        ("care_leavers_19_21_suitable_accommodation_pct", "care_leavers_19_21", 6.7),  # 4 of 60
        ("care_leavers_17_18_eet_pct", "care_leavers_17_18", 1.7),  # 1 of 60
    ],
)
def test_every_dashboard_percentage_of_a_count_in_the_panel_is_protected(pct, denominator, value):
    """F4: each percentage of a count in docs/indicators.md goes where its count (value x
    denominator) or its complement is from 1 to t, and under the DfE rules is recomputed from the
    rounded count over the rounded denominator."""
    s = pd.DataFrame(
        {"la_code": "E09000001", "year": 2015, "indicator": [denominator, pct], "value": [60.0, value]}
    )
    if denominator == "cla_long_term_under16":
        s["value"] = [40.0, value]
    out = protect_series(s)
    assert out["suppressed"].tolist() == [False, True]
    s["value"] = [62.0, 50.0]  # 31 of 62: published as 30 of 60 under the DfE rules
    assert protect_series(s, rules=rule_set("dfe"))["value"].tolist() == [60.0, 50.0]


def test_a_count_rounded_into_the_suppressed_range_is_suppressed():
    """SFR 27/2010's rule (1-5 suppressed, rounded to 5): 6 would be printed as 5, a value the
    rule never shows (the published 5 would say the count was 3 to 7)."""
    s = pd.DataFrame(
        {"la_code": "E09000012", "year": 2006, "indicator": ["children_looked_after"], "value": [6.0]}
    ).assign(source="sfr27-2010amv5.xls", flag="")
    out = protect_series(s, rules=rule_set("dfe"))
    assert out["value"].isna().all() and out["suppressed"].all()
