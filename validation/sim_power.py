"""Calibration of the minimum detectable effects the engine states (issue 19 item 1): DiD, ITS,
synthetic control and survey rows.

For each data shape: simulate a panel (or survey) with no effect, compute the row's MDE exactly as
the design does (``rsw_eval.designs._power.power_columns`` on the test's own contrasts, with the
same placebo adoption dates; ``rsw_eval.evaluation._survey_power.survey_power`` from a survey row's
cluster-robust interval), then add a fall of exactly that size to the treated authority (the unit
model's respondents) and run the row's test again. "At the stated MDE, power is 80% +/- 5 points":
the share of replications in which the test then detects the fall (interval below 0, at the
test's own level) must lie in [75%, 85%].
"""

from __future__ import annotations

from functools import partial

import numpy as np
import pandas as pd

from rsw_eval.designs._panel import panel_permutation, unit_contrasts
from rsw_eval.designs._power import placebo_dates, power_columns
from rsw_eval.designs._synth_limits import FIT_TOL
from rsw_eval.designs._synth_power import synth_power_columns
from rsw_eval.designs.did import did_design
from rsw_eval.designs.its import MIN_SIDE_POINTS, segmented_design
from rsw_eval.designs.synth import synth_core
from rsw_eval.evaluation._survey_power import survey_power
from rsw_eval.stats import cr2_diff
from validation._harness import Record
from validation._panel_data import panel
from validation.sim_donor import YEARS as SC_YEARS
from validation.sim_donor import _panel as factor_panel

TARGET = (0.75, 0.85)

# label, design, n_treated, n_units, n_comparators, n_pre, rho, treated_sd
PANELS = [
    ("1 treated + 10 comparators x 13 years (4 pre), iid", "did", 1, 11, 10, 4, 0.0, 1.0),
    ("1 treated + 10 comparators, 4 pre, AR(1) 0.6", "did", 1, 11, 10, 4, 0.6, 1.0),
    ("1 treated (twice as noisy) + 10 comparators, 4 pre, iid", "did", 1, 11, 10, 4, 0.0, 2.0),
    ("1 treated + 10 comparators, donor pool of 150, 4 pre, iid", "did", 1, 151, 10, 4, 0.0, 1.0),
    ("1 treated (twice as noisy), donor pool of 150, AR(1) 0.6", "did", 1, 151, 10, 4, 0.6, 2.0),
    ("2 treated / 40 authorities, 4 pre, iid", "did", 2, 40, 38, 4, 0.0, 1.0),
    ("1 treated + 10 comparators x 13 years (4 pre), iid", "its", 1, 11, 10, 4, 0.0, 1.0),
    ("1 treated + 10 comparators, donor pool of 150, 8 pre, AR(1) 0.6", "its", 1, 151, 10, 8, 0.6, 1.0),
]
DESIGNS = {"did": (did_design, 1, 2, 1), "its": (segmented_design, 2, MIN_SIDE_POINTS, MIN_SIDE_POINTS)}


def _test(y, X, column, n_t, n_c):
    delta, scale = unit_contrasts(y, X, column)
    return delta, scale, panel_permutation(delta, scale, n_treated=n_t, n_comparators=n_c)


def _panel_record(rng, reps, label, design, n_t, n_units, n_c, n_pre, rho, sd) -> Record:
    build, column, min_pre, min_post = DESIGNS[design]
    hits = n = 0
    mdes = []
    for _ in range(reps):
        years, y = panel(rng, 1, n_treated=n_t, n_units=n_units, n_pre=n_pre, rho=rho, treated_sd=sd)
        y, X = y[0], build(years, 0)
        delta, scale, r = _test(y, X, column, n_t, n_c)
        dates = partial(
            placebo_dates, y, years, 0, build, column, n_treated=n_t, min_pre=min_pre, min_post=min_post
        )
        out = power_columns(
            delta,
            scale,
            n_treated=n_t,
            n_comparators=n_c,
            level=float(r["level"]),
            k=int(r["k"]),
            to_effect=lambda d: d,
            dates=dates,
        )
        m = out["mde_high"]
        if not np.isfinite(m):
            continue
        shifted = y.copy()
        shifted[:n_t] -= m * X[:, column]  # a fall of exactly the stated MDE
        hits += bool(_test(shifted, X, column, n_t, n_c)[2]["ci_high"] < 0)
        n += 1
        mdes.append(m)
    note = (
        f"{n} of {reps} replications stated an MDE (mean {np.mean(mdes):.2f}, SD {np.std(mdes):.2f} "
        f"noise SDs); test at its own level {1 - float(r['level']):.1%}"
    )
    return Record(
        procedure=f"MDE at 80% power, {design.upper()} placebo resampling",
        scenario=label,
        reps=n,
        detected=hits,
        power_target=TARGET,
        reports="MDE",
        note=note,
    )


