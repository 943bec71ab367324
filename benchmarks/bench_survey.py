"""Survey comparisons at national size: ``compare_workers`` beside the plain CR2 script.

300,000 respondents in 150 authorities (50 unit-model), 20 units each, four outcomes
(``_survey_data.py``): 4 x 101 comparisons and one Brown-Forsythe test, each with a CR2 test.
rsw-eval: ``rsw_eval.designs.cross_section.compare_workers`` on the loaded survey (all its rows:
means, Hedges' g, Welch, CR2, rank rows, proportions with their other scales, three multilevel
models, consistency). Peer: ``peer_survey.py`` (the same comparisons without the multilevel model).
Each side runs in a process of its own, alternating, ``--runs`` times; the time is the comparison
alone (the file read excluded), with the process CPU time beside it; the ratio is taken per pair
and its median reported. The two are checked to give the same differences, CR2 p-values and df,
Hedges' g and relative effects.

Usage: ``python benchmarks/bench_survey.py [--n 300000] [--runs 3]``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from _common import report  # noqa: E402

OURS = """
import json, sys, time
import pandas as pd
from rsw_eval.designs.cross_section import compare_workers
from rsw_eval.io import load_worker_survey
frame = load_worker_survey(pd.read_parquet(sys.argv[1]))
start, cpu = time.perf_counter(), time.process_time()
rows = pd.DataFrame(compare_workers(frame))
seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
rows.drop(columns=[c for c in rows if rows[c].dtype == object and c not in
                   ("outcome", "comparison", "design", "effect_size_name")]).to_parquet(sys.argv[2])
print(json.dumps({"seconds": seconds, "cpu": cpu, "rows": len(rows)}))
"""
PEER = """
import json, runpy, sys, time
peer = runpy.run_path(sys.argv[3])
import pandas as pd
frame = pd.read_parquet(sys.argv[1])
start, cpu = time.perf_counter(), time.process_time()
result = peer["compare"](frame)
seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
result.to_parquet(sys.argv[2])
print(json.dumps({"seconds": seconds, "cpu": cpu, "rows": len(result)}))
"""


def _run(code: str, *args: str) -> dict:
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def agreement(ours: pd.DataFrame, peer: pd.DataFrame) -> float:
    """Largest absolute difference over the figures both compute (asserted below 1e-8)."""
    main = ours[ours["design"] == "cross_section"]
    main = main[main["effect_size_name"].isin(["hedges_g", "risk_difference"])].set_index(
        ["outcome", "comparison"]
    )
    rank = ours[ours["design"] == "cross_section_rank"].set_index(["outcome", "comparison"])
    spread = ours[ours["design"] == "consistency"].set_index("outcome")
    p = peer.set_index(["outcome", "comparison"])
    pairs = p.index.intersection(main.index)
    assert len(pairs) == len(main) == len(p) - 1, (len(pairs), len(main), len(p))
    diffs = [
        main.loc[pairs, "difference"] - p.loc[pairs, "difference"],
        main.loc[pairs, "p_value"] - p.loc[pairs, "p_value"],
        main.loc[pairs, "df"] - p.loc[pairs, "df"],
        main.loc[pairs, "difference_ci_low"] - p.loc[pairs, "lo"],
        main.loc[pairs, "effect_size"] - p.loc[pairs, "effect_size"],
    ]
    likert = rank.index
    diffs += [
        rank["effect_size"] - p.loc[likert, "relative_effect"],
        rank["statistic"] - p.loc[likert, "bm_statistic"],
    ]
    bf = p.loc[("practice_quality", "consistency")]
    diffs.append(pd.Series([spread.loc["practice_quality", "p_value"] - bf["p_value"]]))
    return float(max(np.nanmax(np.abs(np.asarray(d, dtype=float))) for d in diffs))


def main(n: int = 300_000, runs: int = 3) -> dict:
    from _survey_data import raw_survey

    figures: dict = {"respondents": n, "authorities": 150}
    with tempfile.TemporaryDirectory(prefix="rsw-bench-survey-") as tmp:
        data = Path(tmp) / "survey.parquet"
        raw_survey(n).to_parquet(data)
        ours_out, peer_out = str(Path(tmp) / "ours.parquet"), str(Path(tmp) / "peer.parquet")
        ours, peer = [], []
        for _ in range(runs):  # alternating, so both see the same load
            ours.append(_run(OURS, str(data), ours_out))
            peer.append(_run(PEER, str(data), peer_out, str(HERE / "peer_survey.py")))
        figures["max_abs_difference_vs_peer"] = agreement(
            pd.read_parquet(ours_out), pd.read_parquet(peer_out)
        )
        assert figures["max_abs_difference_vs_peer"] < 1e-8, figures
    figures.update(
        rows=ours[0]["rows"],
        rsw_eval_s=statistics.median(r["seconds"] for r in ours),
        rsw_eval_cpu_s=statistics.median(r["cpu"] for r in ours),
        peer_s=statistics.median(r["seconds"] for r in peer),
        peer_cpu_s=statistics.median(r["cpu"] for r in peer),
        ratio=statistics.median(a["seconds"] / b["seconds"] for a, b in zip(ours, peer, strict=True)),
        ratio_cpu=statistics.median(a["cpu"] / b["cpu"] for a, b in zip(ours, peer, strict=True)),
        load=os.getloadavg()[0],
    )
    diff = figures.pop("max_abs_difference_vs_peer")
    figures = {k: round(v, 4) if isinstance(v, float) else v for k, v in figures.items()}
    return report("survey", {**figures, "max_abs_difference_vs_peer": f"{diff:.1e}"})


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=300_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    main(args.n, args.runs)
