"""The ``[derived]`` table of a spec: indicators declared as arithmetic on other indicators.

An expression is arithmetic on indicator names and numbers (``+ - * /``, parentheses, unary minus),
read with :mod:`ast` and never evaluated as Python; a name that is not a Python name (one that
starts with a digit, as DfE's ``1_year_less_than_2_years``, or holds a space) goes in backticks.
Each input may be lagged: DfE's rate per 10,000 for the year ending 31 March Y uses the ONS mid-year
estimate of Y - 1, so ``lag = { population_0_17 = 1 }`` takes the population of the year before. The
values are computed when the inputs are loaded (:func:`rsw_eval.inputs._derived.apply_derived`).
"""

from __future__ import annotations

import ast
import keyword
import math
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np

from rsw_eval._errors import SpecError

__all__ = ["OPS", "PREFER", "Derived", "parse_derived", "quoted"]

OPS = {ast.Add: np.add, ast.Sub: np.subtract, ast.Mult: np.multiply, ast.Div: np.divide}
PREFER = ("published", "derived")
#: The largest factor a formula may put on an indicator, once its numbers are multiplied out: a
#: rate per 10,000 or an amount in pounds needs far less, and beyond it a value is no longer the
#: same function of its inputs in floating point (``1e15 * 1e15 * a - b``, ``a / 1e-320 - b``).
LARGEST = 10**15


def _factors(node: ast.AST) -> tuple[Fraction, Fraction]:
    """The largest and smallest size of the factor the numbers of ``node`` put on an indicator
    once multiplied out (an indicator counts as 1, a number divided by as its inverse), exact.

    Examples
    --------
    >>> [_factors(ast.parse(e, mode="eval").body)[0] for e in ("a * 1e10 / 1e-10", "(a - b) / 100 + a")]
    [Fraction(100000000000000000000, 1), Fraction(1, 1)]
    """
    if isinstance(node, ast.Constant):
        size = abs(Fraction(repr(node.value)))
        return size, size
    if isinstance(node, ast.Name):
        return Fraction(1), Fraction(1)
    if isinstance(node, ast.UnaryOp):
        return _factors(node.operand)
    (lb, ls), (rb, rs) = _factors(node.left), _factors(node.right)
    if isinstance(node.op, ast.Add | ast.Sub):
        return max(lb, rb), min((x for x in (ls, rs) if x), default=Fraction(0))
    if isinstance(node.op, ast.Mult):
        return lb * rb, ls * rs
    return (lb / rs if rs else lb), (ls / rb if rb else ls)  # a division by 0 is no factor (NaN)


def _degree(node: ast.AST) -> int | None:
    """The degree of ``node`` in the indicators (a number 0, a name 1, ``a / b`` 0), or None where
    its terms are of different degrees (``a + a * b``).

    Examples
    --------
    >>> [_degree(ast.parse(e, mode="eval").body) for e in ("a * (1 + 1e-17)", "a / b * 100", "a + a * b")]
    [1, 0, None]
    """
    if isinstance(node, ast.Constant):
        return 0
    if isinstance(node, ast.Name):
        return 1
    if isinstance(node, ast.UnaryOp):
        return _degree(node.operand)
    left, right = _degree(node.left), _degree(node.right)
    if left is None or right is None:
        return None
    if isinstance(node.op, ast.Add | ast.Sub):
        return left if left == right else None
    return left + right if isinstance(node.op, ast.Mult) else left - right


def _vanishing(tree: ast.AST) -> ast.AST | None:
    """The first sum or difference in ``tree`` of two sides of one degree (:func:`_degree`) whose
    factors (:func:`_factors`) differ in size beyond :data:`LARGEST`: in floating point the smaller
    side vanishes whatever the data (``1 + 1e-17`` is 1), so the formula is not the function of its
    inputs that it reads as, and its count form (read exactly) would need numbers no float holds.
    Sides of different degrees (``(a - b) + 1e-26 * a ** 5``) compare only at the data's scale.

    Examples
    --------
    >>> [_vanishing(ast.parse(e, mode="eval")) is None
    ...  for e in ("a - b * (1 + 1e-17)", "(a - b) / 100 + a", "(a - b) + 1e-26 * a * a * a")]
    [False, True, True]
    """
    for node in ast.walk(tree):
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add | ast.Sub):
            same = _degree(node.left) is not None and _degree(node.left) == _degree(node.right)
            (lb, ls), (rb, rs) = _factors(node.left), _factors(node.right)
            if same and ls and rs and max(lb / rs, rb / ls) > LARGEST:
                return node
    return None


