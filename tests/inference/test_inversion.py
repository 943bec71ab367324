"""Permutation tests and their inversion: exactness, attainable levels, agreement of CI and p."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

from rsw_eval.inference import (
    achieved_level,
    assignment_weights,
    attainable_confidence,
    invert_permutation,
    linear_statistics,
    pool_weights,
)


def _grid_set(u, v, s, level, half_width=40.0, n=40001):
    """Second method: p(delta) on a fine grid; the set where p > 1 - level (its min and max)."""
    est = u[0] / -v[0]
    grid = np.linspace(est - half_width, est + half_width, n)
    tj = (u[None, 1:] + v[None, 1:] * grid[:, None]) / s[None, 1:]
    t0 = (u[0] + v[0] * grid) / s[0]
    p = (1 + (np.abs(tj) >= np.abs(t0)[:, None]).sum(axis=1)) / u.size
    acc = grid[p > 1 - level + 1e-9]
    return acc.min(), acc.max()


def _random_case(rng, design):
    n_t = {"one": 1, "pool": 1, "several": 2}[design]
    n = {"one": 11, "pool": 31, "several": 9}[design]
    delta = rng.normal(size=n)
    scale = rng.uniform(0.5, 2.0, size=n)
    if design == "pool":
        w = pool_weights(n, 0, range(1, 11), range(11, n))
    else:
        w = assignment_weights(n, list(range(n_t)))
    return linear_statistics(delta, scale, w, list(range(n_t)))


def test_p_is_exact_on_an_enumerable_case():
    # Closed form: with no ties, taking each of the k + 1 units in turn as "treated" gives the
    # p-values 1/(k+1), 2/(k+1), ..., 1 once each, so P(p <= a) = floor(a (k+1))/(k+1) exactly.
    rng = np.random.default_rng(0)
    change = rng.normal(size=6)
    ps = []
    for t in range(6):
        order = [t, *[j for j in range(6) if j != t]]
        u, v, s = linear_statistics(change[order], np.ones(6), assignment_weights(6, [0]), [0])
        ps.append(float(invert_permutation(u, v, s)["p_value"]))
    assert sorted(ps) == pytest.approx([i / 6 for i in range(1, 7)], abs=1e-12)


def test_randomisation_p_matches_a_naive_enumeration():
    # Second method: every choice of 2 treated among 8 recomputed from scratch (difference in means).
    rng = np.random.default_rng(1)
    delta = rng.normal(size=8)
    obs = delta[:2].mean() - delta[2:].mean()
    stats = []
    for a in itertools.combinations(range(8), 2):
        inside = np.isin(np.arange(8), a)
        stats.append(delta[inside].mean() - delta[~inside].mean())
    naive = np.mean(np.abs(stats) >= abs(obs) - 1e-12)
    u, v, s = linear_statistics(delta, np.ones(8), assignment_weights(8, [0, 1]), [0, 1])
    assert float(invert_permutation(u, v, s)["p_value"]) == pytest.approx(naive, abs=1e-12)


@pytest.mark.parametrize(
    ("k", "confidence", "level"),
    [(10, 0.95, 10 / 11), (18, 0.95, 18 / 19), (19, 0.95, 0.95), (140, 0.95, 134 / 141), (9, 0.8, 0.8)],
    ids=["10-comparators", "18", "19-first-95", "pool-140", "9-at-80"],
)
def test_achieved_level_closed_form(k, confidence, level):
    # Closed form: 1 - c/(k+1) with c = floor((1 - confidence)(k+1)), at least 1.
    assert achieved_level(k, confidence) == pytest.approx(level, abs=1e-12)


def test_attainable_confidence_equal_tailed():
    # Closed form (k-1)/(k+1): an equal-tailed interval needs one placebo beyond it on each side.
    assert attainable_confidence(10) == pytest.approx(9 / 11, abs=1e-15)
    assert attainable_confidence(150) == pytest.approx(149 / 151, abs=1e-15)


@pytest.mark.parametrize("design", ["one", "pool", "several"])
def test_ci_and_p_agree_and_match_a_grid_inversion(design):
    rng = np.random.default_rng({"one": 2, "pool": 3, "several": 4}[design])
    for _ in range(25):
        u, v, s = _random_case(rng, design)
        confidence = float(rng.choice([0.8, 0.9, 0.95]))
        r = invert_permutation(u, v, s, confidence=confidence)
        lo, hi, p, level = (float(r[k]) for k in ("ci_low", "ci_high", "p_value", "level"))
        assert (lo <= 0 <= hi) == (p > 1 - level + 1e-12)
        g_lo, g_hi = _grid_set(u, v, s, level)
        assert lo == pytest.approx(g_lo, abs=0.005) and hi == pytest.approx(g_hi, abs=0.005)


def test_a_placebo_far_quieter_than_the_treated_uses_the_general_path():
    # With the treated 20 times noisier than a placebo whose statistic moves with delta, that
    # placebo's set is unbounded; the hull must still match the grid inversion.
    rng = np.random.default_rng(5)
    delta = rng.normal(size=6)
    scale = np.array([20.0, 0.05, 1, 1, 1, 1])
    u, v, s = linear_statistics(delta, scale, assignment_weights(6, [0]), [0])
    r = invert_permutation(u, v, s, confidence=0.8)
    lo, hi = float(r["ci_low"]), float(r["ci_high"])
    assert math.isfinite(lo) and math.isfinite(hi)
    width = 1.2 * max(abs(lo - float(r["estimate"])), abs(hi - float(r["estimate"])))
    g_lo, g_hi = _grid_set(u, v, s, float(r["level"]), half_width=width, n=200001)
    step = 2 * width / 200000
    assert lo == pytest.approx(g_lo, abs=2 * step) and hi == pytest.approx(g_hi, abs=2 * step)
    assert (lo <= 0 <= hi) == (float(r["p_value"]) > 1 - float(r["level"]) + 1e-12)


def test_zero_scale_is_invalid_not_p_zero():
    u, v, s = linear_statistics(np.zeros(5), np.zeros(5), assignment_weights(5, [0]), [0])
    r = invert_permutation(u, v, s)
    assert np.isnan(r["p_value"]) and np.isnan(r["ci_low"]) and np.isnan(r["ci_high"])


def test_too_many_assignments_are_sampled_with_the_observed_first():
    w = assignment_weights(60, [0, 1, 2], max_assignments=500, seed=1)
    assert w.shape == (500, 60)
    assert np.allclose(w[0, :3], 1 / 3) and np.allclose(w[0, 3:], -1 / 57)
    assert np.allclose((w > 0).sum(axis=1), 3)
    with pytest.raises(ValueError, match="need 1 <= treated < n_units"):
        assignment_weights(3, [0, 1, 2])


def test_general_path_agrees_with_the_sorted_path_when_every_set_is_bounded():
    from rsw_eval.inference._inversion import _general_hull

    rng = np.random.default_rng(6)
    for _ in range(20):
        u, v, s = _random_case(rng, "several")
        r = invert_permutation(u, v, s, confidence=0.9)
        c = round((1 - float(r["level"])) * u.size)
        lo, hi = _general_hull(u[1:], v[1:], s[1:], u[0], v[0], s[0], c, float(r["estimate"]))
        assert lo == pytest.approx(float(r["ci_low"]), abs=1e-10)
        assert hi == pytest.approx(float(r["ci_high"]), abs=1e-10)
