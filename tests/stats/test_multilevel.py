"""Mixed models against balanced-ANOVA closed forms (REML equals ANOVA estimators there)."""

import numpy as np
import pandas as pd
import pytest

from rsw_eval.stats import hedges2007_variance, mixed_effect

TOL = 1e-4  # optimiser tolerance on the REML surface


def test_one_level_balanced_closed_form():
    d = pd.DataFrame(
        {
            "y": [5.0, 6, 7, 6, 8, 9, 2, 3, 4, 3, 4, 5],
            "g": ["unit"] * 6 + ["conventional"] * 6,
            "team": list("aaabbbcccddd"),
        }
    )
    r = mixed_effect(d, "y", "g", ["team"])
    # team means 6, 7.667 (unit) and 3, 4; MSW = (1 + 7/3 + 1 + 1)/4 = 4/3;
    # MSB within arms = 3 * (2 * (5/6)^2 + 2 * 0.5^2) / 2 = 17/6; tau^2 = (MSB - MSW)/3 = 0.5
    assert r.details["variance_team"] == pytest.approx(0.5, abs=TOL)
    assert r.details["variance_residual"] == pytest.approx(4 / 3, abs=TOL)
    assert r.estimate == pytest.approx(20.5 / 3 - 3.5, abs=TOL)
    se = np.sqrt((0.5 + (4 / 3) / 3) * (1 / 2 + 1 / 2))
    assert (r.estimate - r.ci_low) / 1.959964 == pytest.approx(se, abs=TOL)
    assert r.details["icc_team"] == pytest.approx(0.5 / (0.5 + 4 / 3), abs=TOL)


def test_two_level_balanced_closed_form():
    # 4 authorities (2 unit model), 3 units each, 4 workers per unit; nested ANOVA estimators
    rng = np.random.default_rng(11)
    rows = []
    for a in range(4):
        ua = rng.normal(0, 1.0)
        for u in range(3):
            uu = rng.normal(0, 0.8)
            for _ in range(4):
                rows.append((a, u, float(a < 2), 2.0 * (a < 2) + ua + uu + rng.normal(0, 1.0)))
    d = pd.DataFrame(rows, columns=["authority", "unit", "t", "y"])
    r = mixed_effect(d, "y", "t", ["authority", "unit"])
    unit_means = d.groupby(["authority", "unit"])["y"].mean()
    auth_means = d.groupby("authority")["y"].mean()
    arm_means = d.groupby("t")["y"].mean()
    msw = ((d["y"] - d.groupby(["authority", "unit"])["y"].transform("mean")) ** 2).sum() / (48 - 12)
    msu = 4 * ((unit_means - auth_means.reindex(unit_means.index, level=0).to_numpy()) ** 2).sum() / 8
    msa = 12 * ((auth_means - arm_means.reindex([1.0, 1.0, 0.0, 0.0]).to_numpy()) ** 2).sum() / 2
    assert r.details["variance_residual"] == pytest.approx(msw, rel=1e-3)
    assert r.details["variance_unit"] == pytest.approx((msu - msw) / 4, rel=1e-3)
    assert r.details["variance_authority"] == pytest.approx((msa - msu) / 12, rel=1e-3)
    assert r.estimate == pytest.approx(arm_means[1.0] - arm_means[0.0], abs=1e-6)
    assert r.details["n_clusters_authority"] == 4 and r.details["n_clusters_unit"] == 12
    assert r.details["converged"]


def test_too_few_clusters_returns_invalid_with_reason():
    d = pd.DataFrame({"y": [1.0, 2, 3, 4], "g": [1, 1, 0, 0], "c": ["a", "a", "b", "b"]})
    r = mixed_effect(d, "y", "g", ["c"])
    assert not r.valid and "too few" in r.reason


def test_unknown_column_lists_available():
    d = pd.DataFrame({"y": [1.0], "g": [1]})
    with pytest.raises(ValueError, match=r"columns not found: \['unit'\]. Available: \['y', 'g'\]"):
        mixed_effect(d, "y", "g", ["unit"])


def test_hedges2007_variance_without_clustering_is_the_usual_variance():
    # rho = 0: V = N/(nT nC) + d^2 / (2 (N - 2)) (Hedges 2007, eq. 16 reduces to Hedges & Olkin)
    v = hedges2007_variance(0.5, 40, 60, 5, 0.0)
    assert v == pytest.approx(100 / 2400 + 0.25 / (2 * 98), abs=1e-12)


def test_hedges2007_variance_closed_form():
    d, nt, nc, m, rho = 0.4, 60, 60, 6, 0.1
    n = nt + nc
    first = n / (nt * nc) * (1 + (m - 1) * rho)
    num = (n - 2) * (1 - rho) ** 2 + m * (n - 2 * m) * rho**2 + 2 * (n - 2 * m) * rho * (1 - rho)
    second = d**2 * num / (2 * (n - 2) * ((n - 2) - 2 * (m - 1) * rho))
    assert hedges2007_variance(d, nt, nc, m, rho) == pytest.approx(first + second, abs=1e-12)
