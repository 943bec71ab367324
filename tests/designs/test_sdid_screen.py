"""The national synthetic-DiD screen (issue 19 item 7): batched fits equal to one at a time."""

from __future__ import annotations

import numpy as np
import pytest

import rsw_eval.designs.sdid as sdid
import rsw_eval.designs.sdid_screen as screen
from rsw_eval.designs.sdid import sdid_estimate, sdid_placebo_se
from rsw_eval.designs.sdid_screen import sdid_screen


@pytest.mark.parametrize("adopters", [None, (0, 4)])
def test_resample_screen_equals_each_authority_fitted_on_its_own(monkeypatch, adopters):
    """Every number of the batched screen with Algorithm 4's placebos is, to the last digit, that
    of sdid_estimate and sdid_placebo_se on the authority with its donors (the units that did not
    adopt, in order) as controls, also when the placebo fits are split into groups of authorities
    and the Frank-Wolfe loop into chunks."""
    rng = np.random.default_rng(0)
    n, periods, T0, reps = 7, 9, 6, 8
    Y = rng.normal(size=(n, periods)).cumsum(axis=1) + rng.normal(0, 2, (n, 1))
    adopted = np.isin(np.arange(n), adopters or ())
    monkeypatch.setattr(screen, "GROUP_BYTES", 8 * reps * (n - 1) * periods * 2)  # 2 authorities a group
    monkeypatch.setattr(sdid, "FW_CHUNK_BYTES", 8 * 5 * (n - 1) ** 2)  # 5 problems a chunk
    r = sdid_screen(Y, T0, adopters=adopted, placebo="resample", replications=reps, seed=5)
    for a in range(n):
        donors = np.flatnonzero(~adopted & (np.arange(n) != a))
        Ya = np.vstack([Y[donors], Y[a : a + 1]])
        fit = sdid_estimate(Ya, donors.size, T0)
        se, placebos = sdid_placebo_se(Ya, donors.size, T0, fit, replications=reps, seed=5)
        assert (r["estimate"][a], r["se"][a], r["did"][a]) == (fit["estimate"], se, fit["did"])
        np.testing.assert_array_equal(r["placebos"][a], placebos)
        np.testing.assert_array_equal(r["omega"][a][donors], fit["omega"])
        assert r["omega"][a][np.setdiff1d(np.arange(n), donors)].sum() == 0
        np.testing.assert_array_equal(r["lambda"][a], fit["lambda"])


def test_in_space_placebos_are_the_non_adopters_fits():
    """In-space SEs: each authority's SE is sqrt((K-1)/K) x the SD (ddof 1) of the K non-adopters'
    own screen estimates other than its own; adopters are neither placebos nor donors, so an
    adopter's effect changes no other authority's estimate or SE; the estimates are those of the
    resampling scheme."""
    rng = np.random.default_rng(1)
    n, T0 = 8, 5
    Y = rng.normal(size=(n, 8)).cumsum(axis=1)
    adopted = np.array([False, True, False, False, False, False, True, False])
    r = sdid_screen(Y, T0, adopters=adopted)
    full = sdid_screen(Y, T0, adopters=adopted, placebo="resample", replications=4)
    np.testing.assert_array_equal(r["estimate"], full["estimate"])
    for a in range(n):
        used = ~adopted & (np.arange(n) != a)
        others = r["estimate"][used]
        k = others.size
        assert r["se"][a] == pytest.approx(np.sqrt((k - 1) / k) * others.std(ddof=1), rel=1e-12)
        np.testing.assert_array_equal(np.flatnonzero(~np.isnan(r["placebos"][a])), np.flatnonzero(used))
    shocked = Y.copy()
    shocked[adopted, T0:] += 50.0  # the adopters' own effects
    s = sdid_screen(shocked, T0, adopters=adopted)
    np.testing.assert_allclose(s["estimate"][~adopted], r["estimate"][~adopted], rtol=0, atol=1e-12)
    np.testing.assert_allclose(s["se"], r["se"], rtol=0, atol=1e-12)
    assert (s["estimate"][adopted] - r["estimate"][adopted] > 49).all()


def test_screen_refuses_what_it_cannot_screen():
    Y = np.random.default_rng(2).normal(size=(6, 8)).cumsum(axis=1)
    with pytest.raises(ValueError, match="placebo must be"):
        sdid_screen(Y, 5, placebo="bootstrap")
    with pytest.raises(ValueError, match="6 booleans"):
        sdid_screen(Y, 5, adopters=np.ones(3, dtype=bool))
    for odd in ([0, 2, 3, 4, 5, 1], [0, 0, np.nan, 0, 0, 0]):  # an index list, a NaN: not flags
        with pytest.raises(ValueError, match="must be booleans"):
            sdid_screen(Y, 5, adopters=odd)
    for T0 in (0, 1, 8):
        with pytest.raises(ValueError, match="T0 must be from 2 to 7"):
            sdid_screen(Y, T0)
    holed = Y.copy()
    holed[3, 2] = np.nan
    with pytest.raises(ValueError, match=r"1 unit\(s\) have missing or infinite values \(rows 3\)"):
        sdid_screen(holed, 5)
    with pytest.raises(ValueError, match="at least three units that did not adopt"):
        sdid_screen(Y, 5, adopters=np.arange(6) < 4)
    with pytest.raises(ValueError, match="at least three units"):
        sdid_screen(np.ones((2, 5)), 3)


def test_a_screen_of_flat_series_has_no_standard_error():
    r = sdid_screen(np.full((5, 8), 3.0), 5)
    assert np.isnan(r["se"]).all() and (r["estimate"] == 0).all()
