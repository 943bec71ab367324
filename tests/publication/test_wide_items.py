"""Answer counts of a wide item (a percentage, more than 11 values) stay protected (q20att-2 F3):
a group whose size, mean and SD force an answer count from 1 to t loses its mean and SD, and the
pooled group less the authorities shown does not give it (or the hidden authorities together)
back. Checked by the independent linear-programming attack of ``_wide_attack.py`` on what
``compare`` and the Forrester report publish."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from rsw_eval.publication._pins import forced
from tests.publication._data import UNIT, Survey, run_all, spec
from tests.publication._wide_attack import OUTCOME, wide_recovered

NO = {"no_time_for_reflection": 0, "experienced_violence": 0}


def _run(tmp_path, wide: dict[str, list[int]]):
    groups = {
        g: ("unit" if g == UNIT else "conventional", len(v), {o: len(v) // 2 for o in NO})
        for g, v in wide.items()
    }
    survey = Survey(groups, wide=wide)
    return run_all(tmp_path, spec(tmp_path, survey=survey, panel=None), reports=("forrester",))


def _spread(n: int, seed: int) -> list[int]:
    return np.random.default_rng(seed).integers(10, 91, n).tolist()


CASES = {
    "ends (5 x 0, 1 x 100)": {"D LA": [0] * 5 + [100]},
    "crowded (5 x 41, 1 x 42)": {"D LA": [41] * 5 + [42]},
    "one above the rest, whole people (14 x 0, 1 x 40)": {"D LA": [0] * 14 + [40]},
    "hidden together (3 x 0; 4 x 0, 1 x 100)": {"D LA": [0, 0, 0], "F LA": [0, 0, 0, 0, 100]},
}


@pytest.mark.parametrize("case", list(CASES))
def test_a_wide_item_s_mean_and_sd_do_not_give_answers_back(tmp_path, case):
    wide = {UNIT: _spread(30, 1), "A LA": _spread(30, 2), "B LA": _spread(25, 3), **CASES[case]}
    out = _run(tmp_path, wide)
    assert wide_recovered(out.csv, wide, UNIT, 5) == []
    rows = out.csv[(out.csv["outcome"] == OUTCOME) & (out.csv["design"] == "cross_section")]
    d = rows[rows["comparison"] == "D LA"]
    assert d["value_comparison"].isna().all() and d["p_value"].isna().all()
    assert rows["value_treatment"].notna().all()  # the unit-model group's own figures stay


HALVES = {
    "ends, one half elsewhere (5 x 0, 1 x 100; 58.5 in A)": {"D LA": [0] * 5 + [100]},
    "crowded halves (5 x 41.5, 1 x 42)": {"D LA": [41.5] * 5 + [42]},
    "one above the rest, in halves (14 x 0.5, 1 x 40.5)": {"D LA": [0.5] * 14 + [40.5]},
}


@pytest.mark.parametrize("case", list(HALVES))
def test_an_item_with_fractional_answers_is_audited_too(tmp_path, case):
    """att5 F2: one answer of 58.5 anywhere in the survey switched off the audit of the whole
    item, and 5 x 0 and 1 x 100 were published again. Answers on a grid of halves are audited in
    half steps, and the attack in half steps recovers nothing."""
    a = _spread(30, 2)
    a[0] = 58.5
    wide = {UNIT: _spread(30, 1), "A LA": a, "B LA": _spread(25, 3), **HALVES[case]}
    out = _run(tmp_path, wide)
    assert wide_recovered(out.csv, wide, UNIT, 5, step=0.5) == []
    rows = out.csv[(out.csv["outcome"] == OUTCOME) & (out.csv["design"] == "cross_section")]
    assert rows.loc[rows["comparison"] == "D LA", "value_comparison"].isna().all()


@settings(max_examples=200, deadline=None, derandomize=True, database=None)
@given(st.lists(st.integers(0, 60), min_size=3, max_size=25), st.integers(0, 24))
def test_a_swap_is_an_exact_set_of_answers_without_the_count(answers, pick):
    """Every set of counts :func:`_swapped_out` gives has the group's size, sum and sum of
    squares exactly, and none at the answer it empties: a proof that its count can be 0."""
    from rsw_eval.publication._pins import _swapped_out

    d = np.arange(61.0)
    counts = np.bincount(answers, minlength=61).astype(float)
    k = answers[pick % len(answers)]
    moved = _swapped_out(d, counts, k)
    if moved is not None:
        a = np.vstack([np.ones(61), d, d**2])
        assert moved[k] == 0 and (moved >= 0).all() and np.array_equal(a @ moved, a @ counts)


def test_an_item_on_no_grid_is_audited_by_the_linear_programme(tmp_path):
    """att5 F2: a prorated score (11ths and 5ths together: 5,500 steps on 0-100) is on no grid the
    integer test can use; 5 x 0 and 1 x 100 in D are still pinned by its mean and SD (the linear
    programme: the answers pile at the ends of the scale) and withheld."""
    a = _spread(30, 2)
    a[:2] = [700 / 11, 12.4]
    wide = {UNIT: _spread(30, 1), "A LA": a, "B LA": _spread(25, 3), "D LA": [0] * 5 + [100]}
    out = _run(tmp_path, wide)
    rows = out.csv[(out.csv["outcome"] == OUTCOME) & (out.csv["design"] == "cross_section")]
    assert rows.loc[rows["comparison"] == "D LA", "value_comparison"].isna().all()
    assert rows["value_treatment"].notna().all()  # the unit-model group's own figures stay


@pytest.mark.parametrize("odd", [33.33, 12.345])
def test_one_answer_off_the_grid_elsewhere_leaves_a_group_s_whole_numbers_audited(tmp_path, odd):
    """att8 2: one answer of 33.33 (or 12.345) in another authority put the item
    on no grid the integer test could use; D's 14 x 0 and 1 x 40 (the sum squared is the sum of
    squares) came back. D's own answers are whole: tested on whole numbers, it is withheld."""
    a = _spread(30, 2)
    a[0] = odd
    wide = {UNIT: _spread(30, 1), "A LA": a, "B LA": _spread(25, 3), "D LA": [0] * 14 + [40]}
    out = _run(tmp_path, wide)
    rows = out.csv[(out.csv["outcome"] == OUTCOME) & (out.csv["design"] == "cross_section")]
    assert rows.loc[rows["comparison"] == "D LA", "value_comparison"].isna().all()
    if odd == 33.33:  # the attack, in hundredths: nothing of D's. A's own 33.33 comes back (the
        # digits of A's exact mean: one answer off the whole numbers), a known limit of the audit
        # of groups whose own answers lie on no grid of 1,000 steps (_pins._on_own_grid)
        recovered = wide_recovered(out.csv, wide, UNIT, 5, step=0.01)
        assert [r for r in recovered if not r.startswith("A LA answered 33.33")] == [], recovered


