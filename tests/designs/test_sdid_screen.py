"""The national synthetic-DiD screen (issue 19 item 7): batched fits equal to one at a time."""

from __future__ import annotations

import numpy as np
import pytest

import rsw_eval.designs.sdid as sdid
import rsw_eval.designs.sdid_screen as screen
from rsw_eval.designs.sdid import sdid_estimate, sdid_placebo_se
from rsw_eval.designs.sdid_screen import sdid_screen


def test_screen_equals_each_authority_fitted_on_its_own(monkeypatch):
    """Every number of the batched screen is, to the last digit, that of sdid_estimate and
    sdid_placebo_se on the authority with all the others as controls, also when the placebo fits
    are split into groups of authorities and the Frank-Wolfe loop into chunks."""
    rng = np.random.default_rng(0)
    n, periods, T0, reps = 6, 9, 6, 8
    Y = rng.normal(size=(n, periods)).cumsum(axis=1) + rng.normal(0, 2, (n, 1))
    monkeypatch.setattr(screen, "GROUP_BYTES", 8 * reps * (n - 1) * periods * 2)  # 2 authorities a group
    monkeypatch.setattr(sdid, "FW_CHUNK_BYTES", 8 * 5 * (n - 1) ** 2)  # 5 problems a chunk
    r = sdid_screen(Y, T0, placebo="resample", replications=reps, seed=5)
    for a in range(n):
        Ya = np.vstack([np.delete(Y, a, axis=0), Y[a : a + 1]])
        fit = sdid_estimate(Ya, n - 1, T0)
        se, placebos = sdid_placebo_se(Ya, n - 1, T0, fit, replications=reps, seed=5)
        assert (r["estimate"][a], r["se"][a], r["did"][a]) == (fit["estimate"], se, fit["did"])
        np.testing.assert_array_equal(r["placebos"][a], placebos)
        np.testing.assert_array_equal(r["omega"][a], fit["omega"])
        np.testing.assert_array_equal(r["lambda"][a], fit["lambda"])


def test_in_space_placebos_are_the_other_authorities_fits():
    """In-space SEs: each authority's SE is sqrt((K-1)/K) x the SD (ddof 1) of the K other placebo
    authorities' own screen estimates; adopters left out of placebo_units are never placebos; the
    estimates are those of the resampling scheme."""
    rng = np.random.default_rng(1)
    n, T0 = 7, 5
    Y = rng.normal(size=(n, 8)).cumsum(axis=1)
    usable = np.array([True, False, True, True, True, True, False])
    r = sdid_screen(Y, T0, placebo_units=usable)
    full = sdid_screen(Y, T0, placebo="resample", replications=4)
    np.testing.assert_array_equal(r["estimate"], full["estimate"])
    for a in range(n):
        others = r["estimate"][usable & (np.arange(n) != a)]
        k = others.size
        assert r["se"][a] == pytest.approx(np.sqrt((k - 1) / k) * others.std(ddof=1), rel=1e-12)
        np.testing.assert_array_equal(
            np.flatnonzero(~np.isnan(r["placebos"][a])), np.flatnonzero(usable & (np.arange(n) != a))
        )
    lonely = sdid_screen(Y, T0, placebo_units=np.eye(n, dtype=bool)[0] | np.eye(n, dtype=bool)[1])
    assert np.isnan(lonely["se"][:2]).all() and np.isfinite(lonely["se"][2:]).all()  # 1 placebo: no SE
    with pytest.raises(ValueError, match="placebo must be"):
        sdid_screen(Y, T0, placebo="bootstrap")
    with pytest.raises(ValueError, match="7 booleans"):
        sdid_screen(Y, T0, placebo_units=usable[:3])


def test_screen_needs_three_units():
    with pytest.raises(ValueError, match="at least three units"):
        sdid_screen(np.ones((2, 5)), 3)
