"""Benchmarks (``make bench``): the sample comparison and a national DiD screen, vectorised vs a
plain per-case loop over statsmodels. Prints a table and writes benchmarks/out/results.json.

  (a) rsw_eval.compare on data/sample (warm, median of 3; and the CLI end to end, cold)
  (b) national screen: 152 authorities x 20 years x 20 indicators; each authority treated in turn
      against its 10 nearest comparators; DiD with placebo inference (did_core, vectorised)
  (c) the same screen as a per-indicator, per-authority loop of statsmodels OLS fits (the treated
      fit and one per placebo), checked to give the same estimates as (b)
"""

from __future__ import annotations

import json
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from rsw_eval.designs.did import did_core, pre_post_change  # noqa: E402
from rsw_eval.engine import compare  # noqa: E402
from rsw_eval.spec import default_sample_spec  # noqa: E402

N_AUTH, N_YEARS, N_IND, K, INTERVENTION = 152, 20, 20, 10, 2010


def national_panel(seed: int = 1) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Synthetic (indicators, authorities, years) panel and each authority's 10 nearest others."""
    rng = np.random.default_rng(seed)
    years = np.arange(INTERVENTION - 10, INTERVENTION + 10)
    level = rng.normal(100, 20, (N_IND, N_AUTH, 1))
    trend = rng.normal(0, 1, (N_IND, 1, N_YEARS)).cumsum(axis=-1)
    y = level + trend + rng.normal(0, 2, (N_IND, N_AUTH, N_YEARS))
    characteristics = rng.normal(size=(N_AUTH, 4))
    dist = np.linalg.norm(characteristics[:, None, :] - characteristics[None, :, :], axis=-1)
    np.fill_diagonal(dist, np.inf)
    nearest = np.argsort(dist, axis=1, kind="stable")[:, :K]
    return y, years, nearest


def screen_vectorised(y, years, nearest) -> dict[str, np.ndarray]:
    change = pre_post_change(y, years, INTERVENTION)  # (indicators, authorities)
    return did_core(change, np.arange(N_AUTH), nearest)


def screen_loop(y, years, nearest) -> np.ndarray:
    """Per case: statsmodels OLS y ~ treated + post + treated:post on the 11 authorities, then the
    same with each comparator in turn as the treated one (the full permutation test); returns the
    estimates and permutation p-values."""
    import statsmodels.api as sm

    est = np.empty((N_IND, N_AUTH))
    pval = np.empty((N_IND, N_AUTH))
    post = (years >= INTERVENTION).astype(float)

    def fit(values, treated_row):
        n_auth = values.shape[0]
        treated = np.zeros(n_auth)
        treated[treated_row] = 1
        t = np.repeat(treated, N_YEARS)
        p = np.tile(post, n_auth)
        X = np.column_stack([np.ones_like(t), t, p, t * p])
        return sm.OLS(values.ravel(), X).fit().params[3]

    for i in range(N_IND):
        for a in range(N_AUTH):
            comps = nearest[a]
            values = y[i, np.r_[a, comps]]
            e = fit(values, 0)
            placebos = [fit(values, j) for j in range(1, K + 1)]
            est[i, a] = e
            pval[i, a] = (1 + sum(abs(x) >= abs(e) * (1 - 1e-12) for x in placebos)) / (K + 1)
    return np.stack([est, pval])


def timed(fn, *args, repeat=1):
    times, out = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        out = fn(*args)
        times.append(time.perf_counter() - start)
    return statistics.median(times), out


def main() -> None:
    spec = default_sample_spec(ROOT / "data" / "sample")
    compare(spec)  # warm imports and caches
    t_a, _ = timed(compare, spec, repeat=3)
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "rsw_eval.cli", "compare", str(ROOT / "data" / "sample"), "--format", "csv"],
        check=True,
        capture_output=True,
    )
    t_cli = time.perf_counter() - start

    y, years, nearest = national_panel()
    t_b, vec = timed(screen_vectorised, y, years, nearest, repeat=3)
    t_c, loop = timed(screen_loop, y, years, nearest)
    same_est = float(np.max(np.abs(vec["estimate"] - loop[0])))
    same_p = bool(np.array_equal(vec["p_value"], loop[1]))
    figures = {
        "machine": f"{platform.machine()}, {platform.processor() or 'cpu'}, "
        f"{__import__('os').cpu_count()} cores, Python {platform.python_version()}",
        "date": time.strftime("%Y-%m-%d"),
        "a_compare_sample_warm_s": round(t_a, 3),
        "a_compare_sample_cli_cold_s": round(t_cli, 3),
        "b_screen_vectorised_s": round(t_b, 4),
        "c_screen_statsmodels_loop_s": round(t_c, 2),
        "speedup_c_over_b": round(t_c / t_b, 1),
        "cases": N_IND * N_AUTH,
        "max_abs_estimate_difference_b_vs_c": same_est,
        "placebo_p_identical": same_p,
    }
    out = ROOT / "benchmarks" / "out"
    out.mkdir(exist_ok=True)
    (out / "results.json").write_text(json.dumps(figures, indent=2) + "\n")
    for key, value in figures.items():
        print(f"{key:40} {value}")


if __name__ == "__main__":
    main()
