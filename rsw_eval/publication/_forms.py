"""Which ``[derived]`` formulas are counts, or give a count back, whatever their spelling.

A ``[derived]`` formula is arithmetic (``+ - * /``, parentheses) on indicators and numbers. Read as
a sum of linear combinations over one denominator each, ``sum_D (N_D + c_D) / D`` (the numbers
folded, ``D = 1`` for the part with no division), every spelling of one relation reduces to the
same one:

- with no denominator, the value is ``N + c``: an integer combination of counts times a number,
  plus a number (``a - b``, ``-b + a``, ``(a - b) * 1``, ``a - b + 0``, ``2 * (a - b)``). It is the
  count ``N`` itself (:attr:`CountForm.exact`) when no number scales or shifts it;
- with one denominator ``D`` (a published count, population or sum of them), value x D is linear
  in the counts: a number ``k`` beside the division is ``k * D / D``, so ``100 - b / a * 100``,
  ``1 - b / a``, ``a / a - b / a``, ``(a - b) / a * 100 + 0``, ``0 + ...`` and ``b / a * 100 - 100``
  all give ``a - b`` back (value x a / 100), and ``b`` as well (a is published): value x D gives
  the numerator, and so the numerator plus any whole multiple of D, and the numerator published
  gives D. :func:`count_forms` returns them all (the numerator with the numbers folded in first,
  then the numerator plus -3 to 3 times D, then D): which is small depends on the data.

The count a formula gives back (:attr:`CountForm.expr`) is protected as a count is: from 1 to t it
hides the value, and its terms take secondary suppression and go through the series audit. A
spelling the reader does not follow (a product or a nested division that cancels: ``a * (1 - b / a)``,
``(a - b) / a * a``, ``a / (a / (a - b))``) is read from its values instead
(:func:`~rsw_eval.publication._ratio.linear_ratio`: the function it is, whatever its spelling). Two
different denominators (``a / c + b / d``) or a product of indicators that does not cancel are not
linear in any count: None (each count in it still has its own rule, and the value is recomputed,
so hidden, wherever one of its inputs is hidden).
"""

from __future__ import annotations

import ast
import math
from dataclasses import dataclass
from fractions import Fraction
from math import gcd

import numpy as np

from rsw_eval.publication._ratio import linear_ratio
from rsw_eval.spec._derived import quoted

__all__ = ["CountForm", "count_form", "count_forms", "counted", "data_scale", "is_count"]

#: The multiples of a published denominator added to a numerator it gives back (``-b`` over ``a``
#: gives ``a - b``, ``2 * a - b`` ...): every one of them is a count the value gives back.
SHIFTS = (0, 1, -1, 2, -2, 3, -3)
#: ``sum(coef * name) + constant`` over any indicator names.
Linear = tuple[dict[str, Fraction], Fraction]
#: A denominator, normalised (first coefficient 1): its terms and constant; ``()`` for none.
Key = tuple


@dataclass(frozen=True)
class CountForm:
    """The count a derived formula gives back.

    ``terms``: indicator -> integer coefficient (their greatest common divisor 1); ``expr``: the
    same as a formula, positive terms first (``"a - b"``); ``exact``: the derived value *is* the
    count (no scale, no offset, no denominator: it is a count itself, and joins the counts). A
    count that is negative (``b - a`` = -3) gives its opposite (3) back: both are protected.
    """

    terms: tuple[tuple[str, int], ...]
    exact: bool

    @property
    def combined(self) -> bool:
        """More than one count in it (``a - b``): a count of its own. A single one (``a / pop``,
        ``2 * a``) is that count, protected by its own rule (a DfE release's threshold, say)."""
        return len(self.terms) > 1

    @property
    def expr(self) -> str:
        out = ""
        for name, c in sorted(self.terms, key=lambda t: t[1] < 0):
            sign = "-" if c < 0 else "+"
            size = f"{abs(c)} * " if abs(c) != 1 else ""
            out += (f"{'-' if c < 0 else ''}" if not out else f" {sign} ") + size + quoted(name)
        return out


