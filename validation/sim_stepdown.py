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

``compare`` costs about a second and a half of CPU on this panel (reading and checking the file,
the official-statistics check, the other rows), so the same procedure is also run, with ten times
the replications, on the arrays: the engine's own functions (``unit_contrasts`` on the scale each
design uses, ``panel_permutation``, ``placebo_statistics``, ``standardise`` and ``stepdown``) on
the same data-generating process, without the files.
"""

from __future__ import annotations

import tempfile
import warnings
from pathlib import Path

import numpy as np

from rsw_eval import compare
from rsw_eval.designs._joint import placebo_statistics
from rsw_eval.designs._panel import LOG_SCALE, panel_permutation, unit_contrasts
from rsw_eval.designs.did import did_design
from rsw_eval.designs.its import segmented_design
from rsw_eval.inference import standardise, stepdown
from rsw_eval.stats import adjust_pvalues
from validation._harness import Record
from validation._national import ADOPTION, YEARS, national_spec, national_values, write_panel

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


def _arrays(rng, reps: int, effect: float, n: int = 151) -> tuple[int, int]:
    """(replications with an adjusted p < 0.05, the same by Holm) on the arrays."""
    codes = [str(i) for i in range(n)]
    designs = [(did_design(YEARS, ADOPTION), 1), (segmented_design(YEARS, ADOPTION), 2)]
    hits = holm = 0
    for _ in range(reps):
        values, population = national_values(rng, n, effect=effect)
        values["cla_rate_per_10k"] = values["children_looked_after"] / population * 10000
        p, stats = [], []
        for name, y in values.items():
            y = np.log(y) if name in LOG_SCALE else y  # DiD's scale; ITS: log rate per child
            for X, column in designs:
                delta, scale = unit_contrasts(y, X, column)
                r = panel_permutation(delta, scale, n_treated=1, n_comparators=10)
                p.append(float(r["p_value"]))
                stats.append(placebo_statistics(delta, scale, codes, n_treated=1, n_comparators=10)["stats"])
        adjusted = stepdown(np.array(p), [(list(range(len(p))), standardise(np.array(stats)))])
        hits += bool((adjusted < 0.05).any())
        holm += bool((adjust_pvalues(p, method="holm") < 0.05).any())
    return hits, holm


def run(reps: int, seed: int) -> list[Record]:
    rng = np.random.default_rng(seed)
    n = max(40, reps // 25)
    null, null_holm, null_raw, m = _run(rng, n, 0.0)
    fall, fall_holm, fall_raw, _ = _run(rng, n, -0.2)
    big = max(200, reps // 4)
    a_null, a_null_holm = _arrays(rng, big, 0.0)
    a_fall, a_fall_holm = _arrays(rng, big, -0.2)
    arrays = (
        f"step-down over the joint permutation distribution, {m} DiD/ITS tests (engine functions on arrays)"
    )
    via = f"step-down over the joint permutation distribution, {m} DiD/ITS tests (compare)"
    raw = (f"; raw p < 0.05 in {null_raw:.1%} of tests", f"; raw p < 0.05 in {fall_raw:.1%} of tests")
    runs = [
        (via, n, (null, null_holm), (fall, fall_holm), raw),
        (arrays, big, (a_null, a_null_holm), (a_fall, a_fall_holm), ("", "")),
    ]
    records = []
    for procedure, reps_, (rejected, rejected_holm), (found, found_holm), extra in runs:
        records += [
            Record(
                procedure=procedure,
                scenario=SCENARIO + ", no effect (family-wise error)",
                reps=reps_,
                rejections=rejected,
                size_target=(0.0, 0.075),
                reports="adjusted p",
                note=f"any adjusted p < 0.05; Holm on the same runs {rejected_holm / reps_:.1%}{extra[0]}",
            ),
            Record(
                procedure=procedure,
                scenario=SCENARIO + ", a 20% fall in all nine indicators",
                reps=reps_,
                detected=found,
                power_target=(0.80, 1.0),
                reports="adjusted p",
                note=f"at least one adjusted p < 0.05; Holm on the same runs "
                f"{found_holm / reps_:.1%}{extra[1]}",
            ),
        ]
    return records
