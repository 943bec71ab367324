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
    return Fraction(repr(value))  # as written: 1e-7 is not 0


def _evaluate(node: ast.AST, point: dict, constant=_constant):
    """The value of ``node`` at ``point``, exact with fractions (``constant`` makes the numbers:
    ``float`` for the arithmetic a published value went through); ZeroDivisionError where it is
    undefined."""
    if isinstance(node, ast.Expression):
        return _evaluate(node.body, point, constant)
    if (
        isinstance(node, ast.Constant)
        and isinstance(node.value, int | float)
        and not isinstance(node.value, bool)
    ):
        return constant(node.value)
    if isinstance(node, ast.Name):
        return point[node.id]
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        inner = _evaluate(node.operand, point, constant)
        return -inner if isinstance(node.op, ast.USub) else inner
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add | ast.Sub | ast.Mult | ast.Div):
        left, right = _evaluate(node.left, point, constant), _evaluate(node.right, point, constant)
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


def linear_ratio(
    node: ast.AST, scale: float = 1000.0
) -> tuple[dict[str, Fraction], Fraction, dict[str, Fraction], Fraction] | None:
    """``(N terms, N constant, D terms, D constant)`` with value = N / D for every value of the
    names, ``D``'s first nonzero coefficient 1 (``D = ({}, 1)`` when the value is linear), or None
    when the formula is no ratio of two linear forms (or is a constant). ``scale``: the size its
    inputs take in the data, where a form read only to float precision must hold too
    (``(a - b) + 1e-26 * a**5`` is ``a - b`` up to 1,000 but not at a population of 10**6).

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
    >>> tiny = ast.parse("(a - b) + 1e-26 * a * a * a * a * a", mode="eval")
    >>> linear_ratio(tiny) is None, linear_ratio(tiny, scale=10**6) is None
    (False, True)
    """
    names = sorted({n.id for n in ast.walk(node) if isinstance(n, ast.Name)})
    exact = _exact_ratio(node, names)
    return exact if exact is not None else _float_ratio(node, names, scale)


def _exact_ratio(node: ast.AST, names: list[str]):
    """:func:`linear_ratio` from exact values."""
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
    return _normalised(basis[0], names)


def _normalised(v: list[Fraction], names: list[str]):
    """``(N terms, N constant, D terms, D constant)`` from the solution vector, ``D``'s first
    nonzero coefficient 1."""
    k = len(names)
    d, dc = dict(zip(names, v[:k], strict=True)), v[k]
    n, nc = dict(zip(names, v[k + 1 : 2 * k + 1], strict=True)), v[2 * k + 1]
    d = {x: c for x, c in d.items() if c}
    first = d[min(d)] if d else dc
    n = {x: c / first for x, c in n.items() if c}
    return n, nc / first, {x: c / first for x, c in d.items()}, dc / first


#: Relative size under which a formula's computed values count as those of a ratio of linear forms:
#: a published value is a float, so a term below its precision (``a - b + a * b / 1e30``) changes
#: nothing it shows.
_FLOAT_TOLERANCE = 1e-9


def _float_ratio(node: ast.AST, names: list[str], scale: float = 1000.0):
    """:func:`linear_ratio` for a formula that is a ratio of linear forms only to float precision:
    the forms found from its computed (float) values by the singular vector of the smallest
    singular value, their coefficients read as fractions, and kept when the formula's float values
    agree with them to :data:`_FLOAT_TOLERANCE` at fresh points, up to 1,000 and at the data's
    ``scale`` (a term negligible at 1,000 may not be where the data lie)."""
    import numpy as np

    width = 2 * (len(names) + 1)
    rng = random.Random(len(names) + 1)

    def points(count: int, low: int = 1, high: int = 1000):
        out = []
        for _ in range(20 * count):
            if len(out) == count:
                break
            x = [float(rng.randint(low, high)) for _ in names]
            try:
                f = float(_evaluate(node, dict(zip(names, x, strict=True)), float))
            except (ZeroDivisionError, KeyError, ValueError, OverflowError):
                continue
            if np.isfinite(f):
                out.append((x, f))
        return out

    sample = points(width + _EXTRA)
    if len(sample) < width + _EXTRA:
        return None
    rows = np.array([[*(f * v for v in x), f, *(-v for v in x), -1.0] for x, f in sample])
    rows /= np.abs(rows).max(axis=1, keepdims=True)
    _, sv, vt = np.linalg.svd(rows)
    if not (sv[-1] <= _FLOAT_TOLERANCE * sv[0] and sv[-2] > 1e-6 * sv[0]):
        return None
    big = np.abs(vt[-1]).max()
    v = [Fraction(float(c / big)).limit_denominator(10**4) for c in vt[-1]]
    if not any(v[: len(names) + 1]):
        return None
    found = _normalised(v, names)
    n, nc, d, dc = found
    top = int(min(max(scale, 1000.0), 1e12))
    for x, f in [*points(_EXTRA), *(points(_EXTRA, max(1, top // 10), top) if top > 1000 else [])]:
        at = dict(zip(names, x, strict=True))
        den = sum(c * Fraction(at[k]) for k, c in d.items()) + dc
        if den == 0:
            continue
        value = (sum(c * Fraction(at[k]) for k, c in n.items()) + nc) / den
        if abs(float(value) - f) > _FLOAT_TOLERANCE * max(abs(f), 1.0):
            return None
    return found
