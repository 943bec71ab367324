"""Difference-in-differences on the authority panel, with inference that holds for one treated authority.

The estimate is the treated authority's change (post-period mean minus pre-period mean) minus the
comparators' mean change. Inference is a permutation test, exact when the authorities are
exchangeable, and the interval is the set of effects that test does not reject, so interval and
p-value always agree and the interval's stated level is its true level (which, with ten
comparators, is 90.9%: no 95% interval exists). :func:`did_core` works on arrays (indicators x
authorities) so that a national screen, every authority in turn against its own comparators, runs
without a Python loop per case.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from functools import partial

import numpy as np
import pandas as pd

from rsw_eval.designs._joint import PLACEBO_KEY, placebo_statistics
from rsw_eval.designs._panel import (
    LOG_SCALE,
    inverted_interval,
    level_note,
    names,
    outcomes,
    panel_permutation,
    unit_contrasts,
    wide_all,
)
from rsw_eval.designs._power import placebo_dates, power_columns, relative_effect, treated_df
from rsw_eval.designs._rows import make_row, skip_row
from rsw_eval.designs._sensitivity import placebo_event_study, sensitivity_parts
from rsw_eval.designs.event_time import MIN_PRE_YEARS, event_rows, treated_gaps
from rsw_eval.inference import invert_permutation
from rsw_eval.io._years import period_text

__all__ = ["did", "did_core", "did_design", "pre_post_change", "pre_trend_slopes"]


def did_design(years: np.ndarray, intervention_year: int) -> np.ndarray:
    """Columns of the DiD contrast over years: 1 and post.

    Examples
    --------
    >>> did_design(np.array([2007, 2008]), 2008).tolist()
    [[1.0, 0.0], [1.0, 1.0]]
    """
    return np.column_stack([np.ones(years.size), years >= intervention_year]).astype(float)


def pre_post_change(y: np.ndarray, years: np.ndarray, intervention_year: int) -> np.ndarray:
    """Mean over post years minus mean over pre years, along the last axis (NaNs ignored)."""
    pre, post = years < intervention_year, years >= intervention_year
    with warnings.catch_warnings():  # an authority with no pre or no post values gives NaN
        warnings.simplefilter("ignore", RuntimeWarning)
        return np.nanmean(y[..., post], axis=-1) - np.nanmean(y[..., pre], axis=-1)


def pre_trend_slopes(y: np.ndarray, years: np.ndarray, intervention_year: int) -> np.ndarray:
    """Least-squares slope per year over the pre years, along the last axis; missing years are
    left out of each authority's own fit (NaN when fewer than two remain)."""
    pre = years < intervention_year
    values = y[..., pre]
    w = np.isfinite(values)
    x = np.broadcast_to(years[pre].astype(float), values.shape)
    n = w.sum(axis=-1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        xm = np.where(w, x, 0).sum(axis=-1, keepdims=True) / n
        dx = np.where(w, x - xm, 0.0)
        slope = (dx * np.where(w, values, 0.0)).sum(axis=-1) / (dx**2).sum(axis=-1)
    return np.where(n[..., 0] >= 2, slope, np.nan)


def did_core(
    change: np.ndarray,
    treated: np.ndarray,
    comparators: np.ndarray,
    confidence: float = 0.95,
    *,
    scale: np.ndarray | None = None,
) -> dict[str, np.ndarray]:
    """DiD estimates and exact permutation inference for many cases at once.

    Parameters
    ----------
    change : ndarray, shape (..., n_authorities)
        Each authority's post-minus-pre change (from :func:`pre_post_change`), for any number of
        leading dimensions (indicators).
    treated : ndarray of int, shape (n_cases,)
        Index of the treated authority of each case.
    comparators : ndarray of int, shape (n_cases, k)
        Indices of its k comparators.
    confidence : float
        Level asked for; the interval's exact level is returned as ``level``.
    scale : ndarray, shape like ``change``, optional
        Standard error of each authority's change up to a common factor (studentised test);
        default 1 (every authority equally variable).

    Returns
    -------
    dict of ndarray, shape (..., n_cases)
        ``estimate`` (treated change minus the comparators' mean change), ``p_value`` (exact
        two-sided permutation p, :math:`(1 + \\#\\{|T_j| \\ge |T_0|\\})/(k+1)`), ``ci_low``/``ci_high``
        (the effects the test does not reject), ``level`` (the interval's exact level,
        :func:`rsw_eval.inference.achieved_level`: 90.9% with 10 comparators) and ``placebo_sd``.

    Notes
    -----
    The k + 1 authorities (treated and comparators) are permuted: authority j's statistic is
    :math:`\\Delta_j - \\bar\\Delta_{-j}` (its change minus the mean of all the others, treated
    included), divided by its standard error when ``scale`` is given. Under the null of an
    effect :math:`\\delta` the treated change is :math:`\\Delta_0 - \\delta`, which moves each
    statistic linearly; inverting the test gives the interval (Imbens & Rubin 2015, ch. 5).
    0 is in the interval if and only if ``p_value > 1 - level``.

    Examples
    --------
    >>> change = np.array([-3.0, 0.5, -0.5, 1.0, 0.0])
    >>> r = did_core(change, np.array([0]), np.array([[1, 2, 3, 4]]))
    >>> float(r["estimate"][0]), float(r["p_value"][0]), float(r["level"][0])
    (-3.25, 0.2, 0.8)
    """
    change = np.asarray(change, dtype=float)
    units = np.column_stack([np.asarray(treated), np.asarray(comparators)])  # (n_cases, k + 1)
    k = units.shape[1] - 1
    vals = change[..., units]
    sc = np.ones_like(vals) if scale is None else np.asarray(scale, dtype=float)[..., units]
    total = vals.sum(axis=-1, keepdims=True)
    u = vals - (total - vals) / k
    v = np.r_[-1.0, np.full(k, 1.0 / k)]
    var = (sc**2).sum(axis=-1, keepdims=True)
    s = np.sqrt(sc**2 + (var - sc**2) / k**2)
    r = invert_permutation(u, v, s, confidence=confidence)
    r["placebo_sd"] = u[..., 1:].std(axis=-1, ddof=1)
    return r


def _inference_units(table: pd.DataFrame, treated, comparators, donors) -> tuple[list, list, list]:
    treated_in = [c for c in treated if c in table.index]
    comp_in = [c for c in comparators if c in table.index and c not in treated_in]
    extra = [c for c in donors if c in table.index and c not in comp_in and c not in treated_in]
    return treated_in, comp_in, extra if len(treated_in) == 1 else []


def _pre_trend(y, years, intervention_year, n_treated, n_comp) -> str:
    """The note on the pre-adoption slopes; says why there is none rather than print "nan"."""
    if int((years < intervention_year).sum()) < 2:  # the treated authority's own years (B13)
        return "pre-trend: not checked (one pre-adoption year: parallel trends cannot be examined)"
    slopes = pre_trend_slopes(y, years, intervention_year)
    none = "pre-trend: not checked (too few pre-adoption years with values, or no variation in them)"
    if n_treated == 1:
        t = did_core(slopes[: 1 + n_comp], np.array([0]), np.arange(1, 1 + n_comp)[None, :])
        est, p = float(t["estimate"][0]), float(t["p_value"][0])
        if not np.isfinite(est):
            return none
        tail = f" (permutation p = {p:.2f})" if np.isfinite(p) else ""
        return f"pre-trend: slope difference {est:.3g} per year{tail}"
    with np.errstate(invalid="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # an all-NaN group: said below
        diff = np.nanmean(slopes[:n_treated]) - np.nanmean(slopes[n_treated : n_treated + n_comp])
    return f"pre-trend: slope difference {diff:.3g} per year" if np.isfinite(diff) else none


def did(
    panel: pd.DataFrame,
    treated: Sequence[str],
    comparators: Sequence[str],
    intervention_year: int,
    *,
    donors: Sequence[str] | None = None,
    confidence: float = 0.95,
    seed: int = 0,
    mde_effect: float | None = None,
    events: bool = False,
) -> list[dict]:
    """Difference-in-differences rows: one per indicator (treated vs the comparators' mean), and
    with ``events`` (one treated authority) its event-time view (:func:`event_rows`).

    The scale is the log for counts and rates (:data:`LOG_SCALE`; the estimate is then a
    difference in log change, ``100 * (exp(d) - 1)`` percent) and the level otherwise.

    Inference is a permutation test and its inversion (:func:`~rsw_eval.designs._panel.panel_permutation`):
    one treated authority against the mean of all others in turn (p >= 1/(k+1)); with a donor pool
    beyond the comparators (``donors``, e.g. every authority not using the model) each pool
    authority is a placebo against the same comparators (p down to 1/(pool + 1)); several treated:
    randomisation inference over every way of choosing them. The interval's exact level is stated
    in ``note`` when it differs from ``confidence`` (with 10 comparators: 90.9%).

    The statistic is **studentised**: each authority's change is divided by its standard error
    estimated from its own residuals (its series minus the year means of all authorities, about its
    pre and post means). We chose this over Ferman & Pinto's (2019) population-based correction
    because it needs no population series for every indicator and also covers authorities that are
    noisier for reasons other than size; it keeps the test exact under exchangeability and brings
    it close to its level when the treated series is twice as noisy (validation/sim_did.py).

    What the test could detect is in the ``mde_*`` columns: the fall and rise it detects 80% of the
    time at its own level, by placebo resampling on this panel, and the power for ``mde_effect``
    (a relative change, -0.2 = a fall of 20%) in ``power`` (:mod:`rsw_eval.designs._power`).

    A pre-trend check (difference in pre-period slopes, permutation p) is reported in ``note``.
    Indicators whose authorities lack values before and after give a skip record with the reason
    (too few years overall is recorded by the engine, which knows the years of every source);
    degenerate series (no variation around the fit) give a row marked invalid, without p or
    interval.
    """
    rows: list[dict] = []
    label = names(panel)
    tables = wide_all(panel)
    donors = list(donors or [])
    for indicator in outcomes(panel):
        table = tables[indicator]
        years = np.asarray(table.columns, dtype=int)
        skip = dict(family="admin", design="did", outcome=indicator)
        n_pre, n_post = int((years < intervention_year).sum()), int((years >= intervention_year).sum())
        if n_pre < MIN_PRE_YEARS or n_post < 1:
            continue  # the engine records why, with the years the data have (rsw_eval.evaluation._skips)
        treated_in, comp_in, extra = _inference_units(table, treated, comparators, donors)
        gaps = treated_gaps(panel, treated_in, indicator, table)  # for the event-time view: said, not dropped
        if treated_in:  # every authority on the years the treated have: the same windows for all
            table = table.loc[:, table.loc[treated_in].notna().all(axis=0)]
            years = np.asarray(table.columns, dtype=int)
            n_pre, n_post = int((years < intervention_year).sum()), int((years >= intervention_year).sum())
            if n_pre < 1 or n_post < 1:  # its contrast needs a year on each side
                rows.append(
                    skip_row(
                        **skip,
                        reason=f"{', '.join(label.get(c, c) for c in treated_in)} has values in {n_pre} "
                        f"year(s) before {intervention_year} and {n_post} from it (at least 1 each "
                        "needed)",
                    )
                )
                continue
        codes = [*treated_in, *comp_in, *extra]
        y = table.loc[codes].to_numpy(dtype=float, copy=True)
        core = len(treated_in) + len(comp_in)  # the scale is theirs; a pool row off it is left out
        log = indicator in LOG_SCALE and bool(np.all(y[:core][np.isfinite(y[:core])] > 0))
        if log:
            y[core:][(y[core:] <= 0).any(axis=1)] = np.nan
            y = np.log(y)
        delta, scale = unit_contrasts(y, did_design(years, intervention_year), 1)
        ok = np.isfinite(delta) & np.isfinite(scale)
        n_t = len(treated_in)
        keep_t = [i for i in range(n_t) if ok[i]]
        keep_c = [i for i in range(n_t, n_t + len(comp_in)) if ok[i]]
        keep_x = [i for i in range(n_t + len(comp_in), len(codes)) if ok[i]]
        if not keep_t or len(keep_c) < 2:
            rows.append(
                skip_row(
                    **skip,
                    reason=f"{len(keep_t)} treated and {len(keep_c)} comparator authorities have values "
                    "before and after (at least 1 and 2 needed)",
                )
            )
            continue
        idx = [*keep_t, *keep_c, *keep_x]
        y, delta, scale = y[idx], delta[idx], scale[idx]
        n_t, n_c, n_x = len(keep_t), len(keep_c), len(keep_x)
        r = {
            k: float(v)
            for k, v in panel_permutation(
                delta, scale, n_treated=n_t, n_comparators=n_c, confidence=confidence, seed=seed
            ).items()
        }
        est = float(np.mean(delta[:n_t]) - np.mean(delta[n_t : n_t + n_c]))
        scale_name = "log" if log else "level"
        how = (
            f"studentised permutation over the treated and {n_c} comparators (exact p = rank/(k+1))"
            if n_t == 1 and not n_x
            else f"studentised permutation: the treated and {n_x} donor-pool authorities each against "
            f"the {n_c} comparators (exact p = rank/(k+1))"
            if n_t == 1
            else f"studentised randomisation inference over {int(r['k']) + 1} assignments of "
            f"{n_t} treated among {n_t + n_c}"
        )
        notes = [
            "estimate in percent (log scale)"
            if log
            else f"level scale, not log: {indicator} has zeros, where a percent (log) change is not "
            "defined, so the estimate is a difference in its own units (per year)"
            if indicator in LOG_SCALE
            else "",
            _pre_trend(y, years, intervention_year, n_t, n_c),
        ]
        power: dict = {}
        pct = (lambda d: 100 * (np.exp(d) - 1)) if log else (lambda d: d)
        if np.isfinite(r["p_value"]):
            notes.append(level_note(r["level"], int(r["k"]), confidence))
            pre_mean = float(np.nanmean(y[:n_t, years < intervention_year]))
            power = power_columns(
                delta,
                scale,
                n_treated=n_t,
                n_comparators=n_c,
                level=r["level"],
                k=int(r["k"]),
                to_effect=pct,
                effect=relative_effect(mde_effect, log, pre_mean),
                seed=seed,
                df=treated_df(y, n_t, 2),
                dates=partial(
                    placebo_dates,
                    y,
                    years,
                    intervention_year,
                    did_design,
                    1,
                    n_treated=n_t,
                    min_pre=MIN_PRE_YEARS,
                    min_post=1,
                ),
            )
        else:
            notes.insert(
                0,
                "invalid: no variation around the authorities' pre/post means (constant "
                "or noise-free series), so the permutation statistic is undefined",
            )
        codes = [codes[i] for i in idx]
        post = years >= intervention_year
        vals = table.loc[codes].to_numpy(dtype=float)
        used = years[np.isfinite(vals[: n_t + n_c]).any(axis=0)]
        base = dict(
            outcome=indicator,
            family="admin",
            design="did",
            scale=scale_name,
            measure="percent_change" if log else "mean",
            treatment=", ".join(label.get(c, c) for c in codes[:n_t]),
            comparison=f"{n_c} comparators"
            + (f"; placebos from {n_x} donor-pool authorities" if n_x else ""),
            adoption_year=intervention_year,
        )
        cols, bounds = {}, []
        if np.isfinite(r["p_value"]):  # an invalid row (no variation) has no sensitivity either
            # a breakdown only for a finding the row's own test makes (its p at the bounds' level)
            sens = (y, years, intervention_year, n_t, n_c, base, confidence, seed, notes, r["p_value"])
            cols, bounds = _sensitivity(*sens)
        row = make_row(
            **cols,
            **base,
            period=period_text(used, intervention_year),
            n_treatment=n_t,
            n_comparison=n_c,
            effect_size_name="did_estimate",
            value_treatment=np.nanmean(vals[:n_t, post]),
            value_comparison=np.nanmean(vals[n_t : n_t + n_c, post]),
            difference=est,
            effect_size=pct(est),
            ci_low=pct(r["ci_low"]),
            ci_high=pct(r["ci_high"]),
            ci_level=r["level"],
            test=("placebo permutation" if n_t == 1 and not n_x else "permutation")
            + (" (studentised)" if n_t == 1 else ": randomisation inference (studentised)"),
            p_value=r["p_value"],
            method=f"DiD of pre/post means on the {scale_name} scale; {how}; "
            + inverted_interval(r["level"] if np.isfinite(r["p_value"]) else np.nan),
            note="; ".join(n for n in notes if n),
            **power,
        )
        if power:
            row[PLACEBO_KEY] = placebo_statistics(
                delta, scale, codes, n_treated=n_t, n_comparators=n_c, seed=seed
            )
        rows.append(row)
        rows += bounds
        if events and n_t == 1:
            event = dict(outcome=indicator, treatment=label.get(codes[0], codes[0]), scale=scale_name)
            rows += event_rows(
                y[: 1 + n_c], years, intervention_year, confidence, pct=pct, gaps=gaps, **event
            )
    return rows


def _sensitivity(y, years, intervention_year, n_t, n_c, base, confidence, seed, notes, own_p):
    """HonestDiD columns and bound rows for one treated authority (event study on the DiD's own
    scale, covariance from the placebo authorities); several treated: not computed (note)."""
    if n_t != 1:
        notes.append(
            "no parallel-trends sensitivity for several treated authorities (see the staggered design)"
        )
        return {}, []
    es = placebo_event_study(y, years, intervention_year, n_c)
    if es is None:
        notes.append("no parallel-trends sensitivity: it needs complete series and 2+ pre-years")
        return {}, []
    beta, sigma, n_pre, _ = es
    cols, note, rows, _ = sensitivity_parts(
        beta, sigma, n_pre, base, confidence=confidence, seed=seed, own_p=own_p
    )
    notes.append(note + " (covariance from the placebo authorities: approximate with few of them)")
    return cols, rows
