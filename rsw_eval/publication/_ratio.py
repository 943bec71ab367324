"""A ``[derived]`` formula as one linear form over another, found from its values, not its spelling.

The reducer of :mod:`rsw_eval.publication._forms` reads a formula's spelling; products and nested
divisions that cancel (``a * (1 - b / a)``, ``(a - b) / a * a``, ``(a - b) * (a / a)``,
``a / (a / (a - b))``, ``a / c * c - b``) are outside what it reads, yet their value is the count
``a - b``. Which function a formula is does not depend on how it is spelt: :func:`linear_ratio`
evaluates it exactly (with fractions) at random whole-number points and finds the linear forms ``N``
and ``D`` with ``value x D = N`` at every point, when there are any. That is a linear system in
their coefficients; a formula that is ``N / D`` has a one-dimensional set of solutions (``D`` up to a
factor: ``N`` and ``D`` of degree one share no factor unless the value is a constant), any other
(two denominators, a product of counts that does not cancel, a constant) has none or more, and is
read as no form. Two different functions agree at the points only by a coincidence of probability
below ``degree / 10**6`` per point (Schwartz-Zippel), and the points outnumber the unknowns by four.
"""

from __future__ import annotations

import ast
import random
from fractions import Fraction

__all__ = ["linear_ratio"]

#: Points beyond the unknowns' number: each would have to agree by coincidence.
_EXTRA = 4
#: The range the points are drawn from.
_SIZE = 10**6


def _constant(value) -> Fraction:
    return Fraction(value).limit_denominator(10**6)


def _evaluate(node: ast.AST, point: dict[str, Fraction]) -> Fraction:
    """The exact value of ``node`` at ``point`` (ZeroDivisionError where it is undefined)."""
    if isinstance(node, ast.Expression):
        return _evaluate(node.body, point)
    if (
        isinstance(node, ast.Constant)
        and isinstance(node.value, int | float)
        and not isinstance(node.value, bool)
    ):
        return _constant(node.value)
    if isinstance(node, ast.Name):
        return point[node.id]
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        inner = _evaluate(node.operand, point)
        return -inner if isinstance(node.op, ast.USub) else inner
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add | ast.Sub | ast.Mult | ast.Div):
        left, right = _evaluate(node.left, point), _evaluate(node.right, point)
        if isinstance(node.op, ast.Add):
            return left + right
        if isinstance(node.op, ast.Sub):
            return left - right
        if isinstance(node.op, ast.Mult):
            return left * right
        return left / right
    raise ValueError("not arithmetic")


def _null_space(rows: list[list[Fraction]], width: int) -> list[list[Fraction]]:
    """A basis of ``{x : rows @ x = 0}`` by exact Gaussian elimination."""
    rows = [list(r) for r in rows]
    pivots: list[int] = []
    r = 0
    for c in range(width):
        p = next((i for i in range(r, len(rows)) if rows[i][c]), None)
        if p is None:
            continue
        rows[r], rows[p] = rows[p], rows[r]
        lead = rows[r][c]
        rows[r] = [v / lead for v in rows[r]]
        for i in range(len(rows)):
            if i != r and rows[i][c]:
                k = rows[i][c]
                rows[i] = [v - k * w for v, w in zip(rows[i], rows[r], strict=True)]
        pivots.append(c)
        r += 1
        if r == len(rows):
            break
    free = [c for c in range(width) if c not in pivots]
    basis = []
    for f in free:
        x = [Fraction(0)] * width
        x[f] = Fraction(1)
        for i, c in enumerate(pivots):
            x[c] = -rows[i][f]
        basis.append(x)
    return basis


def linear_ratio(node: ast.AST) -> tuple[dict[str, Fraction], Fraction, dict[str, Fraction], Fraction] | None:
    """``(N terms, N constant, D terms, D constant)`` with value = N / D for every value of the
    names, ``D``'s first nonzero coefficient 1 (``D = ({}, 1)`` when the value is linear), or None
    when the formula is no ratio of two linear forms (or is a constant).

    Examples
    --------
    >>> def show(e):
    ...     n, c, d, k = linear_ratio(ast.parse(e, mode="eval"))
    ...     return {x: int(v) for x, v in n.items()}, int(c), {x: int(v) for x, v in d.items()}, int(k)
    >>> show("started * (1 - repeat / started)")
    ({'repeat': -1, 'started': 1}, 0, {}, 1)
    >>> show("a / (a / (a - b)) * 100 / c")
    ({'a': 100, 'b': -100}, 0, {'c': 1}, 0)
    >>> linear_ratio(ast.parse("a * b", mode="eval")), linear_ratio(ast.parse("a / a", mode="eval"))
    (None, None)
    """
    names = sorted({n.id for n in ast.walk(node) if isinstance(n, ast.Name)})
    width = 2 * (len(names) + 1)  # D's coefficients and constant, then N's
    rng = random.Random(len(names))
    rows: list[list[Fraction]] = []
    for _ in range(20 * (width + _EXTRA)):
        if len(rows) == width + _EXTRA:
            break
        x = [Fraction(rng.randint(1, _SIZE)) for _ in names]
        try:
            f = _evaluate(node, dict(zip(names, x, strict=True)))
        except (ZeroDivisionError, KeyError, ValueError):
            continue
        rows.append([*(f * v for v in x), f, *(-v for v in x), Fraction(-1)])
    if len(rows) < width + _EXTRA:
        return None
    basis = _null_space(rows, width)
    if len(basis) != 1:
        return None
    v = basis[0]
    k = len(names)
    d, dc = dict(zip(names, v[:k], strict=True)), v[k]
    n, nc = dict(zip(names, v[k + 1 : 2 * k + 1], strict=True)), v[2 * k + 1]
    d = {x: c for x, c in d.items() if c}
    first = d[min(d)] if d else dc
    n = {x: c / first for x, c in n.items() if c}
    return n, nc / first, {x: c / first for x, c in d.items()}, dc / first
