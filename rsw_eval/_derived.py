"""Derived indicators the spec declares (``[derived]``): ratios of panel indicators, parsed safely.

An expression is arithmetic on indicator names and numbers (``+ - * /``, parentheses, unary minus),
read with :mod:`ast` and never evaluated as Python. Each input may be lagged: DfE's rate per
10,000 for the year ending 31 March Y uses the ONS mid-year estimate of Y - 1, so
``lag = { population_0_17 = 1 }`` takes the population of the year before.
"""

from __future__ import annotations

import ast
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from rsw_eval._errors import RswEvalWarning, SpecError

__all__ = ["Derived", "DerivedWarning", "apply_derived", "parse_derived"]


class DerivedWarning(RswEvalWarning):
    """A derived indicator disagrees with the values a file publishes for the same authority-years
    by more than the published rounding (a wrong lag or a different denominator, most often)."""


_OPS = {ast.Add: np.add, ast.Sub: np.subtract, ast.Mult: np.multiply, ast.Div: np.divide}
PREFER = ("published", "derived")


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
    if isinstance(node, ast.BinOp) and type(node.op) in _OPS:
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
        return []
    raise SpecError(
        f"{where}: {expr!r} is not arithmetic on indicator names and numbers "
        f"(only + - * / and parentheses); found {ast.unparse(node)!r}"
    )


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
            tree = ast.parse(expr.strip(), mode="eval")
        except SyntaxError:
            raise SpecError(f"{where}: {expr!r} is not a valid expression") from None
        names = tuple(dict.fromkeys(_names(tree, where, expr)))
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


def _evaluate(node: ast.expr, values: Mapping[str, np.ndarray]) -> np.ndarray:
    if isinstance(node, ast.BinOp):
        return _OPS[type(node.op)](_evaluate(node.left, values), _evaluate(node.right, values))
    if isinstance(node, ast.UnaryOp):
        sign = -1.0 if isinstance(node.op, ast.USub) else 1.0
        return sign * _evaluate(node.operand, values)
    if isinstance(node, ast.Name):
        return values[node.id]
    return np.asarray(float(node.value))  # a Constant (checked by parse_derived)


def _compute(panel: pd.DataFrame, d: Derived) -> pd.DataFrame:
    """The derived rows for every authority-year that has a row of every input."""
    key = ["la_code", "year"]
    panel = panel.assign(**{c: panel.get(c, "") for c in ("la_name", "old_la_code")})
    joined = None
    for name in d.inputs:
        part = panel.loc[panel["indicator"] == name, [*key, "la_name", "old_la_code", "value", "flag"]].copy()
        part["year"] = part["year"] + d.lag.get(name, 0)
        part = part.rename(columns={"value": f"v:{name}", "flag": f"f:{name}"})
        if joined is None:
            joined = part
        else:
            joined = joined.merge(part.drop(columns=["la_name", "old_la_code"]), on=key, how="inner")
    if joined is None or joined.empty:
        return pd.DataFrame(columns=list(panel.columns))
    with np.errstate(divide="ignore", invalid="ignore"):
        value = _evaluate(d.tree, {n: joined[f"v:{n}"].to_numpy(dtype=float) for n in d.inputs})
    value = np.where(np.isfinite(value), value, np.nan)
    flags = pd.Series("", index=joined.index, dtype=object)
    for name in reversed(d.inputs):  # the first input's flag wins
        f = joined[f"f:{name}"].astype(object).fillna("")
        flags = flags.where(f == "", f)
    out = joined[[*key, "la_name", "old_la_code"]].assign(
        indicator=d.name, value=value, flag=np.where(np.isnan(value), flags, ""), source=d.source
    )
    return out.reset_index(drop=True)


def _half_unit(values: np.ndarray) -> float:
    """Half the last published digit: 0.5 for whole numbers, 0.05 for one decimal, ..."""
    values = values[np.isfinite(values)]
    for digits in range(7):
        scaled = values * 10**digits
        if np.all(np.abs(scaled - np.round(scaled)) < 1e-6):
            return 0.5 * 10.0**-digits
    return 0.0


