"""Power and minimum detectable effect for two-group comparisons, with a design effect for clusters."""

from __future__ import annotations

import numpy as np
from scipy import optimize, stats

from rsw_eval.stats._checks import check_alternative, positive

__all__ = ["mdes", "power_two_means", "power_two_proportions"]


def _check_common(alpha: float, design_effect: float, func: str) -> None:
    if not 0 < alpha < 1:
        raise ValueError(f"The 'alpha' parameter of {func} must be a float in (0, 1). Got {alpha!r}.")
    if design_effect < 1:
        raise ValueError(f"The 'design_effect' parameter of {func} must be >= 1. Got {design_effect!r}.")


def power_two_means(
    effect_size: float,
    n1: float,
    n2: float,
    *,
    alpha: float = 0.05,
    design_effect: float = 1.0,
    alternative: str = "two-sided",
    strict: bool = True,
) -> float:
    """Power of the two-sample t test to detect a standardised difference ``effect_size``.

    Parameters
    ----------
    effect_size : float
        True standardised mean difference (Cohen's d).
    n1, n2 : float
        Group sizes (individuals).
    alpha : float, default 0.05
        Significance level.
    design_effect : float, default 1
        For clustered samples, :math:`1 + (m - 1)\\rho`; group sizes are divided by it.
    alternative : {"two-sided", "greater", "less"}
        Alternative of the test.
    strict : bool, default True
        Two-sided only: count both rejection tails (R ``power.t.test(strict = TRUE)``); False counts
        the tail in the direction of the effect only (R's default).

    Returns
    -------
    float
        Power, using the noncentral t with :math:`\\nu = n_1' + n_2' - 2` and
        :math:`\\lambda = d\\sqrt{n_1'n_2'/(n_1' + n_2')}`, :math:`n_i' = n_i/\\text{deff}`.

    Examples
    --------
    >>> round(power_two_means(1.0, 20, 20, strict=False), 7)   # R: power.t.test(n = 20, delta = 1)
    0.8689528
    """
    func = "power_two_means"
    _check_common(alpha, design_effect, func)
    check_alternative(alternative, func)
    n1e, n2e = positive(n1, "n1", func) / design_effect, positive(n2, "n2", func) / design_effect
    df = n1e + n2e - 2
    if df <= 0:
        raise ValueError(f"{func} needs more than 2 effective observations. Got {n1e + n2e:g}.")
    ncp = effect_size * np.sqrt(n1e * n2e / (n1e + n2e))
    if alternative == "two-sided":
        q = stats.t.ppf(1 - alpha / 2, df)
        upper, lower = stats.nct.sf(q, df, abs(ncp)), stats.nct.cdf(-q, df, abs(ncp))
        return float(upper + lower if strict else upper)
    q = stats.t.ppf(1 - alpha, df)
    return float(stats.nct.sf(q, df, ncp) if alternative == "greater" else stats.nct.cdf(-q, df, ncp))


def power_two_proportions(
    p1: float,
    p2: float,
    n1: float,
    n2: float,
    *,
    alpha: float = 0.05,
    design_effect: float = 1.0,
    strict: bool = True,
) -> float:
    """Power of the two-sided two-proportion z test (normal approximation).

    Parameters
    ----------
    p1, p2 : float
        True proportions in the two groups.
    n1, n2 : float
        Group sizes.
    alpha : float, default 0.05
        Significance level.
    design_effect : float, default 1
        Group sizes are divided by it.
    strict : bool, default True
        Count both rejection tails; False counts only the tail in the direction of the effect
        (as R ``power.prop.test``'s default).

    Returns
    -------
    float
        :math:`\\Phi((|\\delta| - z_{1-\\alpha/2}\\sigma_0)/\\sigma_1)` (+ the other tail), with
        :math:`\\sigma_0^2 = \\bar p\\bar q(1/n_1 + 1/n_2)` under the null (pooled
        :math:`\\bar p`) and :math:`\\sigma_1^2 = p_1q_1/n_1 + p_2q_2/n_2`.

    Examples
    --------
    >>> round(power_two_proportions(0.5, 0.75, 50, 50, strict=False), 7)   # R power.prop.test
    0.7401659
    """
    func = "power_two_proportions"
    _check_common(alpha, design_effect, func)
    for name, p in (("p1", p1), ("p2", p2)):
        if not 0 < p < 1:
            raise ValueError(f"The '{name}' parameter of {func} must be in (0, 1). Got {p!r}.")
    n1e, n2e = positive(n1, "n1", func) / design_effect, positive(n2, "n2", func) / design_effect
    pbar = (n1e * p1 + n2e * p2) / (n1e + n2e)
    s0 = np.sqrt(pbar * (1 - pbar) * (1 / n1e + 1 / n2e))
    s1 = np.sqrt(p1 * (1 - p1) / n1e + p2 * (1 - p2) / n2e)
    z = stats.norm.ppf(1 - alpha / 2)
    delta = abs(p1 - p2)
    power = stats.norm.cdf((delta - z * s0) / s1)
    if strict:
        power += stats.norm.cdf((-delta - z * s0) / s1)
    return float(power)


def mdes(
    n1: float,
    n2: float,
    *,
    power: float = 0.8,
    alpha: float = 0.05,
    design_effect: float = 1.0,
    alternative: str = "two-sided",
) -> float:
    """Minimum detectable standardised effect (Cohen's d) for the sample sizes at hand.

    Parameters
    ----------
    n1, n2 : float
        Group sizes.
    power : float, default 0.8
        Required power.
    alpha : float, default 0.05
        Significance level.
    design_effect : float, default 1
        For clustered samples.
    alternative : {"two-sided", "greater", "less"}
        Alternative of the test (the effect is returned as a positive number).

    Returns
    -------
    float
        The d at which :func:`power_two_means` equals ``power`` (root found by Brent's method).

    Examples
    --------
    >>> round(mdes(63.76561, 63.76561), 4)   # R pwr.t.test(d = 0.5, power = 0.8): n = 63.76561
    0.5
    """
    func = "mdes"
    if not 0 < power < 1:
        raise ValueError(f"The 'power' parameter of {func} must be a float in (0, 1). Got {power!r}.")
    _check_common(alpha, design_effect, func)
    alt = "greater" if alternative == "less" else alternative

    def target(d: float) -> float:
        return power_two_means(d, n1, n2, alpha=alpha, design_effect=design_effect, alternative=alt) - power

    hi = 1.0
    while target(hi) < 0:
        hi *= 2
        if hi > 1e3:
            raise ValueError(f"{func}: no effect size reaches power {power} with these sizes.")
    return float(optimize.brentq(target, 0.0, hi, xtol=1e-12))
