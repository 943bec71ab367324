"""Answer counts behind a group's mean and SD (findings-q18att F1) stay protected in what
``compare`` and the Forrester report publish: the independent attack of ``_answer_attack.py``
recovers none, directly (sv2) or by subtraction from the pooled group (sv4)."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.publication._answer_attack import answer_ranges, answer_truth, answers_recovered, small_together
from tests.publication._data import UNIT, Survey, run_all, spec

NO = {"no_time_for_reflection": 0, "experienced_violence": 0}


def _run(tmp_path, answers: dict[str, list[int]]):
    groups = {
        g: ("unit" if g == UNIT else "conventional", len(v), {o: len(v) // 2 for o in NO})
        for g, v in answers.items()
    }
    out = run_all(
        tmp_path, spec(tmp_path, survey=Survey(groups, answers=answers), panel=None), reports=("forrester",)
    )
    return out


def _spread(n: int) -> list[int]:
    return [1 + k % 5 for k in range(n)]


def test_a_group_s_mean_and_sd_do_not_give_its_answers_back(tmp_path):
    answers = {UNIT: _spread(30), "A LA": _spread(30), "D LA": [1] * 16 + [2] * 3}
    out = _run(tmp_path, answers)
    truth = answer_truth(answers, 5)
    assert "a:D LA:2" in truth
    assert answers_recovered(answer_ranges(out.csv), truth, 5) == []
    d = out.csv[(out.csv["outcome"] == "job_satisfaction") & (out.csv["comparison"] == "D LA")]
    assert d["value_comparison"].isna().all() and d["sd_comparison"].isna().all()


def test_hidden_authorities_answers_are_not_given_back_by_the_pooled_group(tmp_path):
    answers = {
        UNIT: _spread(30),
        "A LA": _spread(30),
        "B LA": _spread(25),
        "D LA": [1, 1, 1, 2],
        "F LA": [1, 1, 2, 2],
    }
    out = _run(tmp_path, answers)
    truth = {**answer_truth(answers, 5), **answer_truth(small_together(answers, UNIT, 5), 5)}
    assert "a:D LA+F LA:2" in truth
    assert answers_recovered(answer_ranges(out.csv), truth, 5) == []
    shown = out.csv[(out.csv["outcome"] == "job_satisfaction") & (out.csv["design"] == "cross_section")]
    assert pd.notna(shown["value_treatment"]).all()  # the unit-model group's own figures stay


@pytest.mark.parametrize("case", ["unit-model worker coded conventional", "lone authority, no yes/no items"])
def test_a_conventional_group_of_one_is_not_given_back_by_the_pooled_group(tmp_path, case):
    """findings-q20att F1: one worker of the unit-model authority coded ``conventional`` is a
    conventional group with the unit-model group's label; and a conventional authority of one
    worker has no row of its own (no comparison of one answer), so with no yes/no item (whose rows
    list it) the ledger did not know it: the pooled group less the authorities shown gave that
    worker's size and answers back."""
    import shutil

    import rsw_eval
    from rsw_eval.spec import default_sample_spec

    folder = tmp_path / "sample"
    shutil.copytree("data/sample", folder)
    workers = pd.read_csv(folder / "worker_survey.csv")
    if case.startswith("unit-model"):
        workers.loc[workers["respondent_id"] == "W1003", "model"] = "conventional"
    else:
        yes_no = ["no_time_for_reflection", "experienced_violence", *(f"ghq{i}" for i in range(1, 13))]
        workers = workers.drop(columns=yes_no)  # (GHQ items give ghq_case, a yes/no outcome)
        workers.loc[workers.index[workers["authority"] == "Comparator LA 2"][0], "authority"] = "Lone LA"
    workers.to_csv(folder / "worker_survey.csv", index=False)
    table = rsw_eval.compare(default_sample_spec(folder), only=["worker"]).protected().table
    rows = table[(table["design"] == "cross_section") & (table["family"] == "worker")]
    for outcome, sub in rows.groupby("outcome"):
        pooled = sub.loc[sub["comparison"] == "all conventional", "n_comparison"]
        parts = sub.loc[sub["comparison"] != "all conventional", "n_comparison"]
        if len(pooled) and pooled.notna().all():  # the pooled group less the groups shown
            assert not 1 <= float(pooled.iloc[0]) - parts.sum() <= 5, outcome


