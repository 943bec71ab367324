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
    # one unit-model authority: CR2 clustered by unit (authority/unit), Satterthwaite df
    w = _workers().assign(team=lambda d: d["authority"] + "/" + d["unit"])
    cr2 = stats.cr2_diff(w, "ghq_score", "model", "team")
    assert pooled["p_value"] == pytest.approx(cr2.p_value, abs=1e-12)
    assert pooled["df"] == pytest.approx(cr2.df, abs=1e-12) and pooled["test"] == "CR2 t (Satterthwaite df)"
    assert pooled["difference_ci_low"] == pytest.approx(cr2.ci_low, abs=1e-12)
    # g's interval is the difference's, scaled by g / difference, so it agrees with the test
    assert pooled["ci_low"] / pooled["effect_size"] == pytest.approx(cr2.ci_low / cr2.estimate, rel=1e-12)
    assert (pooled["n_treatment"], pooled["n_comparison"]) == (6, 8)
    assert "model and place are confounded" in pooled["note"] and "no valid test" in pooled["note"]


def test_binary_rows_and_secondary_scales():
    rows = pd.DataFrame(compare_workers(_workers()))
    b = rows[(rows["outcome"] == "no_time_for_reflection") & (rows["comparison"] == "all conventional")]
    assert b["effect_size_name"].tolist() == ["risk_difference", "odds_ratio", "cohens_h"]
    assert b["primary"].tolist() == [True, False, False]
    # 1/6 in the unit authority vs 2/8 in the comparators
    assert b.iloc[0]["effect_size"] == pytest.approx(1 / 6 - 2 / 8, abs=1e-12)
    # cluster-adjusted risk difference (CR2 on the 0/1 outcome); other scales without interval
    w = _workers().assign(team=lambda d: d["authority"] + "/" + d["unit"])
    cr2 = stats.cr2_diff(w.assign(y=w["no_time_for_reflection"].astype(float)), "y", "model", "team")
    assert b.iloc[0]["ci_low"] == pytest.approx(cr2.ci_low, abs=1e-12)
    assert b.iloc[0]["p_value"] == pytest.approx(cr2.p_value, abs=1e-12)
    assert b.iloc[1:][["ci_low", "p_value"]].isna().all().all()


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


def test_rank_rows_are_descriptive_when_workers_are_clustered():
    w = _workers().assign(job_satisfaction=[1, 2, 3, 3, 4, 5, 2, 3, 3, 4, 1, 2, 2, 3])
    rows = pd.DataFrame(compare_workers(w))
    rank = rows[rows["design"] == "cross_section_rank"]
    assert len(rank) == 3 and rank["p_value"].isna().all() and rank["ci_low"].isna().all()
    assert rank["note"].str.contains("ignores the clustering").all()


def test_two_authorities_per_arm_cluster_by_authority():
    w = _workers()
    w.loc[w["authority"] == "A", "model"] = "unit"
    w = pd.concat([w, _workers().query("authority == 'B'").assign(authority="C")], ignore_index=True)
    rows = pd.DataFrame(compare_workers(w))
    pooled = rows.query("outcome == 'ghq_score' and design == 'cross_section'").iloc[0]
    cr2 = stats.cr2_diff(w, "ghq_score", "model", "authority")
    assert pooled["p_value"] == pytest.approx(cr2.p_value, abs=1e-12)
    assert "clustered by authority (2 unit-model vs 2 conventional)" in pooled["note"]
    assert "confounded" not in pooled["note"]


def test_without_units_the_rows_use_welch_and_say_so():
    parents = pd.DataFrame(
        {
            "case_id": list("abcdefgh"),
            "authority": ["U"] * 4 + ["A"] * 4,
            "model": ["unit"] * 4 + ["conventional"] * 4,
            "rating_overall": [4.0, 5, 4, 3, 2, 3, 3, 2],
        }
    )
    rows = pd.DataFrame(compare_parents(parents))
    pooled = rows.query("design == 'cross_section' and comparison == 'all conventional'").iloc[0]
    x, y = [4.0, 5, 4, 3], [2.0, 3, 3, 2]
    assert pooled["p_value"] == pytest.approx(stats.welch_t(x, y).p_value, abs=1e-12)
    assert "respondents treated as independent" in pooled["note"]


def test_multilevel_row_with_one_unit_model_authority_has_no_p():
    rows = pd.DataFrame(compare_workers(_workers()))
    m = rows[rows["design"] == "multilevel"].iloc[0]
    assert np.isnan(m["p_value"]) and np.isnan(m["ci_low"]) and np.isfinite(m["difference"])
    assert "not estimable as a test" in m["note"]


