"""DfE rounding of a panel series: every rate comes from the counts as published."""

from __future__ import annotations

import pandas as pd
import pytest

from rsw_eval.disclosure import protect_series, rule_set


@pytest.mark.parametrize("looked_after", [398.0, 400.0, 402.0])
def test_dfe_rates_come_from_published_counts_only(looked_after):
    """Twins that differ only in an unrounded count (published as 400 either way) publish the same
    rates: a percentage over the unrounded denominator gave 402 back (35 x 100 / 8.7065 = 402), and
    a rate left as the file's own where rounding did not move the count said the count was exact."""
    s = pd.DataFrame(
        {
            "la_code": "E09000012",
            "year": 2014,
            "indicator": [
                "children_looked_after",
                "population_0_17",
                "cla_rate_per_10k",
                "placements_3plus_pct",
            ],
            "value": [looked_after, 58_388.0, round(looked_after / 58_388 * 10_000), 35 / looked_after * 100],
        }
    )
    out = protect_series(s, rules=rule_set("dfe")).set_index("indicator")["value"]
    assert out["children_looked_after"] == 400
    assert out["cla_rate_per_10k"] == pytest.approx(400 / 58_388 * 10_000)
    assert out["placements_3plus_pct"] == pytest.approx(35 / 400 * 100)
