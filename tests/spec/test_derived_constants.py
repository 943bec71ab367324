"""A [derived] formula's numbers are finite and of a size a formula on indicators needs
(findings-q5disc R5: 1e400 crashed compare with OverflowError)."""

from __future__ import annotations

import pytest

from rsw_eval._errors import SpecError
from rsw_eval.spec._derived import parse_derived


@pytest.mark.parametrize("number", ["1e400", "1e30", "-1e16"])
def test_a_number_beyond_1e15_is_refused_with_the_key(number):
    with pytest.raises(SpecError, match=r"derived\.x: .* holds the number .* at most 1e15"):
        parse_derived({"x": f"(a - b) / {number} * 100"})


def test_ordinary_numbers_are_kept():
    assert parse_derived({"x": "a / b * 10000 + 1e-9"})[0].inputs == ("a", "b")


@pytest.mark.parametrize(
    "expr", ["1e15 * 1e15 * a - b", "a / 1e-320 - b", "a * 1e10 / 1e-10", "(a - b) / (1e-10 * c) * 1e10"]
)
def test_a_formula_whose_numbers_multiply_out_beyond_1e15_is_refused_with_the_key(expr):
    """findings q6: the bound was per number, so multiplying numbers (or dividing by a tiny one)
    put 1e30 or 1e320 on an indicator, and the computed value was infinite."""
    with pytest.raises(SpecError, match=r"derived\.x: .* puts a factor beyond 1e15 on an indicator"):
        parse_derived({"x": expr})


@pytest.mark.parametrize(
    "expr",
    [
        "(a - b) / 1e-7 * 1e-7",
        "a * 1e10 * 1e10 / 1e15 / 1e5 - b",
        "a / b * 10000",
        "(a - b) * 0",
        "a / (a - a)",
    ],
)
def test_numbers_that_cancel_out_are_kept(expr):
    assert parse_derived({"x": expr})[0].inputs[0] == "a"


def test_both_readers_give_no_form_for_a_number_that_is_not_finite():
    import ast

    from rsw_eval.publication._forms import count_forms

    tree = ast.parse("(a - b) * 1e400", mode="eval")  # only reachable from Python, not from a spec
    assert [f.exact for f in count_forms(tree, {"a", "b"})] in ([], [False])  # no crash; never exact


@pytest.mark.parametrize(
    "expr",
    [
        "started - repeat * (1 + 1e-17)",
        "started * (1 - 1e-17) - repeat * (1 + 1e-17)",
        "started * 1e10 - repeat / 1e10",
    ],
)
def test_a_formula_adding_terms_one_of_which_vanishes_in_floating_point_is_refused_with_the_key(expr):
    """findings-q8disc N1: `started - repeat * (1 + 1e-17)` passed the spec, then the run failed with a
    SpecError about '100000000000000000 * started - 100000000000000001 * repeat', a formula the user
    never wrote (its exact count form). It is refused where it is read, naming the user's formula."""
    with pytest.raises(SpecError, match=r"derived\.x: .* adds terms whose sizes differ beyond 1e15"):
        parse_derived({"x": expr})


def test_terms_of_different_degrees_are_compared_at_the_data_s_scale_not_refused():
    """``(a - b) + 1e-26 * a ** 5`` is a - b where a is 40 but not where a is 10**6: kept (the
    protection reads it at the data's scale)."""
    assert parse_derived({"x": "(a - b) + 1e-26 * a * a * a * a * a"})[0].inputs == ("a", "b")
