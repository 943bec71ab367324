"""Adjusting p-values for many outcomes: Holm, Benjamini-Hochberg, Bonferroni; within families."""

from __future__ import annotations

import numpy as np
import pandas as pd

from rsw_eval.stats._checks import check_choice

__all__ = ["adjust_pvalues"]

METHODS = ("holm", "bh", "bonferroni", "none")


def _adjust(p: np.ndarray, method: str) -> np.ndarray:
    """Adjusted p-values of one family (NaNs kept as NaN and not counted)."""
    out = np.full(p.shape, np.nan)
    ok = ~np.isnan(p)
    q = p[ok]
    m = q.size
    if m == 0 or method == "none":
        out[ok] = q
        return out
    order = np.argsort(q, kind="stable")
    ranked = q[order]
    if method == "bonferroni":
        adj = np.minimum(1.0, ranked * m)
    elif method == "holm":
        adj = np.minimum(1.0, np.maximum.accumulate(ranked * (m - np.arange(m))))
    else:  # Benjamini-Hochberg step-up
        adj = np.minimum(1.0, np.minimum.accumulate((ranked * m / np.arange(1, m + 1))[::-1])[::-1])
    back = np.empty(m)
    back[order] = adj
    out[ok] = back
    return out


def adjust_pvalues(p, *, method: str = "holm", families=None, hierarchical: bool = False) -> np.ndarray:
    """Adjust p-values for multiple comparisons, optionally within outcome families.

    Parameters
    ----------
    p : array-like
        Raw p-values; NaNs stay NaN and do not count as tests.
    method : {"holm", "bh", "bonferroni", "none"}
        Holm's step-down (default; family-wise error), Benjamini-Hochberg step-up (false discovery
        rate), Bonferroni, or none.
    families : array-like, optional
        A family label per p-value (e.g. worker, parent, admin, cost); each family is adjusted on
        its own. Default: one family.
    hierarchical : bool, default False
        Two stages: adjust within each family; then take each family's smallest adjusted p as the
        family-level test, adjust those across families with the same method, and report for each
        hypothesis the larger of its within-family and its family's across-family adjusted p.

    Returns
    -------
    ndarray
        Adjusted p-values in the input order.

    Notes
    -----
    Holm: :math:`\\tilde p_{(i)} = \\max_{j \\le i} \\min(1, (m - j + 1) p_{(j)})`;
    BH: :math:`\\tilde p_{(i)} = \\min_{j \\ge i} \\min(1, m p_{(j)}/j)`. Both match R ``p.adjust``.
    The hierarchical option is a gatekeeping procedure: a hypothesis counts as rejected only when
    both its family and it are.

    Examples
    --------
    >>> adjust_pvalues([0.01, 0.04, 0.03, 0.005])
    array([0.03, 0.06, 0.06, 0.02])
    >>> adjust_pvalues([0.01, 0.04, 0.03, 0.005], method="bh")
    array([0.02, 0.04, 0.04, 0.02])
    """
    check_choice(method, "method", METHODS, "adjust_pvalues")
    p = np.asarray(p, dtype=float).ravel()
    if np.any((p < 0) | (p > 1)):
        raise ValueError(
            "The 'p' parameter of adjust_pvalues must hold values in [0, 1]. "
            f"Got {p[(p < 0) | (p > 1)][:5].tolist()}."
        )
    if families is None:
        return _adjust(p, method)
    labels = pd.Series(np.asarray(families, dtype=object))
    if len(labels) != p.size:
        raise ValueError(
            f"The 'families' parameter of adjust_pvalues must have one label per "
            f"p-value. Got {len(labels)} labels for {p.size} p-values."
        )
    codes, uniques = pd.factorize(labels, use_na_sentinel=False)
    out = np.empty_like(p)
    for k in range(len(uniques)):
        mask = codes == k
        out[mask] = _adjust(p[mask], method)
    if not hierarchical:
        return out
    family_p = np.array(
        [
            np.nanmin(out[codes == k]) if np.any(~np.isnan(out[codes == k])) else np.nan
            for k in range(len(uniques))
        ]
    )
    family_adj = _adjust(family_p, method)
    return np.fmax(out, family_adj[codes])
