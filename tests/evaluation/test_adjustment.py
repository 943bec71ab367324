"""Step-down adjustment over a joint permutation distribution, against closed testing by brute force
(the second method: every intersection of hypotheses tested, DEVELOPERS.md), and the questions,
gatekeeping and comparisons of places of the engine's adjustment."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rsw_eval.evaluation._adjustment import adjust_questions, assign_questions, place_rows
from rsw_eval.inference import standardise, stepdown
from rsw_eval.spec._questions import Question
from rsw_eval.stats import adjust_pvalues


def _closed_testing(p, blocks):
    """Adjusted p by closed testing: for each hypothesis, the largest p of the intersections that
    contain it, each intersection tested by Bonferroni across components of maxT within blocks."""
    m = len(p)
    comp = {i: ("alone", i) for i in range(m)}
    rows_of = {}
    for b, (rows, _) in enumerate(blocks):
        for pos, r in enumerate(rows):
            comp[r] = ("block", b)
            rows_of[r] = (b, pos)
    live = [i for i in range(m) if np.isfinite(p[i])]
    out = np.full(m, np.nan)
    for h in live:
        worst = 0.0
        for size in range(1, len(live) + 1):
            for subset in itertools.combinations(live, size):
                if h not in subset:
                    continue
                comps = {comp[i] for i in subset}
                ps = []
                for c in comps:
                    members = [i for i in subset if comp[i] == c]
                    if c[0] == "alone":
                        ps.append(p[members[0]])
                    else:
                        z = blocks[c[1]][1][[rows_of[i][1] for i in members]]
                        observed = z[:, 0].max()
                        ps.append(np.mean(z.max(axis=0) >= observed - 1e-12 * abs(observed)))
                worst = max(worst, min(1.0, len(comps) * min(ps)))
        out[h] = worst
    return out


def _random_family(rng, m_block, m_alone, n_perm, rho):
    common = rng.normal(size=n_perm)
    raw = rho * common + np.sqrt(1 - rho**2) * rng.normal(size=(m_block, n_perm))
    raw[:, 0] += rng.uniform(0, 3, size=m_block)  # some signal in the observed assignment
    z = standardise(raw)
    own = np.mean(z >= z[:, [0]] - 1e-12, axis=1)
    p = np.r_[own, rng.uniform(0.0005, 0.3, size=m_alone)]
    return p, [(list(range(m_block)), z)]


@settings(max_examples=60, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    m_block=st.integers(1, 5),
    m_alone=st.integers(0, 2),
    n_perm=st.integers(5, 60),
    rho=st.floats(0.0, 0.95),
)
def test_stepdown_equals_closed_testing(seed, m_block, m_alone, n_perm, rho):
    p, blocks = _random_family(np.random.default_rng(seed), m_block, m_alone, n_perm, rho)
    assert stepdown(p, blocks) == pytest.approx(_closed_testing(p, blocks), abs=1e-12)


def test_without_blocks_the_stepdown_is_holm():
    p = np.array([0.01, 0.04, 0.03, 0.005, np.nan])
    assert stepdown(p) == pytest.approx(adjust_pvalues(p, method="holm"), nan_ok=True)


def test_a_single_test_keeps_its_own_p():
    z = standardise(np.array([[2.0, 0.5, -1.5, 2.5, 0.1]]))
    assert stepdown([0.4], [([0], z)]).tolist() == [0.4]


def test_correlated_tests_pay_less_than_bonferroni():
    # ten copies of one statistic: the step-down adjusted p is the single test's p, Holm's is 10x
    rng = np.random.default_rng(3)
    one = rng.normal(size=200)
    one[0] = 3.0
    z = standardise(np.tile(one, (10, 1)))
    p = np.full(10, np.mean(z[0] >= z[0, 0]))
    assert stepdown(p, [(list(range(10)), z)]) == pytest.approx(p)
    assert adjust_pvalues(p, method="holm")[0] == pytest.approx(min(1, 10 * p[0]))


def _table(rows):
    base = dict(
        family="admin",
        design="did",
        primary=True,
        p_value=0.05,
        comparison="10 comparators",
        outcome="x",
        effect_size_name="did_estimate",
    )
    return pd.DataFrame([{**base, **r} for r in rows])


def _placebo(observed, perms, labels):
    return {"labels": ["T", *labels], "stats": np.r_[observed, perms]}


def test_a_declared_primary_outcome_is_tested_first_and_gates_the_rest():
    rng = np.random.default_rng(0)
    labels = [f"L{i}" for i in range(99)]
    table = _table([{"outcome": "a", "p_value": 0.01}, {"outcome": "b", "p_value": 0.03}, {"outcome": "c"}])
    placebos = [_placebo(obs, rng.normal(size=99), labels) for obs in (3.0, 2.2, 1.0)]
    table["p_value"] = [np.mean(np.abs(np.r_[x["stats"]]) >= abs(x["stats"][0])) for x in placebos]
    questions = (Question("care", ("a", "b", "c"), "b"),)
    assign_questions(table, questions, pd.Series(False, index=table.index))
    out = adjust_questions(table, "stepdown", placebos, questions)
    p = out.set_index("outcome")
    assert p.loc["b", "p_adjusted"] == pytest.approx(p.loc["b", "p_value"])  # the full level
    assert (p.loc[["a", "c"], "p_adjusted"] >= p.loc["b", "p_adjusted"]).all()  # behind it
    assert p.loc["b", "adjustment"] == "primary outcome of question 'care', tested first (stepdown)"
    assert p.loc["a", "adjustment"].endswith("behind the primary outcome b")


def test_place_rows_need_two_authorities_on_each_side():
    table = pd.DataFrame(
        {
            "family": ["worker"] * 3,
            "design": ["cross_section", "cross_section", "did"],
            "comparison": ["all conventional", "Authority C", "all conventional"],
        }
    )
    two = pd.DataFrame({"authority": list("ABCD"), "model": ["unit", "unit", "conventional", "conventional"]})
    one = two.assign(authority=list("AACD"))
    assert place_rows(table, {"worker": two}).tolist() == [False, True, False]
    assert place_rows(table, {"worker": one}).tolist() == [True, True, False]


def test_an_adjusted_p_is_never_below_its_own_p_when_comparators_differ():
    # b has no value for L0, the one placebo that beats a's observed statistic: the block keeps
    # only the permutations both rows have, where a looks better than on its own
    labels = [f"L{i}" for i in range(21)]
    a = _placebo(3.0, np.r_[5.0, np.linspace(-1, 1, 20)], labels)
    b = {"labels": ["T", *labels[1:]], "stats": np.r_[4.0, np.linspace(-1, 1, 20)]}
    table = _table([{"outcome": "a", "p_value": 2 / 22}, {"outcome": "b", "p_value": 1 / 21}])
    questions = ()
    assign_questions(table, questions, pd.Series(False, index=table.index))
    out = adjust_questions(table, "stepdown", [a, b], questions)
    assert (out["p_adjusted"] >= out["p_value"] - 1e-12).all()
    assert out.set_index("outcome").loc["a", "p_adjusted"] == pytest.approx(2 / 22)


@pytest.mark.parametrize("method", ["stepdown", "holm", "bh"])
def test_the_primary_gates_under_every_method_and_the_text_counts_the_tests_adjusted(method):
    """F9: BH ignored a declared primary; Holm's text counted the primary among the tests behind it."""
    table = _table(
        [{"outcome": o, "p_value": p} for o, p in zip("abcde", [0.004, 0.2, 0.01, 0.02, 0.03], strict=True)]
    )
    questions = (Question("care", tuple("abcde"), "b"),)
    assign_questions(table, questions, pd.Series(False, index=table.index))
    out = adjust_questions(table, method, [None] * 5, questions).set_index("outcome")
    assert out.loc["b", "p_adjusted"] == pytest.approx(0.2)  # the primary at the full level
    assert (out.loc[list("acde"), "p_adjusted"] >= 0.2).all()  # nothing passes a primary that fails
    assert out.loc["b", "adjustment"] == f"primary outcome of question 'care', tested first ({method})"
    for o in "acde":
        assert out.loc[o, "adjustment"].startswith(f"{method} over 4 tests of question 'care' (")
        assert out.loc[o, "adjustment"].endswith("behind the primary outcome b")
