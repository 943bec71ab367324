"""Callaway & Sant'Anna (2021) on arrays, for :mod:`rsw_eval.designs.staggered`: group-time
average treatment effects ATT(g,t) and their aggregations, following R ``did`` 2.5.1 (``att_gt``
on a balanced panel without covariates, varying base period, then ``aggte``) to rounding, with
analytic (influence-function) and multiplier-bootstrap standard errors and uniform bands.

Control groups: never-treated units, not-yet-treated units, or (new here) each adopter's own
comparison units, e.g. its DfE statistical neighbours: ATT(g,t) is then the cohort mean of each
adopter's change minus the mean change of its own eligible neighbours (never or not yet treated).
With every adopter given the same controls this is exactly the never / not-yet-treated estimator.

Verified in ``tests/designs/test_staggered.py`` against ``../shared/reference/did_mpdta`` (every
ATT(g,t), SE and aggregation) and ``../shared/reference/did_small``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from rsw_eval.inference import multiplier_bootstrap
from rsw_eval.inference._multiplier import ZERO_SE

__all__ = ["AttGt", "aggregate", "att_gt"]

CONTROL_GROUPS = ("never", "not_yet", "own")


@dataclass(frozen=True)
class AttGt:
    """Group-time ATTs with their influence functions (columns align with ``group``/``time``).

    Attributes
    ----------
    group, time : ndarray of int
        Cohort (first treated period) and period of each ATT(g,t).
    att, se : ndarray
        Estimates and analytic SEs (NaN where an SE is zero, as R ``did``).
    influence : ndarray, shape (n, cells)
        Influence functions (R ``did`` scaling: SE = sqrt(sum psi^2) / n).
    cohort : ndarray of int, shape (n,)
        Each unit's cohort (0 = never treated) after dropping always-treated units.
    kept : ndarray of int
        Rows of the input kept (always-treated units dropped).
    """

    group: np.ndarray
    time: np.ndarray
    att: np.ndarray
    se: np.ndarray
    influence: np.ndarray
    cohort: np.ndarray
    kept: np.ndarray

    @property
    def n(self) -> int:
        return self.influence.shape[0]


def _se(psi: np.ndarray) -> np.ndarray:
    n = psi.shape[0]
    se = np.sqrt((psi**2).sum(axis=0)) / n
    return np.where(se <= ZERO_SE, np.nan, se)


def att_gt(
    y: np.ndarray,
    periods: np.ndarray,
    cohort: np.ndarray,
    *,
    control: str = "never",
    anticipation: int = 0,
    neighbours: np.ndarray | None = None,
    base_period: str = "varying",
) -> AttGt:
    """ATT(g,t) for every cohort g and period t on a balanced panel (Callaway & Sant'Anna 2021).

    Parameters
    ----------
    y : ndarray, shape (n_units, n_periods)
        Outcome, complete (drop units with gaps first: R ``did`` balances the panel).
    periods : ndarray of int, shape (n_periods,)
        Increasing periods.
    cohort : ndarray of int, shape (n_units,)
        First treated period, 0 for never treated. Cohorts treated by the first period (plus
        anticipation) are dropped; cohorts after the last period (plus anticipation) count as
        never treated (R ``did``).
    control : {"never", "not_yet", "own"}
        Never-treated units; never or not-yet-treated units (treated after
        ``max(t, base) + anticipation``); or each adopter's own ``neighbours`` among the never
        or not-yet treated.
    anticipation : int
        Periods before adoption in which effects may already appear (the base period moves back).
    neighbours : ndarray of bool, shape (n_units, n_units), optional
        For ``control = "own"``: row i marks unit i's own comparison units.
    base_period : {"varying", "universal"}
        Base of the pre-adoption cells: the period before (R ``did``'s default, short
        differences) or, as after adoption, the last period before adoption (long differences,
        R's ``base_period = "universal"``, whose cell in that period is 0): what an event-study
        sensitivity analysis (HonestDiD) needs.

    Returns
    -------
    AttGt

    Notes
    -----
    For cohort g and period t with base period b (t - 1 before adoption, g - anticipation - 1
    after), :math:`\\Delta_i = Y_{it} - Y_{ib}` and, with :math:`W` the adopters' control
    weights (rows sum to one over their eligible controls),
    :math:`\\widehat{ATT}(g,t) = n_g^{-1} \\sum_{i \\in g} (\\Delta_i - \\sum_j W_{ij} \\Delta_j)`.
    Its influence function is :math:`n\\,[1_{i\\in g}(\\Delta_i - m_i - ATT) -
    \\sum_{k \\in g} W_{ki}(\\Delta_i - m_k)]/n_g`, which for common controls is R ``did``'s
    doubly robust (and regression) influence function without covariates.

    Examples
    --------
    >>> y = np.array([[1.0, 2, 5], [1, 2, 3], [2, 3, 4], [0, 1, 2]])
    >>> r = att_gt(y, np.array([1, 2, 3]), np.array([3, 0, 0, 0]))
    >>> r.group.tolist(), r.time.tolist(), r.att.round(6).tolist()
    ([3, 3], [2, 3], [0.0, 2.0])
    """
    if control not in CONTROL_GROUPS:
        raise ValueError(f"control must be one of {', '.join(CONTROL_GROUPS)}. Got {control!r} instead.")
    if base_period not in ("varying", "universal"):
        raise ValueError(f"base_period must be 'varying' or 'universal'. Got {base_period!r} instead.")
    if control == "own" and neighbours is None:
        raise ValueError("control = 'own' needs neighbours (each adopter's comparison units)")
    y = np.asarray(y, dtype=float)
    periods = np.asarray(periods)
    cohort = np.asarray(cohort).astype(int).copy()
    cohort[cohort > periods[-1] + anticipation] = 0
    kept = np.flatnonzero((cohort == 0) | (cohort > periods[0] + anticipation))
    y, cohort = y[kept], cohort[kept]
    nb = None if neighbours is None else np.asarray(neighbours, dtype=bool)[np.ix_(kept, kept)]
    n = y.shape[0]
    groups, times, atts, infs = [], [], [], []
    for g in np.unique(cohort[cohort > 0]):
        treated = cohort == g
        n_g = int(treated.sum())
        pre = np.flatnonzero(periods + anticipation < g)
        universal = base_period == "universal"
        for ti in range(0 if universal else 1, len(periods)):
            post = g <= periods[ti]
            if (post or universal) and pre.size == 0:
                break
            base = pre[-1] if post or universal else ti - 1
            if control == "never":
                eligible = cohort == 0
            else:
                eligible = (cohort == 0) | ((cohort > periods[max(ti, base)] + anticipation) & ~treated)
            W = (
                np.broadcast_to(eligible, (n_g, n))
                if nb is None or control != "own"
                else nb[treated] & eligible
            )
            k = W.sum(axis=1, keepdims=True)
            groups.append(g)
            times.append(periods[ti])
            if np.any(k == 0):
                atts.append(np.nan)
                infs.append(np.zeros(n))
                continue
            W = W / k
            delta = y[:, ti] - y[:, base]
            m = W @ delta
            gap = delta[treated] - m
            att = gap.mean()
            psi = np.zeros(n)
            psi[treated] = gap - att
            psi -= W.sum(axis=0) * delta - m @ W
            atts.append(att)
            infs.append(n * psi / n_g)
    influence = np.column_stack(infs) if infs else np.zeros((n, 0))
    return AttGt(
        np.array(groups, dtype=int),
        np.array(times, dtype=int),
        np.array(atts, dtype=float),
        _se(influence),
        influence,
        cohort,
        kept,
    )


def _wif(keep: np.ndarray, pg: np.ndarray, group: np.ndarray, G: np.ndarray) -> np.ndarray:
    """Influence of estimating the cohort-share weights (R ``did``'s ``wif``)."""
    ind = (G[:, None] == group[keep][None, :]).astype(float) - pg[keep][None, :]
    s = pg[keep].sum()
    return ind / s - np.outer(ind.sum(axis=1), pg[keep] / s**2)


def _combine(r: AttGt, keep: np.ndarray, weights: np.ndarray, wif: np.ndarray | None):
    psi = r.influence[:, keep] @ weights
    if wif is not None:
        psi = psi + wif @ r.att[keep]
    return float(r.att[keep] @ weights), psi


def aggregate(
    r: AttGt, kind: str = "simple", *, bootstrap: int = 0, confidence: float = 0.95, seed: int = 0
) -> dict:
    """Aggregate ATT(g,t) as R ``did``'s ``aggte``: simple, dynamic (event study), group, calendar.

    Parameters
    ----------
    r : AttGt
    kind : {"simple", "dynamic", "group", "calendar"}
    bootstrap : int
        Multiplier-bootstrap draws (0: analytic SEs only).
    confidence : float
        Level of the uniform band (bootstrap).
    seed : int

    Returns
    -------
    dict
        ``overall`` and ``overall_se``; for the other kinds ``egt`` (event times, cohorts or
        periods), ``att``, ``se`` and ``influence`` (n, len(egt)); with ``bootstrap``:
        ``boot_se`` and ``critical_value`` (uniform band over ``egt``) and ``overall_boot_se``.
        Cells with a NaN ATT(g,t) are left out (R's ``na.rm = TRUE``).

    Examples
    --------
    >>> y = np.array([[1.0, 2, 5], [1, 2, 3], [2, 3, 4], [0, 1, 2]])
    >>> r = att_gt(y, np.array([1, 2, 3]), np.array([3, 0, 0, 0]))
    >>> out = aggregate(r, "dynamic")
    >>> out["egt"].tolist(), out["att"].round(6).tolist(), round(out["overall"], 6)
    ([-1, 0], [0.0, 2.0], 2.0)
    """
    if kind not in ("simple", "dynamic", "group", "calendar"):
        raise ValueError(f"kind must be simple, dynamic, group or calendar. Got {kind!r} instead.")
    ok = np.isfinite(r.att)
    G = r.cohort
    glist = np.unique(G[G > 0])
    pgg = np.array([(g == G).mean() for g in glist])
    pg = np.array([(g == G).mean() for g in r.group])
    post = ok & (r.group <= r.time)
    out: dict = {"kind": kind}
    if kind == "simple":
        keep = np.flatnonzero(post)
        est, psi = _combine(r, keep, pg[keep] / pg[keep].sum(), _wif(keep, pg, r.group, G))
        out.update(overall=est, overall_se=float(_se(psi[:, None])[0]), overall_influence=psi)
    else:
        if kind == "dynamic":
            e = r.time - r.group
            egt = np.unique(e[ok])
            sets = [np.flatnonzero(ok & (e == v)) for v in egt]
        elif kind == "group":
            egt = glist
            sets = [np.flatnonzero(post & (r.group == g)) for g in glist]
        else:
            egt = np.array([t for t in np.unique(r.time) if t >= r.group.min()])
            sets = [np.flatnonzero(post & (r.time == t)) for t in egt]
        keep_e = [i for i, s in enumerate(sets) if s.size]
        egt = egt[keep_e]
        sets = [sets[i] for i in keep_e]
        atts, psis = [], []
        for s in sets:
            wif = None if kind == "group" else _wif(s, pg, r.group, G)
            a, p = _combine(r, s, pg[s] / pg[s].sum(), wif)
            atts.append(a)
            psis.append(p)
        att = np.array(atts)
        psi = np.column_stack(psis) if psis else np.zeros((r.n, 0))
        if kind == "group":
            sel = np.isin(glist, egt)
            w = pgg[sel] / pgg[sel].sum()
            wif = _wif(np.arange(sel.sum()), pgg[sel], egt, G)
            overall = float(att @ w)
            overall_psi = psi @ w + wif @ att
        else:
            use = egt >= 0 if kind == "dynamic" else np.ones(egt.size, dtype=bool)
            overall = float(att[use].mean())
            overall_psi = psi[:, use].mean(axis=1)
        out.update(
            egt=egt,
            att=att,
            se=_se(psi),
            influence=psi,
            overall=overall,
            overall_se=float(_se(overall_psi[:, None])[0]),
            overall_influence=overall_psi,
        )
    if bootstrap:
        if kind != "simple":
            boot = multiplier_bootstrap(out["influence"], reps=bootstrap, confidence=confidence, seed=seed)
            out.update(boot_se=boot.se, critical_value=boot.critical_value)
        ob = multiplier_bootstrap(out["overall_influence"], reps=bootstrap, confidence=confidence, seed=seed)
        out["overall_boot_se"] = float(ob.se[0])
    return out
