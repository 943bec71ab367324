"""The plain script an analyst would write to protect a results table before publishing it (the
peer of ``Results.protected()`` in bench_publication.py): pandas only, no rsw_eval. A side of a
row whose group has 1 to t people, or on a yes/no outcome 1 to t events or non-events, loses its
size and value, and the row its statistics: primary suppression only, no secondary cells, no
audit of what the published numbers give back together.

Usage: ``python benchmarks/peer_publication.py RESULTS.parquet OUT.parquet``; prints the seconds
spent protecting (the file read excluded) as JSON.
"""

from __future__ import annotations

import json
import sys
import time

import numpy as np
import pandas as pd

THRESHOLD = 5
SIDES = {
    "treatment": ["n_treatment", "value_treatment", "sd_treatment"],
    "comparison": ["n_comparison", "value_comparison", "sd_comparison"],
}
STATISTICS = ["difference", "effect_size", "ci_low", "ci_high", "statistic", "df", "p_value", "p_adjusted"]


def protect(table: pd.DataFrame, t: int = THRESHOLD) -> pd.DataFrame:
    """Threshold suppression of each survey row's sides, and its statistics with either."""
    out = table.copy()
    any_side = np.zeros(len(out), bool)
    for side, columns in SIDES.items():
        n = out[f"n_{side}"]
        small = n.between(1, t)
        share = out["measure"].eq("proportion")
        events = (out[f"value_{side}"] * n).round()
        small |= share & (events.between(1, t) | (n - events).between(1, t))
        out.loc[small, [c for c in columns if c in out]] = np.nan
        any_side |= small.to_numpy()
    out.loc[any_side, [c for c in STATISTICS if c in out]] = np.nan
    out["suppressed"] = any_side
    return out


if __name__ == "__main__":
    frame = pd.read_parquet(sys.argv[1])
    start, cpu = time.perf_counter(), time.process_time()
    result = protect(frame)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    result.to_parquet(sys.argv[2])
    print(json.dumps({"seconds": seconds, "cpu": cpu, "rows": int(result["suppressed"].sum())}))
