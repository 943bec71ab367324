"""Synthetic DiD with placebo standard errors: memory at 1,000 units and the national screen.

(a) 1,000 units x 20 years (10 pre), one treated, 200 placebos: ``sdid_estimate`` +
    ``sdid_placebo_se`` against ``peer_sdid.py`` (a numpy port of R synthdid, one fit at a time);
    each in its own process: wall and CPU seconds and the peak resident memory of the process;
    estimate and SE checked equal (to 1e-8).
(b) the national screen (issue 19 item 7): 152 authorities x 20 years (10 pre), each in turn
    against all the others, ``sdid_screen`` with its default in-space placebo SEs (the other
    authorities' screen fits), against the plain loop a user would write: each authority with
    ``sdid_estimate`` + ``sdid_placebo_se`` (200 placebo refits, R synthdid's Algorithm 4), timed on
    the first ``--loop`` authorities and scaled to 152. The estimates are asserted identical; the
    two SEs are compared (median and range of their ratio). ``--resample`` also times the screen
    with Algorithm 4's placebos batched (identical SEs to the loop; about 100 times the work).

Usage: ``python benchmarks/bench_sdid.py [--runs 1] [--loop 8] [--resample]``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from _common import report  # noqa: E402

CHILD = """
import json, resource, sys, time
sys.path.insert(0, {here!r})
from bench_sdid import panel
which, n = sys.argv[1], int(sys.argv[2])
Y = panel(n)
start, cpu = time.perf_counter(), time.process_time()
if which == "rsw-eval":
    from rsw_eval.designs.sdid import sdid_estimate, sdid_placebo_se
    fit = sdid_estimate(Y, n - 1, 10)
    se, _ = sdid_placebo_se(Y, n - 1, 10, fit, replications=200)
    est = fit["estimate"]
elif which == "peer":
    from peer_sdid import synthdid
    est, se = synthdid(Y, n - 1, 10)
elif which.startswith("screen"):
    from rsw_eval.designs.sdid_screen import sdid_screen
    r = sdid_screen(Y, 10, placebo=which[7:] or "in_space", replications=200)
    est, se = r["estimate"].tolist(), r["se"].tolist()
else:  # the same fits one authority at a time, for the first int(which[5:]) authorities
    import numpy as np
    from rsw_eval.designs.sdid import sdid_estimate, sdid_placebo_se
    est, se = [], []
    for a in range(int(which[5:])):
        Ya = np.vstack([np.delete(Y, a, axis=0), Y[a : a + 1]])
        fit = sdid_estimate(Ya, n - 1, 10)
        est.append(fit["estimate"])
        se.append(sdid_placebo_se(Ya, n - 1, 10, fit, replications=200)[0])
seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({{"seconds": seconds, "cpu": cpu, "peak_mb": peak, "estimate": est, "se": se}}))
"""


def panel(n: int, periods: int = 20, seed: int = 3) -> np.ndarray:
    """``n`` authority series: a level each, a common random-walk trend, own slopes, noise."""
    rng = np.random.default_rng(seed)
    level = rng.normal(100, 20, (n, 1))
    trend = rng.normal(0, 1, (1, periods)).cumsum(axis=-1)
    slope = rng.normal(0, 0.5, (n, 1)) * np.arange(periods)
    return np.round(level + trend + slope + rng.normal(0, 2, (n, periods)), 3)


def _run(which: str, n: int) -> dict:
    code = CHILD.format(here=str(HERE))
    out = subprocess.run(
        [sys.executable, "-c", code, which, str(n)], capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(runs: int = 1, loop: int = 8, resample: bool = False) -> dict:
    figures: dict = {}
    ours, peer = [], []
    for _ in range(runs):  # (a), alternating
        ours.append(_run("rsw-eval", 1000))
        peer.append(_run("peer", 1000))
    assert abs(ours[0]["estimate"] - peer[0]["estimate"]) < 1e-8 and abs(ours[0]["se"] - peer[0]["se"]) < 1e-8
    figures.update(
        a_rsw_eval_s=statistics.median(r["seconds"] for r in ours),
        a_rsw_eval_cpu_s=statistics.median(r["cpu"] for r in ours),
        a_rsw_eval_peak_mb=max(r["peak_mb"] for r in ours),
        a_peer_s=statistics.median(r["seconds"] for r in peer),
        a_peer_cpu_s=statistics.median(r["cpu"] for r in peer),
        a_peer_peak_mb=max(r["peak_mb"] for r in peer),
        a_ratio=statistics.median(a["seconds"] / b["seconds"] for a, b in zip(ours, peer, strict=True)),
        a_ratio_cpu=statistics.median(a["cpu"] / b["cpu"] for a, b in zip(ours, peer, strict=True)),
        a_max_abs_difference=max(
            abs(ours[0]["estimate"] - peer[0]["estimate"]), abs(ours[0]["se"] - peer[0]["se"])
        ),
    )
    screen, one = _run("screen", 152), _run(f"loop-{loop}", 152)  # (b)
    assert screen["estimate"][:loop] == one["estimate"]
    se_ratio = np.asarray(screen["se"][:loop]) / np.asarray(one["se"])
    figures.update(
        b_screen_s=screen["seconds"],
        b_screen_cpu_s=screen["cpu"],
        b_screen_peak_mb=screen["peak_mb"],
        b_one_at_a_time_s_per_authority=one["seconds"] / loop,
        b_one_at_a_time_cpu_s_per_authority=one["cpu"] / loop,
        b_one_at_a_time_scaled_to_152_s=one["seconds"] / loop * 152,
        b_ratio=screen["seconds"] / (one["seconds"] / loop * 152),
        b_estimates_identical_to_one_at_a_time=True,
        b_se_in_space_over_algorithm4_median=float(np.median(se_ratio)),
        b_se_in_space_over_algorithm4_min=float(se_ratio.min()),
        b_se_in_space_over_algorithm4_max=float(se_ratio.max()),
    )
    if resample:
        batched = _run("screen-resample", 152)
        assert batched["estimate"][:loop] == one["estimate"] and batched["se"][:loop] == one["se"]
        figures.update(
            b_resample_screen_s=batched["seconds"],
            b_resample_screen_cpu_s=batched["cpu"],
            b_resample_identical_to_one_at_a_time=True,
        )
    figures["load"] = os.getloadavg()[0]
    return report("sdid", {k: round(v, 4) if isinstance(v, float) else v for k, v in figures.items()})


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--loop", type=int, default=8)
    parser.add_argument("--resample", action="store_true")
    args = parser.parse_args()
    main(args.runs, args.loop, args.resample)
