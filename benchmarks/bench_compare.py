"""`compare` on the sample beside the plain script (``peer_compare.py``), and `compare --only cost`.

(a)  warm: ``rsw_eval.compare`` on data/sample, the second and later calls in one process, against
     ``peer_compare.compare`` likewise (each side in a process of its own, alternating; median of
     3 calls per process; the ratio taken per pair, median over ``--runs`` pairs)
(a') cold: ``rsw-eval compare data/sample`` end to end in a new process (imports included)
     against ``python benchmarks/peer_compare.py data/sample``, alternating, median of the ratios
     Both (a) and (a') give wall seconds and CPU seconds (``*_cpu_*``: the figure to read on a
     busy machine, where another process's load stretches the wall clock but not the CPU time).
(b)  what of the warm call is statistics the peer does not compute (HonestDiD, conformal interval,
     MDEs, multilevel model, event-time rows, ...), safeguards it has none of (disclosure control,
     published-figure checks, coverage) and the rest, ``core`` (``_extras.py``: CPU seconds)
(d)  compare(only=["cost"]) warm, median of 9: today (the cost file only) against the old path
     (every input of the spec loaded, then the cost step) and against the plain pandas script a
     user would write for the headline figure (total cost, percent change 2008-09 -> 2009-10)
The peer's numbers are checked against rsw-eval's rows (``agreement``).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SAMPLE = ROOT / "data" / "sample"
RSW = shutil.which("rsw-eval", path=str(Path(sys.executable).parent)) or "rsw-eval"

sys.path.insert(0, str(HERE))
from _common import median_call, report  # noqa: E402

WARM = """
import json, runpy, statistics, sys, time
from pathlib import Path
if sys.argv[1] == "rsw-eval":
    from rsw_eval import compare, default_sample_spec
    spec = default_sample_spec(sys.argv[2])
    run = lambda: compare(spec)
else:
    peer = runpy.run_path(sys.argv[3])
    run = lambda: peer["compare"](Path(sys.argv[2]))
run()
times, cpu = [], []
for _ in range(3):
    start, clock = time.perf_counter(), time.process_time()
    run()
    times.append(time.perf_counter() - start)
    cpu.append(time.process_time() - clock)