def test_the_hidden_authorities_answers_together_are_protected_with_a_larger_one_among_them(tmp_path):
    """q20att-2 F2: B (19 workers) is hidden to protect its 3 answers of 2; C and D (3 and 2 workers)
    are small. The pooled group less A gave the three together: "1 to 3 answered 5"."""
    answers = {
        UNIT: _spread(30),
        "A LA": _spread(40),
        "B LA": [1] * 16 + [2] * 3,
        "C LA": [5, 5, 1],
        "D LA": [2, 5],
    }
    out = _run(tmp_path, answers)
    rows = out.csv[(out.csv["outcome"] == "job_satisfaction") & (out.csv["design"] == "cross_section")]
    hidden = sorted(set(rows.loc[rows["value_comparison"].isna(), "comparison"]) - {"all conventional"})
    together = {"+".join(hidden): [x for g in hidden for x in answers[g]]}
    truth = {**answer_truth(answers, 5), **answer_truth(together, 5)}
    assert answers_recovered(answer_ranges(out.csv), truth, 5) == []


def test_a_wave_s_answer_counts_cost_its_mean_not_its_size(tmp_path):
    """Two waves of 20 unit-model workers with answer counts of 1 to 5 on a 1-5 rating: hiding the
    two waves' means and SDs (the whole group's are theirs summed) protects the counts; the
    auditor's pairs are cells that share a relation, so without the waves' sums related it hid
    both waves' sizes, and every before/after row with them (q20att-2 F4b)."""
    groups = {UNIT: ("unit", 40, NO), "A LA": ("conventional", 30, NO), "B LA": ("conventional", 25, NO)}
    out = run_all(tmp_path, spec(tmp_path, survey=Survey(groups, waves=True), panel=None), reports=())
    rows = out.csv[out.csv["design"] == "before_after"].set_index("outcome")
    assert rows[["n_treatment", "n_comparison"]].notna().all().all()
    assert rows.loc["no_time_for_reflection", ["value_treatment", "value_comparison"]].notna().all()
    assert out.csv[out.csv["design"] == "cross_section"]["n_treatment"].notna().all()


def test_rank_rows_of_the_others_do_not_give_a_hidden_authority_s_answers_back(tmp_path):
    """att11 F1: D's 2 workers who answered 1 hide D's own rank row, but the rank rows of the
    pooled group and of A (relative effect, statistic and df) singled out their whole answer
    counts, and the pooled group's less A's are D's. Every rank row of the item goes."""
    from rsw_eval.evaluation.engine import compare
    from rsw_eval.spec import load_spec
    from tests.publication._rank_attack import rank_recovered

    def answered(*counts: int) -> list[int]:
        return [a for a, c in enumerate(counts, start=1) for _ in range(c)]

    answers = {UNIT: answered(8, 14, 20, 22, 16), "A LA": answered(10, 18, 17, 15, 10)}
    answers["D LA"] = answered(2, 15, 18, 15, 10)  # att11's counts
    out = _run(tmp_path, answers)
    assert rank_recovered(out.csv, "job_satisfaction", "D LA", 5) == []
    rank = out.csv[(out.csv["outcome"] == "job_satisfaction") & (out.csv["design"] == "cross_section_rank")]
    assert rank["statistic"].isna().all()
    raw = compare(load_spec(tmp_path / "spec.toml")).table  # the attack is not blind
    assert "D LA answered 1: at least 2" in rank_recovered(raw, "job_satisfaction", "D LA", 5)
