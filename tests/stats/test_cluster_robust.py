"""CR1 and the wild cluster bootstrap against statsmodels and a naive loop."""

import itertools
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from rsw_eval.stats import cluster_robust_diff, cr2_diff


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


REF = Path(__file__).resolve().parents[1] / "reference" / "survey" / "survey_reference.csv"
SAMPLE = Path(__file__).resolve().parents[2] / "data" / "sample" / "worker_survey.csv"


def _cr2_cases():
    ref = pd.read_csv(REF, comment="#")
    ref = ref[ref["source"] == "clubSandwich"]
    return sorted(set(zip(ref["outcome"], ref["fit"], strict=True)))


@pytest.mark.skipif(not SAMPLE.exists(), reason="data/sample/worker_survey.csv is absent")
@pytest.mark.parametrize(("outcome", "comparison"), _cr2_cases())
def test_cr2_matches_clubsandwich_on_the_sample(outcome, comparison):
    # source: tests/reference/survey/survey_reference.R, clubSandwich 0.5.8
    # coef_test(lm(y ~ treat), vcov = "CR2", cluster = unit, test = "Satterthwaite")
    ref = pd.read_csv(REF, comment="#")
    ref = ref[(ref["outcome"] == outcome) & (ref["fit"] == comparison)].set_index("quantity")["value"]
    d = pd.read_csv(SAMPLE)
    d["uid"] = d["authority"] + "/" + d["unit"]
    for c in ("no_time_for_reflection", "experienced_violence"):
        d[c] = (d[c] == "yes").astype(float)
    other = (
        (d["model"] == "conventional") if comparison == "all conventional" else (d["authority"] == comparison)
    )
    r = cr2_diff(d[(d["model"] == "unit") | other], outcome, "model", "uid")
    assert r.estimate == pytest.approx(ref["cr2_estimate"], abs=1e-10)
    assert r.details["se"] == pytest.approx(ref["cr2_se"], rel=1e-8)
    assert r.df == pytest.approx(ref["cr2_df"], rel=1e-8)
    assert r.p_value == pytest.approx(ref["cr2_p"], rel=1e-7, abs=1e-12)


def test_cr2_closed_form_matches_the_dense_formula():
    # second method: A_g = (I - H_gg)^(-1/2) and the Bell-McCaffrey df from n x n matrices
    from scipy.linalg import sqrtm

    from rsw_eval.stats._cr2 import cr2_fit

    rng = np.random.default_rng(1)
    codes = np.repeat(np.arange(7), [3, 4, 2, 5, 3, 4, 6])
    t = np.isin(codes, [0, 1, 2]).astype(float)
    t[-2:] = 1.0  # a cluster with both groups
    y = rng.normal(size=codes.size)
    x = np.column_stack([np.ones_like(t), t])
    m = np.linalg.inv(x.T @ x)
    ih = np.eye(len(y)) - x @ m @ x.T
    us = []
    for g in range(7):
        idx = codes == g
        a = np.linalg.pinv(sqrtm(ih[np.ix_(idx, idx)]).real)
        us.append(ih[:, idx] @ (a @ x[idx] @ m @ np.array([0.0, 1.0])))
    u = np.array(us)
    gram = u @ u.T
    est, se, df = cr2_fit(y, x, codes, [0.0, 1.0])
    assert se == pytest.approx(np.sqrt(np.sum((u @ y) ** 2)), rel=1e-10)
    assert df == pytest.approx(np.trace(gram) ** 2 / np.sum(gram**2), rel=1e-10)


def test_cr2_needs_two_clusters_per_arm():
    d = pd.DataFrame({"y": [1.0, 2, 3, 4, 5, 6], "g": [1, 1, 0, 0, 0, 0], "c": list("aabbcc")})
    r = cr2_diff(d, "y", "g", "c")
    assert not r.valid and "at least two clusters" in r.reason and np.isnan(r.p_value)


def test_cr2_constant_outcome_is_invalid_not_p_zero():
    d = pd.DataFrame({"y": [1.0] * 8, "g": [1, 1, 1, 1, 0, 0, 0, 0], "c": list("aabbccdd")})
    r = cr2_diff(d, "y", "g", "c")
    assert not r.valid and "zero" in r.reason
