"""What a permutation test could detect: power and the minimum detectable effect by placebo resampling.

The row's own test (one treated authority, or several, against placebos: the studentised
permutation test of :func:`rsw_eval.designs._panel.panel_permutation`) is rerun on *pseudo
experiments* made only of authorities without the model: each comparator or donor-pool authority
in turn (or, with several treated, sets of them) plays the treated one against the others, with the
same weights and at the same rejection rank. Each pseudo experiment's interval (test inversion,
:func:`~rsw_eval.inference.invert_permutation`) says at once which effects it would have detected:
an effect of size :math:`q` added to the pseudo-treated authority is detected as a fall when the
interval moved down by :math:`q` lies below 0. Expressed in units of the pseudo-treated statistic's
own standard error, and multiplied by the real treated authority's, these thresholds give the power
curve for *this* authority's noise (a noisier treated authority needs a larger effect).
"""

from __future__ import annotations

import itertools
import math

import numpy as np

from rsw_eval.inference._inversion import invert_permutation
from rsw_eval.inference._randomisation import assignment_weights, pool_weights

__all__ = ["detection_thresholds", "mde_from_thresholds", "mde_range", "power_from_thresholds"]

#: Pseudo-treated sets drawn when several authorities are treated (all of them when fewer exist).
MAX_PSEUDO_SETS = 200


def _worlds(
    n_treated: int, n_comparators: int, n_units: int, seed: int
) -> tuple[np.ndarray, np.ndarray, list]:
    """Pseudo experiments as index arrays into the units (each row: pseudo-treated first, then the
    units in the roles the real test gives them) and the weights shared by all of them."""
    comps = np.arange(n_treated, n_treated + n_comparators)
    pool = np.arange(n_treated + n_comparators, n_units)
    if n_treated == 1 and pool.size:  # each pool authority against the same comparators
        p = pool.size
        others = np.broadcast_to(pool, (p, p))[~np.eye(p, dtype=bool)].reshape(p, p - 1)
        rows = np.column_stack([pool, np.broadcast_to(comps, (p, comps.size)), others])
        n = rows.shape[1]
        return rows, pool_weights(n, 0, range(1, 1 + n_comparators), range(1 + n_comparators, n)), [0]
    if n_comparators - n_treated < 1:
        return np.empty((0, 0), dtype=int), np.empty((0, 0)), []
    sets = list(itertools.combinations(range(n_comparators), n_treated))
    if len(sets) > MAX_PSEUDO_SETS:
        rng = np.random.default_rng(seed)
        sets = [sets[i] for i in np.sort(rng.choice(len(sets), MAX_PSEUDO_SETS, replace=False))]
    rows = [[*(comps[list(s)]), *np.delete(comps, list(s))] for s in sets]
    weights = assignment_weights(n_comparators, range(n_treated), seed=seed)
    return np.asarray(rows, dtype=int), weights, list(range(n_treated))