def _zero_divisor(tree: ast.AST) -> ast.AST | None:
    """The first division in ``tree`` by a part that names no indicator and is 0 (``a / 0``,
    ``a / (2 - 2)``): its value is missing in every year whatever the data, which a spec means
    by no formula (att14 2).

    Examples
    --------
    >>> [_zero_divisor(ast.parse(e, mode="eval")) is None for e in ("a / 0", "a / (2 - 2)", "a / b", "a / 2")]
    [False, False, True, True]
    """
    for node in ast.walk(tree):
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
            if any(isinstance(n, ast.Name) for n in ast.walk(node.right)):
                continue
            try:
                value = eval(compile(ast.Expression(node.right), "<derived>", "eval"), {"__builtins__": {}})
            except (ArithmeticError, TypeError, ValueError):
                return node
            if value == 0:
                return node
    return None


@dataclass(frozen=True)
class Derived:
    """One derived indicator: ``name = expr``, with per-input year lags.

    ``prefer``: where a file already publishes ``name`` for an authority-year, keep the published
    value (``"published"``, default) or replace it (``"derived"``). Either way every other
    authority-year with the inputs gets the derived value.
    """

    name: str
    expr: str
    tree: ast.expr = field(repr=False, compare=False)
    inputs: tuple[str, ...] = ()
    lag: Mapping[str, int] = field(default_factory=dict)
    prefer: str = "published"

    @property
    def source(self) -> str:
        """The ``source`` of the derived values: ``derived: <expr>`` (with the lags)."""
        lags = ", ".join(f"{k} of year - {v}" for k, v in self.lag.items() if v)
        return f"derived: {self.expr}" + (f" ({lags})" if lags else "")


def _names(node: ast.AST, where: str, expr: str) -> list[str]:
    if isinstance(node, ast.Expression):
        return _names(node.body, where, expr)
    if isinstance(node, ast.BinOp) and type(node.op) in OPS:
        return [*_names(node.left, where, expr), *_names(node.right, where, expr)]
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        return _names(node.operand, where, expr)
    if isinstance(node, ast.Name):
        return [node.id]
    if (
        isinstance(node, ast.Constant)
        and isinstance(node.value, int | float)
        and not isinstance(node.value, bool)
    ):
        if not math.isfinite(node.value) or abs(node.value) > 1e15:
            raise SpecError(
                f"{where}: {expr!r} holds the number {ast.unparse(node)}, beyond what a formula on "
                "indicators needs (finite, at most 1e15 in size)"
            )
        return []
    raise SpecError(
        f"{where}: {expr!r} is not arithmetic on indicator names and numbers "
        f"(only + - * / and parentheses); found {ast.unparse(node)!r}"
    )


def quoted(name: str) -> str:
    """``name`` as an expression writes it: in backticks where it is no Python name (a backtick
    in it doubled).

    Examples
    --------
    >>> quoted("cla_female"), quoted("1_year_less_than_2_years"), quoted("class"), quoted("nº_girls")
    ('cla_female', '`1_year_less_than_2_years`', '`class`', '`nº_girls`')
    >>> quoted("cla`girls")
    '`cla``girls`'
    """
    plain = (
        name.isidentifier() and not keyword.iskeyword(name) and unicodedata.normalize("NFKC", name) == name
    )
    return name if plain else "`" + name.replace("`", "``") + "`"


def _parse(expr: str) -> ast.Expression:
    """``expr`` parsed, each name in backticks read as one name (its text as it stands, a doubled
    backtick one), held meanwhile under a name the expression does not use (att10 H3).

    Examples
    --------
    >>> ast.unparse(_parse("`a b` + _quoted_0_"))
    'a b + _quoted_0_'
    >>> [n.id for n in ast.walk(_parse("`cla``girls` - 1")) if isinstance(n, ast.Name)]
    ['cla`girls']
    """
    names: dict[str, str] = {}

    def hold(match: re.Match) -> str:
        key = f"_quoted_{len(names)}_"
        while key in expr or key in names:
            key = f"_{key}"
        names[key] = match.group(1).replace("``", "`")
        return key

    text = re.sub(r"`((?:[^`]|``)+)`", hold, expr)
    tree = ast.parse(text, mode="eval")
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id in names:
            node.id = names[node.id]
        elif isinstance(node, ast.Name) and not re.search(rf"(?<![\w`]){re.escape(node.id)}(?![\w`])", text):
            # Python reads some names in another form (NFKC: "nº_girls" as "no_girls", att9 H2)
            raise SyntaxError(f"{node.id!r} is not written so; put the name in backticks")
    return tree


