"""What the survey comparisons (and other rows with a Wald interval) could detect.

A survey row's test is a t test on a cluster-robust (CR2) standard error with Satterthwaite df, or
Welch's when no units are known; its interval says what the standard error is. The minimum
detectable effect at 80% power is the difference :math:`\\delta` at which the noncentral t with
noncentrality :math:`\\delta/SE` exceeds the two-sided critical value that often. Because the SE is
cluster-robust it carries the design effect of workers sharing units (or authorities): the same
formula on an unclustered sample of the effective size gives the same answer
(``tests/evaluation/test_survey_power.py`` checks it against :func:`rsw_eval.stats.mdes`).
Synthetic DiD and staggered rows (normal or t intervals) get the same treatment.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

__all__ = ["POWER", "explain_missing", "se_range", "survey_power", "wald_mde", "wald_power"]

POWER = 0.8
#: Level of the MDE's range (the columns ``mde_low_min`` .. ``mde_high_max``).
RANGE_LEVEL = 0.8
#: How a design's note begins the clause that says why its row has no test.
_NO_TEST = ("no p-value", "descriptive", "accounts, not a sample", "invalid")
#: Rows whose interval is a symmetric Wald interval (estimate +- critical value x SE).
WALD_DESIGNS = ("cross_section", "synthetic_did", "staggered")


def wald_power(effect: float, se: float, df: float, alpha: float) -> float:
    """Power of the two-sided level-``alpha`` t test (normal when ``df`` is not finite) for a true
    ``effect`` with standard error ``se``: both rejection tails of the noncentral t.

    Examples
    --------
    >>> round(wald_power(2.8016, 1.0, math.inf, 0.05), 3)   # (1.96 + 0.84) SE: 80%
    0.8
    """
    from scipy import special  # the ufuncs behind scipy.stats, without its per-call overhead

    ncp = abs(effect) / se
    if not math.isfinite(df):
        z = special.ndtri(1 - alpha / 2)
        return float(special.ndtr(ncp - z) + special.ndtr(-z - ncp))
    q = special.stdtrit(df, 1 - alpha / 2)
    lower = special.nctdtr(df, ncp, -q)  # the far tail; it may come out NaN where it is ~0
    return float(1 - special.nctdtr(df, ncp, q) + (lower if np.isfinite(lower) else 0.0))


def wald_mde(se: float, df: float, alpha: float, power: float = POWER) -> float:
    """The effect the two-sided level-``alpha`` t test detects with ``power`` (root of
    :func:`wald_power`). With infinite df and one tail this is the textbook
    :math:`(z_{1-\\alpha/2} + z_{power})\\,SE` (Bloom 1995).

    Examples
    --------
    >>> round(wald_mde(1.0, math.inf, 0.05), 4)
    2.8016
    >>> round(wald_mde(1.0, 10, 0.05), 3) > 2.8016   # fewer df, larger MDE
    True
    """
    from scipy import optimize

    if not (se > 0 and math.isfinite(se)) or not df > 0:
        return math.nan
    hi = 10.0
    while wald_power(hi * se, se, df, alpha) < power:
        hi *= 2
    return (
        float(optimize.brentq(lambda m: wald_power(m * se, se, df, alpha) - power, 0.0, hi, xtol=1e-10)) * se
    )


def se_range(se: float, df: float, level: float = RANGE_LEVEL) -> tuple[float, float]:
    r"""The range of the true standard error given an estimate on ``df`` degrees of freedom:
    :math:`\nu \hat s^2/\sigma^2 \sim \chi^2_\nu`, so :math:`\sigma` lies between
    :math:`\hat s \sqrt{\nu/\chi^2_{\nu,(1+l)/2}}` and :math:`\hat s \sqrt{\nu/\chi^2_{\nu,(1-l)/2}}`
    with probability ``level`` (the SE itself when ``df`` is infinite).

    Examples
    --------
    >>> [round(x, 3) for x in se_range(1.0, 10)]
    [0.791, 1.434]
    """
    from scipy import special

    if not math.isfinite(df):
        return se, se
    lo, hi = special.chdtri(df, (1 - level) / 2), special.chdtri(df, (1 + level) / 2)
    return se * math.sqrt(df / lo), se * math.sqrt(df / hi)


def _one(r, confidence: float, effect: float | None) -> dict:
    from scipy import stats

    name = r.effect_size_name
    level = r.ci_level if np.isfinite(r.ci_level) else confidence
    ratio = name.endswith("ratio")
    if ratio:
        if not (r.ci_low > 0 and r.ci_high > 0):
            return {}
        lo, hi, df = math.log(r.ci_low), math.log(r.ci_high), math.inf
    elif np.isfinite(r.difference_ci_low) and np.isfinite(r.difference_ci_high):
        lo, hi, df = r.difference_ci_low, r.difference_ci_high, r.df
    else:
        lo, hi, df = r.ci_low, r.ci_high, r.df
    df = df if np.isfinite(df) and df > 0 else math.inf
    crit = stats.norm.ppf((1 + level) / 2) if math.isinf(df) else stats.t.ppf((1 + level) / 2, df)
    se = (hi - lo) / (2 * crit)
    if not (np.isfinite(se) and se > 0):
        return {}
    alpha = 1 - level
    m = wald_mde(se, df, alpha)
    # from the tested scale to the effect-size scale: g = difference x (g / difference)
    factor = 1.0
    if not ratio and np.isfinite(r.difference_ci_low) and np.isfinite(r.effect_size):
        rms = math.sqrt((r.sd_treatment**2 + r.sd_comparison**2) / 2)
        factor = abs(r.effect_size / r.difference) if r.difference else 1 / rms if rms > 0 else math.nan
    to_effect = np.exp if ratio else (lambda d: d * factor)
    out = {
        "mde_low": float(to_effect(-m)),
        "mde_high": float(to_effect(m)),
        "mde_alpha": alpha,
        "power": math.nan,
        "power_effect": math.nan,
    }
    m1, m2 = (wald_mde(s, df, alpha) for s in se_range(se, df))
    if math.isfinite(df):
        out |= {
            "mde_low_min": float(to_effect(-m2)),
            "mde_low_max": float(to_effect(-m1)),
            "mde_high_min": float(to_effect(m1)),
            "mde_high_max": float(to_effect(m2)),
        }
    if effect is not None:
        base = math.log1p(effect) if ratio else effect * r.value_comparison
        if np.isfinite(base):
            out["power"] = wald_power(base, se, df, alpha)
            out["power_effect"] = float(to_effect(base))
    test = "normal" if math.isinf(df) else "Satterthwaite t"  # df not repeated: it may count clusters
    out["mde_note"] = (
        f"{POWER:.0%} power at the {alpha:.0%} level from the row's standard error ({test}, "
        "noncentral); a cluster-robust SE carries the design effect of respondents sharing units"
        + (
            f"; the SE is an estimate: {RANGE_LEVEL:.0%} range {out['mde_high_min']:.3g} to "
            f"{out['mde_high_max']:.3g} from its df"
            if math.isfinite(df)
            else ""
        )
    )
    return out


def survey_power(table: pd.DataFrame, confidence: float, effect: float | None) -> pd.DataFrame:
    """Fill the ``mde_*`` and ``power*`` columns of primary rows with a Wald interval (survey
    comparisons, synthetic DiD, staggered) and say why every other primary row without one has none.

    ``effect`` is the spec's ``mde_effect``, a relative change: of the comparison group's mean or
    proportion for a difference (so -0.2 is 20% below it), of the rate for a rate ratio.
    """
    rows = table["primary"] & table["design"].isin(WALD_DESIGNS) & table["mde_alpha"].isna()
    for i in table.index[rows]:
        r = table.loc[i]
        filled = _one(r, confidence, effect) if np.isfinite(r.ci_low) and np.isfinite(r.ci_high) else {}
        for col, value in filled.items():
            table.at[i, col] = value
    return explain_missing(table)


def explain_missing(table: pd.DataFrame) -> pd.DataFrame:
    """Give every primary row without an MDE the reason in ``mde_note`` (never a silent blank).

    A row without a test (descriptive: too few adopters or donors, accounts rather than a sample)
    cannot detect anything; the reason is the row's own ("no p-value or interval: 3 adopters, fewer
    than 10"), taken from its ``note``.

    Examples
    --------
    >>> t = pd.DataFrame({"primary": [True], "design": ["staggered"], "mde_low": [np.nan],
    ...                   "mde_note": [""], "p_value": [np.nan],
    ...                   "note": ["x; no p-value or interval: 3 adopters, fewer than 10"]})
    >>> print(explain_missing(t).loc[0, "mde_note"])  # doctest: +NORMALIZE_WHITESPACE
    no MDE: descriptive, no test (no p-value or interval: 3 adopters, fewer than 10), so no effect
    is detectable by this row
    """
    blank = table["primary"] & table["mde_low"].isna() & (table["mde_note"].fillna("") == "")
    for i in table.index[blank]:
        note = str(table.at[i, "note"])
        why = next(
            (c.strip() for c in note.split(";") if c.strip().startswith(_NO_TEST)),
            "the row has no p-value or interval" if pd.isna(table.at[i, "p_value"]) else "",
        )
        table.at[i, "mde_note"] = (
            f"no MDE: descriptive, no test ({why}), so no effect is detectable by this row"
            if why
            else "no MDE: this test's statistic is not moved by an effect of a fixed size"
        )
    return table