def _add(x: Linear, y: Linear, sign: int = 1) -> Linear:
    terms = dict(x[0])
    for k, v in y[0].items():
        terms[k] = terms.get(k, Fraction(0)) + sign * v
    return {k: v for k, v in terms.items() if v}, x[1] + sign * y[1]


def _scale(x: Linear, k: Fraction) -> Linear:
    return {n: v * k for n, v in x[0].items() if v * k}, x[1] * k


def _key(d: Linear) -> tuple[Key, Fraction]:
    """A denominator as its normalised key and the factor it was divided by (``a / 100`` is
    ``a`` over 1/100)."""
    first = d[0][min(d[0])]
    norm = _scale(d, 1 / first)
    return (tuple(sorted(norm[0].items())), norm[1]), first


def _constant(r: dict) -> Fraction | None:
    if set(r) <= {()} and not r.get((), ({}, 0))[0]:
        return r.get((), ({}, Fraction(0)))[1]
    return None


def _rational(node: ast.AST) -> dict | None:
    """``node`` as ``{denominator key: numerator}`` (value = sum of numerator / denominator; key
    ``()`` for 1), or None when it is not one (a product of names, two divisions multiplied)."""
    if isinstance(node, ast.Expression):
        return _rational(node.body)
    if (
        isinstance(node, ast.Constant)
        and isinstance(node.value, int | float)
        and not isinstance(node.value, bool)
    ):
        if not math.isfinite(node.value):  # the spec refuses one; read as no form, never a crash
            return None
        return {(): ({}, Fraction(repr(node.value)))}
    if isinstance(node, ast.Name):
        return {(): ({node.id: Fraction(1)}, Fraction(0))}
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        inner = _rational(node.operand)
        if inner is None or isinstance(node.op, ast.UAdd):
            return inner
        return {k: _scale(v, Fraction(-1)) for k, v in inner.items()}
    if not isinstance(node, ast.BinOp):
        return None
    left, right = _rational(node.left), _rational(node.right)
    if left is None or right is None:
        return None
    if isinstance(node.op, ast.Add | ast.Sub):
        out = dict(left)
        for k, v in right.items():
            out[k] = _add(out.get(k, ({}, Fraction(0))), v, 1 if isinstance(node.op, ast.Add) else -1)
        return out
    kl, kr = _constant(left), _constant(right)
    if isinstance(node.op, ast.Mult):
        if kl is not None or kr is not None:
            k, other = (kl, right) if kl is not None else (kr, left)
            return {key: _scale(v, k) for key, v in other.items()}
        # a linear value times a number over a denominator: (a - b) * (100 / c)
        for plain, over in ((left, right), (right, left)):
            if (
                set(plain) == {()}
                and len(over) == 1
                and _constant({(): next(iter(over.values()))}) is not None
            ):
                ((key, (_, k)),) = over.items()
                return {key: _scale(plain[()], k)}
        return None
    if not isinstance(node.op, ast.Div):
        return None
    if kr is not None:
        return {key: _scale(v, 1 / kr) for key, v in left.items()} if kr else None
    if set(left) == {()} and set(right) == {()}:  # linear / linear
        key, first = _key(right[()])
        return {key: _scale(left[()], 1 / first)}
    if kl is not None and len(right) == 1 and () not in right:  # k / (N / D) = k * D / N
        ((key, numerator),) = right.items()
        d = (dict(key[0]), key[1])
        if not numerator[0]:
            return {(): _scale(d, kl / numerator[1])} if numerator[1] else None
        inverse, first = _key(numerator)
        return {inverse: _scale(d, kl / first)}
    return None


def _form(terms: dict[str, Fraction], exact: bool) -> CountForm | None:
    if not terms:
        return None
    scale = Fraction(gcd(*(v.numerator for v in terms.values())), 1) / Fraction(
        abs(_lcm(*(v.denominator for v in terms.values())))
    )
    whole = {k: v / scale for k, v in terms.items()}
    return CountForm(tuple((k, int(v)) for k, v in whole.items()), exact and scale == 1)


def _lcm(*values: int) -> int:
    out = 1
    for v in values:
        out = out * v // gcd(out, v)
    return out


