"""Intraclass correlation and design effect for clustered samples."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from rsw_eval.stats._checks import check_confidence
from rsw_eval.stats._result import StatResult

__all__ = ["icc_design_effect", "kish_cluster_size"]


def kish_cluster_size(sizes) -> float:
    """Size-weighted mean cluster size :math:`\\sum n_j^2 / N`, which makes the design effect exact
    for unequal clusters: :math:`1 + (\\sum n_j^2/N - 1)\\rho` (Kish 1965; Eldridge et al. 2006)."""
    sizes = np.asarray(sizes, float)
    return float(np.sum(sizes**2) / np.sum(sizes))


def icc_design_effect(values, clusters, *, confidence: float = 0.95) -> StatResult:
    """One-way ANOVA intraclass correlation ICC(1) with its CI, and the design effect.

    Parameters
    ----------
    values : array-like
        Outcome per individual.
    clusters : array-like
        Cluster label per individual (unit, team, authority). Rows with a missing value or
        label are dropped and counted.
    confidence : float, default 0.95
        Level of the CI.

    Returns
    -------
    StatResult
        ``name="icc"``; ``statistic`` is the ANOVA F with ``df`` = (k - 1) (``details`` has both
        df), ``details`` also has ``design_effect`` with its CI limits, ``n0``, ``kish_size``,
        ``n_clusters`` and ``effective_n``.

    Notes
    -----
    :math:`\\rho = (MSB - MSW)/(MSB + (n_0 - 1)MSW)` with
    :math:`n_0 = (N - \\sum n_j^2/N)/(k - 1)` for unequal clusters. CI from
    :math:`F_L = F/F_{1-\\alpha/2}(k-1, N-k)` and :math:`F_U = F\\,F_{1-\\alpha/2}(N-k, k-1)`:
    :math:`\\rho_{L,U} = (F_{L,U} - 1)/(F_{L,U} + n_0 - 1)` (Shrout & Fleiss 1979; exact for
    balanced data). Design effect :math:`1 + (\\sum n_j^2/N - 1)\\rho`; a negative ICC is kept as
    estimated (not truncated) and the design effect then is below 1.

    Examples
    --------
    >>> sf = [9, 6, 8, 7, 10, 6, 2, 1, 4, 1, 5, 2, 5, 3, 6, 2, 6, 4, 8, 2, 8, 6, 9, 7]
    >>> targets = list(range(6)) * 4   # Shrout & Fleiss (1979): 6 targets x 4 judges
    >>> r = icc_design_effect(sf, targets)
    >>> round(r.estimate, 2), round(r.ci_low, 2), round(r.ci_high, 2)
    (0.17, -0.13, 0.72)
    """
    func = "icc_design_effect"
    confidence = check_confidence(confidence, func)
    frame = pd.DataFrame(
        {"y": np.asarray(values, dtype=float), "c": pd.Series(np.asarray(clusters, dtype=object)).to_numpy()}
    )
    keep = frame["y"].notna() & frame["c"].notna()
    dropped = int((~keep).sum())
    frame = frame[keep]
    grouped = frame.groupby("c", sort=False)["y"]
    sizes = grouped.size().to_numpy(dtype=float)
    k, n = sizes.size, sizes.sum()
    if k < 2 or n - k < 1:
        raise ValueError(
            f"{func} needs at least two clusters and more individuals than clusters. "
            f"Got {k} clusters and {int(n)} individuals."
        )
    means = grouped.mean().to_numpy()
    grand = frame["y"].mean()
    msb = np.sum(sizes * (means - grand) ** 2) / (k - 1)
    msw = np.sum((frame["y"] - grouped.transform("mean")) ** 2) / (n - k)
    if msw == 0:
        return StatResult.invalid(
            "icc", "no variation within clusters", n1=n, n_dropped=dropped, ci_level=confidence
        )
    n0 = (n - np.sum(sizes**2) / n) / (k - 1)
    f = msb / msw
    a = (1 - confidence) / 2
    f_lo = f / stats.f.ppf(1 - a, k - 1, n - k)
    f_hi = f * stats.f.ppf(1 - a, n - k, k - 1)
    icc = (msb - msw) / (msb + (n0 - 1) * msw)
    lo, hi = (f_lo - 1) / (f_lo + n0 - 1), (f_hi - 1) / (f_hi + n0 - 1)
    m = kish_cluster_size(sizes)
    deff = 1 + (m - 1) * icc
    return StatResult(
        "icc",
        float(icc),
        float(lo),
        float(hi),
        confidence,
        float(f),
        float(k - 1),
        float(stats.f.sf(f, k - 1, n - k)),
        test="one-way ANOVA F",
        method="ICC(1) from one-way random-effects ANOVA, n0 for unequal clusters; "
        "F-based CI (Shrout & Fleiss 1979); design effect 1 + (sum n^2/N - 1) ICC",
        n1=n,
        n_dropped=dropped,
        details={
            "design_effect": float(deff),
            "design_effect_ci_low": 1 + (m - 1) * lo,
            "design_effect_ci_high": 1 + (m - 1) * hi,
            "n0": float(n0),
            "kish_size": m,
            "n_clusters": int(k),
            "effective_n": float(n / deff),
            "df1": int(k - 1),
            "df2": int(n - k),
            "msb": float(msb),
            "msw": float(msw),
        },
    )
