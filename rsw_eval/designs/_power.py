"""What a row's test could detect: the ``mde_*`` and ``power*`` columns of the panel designs.

The minimum detectable effect (MDE) is the effect the row's own test detects, in its direction, in
:data:`POWER` of placebo pseudo experiments run on the user's own panel
(:func:`rsw_eval.inference.detection_thresholds`), at the level the test really has (one minus its
interval's exact level: 9.1% with ten comparators). ``mde_low``/``mde_high`` are the fall and the
rise on the row's effect scale (percent, ratio or units of the indicator); ``power`` is the share
of pseudo experiments that detect the spec's ``mde_effect`` (a relative change: -0.2 is a fall of
20%), shown on the row's scale in ``power_effect``.

The MDE is estimated from a handful of placebo authorities, so it is uncertain (with ten comparators
the power at the stated MDE ranged from 26% to 98% over panels of one design): ``mde_low_min`` ..
``mde_low_max`` and ``mde_high_min`` .. ``mde_high_max`` are its 80% range from resampling the
placebo authorities (:func:`rsw_eval.inference.mde_range`), ``mde_units`` how many there were.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np

from rsw_eval.designs._panel import unit_contrasts
from rsw_eval.inference import detection_thresholds, mde_from_thresholds, mde_range, power_from_thresholds

__all__ = ["POWER", "floor_text", "placebo_dates", "power_columns", "relative_effect", "treated_df"]

#: Power at which the minimum detectable effect is stated ("four times in five").
POWER = 0.8
#: The conventional level a reader will ask about.
ALPHA = 0.05
#: Placebo adoption dates: up to this many years either side of the real one.
DATE_SHIFT = 2
#: Pseudo experiments at the real date above which placebo dates are not needed (a donor pool).
ENOUGH = 100
#: Level of the MDE's range (``mde_low_min`` .. ``mde_low_max``): from the 10th to the 90th
#: percentile of the MDE over bootstrap resamples of the placebo authorities.
RANGE_LEVEL = 0.8


def placebo_dates(
    y: np.ndarray,
    years: np.ndarray,
    intervention_year: int,
    design: Callable[[np.ndarray, int], np.ndarray],
    column: int,
    *,
    n_treated: int,
    min_pre: int,
    min_post: int,
) -> list[tuple[np.ndarray, np.ndarray]]:
    """Each authority's contrast at placebo adoption dates near the real one, untreated units only.

    Dates up to :data:`DATE_SHIFT` years either side of ``intervention_year`` that leave at least
    ``min_pre`` and ``min_post`` years on each side; the treated rows are set to NaN (their series
    may carry the effect) and the common year means are taken over the untreated authorities.
    The studentised thresholds of these pseudo experiments are pooled with the real date's
    (validation/sim_power.py: the MDE's spread falls by about a sixth, its calibration holds).

    Examples
    --------
    >>> years = np.arange(2004, 2017)
    >>> y = np.random.default_rng(0).normal(size=(5, years.size))
    >>> X = lambda yrs, a: np.column_stack([np.ones(yrs.size), yrs >= a])
    >>> len(placebo_dates(y, years, 2008, X, 1, n_treated=1, min_pre=2, min_post=1))
    4
    """
    out = []
    for shift in range(-DATE_SHIFT, DATE_SHIFT + 1):
        date = intervention_year + shift
        n_pre, n_post = int((years < date).sum()), int((years >= date).sum())
        if shift == 0 or n_pre < min_pre or n_post < min_post:
            continue
        delta, scale = unit_contrasts(y[n_treated:], design(years, date), column)
        pad = np.full(n_treated, np.nan)
        out.append((np.r_[pad, delta], np.r_[pad, scale]))
    return out


def floor_text(k: int) -> str:
    """What a placebo test with k placebos cannot do at 5%, or "" when it can.

    Examples
    --------
    >>> floor_text(10)
    'at the 5% level this design can detect nothing: its smallest possible p is 1/11 = 0.091'
    >>> floor_text(40)
    ''
    """
    if k < 1 or 1 / (k + 1) <= ALPHA:
        return ""
    return (
        f"at the 5% level this design can detect nothing: its smallest possible p is 1/{k + 1} = "
        f"{1 / (k + 1):.3f}"
    )


def relative_effect(relative: float | None, log: bool, base: float) -> float | None:
    r"""A relative change (the spec's ``mde_effect``: -0.2 is a fall of 20%) on a row's analysis
    scale: :math:`\log(1 + r)` on the log scale, else ``r`` times the treated authority's
    pre-period level ``base``.

    Examples
    --------
    >>> round(relative_effect(-0.2, True, 0.0), 4), relative_effect(-0.2, False, 40.0)
    (-0.2231, -8.0)
    """
    if relative is None or relative <= -1 or not math.isfinite(base):
        return None
    return math.log1p(relative) if log else relative * base


def treated_df(y: np.ndarray, n_treated: int, p: int) -> float:
    """Residual degrees of freedom of the treated authorities' own fits: their published years less
    ``p`` design columns each (what their standard errors are estimated on).

    Examples
    --------
    >>> treated_df(np.ones((3, 13)), 1, 2)
    11.0
    """
    return float(np.isfinite(y[:n_treated]).sum() - p * n_treated)


def _keep(a: np.ndarray, n_treated: int) -> np.ndarray:
    """Placebo-date contrasts: the treated rows are NaN; give them a harmless 1 (never used)."""
    out = np.array(a, dtype=float)
    out[:n_treated] = 1.0
    return out


def _on_scale(to_effect: Callable[[float], float], d: float) -> float:
    """An analysis-scale effect on the row's effect scale; infinite (no effect detected that often)
    and NaN (too few pseudo experiments) kept as they are."""
    return float(to_effect(d)) if math.isfinite(d) else d


def _fmt(value: float) -> str:
    return f"{value:.3g}" if math.isfinite(value) else "none"


def _who(n_treated: int, n_comparators: int, n_units: int, experiments: int) -> str:
    pool = n_units - n_treated - n_comparators
    if n_treated == 1 and pool:
        return (
            f"each of {experiments} donor-pool authorities in turn as the treated one against the "
            f"same {n_comparators} comparators"
        )
    if n_treated == 1:
        return (
            f"each of the {n_comparators} comparators in turn as the treated one against the other "
            f"{n_comparators - 1}"
        )
    return f"{experiments} sets of {n_treated} comparators as the treated ones against the rest"


def power_columns(
    delta: np.ndarray,
    scale: np.ndarray,
    *,
    n_treated: int,
    n_comparators: int,
    level: float,
    k: int,
    to_effect: Callable[[float], float],
    effect: float | None = None,
    seed: int = 0,
    df: float = math.inf,
    dates: Sequence[tuple[np.ndarray, np.ndarray]] | Callable[[], list] = (),
) -> dict:
    """The ``mde_*`` and ``power*`` columns of one row tested by a (studentised) permutation test.

    Parameters
    ----------
    delta, scale : ndarray
        The units' estimates and standard errors as the row's test used them (treated, comparators,
        donor pool; see :func:`rsw_eval.designs._panel.panel_permutation`).
    n_treated, n_comparators : int
        As for the test.
    level, k : float, int
        The row's interval level and its number of placebos: the test rejects at ``1 - level``.
    to_effect : callable
        Analysis-scale effect -> the row's effect-size scale (e.g. ``100 (e^d - 1)`` for a log DiD).
    effect : float, optional
        The effect on the analysis scale at which to give the power (from the spec's
        ``mde_effect``).
    seed : int
        For drawing pseudo-treated sets when several authorities are treated.
    df : float
        Residual degrees of freedom of the treated authorities' standard errors (their years less
        the design's columns): the MDE's range allows for that estimate too.
    dates : list of (delta, scale), or a callable returning it
        The same contrasts at placebo adoption dates (:func:`placebo_dates`); their pseudo
        experiments join the real date's when it gives fewer than :data:`ENOUGH` (a callable is
        only called then).

    Returns
    -------
    dict
        ``mde_low``, ``mde_high`` (effect scale; -inf/inf when no effect is detected that often,
        NaN when there are too few pseudo experiments), ``mde_alpha``, ``power``,
        ``power_effect``, the MDE's range ``mde_low_min``, ``mde_low_max``, ``mde_high_min``,
        ``mde_high_max`` and the placebo units it came from ``mde_units``, and ``mde_note`` (how
        it was computed, how uncertain it is, and what the design cannot do).

    Examples
    --------
    >>> rng = np.random.default_rng(1)
    >>> delta = rng.normal(size=151)
    >>> out = power_columns(delta, np.ones(151), n_treated=1, n_comparators=10, level=0.9536,
    ...                     k=140, to_effect=lambda d: d, effect=-3.0)
    >>> round(out["mde_high"], 1) == -round(out["mde_low"], 1), 0.5 < out["power"] <= 1
    (True, True)
    """
    alpha = 1 - level
    kw = dict(n_treated=n_treated, n_comparators=n_comparators, alpha=alpha, seed=seed)
    t = detection_thresholds(delta, scale, **kw)
    wanted = t["experiments"] < ENOUGH
    dates = (dates() if callable(dates) else dates) if wanted else ()
    runs = [t, *(detection_thresholds(_keep(d, n_treated), _keep(s, n_treated), **kw) for d, s in dates)]
    thresholds = np.concatenate([r["thresholds"] for r in runs])
    units = np.concatenate([r["units"] for r in runs])
    m = mde_from_thresholds(thresholds, POWER) * t["se"]
    m1, m2 = (x * t["se"] for x in mde_range(thresholds, units, POWER, df=df, level=RANGE_LEVEL, seed=seed))
    out = {
        "mde_alpha": alpha,
        "mde_low": _on_scale(to_effect, -m),
        "mde_high": _on_scale(to_effect, m),
        "power": math.nan,
        "power_effect": math.nan,
        "mde_low_min": _on_scale(to_effect, -m2),
        "mde_low_max": _on_scale(to_effect, -m1),
        "mde_high_min": _on_scale(to_effect, m1),
        "mde_high_max": _on_scale(to_effect, m2),
        "mde_units": float(np.unique(units).size),
    }
    if effect is not None and math.isfinite(effect):
        out["power"] = power_from_thresholds(thresholds, effect / t["se"])
        out["power_effect"] = to_effect(effect)
    n = sum(r["experiments"] for r in runs)
    how = (
        f"{POWER:.0%} power at the test's own {alpha:.1%} level, by placebo resampling on this "
        f"panel: {_who(n_treated, n_comparators, len(delta), t['experiments'])}"
        + (
            f", at the real adoption date and {len(dates)} placebo dates within {DATE_SHIFT} years"
            if dates
            else ""
        )
        + f" ({2 * n} pseudo experiments with sign flips), scaled to this authority's own noise"
        + (
            f"; an estimate from {out['mde_units']:.0f} placebo "
            f"{'authorities' if n_treated == 1 else 'sets'}: {RANGE_LEVEL:.0%} range "
            f"{_fmt(out['mde_low_max'])} to {_fmt(out['mde_low_min'])} (fall), "
            f"{_fmt(out['mde_high_min'])} to {_fmt(out['mde_high_max'])} (rise) by resampling them"
            if math.isfinite(m)
            else ""
        )
    )
    if math.isnan(m):
        how = f"no MDE: {n} pseudo experiments are too few to state {POWER:.0%} power"
    elif m == math.inf:
        how += f"; no effect size is detected {POWER:.0%} of the time"
    out["mde_note"] = "; ".join(x for x in (how, floor_text(k)) if x)
    return out
