"""CR1 and the wild cluster bootstrap against statsmodels and a naive loop."""

import itertools

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from rsw_eval.stats import cluster_robust_diff


def _data(n_clusters=6, size=5, seed=2):
    rng = np.random.default_rng(seed)
    c = np.repeat(np.arange(n_clusters), size)
    g = (c < n_clusters // 2).astype(float)
    y = 1.0 * g + rng.normal(0, 1, n_clusters)[c] + rng.normal(0, 1, c.size)
    return pd.DataFrame({"y": y, "g": g, "c": c})


def test_cr1_se_matches_statsmodels():
    d = _data(40, 4)
    r = cluster_robust_diff(d, "y", "g", "c")
    fit = sm.OLS(d["y"], sm.add_constant(d["g"])).fit(cov_type="cluster", cov_kwds={"groups": d["c"]})
    assert r.details["se"] == pytest.approx(fit.bse["g"], rel=1e-10)
    assert r.estimate == pytest.approx(fit.params["g"], rel=1e-12)
    assert r.test == "CR1 t" and r.df == 39


def test_enumerated_bootstrap_p_matches_naive_loop():
    d = _data(6, 5)
    r = cluster_robust_diff(d, "y", "g", "c")
    assert r.details["enumerated"] and r.details["n_boot"] == 64
    # second method: refit the restricted wild bootstrap for every sign vector with statsmodels
    x = sm.add_constant(d["g"].to_numpy())
    resid0 = d["y"].to_numpy() - d["y"].mean()
    t_obs = r.statistic
    exceed = 0
    for signs in itertools.product((-1.0, 1.0), repeat=6):
        ystar = d["y"].mean() + np.asarray(signs)[d["c"].to_numpy()] * resid0
        fit = sm.OLS(ystar, x).fit(cov_type="cluster", cov_kwds={"groups": d["c"].to_numpy()})
        exceed += abs(fit.params[1] / fit.bse[1]) >= abs(t_obs) * (1 - 1e-12)
    assert r.p_value == pytest.approx(exceed / 64, abs=1e-12)


def test_few_clusters_give_an_unbounded_interval_with_reason():
    r = cluster_robust_diff(_data(4, 5), "y", "g", "c")
    assert np.isinf(r.ci_low) and np.isinf(r.ci_high)
    assert "cannot reach p < 0.05" in r.reason


def test_ci_ends_are_where_the_bootstrap_p_crosses_alpha():
    d = _data(12, 5, seed=4)
    r = cluster_robust_diff(d, "y", "g", "c", n_boot=1999, seed=7)
    assert np.isfinite(r.ci_low) and r.ci_low < r.estimate < r.ci_high
    # shifting the outcome by the lower limit makes that limit the null: p is then ~alpha
    shifted = d.assign(y=d["y"] - r.ci_low * d["g"])
    p = cluster_robust_diff(shifted, "y", "g", "c", n_boot=1999, seed=7).p_value
    assert p == pytest.approx(0.05, abs=0.01)


def test_seed_makes_results_reproducible():
    d = _data(12, 4)
    a = cluster_robust_diff(d, "y", "g", "c", seed=1, n_boot=999, weights="webb")
    b = cluster_robust_diff(d, "y", "g", "c", seed=1, n_boot=999, weights="webb")
    assert (a.p_value, a.ci_low, a.ci_high) == (b.p_value, b.ci_low, b.ci_high)
