"""F6: the synthetic control's primary row says what its placebo-in-space test could detect.

The closed-form thresholds are checked against recomputing each pseudo-treated donor's ratio with
an effect added; on the engine's real output, every primary synthetic-control row with a p-value
carries an MDE, its range and the power for ``mde_effect``."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from rsw_eval import compare
from rsw_eval.designs._synth_power import synth_thresholds
from validation._national import national_spec, write_panel


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_thresholds_match_recomputing_the_ratio_with_an_effect(seed):
    rng = np.random.default_rng(seed)
    k = 25
    pre = rng.uniform(0.5, 2.0, k)
    est = rng.normal(0, 1, k)
    post = np.sqrt(est**2 + rng.uniform(0.1, 3.0, k))  # an RMSPE is at least |mean gap|
    ratio = post / pre
    t, level = synth_thresholds(pre, ratio, est)
    assert level == pytest.approx(1 / k)
    for j in range(k):
        crit = np.sort(np.delete(ratio, j))[::-1][0]
        moved = lambda q: np.sqrt(post[j] ** 2 + 2 * q * est[j] + q**2) / pre[j]  # noqa: B023, E731
        for sign, thr in ((-1, t[j] * pre[j]), (1, t[k + j] * pre[j])):
            assert moved(sign * (thr + 1e-6)) > crit
            if thr > 1e-9:
                assert moved(sign * (thr - 1e-6)) <= crit + 1e-9


def test_every_synthetic_control_row_with_a_test_states_what_it_could_detect(tmp_path):
    write_panel(np.random.default_rng(4), tmp_path, n_authorities=30, noise=0.05)
    # eight pre-period years: 29 donors rarely fit one another exactly (see the next test)
    spec = national_spec(tmp_path, 30, designs=["synthetic_control"], mde_effect=-0.2, intervention_year=2012)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        t = compare(spec, only=["admin"]).table
    sc = t[(t["design"] == "synthetic_control") & t["primary"]]
    tested = sc[sc["p_value"].notna() & sc["mde_low"].notna()]
    assert len(tested) >= 5
    untested = sc[sc["p_value"].notna() & sc["mde_low"].isna()]
    assert untested["mde_note"].str.contains("fit the others exactly").all()
    assert (tested["mde_low"] < 0).all() and (tested["mde_high"] > 0).all()
    assert (tested["mde_low_min"] <= tested["mde_low"]).all() and (
        tested["mde_low"] <= tested["mde_low_max"]
    ).all()
    assert tested["power"].between(0, 1).all() and (tested["mde_units"] == 29).all()
    assert tested["mde_note"].str.startswith("80% power at").all()
    assert sc.loc[sc["mde_low"].isna(), "mde_note"].str.startswith("no MDE: ").all()


def test_donors_that_fit_one_another_exactly_leave_no_mde_and_say_why(tmp_path):
    # 151 authorities, 4 pre-period years: many donors are fitted exactly by the others, their
    # RMSPE ratios are unbounded and rank above the treated authority's whatever the effect (the
    # validation run found an MDE of -2e13 stated here before, and 5% power at it)
    write_panel(np.random.default_rng(7), tmp_path, noise=0.05)
    spec = national_spec(tmp_path, designs=["synthetic_control"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        t = compare(spec, only=["admin"]).table
    sc = t[(t["design"] == "synthetic_control") & t["primary"] & t["p_value"].notna()]
    assert len(sc)
    stated = sc["mde_low"].notna()
    assert (sc.loc[stated, "mde_low"].abs() < 10 * sc.loc[stated, "value_treatment"].abs()).all()
    exact = sc.loc[~stated, "mde_note"]
    assert len(exact) and exact.str.contains("fit the others exactly").all()
    assert (sc.loc[~stated, "p_value"] > 0.05).all()
