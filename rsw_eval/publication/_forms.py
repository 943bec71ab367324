"""Which ``[derived]`` formulas are counts, or rates of a count, whatever their spelling.

A derived value is a count when it is an integer combination of counts (``a - b``, ``-b + a``,
``(a - b) * 1``, ``a - b + 0``, ``(a - b) / 1``): unary minus and numbers are folded before the
question is asked, so no spelling of ``a - b`` escapes the rules that protect ``a - b``. A derived
value that is such a combination times or over numbers (``2 * (a - b)``, ``(a - b) / 2``), or
divided by anything else (``(a - b) / a * 100``), *gives* the combination back (value x the
published denominator / the scale): its count is the combination (:attr:`CountForm.expr`), and it
is protected as a rate of that count is (the combination from 1 to t hides the value, and its terms
take secondary suppression).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from fractions import Fraction
from math import gcd

__all__ = ["CountForm", "count_form", "counted", "is_count"]

#: A combination the folding could not reduce (a product of two names, a division by a name).
_NONLINEAR = None


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
            out += (f"{'-' if c < 0 else ''}" if not out else f" {sign} ") + size + name
        return out


def _linear(node: ast.AST, counts: set[str]) -> tuple[dict[str, Fraction], Fraction] | None:
    """``node`` as ``sum(coef * count) + constant``, or None when it is not one."""
    if isinstance(node, ast.Expression):
        return _linear(node.body, counts)
    if (
        isinstance(node, ast.Constant)
        and isinstance(node.value, int | float)
        and not isinstance(node.value, bool)
    ):
        return {}, Fraction(node.value).limit_denominator(10**6)
    if isinstance(node, ast.Name):
        return ({node.id: Fraction(1)}, Fraction(0)) if node.id in counts else _NONLINEAR
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        inner = _linear(node.operand, counts)
        if inner is None or isinstance(node.op, ast.UAdd):
            return inner
        return {k: -v for k, v in inner[0].items()}, -inner[1]
    if not isinstance(node, ast.BinOp):
        return _NONLINEAR
    left, right = _linear(node.left, counts), _linear(node.right, counts)
    if left is None or right is None:
        return _NONLINEAR
    if isinstance(node.op, ast.Add | ast.Sub):
        sign = 1 if isinstance(node.op, ast.Add) else -1
        terms = dict(left[0])
        for k, v in right[0].items():
            terms[k] = terms.get(k, Fraction(0)) + sign * v
        return {k: v for k, v in terms.items() if v}, left[1] + sign * right[1]
    if isinstance(node.op, ast.Mult) and (not left[0] or not right[0]):
        (_, k), (terms, const) = (left, right) if not left[0] else (right, left)
        return {n: v * k for n, v in terms.items() if v * k}, const * k
    if isinstance(node.op, ast.Div) and not right[0] and right[1]:
        return {n: v / right[1] for n, v in left[0].items()}, left[1] / right[1]
    return _NONLINEAR


def _strip_scale(node: ast.AST) -> ast.AST:
    """``node`` without multiplications and divisions by numbers at its top (``x / y * 100`` -> ``x / y``)."""
    while isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mult | ast.Div):
        number = [isinstance(s, ast.Constant) for s in (node.left, node.right)]
        if number[1]:
            node = node.left
        elif number[0] and isinstance(node.op, ast.Mult):
            node = node.right
        else:
            break
    return node


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


def count_form(tree: ast.AST, counts: set[str] | frozenset[str]) -> CountForm | None:
    """The count a derived formula gives back (:class:`CountForm`), or None.

    Examples
    --------
    >>> c = {"a", "b"}
    >>> [count_form(ast.parse(e, mode="eval"), c).expr for e in
    ...  ("a - b", "-b + a", "(a - b) * 1", "a - b + 0", "(a - b) / 1", "2 * (a - b)", "(a - b) / a * 100")]
    ['a - b', 'a - b', 'a - b', 'a - b', 'a - b', 'a - b', 'a - b']
    >>> [count_form(ast.parse(e, mode="eval"), c).exact for e in ("-b + a", "2 * (a - b)", "(a - b) / a")]
    [True, False, False]
    >>> count_form(ast.parse("b - a", mode="eval"), c).expr, count_form(ast.parse("a * b", mode="eval"), c)
    ('b - a', None)
    >>> count_form(ast.parse("a / population_0_17 * 10000", mode="eval"), c).expr  # a rate of a
    'a'
    """
    node = tree.body if isinstance(tree, ast.Expression) else tree
    whole = _linear(node, set(counts))
    if whole is not None:
        return _form(whole[0], exact=not whole[1])
    inner = _strip_scale(node)
    if isinstance(inner, ast.BinOp) and isinstance(inner.op, ast.Div):
        numerator = _linear(inner.left, set(counts))
        if numerator is not None:
            return _form(numerator[0], exact=False)
    return None


def is_count(tree: ast.AST, counts: set[str] | frozenset[str]) -> bool:
    """A derived formula whose value is a count: an integer combination of counts (any spelling).

    Examples
    --------
    >>> [is_count(ast.parse(e, mode="eval"), {"a", "b"}) for e in ("(a - b) * 1", "a / b")]
    [True, False]
    """
    form = count_form(tree, counts)
    return form is not None and form.exact


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
