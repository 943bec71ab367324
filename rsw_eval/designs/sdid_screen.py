"""A national synthetic-DiD screen: every authority in turn against all the others, with placebo
standard errors (issue 19 item 7), its fits batched.

Authorities known to have changed (``adopters``) are never donors nor placebos: each adopter is
fitted against the authorities that did not adopt, and each of those against the others that did
not, so an adopter's own effect reaches no other authority's estimate or SE. Two placebo schemes:

- ``placebo="in_space"`` (default): the screen already fits every non-adopter against the other
  non-adopters, so those fits are the placebos. Authority ``a``'s SE is
  :math:`\\sqrt{(K-1)/K}` times the SD of the ``K`` non-adopters' estimates other than ``a``'s,
  the in-space placebo distribution of synthetic control (Abadie, Diamond & Hainmueller 2010)
  used as synthdid's Algorithm 4 uses its placebos. One fit per authority: 152 authorities in
  seconds. It differs from Algorithm 4 in that a non-adopter ``a`` stays in the other
  non-adopters' donor pools, which under the null changes nothing in distribution.
  ``validation/sim_screen.py`` measures its size (with adopters in the panel) and its SE beside
  Algorithm 4's.
- ``placebo="resample"``: exactly :func:`~rsw_eval.designs.sdid.sdid_estimate` and
  :func:`~rsw_eval.designs.sdid.sdid_placebo_se` on the panel with the authority's donors (in
  their order) as controls and the authority last, R synthdid's placebo SE to the last digit, with
  the placebo fits of several authorities batched in groups sized so that memory stays bounded:
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
    adopters: np.ndarray | None = None,
    placebo: str = "in_space",
    replications: int = 200,
    seed: int = 0,
) -> dict:
    """Synthetic DiD of each unit (row of ``Y``) against the units that did not adopt, with
    placebo SEs.

    Parameters
    ----------
    Y : ndarray, shape (units, periods)
        Complete series (a missing value is an error naming its rows); pre-periods first
        (columns ``:T0``).
    T0 : int
        Number of pre-periods, from 2 to ``periods - 1``.
    adopters : ndarray of bool, shape (units,), optional
        Units known to have changed (e.g. the model's adopters): estimated against the others,
        never donors nor placebos. Default none. At least three units must remain.
    placebo : {"in_space", "resample"}, default "in_space"
        Where the placebo estimates come from (see the module's description).
    replications : int, default 200
        ``"resample"`` only: placebo replications per unit (Arkhangelsky et al. 2021, Algorithm 4).
    seed : int, default 0
        ``"resample"`` only: seed of each unit's permutations (as
        :func:`~rsw_eval.designs.sdid.sdid_placebo_se`).

    Returns
    -------
    dict
        ``estimate``, ``se`` and ``did`` (units,); ``placebos``: (units, replications) for
        ``"resample"``, or (units, units) holding the estimates each unit's SE was taken from (NaN
        elsewhere) for ``"in_space"``; ``omega`` (units, units), each unit's donor weights (0 for
        a unit outside its pool and on the diagonal), and ``lambda`` (units, T0). An SE of a
        series with no variation is NaN, not 0. Row ``a`` equals the one-at-a-time fit of unit
        ``a`` with its donors, in order, as controls.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> Y = rng.normal(size=(6, 8)).cumsum(axis=1)
    >>> r = sdid_screen(Y, 5, adopters=np.array([True, False, False, False, False, False]))
    >>> r["estimate"].shape, r["se"].shape, bool((r["se"] > 0).all())
    ((6,), (6,), True)
    >>> float(r["omega"][1, 0]), bool(np.isnan(r["placebos"][1, 0]))  # unit 0: no donor, no placebo
    (0.0, True)
    """
    Y = np.asarray(Y, dtype=float)
    n, periods = Y.shape
    adopted = np.zeros(n, dtype=bool) if adopters is None else _flags(adopters, n)
    _check(Y, T0, adopted, placebo)
    pools = [np.flatnonzero(~adopted & (np.arange(n) != a)) for a in range(n)]
    out = {
        "estimate": np.empty(n),
        "did": np.empty(n),
        "omega": np.zeros((n, n)),
        "lambda": np.empty((n, T0)),
        "se": np.empty(n),
    }
    placebos = np.full((n, n if placebo == "in_space" else replications), np.nan)
    for group in (np.flatnonzero(adopted), np.flatnonzero(~adopted)):  # one pool size per group
        if not group.size:
            continue
        order = np.array([np.r_[pools[a], a] for a in group])
        n0 = order.shape[1] - 1
        fit = sdid_estimate(Y[order], n0, T0)
        out["estimate"][group], out["did"][group], out["lambda"][group] = (
            fit["estimate"],
            fit["did"],
            fit["lambda"],
        )
        out["omega"][group[:, None], order[:, :-1]] = fit["omega"]
        if placebo == "resample":
            out["se"][group], placebos[group] = _resample(Y[order], n0, T0, fit, replications, seed)
    if placebo == "in_space":
        out["se"], placebos = _in_space(out["estimate"], ~adopted)
    scale = np.abs(Y).max()
    out["se"] = np.where(out["se"] > 1e-12 * scale, out["se"], np.nan)  # no variation: no SE
    return out | {"placebos": placebos}


def _flags(adopters, n: int) -> np.ndarray:
    """``adopters`` as booleans: only True/False (or 1/0) per unit, so an index list or a NaN is
    refused rather than read as flags."""
    raw = np.asarray(adopters)
    if raw.shape != (n,):
        raise ValueError(f"adopters must be {n} booleans, one per unit; found shape {raw.shape}")
    if raw.dtype != bool and not (np.issubdtype(raw.dtype, np.number) and np.isin(raw, (0, 1)).all()):
        raise ValueError("adopters must be booleans (True for an adopter), one per unit; found other values")
    return raw.astype(bool)


def _check(Y: np.ndarray, T0: int, adopted: np.ndarray, placebo: str) -> None:
    """The screen's inputs, each refused with what was expected and what was found."""
    n, periods = Y.shape
    if placebo not in ("in_space", "resample"):
        raise ValueError(f"placebo must be 'in_space' or 'resample', not {placebo!r}")
    if not 2 <= T0 <= periods - 1:
        raise ValueError(f"T0 must be from 2 to {periods - 1} (pre-periods of {periods}); found {T0}")
    missing = np.flatnonzero(~np.isfinite(Y).all(axis=1))
    if missing.size:
        rows = ", ".join(map(str, missing[:10])) + (" ..." if missing.size > 10 else "")
        raise ValueError(
            f"the screen needs complete series: {missing.size} unit(s) have missing or infinite "
            f"values (rows {rows}); drop or fill them first"
        )
    if (~adopted).sum() < 3:
        raise ValueError(
            f"the screen needs at least three units that did not adopt (each placebo needs two "
            f"donors); found {int((~adopted).sum())}"
        )