def _check_published(d: Derived, published: np.ndarray, derived: np.ndarray) -> int:
    """How many authority-years the derived value differs from the published one beyond its
    rounding; warns when any do."""
    ok = np.isfinite(published) & np.isfinite(derived)
    if not ok.any():
        return 0
    tol = _half_unit(published[ok])
    beyond = int((np.abs(published[ok] - derived[ok]) > tol + 1e-9).sum())
    if beyond:
        warnings.warn(
            f"derived {d.name} ({d.expr}{', lag ' + str(dict(d.lag)) if d.lag else ''}) differs from "
            f"the published values by more than their rounding ({tol:g}) in {beyond} of {int(ok.sum())} "
            "authority-years: check the inputs' years (lag) and definitions",
            DerivedWarning,
            stacklevel=4,
        )
    return beyond


def apply_derived(
    panel: pd.DataFrame, derived: tuple[Derived, ...]
) -> tuple[pd.DataFrame, pd.DataFrame, list[dict]]:
    """Add each derived indicator to the panel, in the spec's order (later ones may use earlier ones).

    Returns
    -------
    (panel, replaced, summary)
        The panel with the derived rows; the rows that lost to another value of the same
        authority-year (published or derived, by ``prefer``); one dict per indicator with counts
        (``computed``, ``published_too``, ``kept_published``), the largest absolute difference
        where both exist and how many differ beyond the published rounding
        (``beyond_rounding``; a :class:`DerivedWarning` says so when any do).

    Examples
    --------
    >>> import pandas as pd
    >>> p = pd.DataFrame({"la_code": "E09000012", "old_la_code": "204", "la_name": "Hackney",
    ...     "year": [2024, 2025, 2025], "indicator": ["population_0_17", "population_0_17",
    ...     "children_looked_after"], "value": [54191.0, 53000.0, 352.0], "flag": "", "source": "f"})
    >>> d = parse_derived({"rate": {"expr": "children_looked_after / population_0_17 * 10000",
    ...                             "lag": {"population_0_17": 1}}})
    >>> out, _, _ = apply_derived(p, d)
    >>> row = out[out["indicator"] == "rate"].iloc[0]
    >>> int(row["year"]), round(float(row["value"]), 2), row["source"]
    (2025, 64.95, 'derived: children_looked_after / population_0_17 * 10000 (population_0_17 of year - 1)')
    """
    key = ["la_code", "year", "indicator"]
    replaced, summary = [], []
    for d in derived:
        new = _compute(panel, d)
        old = panel[panel["indicator"] == d.name]
        both = old.merge(new[key + ["value"]], on=key, suffixes=("", "_derived"))
        published_ok = np.isfinite(both["value"].to_numpy(dtype=float))
        derived_ok = np.isfinite(both["value_derived"].to_numpy(dtype=float))
        keep_old = published_ok | ~derived_ok if d.prefer == "published" else ~derived_ok
        old_keys = both.loc[keep_old, key]
        drop_new = new.merge(old_keys, on=key, how="left", indicator=True)["_merge"].eq("both").to_numpy()
        lose_old = old.merge(both.loc[~keep_old, key], on=key, how="left", indicator=True)["_merge"].eq(
            "both"
        )
        replaced.append(pd.concat([old[lose_old.to_numpy()], new[drop_new]], ignore_index=True))
        diff = np.abs(both["value"] - both["value_derived"]).to_numpy(dtype=float)
        beyond = _check_published(
            d, both["value"].to_numpy(dtype=float), both["value_derived"].to_numpy(dtype=float)
        )
        summary.append(
            {
                "indicator": d.name,
                "expr": d.expr,
                "lag": dict(d.lag),
                "prefer": d.prefer,
                "computed": int(np.isfinite(new["value"].to_numpy(dtype=float)).sum()),
                "published_too": int((published_ok & derived_ok).sum()),
                "kept_published": int((keep_old & published_ok).sum()),
                "max_abs_difference": float(np.nanmax(diff)) if np.isfinite(diff).any() else None,
                "beyond_rounding": beyond,
            }
        )
        panel = pd.concat(
            [panel[~panel.index.isin(old.index[lose_old.to_numpy()])], new[~drop_new]], ignore_index=True
        )
    return panel, pd.concat(replaced, ignore_index=True) if replaced else panel.iloc[:0], summary
