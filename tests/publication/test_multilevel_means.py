"""A multilevel row that pools an authority whose mean is hidden (its size shown) publishes no
estimate (att8 1): with the unit ICC 0 the model's difference is the unit-model mean less a
weighted mean of the authorities' means (weights from the printed ICC and the effect size's
variance), and with the pooled row's sum that is two equations in two hidden means (5 answered 1
and 1 answered 2 came back exactly)."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from rsw_eval.designs._answers import answer_counts
from rsw_eval.designs.cross_section import compare_workers
from rsw_eval.disclosure import rule_set
from rsw_eval.io import load_worker_survey
from rsw_eval.publication import publish


def _published_with(like: str, name: str) -> pd.DataFrame:
    """The published rows of the sample survey plus ``name``: 6 workers of ``like``'s model in
    two units, who answered confidence_assessment 1, 1, 1, 1, 1 and 2."""
    raw = pd.read_csv("data/sample/worker_survey.csv", dtype=str)
    new = raw[raw["authority"] == like].head(6).copy()
    new["authority"], new["unit"] = name, ["X1"] * 3 + ["X2"] * 3
    new["respondent_id"] = [f"W9{i:03d}" for i in range(6)]
    new["confidence_assessment"] = ["1", "1", "1", "1", "1", "2"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        frame = load_worker_survey(pd.concat([raw, new], ignore_index=True))
        rows = pd.DataFrame(compare_workers(frame)).assign(family="worker")
        return publish(rows, rule_set(), answers=answer_counts(frame, "worker")).table


def test_a_multilevel_row_pooling_a_hidden_mean_loses_its_estimate():
    table = _published_with("Comparator LA 2", "Comparator LA 3")
    mine = table[table["outcome"] == "confidence_assessment"]
    cs = mine[mine["design"] == "cross_section"].set_index("comparison")
    assert np.isnan(cs.loc["Comparator LA 3", "value_comparison"])  # the planted answers: hidden
    ml = mine[mine["design"] == "multilevel"].iloc[0]
    assert np.isnan(ml["difference"]) and np.isnan(ml["effect_size"]) and ml["suppressed"]
    assert "ICC" not in str(ml["note"]) and "estimate shown" not in str(ml["note"])


def test_clustered_and_multilevel_rows_go_where_a_second_adopter_is_small():
    """att9 H1: a second unit-model authority of 6 workers (5 answered 1, 1 answered 2) is never
    shown alone, but the CR2 row clustered by authority (its t) and the multilevel row (its
    difference and ICCs) weigh each authority's answers: either gave back its size and sum. Every
    clustered or multilevel row of the item loses its statistics; the pooled group's own figures
    stay."""
    table = _published_with("Unit-model LA", "Unit-model LA 2")
    mine = table[(table["outcome"] == "confidence_assessment") & (table["comparison"] == "all conventional")]
    modelled = mine[mine["design"].isin(["multilevel", "cross_section"])]  # CR2 by authority, and the model
    assert len(modelled) == 2 and modelled["difference"].isna().all() and modelled["p_value"].isna().all()
    assert (mine["n_treatment"] == 106).all()
