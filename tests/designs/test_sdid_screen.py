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
    r = sdid_screen(Y, T0, replications=reps, seed=5)
    for a in range(n):
        Ya = np.vstack([np.delete(Y, a, axis=0), Y[a : a + 1]])
        fit = sdid_estimate(Ya, n - 1, T0)
        se, placebos = sdid_placebo_se(Ya, n - 1, T0, fit, replications=reps, seed=5)
        assert (r["estimate"][a], r["se"][a], r["did"][a]) == (fit["estimate"], se, fit["did"])
        np.testing.assert_array_equal(r["placebos"][a], placebos)
        np.testing.assert_array_equal(r["omega"][a], fit["omega"])
        np.testing.assert_array_equal(r["lambda"][a], fit["lambda"])


def test_screen_needs_three_units():
    with pytest.raises(ValueError, match="at least three units"):
        sdid_screen(np.ones((2, 5)), 3)