def _resample(panels, n0, T0, fit, replications, seed):
    """Algorithm 4's placebo SEs of a batch of authorities sharing one number of donors."""
    count, _, periods = panels.shape
    rng = np.random.default_rng(seed)  # every unit draws the same permutations (same seed, same N0)
    perms = np.stack([rng.permutation(n0) for _ in range(replications)])
    m = n0 - 1  # placebo controls: the last permuted control is the placebo treated
    placebos = np.empty((count, replications))
    size = max(1, GROUP_BYTES // (8 * replications * n0 * periods))
    for lo in range(0, count, size):
        units = np.arange(lo, min(count, lo + size))
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
    return se, placebos


def _in_space(estimate: np.ndarray, usable: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each unit's SE from the usable units' estimates other than its own (NaN with fewer than
    two), and those estimates (units, units; NaN where not used)."""
    n = estimate.size
    mask = usable[None, :] & ~np.eye(n, dtype=bool)
    placebos = np.where(mask, estimate[None, :], np.nan)
    k = mask.sum(axis=1)
    mean = (mask @ estimate) / np.maximum(k, 1)
    centred = np.where(mask, estimate[None, :] - mean[:, None], 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        se = np.sqrt((centred**2).sum(axis=1) / k)  # sqrt((K-1)/K) x the SD with ddof 1
    return np.where(k >= 2, se, np.nan), placebos
