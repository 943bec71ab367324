"""Interrupted time series: the treated authority's level and slope change at the intervention.

Two analyses per indicator and treated authority:

* **Comparative ITS** (when at least two comparators have the series): the segmented regression of
  the treated series minus the comparators' mean, tested by a studentised permutation over the
  treated and comparators (each in turn against the mean of the others) and with the interval
  obtained by inverting that test. Common shocks and trends drop out, and the permutation test is
  exact under exchangeability whatever the length of the series and its autocorrelation. Counts
  are analysed as log rates per child (0-17 population) where the panel has it, so the level change
  is a rate ratio.
* **Own-trend ITS** (the authority against the extrapolation of its own pre-period trend):
  descriptive only. With fewer than :data:`MIN_PRE_POINTS` pre-period years the pre-trend itself is
  too uncertain to extrapolate; with more, a model-based test on one short annual series still does
  not hold its size: Newey-West z gave 41% false positives at 13 points (issue #9), and classical t
  with the residual df rejects about 20% at 17 points when errors are AR(1) with rho 0.6, which 17
  points cannot rule out (validation/sim_its.py); in trials, Newey-West with the small-sample
  adjustment and t df (31%) and fixed-b critical values (10%) did no better. So the estimate is
  shown, with no p-value or interval, and the reason.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial

import numpy as np
import pandas as pd

from rsw_eval.designs._joint import PLACEBO_KEY, placebo_statistics
from rsw_eval.designs._panel import (
    COUNT_INDICATORS,
    inverted_interval,
    level_note,
    names,
    outcomes,
    panel_permutation,
    unit_contrasts,
    wide,
    wide_all,
)
from rsw_eval.designs._power import placebo_dates, power_columns, relative_effect, treated_df
from rsw_eval.designs._rows import make_row, skip_row
from rsw_eval.io._years import period_text

__all__ = ["MIN_PRE_POINTS", "its", "segmented_design", "segmented_fit"]

#: Pre-period points below which even the own-trend estimate is flagged as resting on too short a
#: pre-trend (it is descriptive in every case; see the module docstring).
MIN_PRE_POINTS = 8
#: Points needed on each side of the intervention to fit a level and a slope change at all.
MIN_SIDE_POINTS = 3


def segmented_design(years: np.ndarray, intervention_year: int) -> np.ndarray:
    """Columns of the segmented regression: 1, t - T0, post, (t - T0) post.

    Examples
    --------
    >>> segmented_design(np.array([2006, 2007, 2008, 2009]), 2008).tolist()
    [[1.0, -2.0, 0.0, -0.0], [1.0, -1.0, 0.0, -0.0], [1.0, 0.0, 1.0, 0.0], [1.0, 1.0, 1.0, 1.0]]
    """
    t = np.asarray(years, dtype=float) - intervention_year
    post = (t >= 0).astype(float)
    return np.column_stack([np.ones_like(t), t, post, t * post])


def segmented_fit(
    years: np.ndarray, y: np.ndarray, intervention_year: int, *, population: np.ndarray | None = None
) -> dict:
    """Fit :math:`y_t = \\beta_0 + \\beta_1 t + \\beta_2 P_t + \\beta_3 (t - T_0) P_t` to one series:
    OLS, or a Poisson GLM with a log-population offset when ``population`` is given (counts).

    Returns
    -------
    dict
        ``level`` and ``slope`` estimates (log scale for the Poisson model), ``n`` and ``model``.
        No standard errors: on one short annual series none is valid (module docstring).

    Examples
    --------
    >>> years = np.arange(2000, 2010)
    >>> y = 10 + 0.5 * (years - 2000) - 3 * (years >= 2005)   # a level drop of 3, no slope change
    >>> fit = segmented_fit(years, y.astype(float), 2005)
    >>> round(fit["level"], 6), round(fit["slope"], 6)
    (-3.0, 0.0)
    """
    from statsmodels.genmod import families  # not statsmodels.api, which imports ~2 s more
    from statsmodels.genmod.generalized_linear_model import GLM

    ok = np.isfinite(y) & (np.isfinite(population) if population is not None else True)
    X = segmented_design(years[ok], intervention_year)
    if population is not None:
        model = GLM(y[ok], X, family=families.Poisson(), offset=np.log(population[ok]))
        params = model.fit(method="newton").params
        label = "Poisson GLM with log-population offset"
    else:
        params = np.linalg.lstsq(X, y[ok], rcond=None)[0]
        label = "OLS"
    return {"level": float(params[2]), "slope": float(params[3]), "n": int(ok.sum()), "model": label}


def _series(table, codes, indicator, pop, n_core) -> tuple[np.ndarray, bool]:
    """Values of ``codes`` (rows), as log rates per child for counts with a population, else levels.

    The scale is decided on the first ``n_core`` rows (treated and comparators); a donor-pool row
    that cannot be put on it (no population, a zero count) is left out (all NaN)."""
    y = table.loc[codes].to_numpy(dtype=float, copy=True)
    if indicator in COUNT_INDICATORS and pop is not None:
        p = pop.reindex(index=codes, columns=table.columns).to_numpy(dtype=float)
        with np.errstate(divide="ignore", invalid="ignore"):
            rate = np.where((y > 0) & (p > 0), np.log(y / p), np.nan)
        fits = (np.isfinite(rate) == np.isfinite(y)).all(axis=1)
        if fits[:n_core].all():
            rate[~fits] = np.nan
            return rate, True
    return y, False


def _comparative_rows(
    y, years, intervention_year, n_comp, log, confidence, base, codes, mde_effect
) -> list[dict]:
    """Rows of the comparative ITS; ``y`` holds the treated series, its ``n_comp`` comparators, then
    any donor-pool authorities beyond them (placebos against the same comparators), ``codes`` their
    authorities. The level-change row (primary) carries what its test could detect (``mde_*``)."""
    n_pool = len(y) - 1 - n_comp
    how = (
        f"the treated and {n_comp} comparators"
        if not n_pool
        else f"the treated and {n_pool} donor-pool authorities each against the {n_comp} comparators"
    )
    X = segmented_design(years, intervention_year)
    rows = []
    for part, column, primary in (("level", 2, True), ("slope", 3, False)):
        delta, scale = unit_contrasts(y, X, column)
        r = {
            k: float(v)
            for k, v in panel_permutation(
                delta, scale, n_treated=1, n_comparators=n_comp, confidence=confidence
            ).items()
        }
        est, lo, hi = r["estimate"], r["ci_low"], r["ci_high"]
        if log:
            est, lo, hi = np.exp(est), np.exp(lo), np.exp(hi)
        valid = np.isfinite(r["p_value"])
        power: dict = {}
        if valid and primary:
            power = power_columns(
                delta,
                scale,
                n_treated=1,
                n_comparators=n_comp,
                level=r["level"],
                k=int(r["k"]),
                to_effect=np.exp if log else (lambda d: d),
                effect=relative_effect(mde_effect, log, float(np.nanmean(y[0, years < intervention_year]))),
                df=treated_df(y, 1, X.shape[1]),
                dates=partial(
                    placebo_dates,
                    y,
                    years,
                    intervention_year,
                    segmented_design,
                    column,
                    n_treated=1,
                    min_pre=MIN_SIDE_POINTS,
                    min_post=MIN_SIDE_POINTS,
                ),
            )
        note = [
            ("rate ratio per " + ("step" if part == "level" else "year") + " (log rate per child)")
            if log
            else "",
            "" if primary else "secondary: change in slope",
            level_note(r["level"], int(r["k"]), confidence)
            if valid
            else "invalid: no variation around the segmented fits (constant or noise-free series)",
        ]
        rows.append(
            make_row(
                **base,
                comparison=f"treated minus the mean of {n_comp} comparators"
                + (f"; placebos from {n_pool} donor-pool authorities" if n_pool else ""),
                n_comparison=n_comp,
                measure="rate" if log else "mean",
                scale="log" if log else "level",
                primary=primary,
                effect_size_name=f"{part}_change" + ("_ratio" if log else ""),
                effect_size=est,
                ci_low=lo,
                ci_high=hi,
                ci_level=r["level"],
                test=("placebo permutation" if not n_pool else "permutation") + " (studentised)",
                p_value=r["p_value"],
                method=f"comparative ITS: segmented regression of the treated series minus the "
                f"comparators' mean; studentised permutation over {how}, "
                + inverted_interval(r["level"] if valid else np.nan),
                note="; ".join(n for n in note if n),
                **power,
            )
        )
        if power:
            rows[-1][PLACEBO_KEY] = placebo_statistics(delta, scale, codes, n_treated=1, n_comparators=n_comp)
    return rows


def _own_trend_rows(years, y, intervention_year, population, n_pre, base) -> list[dict]:
    fit = segmented_fit(years, y, intervention_year, population=population)
    poisson = population is not None
    why = (
        f"{n_pre} pre-period years, fewer than the {MIN_PRE_POINTS} needed to extrapolate a trend"
        if n_pre < MIN_PRE_POINTS
        else "a model-based test on one short annual series does not hold its size when errors "
        "are autocorrelated (validation/sim_its.py)"
    )
    rows = []
    for part in ("level", "slope"):
        est = np.exp(fit[part]) if poisson else fit[part]
        rows.append(
            make_row(
                **base,
                comparison=f"own trend before {intervention_year}",
                measure="rate" if poisson else "mean",
                scale="log" if poisson else "level",
                primary=False,
                effect_size_name=f"{part}_change" + ("_ratio" if poisson else ""),
                effect_size=est,
                method=f"own-trend segmented regression ({fit['model']}), {fit['n']} years",
                note=f"descriptive: {why}; no p-value or interval"
                + ("" if part == "level" else "; change in slope"),
            )
        )
    return rows


def its(
    panel: pd.DataFrame,
    treated: Sequence[str],
    intervention_year: int,
    comparators: Sequence[str] = (),
    *,
    donors: Sequence[str] = (),
    confidence: float = 0.95,
    mde_effect: float | None = None,
) -> list[dict]:
    """Level and slope change at ``intervention_year`` for each treated authority and indicator.

    Comparative ITS rows (with p-value and interval) when at least two ``comparators`` have the
    series (``donors`` beyond the comparators, e.g. every authority not using the model, serve as
    further placebos against the same comparators: p down to 1/(pool + 1)); own-trend rows,
    descriptive, always (see the module docstring for why). The comparative level change carries
    the effect its test detects 80% of the time and the power for ``mde_effect`` (a relative
    change; :mod:`rsw_eval.designs._power`). Indicators with fewer than
    :data:`MIN_SIDE_POINTS` years on either side give no rows (the engine records why).
    """
    rows: list[dict] = []
    label = names(panel)
    pop = wide(panel, "population_0_17") if "population_0_17" in set(panel["indicator"]) else None
    tables = wide_all(panel)
    for indicator in outcomes(panel):
        table = tables[indicator]
        years = np.asarray(table.columns, dtype=int)
        n_pre, n_post = int((years < intervention_year).sum()), int((years >= intervention_year).sum())
        for code in treated:
            skip = dict(family="admin", design="its", outcome=indicator, treatment=label.get(code, code))
            if min(n_pre, n_post) < MIN_SIDE_POINTS:
                continue  # the engine records why, with the years the data have (rsw_eval.evaluation._skips)
            if code not in table.index:
                rows.append(skip_row(**skip, reason="no values for this authority"))
                continue
            base = dict(
                outcome=indicator,
                family="admin",
                design="its",
                treatment=label.get(code, code),
                period=period_text(
                    years[np.isfinite(table.loc[code].to_numpy(dtype=float))], intervention_year
                ),
                adoption_year=intervention_year,
                n_treatment=1,
            )
            comps = [c for c in comparators if c in table.index and c not in treated]
            pool = [c for c in donors if c in table.index and c not in treated and c not in comps]
            units = [code, *comps, *pool]
            y, log = _series(table, units, indicator, pop, 1 + len(comps))
            fitted = np.isfinite(unit_contrasts(y, segmented_design(years, intervention_year), 2)[0])
            n_comp = int(fitted[1 : 1 + len(comps)].sum())
            y = y[fitted]
            if fitted[0] and n_comp >= 2:
                kept = [c for c, f in zip(units, fitted, strict=True) if f]
                rows.extend(
                    _comparative_rows(
                        y, years, intervention_year, n_comp, log, confidence, base, kept, mde_effect
                    )
                )
            else:
                rows.append(
                    skip_row(
                        **skip,
                        reason=f"comparative ITS: {n_comp} comparator(s) with enough of "
                        "this series, 2 needed"
                        + ("" if fitted[0] else ", and too few years for this authority"),
                    )
                )
            population = None
            if indicator in COUNT_INDICATORS and pop is not None and code in pop.index:
                population = pop.loc[code].reindex(years).to_numpy(dtype=float)
            y0 = table.loc[code].to_numpy(dtype=float)
            have = np.isfinite(y0)  # the authority's own years, not the panel's
            own_pre, own_post = (
                int((have & (years < intervention_year)).sum()),
                int((have & (years >= intervention_year)).sum()),
            )
            if min(own_pre, own_post) < MIN_SIDE_POINTS:  # no trend to extrapolate, or no change
                rows.append(
                    skip_row(
                        **skip,
                        reason=f"own-trend ITS: this authority has values in {own_pre} year(s) before "
                        f"{intervention_year} and {own_post} from it ({MIN_SIDE_POINTS} each needed)",
                    )
                )
                continue
            rows.extend(_own_trend_rows(years, y0, intervention_year, population, own_pre, base))
    return rows
