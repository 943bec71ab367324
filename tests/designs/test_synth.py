"""Synthetic control and its simplex least-squares solver.

Sources: optimality by the KKT conditions of the simplex QP and by scipy.optimize SLSQP on random
problems; placebo-in-space ranks by direct re-computation; California Prop 99 (ADH 2010) for the
weights and the gap, from ../shared/reference/synth/california_prop99.csv.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import minimize

from rsw_eval.designs._simplex import project_simplex, simplex_lstsq
from rsw_eval.designs.synth import MIN_DONORS_FOR_P, synth_core, synthetic_control
from tests.conftest import ROOT

PROP99 = ROOT.parent / "shared" / "reference" / "synth" / "california_prop99.csv"
needs_prop99 = pytest.mark.skipif(not PROP99.is_file(), reason=f"reference data not found at {PROP99}")


def _slsqp(A, b, ridge=0.0):
    J = A.shape[1]
    res = minimize(
        lambda w: 0.5 * np.sum((A @ w - b) ** 2) + 0.5 * ridge * w @ w,
        np.full(J, 1 / J),
        jac=lambda w: A.T @ (A @ w - b) + ridge * w,
        bounds=[(0, None)] * J,
        constraints=[{"type": "eq", "fun": lambda w: w.sum() - 1, "jac": lambda w: np.ones(J)}],
        method="SLSQP",
        options={"ftol": 1e-13, "maxiter": 500},
    )
    return res.fun


def _kkt_violation(A, b, w, ridge=0.0):
    """max over donors of (mu - g_j)+ and |g_j - mu| on the support, mu the support's mean gradient."""
    g = A.T @ (A @ w - b) + ridge * w
    support = w > 1e-9
    mu = g[support].mean()
    return max(np.max(np.abs(g[support] - mu)), np.max(np.maximum(mu - g, 0)))


