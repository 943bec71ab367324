"""The plain script for synthetic DiD with placebo standard errors: a line-by-line numpy port of R
``synthdid`` 0.0.9 (``sc.weight.fw`` with an intercept, ``synthdid_estimate``, ``vcov(method =
"placebo")``), one fit at a time, as an analyst without a batched solver would write it. The
peer of bench_sdid.py; it does not import rsw_eval.
"""

from __future__ import annotations

import numpy as np


def fw_step(A, x, b, eta):
    Ax = A @ x
    half_grad = (Ax - b) @ A + eta * x
    i = int(np.argmin(half_grad))
    d_x = -x.copy()
    d_x[i] = 1 - x[i]
    if not d_x.any():
        return x
    d_err = A[:, i] - Ax
    step = -(half_grad @ d_x) / (d_err @ d_err + eta * (d_x @ d_x))
    return x + min(1.0, max(0.0, step)) * d_x


def sc_weight_fw(Y, zeta, start, min_decrease, max_iter):
    Y = Y - Y.mean(axis=0)
    A, b = Y[:, :-1], Y[:, -1]
    n = Y.shape[0]
    x, vals, t = start.copy(), [], 0
    while t < max_iter and (t < 2 or vals[-2] - vals[-1] > min_decrease**2):
        x = fw_step(A, x, b, n * zeta**2)
        err = A @ x - b
        vals.append(zeta**2 * (x @ x) + (err @ err) / n)
        t += 1
    return x


def sparsify(v):
    v = np.where(v <= v.max() / 4, 0.0, v)
    return v / v.sum()


def weights(Y, N0, T0, zeta_omega, zeta_lambda, min_decrease, omega0, lambda0):
    lam_problem = np.column_stack([Y[:N0, :T0], Y[:N0, T0:].mean(axis=1)])
    om_problem = np.vstack([Y[:N0, :T0], Y[N0:, :T0].mean(axis=0)]).T
    lam = sc_weight_fw(lam_problem, zeta_lambda, lambda0, min_decrease, 100)
    lam = sc_weight_fw(lam_problem, zeta_lambda, sparsify(lam), min_decrease, 10000)
    om = sc_weight_fw(om_problem, zeta_omega, omega0, min_decrease, 100)
    om = sc_weight_fw(om_problem, zeta_omega, sparsify(om), min_decrease, 10000)
    return om, lam


def estimate(Y, N0, T0, om, lam):
    return (
        np.r_[-om, np.full(Y.shape[0] - N0, 1 / (Y.shape[0] - N0))]
        @ Y
        @ np.r_[-lam, np.full(Y.shape[1] - T0, 1 / (Y.shape[1] - T0))]
    )


def synthdid(Y, N0, T0, replications=200, seed=0):
    """Estimate and placebo SE; the placebo draws are those of rsw_eval (numpy permutations)."""
    N1, T1 = Y.shape[0] - N0, Y.shape[1] - T0
    noise = np.diff(Y[:N0, :T0], axis=1).std(ddof=1)
    zo, zl, md = (N1 * T1) ** 0.25 * noise, 1e-6 * noise, 1e-5 * noise
    om, lam = weights(Y, N0, T0, zo, zl, md, np.full(N0, 1 / N0), np.full(T0, 1 / T0))
    est = estimate(Y, N0, T0, om, lam)
    rng = np.random.default_rng(seed)
    placebos = []
    for _ in range(replications):
        perm = rng.permutation(N0)
        Yp, n0 = Y[perm], N0 - N1
        o0 = om[perm[:n0]] / om[perm[:n0]].sum()
        o, la = weights(Yp, n0, T0, zo, zl, md, o0, lam)
        placebos.append(estimate(Yp, n0, T0, o, la))
    return est, np.sqrt((replications - 1) / replications) * np.std(placebos, ddof=1)
