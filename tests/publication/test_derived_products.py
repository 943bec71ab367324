"""A ``[derived]`` formula whose value is a small difference of counts, spelt with products or nested
divisions that cancel, is protected as that difference (findings-q4disc Q1): ``started * (1 - repeat
/ started)``, ``(started - repeat) / started * started``, ``a / (a / (a - b))`` had no form and were
published as x = 2 beside started 40 and repeat 38.

The formulas are random expression trees equal to ``a - b`` (or to a rate of it): ``a - b`` rewritten
any number of times by identities that multiply and divide by the same factor, nest a division,
add and take away the same term, whatever the factor (an indicator, a sum of them, a number)."""

from __future__ import annotations

import ast

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rsw_eval.disclosure import rule_set
from rsw_eval.publication import protect_panel
from rsw_eval.publication._forms import count_forms
from tests.publication._data import TREATED
from tests.publication.test_derived_spellings import _panel

A, B = "started", "repeat"
P = "population_0_17"
FACTORS = st.sampled_from([A, B, P, f"({A} + {B})", f"({A} + {P})", "2", "0.5", "100"])
STARTS = [
    f"{A} - {B}",
    f"{A} * (1 - {B} / {A})",
    f"-({B} - {A})",
    f"({A} * {A} - {A} * {B}) / {A}",
    f"{A} / {P} * {P} - {B}",
    f"{A} - {B} * {P} / {P}",
]


@st.composite
def equal_to_difference(draw) -> str:
    """A formula whose value is ``started - repeat`` at every point, by identities only."""
    expr = draw(st.sampled_from(STARTS))
    for _ in range(draw(st.integers(0, 3))):
        x = draw(FACTORS)
        expr = draw(
            st.sampled_from(
                [
                    f"({expr}) * ({x} / {x})",
                    f"({expr}) / ({x} / {x})",
                    f"({expr}) * {x} / {x}",
                    f"{x} * (({expr}) / {x})",
                    f"{x} / ({x} / ({expr}))",
                    f"({expr}) + {x} - {x}",
                    f"({expr}) / {x} * {x}",
                    f"({x} * ({expr}) - 0 * {x}) / {x}",
                    f"({expr}) * ({x} - {x} + 1)",
                ]
            )
        )
    return expr


@settings(derandomize=True, database=None, max_examples=300, deadline=None)
@given(equal_to_difference())
def test_every_product_spelling_is_the_difference_itself(expr):
    forms = count_forms(ast.parse(expr, mode="eval"), {A, B})
    assert forms, expr
    assert dict(forms[0].terms) == {A: 1, B: -1} and forms[0].exact, (expr, forms)


@settings(derandomize=True, database=None, max_examples=200, deadline=None)
@given(equal_to_difference(), st.sampled_from([A, P, f"({A} + {B})"]), st.sampled_from(["100", "1000", "1"]))
def test_every_product_spelling_of_its_rate_gives_the_difference(expr, over, k):
    forms = count_forms(ast.parse(f"({expr}) / {over} * {k}", mode="eval"), {A, B})
    assert any(dict(f.terms) in ({A: 1, B: -1}, {A: -1, B: 1}) for f in forms), (expr, forms)


@settings(derandomize=True, database=None, max_examples=60, deadline=None)
@given(
    st.sampled_from(["1e-7", "1e-9", "3e-12", "1e-15"]),
    st.sampled_from(
        [
            "({A} - {B}) / {c} * {c}",
            "({A} - {B}) * {c} / {c}",
            "({A} - {B}) / ({A} * {c}) * {c} * {A}",
            "({A} - {B}) + {A} * {B} * {c} * {c} * {c}",
            "({A} - {B}) * (1 + {A} * {c} * {c} * {c})",
        ]
    ),
)
def test_tiny_constants_are_read_as_written_and_terms_below_float_precision_change_nothing(c, spelling):
    """findings-q5disc R2, R3: constants were read to 1/10**6 (1e-7 as 0), so such spellings had no
    form and published a - b = 2; a term below a float's precision changes no published digit."""
    expr = spelling.format(A=A, B=B, c=c)
    forms = count_forms(ast.parse(expr, mode="eval"), {A, B})
    assert forms and dict(forms[0].terms) == {A: 1, B: -1}, (expr, forms)


