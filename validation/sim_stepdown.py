"""Family-wise error and power of the step-down adjustment, through ``rsw_eval.compare`` (issue 19
item 2).

One authority adopting in 2008 against its ten comparators, with 140 more authorities as donor-pool
placebos (151 in all), nine indicators over 2004-2016 (the sample's eight and the derived rate per
10,000), DiD and comparative ITS: 18 tests in the question "admin". Log-scale noise SD 0.1 a year,
half of it shared by an authority's indicators (so they are correlated, as real ones are). Each
replication writes the panel and a spec to a folder and runs ``compare(spec, only=["admin"])``.

Targets: family-wise error (any adjusted p < 0.05 with no effect anywhere) at most 7.5%; with a
true 20% fall in all nine indicators, at least one adjusted p < 0.05 in at least 80% of
evaluations. Holm over the same raw p-values, computed on the same replications, is in the note.
"""

from __future__ import annotations

import tempfile
import warnings
from pathlib import Path

import numpy as np

from rsw_eval import compare
from rsw_eval.stats import adjust_pvalues
from validation._harness import Record
from validation._national import national_spec, write_panel

SCENARIO = "1 treated + 10 comparators + 140 donor-pool placebos, 9 indicators x 13 years (4 pre)"


def _run(rng, reps: int, effect: float) -> tuple[int, int, float, int]:
    """(replications with an adjusted p < 0.05, the same by Holm, mean share of raw p < 0.05, tests)."""
    hits = holm = 0
    raw = []
    with tempfile.TemporaryDirectory() as tmp, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        folder = Path(tmp)
        spec = national_spec(folder)
        for _ in range(reps):
            write_panel(rng, folder, effect=effect)
            table = compare(spec, only=["admin"]).table
            tests = table[table["question"] == "admin"]
            hits += bool((tests["p_adjusted"] < 0.05).any())
            holm += bool((adjust_pvalues(tests["p_value"], method="holm") < 0.05).any())
            raw.append(float((tests["p_value"] < 0.05).mean()))
    return hits, holm, float(np.mean(raw)), len(tests)


def run(reps: int, seed: int) -> list[Record]:
    rng = np.random.default_rng(seed)
    n = max(60, reps // 20)
    null, null_holm, null_raw, m = _run(rng, n, 0.0)
    fall, fall_holm, fall_raw, _ = _run(rng, n, -0.2)
    procedure = f"step-down over the joint permutation distribution, {m} DiD/ITS tests (compare)"
    return [
        Record(
            procedure=procedure,
            scenario=SCENARIO + ", no effect (family-wise error)",
            reps=n,
            rejections=null,
            size_target=(0.0, 0.075),
            reports="adjusted p",
            note=f"any adjusted p < 0.05; Holm on the same runs {null_holm / n:.1%}; raw p < 0.05 in "
            f"{null_raw:.1%} of tests",
        ),
        Record(
            procedure=procedure,
            scenario=SCENARIO + ", a 20% fall in all nine indicators",
            reps=n,
            detected=fall,
            power_target=(0.80, 1.0),
            reports="adjusted p",
            note=f"at least one adjusted p < 0.05; Holm on the same runs {fall_holm / n:.1%}; raw p < "
            f"0.05 in {fall_raw:.1%} of tests",
        ),
    ]
