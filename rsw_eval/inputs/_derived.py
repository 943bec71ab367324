"""Derived indicators (``[derived]`` in the spec, parsed by :func:`rsw_eval.spec._derived.parse_derived`):
their values computed on the loaded panel, and checked against values a file publishes."""

from __future__ import annotations

import ast
import warnings
from collections.abc import Mapping

import numpy as np
import pandas as pd

from rsw_eval._errors import RswEvalWarning
from rsw_eval.spec._derived import OPS, Derived

__all__ = ["DerivedWarning", "apply_derived"]


class DerivedWarning(RswEvalWarning):
    """A derived indicator disagrees with the values a file publishes for the same authority-years
    by more than the published rounding (a wrong lag or a different denominator, most often)."""


def _evaluate(node: ast.expr, values: Mapping[str, np.ndarray]) -> np.ndarray:
    if isinstance(node, ast.BinOp):
        return OPS[type(node.op)](_evaluate(node.left, values), _evaluate(node.right, values))
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
    >>> from rsw_eval.spec._derived import parse_derived
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
        # England's and the regions' counts are published rounded (to the nearest 10), their rates
        # from the unrounded counts: only the authorities' rows can check a derivation
        local = ~both["la_code"].astype(str).str.match(r"E(92|12|13)").to_numpy()
        diff = np.where(local, np.abs(both["value"] - both["value_derived"]).to_numpy(dtype=float), np.nan)
        beyond = _check_published(
            d, both["value"].to_numpy(dtype=float)[local], both["value_derived"].to_numpy(dtype=float)[local]
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
