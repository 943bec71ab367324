"""Vectorised nonparametric bootstrap confidence intervals (percentile and BCa)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from scipy import stats

from rsw_eval.stats._checks import check_choice, check_confidence, sample
from rsw_eval.stats._result import StatResult

__all__ = ["bootstrap_ci"]

#: Most array elements materialised at once while resampling (about 32 MB of float64).
_BATCH_ELEMENTS = 1 << 22


def bootstrap_ci(
    statistic: Callable[..., np.ndarray],
    *arrays,
    n_resamples: int = 9999,
    method: str = "bca",
    confidence: float = 0.95,
    seed: int | np.random.Generator | None = None,
) -> StatResult:
    """Bootstrap confidence interval of ``statistic(*arrays)``, each array resampled independently.

    Parameters
    ----------
    statistic : callable
        ``statistic(*samples)`` where each sample has the resamples along axis 0 and observations
        along the last axis; returns one value per resample (shape ``(B,)``). Write it with
        ``axis=-1`` reductions, e.g. ``lambda x, y: x.mean(-1) - y.mean(-1)``.
    *arrays : array-like
        One or more samples (NaNs dropped and counted).
    n_resamples : int, default 9999
        Number of bootstrap resamples B.
    method : {"bca", "percentile"}
        BCa (bias-corrected and accelerated; default) or percentile interval.
    confidence : float, default 0.95
        Level of the interval.
    seed : int or Generator, optional
        Seed for reproducible resamples.

    Returns
    -------
    StatResult
        ``name="bootstrap"``, ``estimate`` = the statistic on the data; ``details`` has the
        bootstrap ``se``, ``bias``, and for BCa ``z0`` and ``acceleration``.

    Notes
    -----
    Resample indices are drawn as an integer matrix (B x n) and the statistic is evaluated on all
    resamples in one call per batch, with no Python loop per resample. The BCa acceleration uses
    the jackknife of each sample, :math:`a = \\sum_i\\sum_j U_{ij}^3/n_i^3 /
    (6[\\sum_i\\sum_j U_{ij}^2/n_i^2]^{3/2})`, :math:`U_{ij} = (n_i-1)(\\bar\\theta_{i\\cdot} -
    \\theta_{(ij)})` (Efron & Tibshirani 1993, ch. 14), as SciPy's ``bootstrap`` does.

    Examples
    --------
    >>> x = [2.1, 3.4, 1.9, 5.6, 4.4, 3.8, 2.7, 4.9, 3.1, 6.2]
    >>> r = bootstrap_ci(lambda s: s.mean(axis=-1), x, n_resamples=2000, seed=1)
    >>> round(r.estimate, 2), round(r.ci_low, 2), round(r.ci_high, 2)
    (3.81, 3.03, 4.7)
    """
    func = "bootstrap_ci"
    confidence = check_confidence(confidence, func)
    check_choice(method, "method", ("bca", "percentile"), func)
    if isinstance(n_resamples, bool) or not isinstance(n_resamples, int) or n_resamples < 100:
        raise ValueError(
            f"The 'n_resamples' parameter of {func} must be an integer >= 100. Got {n_resamples!r} instead."
        )
    if not arrays:
        raise ValueError(f"{func} needs at least one sample array.")
    samples, dropped = [], 0
    for i, a in enumerate(arrays):
        arr, d = sample(a, f"arrays[{i}]", func)
        samples.append(arr)
        dropped += d
    rng = np.random.default_rng(seed)
    theta = float(np.asarray(statistic(*(s[None, :] for s in samples))).reshape(-1)[0])
    boot = _resample(statistic, samples, n_resamples, rng)
    sizes = [s.size for s in samples]
    n1 = sizes[0]
    n2 = sizes[1] if len(sizes) > 1 else np.nan
    finite = boot[np.isfinite(boot)]
    details = {
        "se": float(np.std(finite, ddof=1)) if finite.size > 1 else np.nan,
        "bias": float(np.mean(finite) - theta) if finite.size else np.nan,
        "n_resamples": n_resamples,
        "n_nonfinite": int(boot.size - finite.size),
    }
    if finite.size < 0.99 * n_resamples or np.ptp(finite) == 0:
        return StatResult.invalid(
            "bootstrap",
            "the bootstrap distribution is degenerate (constant or mostly non-finite)",
            estimate=theta,
            ci_level=confidence,
            n1=n1,
            n2=n2,
            n_dropped=dropped,
            details=details,
        )
    alpha = (1 - confidence) / 2
    probs = np.array([alpha, 1 - alpha])
    label = "percentile"
    if method == "bca":
        z0 = stats.norm.ppf((np.sum(finite < theta) + 0.5 * np.sum(finite == theta)) / finite.size)
        a = _acceleration(statistic, samples)
        z = stats.norm.ppf(probs)
        probs = stats.norm.cdf(z0 + (z0 + z) / (1 - a * (z0 + z)))
        details.update(z0=float(z0), acceleration=float(a))
        label = "BCa"
    lo, hi = np.quantile(finite, probs)
    return StatResult(
        "bootstrap",
        theta,
        float(lo),
        float(hi),
        confidence,
        test="",
        method=f"{label} bootstrap CI, {n_resamples} resamples",
        n1=n1,
        n2=n2,
        n_dropped=dropped,
        details=details,
    )


def _resample(statistic, samples: list[np.ndarray], n_resamples: int, rng: np.random.Generator) -> np.ndarray:
    per_resample = sum(s.size for s in samples)
    batch = max(1, _BATCH_ELEMENTS // per_resample)
    out = np.empty(n_resamples)
    for start in range(0, n_resamples, batch):
        b = min(batch, n_resamples - start)
        draws = [s[rng.integers(0, s.size, size=(b, s.size))] for s in samples]
        out[start : start + b] = np.asarray(statistic(*draws), float).reshape(b)
    return out


def _acceleration(statistic, samples: list[np.ndarray]) -> float:
    num = den = 0.0
    for i, s in enumerate(samples):
        n = s.size
        keep = ~np.eye(n, dtype=bool)
        loo = np.broadcast_to(s, (n, n))[keep].reshape(n, n - 1)  # row j leaves out s[j]
        others = [np.broadcast_to(o, (n, o.size)) for o in samples]
        others[i] = loo
        jack = np.asarray(statistic(*others), float).reshape(n)
        u = (n - 1) * (jack.mean() - jack)
        num += np.sum(u**3) / n**3
        den += np.sum(u**2) / n**2
    return float(num / (6 * den**1.5)) if den > 0 else 0.0