def detection_thresholds(
    delta,
    scale,
    *,
    n_treated: int,
    n_comparators: int,
    alpha: float,
    seed: int = 0,
) -> dict[str, np.ndarray | float]:
    """Effects each placebo pseudo experiment would detect, in units of the treated statistic's SE.

    Parameters
    ----------
    delta, scale : array_like, shape (n_units,)
        Each authority's estimate and its standard error up to a common factor, ordered as for
        :func:`rsw_eval.designs._panel.panel_permutation`: treated, comparators, then any donor-pool
        authorities (ones for an unstudentised test).
    n_treated, n_comparators : int
        How many of the first units are treated, and comparators.
    alpha : float
        Rejection level of the real test (one minus its interval's exact level, e.g. 1/11 with ten
        comparators): the pseudo experiments reject at the same rank among their placebos.
    seed : int
        For drawing pseudo-treated sets when several authorities are treated.

    Returns
    -------
    dict
        ``thresholds``: for each pseudo experiment, the effect (in SEs) above which a fall is
        detected and, sign-flipped, above which a rise is (two per experiment, so the power curve
        assumes untreated changes are symmetric); ``se``: the real treated statistic's standard
        error (multiply thresholds by it); ``units``: for each threshold, who played the treated
        one (an authority's index; a pseudo-treated set's number when several are treated);
        ``experiments``: how many pseudo experiments;
        ``placebos``: placebos in each.

    Notes
    -----
    With one treated authority and a donor pool, each pool authority is the pseudo-treated one
    against the same comparators, the rest of the pool its placebos; with one treated and no pool,
    each comparator against the mean of the other comparators (Fisher's test over them); with
    several treated, up to :data:`MAX_PSEUDO_SETS` sets of comparators against the rest. The real
    treated authority is never used (its post-period may carry the effect). Each pseudo experiment
    has one placebo fewer than the real test (or a few fewer assignments); it rejects at the rank
    nearest ``alpha`` among its own, so with ten comparators its rejection rank is the real test's
    (the largest of ten instead of eleven; about one point more power, measured in
    ``validation/sim_power.py``).

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> delta = rng.normal(size=41)
    >>> t = detection_thresholds(delta, np.ones(41), n_treated=1, n_comparators=10, alpha=0.05)
    >>> t["experiments"], t["placebos"], t["thresholds"].shape
    (30, 29, (60,))
    """
    delta = np.asarray(delta, dtype=float)
    scale = np.asarray(scale, dtype=float)
    n_units = delta.shape[-1]
    w_obs = np.zeros(n_units)
    w_obs[:n_treated] = 1.0 / n_treated
    w_obs[n_treated : n_treated + n_comparators] = -1.0 / n_comparators
    se = float(np.sqrt((scale**2) @ (w_obs**2)))
    worlds, weights, hit = _worlds(n_treated, n_comparators, n_units, seed)
    empty = {"thresholds": np.empty(0), "units": np.empty(0, int), "se": se, "experiments": 0, "placebos": 0}
    if worlds.size == 0 or weights.shape[0] < 2:
        return empty
    k = weights.shape[0] - 1
    c = max(1, int(round(alpha * (k + 1))))
    d, sc = delta[worlds], scale[worlds]
    treated = np.zeros(weights.shape[1])
    treated[hit] = 1.0
    # einsum, not BLAS: small products, where a multi-threaded BLAS on a busy machine costs 10x
    u = np.einsum("en,mn->em", d, weights)
    v = np.broadcast_to(-(weights @ treated), u.shape)
    s = np.sqrt(np.einsum("en,mn->em", sc**2, weights**2))
    r = invert_permutation(u, v, s, confidence=1 - c / (k + 1))
    s0 = s[:, 0]
    with np.errstate(invalid="ignore", divide="ignore"):
        fall, rise = r["ci_high"] / s0, -r["ci_low"] / s0
    thresholds = np.concatenate([fall, rise])
    # who played the treated one (an authority; a set of them when several are treated): the same
    # authority at another placebo date is the same draw of noise, so it is resampled as one
    who = worlds[:, 0] if n_treated == 1 else np.arange(worlds.shape[0])
    units = np.tile(who, 2)
    kept = ~np.isnan(thresholds)
    return {
        "thresholds": thresholds[kept],
        "units": units[kept],
        "se": se,
        "experiments": int(worlds.shape[0]),
        "placebos": k,
    }


def power_from_thresholds(thresholds, effect_in_se: float) -> float:
    """Share of pseudo experiments that detect an effect of ``effect_in_se`` SEs in its direction.

    Examples
    --------
    >>> power_from_thresholds([1.0, 2.0, 3.0, np.inf], 2.5)
    0.5
    """
    t = np.asarray(thresholds, dtype=float)
    if t.size == 0 or not math.isfinite(effect_in_se):
        return math.nan
    return float(np.mean(t < abs(effect_in_se)))


