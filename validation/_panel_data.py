"""Authority x year panels for the panel-design simulations (vectorised over replications)."""

from __future__ import annotations

import numpy as np


def errors(rng, reps: int, n_units: int, n_years: int, rho: float = 0.0) -> np.ndarray:
    """Unit-variance errors, iid or stationary AR(1) along years: shape (reps, n_units, n_years)."""
    e = rng.standard_normal((reps, n_units, n_years))
    if rho:
        e[..., 0] /= np.sqrt(1 - rho**2)
        for t in range(1, n_years):
            e[..., t] += rho * e[..., t - 1]
        e *= np.sqrt(1 - rho**2)
    return e


def panel(
    rng,
    reps: int,
    *,
    n_treated: int = 1,
    n_units: int = 11,
    n_pre: int = 4,
    n_post: int = 9,
    rho: float = 0.0,
    treated_sd: float = 1.0,
    effect: float = 0.0,
    effect_shape: str = "step",
) -> tuple[np.ndarray, np.ndarray]:
    """y = authority level + common year shocks and trend + noise (+ effect on the treated after).

    The first ``n_treated`` units are treated; their noise SD is ``treated_sd`` (others 1).
    ``effect_shape`` "step" adds ``effect`` to every post year; "slope" adds ``effect * (t - T0)``.
    Returns ``(years, y)`` with years relative to the intervention (0 = first post year).
    """
    years = np.arange(-n_pre, n_post)
    level = rng.normal(0, 3, (reps, n_units, 1))
    shocks = rng.normal(0, 1, (reps, 1, years.size)) + 0.3 * years
    sd = np.ones((1, n_units, 1))
    sd[0, :n_treated, 0] = treated_sd
    y = level + shocks + sd * errors(rng, reps, n_units, years.size, rho)
    post = years >= 0
    bump = effect * (years * post if effect_shape == "slope" else post)
    y[:, :n_treated, :] += bump
    return years, y


def chunks(reps: int, size: int):
    """Replication counts in chunks of at most ``size`` (memory stays small)."""
    done = 0
    while done < reps:
        yield min(size, reps - done)
        done += size