@pytest.mark.parametrize("method", ["active_set", "gradient"])
@pytest.mark.parametrize("shape", [(5, 20), (12, 8), (10, 30)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_simplex_lstsq_is_optimal_kkt_and_matches_slsqp(shape, method):
    rng = np.random.default_rng(sum(shape))
    for rep in range(3):
        A = rng.normal(size=shape) @ np.diag(rng.uniform(0.5, 2, shape[1])) + 3
        b = rng.normal(size=shape[0]) + 3
        ridge = 0.0 if rep < 2 else 0.5
        fit = simplex_lstsq(A, b, ridge=ridge, method=method, tol=1e-12)
        w = fit.weights[0]
        assert w.min() >= 0 and abs(w.sum() - 1) < 1e-12
        scale = np.abs(A.T @ b).max()
        assert _kkt_violation(A, b, w, ridge) < 1e-5 * scale  # KKT of the simplex QP
        best = _slsqp(A, b, ridge)
        assert fit.objective[0] <= best + 1e-7 * (1 + abs(best))


def test_simplex_lstsq_kkt_with_150_donors():
    rng = np.random.default_rng(150)
    A = rng.normal(size=(10, 3)) @ rng.normal(size=(3, 150)) + rng.normal(size=(10, 150)) + 100
    b = A[:, :40].mean(axis=1) + rng.normal(size=10)
    fit = simplex_lstsq(A, b)
    assert fit.gap[0] <= 1e-10 * 0.5 * b @ b  # certified: the duality gap bounds the suboptimality
    assert _kkt_violation(A, b, fit.weights[0]) < 1e-6 * np.abs(A.T @ b).max()


def test_simplex_lstsq_masks_and_batches():
    rng = np.random.default_rng(4)
    A = rng.normal(size=(6, 9))
    b = rng.normal(size=(9, 6))
    mask = ~np.eye(9, dtype=bool)
    fit = simplex_lstsq(A, b, mask=mask)
    assert np.all(fit.weights[np.eye(9, dtype=bool)] == 0)
    for i in range(9):  # each problem equals its own unbatched fit without donor i
        alone = simplex_lstsq(np.delete(A, i, axis=1), b[i])
        assert fit.objective[i] == pytest.approx(alone.objective[0], rel=1e-9, abs=1e-12)


def test_project_simplex_closed_form():
    # projection of (0.5, 0.5, 2) is (0, 0, 1); of a constant vector is uniform (Duchi et al. 2008)
    assert project_simplex(np.array([0.5, 0.5, 2.0])).tolist() == [[0.0, 0.0, 1.0]]
    out = project_simplex(np.array([[3.0, 1.0, 7.0]]), np.array([[True, True, False]]))
    assert out.tolist() == [[1.0, 0.0, 0.0]]


def test_synth_core_exact_recovery_and_placebo_rank():
    rng = np.random.default_rng(7)
    years = np.arange(2000, 2014)
    donors = rng.normal(size=(30, 1)) * 3 + np.cumsum(rng.normal(size=(30, 14)), axis=1)
    treated = 0.6 * donors[3] + 0.4 * donors[17]
    treated = treated + np.where(years >= 2010, -8.0, 0.0)
    y = np.vstack([treated, donors])
    r = synth_core(y, years, 2010, 0, np.arange(1, 31))
    assert r["weights"][[3, 17]] == pytest.approx([0.6, 0.4], abs=1e-6)  # closed form
    assert r["estimate"] == pytest.approx(-8.0, abs=1e-6)
    assert r["pre_rmspe"] < 1e-6
    # the p-value is the rank of the treated post/pre RMSPE ratio among itself and 30 placebos
    rank = 1 + np.sum(r["placebo_ratio"] >= r["ratio"])
    assert r["p_value"] == pytest.approx(rank / 31)
    assert r["loo_dropped"].tolist() == [4, 18]  # rows of y and r["loo_estimate"].size == 2


def _panel(n, years, effect=0.0, seed=0):
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(n):
        base = rng.normal(50, 5)
        for yr in years:
            rows.append((f"E0{i:07d}", f"LA {i}", yr, "x", base + 0.4 * (yr - years[0]) + rng.normal()))
    panel = pd.DataFrame(rows, columns=["la_code", "la_name", "year", "indicator", "value"])
    panel.loc[(panel["la_code"] == "E00000000") & (panel["year"] >= 2008), "value"] += effect
    return panel


def test_synthetic_control_rows_p_only_with_enough_donors():
    years = list(range(2000, 2012))
    codes = [f"E0{i:07d}" for i in range(30)]
    many = synthetic_control(_panel(30, years), codes[0], codes[1:], 2008)
    few = synthetic_control(_panel(30, years), codes[0], codes[1:11], 2008)
    primary = [r for r in many if r["primary"]]
    assert len(primary) == 1 and 0 < primary[0]["p_value"] <= 1
    assert np.isnan(few[0]["p_value"]) and "1/11 = 0.091" in few[0]["note"]
    assert len(codes) - 1 >= MIN_DONORS_FOR_P > 10
    series = [r for r in many if r["effect_size_name"] == "synthetic_gap_year"]
    assert [r["period"] for r in series] == [str(y) for y in years]
    assert all(r["effect_size_name"] == "synthetic_gap_year" for r in series)
    assert np.isnan(primary[0]["ci_low"])  # a test, never an interval


def test_synthetic_control_skips_short_series():
    panel = _panel(5, [2006, 2007, 2008, 2009])
    rows = synthetic_control(panel, "E00000000", ["E00000001", "E00000002"], 2008)
    assert rows[0]["_skipped"] and "3+ pre-years" in rows[0]["reason"]


@needs_prop99
def test_prop99_weights_and_gap_against_adh():
    d = pd.read_csv(PROP99)
    Y = d.pivot(index="State", columns="Year", values="PacksPerCapita")
    units = list(Y.index)
    t = units.index("California")
    r = synth_core(Y.to_numpy(), np.asarray(Y.columns), 1989, t, [i for i in range(len(units)) if i != t])
    donors = [u for u in units if u != "California"]
    w = dict(zip(donors, r["weights"], strict=True))
    # ADH (2010, Table 2) put their weight on the same five states; ours (pre-period path only):
    assert {k for k, v in w.items() if v > 0.05} == {"Utah", "Montana", "Nevada", "Connecticut"}
    assert w["Utah"] == pytest.approx(0.3939, abs=1e-3)
    assert r["pre_rmspe"] == pytest.approx(1.656, abs=1e-3)  # ADH report 1.76 with predictors
    gap = dict(zip(Y.columns, r["gap"], strict=True))
    assert gap[2000] == pytest.approx(-26.6, abs=0.1)  # ADH: "about 26 packs" by 2000
    assert r["p_value"] == pytest.approx(3 / 39)


def test_gap_series_reach_the_munro_report_as_a_chart():
    from rsw_eval.report._donor_charts import donor_sections

    years = list(range(2000, 2012))
    codes = [f"E0{i:07d}" for i in range(12)]
    table = pd.DataFrame(synthetic_control(_panel(12, years, effect=-5), codes[0], codes[1:], 2008))
    table["suppressed"] = False
    sections = donor_sections(table, 2008, threshold=5)
    assert [s.id for s in sections] == ["synthetic-gap-x"]
    assert sections[0].svg.startswith("<svg") and "year ending 31 March" in sections[0].svg


def _level_panel(treated_level, effect, seed=2, k=20, years=range(2000, 2013)):
    rng = np.random.default_rng(seed)
    codes = [f"E0{i:07d}" for i in range(k + 1)]
    rows = []
    for i, c in enumerate(codes):
        level = treated_level if i == 0 else 40 + rng.normal(0, 3)
        for yr in years:
            value = level + 0.5 * (yr - 2000) + rng.normal(0, 1) + (effect if i == 0 and yr >= 2008 else 0)
            rows.append((c, c, yr, "x", value))
    return codes, pd.DataFrame(rows, columns=["la_code", "la_name", "year", "indicator", "value"])


def test_treated_outside_the_donors_range_is_fitted_demeaned_never_a_wrong_sign():
    # issue 19: +30.4 for a true -4 with p = 0.95 and no warning, when the treated is above every donor
    codes, panel = _level_panel(80.0, -4.0)
    y = panel.pivot(index="la_code", columns="year", values="value").loc[codes].to_numpy()
    plain = synth_core(y, np.arange(2000, 2013), 2008, 0, np.arange(1, 21), leave_one_out=False)
    assert plain["estimate"] > 10  # what the convex-hull check prevents
    row = synthetic_control(panel, codes[0], codes[1:], 2008)[0]
    assert row["effect_size"] == pytest.approx(-4.0, abs=1.0)
    assert "outside the donors' range in 8 of 8" in row["note"] and "demeaned" in row["method"]
    inside = synthetic_control(_level_panel(40.0, -4.0)[1], codes[0], codes[1:], 2008)[0]
    assert "demeaned" not in inside["method"]


def test_non_unique_weights_report_the_range_over_every_exact_fit():
    # 4 pre-years and 10 donors: many weight sets fit exactly; each gives an estimate in the range
    rng = np.random.default_rng(5)
    D = rng.normal(10, 2, size=(10, 8))
    w_true = np.full(10, 0.1)  # inside the simplex: a 5-dimensional set of exact fits around it
    y0 = w_true @ D
    y = np.vstack([y0, D])
    years = np.arange(2004, 2012)
    codes = [f"E0{i:07d}" for i in range(11)]
    panel = pd.DataFrame(
        [(c, c, int(yr), "x", float(y[i, j])) for i, c in enumerate(codes) for j, yr in enumerate(years)],
        columns=["la_code", "la_name", "year", "indicator", "value"],
    )
    row = synthetic_control(panel, codes[0], codes[1:], 2008)[0]
    assert "not unique" in row["note"] and "minimum-norm" in row["note"]
    lo, hi = (float(x) for x in row["note"].split("estimate between ")[1].split(";")[0].split(" and "))
    pre = years < 2008
    for seed in range(5):  # other exact fits, by SLSQP from random starts
        start = np.random.default_rng(seed).dirichlet(np.ones(10))
        res = minimize(
            lambda w: np.sum((w @ D[:, pre] - y0[pre]) ** 2),
            start,
            bounds=[(0, 1)] * 10,
            constraints=[{"type": "eq", "fun": lambda w: w.sum() - 1}],
            method="SLSQP",
            options={"ftol": 1e-14, "maxiter": 1000},
        )
        est = float((y0[~pre] - res.x @ D[:, ~pre]).mean())
        assert lo - 1e-2 <= est <= hi + 1e-2
    assert lo <= row["effect_size"] <= hi and hi - lo > 0.1


def test_conformal_and_in_time_placebo_rows():
    codes, panel = _level_panel(40.0, -4.0, years=range(1995, 2013))
    rows = synthetic_control(panel, codes[0], codes[1:], 2008)
    conf = next(r for r in rows if r["effect_size_name"] == "synthetic_gap_conformal")
    T = 18
    assert conf["ci_level"] == pytest.approx(1 - 1 / T) and not conf["primary"]
    assert conf["ci_low"] < -4.0 < conf["ci_high"] and conf["ci_high"] < 0
    assert round(conf["p_value"] * T) == pytest.approx(conf["p_value"] * T, abs=1e-9)
    back = next(r for r in rows if r["effect_size_name"] == "synthetic_gap_in_time_placebo")
    assert "backdated" in back["period"] and abs(back["effect_size"]) < 2.0
    primary = rows[0]
    assert np.isfinite(primary["prefit_rmspe"]) and primary["prefit_ratio"] > 0


@settings(max_examples=12, deadline=None)
@given(level=st.floats(-60.0, 60.0), effect=st.floats(-6.0, 6.0), seed=st.integers(0, 10_000))
def test_synthetic_control_never_reports_a_level_gap_as_the_effect(level, effect, seed):
    # property: wherever the treated authority sits against the donors (inside or far outside
    # their range), the primary estimate tracks the true effect, and the hull check says which fit
    codes, panel = _level_panel(40.0 + level, effect, seed=seed)
    row = synthetic_control(panel, codes[0], codes[1:], 2008)[0]
    y = panel.pivot(index="la_code", columns="year", values="value").loc[codes]
    pre = y.loc[:, y.columns < 2008].to_numpy()
    outside = ((pre[0] > pre[1:].max(axis=0)) | (pre[0] < pre[1:].min(axis=0))).any()
    assert ("demeaned" in row["method"]) == bool(outside)
    assert row["effect_size"] == pytest.approx(effect, abs=2.5)


@pytest.mark.parametrize("noise", ["relative 1e-16", "absolute 1e-12"])
def test_a_fit_to_rounding_noise_is_a_skip_not_an_interval(noise):
    """Identical series plus rounding noise defeated the exact-zero guard: a '92.3%' conformal
    interval of width 0 and a placebo p were published."""
    rng = np.random.default_rng(3)
    years = np.arange(2004, 2017)
    base = 10 + 2 * np.sin(years)
    rows = []
    for i in range(11):
        y = (
            base * (1 + 1e-16 * rng.normal(size=years.size))
            if noise.startswith("relative")
            else base + 1e-12 * rng.normal(size=years.size)
        )
        rows += [
            (f"E0900000{i:02d}", f"LA {i}", int(t), "cp_plans_repeat_pct", float(v))
            for t, v in zip(years, y, strict=True)
        ]
    panel = pd.DataFrame(rows, columns=["la_code", "la_name", "year", "indicator", "value"])
    codes = sorted(panel["la_code"].unique())
    out = synthetic_control(panel, codes[0], codes[1:], 2010)
    assert all("reason" in r for r in out), [r.get("design") for r in out]
    assert "pre-period gap is zero" in out[0]["reason"]
