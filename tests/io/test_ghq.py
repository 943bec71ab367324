"""GHQ-12 scoring against hand-computed cases (Goldberg & Williams 1988 scoring rules)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from rsw_eval import DataError, load_worker_survey, score_ghq12
from rsw_eval.io import GHQ_ITEMS, POSITIVE_ITEMS


def _items(*rows):
    return pd.DataFrame([dict(zip(GHQ_ITEMS, r, strict=True)) for r in rows]).astype("Int64")


@pytest.mark.parametrize(
    ("answers", "likert", "caseness", "case"),
    [
        ([0] * 12, 0, 0, False),  # healthiest answer throughout
        ([3] * 12, 36, 12, True),  # 12 x 3; every answer scores 1 under 0-0-1-1
        ([1] * 12, 12, 0, False),  # "same as usual" everywhere: Likert 12, GHQ 0
        ([2, 2, 2, 1, 1, 1, 0, 0, 0, 0, 0, 0], 9, 3, False),  # 3 x 2 + 3 x 1; three answers >= 2
        ([2, 2, 3, 3, 0, 0, 0, 0, 0, 0, 0, 0], 10, 4, True),  # caseness exactly 4 -> case
    ],
    ids=["all-0", "all-3", "all-1", "three-high", "threshold-4"],
)
def test_hand_computed_scores(answers, likert, caseness, case):
    out = score_ghq12(_items(answers))
    assert out.loc[0, "ghq_score"] == pytest.approx(likert, abs=1e-12)
    assert out.loc[0, "ghq_caseness"] == pytest.approx(caseness, abs=1e-12)
    assert bool(out.loc[0, "ghq_case"]) is case
    assert out.loc[0, "ghq_items_answered"] == 12


def test_threshold_is_configurable():
    items = _items([2, 2, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0])  # caseness 3
    assert not score_ghq12(items)["ghq_case"].iloc[0]
    assert score_ghq12(items, threshold=3)["ghq_case"].iloc[0]


def test_two_missing_items_are_prorated():
    # 10 answered: Likert sum 10 x 1 + ... = [2]*4 + [1]*6 -> 14; prorated 14 * 12/10 = 16.8
    # caseness: four answers >= 2 -> 4 * 12/10 = 4.8
    items = _items([2, 2, 2, 2, 1, 1, 1, 1, 1, 1, None, None])
    out = score_ghq12(items)
    assert out.loc[0, "ghq_score"] == pytest.approx(16.8, abs=1e-12)
    assert out.loc[0, "ghq_caseness"] == pytest.approx(4.8, abs=1e-12)
    assert out.loc[0, "ghq_items_answered"] == 10


def test_three_missing_items_give_missing_scores():
    out = score_ghq12(_items([1] * 9 + [None] * 3))
    assert np.isnan(out.loc[0, "ghq_score"]) and np.isnan(out.loc[0, "ghq_caseness"])
    assert out["ghq_case"].isna().all()


def test_max_missing_is_configurable():
    out = score_ghq12(_items([1] * 9 + [None] * 3), max_missing=3)
    assert out.loc[0, "ghq_score"] == pytest.approx(12.0, abs=1e-12)  # 9 * 12/9


def _survey(items_rows):
    frame = _items(*items_rows)
    frame.insert(0, "model", "unit")
    frame.insert(0, "authority", "A")
    frame.insert(0, "respondent_id", [f"w{i}" for i in range(len(frame))])
    return frame


def test_loader_scores_items():
    df = load_worker_survey(_survey([[3] * 12, [0] * 12]))
    assert df["ghq_score"].tolist() == [36.0, 0.0]
    assert df["ghq_case"].tolist() == [True, False]


def _consistent_rows(n=40, seed=0):
    rng = np.random.default_rng(seed)
    level = rng.integers(0, 4, n)
    return [np.clip(level[i] + rng.integers(-1, 2, 12), 0, 3).tolist() for i in range(n)]


def test_reverse_coded_positive_items_are_detected():
    rows = [
        [3 - v if GHQ_ITEMS[j] in POSITIVE_ITEMS else v for j, v in enumerate(r)] for r in _consistent_rows()
    ]
    with pytest.raises(DataError, match=r"positively worded GHQ items .* correlate negatively"):
        load_worker_survey(_survey(rows))


def test_agree_coding_is_reversed_on_loading():
    good = _consistent_rows()
    agree = [[3 - v if GHQ_ITEMS[j] in POSITIVE_ITEMS else v for j, v in enumerate(r)] for r in good]
    expected = load_worker_survey(_survey(good))
    loaded = load_worker_survey(_survey(agree), ghq_coding="agree")
    pd.testing.assert_series_equal(loaded["ghq_score"], expected["ghq_score"])


def test_items_out_of_range():
    rows = [[0] * 12, [0] * 11 + [4]]
    with pytest.raises(
        DataError,
        match=r"<DataFrame>, row 1, column 'ghq12': value out of range; "
        r"expected an integer 0-3, found '4'",
    ):
        load_worker_survey(_survey(rows))


def test_incomplete_item_set():
    frame = _survey([[0] * 12]).drop(columns=["ghq5"])
    with pytest.raises(DataError, match=r"column 'ghq5': incomplete set of GHQ-12 item columns"):
        load_worker_survey(frame)


# -- issue 14: refuse only on clear evidence -----------------------------------------------------
def _noise(n: int, seed: int) -> list[list[int]]:
    """Independent answers (no common factor): the item totals correlate only by chance."""
    rng = np.random.default_rng(seed)
    return rng.integers(0, 4, size=(n, 12)).tolist()


def test_noise_with_a_weak_negative_correlation_loads_with_a_warning():
    # the audit's case: 127 respondents whose item totals correlate at r = -0.10 by chance
    from rsw_eval import GhqCodingWarning
    from rsw_eval.io._ghq import coding_looks_reversed

    for seed in range(200):
        rows = _noise(127, seed)
        evidence = coding_looks_reversed(pd.DataFrame(rows, columns=GHQ_ITEMS))
        if evidence and -0.15 < evidence[0] < -0.05:
            break
    r, p, clear = evidence
    assert not clear and p > 0.01  # r about -0.10 with n = 127: one-sided p about 0.13
    with pytest.warns(GhqCodingWarning, match=r"not clear evidence of reversed coding"):
        loaded = load_worker_survey(_survey(rows))
    assert len(loaded) == 127


def test_clear_reversal_is_refused_and_can_be_overridden():
    rows = [
        [3 - v if GHQ_ITEMS[j] in POSITIVE_ITEMS else v for j, v in enumerate(r)] for r in _consistent_rows()
    ]
    with pytest.raises(DataError, match=r"r = -0\.\d+, one-sided p = .*check_ghq_coding=False"):
        load_worker_survey(_survey(rows))
    assert len(load_worker_survey(_survey(rows), check_ghq_coding=False)) == len(rows)
