"""Synthetic difference-in-differences (Arkhangelsky, Athey, Hirshberg, Imbens & Wager 2021).

Unit weights omega (controls) and time weights lambda (pre-periods), each fitted by the
regularised Frank-Wolfe procedure of R ``synthdid`` 0.0.9 (``sc.weight.fw`` with an intercept,
100 iterations, sparsification of weights below a quarter of the largest, then up to 10,000
iterations with the stopping rule ``min.decrease = 1e-5 * noise level``), step for step, so that
estimates agree with R to rounding; placebo standard errors (Algorithm 4 of the paper) when
treated units are fewer than controls. The Frank-Wolfe loop runs over a batch of problems at once
(every placebo replication together).

Verified on California's Proposition 99 (``../shared/reference/synth/california_prop99.csv``):
-15.6038278727 (R synthdid 0.0.9) and plain DiD -27.349 (see ``tests/designs/test_sdid.py``).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats as sps

from rsw_eval.designs._panel import names, outcomes, wide_all
from rsw_eval.designs._rows import make_row, skip_row

__all__ = ["sdid_estimate", "sdid_placebo_se", "synthetic_did"]

#: Placebo standard errors are turned into a p-value and interval only with this many controls
#: (validation/sim_donor.py).
MIN_DONORS_FOR_CI = 20


def _sc_weight_fw(Y, zeta, start, min_decrease, max_iter):
    """R synthdid's ``sc.weight.fw`` (intercept = TRUE) on a batch: Y (batch, n, m + 1).

    The same iterates as R, computed from the Gram matrix (each step costs O(m), not O(nm)).
    """
    Y = Y - Y.mean(axis=1, keepdims=True)
    A, b = Y[:, :, :-1], Y[:, :, -1]
    n = Y.shape[1]
    zeta2 = np.broadcast_to(np.asarray(zeta, dtype=float) ** 2, (Y.shape[0],)).copy()
    md2 = np.broadcast_to(np.asarray(min_decrease, dtype=float) ** 2, (Y.shape[0],)).copy()
    eta = n * zeta2
    G = np.einsum("bni,bnj->bij", A, A)
    Ab = np.einsum("bni,bn->bi", A, b)
    bb = (b**2).sum(1)
    diag = np.einsum("bii->bi", G)
    out = start.copy()
    idx = np.arange(out.shape[0])  # problems still iterating (arrays below are compacted to them)
    x = out.copy()
    Gx = np.einsum("bij,bj->bi", G, x)
    prev = last = np.full(x.shape[0], np.nan)
    t = 0
    while idx.size and t < max_iter:
        t += 1
        rows = np.arange(idx.size)
        hg = Gx - Ab + eta[:, None] * x
        i = np.argmin(hg, axis=1)
        xi, Gxi = x[rows, i], Gx[rows, i]
        xGx, xx = (x * Gx).sum(1), (x**2).sum(1)
        denom = diag[rows, i] - 2 * Gxi + xGx + eta * (1 - 2 * xi + xx)
        step = -(hg[rows, i] - (hg * x).sum(1)) / np.where(denom > 0, denom, 1.0)
        step = np.where((xi != 1.0) & (denom > 0), np.clip(step, 0.0, 1.0), 0.0)
        x = x * (1 - step[:, None])
        x[rows, i] += step
        Gx = Gx + step[:, None] * (G[rows, :, i] - Gx)
        val = zeta2 * (x**2).sum(1) + ((x * Gx).sum(1) - 2 * (x * Ab).sum(1) + bb) / n
        prev, last = last, val
        if t >= 2:
            go = prev - last > md2
            if not go.all():
                out[idx[~go]] = x[~go]
                idx, x, Gx, G, Ab, bb, diag, last, zeta2, md2, eta = (
                    a[go] for a in (idx, x, Gx, G, Ab, bb, diag, last, zeta2, md2, eta)
                )
    out[idx] = x
    return out


def _sparsify(v):
    v = np.where(v <= v.max(axis=1, keepdims=True) / 4, 0.0, v)
    return v / v.sum(axis=1, keepdims=True)


def _weights(Y, N0, T0, zeta_omega, zeta_lambda, min_decrease, omega0, lambda0, max_iter=10000):
    """Unit and time weights for a batch of panels Y (batch, N, T) whose first N0 rows are controls."""
    controls_post = Y[:, :N0, T0:].mean(axis=2, keepdims=True)
    lam_problem = np.concatenate([Y[:, :N0, :T0], controls_post], axis=2)  # (batch, N0, T0 + 1)
    treated_pre = Y[:, N0:, :T0].mean(axis=1)  # (batch, T0)
    om_problem = np.concatenate([Y[:, :N0, :T0], treated_pre[:, None, :]], axis=1).transpose(0, 2, 1)
    lam = _sc_weight_fw(lam_problem, zeta_lambda, lambda0, min_decrease, 100)
    lam = _sc_weight_fw(lam_problem, zeta_lambda, _sparsify(lam), min_decrease, max_iter)
    om = _sc_weight_fw(om_problem, zeta_omega, omega0, min_decrease, 100)
    om = _sc_weight_fw(om_problem, zeta_omega, _sparsify(om), min_decrease, max_iter)
    return om, lam


def _estimate(Y, N0, T0, omega, lam):
    N1, T1 = Y.shape[1] - N0, Y.shape[2] - T0
    u = np.concatenate([-omega, np.full((Y.shape[0], N1), 1 / N1)], axis=1)
    v = np.concatenate([-lam, np.full((Y.shape[0], T1), 1 / T1)], axis=1)
    return np.einsum("bn,bnt,bt->b", u, Y, v)


def sdid_estimate(Y: np.ndarray, N0: int, T0: int) -> dict:
    """Synthetic DiD estimate, weights and the settings R synthdid derives from the data.

    Parameters
    ----------
    Y : ndarray, shape (units, periods) or (batch, units, periods)
        Controls first (rows ``:N0``), then treated; pre-periods first (columns ``:T0``). A batch
        of panels of one shape is fitted together (one Frank-Wolfe loop).
    N0, T0 : int
        Number of controls and of pre-periods.

    Returns
    -------
    dict
        ``estimate``, ``omega`` (N0,), ``lambda`` (T0,), ``did`` (plain DiD), ``noise_level``,
        ``zeta_omega``, ``zeta_lambda``, ``min_decrease`` (each with a leading batch axis when
        ``Y`` has one).

    Examples
    --------
    >>> Y = np.array([[1.0, 2.5, 3, 4], [2, 3, 4.5, 5], [3, 4.2, 5, 6], [2, 3, 6, 7]])
    >>> r = sdid_estimate(Y, 3, 2)
    >>> round(r["did"], 4), round(r["estimate"], 4), r["lambda"].round(3).tolist()
    (2.0333, 1.8886, [1.0, 0.0])
    """
    Y = np.asarray(Y, dtype=float)
    single = Y.ndim == 2
    Y = Y[None] if single else Y
    B, N, T = Y.shape
    N1, T1 = N - N0, T - T0
    noise = np.diff(Y[:, :N0, :T0], axis=2).reshape(B, -1).std(axis=1, ddof=1)
    zeta_omega = (N1 * T1) ** 0.25 * noise
    zeta_lambda = 1e-6 * noise
    min_decrease = 1e-5 * noise
    om0, lam0 = np.full((B, N0), 1 / N0), np.full((B, T0), 1 / T0)
    om, lam = _weights(Y, N0, T0, zeta_omega, zeta_lambda, min_decrease, om0, lam0)
    est = _estimate(Y, N0, T0, om, lam)
    did = (Y[:, N0:, T0:].mean((1, 2)) - Y[:, N0:, :T0].mean((1, 2))) - (
        Y[:, :N0, T0:].mean((1, 2)) - Y[:, :N0, :T0].mean((1, 2))
    )
    out = {
        "estimate": est,
        "omega": om,
        "lambda": lam,
        "did": did,
        "noise_level": noise,
        "zeta_omega": zeta_omega,
        "zeta_lambda": zeta_lambda,
        "min_decrease": min_decrease,
    }
    return {k: (float(v[0]) if v.ndim == 1 else v[0]) for k, v in out.items()} if single else out


def sdid_placebo_se(Y: np.ndarray, N0: int, T0: int, fit: dict, *, replications: int = 200, seed: int = 0):
    """Placebo standard error (Arkhangelsky et al. 2021, Algorithm 4; R ``synthdid`` "placebo").

    Each replication permutes the controls, treats the last N1 of them as treated, and re-fits
    the weights (starting from the original ones, with the original regularisation); the SE is
    :math:`\\sqrt{(B-1)/B}` times the SD of the B placebo estimates.

    Returns
    -------
    (float, ndarray)
        The standard error and the placebo estimates.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> Y = rng.normal(size=(12, 8)) + np.arange(8)
    >>> se, placebos = sdid_placebo_se(Y, 11, 5, sdid_estimate(Y, 11, 5), replications=20)
    >>> placebos.shape, bool(se > 0)
    ((20,), True)
    """
    Y = np.asarray(Y, dtype=float)
    N1 = Y.shape[0] - N0
    if N0 <= N1:
        raise ValueError("placebo standard errors need more controls than treated units")
    rng = np.random.default_rng(seed)
    perms = np.stack([rng.permutation(N0) for _ in range(replications)])
    Yb = Y[perms]  # (B, N0, T): placebo controls first, then N1 placebo treated
    n0 = N0 - N1
    om0 = fit["omega"][perms[:, :n0]]
    om0 = om0 / om0.sum(axis=1, keepdims=True)
    lam0 = np.broadcast_to(fit["lambda"], (replications, T0)).copy()
    om, lam = _weights(Yb, n0, T0, fit["zeta_omega"], fit["zeta_lambda"], fit["min_decrease"], om0, lam0)
    est = _estimate(Yb, n0, T0, om, lam)
    return float(np.sqrt((replications - 1) / replications) * est.std(ddof=1)), est


def synthetic_did(
    panel: pd.DataFrame,
    treated: str,
    donors: Sequence[str],
    intervention_year: int,
    *,
    confidence: float = 0.95,
    seed: int = 0,
    replications: int = 200,
    family: str = "admin",
) -> list[dict]:
    """Synthetic-DiD rows for one treated authority against a donor pool, one per indicator.

    ``effect_size`` (``did_estimate``, level scale) is the synthetic DiD estimate; the plain DiD
    on the same authorities and years is in ``note``. With at least :data:`MIN_DONORS_FOR_CI`
    donors the row carries an interval and p from the placebo SE, referred to Student t with
    N0 - 1 degrees of freedom (the SE is a spread over N0 placebo authorities; the normal reference
    rejected 7.7% at 5% with 25 donors, issue 19); with fewer, the SE is in
    ``note`` and p and the interval are NaN (placebo SEs from a handful of controls do not hold
    their level).

    Examples
    --------
    >>> rng = np.random.default_rng(2)
    >>> codes = [f"E0{i:07d}" for i in range(12)]
    >>> panel = pd.DataFrame([(c, c, yr, "x", i + 0.3 * (yr - 2000) + rng.normal())
    ...                       for i, c in enumerate(codes) for yr in range(2000, 2012)],
    ...                      columns=["la_code", "la_name", "year", "indicator", "value"])
    >>> row = synthetic_did(panel, codes[0], codes[1:], 2008, replications=20)[0]
    >>> row["design"], row["n_comparison"], bool(np.isnan(row["p_value"]))
    ('synthetic_did', 11, True)
    """
    rows: list[dict] = []
    label = names(panel)
    tables = wide_all(panel)
    cases: dict[str, tuple] = {}
    for indicator in outcomes(panel):
        table = tables[indicator]
        skip = dict(family=family, design="synthetic_did", outcome=indicator, treatment=treated)
        if treated not in table.index:
            rows.append(skip_row(**skip, reason=f"{treated} has no values of {indicator}"))
            continue
        table = table.loc[:, table.loc[treated].notna()]
        years = np.asarray(table.columns, dtype=int)
        pool = [c for c in donors if c in table.index and table.loc[c].notna().all()]
        T0 = int((years < intervention_year).sum())
        if T0 < 2 or len(years) == T0 or len(pool) < 2:
            rows.append(
                skip_row(
                    **skip,
                    reason=f"needs 2+ pre-years, 1+ post-year and 2+ donors with complete series; "
                    f"has {T0} pre, {len(years) - T0} post, {len(pool)} donors",
                )
            )
            continue
        cases[indicator] = (table.loc[[*pool, treated]].to_numpy(dtype=float), len(pool), T0, years)
    fits = {}
    for shape in {(Y.shape, N0, T0) for Y, N0, T0, _ in cases.values()}:  # one batch per shape
        batch = [k for k, (Y, N0, T0, _) in cases.items() if (Y.shape, N0, T0) == shape]
        fit = sdid_estimate(np.stack([cases[k][0] for k in batch]), shape[1], shape[2])
        fits.update({k: {name: v[j] for name, v in fit.items()} for j, k in enumerate(batch)})
    for indicator, (Y, N0, T0, years) in cases.items():
        fit = fits[indicator]
        est = float(fit["estimate"])
        note = f"plain DiD {fit['did']:.4g}"
        p = lo = hi = se = np.nan
        if N0 >= MIN_DONORS_FOR_CI:
            se, _ = sdid_placebo_se(Y, N0, T0, fit, replications=replications, seed=seed)
            note += f"; placebo SE {se:.4g} ({replications} placebos)"
            if se > 0:  # the SE is a spread over N0 placebo authorities: Student t, N0 - 1 df
                q = float(sps.t.ppf(0.5 + confidence / 2, N0 - 1))
                p = float(2 * sps.t.sf(abs(est) / se, N0 - 1))
                lo, hi = est - q * se, est + q * se
        else:
            note += (
                f"; no p-value or interval: {N0} donors, fewer than {MIN_DONORS_FOR_CI} "
                "(placebo SEs from a handful of controls do not hold their level)"
            )
        post = years >= intervention_year
        rows.append(
            make_row(
                outcome=indicator,
                family=family,
                design="synthetic_did",
                measure="mean",
                scale="level",
                treatment=label.get(treated, treated),
                comparison=f"synthetic DiD over {N0} donors",
                n_treatment=1,
                n_comparison=N0,
                value_treatment=float(Y[-1, post].mean()),
                value_comparison=float(fit["omega"] @ Y[:N0, post].mean(axis=1)),
                difference=est,
                effect_size_name="did_estimate",
                effect_size=est,
                ci_low=lo,
                ci_high=hi,
                test=f"placebo standard error (t, {N0 - 1} df)",
                statistic=est / se if se > 0 else np.nan,
                df=float(N0 - 1) if se > 0 else np.nan,
                p_value=p,
                period=f"pre <{intervention_year} vs post >={intervention_year}",
                method="synthetic DiD (Arkhangelsky et al. 2021; R synthdid 0.0.9 weights); "
                "placebo SE (Algorithm 4)",
                note=note,
            )
        )
    return rows
