"""Synthetic control for one treated authority (Abadie, Diamond & Hainmueller 2010), with
placebo-in-space inference over the donor pool and a leave-one-out check.

The core works on arrays (authorities x years): the treated fit and every placebo fit (each donor
treated in turn against the other donors) are one batch of simplex least-squares problems
(:mod:`rsw_eval.designs._simplex`).

On California's Proposition 99 (``../shared/reference/synth/california_prop99.csv``, fitted on
every pre-1989 year of packs per capita, no other predictors) the weights are Utah 0.394,
Montana 0.232, Nevada 0.205, Connecticut 0.109, New Hampshire 0.045, Colorado 0.015; ADH (2010,
Table 2, fitted on predictors and three lagged years with a data-driven V) published Utah 0.334,
Nevada 0.234, Montana 0.199, Colorado 0.164, Connecticut 0.069: the same five states carry the
weight. Pre-period RMSPE 1.66 (ADH: 1.76). The gap reaches -22.0 packs in 1994 and -26.6 in 2000
(ADH: "about 26 packs" by 2000) and averages -19.5 over 1989-2000. By post/pre RMSPE ratio
California ranks 3rd of 39 (p = 3/39 = 0.077; ADH, with predictors, 1st: p = 1/39 = 0.026): the
ratio rewards a close pre-period fit, which predictors and V change.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from rsw_eval.designs._panel import names, outcomes, wide_all
from rsw_eval.designs._power import relative_effect
from rsw_eval.designs._rows import make_row, skip_row
from rsw_eval.designs._synth_core import synth_core
from rsw_eval.designs._synth_limits import (
    FIT_TOL,
    conformal_interval,
    estimate_range,
    outside_hull,
    prefit_ratio,
    shown_interval,
)
from rsw_eval.designs._synth_power import synth_power_columns
from rsw_eval.io._years import period_text
from rsw_eval.stats._checks import RELATIVE_TOL

__all__ = ["synth_core", "synthetic_control"]

#: A placebo test is reported only where its smallest attainable p is below 5%.
MIN_DONORS_FOR_P = 19


def _weights_text(weights: np.ndarray, codes: Sequence[str], label: dict) -> str:
    order = np.argsort(-weights)
    top = [f"{label.get(codes[i], codes[i])} {weights[i]:.3f}" for i in order[:5] if weights[i] > 5e-4]
    return "weights: " + ", ".join(top) + (" ..." if (weights > 5e-4).sum() > 5 else "")


def synthetic_control(
    panel: pd.DataFrame,
    treated: str,
    donors: Sequence[str],
    intervention_year: int,
    *,
    family: str = "admin",
    confidence: float = 0.95,
    mde_effect: float | None = None,
) -> list[dict]:
    """Synthetic-control rows for one treated authority: per indicator a primary row, two
    robustness rows and its gap series.

    The primary row's ``effect_size`` (``synthetic_gap``) is the mean post-period gap (treated
    minus synthetic, in the indicator's units); ``value_comparison`` is the synthetic control's
    post-period mean. Inference is placebo-in-space: the treated authority's post/pre RMSPE ratio
    ranked among the donors' (exact p = rank/(k+1)); it is reported only with at least
    :data:`MIN_DONORS_FOR_P` donors (otherwise the smallest attainable p exceeds 5% and ``note``
    says so, with the rank). The row carries no interval of its own (the rank test has none).
    ``prefit_rmspe`` is the pre-period RMSPE and ``prefit_ratio`` that RMSPE over the donors'
    median when each is fitted by the others (above 2: the note warns that the gap may reflect
    the fit). ``note`` also carries the largest weights and the leave-one-out range. What the test
    could detect (``mde_*``, ``power`` for ``mde_effect``): :mod:`rsw_eval.designs._synth_power`.

    The limits of the method are checked, not assumed (:mod:`rsw_eval.designs._synth_limits`): a
    treated path outside the donors' range in some pre-period year is fitted on demeaned paths
    (intercept-shifted synthetic control, said in ``method`` and ``note``); weights that are not
    unique (several exact fits) give the range of estimates over every best-fitting weight set in
    ``note`` and the minimum-norm (penalised) weights' estimate.

    Robustness rows (non-primary): ``synthetic_gap_conformal`` with the conformal interval and
    its p (Chernozhukov, Wuthrich & Zhu 2021; the level nearest ``confidence`` that T years allow,
    (T-1)/T at most, stated in ``ci_level``), and
    ``synthetic_gap_in_time_placebo``, the estimate with the start backdated into the pre-period.

    The gap series are non-primary rows of the same design with ``effect_size_name`` =
    ``synthetic_gap_year`` and ``period`` the year (as text): ``value_treatment`` the treated
    value, ``value_comparison`` the synthetic value, ``effect_size`` the gap.

    Examples
    --------
    >>> rng = np.random.default_rng(1)
    >>> years = list(range(2000, 2012))
    >>> codes = [f"E0{i:07d}" for i in range(25)]
    >>> panel = pd.DataFrame([(c, c, yr, "x", 50 + i + 0.5 * (yr - 2000) + rng.normal())
    ...                       for i, c in enumerate(codes) for yr in years],
    ...                      columns=["la_code", "la_name", "year", "indicator", "value"])
    >>> rows = synthetic_control(panel, codes[10], codes[:10] + codes[11:], 2008)
    >>> primary = rows[0]
    >>> primary["design"], primary["n_comparison"], len(rows)
    ('synthetic_control', 24, 15)
    >>> [r["effect_size_name"] for r in rows[1:3]]
    ['synthetic_gap_conformal', 'synthetic_gap_in_time_placebo']
    """
    rows: list[dict] = []
    label = names(panel)
    tables = wide_all(panel)
    for indicator in outcomes(panel):
        table = tables[indicator]
        skip = dict(
            family=family,
            design="synthetic_control",
            outcome=indicator,
            treatment=label.get(treated, treated),
        )
        if treated not in table.index:
            rows.append(skip_row(**skip, reason=f"{treated} has no values of {indicator}"))
            continue
        table = table.loc[:, table.loc[treated].notna()]
        years = np.asarray(table.columns, dtype=int)
        pool = [c for c in donors if c in table.index and table.loc[c].notna().all()]
        n_pre, n_post = int((years < intervention_year).sum()), int((years >= intervention_year).sum())
        if n_pre < 3 or n_post < 1 or len(pool) < 2:
            rows.append(
                skip_row(
                    **skip,
                    reason=f"needs 3+ pre-years, 1+ post-year and 2+ donors with complete series; "
                    f"has {n_pre} pre, {n_post} post, {len(pool)} donors",
                )
            )
            continue
        y = table.loc[[treated, *pool]].to_numpy(dtype=float)
        base = dict(
            outcome=indicator,
            family=family,
            design="synthetic_control",
            measure="mean",
            scale="level",
            treatment=label.get(treated, treated),
            comparison=f"synthetic control of {len(pool)} donors",
            n_treatment=1,
            n_comparison=len(pool),
        )
        effect = relative_effect(mde_effect, False, float(np.nanmean(y[0, years < intervention_year])))
        rows += _indicator_rows(y, years, intervention_year, pool, label, base, (confidence, effect))
    return rows


def _indicator_rows(y, years, intervention_year, pool, label, base, levels) -> list[dict]:
    """The primary row, the robustness rows (conformal interval, in-time placebo) and the gap series."""
    confidence, effect = levels  # the interval level; the effect at which to give the power
    pre, post = years < intervention_year, years >= intervention_year
    k = len(pool)
    donors = np.arange(1, k + 1)
    n_out = outside_hull(y[0, pre], y[1:, pre])
    demean = n_out > 0
    r = synth_core(y, years, intervention_year, 0, donors, demean=demean)
    shift = y[:, pre].mean(axis=1, keepdims=True) if demean else np.zeros((y.shape[0], 1))
    Dd = y[1:] - shift[1:]
    fitted = r["weights"] @ Dd[:, pre]
    lo, hi = estimate_range(
        Dd[:, pre], Dd[:, post].mean(axis=1), fitted, float((y[0] - shift[0])[post].mean())
    )
    scale = max(float(np.abs(y).max()), 1e-300)
    unique = not (hi - lo > 1e-6 * scale)
    how = "demeaned (intercept-shifted) synthetic control" if demean else "synthetic control (ADH 2010)"
    notes = []
    if demean:
        notes.append(
            f"the treated path lies outside the donors' range in {n_out} of {int(pre.sum())} pre-period "
            "years, so no weighted average of donors can match its level: fitted on each unit's "
            "deviations from its own pre-period mean"
        )
    if not unique:
        ridge = 1e-6 * float(np.mean(Dd[:, pre] ** 2)) * int(pre.sum())
        r = synth_core(y, years, intervention_year, 0, donors, demean=demean, ridge=ridge)
        how += ", penalised (ridge) for unique weights"
        notes.append(
            f"the weights are not unique ({int(pre.sum())} pre-period years, {k} donors): every best-fitting "
            f"weight set gives an estimate between {lo:.3g} and {hi:.3g}; the estimate shown uses the "
            "minimum-norm weights (a vanishing ridge penalty)"
        )
    # every authority's series the same before the change, up to rounding noise: every pre-period
    # RMSPE is the solver's noise (exactly 0 with some builds of numpy and scipy, 1e-17 with
    # others), so the ratios rank noise, not fits
    before = y[:, pre]
    magnitude = float(np.nanmax(np.abs(before))) if np.isfinite(before).any() else 0.0
    spread = (
        float(np.nanmax(np.abs(before - np.nanmean(before, axis=0)))) if np.isfinite(before).any() else 0.0
    )
    alike = spread <= RELATIVE_TOL * max(magnitude, 1e-300)
    if not np.isfinite(float(r["p_value"])) or alike:  # e.g. every authority alike before the change
        reason = (
            "the post/pre RMSPE ratios are undefined (the pre-period gap is zero: "
            f"{base['outcome']} is the same for the treated authority and its donors before "
            f"{intervention_year}), so there is no placebo ranking"
        )
        keys = ("family", "design", "outcome", "treatment")
        return [skip_row(**{key: base[key] for key in keys}, reason=reason)]
    rank = int(round(float(r["p_value"]) * (k + 1)))
    ratio, fit_text = prefit_ratio(
        r["pre_rmspe"], r["placebo_pre_rmspe"] if k > 1 else [], scale, intervention_year
    )
    loo = r["loo_estimate"]
    notes += [
        fit_text,
        _weights_text(r["weights"], pool, label),
        f"treated ranks {rank} of {k + 1} by post/pre RMSPE ratio",
    ]
    if ratio > 2:
        notes.append("poor pre-period fit against the placebos': the gap may reflect the fit, not an effect")
    if loo.size:
        notes.append(f"leave-one-out estimates {loo.min():.3g} to {loo.max():.3g}")
    p = float(r["p_value"])
    if k < MIN_DONORS_FOR_P:
        notes.append(
            f"no p-value: with {k} donors the smallest attainable placebo p is 1/{k + 1} = "
            f"{1 / (k + 1):.3f}, above 5%"
        )
        p = np.nan
    rows = [
        make_row(
            **base,
            value_treatment=float(y[0, post].mean()),
            value_comparison=float(r["synthetic"][post].mean()),
            difference=float(r["estimate"]),
            effect_size_name="synthetic_gap",
            effect_size=float(r["estimate"]),
            test="placebo in space (post/pre RMSPE ratio)",
            statistic=float(r["ratio"]),
            p_value=p,
            period=period_text(years, intervention_year),
            adoption_year=intervention_year,
            method=f"{how} on the pre-period path, simplex least squares; placebo-in-space rank p "
            "(ADH 2010); interval: see the conformal row",
            note="; ".join(notes),
            prefit_rmspe=float(r["pre_rmspe"]),
            prefit_ratio=ratio,
            **(synth_power_columns(r, effect, int(pre.sum()), FIT_TOL * scale) if np.isfinite(p) else {}),
        )
    ]
    rows += _robustness_rows(
        y, years, intervention_year, pre, post, demean, base, float(r["estimate"]), confidence
    )
    for j, year in enumerate(years):
        rows.append(
            make_row(
                **base,
                primary=False,
                value_treatment=float(y[0, j]),
                value_comparison=float(r["synthetic"][j]),
                difference=float(r["gap"][j]),
                effect_size_name="synthetic_gap_year",
                effect_size=float(r["gap"][j]),
                period=str(int(year)),
                adoption_year=intervention_year,
                event_time=int(year) - intervention_year,
                method="synthetic-control gap series",
                note="pre-period" if year < intervention_year else "post-period",
            )
        )
    return rows


def _robustness_rows(
    y, years, intervention_year, pre, post, demean, base, estimate, confidence
) -> list[dict]:
    """Conformal interval (Chernozhukov, Wuthrich & Zhu 2021) and the in-time placebo (backdating)."""
    conf, withheld = shown_interval(
        conformal_interval(y[0], y[1:], post, confidence=confidence, demean=demean), estimate
    )
    period = period_text(years, intervention_year)
    rows = [
        make_row(
            **base,
            primary=False,
            effect_size_name="synthetic_gap_conformal",
            effect_size=estimate,
            difference=estimate,
            ci_low=conf["ci_low"],
            ci_high=conf["ci_high"],
            ci_level=conf["level"],
            test="conformal inference (moving-block permutations of the residuals)",
            p_value=conf["p_value"],
            period=period,
            adoption_year=intervention_year,
            method="Chernozhukov, Wuthrich & Zhu (2021): the synthetic control refitted on every year under "
            "each constant effect; the interval is the effects not rejected",
            note=f"{conf['level']:.1%} interval, the highest level {conf['blocks']} years allow "
            f"(p is a multiple of 1/{conf['blocks']}); assumes a constant effect and stationary residuals"
            + (
                f"; {withheld}"
                if withheld
                else ""
                if np.isfinite(conf["ci_low"])
                else "; no interval: the donors reproduce every hypothesised path (more donors than the "
                "years can pin down), so no effect is rejected"
                if conf["unbounded"]
                else "; no interval: every effect is rejected (the synthetic control does not fit the "
                "series under any constant effect)"
            ),
        )
    ]
    n_pre, n_post = int(pre.sum()), int(post.sum())
    back = min(n_post, n_pre - 3)
    if back >= 1:
        fake = int(years[n_pre - back])
        r = synth_core(
            y[:, :n_pre],
            years[:n_pre],
            fake,
            0,
            np.arange(1, y.shape[0]),
            placebo=False,
            leave_one_out=False,
            demean=demean,
        )
        rows.append(
            make_row(
                **base,
                primary=False,
                effect_size_name="synthetic_gap_in_time_placebo",
                effect_size=float(r["estimate"]),
                difference=float(r["estimate"]),
                period=f"{period_text(years[:n_pre], fake)} (backdated)",
                adoption_year=intervention_year,
                method="in-time placebo: the same synthetic control with the start backdated to "
                f"{fake}, on pre-period years only",
                note="robustness: no intervention happened then, so a gap of this size is what the method "
                "produces without an effect",
            )
        )
    return rows
