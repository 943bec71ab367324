"""A national synthetic-DiD screen: every authority in turn against all the others, with placebo
standard errors (issue 19 item 7), its fits batched.

For authority ``a`` the result is exactly that of :func:`~rsw_eval.designs.sdid.sdid_estimate`
and :func:`~rsw_eval.designs.sdid.sdid_placebo_se` on the panel with the other authorities (in
their order) as controls and ``a`` last: the same Frank-Wolfe iterates, to the last digit. What
changes is how the fits are run: all authorities' estimates in one batch, and the placebo fits
of several authorities together (each authority's replications permute its controls exactly as
``sdid_placebo_se`` does), in groups sized so that memory stays bounded.
"""

from __future__ import annotations

import numpy as np

from rsw_eval.designs.sdid import _estimate, _weights, sdid_estimate

__all__ = ["sdid_screen"]

#: Bytes of placebo panels (replications x controls x periods per authority) built at once.
GROUP_BYTES = 64 * 2**20


def sdid_screen(Y: np.ndarray, T0: int, *, replications: int = 200, seed: int = 0) -> dict:
    """Synthetic DiD of each unit (row of ``Y``) against all the others, with placebo SEs.

    Parameters
    ----------
    Y : ndarray, shape (units, periods)
        Complete series; pre-periods first (columns ``:T0``).
    T0 : int
        Number of pre-periods.
    replications : int, default 200
        Placebo replications per unit (Arkhangelsky et al. 2021, Algorithm 4).
    seed : int, default 0
        Seed of each unit's placebo permutations (as :func:`~rsw_eval.designs.sdid.sdid_placebo_se`).

    Returns
    -------
    dict
        ``estimate`` and ``se`` (units,), ``placebos`` (units, replications), ``did`` (units,)
        and the fits' ``omega`` (units, units - 1) and ``lambda`` (units, T0). Row ``a`` equals
        the one-at-a-time fit of unit ``a`` with the other units, in order, as controls.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> Y = rng.normal(size=(6, 8)).cumsum(axis=1)
    >>> r = sdid_screen(Y, 5, replications=10)
    >>> r["estimate"].shape, r["se"].shape, bool((r["se"] > 0).all())
    ((6,), (6,), True)
    """
    Y = np.asarray(Y, dtype=float)
    n, periods = Y.shape
    n0 = n - 1
    if n0 < 2:
        raise ValueError("the screen needs at least three units (each placebo needs a control)")
    order = np.array([np.r_[np.delete(np.arange(n), a), a] for a in range(n)])
    panels = Y[order]  # (units, units, periods): unit a last, the others in order before it
    fit = sdid_estimate(panels, n0, T0)
    rng = np.random.default_rng(seed)  # every unit draws the same permutations (same seed, same N0)
    perms = np.stack([rng.permutation(n0) for _ in range(replications)])
    m = n0 - 1  # placebo controls: the last permuted control is the placebo treated
    placebos = np.empty((n, replications))
    size = max(1, GROUP_BYTES // (8 * replications * n0 * periods))
    for lo in range(0, n, size):
        units = np.arange(lo, min(n, lo + size))
        Yb = panels[units][:, perms].reshape(-1, n0, periods)
        om0 = fit["omega"][units][:, perms[:, :m]].reshape(-1, m)  # C order: rows summed as one at a time
        om0 = om0 / om0.sum(axis=1, keepdims=True)
        lam0 = np.repeat(fit["lambda"][units], replications, axis=0)
        settings = (
            np.repeat(fit[k][units], replications) for k in ("zeta_omega", "zeta_lambda", "min_decrease")
        )
        om, lam = _weights(Yb, m, T0, *settings, om0, lam0)
        placebos[units] = _estimate(Yb, m, T0, om, lam).reshape(units.size, replications)
    se = np.sqrt((replications - 1) / replications) * placebos.std(axis=1, ddof=1)
    return {
        "estimate": fit["estimate"],
        "se": se,
        "placebos": placebos,
        "did": fit["did"],
        "omega": fit["omega"],
        "lambda": fit["lambda"],
    }