def _counts_only(terms: dict[str, Fraction], d: dict[str, Fraction], counts) -> dict[str, Fraction] | None:
    """``terms`` less the multiple of the denominator ``d`` that leaves counts only, if one does."""
    other = {n: v for n, v in terms.items() if n not in counts}
    if not other:
        return terms
    name = min(other)
    if name not in d:
        return None
    out = _add((terms, Fraction(0)), _scale((d, Fraction(0)), other[name] / d[name]), -1)[0]
    return out if all(n in counts for n in out) else None


def _from_values(node: ast.AST, scale: float = 1000.0) -> dict | None:
    """``node`` as :func:`_rational` gives it, from :func:`~rsw_eval.publication._ratio.linear_ratio`
    (``a * (1 - b / a)`` is ``a - b``; ``(a - b) / a * a * 100 / c`` is ``100 * (a - b)`` over ``c``)."""
    found = linear_ratio(node, scale)
    if found is None:
        return None
    n, nc, d, dc = found
    return {(tuple(sorted(d.items())), dc) if d else (): (n, nc)}


def count_forms(
    tree: ast.AST, counts: set[str] | frozenset[str], scale: float = 1000.0
) -> tuple[CountForm, ...]:
    """Every count a derived formula gives back, the first the one its numbers fold into
    (``scale``: the size its inputs take in the data, :func:`data_scale`).

    Examples
    --------
    >>> c = {"a", "b"}
    >>> [[f.expr for f in count_forms(ast.parse(e, mode="eval"), c)][:3] for e in
    ...  ("(a - b) / a * 100", "100 - b / a * 100", "1 - b / a + 1", "a / a - b / a")]
    ... # doctest: +NORMALIZE_WHITESPACE
    [['a - b', '2 * a - b', '-b'], ['a - b', '-b', '-b - a'],
     ['2 * a - b', '-b', 'a - b'], ['a - b', '2 * a - b', '-b']]
    >>> [f.expr for f in count_forms(ast.parse("(a - b) / population * 10000 + 5", mode="eval"), c)]
    ['a - b']
    """
    node = tree.body if isinstance(tree, ast.Expression) else tree
    return _whole_forms(node, counts, scale) or _inner_forms(node, counts, scale)


def _inner_forms(node: ast.AST, counts, scale: float) -> tuple[CountForm, ...]:
    """The sums and differences of two or more counts written inside a formula that gives none back
    as a whole (``(a - b) * (a - b)``, ``(a - b) - 1e-9 * a * b``, ``(a - b) / c + b / d``): each
    is a count the formula is a function of, protected as one (never exact: the value is not that
    count). Only written sums count: the value of an inner division is not published, so the
    numerator-plus-multiples reading of a whole formula does not apply to it.

    >>> c = {"a", "b"}
    >>> [[f.expr for f in count_forms(ast.parse(e, mode="eval"), c)] for e in
    ...  ("(a - b) * (a - b)", "a * b", "a / p + b / a", "(a - b) / p + b / a")]
    [['a - b'], [], [], ['a - b']]
    """
    out: list[CountForm] = []
    for sub in ast.walk(node):
        if sub is node or not isinstance(sub, ast.BinOp | ast.UnaryOp):
            continue
        r = _rational(sub)
        if r is None or set(r) != {()} or not all(n in counts for n in r[()][0]):
            continue
        form = _form(r[()][0], exact=False)
        if form is not None and form.combined and form not in out:
            out.append(form)
    return tuple(out)


def _whole_forms(node: ast.AST, counts, scale: float) -> tuple[CountForm, ...]:
    """:func:`count_forms` of the formula as a whole (no look inside)."""
    r = _rational(node)
    if r is None:  # a spelling the reader does not follow: the function it is, from its values
        r = _from_values(node, scale)
    if r is None:
        return ()
    plain = r.get((), ({}, Fraction(0)))
    over = [k for k in r if k != ()]
    if not over:
        if not all(n in counts for n in plain[0]):
            return ()
        form = _form(plain[0], exact=not plain[1])
        return (form,) if form else ()
    if len(over) > 1:
        return ()
    key = over[0]
    d = dict(key[0])
    numerator = r[key][0]
    candidates = []
    if not plain[0]:  # a number k beside the division is k * D / D: it folds into the numerator
        candidates.append(_add((numerator, Fraction(0)), _scale((d, Fraction(0)), plain[1]))[0])
    # D published, value x D gives the numerator, and so the numerator plus any whole multiple of D:
    # which of them is small depends on the data (b = 38 of a = 40: b - a), so the nearest are all
    whole = _form(numerator, exact=False)
    base = {k: Fraction(v) for k, v in whole.terms} if whole else {}
    candidates += [_add((base, Fraction(0)), (d, Fraction(0)), shift)[0] for shift in SHIFTS]
    candidates.append(d)  # and D itself, the numerator published (D = numerator / value)
    out = []
    for terms in candidates:
        terms = _counts_only(terms, d, counts)
        form = _form(terms, exact=False) if terms is not None else None
        if form is not None and form not in out:
            out.append(form)
    return tuple(out)


