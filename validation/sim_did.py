"""Size and coverage of the difference-in-differences inference (rsw_eval.designs.did).

The engine's DiD estimates "treated change minus the comparators' mean change" (pre/post means)
and tests it by a studentised permutation test (one treated: every authority in turn; with a
donor pool: every pool authority against the same comparators; several treated: every way of
choosing the treated), with the interval obtained by inverting that test at its exact level.
Each replication runs the same functions the design calls (``unit_contrasts`` then
``panel_permutation``) on whole arrays of replications.
"""

from __future__ import annotations

import numpy as np

from rsw_eval.designs._panel import panel_permutation, unit_contrasts
from validation._harness import Record
from validation._panel_data import chunks, panel

EFFECT = 2.0

SCENARIOS = [
    # label, n_treated, n_units (treated + comparators), n_comparators, n_pre, rho, treated_sd
    ("1 treated + 10 comparators x 13 years (4 pre), iid", 1, 11, 10, 4, 0.0, 1.0),
    ("1 treated + 10 comparators x 13 years (4 pre), AR(1) 0.6", 1, 11, 10, 4, 0.6, 1.0),
    ("1 treated + 10 comparators x 11 years (2 pre), iid", 1, 11, 10, 2, 0.0, 1.0),
    ("1 treated + 10 comparators x 17 years (8 pre), AR(1) 0.6", 1, 11, 10, 8, 0.6, 1.0),
    ("1 treated (twice as noisy) + 10 comparators, 4 pre, iid", 1, 11, 10, 4, 0.0, 2.0),
    ("1 treated (twice as noisy) + 10 comparators, 4 pre, AR(1) 0.6", 1, 11, 10, 4, 0.6, 2.0),
    ("1 treated + 10 comparators, donor pool of 150, 4 pre, iid", 1, 151, 10, 4, 0.0, 1.0),
    ("1 treated (twice as noisy), donor pool of 150, 4 pre, AR(1) 0.6", 1, 151, 10, 4, 0.6, 2.0),
    ("3 treated / 40 authorities, 4 pre, iid", 3, 40, 37, 4, 0.0, 1.0),
    ("2 treated / 40 authorities, 4 pre, AR(1) 0.6", 2, 40, 38, 4, 0.6, 1.0),
    ("2 treated (twice as noisy) / 40 authorities, 4 pre, iid", 2, 40, 38, 4, 0.0, 2.0),
]


def did_contrast(y, years):
    """Each unit's post-minus-pre change and its scale (the DiD design's contrast)."""
    return unit_contrasts(y, np.column_stack([np.ones(years.size), years >= 0]), 1)


def _run_one(rng, reps, n_treated, n_units, n_comp, n_pre, rho, sd, effect, contrast=did_contrast):
    """Permutation results over ``reps`` panels; ``contrast(y, years)`` gives each unit's
    statistic and its scale (the DiD's by default)."""
    keys = ("p_value", "ci_low", "ci_high", "level", "k")
    out = {key: [] for key in keys}
    chunk = 100 if n_treated > 1 else 1000
    for r in chunks(reps, chunk):
        years, y = panel(
            rng, r, n_treated=n_treated, n_units=n_units, n_pre=n_pre, rho=rho, treated_sd=sd, effect=effect
        )
        delta, scale = contrast(y, years)
        res = panel_permutation(delta, scale, n_treated=n_treated, n_comparators=n_comp, seed=1)
        for key in keys:
            out[key].append(res[key])
    return {k: np.concatenate(v) for k, v in out.items()}


def run(reps: int, seed: int) -> list[Record]:
    rng = np.random.default_rng(seed)
    records = []
    for label, n_t, n_units, n_comp, n_pre, rho, sd in SCENARIOS:
        null = _run_one(rng, reps, n_t, n_units, n_comp, n_pre, rho, sd, 0.0)
        eff = _run_one(rng, reps, n_t, n_units, n_comp, n_pre, rho, sd, EFFECT)
        level = float(eff["level"][0])
        k = int(eff["k"][0])
        covered = int(((eff["ci_low"] <= EFFECT) & (eff["ci_high"] >= EFFECT)).sum())
        p_min = 1 / (k + 1)
        if p_min > 0.05:
            rejections = None
            note = (
                f"achieved level {level:.1%} stated in the row; p >= 1/{k + 1} = {p_min:.3f} cannot reach "
                f"0.05 (a 5% test never rejects); its {p_min:.1%} test rejects "
                f"{np.mean(null['p_value'] <= p_min + 1e-12):.1%} under the null (0 outside the interval iff "
                f"p <= {p_min:.3f})"
            )
        else:
            rejections = int((null["p_value"] <= 0.05).sum())
            note = f"{k} placebos; achieved level {level:.1%} stated in the row"
        procedure = {
            1: "DiD, studentised permutation (one treated)",
        }.get(n_t, "DiD, studentised randomisation inference (several treated)")
        if n_units > n_comp + n_t:
            procedure = "DiD, studentised permutation over a donor pool"
        records.append(
            Record(
                procedure=procedure,
                scenario=label,
                reps=reps,
                rejections=rejections,
                covered=covered,
                nominal_level=level,
                reports="p and CI",
                note=note,
            )
        )
    return records
