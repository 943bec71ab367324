"""Multiplier bootstrap of influence functions: standard errors and uniform confidence bands."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats as sps

__all__ = ["MultiplierBootstrap", "multiplier_bootstrap", "sup_t_critical_value"]

#: Standard errors at or below this are treated as zero (R did's ``sqrt(.Machine$double.eps) * 10``).
ZERO_SE = float(np.sqrt(np.finfo(float).eps) * 10)


@dataclass(frozen=True)
class MultiplierBootstrap:
    """Result of :func:`multiplier_bootstrap`.

    Attributes
    ----------
    se : ndarray, shape (k,)
        Bootstrap standard errors (NaN where the influence function is degenerate).
    critical_value : float
        Quantile of the maximum studentised deviation: ``estimate +- critical_value * se`` is a
        uniform (simultaneous) band over the k parameters; with k = 1, a pointwise interval.
    reps : int
    """

    se: np.ndarray
    critical_value: float
    reps: int


def multiplier_bootstrap(
    influence: np.ndarray,
    *,
    reps: int = 999,
    confidence: float = 0.95,
    seed: int = 0,
    df: float | None = None,
) -> MultiplierBootstrap:
    """Rademacher multiplier bootstrap of asymptotically linear estimators (Callaway & Sant'Anna 2021).

    Parameters
    ----------
    influence : ndarray, shape (n, k)
        Influence functions of k estimators over n independent units, scaled as R ``did`` scales
        them (the analytic SE is :math:`\\sqrt{\\sum_i \\psi_i^2}/n`).
    reps : int
        Bootstrap draws.
    confidence : float
        Level of the uniform band.
    seed : int
    df : float, optional
        Small-sample band: divide each draw's studentised deviations by an independent
        :math:`\\sqrt{\\chi^2_{df}/df}` (a multivariate t with the bootstrap's correlation), so that
        the band's margins are Student t with ``df`` degrees of freedom (default: normal).

    Returns
    -------
    MultiplierBootstrap

    Notes
    -----
    Draw :math:`v_i = \\pm 1` with probability 1/2; :math:`\\hat\\theta^*_b = n^{-1/2}\\sum_i
    v_i\\psi_i`. The SE is the interquartile range of the draws over that of the standard normal,
    divided by :math:`\\sqrt n` (R ``did``'s ``mboot``); the band's critical value is the
    ``confidence`` quantile of :math:`\\max_j |\\hat\\theta^*_{bj}| / \\hat\\sigma_j`.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> psi = rng.normal(size=(4000, 3))
    >>> boot = multiplier_bootstrap(psi, reps=2000, seed=1)
    >>> analytic = np.sqrt((psi**2).sum(0)) / 4000
    >>> bool(np.allclose(boot.se, analytic, rtol=0.1)), 2.0 < boot.critical_value < 2.6
    (True, True)
    """
    psi = np.asarray(influence, dtype=float)
    if psi.ndim == 1:
        psi = psi[:, None]
    n = psi.shape[0]
    rng = np.random.default_rng(seed)
    draws = np.empty((reps, psi.shape[1]))
    block = max(1, int(2e6 // max(n, 1)))
    for start in range(0, reps, block):
        stop = min(reps, start + block)
        v = rng.integers(0, 2, size=(stop - start, n)) * 2.0 - 1.0
        draws[start:stop] = v @ psi / np.sqrt(n)
    q75, q25 = np.quantile(draws, [0.75, 0.25], axis=0)
    sigma = (q75 - q25) / (sps.norm.ppf(0.75) - sps.norm.ppf(0.25))
    sigma = np.where(sigma <= ZERO_SE, np.nan, sigma)
    ok = np.isfinite(sigma)
    if ok.any():
        t_max = np.max(np.abs(draws[:, ok] / sigma[ok]), axis=1)
        if df is not None:
            t_max = t_max / np.sqrt(rng.chisquare(df, size=reps) / df)
        crit = float(np.quantile(t_max, confidence, method="inverted_cdf"))
    else:
        crit = float("nan")
    return MultiplierBootstrap(sigma / np.sqrt(n), crit, reps)


def sup_t_critical_value(
    influence: np.ndarray,
    *,
    confidence: float = 0.95,
    df: float | None = None,
    draws: int = 20000,
    seed: int = 0,
) -> float:
    """Critical value of a uniform (sup-t) band from the estimators' own correlation.

    The ``confidence`` quantile of :math:`\\max_j |Z_j| / \\sqrt{\\chi^2_{df}/df}` with
    :math:`Z \\sim N(0, R)`, ``R`` the correlation of the influence functions (Montiel Olea &
    Plagborg-Moller 2019, with Student-t margins). Unlike the multiplier bootstrap's, whose draws
    are studentised by a noisy interquartile-range scale, it uses the analytic correlation: the
    staggered event-study band covered 92.1% of 95% with the bootstrap and 94.7% with this on 12
    adopters (validation/sim_donor.py).

    Examples
    --------
    >>> psi = np.random.default_rng(0).normal(size=(500, 1))
    >>> round(sup_t_critical_value(psi, draws=200000), 2)  # one estimator: the normal quantile
    1.96
    """
    psi = np.asarray(influence, dtype=float)
    psi = psi[:, None] if psi.ndim == 1 else psi
    C = psi.T @ psi
    sd = np.sqrt(np.diag(C))
    if psi.shape[1] == 0 or not np.all(sd > 0):
        return float("nan")
    R = C / np.outer(sd, sd)
    vals, vecs = np.linalg.eigh(R)
    root = vecs * np.sqrt(np.clip(vals, 0, None))
    rng = np.random.default_rng(seed)
    t_max = np.abs(rng.standard_normal((draws, R.shape[0])) @ root.T).max(axis=1)
    if df is not None:
        t_max = t_max / np.sqrt(rng.chisquare(df, size=draws) / df)
    return float(np.quantile(t_max, confidence))
