"""Parallel-trends sensitivity (HonestDiD) as results rows and columns, for every DiD-type design.

A design hands :func:`sensitivity_parts` its event study (coefficients relative to the last
pre-period and their covariance); it gets back the columns for its primary row
(``breakdown_mbar``, ``breakdown_m``, ``pretrend_p``, ``pretrend_slope80``), a sentence for the
row's ``note``, and one non-primary row per bound (``design`` the design's name + ``_sensitivity``,
e.g. ``did_sensitivity``, so that nothing reading a design's own rows mistakes a bound for one;
``effect_size_name`` ``sensitivity_rm`` or ``sensitivity_sd``; ``period`` the bound;
``ci_low``/``ci_high`` the robust interval).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from rsw_eval.designs._rows import make_row

if TYPE_CHECKING:
    from rsw_eval.inference import Sensitivity

__all__ = ["MAX_POST", "MAX_PRE", "placebo_event_study", "sensitivity_parts"]

#: The event window analysed: the last MAX_PRE pre-periods and the first MAX_POST post-periods
#: (the target is the mean effect over those). The relative-magnitudes test enumerates the vertices
#: of a polytope whose count grows combinatorially with the post-periods (4: a few hundred; 8: tens
#: of thousands per polyhedron, minutes per row).
MAX_PRE, MAX_POST = 5, 4


def sensitivity_parts(
    betahat: np.ndarray,
    sigma: np.ndarray,
    n_pre: int,
    base: dict,
    *,
    confidence: float = 0.95,
    seed: int = 0,
    own_p: float | None = None,
) -> tuple[dict, str, list[dict], Sensitivity | None]:
    """Columns for the primary row, a note, the bound rows and the :class:`Sensitivity` itself.

    ``base`` holds the row fields shared with the primary row (outcome, family, design, ...).
    With no pre-period or no post-period coefficient, or a covariance that is not positive on
    the coefficients, nothing is computed and the note says why. ``own_p`` is the row's own
    p-value: a breakdown value is stated only when that test rejects at the bounds' level
    (``1 - confidence``). The bounds come from a normal approximation and can reach a 95%
    conclusion the row's exact test cannot (ten comparators never reach 5%; under a true null the
    Mbar = 0 bound excluded 0 in 6 of 60 panels where the permutation test rejected in none), so a
    finding the row does not make is never called robust. Bound rows on the log scale are in log
    points: their ``measure`` is ``mean`` (a mean change on the row's ``scale``), never the
    primary row's ``percent_change``.

    Examples
    --------
    >>> base = dict(outcome="x", family="admin", design="did", measure="mean", scale="level")
    >>> cols, note, rows, s = sensitivity_parts(np.array([0.0, 1.0]), np.eye(2) * 0.01, 1, base)
    >>> sorted(cols), rows[0]["design"], rows[0]["effect_size_name"]
    (['breakdown_m', 'breakdown_mbar', 'pretrend_p', 'pretrend_slope80'], 'did_sensitivity', 'sensitivity_rm')
    """
    betahat, sigma = np.asarray(betahat, float), np.asarray(sigma, float)
    n_post = min(betahat.size - n_pre, MAX_POST)
    window = np.arange(max(n_pre - MAX_PRE, 0), n_pre + n_post)
    betahat, sigma, n_pre = betahat[window], sigma[np.ix_(window, window)], min(n_pre, MAX_PRE)
    sd = np.sqrt(np.clip(np.diag(sigma), 0, None)) if sigma.size else np.array([])
    if n_pre < 1 or n_post < 1 or not np.all(np.isfinite(betahat)) or not np.all(sd > 0):
        return (
            {},
            "no parallel-trends sensitivity: needs a pre-period and variable event-study estimates",
            [],
            None,
        )
    from rsw_eval.inference import sensitivity  # SciPy: not loaded by the screen, which imports did

    finding = own_p is None or bool(own_p <= 1 - confidence + 1e-12)
    s = sensitivity(betahat, sigma, n_pre, alpha=1 - confidence, seed=seed, breakdowns=finding)
    cols = {
        "breakdown_mbar": s.breakdown_mbar if finding else np.nan,
        "breakdown_m": s.breakdown_m if finding else np.nan,
        "pretrend_p": s.pretrend_p,
        "pretrend_slope80": s.pretrend_slope80,
    }
    said = (
        s.sentence()
        if finding
        else "no breakdown value: "
        + (
            f"the row's own test does not reject at the bounds' {confidence:.0%} level (p = {own_p:.3g})"
            if np.isfinite(own_p)
            else "the row has no test of its own (descriptive)"
        )
        + ", so there is no finding whose robustness to trend violations could be stated"
    )
    note = (
        f"parallel-trends sensitivity (HonestDiD, on the mean effect {s.estimate:.3g} over the first "
        f"{n_post} post-period year(s), {n_pre} pre-period year(s) before the base year): {said}; "
        f"pre-trend Wald p = {s.pretrend_p:.2f}, and a linear pre-trend of {s.pretrend_slope80:.3g} per year "
        "would be detected 80% of the time"
    )
    # the bounds are on the analysis scale: log points for a log-scale row, not its percent
    measure = "mean" if base.get("scale") == "log" else base.get("measure", "mean")
    rows = []
    for _, b in s.table.iloc[1:].iterrows():
        rm = b["restriction"] == "relative magnitudes"
        rows.append(
            make_row(
                **{**base, "design": f"{base['design']}_sensitivity", "measure": measure},
                primary=False,
                effect_size_name="sensitivity_rm" if rm else "sensitivity_sd",
                effect_size=s.estimate,
                ci_low=b["lower"],
                ci_high=b["upper"],
                ci_level=confidence,
                period=f"Mbar = {b['parameter']:.3g}" if rm else f"M = {b['parameter']:.3g}",
                method=f"HonestDiD {b['restriction']} bound; {b['method']}",
                note=(
                    "post-period changes in the trend difference up to Mbar times the largest pre-period one"
                    if rm
                    else "the trend difference may bend by up to M per year between consecutive years"
                )
                + ("" if np.isfinite(b["lower"]) else "; the test rejects every value (no robust interval)"),
            )
        )
    return cols, note, rows, s


def _shrunk_covariance(paths: np.ndarray) -> np.ndarray:
    """Covariance of the rows' columns, shrunk towards its diagonal (Ledoit & Wolf 2004's
    intensity, Schafer & Strimmer 2005's target): full rank with fewer authorities than years."""
    n = paths.shape[0]
    x = paths - paths.mean(axis=0)
    S = x.T @ x / (n - 1)
    w = np.einsum("ni,nj->nij", x, x)
    var_s = n / (n - 1) ** 3 * ((w - w.mean(axis=0)) ** 2).sum(axis=0)
    off = ~np.eye(S.shape[0], dtype=bool)
    denom = float((S[off] ** 2).sum())
    lam = 1.0 if denom <= 0 else float(np.clip(var_s[off].sum() / denom, 0.0, 1.0))
    return np.where(off, (1 - lam) * S, S)


def placebo_event_study(y: np.ndarray, years: np.ndarray, intervention_year: int, n_comparators: int):
    """Event study of one treated authority (row 0) against the mean of the next ``n_comparators``
    rows, relative to the last pre-period year, with its covariance from the placebo authorities.

    Under exchangeable authorities the treated path minus the comparators' mean path has
    covariance :math:`(1 + 1/k) S`, with :math:`S` the covariance of one authority's path; ``S``
    is estimated from every row but the treated (comparators and any donor pool), shrunk towards
    its diagonal. Returns ``(betahat, sigma, n_pre, event_years)`` or None when a series has gaps
    or fewer than 3 placebo authorities remain.
    """
    pre = years < intervention_year
    ok = np.isfinite(y).all(axis=1)
    if not ok[0] or ok[1 : 1 + n_comparators].sum() < 2 or ok[1:].sum() < 3 or pre.sum() < 2:
        return None
    ref = int(np.flatnonzero(pre)[-1])
    paths = y[ok] - y[ok][:, [ref]]
    k = int(ok[1 : 1 + n_comparators].sum())
    comp = paths[1 : 1 + k].mean(axis=0)
    keep = np.arange(years.size) != ref
    beta = (paths[0] - comp)[keep]
    sigma = (1 + 1 / k) * _shrunk_covariance(paths[1:][:, keep])
    return beta, sigma, int(pre.sum()) - 1, years[keep]
