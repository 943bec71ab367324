"""A national synthetic-DiD screen: every authority in turn against all the others, with placebo
standard errors (issue 19 item 7), its fits batched.

Two placebo schemes:

- ``placebo="in_space"`` (default): the screen already fits every authority against all the
  others, so those fits are the placebos. Authority ``a``'s SE is
  :math:`\\sqrt{(K-1)/K}` times the SD of the other ``K`` placebo authorities' estimates (each
  against all the rest), the in-space placebo distribution of synthetic control (Abadie, Diamond
  & Hainmueller 2010) used as synthdid's Algorithm 4 uses its placebos. One fit per authority:
  152 authorities in seconds. It differs from Algorithm 4 in that authority ``a`` stays in the
  other authorities' donor pools; under the null that changes nothing in distribution, and an
  effect at ``a`` reaches another estimate only through ``a``'s weight in its fit (on average
  1/K). ``validation/sim_screen.py`` measures its size and its SE beside Algorithm 4's.
- ``placebo="resample"``: exactly :func:`~rsw_eval.designs.sdid.sdid_estimate` and
  :func:`~rsw_eval.designs.sdid.sdid_placebo_se` on the panel with the other authorities (in
  their order) as controls and ``a`` last, R synthdid's placebo SE to the last digit, with the
  placebo fits of several authorities batched in groups sized so that memory stays bounded:
  ``replications`` refits per authority, about 100 times the work.
"""

from __future__ import annotations

import numpy as np

from rsw_eval.designs.sdid import _estimate, _weights, sdid_estimate

__all__ = ["sdid_screen"]

#: Bytes of placebo panels (replications x controls x periods per authority) built at once.
GROUP_BYTES = 64 * 2**20


def sdid_screen(
    Y: np.ndarray,
    T0: int,
    *,
    placebo: str = "in_space",
    placebo_units: np.ndarray | None = None,
    replications: int = 200,
    seed: int = 0,
) -> dict:
    """Synthetic DiD of each unit (row of ``Y``) against all the others, with placebo SEs.

    Parameters
    ----------
    Y : ndarray, shape (units, periods)
        Complete series; pre-periods first (columns ``:T0``).
    T0 : int
        Number of pre-periods.
    placebo : {"in_space", "resample"}, default "in_space"
        Where the placebo estimates come from (see the module's description).
    placebo_units : ndarray of bool, shape (units,), optional
        ``"in_space"`` only: the units whose estimates may serve as placebos (default all); leave
        out authorities known to have changed (adopters), whose own effects are not noise.
    replications : int, default 200
        ``"resample"`` only: placebo replications per unit (Arkhangelsky et al. 2021, Algorithm 4).
    seed : int, default 0
        ``"resample"`` only: seed of each unit's permutations (as
        :func:`~rsw_eval.designs.sdid.sdid_placebo_se`).

    Returns
    -------
    dict
        ``estimate`` and ``se`` (units,), ``placebos`` (units, replications) for ``"resample"``
        or (units, units) with NaN where a unit is not a placebo of another for ``"in_space"``,
        ``did`` (units,) and the fits' ``omega`` (units, units - 1) and ``lambda`` (units, T0).
        Row ``a``'s estimate equals the one-at-a-time fit of unit ``a`` with the other units, in
        order, as controls.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> Y = rng.normal(size=(6, 8)).cumsum(axis=1)
    >>> r = sdid_screen(Y, 5)
    >>> r["estimate"].shape, r["se"].shape, bool((r["se"] > 0).all())
    ((6,), (6,), True)
    >>> bool(np.isnan(r["placebos"][0, 0]) and r["placebos"][0, 1] == r["estimate"][1])
    True
    """
    Y = np.asarray(Y, dtype=float)
    n, periods = Y.shape
    n0 = n - 1
    if n0 < 2:
        raise ValueError("the screen needs at least three units (each placebo needs a control)")
    if placebo not in ("in_space", "resample"):
        raise ValueError(f"placebo must be 'in_space' or 'resample', not {placebo!r}")
    order = np.array([np.r_[np.delete(np.arange(n), a), a] for a in range(n)])
    panels = Y[order]  # (units, units, periods): unit a last, the others in order before it
    fit = sdid_estimate(panels, n0, T0)
    keep = ("estimate", "did", "omega", "lambda")
    if placebo == "in_space":
        return {k: fit[k] for k in keep} | _in_space(fit["estimate"], placebo_units)
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
    return {k: fit[k] for k in keep} | {"se": se, "placebos": placebos}


def _in_space(estimate: np.ndarray, placebo_units: np.ndarray | None) -> dict:
    """Each unit's SE from the other placebo units' estimates (NaN with fewer than two)."""
    n = estimate.size
    usable = np.ones(n, dtype=bool) if placebo_units is None else np.asarray(placebo_units, dtype=bool)
    if usable.shape != (n,):
        raise ValueError(f"placebo_units must be {n} booleans, one per unit")
    mask = usable[None, :] & ~np.eye(n, dtype=bool)
    placebos = np.where(mask, estimate[None, :], np.nan)
    k = mask.sum(axis=1)
    mean = (mask @ estimate) / np.maximum(k, 1)
    centred = np.where(mask, estimate[None, :] - mean[:, None], 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        se = np.sqrt((centred**2).sum(axis=1) / k)  # sqrt((K-1)/K) x the SD with ddof 1
    return {"se": np.where(k >= 2, se, np.nan), "placebos": placebos}
