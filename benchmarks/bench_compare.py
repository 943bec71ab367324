"""`compare` on the sample, and `compare --only cost` reading only the cost inputs.

(a)  rsw_eval.compare on data/sample, all families, warm, median of 3
(a') `rsw-eval compare data/sample` end to end in a new process (imports included)
(d)  compare(only=["cost"]) warm, median of 9: today (the cost file only) against the old path
     (every input of the spec loaded, then the cost step) and against the plain pandas script a
     user would write for the headline figure (total cost, percent change 2008-09 -> 2009-10)
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "sample"

from _common import median_call, report  # noqa: E402

from rsw_eval.evaluation.engine import compare  # noqa: E402
from rsw_eval.inputs import load_inputs  # noqa: E402
from rsw_eval.spec import default_sample_spec  # noqa: E402


def peer_total_cost() -> float:
    """The plain script: Hackney's total cost, percent change between the two years."""
    costs = pd.read_csv(SAMPLE / "costs.csv")
    total = costs[costs["la_code"] == "E09000012"].groupby("year")["amount_gbp"].sum()
    return 100 * (total["2009-10"] / total["2008-09"] - 1)


def main() -> dict[str, float]:
    spec = default_sample_spec(SAMPLE)
    compare(spec)  # warm imports and caches
    figures = {"a_compare_sample_warm_s": median_call(lambda: compare(spec), 3)}
    start = time.perf_counter()
    cli = [sys.executable, "-m", "rsw_eval.cli", "compare", str(SAMPLE), "--format", "csv"]
    subprocess.run(cli, check=True, capture_output=True)
    figures["a_compare_sample_cli_cold_s"] = time.perf_counter() - start
    only = compare(spec, only=["cost"]).table
    headline = only.query("design == 'cost_change' and outcome == 'total_cost'")["effect_size"].iloc[0]
    assert abs(headline - peer_total_cost()) < 1e-9, (headline, peer_total_cost())
    figures["d_only_cost_s"] = median_call(lambda: compare(spec, only=["cost"]), 9)
    figures["d_only_cost_loading_s"] = median_call(lambda: load_inputs(spec, ["cost"]), 9)
    figures["d_old_path_loading_everything_s"] = median_call(lambda: load_inputs(spec), 9)
    figures["d_peer_pandas_script_s"] = median_call(peer_total_cost, 9)
    figures["d_ratio_only_cost_over_peer"] = figures["d_only_cost_s"] / figures["d_peer_pandas_script_s"]
    return report("compare", {k: round(v, 4) for k, v in figures.items()})


if __name__ == "__main__":
    main()