def test_formulas_that_are_no_ratio_of_linear_forms_have_no_form():
    for expr in (f"{A} * {B}", f"{A} / {P} + {B} / {A}", f"{A} / 0"):
        assert count_forms(ast.parse(expr, mode="eval"), {A, B}) == (), expr


@pytest.mark.parametrize(
    "expr",
    [
        f"({A} - {B}) * ({A} - {B})",
        f"({A} - {B}) * ({A} - {B}) / {A} * 100",
        f"({A} - {B}) - 1e-9 * {A} * {B}",
        f"({A} - {B}) / {P} + {B} / {A}",
        f"({A} - {B}) * {P}",
    ],
)
@pytest.mark.parametrize("gap", [1, 2, 5])
def test_a_difference_of_counts_inside_a_formula_is_protected_as_one(expr, gap):
    """findings-q5disc R4: ``(a - b) * (a - b)`` = 4, ``... / a * 100`` = 10 and ``(a - b) -
    1e-9ab`` = 1.99999848 were published beside started 40 and repeat 38 (no form as a whole): the
    difference written inside is a count the value is a function of, hidden with it."""
    frame, entry = _panel(gap, expr)
    out, _ = protect_panel(frame, rule_set(counts=[A, B]), [entry])
    here = out[(out["la_code"] == TREATED) & (out["year"] == 2014)].set_index("indicator")["value"]
    assert np.isnan(here["x"]), expr
    assert np.isnan(here[A]) or np.isnan(here[B]), expr


@settings(derandomize=True, database=None, max_examples=25, deadline=None)
@given(equal_to_difference(), st.integers(1, 5))
def test_no_product_spelling_publishes_a_small_difference_on_the_panel(expr, gap):
    """On the tests' panel: after protection the derived value of the planted authority-year is
    hidden, and so is one of its terms (else their difference would give it)."""
    frame, entry = _panel(gap, expr)
    out, _ = protect_panel(frame, rule_set(counts=[A, B]), [entry])
    here = out[(out["la_code"] == TREATED) & (out["year"] == 2014)].set_index("indicator")["value"]
    assert np.isnan(here["x"]), expr
    assert np.isnan(here[A]) or np.isnan(here[B]), expr


@pytest.mark.parametrize("size, is_count", [(40, True), (10**6, False)])
def test_a_term_below_float_precision_is_read_at_the_data_s_scale(size, is_count):
    """findings q6 (float reader a): ``(a - b) + 1e-26 * a**5`` is ``a - b`` to every printed digit
    where a is 40 (so a count there: R3), but not where a is 10**6 (+1e4): it was read as ``a - b``
    from points up to 1,000 whatever the data, so a non-count joined the counts."""
    from rsw_eval.publication._inputs import _derived_counts

    raw = pd.DataFrame({"indicator": ["a", "b"], "value": [float(size), size - 2.0]})
    entry = {"indicator": "x", "expr": "(a - b) + 1e-26 * a * a * a * a * a"}
    rules = _derived_counts(rule_set(counts=["a", "b"]), [entry], raw)
    assert ("x" in rules.counts) is is_count


@pytest.mark.parametrize(
    "expr",
    [
        f"{A} - {B} * (1 + 1 / ({P} * {P} * {P} * {P}))",
        f"({A} + 1 / ({P} * {P} * {P} * {P})) - {B}",
        f"{A} * {A} - {A} * {B} - {A} * {A} + {A} * {B} + {A} - {B} + 0 * {P} * {A}",
    ],
)
@pytest.mark.parametrize("gap", [1, 3, 5])
def test_a_formula_of_counts_with_no_form_is_hidden_where_it_is_a_small_whole_number(expr, gap):
    """findings-q8disc L4: ``a - b * (1 + 1 / p**4)`` is ``a - b`` to the last bit, yet the term
    below float precision (with another indicator in it) left it with no count form, and x = 2 was
    published: a formula of counts with no form is hidden wherever its value is 1 to t, and so is
    one of its counts there (else a - b from the published counts gives it back, as for a sum)."""
    frame, entry = _panel(gap, expr)
    out, _ = protect_panel(frame, rule_set(counts=[A, B]), [entry])
    here = out[(out["la_code"] == TREATED) & (out["year"] == 2014)].set_index("indicator")["value"]
    assert np.isnan(here["x"]), expr
    assert np.isnan(here[A]) or np.isnan(here[B]), expr
    shown = out[(out["indicator"] == "x") & out["value"].notna()]["value"]
    assert not shown.round().abs().between(1, 5).any()
