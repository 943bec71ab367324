"""Cross-sectional design on surveys built with known answers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from rsw_eval import stats
from rsw_eval.designs.cross_section import compare_parents, compare_workers


def _workers():
    # unit authority U (units u1, u2), conventional authorities A and B (teams t1..t4)
    rows = []
    scores = {"U": [2, 4, 6, 8, 10, 12], "A": [10, 12, 14, 16], "B": [12, 14, 16, 18]}
    teams = {"U": ["u1"] * 3 + ["u2"] * 3, "A": ["t1", "t1", "t2", "t2"], "B": ["t3", "t3", "t4", "t4"]}
    for la, values in scores.items():
        for i, v in enumerate(values):
            rows.append(
                {
                    "respondent_id": f"{la}{i}",
                    "authority": la,
                    "unit": teams[la][i],
                    "model": "unit" if la == "U" else "conventional",
                    "ghq_score": float(v),
                    "no_time_for_reflection": i == 0,
                }
            )
    return pd.DataFrame(rows)


def test_pooled_and_per_authority_rows_match_the_statistics():
    rows = pd.DataFrame(compare_workers(_workers()))
    g = rows[(rows["outcome"] == "ghq_score") & (rows["design"] == "cross_section")]
    assert g["comparison"].tolist() == ["all conventional", "A", "B"]
    pooled = g.iloc[0]
    x, y = np.array([2, 4, 6, 8, 10, 12.0]), np.array([10, 12, 14, 16, 12, 14, 16, 18.0])
    assert pooled["difference"] == pytest.approx(x.mean() - y.mean(), abs=1e-12)  # 7 - 14 = -7
    assert pooled["effect_size"] == pytest.approx(stats.hedges_g(x, y, pooled_sd=False).estimate, abs=1e-12)
    assert pooled["p_value"] == pytest.approx(stats.welch_t(x, y).p_value, abs=1e-12)
    assert (pooled["n_treatment"], pooled["n_comparison"]) == (6, 8)


def test_binary_rows_and_secondary_scales():
    rows = pd.DataFrame(compare_workers(_workers()))
    b = rows[(rows["outcome"] == "no_time_for_reflection") & (rows["comparison"] == "all conventional")]
    assert b["effect_size_name"].tolist() == ["risk_difference", "odds_ratio", "cohens_h"]
    assert b["primary"].tolist() == [True, False, False]
    # 1/6 in the unit authority vs 2/8 in the comparators
    assert b.iloc[0]["effect_size"] == pytest.approx(1 / 6 - 2 / 8, abs=1e-12)


def test_multilevel_row_names_the_confounding():
    rows = pd.DataFrame(compare_workers(_workers()))
    m = rows[rows["design"] == "multilevel"]
    assert len(m) == 1 and not m.iloc[0]["primary"]
    assert "model and place are confounded" in m.iloc[0]["note"]


def test_contact_rate_ratio_known_answer():
    # equal exposure: the rate ratio is the ratio of mean contacts, (30/3) / (10/3) = 3
    parents = pd.DataFrame(
        {
            "case_id": list("abcdef"),
            "authority": ["U"] * 3 + ["A"] * 3,
            "model": ["unit"] * 3 + ["conventional"] * 3,
            "contacts": [9, 10, 11, 3, 3, 4],
            "weeks_observed": [10.0] * 6,
        }
    )
    rows = pd.DataFrame(compare_parents(parents))
    pooled = rows[rows["comparison"] == "all conventional"].iloc[0]
    assert pooled["effect_size"] == pytest.approx(3.0, rel=1e-8)
    assert pooled["value_treatment"] == pytest.approx(1.0, abs=1e-12)  # 30 contacts / 30 weeks
    assert "Poisson" in pooled["note"]
