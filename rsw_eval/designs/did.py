"""Difference-in-differences on the authority panel, with inference suited to one treated authority.

The core works on arrays (indicators x authorities x years) so that a national screen, every
authority treated in turn against its own comparators, runs without a Python loop per case.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd

from rsw_eval import stats
from rsw_eval.designs._panel import LOG_SCALE, names, outcomes, wide_all
from rsw_eval.designs._rows import make_row

__all__ = ["did", "did_core", "pre_post_change", "pre_trend_slopes"]


def pre_post_change(y: np.ndarray, years: np.ndarray, intervention_year: int) -> np.ndarray:
    """Mean over post years minus mean over pre years, along the last axis (NaNs ignored)."""
    pre, post = years < intervention_year, years >= intervention_year
    with warnings.catch_warnings():  # an authority with no pre or no post values gives NaN
        warnings.simplefilter("ignore", RuntimeWarning)
        return np.nanmean(y[..., post], axis=-1) - np.nanmean(y[..., pre], axis=-1)


def pre_trend_slopes(y: np.ndarray, years: np.ndarray, intervention_year: int) -> np.ndarray:
    """Least-squares slope per year over the pre years, along the last axis; missing years are
    left out of each authority's own fit (NaN when fewer than two remain)."""
    pre = years < intervention_year
    values = y[..., pre]
    w = np.isfinite(values)
    x = np.broadcast_to(years[pre].astype(float), values.shape)
    n = w.sum(axis=-1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        xm = np.where(w, x, 0).sum(axis=-1, keepdims=True) / n
        dx = np.where(w, x - xm, 0.0)
        slope = (dx * np.where(w, values, 0.0)).sum(axis=-1) / (dx**2).sum(axis=-1)
    return np.where(n[..., 0] >= 2, slope, np.nan)


def did_core(
    change: np.ndarray, treated: np.ndarray, comparators: np.ndarray, confidence: float = 0.95
) -> dict[str, np.ndarray]:
    """DiD estimates and placebo inference for many cases at once.

    Parameters
    ----------
    change : ndarray, shape (..., n_authorities)
        Each authority's post-minus-pre change (from :func:`pre_post_change`), for any number of
        leading dimensions (indicators).
    treated : ndarray of int, shape (n_cases,)
        Index of the treated authority of each case.
    comparators : ndarray of int, shape (n_cases, k)
        Indices of its k comparators.
    confidence : float
        Level of the placebo interval.

    Returns
    -------
    dict of ndarray, shape (..., n_cases)
        ``estimate`` (treated change minus the comparators' mean change), ``p_value`` (exact
        placebo p = (1 + #{|placebo| >= |estimate|}) / (k + 1)), ``ci_low``/``ci_high``
        (estimate minus the placebo quantiles, Conley & Taber 2011) and ``placebo_sd``.

    Notes
    -----
    Placebo j treats comparator j as if treated, against the other k - 1 comparators:
    :math:`\\hat\\delta_j = \\Delta_j - (S - \\Delta_j)/(k - 1)`, :math:`S = \\sum_{c} \\Delta_c`.

    Examples
    --------
    >>> change = np.array([-3.0, 0.5, -0.5, 1.0, 0.0])
    >>> r = did_core(change, np.array([0]), np.array([[1, 2, 3, 4]]))
    >>> float(r["estimate"][0]), float(r["p_value"][0])
    (-3.25, 0.2)
    """
    comp = change[..., comparators]  # (..., n_cases, k)
    k = comparators.shape[1]
    total = comp.sum(axis=-1, keepdims=True)
    estimate = change[..., treated] - total[..., 0] / k
    placebo = comp - (total - comp) / (k - 1)
    exceed = (np.abs(placebo) >= np.abs(estimate)[..., None] * (1 - 1e-12)).sum(axis=-1)
    p = (1 + exceed) / (k + 1)
    a = (1 - confidence) / 2
    q_lo, q_hi = np.quantile(placebo, [a, 1 - a], axis=-1)
    return {
        "estimate": estimate,
        "p_value": p,
        "ci_low": estimate - q_hi,
        "ci_high": estimate - q_lo,
        "placebo_sd": placebo.std(axis=-1, ddof=1),
    }


def did(
    panel: pd.DataFrame,
    treated: Sequence[str],
    comparators: Sequence[str],
    intervention_year: int,
    *,
    confidence: float = 0.95,
    seed: int = 0,
) -> list[dict]:
    """Difference-in-differences rows: one per indicator (treated vs the comparators' mean).

    The scale is the log for counts and rates (:data:`LOG_SCALE`; the estimate is then a
    difference in log change, ``100 * (exp(d) - 1)`` percent) and the level otherwise. With one
    treated authority inference is by placebo (each comparator treated in turn); with several, a
    wild cluster bootstrap over authorities on the collapsed pre/post changes (Bertrand, Duflo &
    Mullainathan 2004). A pre-trend check (difference in pre-period slopes, placebo p) is reported
    in ``note``.
    """
    rows: list[dict] = []
    label = names(panel)
    tables = wide_all(panel)
    for indicator in outcomes(panel):
        table = tables[indicator]
        years = np.asarray(table.columns, dtype=int)
        if not ((years < intervention_year).sum() >= 2 and (years >= intervention_year).any()):
            continue
        treated_in = [c for c in treated if c in table.index]
        comp_in = [c for c in comparators if c in table.index]
        if not treated_in or len(comp_in) < 2:
            continue
        codes = [*treated_in, *comp_in]
        y = table.loc[codes].to_numpy(dtype=float)
        log = indicator in LOG_SCALE and np.all(y[np.isfinite(y)] > 0)
        if log:
            y = np.log(y)
        change = pre_post_change(y, years, intervention_year)
        ok = np.isfinite(change)
        scale = "log" if log else "level"
        base = dict(
            outcome=indicator,
            family="admin",
            design="did",
            scale=scale,
            measure="percent_change" if log else "mean",
            treatment=", ".join(label.get(c, c) for c in treated_in),
            comparison=f"{int(ok[len(treated_in) :].sum())} comparators",
            period=f"pre <{intervention_year} vs post >={intervention_year}",
            n_treatment=len(treated_in),
            n_comparison=int(ok[len(treated_in) :].sum()),
            effect_size_name="did_estimate",
        )
        slopes = pre_trend_slopes(y, years, intervention_year)
        if len(treated_in) == 1:
            comp_idx = np.flatnonzero(ok[1:]) + 1
            if comp_idx.size < 2 or not ok[0]:
                continue
            r = did_core(change, np.array([0]), comp_idx[None, :], confidence)
            trend = did_core(slopes, np.array([0]), comp_idx[None, :], confidence)
            est, lo, hi, p = (float(r[k][0]) for k in ("estimate", "ci_low", "ci_high", "p_value"))
            method = (
                f"DiD of pre/post means on the {scale} scale; placebo inference over "
                f"{comp_idx.size} comparators (exact p = rank/(k+1)); CI: estimate minus "
                "placebo quantiles (Conley & Taber 2011)"
            )
            test = "placebo permutation"
            pre_trend = (
                f"pre-trend: slope difference {float(trend['estimate'][0]):.3g} per year "
                f"(placebo p = {float(trend['p_value'][0]):.2f})"
            )
        else:
            frame = pd.DataFrame(
                {"change": change, "treated": [c in treated_in for c in codes], "authority": codes}
            )[ok]
            res = stats.cluster_robust_diff(
                frame, "change", "treated", "authority", confidence=confidence, seed=seed
            )
            est, lo, hi, p = res.estimate, res.ci_low, res.ci_high, res.p_value
            method, test = "DiD on collapsed pre/post changes; " + res.method, res.test
            diff = (
                slopes[[c in treated_in for c in codes]].mean()
                - slopes[[c not in treated_in for c in codes]].mean()
            )
            pre_trend = f"pre-trend: slope difference {diff:.3g} per year"
        treated_vals = table.loc[treated_in].to_numpy(dtype=float)
        comp_vals = table.loc[comp_in].to_numpy(dtype=float)
        post = years >= intervention_year
        effect = 100 * (np.exp(est) - 1) if log else est
        lo_e, hi_e = (100 * (np.exp(lo) - 1), 100 * (np.exp(hi) - 1)) if log else (lo, hi)
        rows.append(
            make_row(
                **base,
                value_treatment=np.nanmean(treated_vals[:, post]),
                value_comparison=np.nanmean(comp_vals[:, post]),
                difference=est,
                effect_size=effect,
                ci_low=lo_e,
                ci_high=hi_e,
                test=test,
                p_value=p,
                method=method,
                note=("estimate in percent (log scale); " if log else "")
                + pre_trend
                + ("; with few comparators the placebo interval is coarse" if len(comp_in) < 20 else ""),
            )
        )
    return rows
