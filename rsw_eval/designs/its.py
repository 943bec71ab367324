"""Interrupted time series: segmented regression of the treated authority's indicators."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats as sps

from rsw_eval.designs._panel import COUNT_INDICATORS, names, newey_west_lags, outcomes, wide, wide_all
from rsw_eval.designs._rows import make_row

__all__ = ["its", "segmented_fit"]


def segmented_fit(
    years: np.ndarray,
    y: np.ndarray,
    intervention_year: int,
    *,
    population: np.ndarray | None = None,
    confidence: float = 0.95,
) -> dict:
    """Fit :math:`y_t = \\beta_0 + \\beta_1 t + \\beta_2 P_t + \\beta_3 (t - T_0) P_t` with
    Newey-West (HAC) standard errors; Poisson with a log-population offset when ``population``
    is given (counts).

    Returns
    -------
    dict
        ``level`` and ``slope`` (each: estimate, ci_low, ci_high, z, p_value), ``lags``, ``n`` and
        ``model``. For the Poisson model the estimates are on the log scale.

    Examples
    --------
    >>> years = np.arange(2000, 2010)
    >>> y = 10 + 0.5 * (years - 2000) - 3 * (years >= 2005)   # a level drop of 3, no slope change
    >>> fit = segmented_fit(years, y.astype(float), 2005)
    >>> round(fit["level"]["estimate"], 6), round(fit["slope"]["estimate"], 6)
    (-3.0, 0.0)
    """
    import statsmodels.api as sm

    ok = np.isfinite(y) & (np.isfinite(population) if population is not None else True)
    t = years[ok].astype(float)
    post = (t >= intervention_year).astype(float)
    X = np.column_stack([np.ones_like(t), t - intervention_year, post, (t - intervention_year) * post])
    lags = newey_west_lags(len(t))
    hac = {"cov_type": "HAC", "cov_kwds": {"maxlags": lags}}
    if population is not None:
        model = sm.GLM(y[ok], X, family=sm.families.Poisson(), offset=np.log(population[ok]))
        fit = model.fit(method="newton", **hac)
        label = "Poisson GLM with log-population offset"
    else:
        fit = sm.OLS(y[ok], X).fit(**hac)
        label = "OLS"
    z = sps.norm.ppf(0.5 + confidence / 2)
    out = {"lags": lags, "n": int(ok.sum()), "model": label}
    for name, j in (("level", 2), ("slope", 3)):
        b, se = float(fit.params[j]), float(fit.bse[j])
        stat = b / se if se > 0 else np.nan
        out[name] = {
            "estimate": b,
            "ci_low": b - z * se,
            "ci_high": b + z * se,
            "z": stat,
            "p_value": float(2 * sps.norm.sf(abs(stat))) if se > 0 else np.nan,
        }
    return out


def its(
    panel: pd.DataFrame, treated: Sequence[str], intervention_year: int, *, confidence: float = 0.95
) -> list[dict]:
    """Level and slope change at ``intervention_year`` for each treated authority and indicator.

    Counts use a Poisson model with the 0-17 population as offset where the panel has it (the level
    change is then a rate ratio); other indicators OLS. Standard errors are Newey-West with
    floor(4 (n/100)^(2/9)) lags (Newey & West 1994), at least 1.
    """
    rows: list[dict] = []
    label = names(panel)
    pop = wide(panel, "population_0_17") if "population_0_17" in set(panel["indicator"]) else None

    tables = wide_all(panel)
    for indicator in outcomes(panel):
        table = tables[indicator]
        years = np.asarray(table.columns, dtype=int)
        if (years < intervention_year).sum() < 3 or (years >= intervention_year).sum() < 3:
            continue
        for code in treated:
            if code not in table.index:
                continue
            y = table.loc[code].to_numpy(dtype=float)
            population = None
            if indicator in COUNT_INDICATORS and pop is not None and code in pop.index:
                population = pop.loc[code].reindex(years).to_numpy(dtype=float)
            fit = segmented_fit(years, y, intervention_year, population=population, confidence=confidence)
            poisson = population is not None
            method = (
                f"segmented regression ({fit['model']}), Newey-West SE with {fit['lags']} "
                f"lags, {fit['n']} years"
            )
            base = dict(
                outcome=indicator,
                family="admin",
                design="its",
                treatment=label.get(code, code),
                comparison=f"own trend before {intervention_year}",
                scale="log" if poisson else "level",
                period=f"{years.min()}-{years.max()}",
                n_treatment=fit["n"],
                test="Wald z (HAC)",
                method=method,
            )
            for part, primary in (("level", True), ("slope", False)):
                f = fit[part]
                est, lo, hi = f["estimate"], f["ci_low"], f["ci_high"]
                if poisson:
                    est, lo, hi = np.exp(est), np.exp(lo), np.exp(hi)
                rows.append(
                    make_row(
                        **base,
                        measure="rate" if poisson else "mean",
                        primary=primary,
                        effect_size_name=f"{part}_change" + ("_ratio" if poisson else ""),
                        effect_size=est,
                        ci_low=lo,
                        ci_high=hi,
                        statistic=f["z"],
                        p_value=f["p_value"],
                        note=(
                            "rate ratio per " + ("step" if part == "level" else "year") + "; "
                            if poisson
                            else ""
                        )
                        + ("" if primary else "secondary: change in slope"),
                    )
                )
    return rows
