"""Disclosure control: primary rules and secondary suppression checked by solving."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

from rsw_eval import RswEvalError
from rsw_eval.disclosure import protect, suppress_counts


def _row(**values):
    base = {
        "outcome": "x",
        "design": "cross_section",
        "family": "worker",
        "measure": "mean",
        "comparison": "B",
        "n_treatment": 40,
        "n_comparison": 40,
        "value_treatment": 3.0,
        "value_comparison": 2.0,
        "difference": 1.0,
        "difference_ci_low": 0.5,
        "difference_ci_high": 1.5,
        "effect_size": 0.4,
        "ci_low": 0.1,
        "ci_high": 0.7,
        "statistic": 2.0,
        "suppressed": False,
    }
    base.update(values)
    return base


def test_small_group_suppresses_the_whole_row():
    out, log = protect(pd.DataFrame([_row(n_comparison=3)]))
    assert out.loc[0, ["n_comparison", "value_comparison", "effect_size", "ci_low"]].isna().all()
    assert out.loc[0, "n_treatment"] == 40 and bool(out.loc[0, "suppressed"])
    assert "rule 1" in log[0].reason


def test_small_numerator_of_a_proportion():
    # 0.05 of 40 = 2 people: the proportion and everything derived from it goes
    out, _ = protect(pd.DataFrame([_row(measure="proportion", value_treatment=0.05, value_comparison=0.5)]))
    assert out.loc[0, ["value_treatment", "difference", "effect_size"]].isna().all()
    # 0.975 of 40 = 39: the complement (1 person) is small too
    out, _ = protect(pd.DataFrame([_row(measure="proportion", value_treatment=0.975, value_comparison=0.5)]))
    assert bool(out.loc[0, "suppressed"])


def test_zero_is_shown():
    out, log = protect(pd.DataFrame([_row(measure="proportion", value_treatment=0.0, value_comparison=0.5)]))
    assert out.loc[0, "value_treatment"] == 0.0 and not log


def test_small_admin_counts():
    row = _row(
        family="admin",
        design="before_after",
        outcome="residential_placements",
        measure="percent_change",
        n_treatment=np.nan,
        n_comparison=np.nan,
        value_treatment=4.0,
        value_comparison=9.0,
    )
    out, log = protect(pd.DataFrame([row]))
    assert out.loc[0, ["value_treatment", "value_comparison", "effect_size"]].isna().all()
    assert "rule 3" in log[0].reason


def test_authorities_are_not_people():
    row = _row(family="admin", design="did", outcome="sickness_days_per_fte", n_treatment=1)
    out, log = protect(pd.DataFrame([row]))
    assert not log and out.loc[0, "effect_size"] == 0.4


def test_identifiers_refused():
    with pytest.raises(RswEvalError, match=r"identifier columns must never reach a report: \['case_id'\]"):
        protect(pd.DataFrame([{**_row(), "case_id": "F1"}]))


@pytest.mark.parametrize("seed", range(20))
def test_secondary_suppression_leaves_nothing_to_solve(seed):
    rng = np.random.default_rng(seed)
    counts = pd.DataFrame(rng.integers(0, 30, size=(5, 4)))
    counts.iloc[rng.integers(0, 5), rng.integers(0, 4)] = int(rng.integers(1, 6))
    values, mask = suppress_counts(counts, 5)
    m = mask.to_numpy()
    small = (counts.to_numpy() >= 1) & (counts.to_numpy() <= 5)
    assert (m | ~small).all()  # every small count is suppressed
    # solving: a row or column with a single hidden cell gives it away by subtraction; a line with
    # a hidden cell and no other non-zero cell to hide is the only allowed exception
    for axis, k in itertools.chain(((1, r) for r in range(m.shape[0])), ((0, c) for c in range(m.shape[1]))):
        line = m[k] if axis == 1 else m[:, k]
        vals = counts.to_numpy()[k] if axis == 1 else counts.to_numpy()[:, k]
        if line.sum() == 1:
            assert not ((~line) & (vals > 0)).any()
    assert values.isna().to_numpy().sum() == m.sum()