def test_a_multilevel_row_counts_the_respondents_with_no_unit():
    """att7 A: respondents with no unit were left out of the multilevel row, so its sizes and
    difference, less the cross-section's, gave their count and answers back. Each is a unit of
    their own, as in the clustered rows: the two rows' sizes agree."""
    from rsw_eval.io import load_worker_survey

    w = load_worker_survey("data/sample/worker_survey.csv")
    w.loc[w.index[-3:], "unit"] = None
    rows = pd.DataFrame(compare_workers(w))
    for outcome in ("ghq_score", "job_satisfaction"):
        here = rows[(rows["outcome"] == outcome) & (rows["comparison"] == "all conventional")]
        by = here.set_index("design")
        assert by.loc["multilevel", "n_comparison"] == by.loc["cross_section", "n_comparison"]
        assert by.loc["multilevel", "n_treatment"] == by.loc["cross_section", "n_treatment"]


def test_consistency_row_is_a_cluster_robust_brown_forsythe_test():
    w = _workers().assign(
        practice_quality=[3.0, 3.2, 3.4, 2.9, 3.1, 3.3, 2.0, 4.0, 2.5, 3.9, 1.8, 4.2, 2.2, 3.6]
    )
    rows = pd.DataFrame(compare_workers(w))
    row = rows.query("design == 'consistency'").iloc[0]
    z = (w["practice_quality"] - w.groupby("model")["practice_quality"].transform("median")).abs()
    team = w["authority"] + "/" + w["unit"]
    cr2 = stats.cr2_diff(w.assign(z=z, team=team), "z", "model", "team")
    assert row["p_value"] == pytest.approx(cr2.p_value, abs=1e-12)
    assert np.isnan(row["ci_low"]) and "Brown-Forsythe" in row["test"]


def _generated_survey(seed: int) -> pd.DataFrame:
    """12 authorities (4 unit-model), 5 units each, with what real files hold: respondents
    without a unit, missing answers, a '/' in a name, an authority with both models."""
    rng = np.random.default_rng(seed)
    n = 900
    auth = rng.integers(0, 12, n)
    frame = pd.DataFrame(
        {
            "respondent_id": [f"W{i}" for i in range(n)],
            "authority": np.where(auth == 1, "LA/1", np.char.add("LA ", auth.astype(str))),
            "unit": np.char.add("U", rng.integers(0, 5, n).astype(str)).astype(object),
            "model": np.where(auth < 4, "unit", "conventional"),
            "ghq_score": np.round(rng.normal(12, 4, n) + 2 * (auth < 4) + rng.normal(0, 2, 12)[auth], 1),
            "job_satisfaction": rng.integers(1, 6, n),
            "practice_quality": np.round(rng.normal(3.2, 0.6, n), 2),
            "no_time_for_reflection": rng.random(n) < 0.3 + 0.2 * (auth < 4),
        }
    )
    frame.loc[rng.random(n) < 0.03, "unit"] = None
    frame.loc[rng.random(n) < 0.05, "ghq_score"] = np.nan
    frame.loc[(auth == 2) & (rng.random(n) < 0.5), "model"] = "conventional"
    return frame


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_prepared_survey_gives_exactly_the_per_comparison_cr2(seed):
    """compare_workers prepares the survey once (issue 22 item 2); every comparison's test equals,
    to the last digit, stats.cr2_diff on that comparison's rows, clustered as primary_test says."""
    w = _generated_survey(seed)
    rows = pd.DataFrame(compare_workers(w))
    primary = rows[(rows["design"] == "cross_section") & rows["primary"]]
    assert len(primary) == 4 * (1 + 9)  # four outcomes; all conventional, then 9 authorities
    units = (w["authority"] + "/" + w["unit"]).where(w["unit"].notna())
    conventional = w["model"] == "conventional"
    for _, row in primary.iterrows():
        mask = (
            conventional
            if row["comparison"] == "all conventional"
            else conventional & (w["authority"] == row["comparison"])
        )
        sub = w[(w["model"] == "unit") | mask]
        by_authority = min(sub.groupby(sub["model"] == "unit")["authority"].nunique()) >= 2
        sub = sub.assign(
            _cluster=(sub["authority"] if by_authority else units.loc[sub.index]).astype(object),
            _y=sub[row["outcome"]].astype("Float64"),
        )
        cr2 = stats.cr2_diff(sub, "_y", "model", "_cluster")
        assert (row["p_value"], row["df"], row["statistic"]) == (cr2.p_value, cr2.df, cr2.statistic)
        assert (row["difference_ci_low"], row["difference_ci_high"]) == (cr2.ci_low, cr2.ci_high)
