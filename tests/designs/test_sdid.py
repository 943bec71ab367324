"""Synthetic difference-in-differences.

Sources: R synthdid 0.0.9 on California's Proposition 99 (-15.6038278727) and the closed-form plain
DiD (-27.349), both from ../shared/reference/README.md and synth/california_prop99.csv; the
placebo SE formula of Arkhangelsky et al. (2021, Algorithm 4).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from rsw_eval.designs.sdid import MIN_DONORS_FOR_CI, sdid_estimate, sdid_placebo_se, synthetic_did
from tests.conftest import ROOT

PROP99 = ROOT.parent / "shared" / "reference" / "synth" / "california_prop99.csv"
needs_prop99 = pytest.mark.skipif(not PROP99.is_file(), reason=f"reference data not found at {PROP99}")


def _prop99():
    d = pd.read_csv(PROP99)
    Y = d.pivot(index="State", columns="Year", values="PacksPerCapita")
    # R synthdid's panel.matrices: controls (alphabetical) first, California last
    order = sorted(Y.index, key=lambda s: (s == "California", s))
    return Y.loc[order].to_numpy(), int((Y.columns < 1989).sum())


@needs_prop99
def test_prop99_matches_r_synthdid_and_plain_did():
    Y, T0 = _prop99()
    r = sdid_estimate(Y, 38, T0)
    assert r["estimate"] == pytest.approx(-15.6038278727, abs=1e-4)  # R synthdid 0.0.9
    assert r["did"] == pytest.approx(-27.349, abs=5e-4)  # closed form (README)
    # time weights on 1986-1988 only (Arkhangelsky et al. 2021, Figure 1)
    assert set(np.flatnonzero(r["lambda"] > 1e-3)) == {16, 17, 18}
    assert r["omega"].sum() == pytest.approx(1) and r["omega"].min() >= 0


@needs_prop99
def test_prop99_placebo_se_is_the_sd_of_placebo_estimates():
    Y, T0 = _prop99()
    fit = sdid_estimate(Y, 38, T0)
    se, placebos = sdid_placebo_se(Y, 38, T0, fit, replications=50, seed=1)
    assert se == pytest.approx(np.sqrt(49 / 50) * placebos.std(ddof=1))
    assert 5 < se < 15  # R synthdid's placebo SE on these data is about 10 (vignette)


def test_batch_equals_one_at_a_time():
    rng = np.random.default_rng(5)
    Ys = rng.normal(size=(3, 15, 10)).cumsum(axis=2)
    batch = sdid_estimate(Ys, 14, 7)
    for j in range(3):
        alone = sdid_estimate(Ys[j], 14, 7)
        assert batch["estimate"][j] == pytest.approx(alone["estimate"], abs=1e-12)


def test_placebo_needs_more_controls_than_treated():
    Y = np.random.default_rng(0).normal(size=(4, 6))
    with pytest.raises(ValueError, match="more controls than treated"):
        sdid_placebo_se(Y, 2, 3, sdid_estimate(Y, 2, 3))


def _panel(n, seed=0):
    rng = np.random.default_rng(seed)
    rows = [
        (f"E0{i:07d}", f"LA {i}", yr, "x", i + 0.3 * (yr - 2000) + rng.normal())
        for i in range(n)
        for yr in range(2000, 2012)
    ]
    return pd.DataFrame(rows, columns=["la_code", "la_name", "year", "indicator", "value"])


def test_rows_interval_only_with_enough_donors():
    codes = [f"E0{i:07d}" for i in range(25)]
    panel = _panel(25)
    few = synthetic_did(panel, codes[0], codes[1:11], 2008)[0]
    many = synthetic_did(panel, codes[0], codes[1:], 2008, replications=50)[0]
    assert np.isnan(few["p_value"]) and "fewer than 20" in few["note"]
    assert many["n_comparison"] == 24 >= MIN_DONORS_FOR_CI
    assert many["ci_low"] < many["effect_size"] < many["ci_high"] and 0 < many["p_value"] <= 1


def _golden_panel():
    rng = np.random.default_rng(2026)
    return rng.normal(size=(40, 14)).cumsum(axis=1) + rng.normal(0, 3, (40, 1))


def test_numbers_unchanged_by_the_bounded_memory_solver():
    """Values printed by the solver before it was chunked (commit 998284e, issue 22 item 4): the
    chunked Frank-Wolfe loop performs the same floating-point operations, so they agree to the
    last few bits (not to the last one: dot products differ by an ulp between numpy builds)."""
    Y = _golden_panel()
    fit = sdid_estimate(Y, 37, 9)
    se, placebos = sdid_placebo_se(Y, 37, 9, fit, replications=60, seed=4)
    got = [fit["estimate"], se, float(placebos.sum()), float(fit["omega"] @ np.arange(37))]
    printed = [-0.5100567871831989, 0.8990734582479107, 0.9343017084738898, 18.504395945316002]
    np.testing.assert_allclose(got, printed, rtol=1e-13)


def test_chunks_change_no_digit(monkeypatch):
    """Placebo fits solved a few at a time (bounded memory) equal the fits solved all at once."""
    import rsw_eval.designs.sdid as sdid

    Y = _golden_panel()
    fit = sdid_estimate(Y, 37, 9)
    whole = sdid_placebo_se(Y, 37, 9, fit, replications=30, seed=2)[1]
    monkeypatch.setattr(sdid, "FW_CHUNK_BYTES", 3 * 8 * 37 * 37)  # three problems per chunk
    chunked = sdid_placebo_se(Y, 37, 9, fit, replications=30, seed=2)[1]
    np.testing.assert_array_equal(chunked, whole)