def test_the_attack_finds_what_an_unprotected_table_shows(tmp_path):
    """The attack is not blind: on the unprotected results it recovers the planted count."""
    from rsw_eval.evaluation.engine import compare
    from rsw_eval.spec import load_spec

    wide = {UNIT: _spread(30, 1), "A LA": _spread(30, 2), "D LA": [0] * 5 + [100]}
    groups = {g: ("unit" if g == UNIT else "conventional", len(v), NO) for g, v in wide.items()}
    spec(tmp_path, survey=Survey(groups, wide=wide), panel=None)
    (tmp_path / "spec.toml").write_text(
        f'title = "t"\nunit_model = ["{UNIT}"]\ncomparators = "all"\nsynthetic = true\n'
        '[data]\nworker_survey = "workers.csv"\n'
    )
    raw = compare(load_spec(tmp_path / "spec.toml")).table
    assert any(r.startswith("D LA answered 100") for r in wide_recovered(raw, wide, UNIT, 5))


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(
    st.lists(st.integers(0, 14), min_size=2, max_size=8, unique=True),
    st.lists(st.integers(0, 6), min_size=8, max_size=8),
)
def test_forced_counts_are_those_a_linear_programme_cannot_empty(values, draws):
    """:func:`forced` against scipy's HiGHS: a count is forced exactly when the least count the
    group's size, sum and sum of squares allow is above 0."""
    scale = np.array(sorted(values), dtype=float)
    counts = np.array(draws[: scale.size], dtype=float)
    if counts.sum() == 0:
        return
    a = np.vstack([np.ones(scale.size), scale, scale**2])
    f = forced(scale, counts)
    for k in np.flatnonzero(counts):
        cost = np.eye(scale.size)[k]
        least = linprog(cost, A_eq=a, b_eq=a @ counts, bounds=(0, None), method="highs").fun
        assert f[k] == (least > 1e-7), (scale, counts, k, least)


