"""Benchmarks of the donor-pool designs (issue #10); run ``python benchmarks/bench_donor.py``.

  (d) synthetic control with placebo in space: 152 authorities x 20 years x 20 indicators; one
      treated authority, the other 151 as donors, every donor refitted as a placebo
      (152 simplex fits per indicator, 3,040 in all; ``rsw_eval.designs.synth.synth_core``)
  (d') the same fits with pysyncon (``Synth.fit`` with the same equal V on the pre-period years),
      5 fits timed and scaled to 3,040; agreement of the treated pre-period fit
  (e) staggered ATT(g,t) on mpdta (500 counties x 5 years; R did reference) and the simple ATT
  (e') the same with the ``differences`` package (``ATTgt``), as a ratio

Prints a table and returns the figures as a dict (``main``); the speed helper's
``benchmarks/run.py`` may call ``main()``.
"""

from __future__ import annotations

import platform
import statistics
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from rsw_eval.designs._cs import aggregate, att_gt  # noqa: E402
from rsw_eval.designs.synth import synth_core  # noqa: E402

MPDTA = ROOT.parent / "shared" / "reference" / "did_mpdta" / "mpdta.csv"
N_AUTH, N_YEARS, N_IND, INTERVENTION = 152, 20, 20, 10
PYSYNCON_FITS = 5


def _panel(seed: int = 1) -> np.ndarray:
    rng = np.random.default_rng(seed)
    factors = rng.normal(size=(N_IND, 3, N_YEARS)).cumsum(axis=-1)
    loadings = rng.normal(1, 0.4, size=(N_IND, N_AUTH, 3))
    level = rng.normal(100, 20, (N_IND, N_AUTH, 1))
    return level + loadings @ factors + rng.normal(0, 1, (N_IND, N_AUTH, N_YEARS))


def synth_screen(y: np.ndarray) -> list[dict]:
    years = np.arange(N_YEARS)
    donors = np.arange(1, N_AUTH)
    return [synth_core(y[i], years, INTERVENTION, 0, donors, leave_one_out=False) for i in range(N_IND)]


def pysyncon_some(y: np.ndarray) -> tuple[float, np.ndarray]:
    """The treated fit and the first placebos of one indicator with pysyncon (about 4 s a fit, so
    only :data:`PYSYNCON_FITS` of the 3,040 are timed and the time is scaled); (seconds, RMSPEs)."""
    from pysyncon import Synth

    pre = np.arange(INTERVENTION)
    frame = pd.DataFrame(y[:, pre].T, columns=[f"u{j}" for j in range(N_AUTH)])
    rmspe = []
    start = time.perf_counter()
    for unit in range(PYSYNCON_FITS):
        pool = [j for j in range(1, N_AUTH) if j != unit]  # ADH: placebos never use the treated
        X0, X1 = frame.iloc[:, pool], frame.iloc[:, unit]
        s = Synth()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            s.fit(X0=X0, X1=X1, Z0=X0, Z1=X1, custom_V=np.ones(len(pre)))
        w = s.W.to_numpy() if hasattr(s.W, "to_numpy") else np.asarray(s.W)
        rmspe.append(np.sqrt(np.mean((X1.to_numpy() - X0.to_numpy() @ w) ** 2)))
    return time.perf_counter() - start, np.array(rmspe)


def _median_time(fn, repeat=3):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), out


def mpdta_ours(d: pd.DataFrame):
    w = d.pivot(index="countyreal", columns="year", values="lemp")
    g = d.groupby("countyreal")["first_treat"].first().loc[w.index].to_numpy()
    r = att_gt(w.to_numpy(), np.asarray(w.columns), g)
    return r, aggregate(r, "simple")["overall"]


def mpdta_differences(d: pd.DataFrame) -> float:
    from differences import ATTgt

    data = d.assign(cohort=d["first_treat"].where(d["first_treat"] > 0)).set_index(["countyreal", "year"])
    att = ATTgt(data=data, cohort_column="cohort")
    att.fit(formula="lemp", est_method="dr", control_group="never_treated", progress_bar=False)
    return float(att.aggregate("simple").iloc[0, 0])


def main() -> dict:
    out: dict = {}
    y = _panel()
    out["synth_s"], fits = _median_time(lambda: synth_screen(y), repeat=3)
    try:
        t_some, rmspe = pysyncon_some(y[0])
        out["pysyncon_s_scaled"] = t_some / PYSYNCON_FITS * N_AUTH * N_IND
        # pre-period fit of the treated unit: ours is the certified optimum, so never worse
        out["pysyncon_minus_ours_pre_rmspe"] = float(rmspe[0] - fits[0]["pre_rmspe"])
    except ImportError:
        out["pysyncon_s_scaled"] = float("nan")
    if MPDTA.is_file():
        d = pd.read_csv(MPDTA)
        out["attgt_s"], (_, simple) = _median_time(lambda: mpdta_ours(d), repeat=5)
        out["simple_att"] = simple
        try:
            out["differences_s"], simple_d = _median_time(lambda: mpdta_differences(d), repeat=3)
            out["differences_simple_att"] = simple_d
        except ImportError:
            out["differences_s"] = float("nan")
    rows = [
        ("(d) synthetic control + placebo in space, 152 x 20 x 20 (3,040 fits)", out["synth_s"], "< 30 s"),
        ("(d') the same fits with pysyncon (5 timed, scaled to 3,040)", out.get("pysyncon_s_scaled"), ""),
        ("(e) ATT(g,t) + simple ATT on mpdta", out.get("attgt_s"), "< 1 s"),
        ("(e') the same with differences (ATTgt, dr)", out.get("differences_s"), ""),
    ]
    print(f"machine: {platform.machine()}, Python {platform.python_version()}")
    for label, value, target in rows:
        shown = "-" if value is None or not np.isfinite(value) else f"{value:.3f} s"
        print(f"{label:70} {shown:>10} {target}")
    if np.isfinite(out.get("pysyncon_s_scaled", np.nan)):
        print(
            f"ratio pysyncon / ours: {out['pysyncon_s_scaled'] / out['synth_s']:.0f}x; treated pre-RMSPE "
            f"pysyncon minus ours {out['pysyncon_minus_ours_pre_rmspe']:.2e}"
        )
    if np.isfinite(out.get("differences_s", np.nan)):
        print(
            f"ratio differences / ours: {out['differences_s'] / out['attgt_s']:.0f}x; simple ATT "
            f"{out['simple_att']:.10f} (ours) vs {out['differences_simple_att']:.10f} (differences)"
        )
    return out


if __name__ == "__main__":
    main()
