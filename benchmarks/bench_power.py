"""What the MDE and the step-down cost (issue 19 item 7); run ``python benchmarks/bench_power.py``.

One authority against 10 comparators and 140 donor-pool placebos (151 authorities), nine indicators
over 13 years, DiD and comparative ITS (18 tests), as ``validation/_national.py`` writes them:

  (a) ``compare(spec, only=["admin"])`` as shipped (MDE for every test, step-down over the 18)
  (b) the same with the MDE switched off and Holm instead of the step-down: (a) - (b) is what
      the two add per authority (goal: no more than a few seconds)
  (b2) (b) with the DiD rows' HonestDiD sensitivity switched off too: (a) - (b2) is what the MDE,
      the step-down and the sensitivity add together
  (c) MDE and step-down alone for the four count indicators' DiD rows, rsw-eval's functions
  (c') the same with ``peer_power.py`` (brute force over a grid of effects, loops), as a ratio,
      asserting the same MDEs (within the grid step) and identical adjusted p-values
"""

from __future__ import annotations

import sys
import tempfile
import time
import warnings
from pathlib import Path
from unittest import mock

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import peer_power  # noqa: E402

from benchmarks._common import median_call, report  # noqa: E402
from rsw_eval import compare  # noqa: E402
from rsw_eval.designs._joint import placebo_statistics  # noqa: E402
from rsw_eval.designs._panel import panel_permutation, unit_contrasts  # noqa: E402
from rsw_eval.designs._power import power_columns  # noqa: E402
from rsw_eval.designs.did import did_design  # noqa: E402
from rsw_eval.inference import standardise, stepdown  # noqa: E402
from validation._national import codes, national_spec, write_panel  # noqa: E402

COUNTS = ["children_looked_after", "cp_plans_started", "cp_plans_repeat", "residential_placements"]


def _ours(panel: pd.DataFrame, who: list[str]) -> tuple[dict, np.ndarray]:
    """The engine's path for the four DiD rows: contrasts, the test, MDE, labelled statistics,
    then the step-down over them."""
    mdes, stats = {}, []
    for indicator in COUNTS:
        wide = panel.pivot(index="new_la_code", columns="time_period", values=indicator).sort_index(axis=1)
        years = wide.columns.to_numpy()
        delta, scale = unit_contrasts(np.log(wide.loc[who].to_numpy(dtype=float)), did_design(years, 2008), 1)
        r = panel_permutation(delta, scale, n_treated=1, n_comparators=10)
        out = power_columns(
            delta,
            scale,
            n_treated=1,
            n_comparators=10,
            level=float(r["level"]),
            k=int(r["k"]),
            to_effect=lambda d: 100 * (np.exp(d) - 1),
        )
        mdes[indicator] = out["mde_low"]
        stats.append(placebo_statistics(delta, scale, who, n_treated=1, n_comparators=10)["stats"])
    z = standardise(np.array(stats))
    return mdes, stepdown(np.full(len(COUNTS), 0.5), [(list(range(len(COUNTS))), z)])


def main() -> dict:
    warnings.simplefilter("ignore")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        write_panel(np.random.default_rng(3), folder, effect=-0.2)
        spec = national_spec(folder)
        compare(spec, only=["admin"])  # imports and caches
        shipped = median_call(lambda: compare(spec, only=["admin"]), 3)
        with (
            mock.patch("rsw_eval.designs.did.power_columns", lambda *a, **k: {}),
            mock.patch("rsw_eval.designs.its.power_columns", lambda *a, **k: {}),
        ):
            bare = median_call(lambda: compare(spec.with_options(adjust="holm"), only=["admin"]), 3)
            with mock.patch("rsw_eval.designs.did._sensitivity", lambda *a, **k: ({}, [])):
                bare2 = median_call(lambda: compare(spec.with_options(adjust="holm"), only=["admin"]), 3)
        table = compare(spec, only=["admin"]).table
        panel = pd.read_csv(folder / "admin_panel.csv")
        who = codes(151)["la_code"].tolist()
        start = time.perf_counter()
        mdes, adjusted = _ours(panel, who)
        ours = time.perf_counter() - start
        start = time.perf_counter()
        rows = [peer_power.statistics(panel, i, who[0], who[1:11], who[11:]) for i in COUNTS]
        peer_mdes = {
            i: 100 * (np.exp(-peer_power.mde(t, s)) - 1) for i, (t, s) in zip(COUNTS, rows, strict=True)
        }
        peer_adjusted = peer_power.westfall_young(np.array([t for t, _ in rows]))
        peer = time.perf_counter() - start
    engine = table[table["design"] == "did"].set_index("outcome")["mde_low"]
    assert all(abs(engine[i] - mdes[i]) < 1e-9 for i in COUNTS)  # the engine's own numbers
    gap = max(abs(engine[i] - peer_mdes[i]) for i in COUNTS)
    assert gap < 0.2, (engine, peer_mdes)  # percent; the grid step is 0.001 on the log scale
    assert np.allclose(adjusted, peer_adjusted, atol=1e-12)
    return report(
        "power",
        {
            "(a) compare, 151 authorities, 18 tests, MDE + step-down (s)": round(shipped, 3),
            "(b) the same without MDE, Holm (s)": round(bare, 3),
            "(a) - (b): added per authority (s)": round(shipped - bare, 3),
            "(b2) the same without HonestDiD sensitivity (s)": round(bare2, 3),
            "(a) - (b2): MDE, step-down and sensitivity added per authority (s)": round(shipped - bare2, 3),
            "(c) MDE + step-down, 4 DiD rows, rsw-eval (s)": round(ours, 4),
            "(c') the same, plain script (s)": round(peer, 3),
            "ratio (c') / (c)": round(peer / ours, 1),
            "MDE agreement engine vs peer (max |diff|, %)": round(gap, 4),
            "step-down agreement (max |diff|)": float(np.max(np.abs(adjusted - peer_adjusted))),
        },
    )


if __name__ == "__main__":
    main()
