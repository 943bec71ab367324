"""How robust an event-study conclusion is to violations of parallel trends (Rambachan & Roth 2023),
and what a pre-trend test could have seen (Roth 2022).

:func:`sensitivity` takes event-study coefficients and their covariance and returns a
:class:`Sensitivity`: the confidence set of the target (by default the mean post-period effect)
under relative-magnitudes bounds Mbar (:mod:`rsw_eval.inference._arp`) and smoothness bounds M
(:mod:`rsw_eval.inference._flci`), the breakdown values (the largest Mbar and M at which the set
still excludes 0), and the pre-trend Wald test with the linear trend it detects 80% of the time.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

from rsw_eval.inference._arp import rm_excludes, rm_interval
from rsw_eval.inference._flci import flci

__all__ = ["Sensitivity", "pretrend_test", "sensitivity"]

#: Default grids: Mbar in units of the largest pre-period change; M in units of the pre-period SE.
MBAR_GRID = (0.0, 0.5, 1.0, 1.5, 2.0)
M_GRID_SE = (0.0, 0.25, 0.5, 1.0)


@dataclass(frozen=True)
class Sensitivity:
    """Sensitivity of an event-study conclusion to parallel-trends violations.

    Attributes
    ----------
    estimate : float
        The target (``l' beta_post``).
    table : DataFrame
        One row per bound: ``restriction`` ("relative magnitudes" or "smoothness"),
        ``parameter`` (Mbar or M), ``lower``, ``upper``, ``method``; the first row is the
        conventional interval (parallel trends exact).
    breakdown_mbar, breakdown_m : float
        Largest Mbar / M at which the interval still excludes 0 (bisection to 1/512 of the range
        searched, 0 to 10 / to 100 pre-period SEs; 2 significant digits). NaN when even the
        conventional interval includes 0 (nothing to break down); 0 when it excludes 0 but no
        bound does.
    pretrend_stat, pretrend_df, pretrend_p : float
        Wald test that every pre-period coefficient is 0.
    pretrend_slope80 : float
        Slope of a linear pre-trend (per period, in the outcome's units) that the Wald test
        detects 80% of the time at 5%: smaller trends pass unnoticed more often than not.
    """

    estimate: float
    table: pd.DataFrame
    breakdown_mbar: float
    breakdown_m: float
    pretrend_stat: float
    pretrend_df: int
    pretrend_p: float
    pretrend_slope80: float
    notes: tuple[str, ...] = field(default_factory=tuple)

    def sentence(self) -> str:
        """What the breakdown value means, in words."""
        if not np.isfinite(self.breakdown_mbar):
            return (
                "under exact parallel trends the event study's own interval already includes 0, so there is "
                "no conclusion for trend violations to overturn"
            )
        if self.breakdown_mbar <= 0:
            text = "the conclusion does not survive any post-period trend violation (Mbar = 0)"
        else:
            more = "at least " if self.breakdown_mbar >= 10 else ""
            text = (
                f"the conclusion survives post-period trend violations up to {more}"
                f"{self.breakdown_mbar:.2g} times the largest pre-period one"
            )
        if not np.isfinite(self.breakdown_m):
            return text
        if self.breakdown_m <= 0:
            return text + ", and not the pre-period trend difference carried on (smoothness M = 0)"
        return (
            text + f", and a trend difference bending by up to {self.breakdown_m:.2g} per year (smoothness)"
        )


def pretrend_test(beta_pre: np.ndarray, sigma_pre: np.ndarray, t_pre: np.ndarray, *, alpha: float = 0.05):
    """Wald test of no pre-trend and the linear trend it detects with 80% power.

    Returns
    -------
    (stat, df, p, slope80)

    Examples
    --------
    >>> stat, df, p, slope = pretrend_test(np.array([0.0, 0.0]), np.eye(2), np.array([-2.0, -1.0]))
    >>> df, round(p, 3), round(slope, 3)
    (2, 1.0, 1.388)
    """
    from scipy import optimize  # lazy: only the power search needs it

    beta_pre = np.asarray(beta_pre, float)
    inv = np.linalg.pinv(np.asarray(sigma_pre, float))
    df = int(np.linalg.matrix_rank(sigma_pre))
    stat = float(beta_pre @ inv @ beta_pre)
    p = float(stats.chi2.sf(stat, df))
    crit = stats.chi2.isf(alpha, df)
    info = float(t_pre @ inv @ t_pre)
    if not info > 0:
        return stat, df, p, np.nan
    nc = optimize.brentq(lambda lam: stats.ncx2.sf(crit, df, lam) - 0.8, 1e-9, 1e4)
    return stat, df, p, float(np.sqrt(nc / info))


def _breakdown(excludes, hi: float, known: dict[float, bool] | None = None) -> float:
    """Largest parameter in [0, hi] at which ``excludes(parameter)`` holds (monotone), to two
    significant figures, cut down (never rounded up).

    ``known`` holds verdicts already computed (the table's grid): they bracket the search, which
    then bisects until the bracket is within 0.5% of its upper end, so the two figures printed
    are ones the search resolved (not a fixed step of ``hi``, which at ``hi / 512`` left small
    breakdown values resolved to a fifth of their size).

    Examples
    --------
    >>> _breakdown(lambda v: v < 1.234, 10.0), _breakdown(lambda v: v < 0.0234, 10.0, {0.0: True, 0.5: False})
    (1.2, 0.023)
    >>> _breakdown(lambda v: v < 1.7712, 10.0)  # never rounded up past the value that breaks it
    1.7
    """
    known = dict(known or {})
    ask = lambda v: known[v] if v in known else excludes(v)  # noqa: E731
    if not ask(0.0):
        return 0.0
    lo = max((v for v, ok in known.items() if ok and v <= hi), default=0.0)
    top = min((v for v, ok in known.items() if not ok and v > lo), default=None)
    if top is None:
        if ask(hi):
            return hi
        top = hi
    while top - lo > max(0.005 * top, 1e-6 * hi):
        mid = 0.5 * (lo + top)
        lo, top = (mid, top) if excludes(mid) else (lo, mid)
    return _floor2(lo)


def _floor2(x: float) -> float:
    """``x`` cut down to two significant figures: ``lo`` holds the conclusion, and a value
    rounded up could name one at which it no longer holds.

    Examples
    --------
    >>> _floor2(1.7712), _floor2(0.02256), _floor2(0.39), _floor2(0.0)
    (1.7, 0.022, 0.39, 0.0)
    """
    if not x > 0:
        return 0.0
    step = 10.0 ** (math.floor(math.log10(x)) - 1)
    return float(f"{math.floor(x / step * (1 + 1e-12)) * step:.2g}")


def sensitivity(
    betahat: np.ndarray,
    sigma: np.ndarray,
    n_pre: int,
    *,
    l_vec: np.ndarray | None = None,
    alpha: float = 0.05,
    mbar: tuple[float, ...] = MBAR_GRID,
    m_se: tuple[float, ...] = M_GRID_SE,
    seed: int = 0,
    breakdowns: bool = True,
) -> Sensitivity:
    """HonestDiD bounds, breakdown values and the pre-trend test of an event study.

    Parameters
    ----------
    betahat : ndarray, shape (n_pre + n_post,)
        Event-study coefficients relative to the last pre-period (left out): pre first.
    sigma : ndarray
        Their covariance.
    n_pre : int
        Number of pre-period coefficients (at least 1).
    l_vec : ndarray, shape (n_post,), optional
        Weights of the post-period effects in the target; default their mean.
    alpha : float
        1 - confidence.
    mbar, m_se : tuple of float
        Grids of Mbar, and of M in units of the pre-period coefficients' mean SE.
    seed : int
        For the least-favourable critical value's simulation.
    breakdowns : bool, default True
        Search for the breakdown values (NaN without: a caller whose row makes no finding needs
        none, and the search is most of the cost).

    Examples
    --------
    >>> b = np.array([0.02, -0.01, 0.5, 0.6])
    >>> s = sensitivity(b, np.eye(4) * 0.004, 2, mbar=(0.0, 1.0), m_se=(0.0,))
    >>> s.table["restriction"].tolist()
    ['none (parallel trends)', 'relative magnitudes', 'relative magnitudes', 'smoothness']
    >>> bool(s.breakdown_mbar > 1)
    True
    """
    betahat = np.asarray(betahat, float)
    sigma = np.asarray(sigma, float)
    n_post = betahat.size - n_pre
    l_vec = np.full(n_post, 1 / n_post) if l_vec is None else np.asarray(l_vec, float)
    est = float(l_vec @ betahat[n_pre:])
    se = float(np.sqrt(l_vec @ sigma[n_pre:, n_pre:] @ l_vec))
    z = stats.norm.isf(alpha / 2)
    rows = [("none (parallel trends)", np.nan, est - z * se, est + z * se, "normal interval")]
    rm = "conditional-least-favourable hybrid (Andrews, Roth & Pakes 2023)"
    for mb in mbar:
        lo, hi = rm_interval(betahat, sigma, n_pre, n_post, mb, l_vec=l_vec, alpha=alpha, seed=seed)
        rows.append(("relative magnitudes", mb, lo, hi, rm))
    unit = float(np.sqrt(np.mean(np.diag(sigma)[:n_pre])))
    for m in m_se:
        lo, hi = flci(betahat, sigma, n_pre, n_post, m * unit, l_vec=l_vec, alpha=alpha)
        rows.append(("smoothness", m * unit, lo, hi, "fixed-length CI (Armstrong & Kolesar 2018)"))
    table = pd.DataFrame(rows, columns=["restriction", "parameter", "lower", "upper", "method"])
    conventional = not (est - z * se <= 0 <= est + z * se)

    def out(lo_hi) -> bool:
        lo, hi = lo_hi
        return bool(np.isfinite(lo) and not lo <= 0 <= hi)

    def grid(name: str) -> dict[float, bool]:  # the table's verdicts bracket the breakdown searches
        t = table[table["restriction"] == name]
        return {
            float(v): out((lo, hi)) for v, lo, hi in zip(t["parameter"], t["lower"], t["upper"], strict=True)
        }

    if conventional and breakdowns:
        kw = dict(l_vec=l_vec, alpha=alpha, seed=seed)
        b_mbar = _breakdown(
            lambda v: rm_excludes(betahat, sigma, n_pre, n_post, v, **kw), 10.0, grid("relative magnitudes")
        )
        b_m = _breakdown(
            lambda v: out(flci(betahat, sigma, n_pre, n_post, v, l_vec=l_vec, alpha=alpha)),
            100 * unit,
            grid("smoothness"),
        )
    else:
        b_mbar = b_m = np.nan
    t_pre = np.arange(-n_pre, 0, dtype=float)
    stat, df, p, slope = pretrend_test(betahat[:n_pre], sigma[:n_pre, :n_pre], t_pre, alpha=alpha)
    return Sensitivity(est, table, b_mbar, b_m, stat, df, p, slope)
