"""The synthetic-control fit on arrays: one treated unit, its placebos in space (each donor treated
in turn against the others) and its leave-one-out refits, as one batch of simplex least-squares
problems (:mod:`rsw_eval.designs._simplex`). :mod:`rsw_eval.designs.synth` builds the rows."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from rsw_eval.designs._simplex import simplex_lstsq
from rsw_eval.inference import rank_p_value

__all__ = ["synth_core"]


def _rmspe(gap: np.ndarray) -> np.ndarray:
    return np.sqrt(np.nanmean(gap**2, axis=-1))


def synth_core(
    y: np.ndarray,
    years: np.ndarray,
    intervention_year: int,
    treated: int,
    donors: Sequence[int],
    *,
    placebo: bool = True,
    leave_one_out: bool = True,
    demean: bool = False,
    ridge: float = 0.0,
) -> dict[str, np.ndarray]:
    """Synthetic-control fit of one unit, its placebos in space and its leave-one-out refits.

    Parameters
    ----------
    y : ndarray, shape (units, years)
        Outcome; complete (no NaN) for the treated unit and the donors.
    years : ndarray of int
    intervention_year : int
        First post-period year.
    treated : int
        Row of the treated unit.
    donors : sequence of int
        Rows of the donor pool.
    placebo, leave_one_out : bool
        Also fit every donor against the others / refit without each donor given weight.
    demean : bool
        Fit each unit's path minus its own pre-period mean (the intercept-shifted synthetic
        control, for a treated path outside the donors' range); the synthetic path is then the
        weighted donors' deviations plus the treated pre-period mean.
    ridge : float
        Ridge penalty of the weights (penalised synthetic control; 0: ADH 2010).

    Returns
    -------
    dict
        ``weights`` (donors,), ``synthetic`` and ``gap`` (years,), ``pre_rmspe``,
        ``post_rmspe``, ``ratio`` (post/pre RMSPE), ``estimate`` (mean post gap), ``gap_certified``
        (duality gap of the fit); with ``placebo``: ``placebo_ratio``, ``placebo_estimate`` (one
        per donor), ``p_value`` (rank of the treated ratio, :func:`rsw_eval.inference.rank_p_value`,
        one-sided "greater"); with ``leave_one_out``: ``loo_dropped`` (donor rows) and
        ``loo_estimate``.

    Examples
    --------
    >>> years = np.arange(2000, 2008)
    >>> base = np.array([[1.0, 2, 3, 4, 5, 6, 7, 8], [3, 4, 5, 6, 7, 8, 9, 10], [2, 2, 2, 2, 2, 2, 2, 2]])
    >>> y = np.vstack([0.5 * base[0] + 0.5 * base[1] + np.r_[np.zeros(5), -1, -1, -1], base])
    >>> r = synth_core(y, years, 2005, 0, [1, 2, 3], leave_one_out=False)
    >>> r["weights"].round(4).tolist(), round(float(r["estimate"]), 4), round(float(r["pre_rmspe"]), 6)
    ([0.5, 0.5, 0.0], -1.0, 0.0)
    """
    donors = np.asarray(donors, dtype=int)
    pre = years < intervention_year
    post = ~pre
    offset = 0.0
    if demean:
        offset = float(y[treated, pre].mean())
        y = y - y[:, pre].mean(axis=1, keepdims=True)
    D = y[donors]  # (k, years)
    units = [treated]
    masks = [np.ones(donors.size, dtype=bool)]
    if placebo:
        units += list(donors)
        masks += list(~np.eye(donors.size, dtype=bool))
    fit = simplex_lstsq(D[:, pre].T, y[units][:, pre], mask=np.array(masks), ridge=ridge)
    synthetic = fit.weights @ D
    gap = y[units] - synthetic
    pre_r, post_r = _rmspe(gap[:, pre]), _rmspe(gap[:, post])
    est = gap[:, post].mean(axis=-1)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = post_r / pre_r
    out = {
        "weights": fit.weights[0],
        "synthetic": synthetic[0] + offset,
        "gap": gap[0],
        "pre_rmspe": pre_r[0],
        "post_rmspe": post_r[0],
        "ratio": ratio[0],
        "estimate": est[0],
        "gap_certified": fit.gap[0],
    }
    if placebo:
        out["placebo_pre_rmspe"] = pre_r[1:]
        out["placebo_ratio"] = ratio[1:]
        out["placebo_estimate"] = est[1:]
        out["p_value"] = rank_p_value(ratio[0], ratio[1:], alternative="greater")
    if leave_one_out:
        used = np.flatnonzero(fit.weights[0] > 1e-6)
        if used.size > 1:
            loo_masks = np.ones((used.size, donors.size), dtype=bool)
            loo_masks[np.arange(used.size), used] = False
            loo = simplex_lstsq(D[:, pre].T, y[treated, pre], mask=loo_masks, ridge=ridge)
            loo_gap = y[treated] - loo.weights @ D
            out["loo_estimate"] = loo_gap[:, post].mean(axis=-1)
        else:
            out["loo_estimate"] = np.array([])
        out["loo_dropped"] = donors[used] if used.size > 1 else np.array([], dtype=int)
    return out
