"""Random-intercept models for workers nested in units nested in authorities."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats

from rsw_eval.stats._checks import check_confidence, group_indicator
from rsw_eval.stats._icc import kish_cluster_size
from rsw_eval.stats._mixed_fit import fit_nested, one_blas_thread, satterthwaite_df, summarise
from rsw_eval.stats._result import StatResult

__all__ = ["hedges2007_variance", "mixed_effect"]

#: Clusters (at the level where the treatment varies) needed in each group for a p-value and CI.
MIN_CLUSTERS_PER_ARM = 3


def hedges2007_variance(d_t: float, n_t: float, n_c: float, cluster_size: float, icc: float) -> float:
    """Sampling variance of the total-variance standardised effect d_T (Hedges 2007, eq. 16).

    Examples
    --------
    >>> round(hedges2007_variance(0.5, 100, 100, 10, 0.1), 6)
    0.038678
    """
    n = n_t + n_c
    m, rho = cluster_size, icc
    first = n / (n_t * n_c) * (1 + (m - 1) * rho)
    num = (n - 2) * (1 - rho) ** 2 + m * (n - 2 * m) * rho**2 + 2 * (n - 2 * m) * rho * (1 - rho)
    den = 2 * (n - 2) * ((n - 2) - 2 * (m - 1) * rho)
    return float(first + d_t**2 * num / den)


def mixed_effect(
    df: pd.DataFrame, outcome: str, group: str, clusters: Sequence[str], *, confidence: float = 0.95
) -> StatResult:
    """Group difference adjusted for clustering by a random-intercept model (REML), Satterthwaite t.

    Parameters
    ----------
    df : DataFrame
        One row per individual (not modified).
    outcome : str
        Numeric outcome column.
    group : str
        Column with two groups (treatment: ``"unit"``, True or 1; see :func:`rate_ratio_glm`).
    clusters : sequence of str
        Cluster columns from outermost to innermost, e.g. ``["authority", "unit"]`` (units nested
        within authorities) or ``["unit"]``. Inner labels need not be unique across outer clusters.
    confidence : float, default 0.95
        Level of the CI.

    Returns
    -------
    StatResult
        ``name="mixed_difference"``: the treatment coefficient (REML) with a t CI and p on
        Satterthwaite df (as R lmerTest), capped at the between-cluster df (clusters - 2) of the
        outermost level at which the treatment varies. When the treatment varies between fewer
        than ``MIN_CLUSTERS_PER_ARM`` (3) such clusters in either group, no p or CI is given: the
        estimate is kept, p and CI are NaN and ``reason`` says why (``details["estimable"]`` is
        False). With one unit-model authority the model effect cannot be separated from that
        authority's own effect; with 2 vs 2 the capped t has size 0.1% instead of 5%
        (validation/sim_survey.py), with 3 vs 3 4.2%.
        ``details``: ``variance_<cluster>`` per level and ``variance_residual``, ``icc_<cluster>``
        per level and ``icc_total``, ``design_effect`` (1 + (sum n^2/N - 1) icc_total over the
        innermost clusters), ``d_t`` (difference / total SD) with ``d_t_se``, ``d_t_ci_low``,
        ``d_t_ci_high`` (Hedges 2007, eq. 16, with the size-weighted mean cluster size),
        ``n_clusters_<cluster>``, ``treated_clusters``, ``comparison_clusters`` (at the level
        the treatment varies), ``df_satterthwaite``, ``se``, ``converged`` and ``warnings``. A fit
        that fails returns an invalid result with the reason instead of raising.

    Notes
    -----
    Model: :math:`y_{ijk} = \\beta_0 + \\beta_1 T_{k} + u_k + v_{jk} + e_{ijk}`, fitted from cluster
    summaries (:mod:`rsw_eval.stats._mixed_fit`: time and memory linear in the rows; the same
    estimates as R lme4 and statsmodels MixedLM). The cap on the df matters when a variance is
    estimated at zero: Satterthwaite then counts the workers, while the treatment contrast has only
    the between-authority df (SAS's containment rule; R pbkrtest's Kenward-Roger df agree).

    References
    ----------
    Hedges LV (2007). Effect sizes in cluster-randomized designs. *Journal of Educational and
    Behavioral Statistics* 32:341-370.
    Kuznetsova A, Brockhoff PB, Christensen RHB (2017). lmerTest package: tests in linear mixed
    effects models. *Journal of Statistical Software* 82(13).

    Examples
    --------
    >>> import pandas as pd
    >>> d = pd.DataFrame({"y": [5., 6, 7, 6, 8, 9, 7, 6, 8, 2, 3, 4, 3, 4, 5, 1, 3, 2],
    ...                   "g": ["unit"] * 9 + ["conventional"] * 9,
    ...                   "team": [t for t in "abcdef" for _ in range(3)]})
    >>> r = mixed_effect(d, "y", "g", ["team"])
    >>> round(r.estimate, 4), r.details["n_clusters_team"], round(r.df, 3)
    (3.8889, 6, 4.0)
    """
    func = "mixed_effect"
    confidence = check_confidence(confidence, func)
    clusters = [clusters] if isinstance(clusters, str) else list(clusters)
    if not clusters or len(clusters) > 2:
        raise ValueError(
            f"The 'clusters' parameter of {func} must name one or two columns "
            f"(outermost first). Got {clusters!r}."
        )
    missing = [c for c in [outcome, group, *clusters] if c not in df.columns]
    if missing:
        raise ValueError(f"{func}: columns not found: {missing}. Available: {list(df.columns)}.")
    try:
        with one_blas_thread():
            return _mixed_effect(df, outcome, group, clusters, confidence)
    except MemoryError:
        return StatResult.invalid(
            "mixed_difference",
            f"not enough memory to fit {len(df):,} rows (the fit needs about "
            f"{len(df) * 64 / 2**20:,.0f} MiB)",
            ci_level=confidence,
        )


def _mixed_effect(df, outcome, group, clusters, confidence) -> StatResult:
    y = pd.to_numeric(df[outcome], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    t = group_indicator(df[group], "mixed_effect")
    labels = [df[c].astype(object).to_numpy() for c in clusters]
    keep = ~np.isnan(y) & ~np.isnan(t)
    for lab in labels:
        keep &= ~pd.isna(lab)
    dropped = int((~keep).sum())
    y, t = y[keep], t[keep]
    outer, _ = pd.factorize(labels[0][keep])
    inner = outer
    if len(clusters) == 2:  # inner labels unique within outer clusters
        within, _ = pd.factorize(labels[1][keep])
        inner, _ = pd.factorize(outer.astype(np.int64) * (int(within.max()) + 1) + within)
    n1, n2 = int(t.sum()), int((1 - t).sum())
    counts = {clusters[0]: int(outer.max()) + 1 if outer.size else 0}
    if len(clusters) == 2:
        counts[clusters[1]] = int(inner.max()) + 1 if inner.size else 0
    base = dict(ci_level=confidence, n1=n1, n2=n2, n_dropped=dropped, test="Satterthwaite t")
    if n1 < 2 or n2 < 2 or counts[clusters[-1]] < 3:
        return StatResult.invalid(
            "mixed_difference", "too few individuals or clusters for a random-intercept model", **base
        )
    x = np.column_stack([np.ones_like(t), t])
    summary = summarise(y, x, inner, outer if len(clusters) == 2 else None)
    try:
        fit = fit_nested(summary, reml=True)
        df_s, var_b = satterthwaite_df(fit, [0.0, 1.0])
    except (np.linalg.LinAlgError, ValueError) as exc:
        return StatResult.invalid("mixed_difference", f"the mixed model could not be fitted ({exc})", **base)
    beta, se = float(fit.beta[1]), float(np.sqrt(var_b))
    level, codes = _treatment_level(t, [outer, inner] if len(clusters) == 2 else [outer], clusters)
    k1 = len(np.unique(codes[t == 1]))
    k0 = len(np.unique(codes[t == 0]))
    df_t = min(df_s, k1 + k0 - 2.0) if level is not None else df_s
    v_outer, v_inner, resid = fit.variances
    variances = {clusters[-1]: v_inner}
    if len(clusters) == 2:
        variances = {clusters[0]: v_outer, clusters[1]: v_inner}
    total = sum(variances.values()) + resid
    icc_total = sum(variances.values()) / total
    m = kish_cluster_size(summary.sizes)
    d_t = beta / np.sqrt(total)
    d_se = float(np.sqrt(hedges2007_variance(d_t, n1, n2, m, icc_total)))
    estimable = min(k1, k0) >= MIN_CLUSTERS_PER_ARM and df_t > 0
    reason = ""
    if not estimable:
        where = level or clusters[-1]
        why = (
            "so its effect cannot be separated from that cluster's own effect"
            if min(k1, k0) < 2
            else f"too few for a t test whose size holds (needs {MIN_CLUSTERS_PER_ARM} per group)"
        )
        reason = (
            f"not estimable as a test: the treatment varies between only {k1} {where} cluster(s) "
            f"with it and {k0} without, {why}; estimate shown, no p-value or interval"
        )
    q = float(stats.t.ppf(0.5 + confidence / 2, df_t)) if estimable else np.nan
    details = {f"variance_{c}": v for c, v in variances.items()}
    details.update(
        {
            "variance_residual": resid,
            "icc_total": icc_total,
            **{f"icc_{c}": v / total for c, v in variances.items()},
            **{f"n_clusters_{c}": k for c, k in counts.items()},
            "treated_clusters": k1,
            "comparison_clusters": k0,
            "estimable": estimable,
            "df_satterthwaite": df_s,
            "se": se,
            "design_effect": 1 + (m - 1) * icc_total,
            "d_t": float(d_t),
            "d_t_se": d_se,
            "d_t_ci_low": float(d_t - q * d_se),
            "d_t_ci_high": float(d_t + q * d_se),
            "converged": fit.converged,
            "warnings": "",
        }
    )
    nesting = " within ".join(reversed(clusters))
    stat = beta / se if estimable else np.nan
    return StatResult(
        "mixed_difference",
        beta,
        beta - q * se,
        beta + q * se,
        confidence,
        stat,
        df_t if estimable else np.nan,
        float(2 * stats.t.sf(abs(stat), df_t)) if estimable else np.nan,
        method=f"linear mixed model (REML), random intercepts for {nesting}; t with Satterthwaite df"
        + (f" (at most {k1 + k0 - 2} between {level} clusters)" if level else ""),
        reason=reason,
        details=details,
        **{k: v for k, v in base.items() if k != "ci_level"},
    )


def _treatment_level(t: np.ndarray, codes: list[np.ndarray], names: list[str]):
    """The outermost cluster level within which the treatment is constant, and its codes
    (``None`` and the innermost codes when it varies within every level)."""
    for code, name in zip(codes, names, strict=True):
        lo = np.bincount(code, weights=t, minlength=int(code.max()) + 1)
        size = np.bincount(code, minlength=int(code.max()) + 1)
        if np.all((lo == 0) | (lo == size)):
            return name, code
    return None, codes[-1]