print(json.dumps({"seconds": statistics.median(times), "cpu": statistics.median(cpu)}))
"""


def _warm(which: str) -> tuple[float, float]:
    """Median wall and CPU seconds of a second (and later) call in one process."""
    cmd = [sys.executable, "-c", WARM, which, str(SAMPLE), str(HERE / "peer_compare.py")]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True)
    got = json.loads(out.stdout.strip().splitlines()[-1])
    return got["seconds"], got["cpu"]


def _cold(cmd: list[str]) -> tuple[float, float]:
    """Wall and CPU (user + system) seconds of ``cmd`` as a new process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(cmd, capture_output=True, check=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def _pairs(figures: dict, prefix: str, pairs: list) -> None:
    """Medians of each side and of the per-pair ratios, wall ([0]) and CPU ([1])."""
    for i, kind in ((0, ""), (1, "cpu_")):
        figures[f"{prefix}_compare_{kind}s"] = statistics.median(a[i] for a, _ in pairs)
        figures[f"{prefix}_peer_{kind}s"] = statistics.median(b[i] for _, b in pairs)
        figures[f"{prefix}_ratio_{kind}".rstrip("_")] = statistics.median(a[i] / b[i] for a, b in pairs)


def _keys(table: pd.DataFrame) -> dict:
    """rsw-eval's rows under the peer's keys (family, design, outcome, comparison)."""
    out = {}
    for r in table.itertuples():
        d, name = r.design, r.effect_size_name
        if d == "cross_section" and r.primary:
            key = (r.family, "contact_rate" if r.outcome == "contact_rate" else d, r.outcome, r.comparison)
        elif d == "cross_section_rank":
            key = (r.family, d, r.outcome, r.comparison)
        elif d == "consistency":
            key = (r.family, d, r.outcome, None)
        elif d == "before_after" and r.family == "admin":
            who = "comparators " if r.treatment.startswith("comparators") else ""
            key = ("admin", d, r.outcome, who + r.period)
        elif d == "its":
            part = "level" if name.startswith("level") else "slope"
            key = (
                "admin",
                d,
                r.outcome,
                ("own " if r.comparison.startswith("own") else "comparative ") + part,
            )
        elif (d in ("did", "synthetic_did") or name == "synthetic_gap") and r.family == "admin":
            key = ("admin", d, r.outcome, None)
        elif d in ("cost_change", "cost_did"):
            key = ("cost", d, r.outcome, None)
        else:
            continue
        out[key] = (r.effect_size, r.p_value)
    return out


def agreement(table: pd.DataFrame, peer: pd.DataFrame) -> dict:
    """Every figure the peer computes against rsw-eval's row for it: estimates, and p-values where
    both use the same test (CR2, Welch, Brunner-Munzel, the NB GLM, Levene, the cost DiD)."""
    ours = _keys(table)
    est, pval, missing = [], [], []
    for r in peer.itertuples():
        if r.design == "synthetic_control":  # the peer's plain ADH fit; rsw-eval shifts a treated path
            continue  # outside the donors' range and picks minimum-norm weights among exact fits
        key = (r.family, r.design, r.outcome, None if pd.isna(r.comparison) else r.comparison)
        if key not in ours:
            missing.append(key)
            continue
        e, p = ours[key]
        tol = 1e-8
        est.append((abs(e - r.estimate) / max(1.0, abs(e)), tol, key))
        if r.design not in ("did",) and np.isfinite(r.p_value) and np.isfinite(p):
            pval.append(abs(p - r.p_value))
    bad = [k for d, tol, k in est if not d <= tol]
    assert not missing and not bad, (missing[:5], bad[:5])
    return {
        "agreement_figures": len(est),
        "agreement_p_values": len(pval),
        "agreement_max_rel_estimate_diff": max(d for d, _, _ in est),
        "agreement_max_abs_p_diff": max(pval),
    }


def peer_total_cost() -> float:
    """The plain script: Hackney's total cost, percent change between the two years."""
    costs = pd.read_csv(SAMPLE / "costs.csv")
    total = costs[costs["la_code"] == "E09000012"].groupby("year")["amount_gbp"].sum()
    return 100 * (total["2009-10"] / total["2008-09"] - 1)


def main(runs: int = 5) -> dict:
    from rsw_eval.evaluation.engine import compare
    from rsw_eval.inputs import load_inputs
    from rsw_eval.spec import default_sample_spec

    spec = default_sample_spec(SAMPLE)
    sys.path.insert(0, str(HERE))
    from peer_compare import compare as peer_compare

    figures: dict = agreement(compare(spec).table, peer_compare(SAMPLE))
    warm, cold = [], []
    rsw_cli = [RSW, "compare", str(SAMPLE), "--format", "csv"]
    peer_cli = [sys.executable, str(HERE / "peer_compare.py"), str(SAMPLE)]
    for _ in range(runs):  # alternating pairs: both sides see the same load
        warm.append((_warm("rsw-eval"), _warm("peer")))
        cold.append((_cold(rsw_cli), _cold(peer_cli)))
    _pairs(figures, "a_warm", warm)
    _pairs(figures, "a2_cold", cold)
    out = subprocess.run(
        [sys.executable, str(HERE / "_extras.py"), str(SAMPLE), "3"],
        capture_output=True,
        text=True,
        check=True,
    )
    parts = json.loads(out.stdout.strip().splitlines()[-1])
    figures.update({f"b_{k}": v for k, v in parts.items()})
    peer_cpu = figures["a_warm_peer_cpu_s"]
    figures["b_ratio_core_cpu_over_peer"] = parts["core_cpu_s"] / peer_cpu
    figures["b_ratio_core_and_safeguards_cpu_over_peer"] = (
        parts["core_cpu_s"] + parts["safeguards_cpu_s"]
    ) / peer_cpu
    only = compare(spec, only=["cost"]).table
    headline = only.query("design == 'cost_change' and outcome == 'total_cost'")["effect_size"].iloc[0]
    assert abs(headline - peer_total_cost()) < 1e-9, (headline, peer_total_cost())
    figures["d_only_cost_s"] = median_call(lambda: compare(spec, only=["cost"]), 9)
    figures["d_only_cost_loading_s"] = median_call(lambda: load_inputs(spec, ["cost"]), 9)
    figures["d_old_path_loading_everything_s"] = median_call(lambda: load_inputs(spec), 9)
    figures["d_peer_pandas_script_s"] = median_call(peer_total_cost, 9)
    figures["d_ratio_only_cost_over_peer"] = figures["d_only_cost_s"] / figures["d_peer_pandas_script_s"]
    figures["load"] = os.getloadavg()[0]
    return report("compare", {k: round(v, 4) if isinstance(v, float) else v for k, v in figures.items()})


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    main(parser.parse_args().runs)
