"""Nested random-intercept model at 300 to 300,000 respondents: rsw-eval vs statsmodels MixedLM.

rsw-eval: ``stats.mixed_effect(frame, "y", "model", ["authority", "unit"])`` (fit from cluster
summaries). Peer: the script a user would write, ``smf.mixedlm("y ~ t", frame,
groups="authority", re_formula="1", vc_formula={"unit": "0 + C(unit)"}).fit(reml=True)``.
Each case runs in its own process (so a peer that runs out of time or memory does not stop the
others) with a time limit; time is the fit alone (the data are made first, and one fit on 300
respondents has imported what each side needs), memory the rise of
the peak resident set over the process before the fit. Usage: ``python
benchmarks/bench_multilevel.py`` (prints and returns the rows).
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
SIZES = (300, 3_000, 30_000, 300_000)
TIME_LIMIT = 180  # seconds per case


def survey(n: int, seed: int = 12) -> pd.DataFrame:
    """``n`` workers, about 10 per unit, 20 units per authority, 3 to 150 authorities (a third in
    the unit model); unit ICC 0.12, authority 5% of the variance."""
    rng = np.random.default_rng(seed)
    n_auth = int(min(150, max(3, n // 200)))
    n_units = max(n_auth * 2, n // 10)
    unit_auth = np.arange(n_units) % n_auth
    unit = rng.integers(0, n_units, n)
    unit[:n_units] = np.arange(n_units)  # every unit has someone
    auth = unit_auth[unit]
    treated = auth < max(1, n_auth // 3)
    y = (
        rng.normal(0, np.sqrt(0.05), n_auth)[auth]
        + rng.normal(0, np.sqrt(0.12), n_units)[unit]
        + rng.normal(0, np.sqrt(0.83), n)
        + 0.2 * treated
    )
    return pd.DataFrame(
        {"authority": auth, "unit": unit, "model": np.where(treated, "unit", "conventional"), "y": y}
    )


def _rss_mib() -> float:
    return int(Path("/proc/self/statm").read_text().split()[1]) * resource.getpagesize() / 2**20


def _one(which: str, n: int) -> dict:
    frame = survey(n)
    if which == "rsw-eval":
        sys.path.insert(0, str(ROOT))
        from rsw_eval import stats

        def fit(frame: pd.DataFrame) -> dict:
            r = stats.mixed_effect(frame, "y", "model", ["authority", "unit"])
            d = r.details
            return {
                "beta": r.estimate,
                "var_authority": d["variance_authority"],
                "var_unit": d["variance_unit"],
                "var_residual": d["variance_residual"],
            }
    else:
        import statsmodels.formula.api as smf

        def fit(frame: pd.DataFrame) -> dict:
            data = frame.assign(t=(frame["model"] == "unit").astype(float))
            model = smf.mixedlm(
                "y ~ t", data, groups="authority", re_formula="1", vc_formula={"unit": "0 + C(unit)"}
            )
            res = model.fit(reml=True, method=["powell"])
            return {
                "beta": float(res.fe_params["t"]),
                "var_authority": float(np.asarray(res.cov_re)[0, 0]),
                "var_unit": float(res.vcomp[0]),
                "var_residual": float(res.scale),
            }

    fit(survey(300))  # a first fit on 300 respondents: imports (rsw-eval's are lazy), on both sides
    before = _rss_mib()
    start = time.perf_counter()
    est = fit(frame)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"seconds": seconds, "memory_mib": max(peak - before, 0.0), "rss_before_mib": before, **est}


def _run(which: str, n: int) -> dict:
    try:
        out = subprocess.run(
            [sys.executable, __file__, "--one", which, str(n)],
            capture_output=True,
            text=True,
            timeout=TIME_LIMIT,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return {"status": f"did not finish in {TIME_LIMIT} s"}
    if out.returncode != 0:
        last = (out.stderr.strip().splitlines() or ["failed"])[-1]
        return {"status": last[:80]}
    return {"status": "ok", **json.loads(out.stdout.strip().splitlines()[-1])}


def main() -> list[dict]:
    rows = []
    for n in SIZES:
        ours = _run("rsw-eval", n)
        peer = _run("statsmodels", n)
        row = {
            "respondents": n,
            "rsw_eval_s": ours.get("seconds"),
            "rsw_eval_mib": ours.get("memory_mib"),
            "statsmodels_s": peer.get("seconds"),
            "statsmodels_mib": peer.get("memory_mib"),
            "statsmodels_status": peer["status"],
            "rsw_eval_status": ours["status"],
        }
        if peer["status"] == "ok" and ours["status"] == "ok":
            row["ratio"] = ours["seconds"] / peer["seconds"]
            row["max_abs_diff"] = max(
                abs(ours[k] - peer[k]) for k in ("beta", "var_authority", "var_unit", "var_residual")
            )
        rows.append(row)
        print(
            f"{n:>8,} respondents: rsw-eval {_fmt(ours)}; statsmodels {_fmt(peer)}"
            + (f"; ratio {row['ratio']:.3g}, max |diff| {row['max_abs_diff']:.1e}" if "ratio" in row else ""),
            flush=True,
        )
    return rows


def _fmt(r: dict) -> str:
    if r["status"] != "ok":
        return r["status"]
    return f"{r['seconds']:.3f} s, +{r['memory_mib']:.0f} MiB"


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--one":
        print(json.dumps(_one(sys.argv[2], int(sys.argv[3]))))
    else:
        main()