def count_form(tree: ast.AST, counts: set[str] | frozenset[str], scale: float = 1000.0) -> CountForm | None:
    """The count a derived formula gives back (:class:`CountForm`; the first of
    :func:`count_forms`), or None.

    Examples
    --------
    >>> c = {"a", "b"}
    >>> [count_form(ast.parse(e, mode="eval"), c).expr for e in
    ...  ("a - b", "-b + a", "(a - b) * 1", "a - b + 0", "(a - b) / 1", "2 * (a - b)", "(a - b) / a * 100",
    ...   "100 - b / a * 100", "0 + (a - b) / a * 100", "(a - b) / (a / 100)")]
    ['a - b', 'a - b', 'a - b', 'a - b', 'a - b', 'a - b', 'a - b', 'a - b', 'a - b', 'a - b']
    >>> [count_form(ast.parse(e, mode="eval"), c).exact for e in ("-b + a", "2 * (a - b)", "(a - b) / a")]
    [True, False, False]
    >>> count_form(ast.parse("b - a", mode="eval"), c).expr, count_form(ast.parse("a * b", mode="eval"), c)
    ('b - a', None)
    >>> count_form(ast.parse("a / population_0_17 * 10000", mode="eval"), c).expr  # a rate of a
    'a'
    """
    forms = count_forms(tree, counts, scale)
    return forms[0] if forms else None


def is_count(tree: ast.AST, counts: set[str] | frozenset[str], scale: float = 1000.0) -> bool:
    """A derived formula whose value is a count: an integer combination of counts (any spelling).

    Examples
    --------
    >>> [is_count(ast.parse(e, mode="eval"), {"a", "b"}) for e in ("(a - b) * 1", "a / b")]
    [True, False]
    """
    form = count_form(tree, counts, scale)
    return form is not None and form.exact


def data_scale(panel, names) -> float:
    """The size a formula's inputs (``names``) take in ``panel``: their largest finite value, 1,000
    at least (the value reader's own points).

    Examples
    --------
    >>> import pandas as pd
    >>> p = pd.DataFrame({"indicator": ["a", "b", "pop"], "value": [40.0, 38.0, 2.5e6]})
    >>> data_scale(p, ("a", "b")), data_scale(p, ("a", "pop"))
    (1000.0, 2500000.0)
    """
    v = np.abs(panel.loc[panel["indicator"].isin(set(names)), "value"].to_numpy(float))
    v = v[np.isfinite(v)]
    return float(max(1000.0, v.max())) if len(v) else 1000.0


def counted(d, form: CountForm):
    """A :class:`~rsw_eval.spec._derived.Derived` of the same name whose value is ``form``'s count
    (with ``d``'s lags on its terms), so that :func:`rsw_eval.inputs._derived._compute` gives it.

    Examples
    --------
    >>> from rsw_eval.spec._derived import parse_derived
    >>> d = parse_derived({"x": {"expr": "(a - b) / a * 100", "lag": {"a": 1}}})[0]
    >>> c = counted(d, count_form(d.tree, {"a", "b"}))
    >>> c.name, c.expr, dict(c.lag)
    ('x', 'a - b', {'a': 1})
    """
    from rsw_eval.spec._derived import parse_derived

    names = {n for n, _ in form.terms}
    lag = {k: v for k, v in d.lag.items() if k in names}
    return parse_derived({d.name: {"expr": form.expr, "lag": lag}})[0]