def _synth_record(rng, reps, donors, post=4) -> Record:
    """The synthetic control's MDE (placebo in space, ``synth_power_columns``) on a factor-model
    panel; detected: the rank p <= 5% with a negative estimate after the stated fall is added."""
    years, start = np.arange(SC_YEARS), SC_YEARS - post
    pool = np.arange(1, donors + 1)
    hits = n = 0
    mdes = []
    for _ in range(reps):
        y = factor_panel(rng, donors + 1)
        r = synth_core(y, years, start, 0, pool, leave_one_out=False)
        exact = FIT_TOL * float(np.abs(y).max())  # as the row's: the solver's tolerance on the data
        m = synth_power_columns(r, n_pre=start, exact=exact).get("mde_low", np.nan)
        if not np.isfinite(m):
            continue
        y[0, start:] += m  # a fall of exactly the stated MDE
        shifted = synth_core(y, years, start, 0, pool, leave_one_out=False)
        hits += bool(shifted["p_value"] <= 0.05 and shifted["estimate"] < 0)
        n += 1
        mdes.append(m)
    procedure = "MDE at 80% power, synthetic control placebo in space (RMSPE ratio rank)"
    scenario = f"1 treated + {donors} donors x {SC_YEARS} years ({post} post), two factors, AR(1) 0.6"
    if not n:
        return Record(
            procedure,
            scenario,
            reps,
            reports="descriptive",
            note=f"no MDE stated in any of {reps} replications: donors fit one another exactly before the "
            "change, and the row says the placebo resampling cannot tell what the test detects",
        )
    return Record(
        procedure=procedure,
        scenario=scenario,
        reps=n,
        detected=hits,
        power_target=TARGET,
        reports="MDE",
        note=f"{n} of {reps} replications stated an MDE (mean fall {np.mean(mdes):.2f}); the donors' "
        "fits kept as they are when one plays the treated authority (the row calls it approximate)",
    )


def _survey(rng, n_unit_auth, n_conv_auth, units=6, workers=10, effect=0.0):
    """Workers in units in authorities: authority SD 0.25 (model tests) or fixed authorities
    (place comparisons: their differences are what the row tests), unit SD 0.3, worker SD 1."""
    rows = []
    for arm, k in (("unit", n_unit_auth), ("conventional", n_conv_auth)):
        for a in range(k):
            auth = rng.normal(0, 0.25) if min(n_unit_auth, n_conv_auth) >= 2 else 0.0
            for u in range(units):
                level = auth + rng.normal(0, 0.3) + (effect if arm == "unit" else 0.0)
                for _ in range(workers):
                    rows.append((f"{arm}{a}", f"{arm}{a}/{u}", arm, level + rng.normal()))
    return pd.DataFrame(rows, columns=["authority", "unit", "model", "y"])


def _survey_record(rng, reps, n_unit_auth, n_conv_auth) -> Record:
    cluster = "authority" if min(n_unit_auth, n_conv_auth) >= 2 else "unit"
    hits = n = 0
    for _ in range(reps):
        seed = int(rng.integers(2**32))
        c = cr2_diff(_survey(np.random.default_rng(seed), n_unit_auth, n_conv_auth), "y", "model", cluster)
        row = pd.DataFrame(
            [
                dict(
                    primary=True,
                    design="cross_section",
                    effect_size_name="hedges_g",
                    effect_size=c.estimate,
                    difference=c.estimate,
                    difference_ci_low=c.ci_low,
                    difference_ci_high=c.ci_high,
                    ci_low=c.ci_low,
                    ci_high=c.ci_high,
                    ci_level=0.95,
                    df=c.df,
                    p_value=c.p_value,
                    value_comparison=np.nan,
                    sd_treatment=1.0,
                    sd_comparison=1.0,
                    mde_alpha=np.nan,
                    mde_low=np.nan,
                    mde_high=np.nan,
                    power=np.nan,
                    power_effect=np.nan,
                    mde_note="",
                )
            ]
        )
        m = float(survey_power(row, 0.95, None)["mde_high"].iloc[0])
        if not np.isfinite(m):
            continue
        again = _survey(np.random.default_rng(seed), n_unit_auth, n_conv_auth, effect=m)  # same noise
        t = cr2_diff(again, "y", "model", cluster)
        hits += bool(t.p_value < 0.05 and t.estimate > 0)
        n += 1
    what = "model test" if cluster == "authority" else "comparison of places"
    return Record(
        procedure=f"MDE at 80% power, survey CR2 by {cluster} ({what})",
        scenario=f"{n_unit_auth} unit-model vs {n_conv_auth} conventional authorities, 6 units of 10 workers",
        reps=n,
        detected=hits,
        power_target=TARGET,
        reports="MDE",
        note="MDE from the row's cluster-robust SE and Satterthwaite df (noncentral t); the same noise "
        "with the effect added",
    )


def run(reps: int, seed: int) -> list[Record]:
    rng = np.random.default_rng(seed)
    n = max(400, reps // 5)  # power within +-5 points needs MC SE ~2
    records = [_panel_record(rng, n, *spec) for spec in PANELS]
    records += [_synth_record(rng, n, donors) for donors in (20, 40, 150)]
    records += [_survey_record(rng, n, a, b) for a, b in ((3, 3), (5, 5), (1, 2))]
    return records
