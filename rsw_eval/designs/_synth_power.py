"""What the synthetic control's placebo-in-space test could detect (the ``mde_*`` and ``power*``
columns of its primary row).

The test ranks the treated authority's post/pre RMSPE ratio among the donors' (ADH 2010). Each
donor in turn plays the treated one against the other donors' ratios, as in the DiD's placebo
resampling (:mod:`rsw_eval.designs._power`): an effect :math:`q` added to its post-period moves its
post-period RMSPE from :math:`P` to :math:`\\sqrt{P^2 + 2qe + q^2}` (``e`` its mean post-period
gap), so the smallest fall and rise that lift its ratio above the rejection rank among the other
donors' ratios have a closed form. In units of the donor's own pre-period RMSPE and multiplied by
the treated authority's, these thresholds give the power curve for *this* authority's fit. The
other donors' fits are kept as they are (an effect on one donor would also move the placebos it
is a donor of), so the figure is approximate.
"""

from __future__ import annotations

import math

import numpy as np

from rsw_eval.designs._power import POWER, RANGE_LEVEL, floor_text
from rsw_eval.inference import mde_from_thresholds, mde_range, power_from_thresholds

__all__ = ["synth_power_columns"]

#: The level the placebo p-value is read at.
ALPHA = 0.05


def synth_thresholds(pre: np.ndarray, ratio: np.ndarray, estimate: np.ndarray, alpha: float = ALPHA):
    """Each donor's fall and rise thresholds (in its own pre-period RMSPE) and the level they hold.

    Examples
    --------
    >>> pre, ratio, est = np.ones(20), np.linspace(0.5, 2.0, 20), np.zeros(20)
    >>> t, level = synth_thresholds(pre, ratio, est)
    >>> t.shape, round(level, 3), bool((t >= 0).all())
    ((40,), 0.05, True)
    """
    k = ratio.size
    c = max(1, int(round(alpha * k)))  # each pseudo experiment has k - 1 placebos: rank c of k
    post = ratio * pre
    fall, rise = np.full(k, np.nan), np.full(k, np.nan)
    for j in range(k):
        others = np.sort(np.delete(ratio, j))[::-1]
        if others.size < c:
            continue
        crit = others[c - 1]  # the pseudo ratio must exceed the c-th largest of the others
        d = estimate[j] ** 2 - post[j] ** 2 + (crit * pre[j]) ** 2
        if d < 0:  # above the rank whatever the effect
            fall[j] = rise[j] = 0.0
            continue
        root = math.sqrt(d)
        fall[j], rise[j] = max(0.0, estimate[j] + root), max(0.0, root - estimate[j])
    scaled = np.concatenate([fall, rise]) / np.tile(pre, 2)
    return scaled, c / k


def synth_power_columns(r: dict, effect: float | None = None, n_pre: int = 0, exact: float = 0.0) -> dict:
    """The ``mde_*`` and ``power*`` columns of a synthetic-control row from its placebo fits.

    Parameters
    ----------
    r : dict
        :func:`rsw_eval.designs._synth_core.synth_core` output with placebos (``pre_rmspe``,
        ``placebo_pre_rmspe``, ``placebo_ratio``, ``placebo_estimate``).
    effect : float, optional
        The effect (indicator units) at which to give the power.
    n_pre : int
        Pre-period years: the treated authority's pre-period RMSPE, which scales the MDE, is an
        estimate from that many gaps, and the range allows for it (as a standard error on
        ``n_pre`` degrees of freedom: the fit's own parameters make it, if anything, wider).
    exact : float
        A donor pre-period RMSPE at or below this is an exact fit (the solver's tolerance on the
        data's scale): with any such donor no MDE is stated, and ``mde_note`` says why.

    Returns
    -------
    dict
        ``mde_low``, ``mde_high``, ``mde_alpha``, the range ``mde_low_min`` .. ``mde_high_max``,
        ``mde_units``, ``power``, ``power_effect`` and ``mde_note``; empty without placebos.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> r = {"pre_rmspe": 1.0, "placebo_pre_rmspe": np.ones(30),
    ...      "placebo_ratio": np.abs(rng.normal(1, 0.3, 30)), "placebo_estimate": rng.normal(0, 0.3, 30)}
    >>> out = synth_power_columns(r, effect=-2.0)
    >>> out["mde_low"] < 0 < out["mde_high"], out["mde_units"]
    (True, 30.0)
    """
    pre = np.asarray(r.get("placebo_pre_rmspe", []), dtype=float)
    if pre.size < 2 or not np.all(pre > 0):
        return {}
    n_exact = int(np.sum(pre <= exact))
    if n_exact:
        return {
            "mde_units": float(pre.size),
            "mde_note": f"no MDE: {n_exact} of {pre.size} donors fit the others exactly before the change "
            "(more donors than the pre-period years can tell apart), so their post/pre RMSPE ratios "
            "are unbounded and each placebo's rank depends on the others' fits: the placebo "
            "resampling cannot say what this test detects (fewer donors, e.g. the comparators, or "
            "more pre-period years would let it)",
        }
    t, level = synth_thresholds(
        pre, np.asarray(r["placebo_ratio"], float), np.asarray(r["placebo_estimate"], float)
    )
    units = np.tile(np.arange(pre.size), 2)
    keep = ~np.isnan(t)
    t, units, own = t[keep], units[keep], float(r["pre_rmspe"])
    m = mde_from_thresholds(t, POWER) * own
    df = float(n_pre) if n_pre > 0 else math.inf
    m1, m2 = (x * own for x in mde_range(t, units, POWER, df=df, level=RANGE_LEVEL))
    out = {
        "mde_alpha": level,
        "mde_low": -m,
        "mde_high": m,
        "mde_low_min": -m2,
        "mde_low_max": -m1,
        "mde_high_min": m1,
        "mde_high_max": m2,
        "mde_units": float(pre.size),
        "power": math.nan,
        "power_effect": math.nan,
    }
    if effect is not None and math.isfinite(effect) and own > 0:
        out["power"] = power_from_thresholds(t, effect / own)
        out["power_effect"] = effect
    if math.isnan(m):
        note = f"no MDE: {pre.size} donors are too few to state {POWER:.0%} power"
    else:
        note = (
            f"{POWER:.0%} power at {level:.1%} by placebo resampling on this panel: each of "
            f"{pre.size} donors in turn as the treated one, its post/pre RMSPE ratio ranked among "
            "the other donors' (their fits kept as they are: approximate), scaled to this "
            "authority's pre-period fit; "
            f"an estimate from {pre.size} placebo authorities: {RANGE_LEVEL:.0%} range "
            f"{-m1:.3g} to {-m2:.3g} (fall) by resampling them and the treated authority's "
            f"pre-period fit over {n_pre} years"
        )
    return out | {"mde_note": "; ".join(x for x in (note, floor_text(pre.size)) if x)}