def test_a_wave_s_answers_are_not_given_back_by_the_whole_group(tmp_path):
    """The unit-model group's later wave (20 workers: 19 answered 50, 1 answered 51) is pinned by
    its size, mean and SD on the before/after row, and by the whole group less the first wave."""
    later = [50] * 19 + [51]
    unit = [x for pair in zip(_spread(20, 4), later, strict=True) for x in pair]  # odd rows: wave 2010
    wide = {UNIT: unit, "A LA": _spread(30, 2), "B LA": _spread(25, 3)}
    groups = {g: ("unit" if g == UNIT else "conventional", len(v), NO) for g, v in wide.items()}
    ratings = {
        g: [3, 3, 4, 4] * (len(v) // 4) + [3] * (len(v) % 4) for g, v in wide.items()
    }  # no small count
    survey = Survey(groups, waves=True, answers=ratings, wide=wide)
    out = run_all(tmp_path, spec(tmp_path, survey=survey, panel=None), reports=("forrester",))
    rows = out.csv[out.csv["design"] == "before_after"].set_index("outcome")
    assert rows.loc["job_satisfaction", ["n_treatment", "value_treatment"]].notna().all()
    assert np.isnan(rows.loc[OUTCOME, "value_treatment"])
    # The row prints no SD, but its interval and the whole group's sum of squares give the
    # waves' (two equations): the whole less the first wave must not be known.
    whole = out.csv[(out.csv["outcome"] == OUTCOME) & (out.csv["design"] == "cross_section")]
    assert np.isnan(rows.loc[OUTCOME, "value_comparison"]) or whole["value_treatment"].isna().all()


def test_a_percentage_in_tens_is_audited_answer_by_answer(tmp_path):
    """Answers 0, 10, ..., 100 lie on a grid of 11 points: a short item, its answer counts cells
    of the ledger (in steps of 10, so that its integer programmes keep small coefficients); D's
    16 x 0 and 3 x 10 give "3 answered 10" by its mean and SD alone, which is not published."""
    tens = {UNIT: [10 * (k % 11) for k in range(30)], "A LA": [10 * (k % 11) for k in range(3, 33)]}
    wide = {**tens, "D LA": [0] * 16 + [10] * 3}
    out = _run(tmp_path, wide)
    rows = out.csv[(out.csv["outcome"] == OUTCOME) & (out.csv["design"] == "cross_section")]
    assert rows.loc[rows["comparison"] == "D LA", "value_comparison"].isna().all()
    assert wide_recovered(out.csv, wide, UNIT, 5) == []


@settings(max_examples=150, deadline=None, derandomize=True, database=None)
@given(
    st.lists(st.integers(0, 30), min_size=2, max_size=7, unique=True),
    st.lists(st.integers(0, 3), min_size=7, max_size=7),
)
def test_pinned_agrees_with_every_whole_set_of_answers(values, draws):
    """:func:`pinned` against enumeration: a group is pinned exactly when some answer count from
    1 to t is above 0 in every multiset of answers (whole people) with its size, sum and sum of
    squares."""
    from itertools import combinations_with_replacement

    from rsw_eval.publication._pins import pinned

    scale = np.array(sorted(values), dtype=float)
    counts = np.array(draws[: scale.size], dtype=float)
    n = int(counts.sum())
    if n == 0:
        return
    sums = (scale @ counts, scale**2 @ counts)
    alike = [
        np.bincount(pick, minlength=scale.size)
        for pick in combinations_with_replacement(range(scale.size), n)
        if (scale[list(pick)].sum(), (scale[list(pick)] ** 2).sum()) == sums
    ]
    small = (counts >= 1) & (counts <= 2)
    always = np.min(alike, axis=0) > 0
    assert pinned(scale, counts, 2) == bool((always & small).any())


def test_a_solution_only_within_the_solver_s_tolerance_settles_nothing():
    """att6 (from reading the code): a solver's point that empties the count but, rounded, does
    not give the group's three sums exactly is no proof that the count can be 0."""
    from types import SimpleNamespace
    from unittest import mock

    from rsw_eval.publication import _pins

    scale = np.arange(101.0)
    counts = np.zeros(101)
    counts[[0, 40, 60]] = 13, 1, 1
    near = np.zeros(101)
    near[[0, 50]] = 13, 2.0000001  # empties 40 and 60, but 2 x 50 has another sum of squares
    with mock.patch("scipy.optimize.milp", return_value=SimpleNamespace(x=near)):
        assert _pins._emptied(scale, counts, {40, 60}) is None