def mde_from_thresholds(thresholds, power: float = 0.8) -> float:
    """The smallest effect (in SEs) detected in at least ``power`` of the pseudo experiments.

    The order statistic :math:`t_{(r)}` with :math:`r = \\lceil p\\,(n + 1)\\rceil`: its expected
    coverage of the threshold distribution is :math:`r/(n+1) \\ge p` (Weibull plotting position), so
    the power at the stated MDE is ``power`` on average rather than :math:`p - (1-p)/(n+1)` below it
    as the plain empirical quantile would be. NaN when ``r > n`` (too few pseudo experiments);
    infinite when no effect size is detected that often.

    Examples
    --------
    >>> mde_from_thresholds(np.arange(1.0, 21.0), 0.8)   # n = 20: r = ceil(16.8) = 17
    17.0
    >>> mde_from_thresholds([1.0, 2.0], 0.8)
    nan
    """
    t = np.sort(np.asarray(thresholds, dtype=float))
    r = math.ceil(power * (t.size + 1) - 1e-9)
    if t.size == 0 or r > t.size:
        return math.nan
    return float(t[r - 1])


def mde_range(
    thresholds,
    units,
    power: float = 0.8,
    *,
    df: float = math.inf,
    level: float = 0.8,
    reps: int = 400,
    seed: int = 0,
) -> tuple[float, float]:
    r"""How uncertain the MDE is: a bootstrap interval over the placebo authorities it came from.

    The MDE is an order statistic of a few pseudo experiments (ten comparators give ten draws at
    each date), so another panel of the same design would state another one. Resampling the
    pseudo-treated units with replacement (all of one unit's thresholds together: its fall and
    rise, and its placebo dates) and taking :func:`mde_from_thresholds` of each resample gives the
    percentile interval of the MDE at ``level``, expanded for the few units it resamples
    (Hesterberg's expanded percentile interval: the tails at
    :math:`\Phi(-\sqrt{n/(n-1)}\, t_{n-1,(1+l)/2})`). The MDE is then multiplied by the treated
    authority's standard error, itself estimated on ``df`` degrees of freedom: each resample also
    draws it, as :math:`\sqrt{\nu/\chi^2_\nu}` times the estimate (normal residuals).

    Parameters
    ----------
    thresholds, units : array_like
        As returned by :func:`detection_thresholds` (pooled over dates).
    power : float
        The power at which the MDE is stated.
    df : float
        Degrees of freedom of the standard error the thresholds are multiplied by (infinite: known).
    level : float
        Level of the interval (0.8: from the 10th to the 90th percentile of the resampled MDEs).
    reps, seed : int
        Bootstrap resamples and their seed.

    Returns
    -------
    (float, float)
        The smaller and larger MDE, in the thresholds' units (infinite where a resample detects no
        effect that often; NaN when fewer than two units or no MDE can be stated).

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> t = np.abs(rng.normal(2.5, 1.0, size=200))
    >>> lo, hi = mde_range(t, np.repeat(np.arange(20), 10))
    >>> bool(lo < mde_from_thresholds(t) < hi)
    True
    """
    from scipy import special  # lazily: the loaders import this package without SciPy

    t = np.asarray(thresholds, dtype=float)
    ids, inverse = np.unique(np.asarray(units), return_inverse=True)
    if ids.size < 2 or math.isnan(mde_from_thresholds(t, power)):
        return math.nan, math.nan
    rng = np.random.default_rng(seed)
    draws = rng.integers(0, ids.size, size=(reps, ids.size))
    counts = np.zeros((reps, ids.size), dtype=int)
    np.add.at(counts, (np.arange(reps)[:, None], draws), 1)
    mdes = np.array([mde_from_thresholds(np.repeat(t, c[inverse]), power) for c in counts])
    mdes = np.where(np.isnan(mdes), np.inf, mdes)  # too few in a resample: nothing stated that often
    if math.isfinite(df) and df > 0:
        mdes = mdes * np.sqrt(df / rng.chisquare(df, reps))
    # expanded percentile interval (Hesterberg 2015): a plain percentile interval over n units is
    # too narrow by about sqrt((n-1)/n) and a t for a z; with ten placebos it covered 70% of 80%
    n = ids.size
    widened = special.ndtr(-math.sqrt(n / (n - 1)) * special.stdtrit(n - 1, (1 + level) / 2))
    lo, hi = np.quantile(mdes, [widened, 1 - widened], method="inverted_cdf")
    return float(lo), float(hi)