def parse_derived(raw: Mapping[str, Any]) -> tuple[Derived, ...]:
    """Parse the spec's ``[derived]`` table: ``name = "expr"`` or ``name = {expr, lag, prefer}``.

    Raises
    ------
    SpecError
        Naming the key path (``derived.<name>``, ``derived.<name>.lag``) of the first bad entry.

    Examples
    --------
    >>> d = parse_derived({"cla_rate_per_10k": {"expr": "children_looked_after / population_0_17 * 10000",
    ...                                         "lag": {"population_0_17": 1}}})[0]
    >>> d.inputs, dict(d.lag)
    (('children_looked_after', 'population_0_17'), {'population_0_17': 1})
    >>> parse_derived({"cp": "`2_years_or_more` + under_2"})[0].inputs
    ('2_years_or_more', 'under_2')
    >>> parse_derived({"x": "__import__('os')"})  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    rsw_eval._errors.SpecError: derived.x: "__import__('os')" is not arithmetic on indicator ...
    """
    if not isinstance(raw, Mapping):
        raise SpecError(f'derived must be a table of name = "expression". Got {raw!r}.')
    out = []
    for name, entry in raw.items():
        where = f"derived.{name}"
        options = dict(entry) if isinstance(entry, Mapping) else {"expr": entry}
        unknown = sorted(set(options) - {"expr", "lag", "prefer"})
        if unknown:
            raise SpecError(f"{where}: unknown key {unknown[0]!r}; valid keys: expr, lag, prefer")
        expr = options.get("expr")
        if not isinstance(expr, str) or not expr.strip():
            raise SpecError(f'{where}: the expression must be text such as "a / b". Got {expr!r}.')
        try:
            tree = _parse(expr.strip())
        except SyntaxError as exc:
            why = f": {exc.msg}" if "backticks" in str(exc.msg) else ""
            raise SpecError(f"{where}: {expr!r} is not a valid expression{why}") from None
        names = tuple(dict.fromkeys(_names(tree, where, expr)))
        if _factors(tree.body)[0] > LARGEST:
            raise SpecError(
                f"{where}: {expr!r} puts a factor beyond 1e15 on an indicator once its numbers are "
                "multiplied out: a formula on indicators needs far less, and its value would not be "
                "the same function of them in floating point"
            )
        vanishing = _vanishing(tree.body)
        if vanishing is not None:
            raise SpecError(
                f"{where}: {expr!r} adds terms whose sizes differ beyond 1e15 "
                f"({ast.unparse(vanishing)}): in floating point the smaller vanishes, so the value is not "
                "the function of its inputs the formula reads as; write it without that term"
            )
        if (zero := _zero_divisor(tree.body)) is not None:
            raise SpecError(
                f"{where}: {expr!r} divides by 0 ({ast.unparse(zero)}): its value would be missing in "
                "every year; write the divisor the formula needs"
            )
        if not names:
            raise SpecError(f"{where}: {expr!r} names no indicator")
        if name in names:
            raise SpecError(f"{where}: the expression uses {name!r} itself")
        lag = options.get("lag", {})
        if not isinstance(lag, Mapping):
            raise SpecError(f"{where}.lag must be a table of indicator = years. Got {lag!r}.")
        for key, years in lag.items():
            if key not in names:
                raise SpecError(f"{where}.lag: {key!r} is not in the expression (it uses {', '.join(names)})")
            if not isinstance(years, int) or isinstance(years, bool) or years < 0:
                raise SpecError(f"{where}.lag.{key} must be a whole number of years >= 0. Got {years!r}.")
        prefer = options.get("prefer", "published")
        if prefer not in PREFER:
            raise SpecError(f"{where}.prefer must be one of {', '.join(PREFER)}. Got {prefer!r}.")
        out.append(Derived(str(name), expr.strip(), tree.body, names, dict(lag), prefer))
    return tuple(out)
