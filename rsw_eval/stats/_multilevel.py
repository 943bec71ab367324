"""Random-intercept models for workers nested in units nested in authorities."""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats

from rsw_eval.stats._checks import check_confidence, group_indicator, z_crit
from rsw_eval.stats._icc import kish_cluster_size
from rsw_eval.stats._result import StatResult

__all__ = ["hedges2007_variance", "mixed_effect"]


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
    """Group difference adjusted for clustering by a random-intercept model (statsmodels MixedLM).

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
        Level of the Wald CI.

    Returns
    -------
    StatResult
        ``name="mixed_difference"``: the treatment coefficient (REML) with Wald z CI and p.
        ``details``: ``variance_<cluster>`` per level and ``variance_residual``, ``icc_<cluster>``
        per level and ``icc_total``, ``design_effect`` (1 + (sum n^2/N - 1) icc_total over the
        innermost clusters), ``d_t`` (difference / total SD) with ``d_t_se``, ``d_t_ci_low``,
        ``d_t_ci_high`` (Hedges 2007, eq. 16, with the size-weighted mean cluster size),
        ``n_clusters_<cluster>``, ``converged`` and ``warnings``. A fit that fails returns an
        invalid result with the reason instead of raising, so a batch can go on.

    Notes
    -----
    Model: :math:`y_{ijk} = \\beta_0 + \\beta_1 T_{k} + u_k + v_{jk} + e_{ijk}`. With a single
    treated authority the model and place are confounded: the coefficient compares places, not
    models; the engine says so in its notes.

    References
    ----------
    Hedges LV (2007). Effect sizes in cluster-randomized designs. *Journal of Educational and
    Behavioral Statistics* 32:341-370.

    Examples
    --------
    >>> import pandas as pd
    >>> d = pd.DataFrame({"y": [5., 6, 7, 6, 8, 9, 2, 3, 4, 3, 4, 5],
    ...                   "g": ["unit"] * 6 + ["conventional"] * 6,
    ...                   "team": ["a"] * 3 + ["b"] * 3 + ["c"] * 3 + ["d"] * 3})
    >>> r = mixed_effect(d, "y", "g", ["team"])
    >>> round(r.estimate, 4), r.details["n_clusters_team"]
    (3.3333, 4)
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
    data = pd.DataFrame(
        {
            "y": pd.to_numeric(df[outcome], errors="coerce").astype(float),
            "t": group_indicator(df[group], func),
        }
    )
    for i, c in enumerate(clusters):
        data[f"c{i}"] = df[c].astype(object).to_numpy()
    keep = data.notna().all(axis=1)
    dropped = int((~keep).sum())
    data = data[keep].reset_index(drop=True)
    if len(clusters) == 2:  # make inner labels unique within outer clusters
        data["c1"] = data["c0"].astype(str) + "/" + data["c1"].astype(str)
    n1, n2 = int(data["t"].sum()), int((1 - data["t"]).sum())
    counts = {c: int(data[f"c{i}"].nunique()) for i, c in enumerate(clusters)}
    base = dict(ci_level=confidence, n1=n1, n2=n2, n_dropped=dropped, test="Wald z")
    if n1 < 2 or n2 < 2 or counts[clusters[-1]] < 3:
        return StatResult.invalid(
            "mixed_difference", "too few individuals or clusters for a random-intercept model", **base
        )
    model = _model(data, nested=len(clusters) == 2)
    fit, caught = _best_fit(model)
    if fit is None:
        return StatResult.invalid(
            "mixed_difference", "the mixed model could not be fitted (" + "; ".join(caught) + ")", **base
        )
    beta, se = float(fit.fe_params[1]), float(fit.bse_fe[1])
    variances = {clusters[0]: float(np.asarray(fit.cov_re)[0, 0])}
    if len(clusters) == 2:
        variances[clusters[1]] = float(fit.vcomp[0])
    resid = float(fit.scale)
    total = sum(variances.values()) + resid
    z = z_crit(confidence)
    icc_total = sum(variances.values()) / total
    inner_sizes = data.groupby(f"c{len(clusters) - 1}").size().to_numpy()
    m = kish_cluster_size(inner_sizes)
    d_t = beta / np.sqrt(total)
    d_se = np.sqrt(hedges2007_variance(d_t, n1, n2, m, icc_total))
    converged = bool(fit.converged)
    details = {f"variance_{c}": v for c, v in variances.items()}
    details.update(
        {
            "variance_residual": resid,
            "icc_total": icc_total,
            **{f"icc_{c}": v / total for c, v in variances.items()},
            **{f"n_clusters_{c}": k for c, k in counts.items()},
            "design_effect": 1 + (m - 1) * icc_total,
            "d_t": float(d_t),
            "d_t_se": float(d_se),
            "d_t_ci_low": float(d_t - z * d_se),
            "d_t_ci_high": float(d_t + z * d_se),
            "converged": converged,
            "warnings": "; ".join(caught),
        }
    )
    nesting = " within ".join(reversed(clusters))
    stat = beta / se
    return StatResult(
        "mixed_difference",
        beta,
        beta - z * se,
        beta + z * se,
        confidence,
        stat,
        np.nan,
        float(2 * stats.norm.sf(abs(stat))),
        method=f"linear mixed model (REML), random intercepts for {nesting}; Wald CI"
        + ("" if converged else "; WARNING: did not converge"),
        details=details,
        **{k: v for k, v in base.items() if k != "ci_level"},
    )


def _model(data: pd.DataFrame, *, nested: bool):
    """MixedLM built from arrays (no formula parsing): random intercepts for ``c0`` and, when
    ``nested``, a variance component for the ``c1`` clusters within each ``c0``."""
    from statsmodels.regression.mixed_linear_model import MixedLM, VCSpec

    data = data.assign(c0=data["c0"].astype(str))
    data = data.sort_values(["c0", "c1"] if nested else ["c0"], kind="stable").reset_index(drop=True)
    exog = np.column_stack([np.ones(len(data)), data["t"].to_numpy(dtype=float)])
    exog_vc = None
    if nested:  # one indicator matrix of the inner clusters per outer cluster, outer sorted
        mats, colnames = [], []
        for _, rows in data.groupby("c0", sort=True)["c1"]:
            codes, labels = pd.factorize(rows)
            mats.append(np.eye(len(labels))[codes])
            colnames.append([str(v) for v in labels])
        exog_vc = VCSpec(["inner"], [colnames], [mats])
    return MixedLM(
        data["y"].to_numpy(dtype=float),
        exog,
        groups=data["c0"].to_numpy(),
        exog_re=np.ones((len(data), 1)),
        exog_vc=exog_vc,
    )


#: Optimisers tried in turn. statsmodels' gradient methods often stop early on random-intercept
#: REML surfaces (a variance of exactly 0 with an absurd SE was seen on the sample data), while
#: the derivative-free Powell and Nelder-Mead reach the maximum: Powell is used, and Nelder-Mead
#: only when Powell does not converge.
OPTIMISERS = ("powell", "nm")


def _best_fit(model) -> tuple[object | None, list[str]]:
    messages: list[str] = []
    for method in OPTIMISERS:
        try:
            with warnings.catch_warnings(record=True) as seen:
                warnings.simplefilter("always")
                fit = model.fit(reml=True, method=[method])
        except (np.linalg.LinAlgError, ValueError) as exc:
            messages.append(f"{method}: {exc}")
            continue
        if fit.converged and np.all(np.isfinite(fit.bse_fe)):
            return fit, []
        messages.extend(str(w.message).split("\n")[0] for w in seen)
    return None, sorted(set(messages))
