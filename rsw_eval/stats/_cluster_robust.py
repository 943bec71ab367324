"""OLS group difference with cluster-robust (CR1) SEs and a wild cluster bootstrap for few clusters."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
from scipy import stats

from rsw_eval.stats._checks import check_choice, check_confidence, group_indicator
from rsw_eval.stats._result import StatResult

__all__ = ["cluster_robust_diff"]

#: Clusters below which the wild cluster bootstrap is used for the p-value and CI.
FEW_CLUSTERS = 30
_WEBB = np.array([-np.sqrt(1.5), -1.0, -np.sqrt(0.5), np.sqrt(0.5), 1.0, np.sqrt(1.5)])


def _cr1(x: np.ndarray, resid: np.ndarray, onehot: np.ndarray, xtx_inv: np.ndarray) -> np.ndarray:
    """CR1 standard error of the slope for every column of ``resid`` (n x B); ``onehot`` is n x G."""
    n, k = x.shape
    n_clusters = onehot.shape[1]
    a = x @ xtx_inv[1]  # each row's weight in the slope's influence
    scores = onehot.T @ (a[:, None] * resid)  # G x B cluster sums
    factor = n_clusters / (n_clusters - 1) * (n - 1) / (n - k)
    return np.sqrt(factor * np.sum(scores**2, axis=0))


def cluster_robust_diff(
    df: pd.DataFrame,
    outcome: str,
    group: str,
    cluster: str,
    *,
    confidence: float = 0.95,
    bootstrap: bool | None = None,
    n_boot: int = 9999,
    weights: str = "rademacher",
    seed: int | None = None,
) -> StatResult:
    """Mean difference by OLS with cluster-robust (CR1) SEs; wild cluster bootstrap for few clusters.

    Parameters
    ----------
    df : DataFrame
        One row per individual (not modified).
    outcome, group, cluster : str
        Outcome column, two-group column (treatment ``"unit"``/True/1) and cluster column.
    confidence : float, default 0.95
        Level of the CI.
    bootstrap : bool, optional
        Use the wild cluster bootstrap for p and CI. Default: when there are fewer than 30 clusters.
    n_boot : int, default 9999
        Bootstrap replicates. With Rademacher weights and :math:`2^G \\le` ``n_boot`` all
        :math:`2^G` sign vectors are enumerated instead (exact, no randomness).
    weights : {"rademacher", "webb"}
        Bootstrap weights: Rademacher (±1) or Webb's six-point distribution (better for G < 12).
    seed : int, optional
        Seed of the bootstrap.

    Returns
    -------
    StatResult
        ``name="mean_difference"``; ``statistic`` is the CR1 t with df = G - 1. With the bootstrap,
        ``p_value`` is the null-imposed wild cluster bootstrap-t p-value (WCR) and the CI the set of
        values not rejected by that test (test inversion, as Stata's ``boottest``); it is unbounded
        (``reason`` says so) when so few clusters exist that no p below 1 - confidence is possible.
        ``details`` keeps the analytic ``p_cr1``, ``ci_low_cr1``, ``ci_high_cr1`` and the ``se``.

    Notes
    -----
    CR1: :math:`V = \\frac{G}{G-1}\\frac{N-1}{N-K}(X'X)^{-1}\\sum_g X_g'u_gu_g'X_g(X'X)^{-1}`, as Stata
    and statsmodels (``cov_type="cluster"``). Bootstrap as Cameron, Gelbach & Miller (2008);
    p-value :math:`\\Pr(|t^*| \\ge |t|)`.

    References
    ----------
    Cameron AC, Gelbach JB, Miller DL (2008). Bootstrap-based improvements for inference with
    clustered errors. *Review of Economics and Statistics* 90:414-427.

    Examples
    --------
    >>> import pandas as pd
    >>> d = pd.DataFrame({"y": [5., 6, 7, 6, 8, 9, 2, 3, 4, 3, 4, 5],
    ...                   "g": [1] * 6 + [0] * 6, "team": list("aaabbbcccddd")})
    >>> r = cluster_robust_diff(d, "y", "g", "team", seed=1)
    >>> round(r.estimate, 4), r.details["n_clusters"], r.details["enumerated"]
    (3.3333, 4, True)
    """
    func = "cluster_robust_diff"
    confidence = check_confidence(confidence, func)
    check_choice(weights, "weights", ("rademacher", "webb"), func)
    missing = [c for c in (outcome, group, cluster) if c not in df.columns]
    if missing:
        raise ValueError(f"{func}: columns not found: {missing}. Available: {list(df.columns)}.")
    y = pd.to_numeric(df[outcome], errors="coerce").to_numpy(dtype=float)
    g = group_indicator(df[group], func)
    cl = df[cluster].astype(object)
    keep = ~np.isnan(y) & ~np.isnan(g) & cl.notna().to_numpy()
    dropped = int((~keep).sum())
    y, g = y[keep], g[keep]
    codes, labels = pd.factorize(cl[keep])
    n_clusters = len(labels)
    onehot = np.zeros((codes.size, max(n_clusters, 1)))
    onehot[np.arange(codes.size), codes] = 1.0
    n1, n2 = int(g.sum()), int((1 - g).sum())
    base = dict(ci_level=confidence, n1=n1, n2=n2, n_dropped=dropped, test="CR1 t")
    if n_clusters < 2 or n1 == 0 or n2 == 0:
        return StatResult.invalid("mean_difference", "needs both groups and at least two clusters", **base)
    x = np.column_stack([np.ones_like(g), g])
    xtx_inv = np.linalg.inv(x.T @ x)
    beta = xtx_inv @ x.T @ y
    resid = y - x @ beta
    se = float(_cr1(x, resid[:, None], onehot, xtx_inv)[0])
    df_t = n_clusters - 1
    t = beta[1] / se
    q = stats.t.ppf(0.5 + confidence / 2, df_t)
    p_cr1 = float(2 * stats.t.sf(abs(t), df_t))
    details = {
        "se": se,
        "n_clusters": n_clusters,
        "p_cr1": p_cr1,
        "ci_low_cr1": float(beta[1] - q * se),
        "ci_high_cr1": float(beta[1] + q * se),
        "enumerated": False,
    }
    use_boot = n_clusters < FEW_CLUSTERS if bootstrap is None else bool(bootstrap)
    method = f"OLS; CR1 cluster-robust SE, {n_clusters} clusters, t with G - 1 df"
    if not use_boot:
        return StatResult(
            "mean_difference",
            float(beta[1]),
            details["ci_low_cr1"],
            details["ci_high_cr1"],
            statistic=float(t),
            df=df_t,
            p_value=p_cr1,
            method=method,
            details=details,
            **base,
        )
    w, enumerated = _weights(n_clusters, n_boot, weights, seed)
    draws = onehot @ w  # n x B: each row gets its cluster's weight
    details["enumerated"] = enumerated

    def p_at(b0: float) -> float:
        """Wild cluster bootstrap p-value of H0: slope = b0 (null imposed, WCR)."""
        y0 = y - b0 * g
        r0 = y0 - y0.mean()
        y_star = (b0 * g + y0.mean())[:, None] + draws * r0[:, None]
        b = xtx_inv @ x.T @ y_star
        se_star = _cr1(x, y_star - x @ b, onehot, xtx_inv)
        with np.errstate(divide="ignore", invalid="ignore"):
            t_star = (b[1] - b0) / se_star
        t_obs = (beta[1] - b0) / se
        return float(np.mean(np.abs(t_star) >= abs(t_obs) * (1 - 1e-12)))

    alpha = 1 - confidence
    p_boot = p_at(0.0)
    lo = _invert(p_at, float(beta[1]), -se, alpha)
    hi = _invert(p_at, float(beta[1]), se, alpha)
    details.update(p_bootstrap=p_boot, n_boot=w.shape[1], weights=weights)
    how = "all sign vectors enumerated" if enumerated else f"{w.shape[1]} draws"
    reason = ""
    if not (np.isfinite(lo) and np.isfinite(hi)):
        reason = (
            f"with {n_clusters} clusters the bootstrap cannot reach p < {alpha:g}: the interval is unbounded"
        )
    return StatResult(
        "mean_difference",
        float(beta[1]),
        lo,
        hi,
        statistic=float(t),
        df=df_t,
        p_value=p_boot,
        reason=reason,
        method=f"{method}; wild cluster bootstrap-t ({weights} weights, {how}), "
        "null imposed; CI by inverting the bootstrap test",
        details=details,
        **{**base, "test": "wild cluster bootstrap-t"},
    )


def _invert(p_at, estimate: float, step: float, alpha: float, iterations: int = 30) -> float:
    """The point beyond ``estimate`` (in the direction of ``step``) where p falls to ``alpha``."""
    inside, outside = estimate, None
    for k in range(1, 14):  # bracket: up to 2^13 SEs away
        candidate = estimate + step * 2.0**k
        if p_at(candidate) <= alpha:
            outside = candidate
            break
        inside = candidate
    if outside is None:
        return float(np.inf * np.sign(step))
    for _ in range(iterations):
        mid = (inside + outside) / 2
        if p_at(mid) > alpha:
            inside = mid
        else:
            outside = mid
    return float((inside + outside) / 2)


def _weights(n_clusters: int, n_boot: int, kind: str, seed) -> tuple[np.ndarray, bool]:
    if kind == "rademacher" and 2**n_clusters <= n_boot:
        signs = np.array(list(itertools.product((-1.0, 1.0), repeat=n_clusters))).T
        return signs, True
    rng = np.random.default_rng(seed)
    if kind == "rademacher":
        return rng.choice([-1.0, 1.0], size=(n_clusters, n_boot)), False
    return rng.choice(_WEBB, size=(n_clusters, n_boot)), False
