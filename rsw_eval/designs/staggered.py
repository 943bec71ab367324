"""Staggered adoption on the authority panel: several unit-model authorities adopting in different
years, each compared with never-treated authorities or with its own statistical neighbours
(Callaway & Sant'Anna 2021; the estimators are in :mod:`rsw_eval.designs._cs`, verified against
R ``did`` 2.5.1).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

import numpy as np
import pandas as pd
from scipy import stats as sps

from rsw_eval.designs._cs import AttGt, aggregate, att_gt
from rsw_eval.designs._panel import outcomes, wide_all
from rsw_eval.designs._rows import make_row, skip_row
from rsw_eval.designs._sensitivity import sensitivity_parts
from rsw_eval.inference import sup_t_critical_value
from rsw_eval.io._years import compact_years

__all__ = ["AttGt", "adopters", "aggregate", "att_gt", "small_sample", "staggered"]

#: A p-value or interval is reported only for an estimate with at least this many adopters behind
#: it (validation/sim_donor.py); otherwise the row is descriptive and ``note`` says why.
MIN_ADOPTERS = 10


def adopters(r: AttGt, kind: str, egt: np.ndarray | None = None) -> np.ndarray:
    """Number of adopters behind each aggregate of :func:`aggregate` (``egt`` order; one value
    for ``simple``).

    Examples
    --------
    >>> y = np.zeros((5, 4))
    >>> r = att_gt(y, np.arange(1, 5), np.array([2, 2, 4, 0, 0]))
    >>> adopters(r, "dynamic", np.array([-2, -1, 0, 1, 2])).tolist()
    [1, 1, 3, 2, 2]
    """
    sizes = {g: int((r.cohort == g).sum()) for g in np.unique(r.cohort[r.cohort > 0])}
    ok = np.isfinite(r.att)
    post = ok & (r.group <= r.time)
    if kind == "simple":
        return np.array([sum(sizes[g] for g in np.unique(r.group[post]))])
    cells = {
        "dynamic": lambda v: ok & (r.time - r.group == v),
        "group": lambda v: post & (r.group == v),
        "calendar": lambda v: post & (r.time == v),
    }[kind]
    return np.array([sum(sizes[g] for g in np.unique(r.group[cells(v)])) for v in egt])


def small_sample(se: np.ndarray, n_adopters: np.ndarray, confidence: float = 0.95):
    """Small-sample version of the analytic SE and critical value used in rows (not in R parity).

    The influence-function variance divides by the number of adopters n (as R ``did``); rows use
    ``se * sqrt(n / (n - 1))`` and Student t with n - 1 degrees of freedom, which holds its level
    with a dozen adopters where the normal interval does not (validation/sim_donor.py).

    Returns
    -------
    (ndarray, ndarray, ndarray)
        Adjusted SE, t critical value and degrees of freedom.

    Examples
    --------
    >>> se, crit, df = small_sample(np.array([1.0]), np.array([12]))
    >>> round(float(se[0]), 4), round(float(crit[0]), 3), int(df[0])
    (1.0445, 2.201, 11)
    """
    n = np.asarray(n_adopters, dtype=float)
    df = np.maximum(n - 1, 1)
    adj = np.asarray(se, dtype=float) * np.sqrt(n / df)
    return adj, sps.t.ppf(0.5 + confidence / 2, df), df


def staggered(
    panel: pd.DataFrame,
    adoption: Mapping[str, int],
    controls: Sequence[str],
    *,
    neighbours: Mapping[str, Sequence[str]] | None = None,
    anticipation: int = 0,
    confidence: float = 0.95,
    seed: int = 0,
    family: str = "admin",
    events: tuple[int | None, int | None] = (None, None),
) -> list[dict]:
    """Staggered-adoption rows per indicator: the simple ATT (primary) and, as non-primary rows,
    the event study (``effect_size_name`` ``att_event``, ``period`` "event e", ``ci_low/high`` the
    uniform band), cohort (``att_group``, "cohort g") and calendar (``att_calendar``, "year t")
    aggregations, and the simple ATT with not-yet-treated controls (``att_not_yet``).

    Controls are ``controls`` (never treated), or with ``neighbours`` (adopter -> its comparison
    codes) each adopter's own neighbours among the never or not-yet treated. p-values and
    intervals are analytic (influence function, :func:`small_sample` t); each is reported only
    for an estimate with at least :data:`MIN_ADOPTERS` adopters behind it, otherwise NaN with the
    reason in ``note``. The uniform band covers the event times that have intervals.
    ``events`` bounds the years since adoption used (first, last; None: every year), so that each
    adopter's own window applies (the spec's ``pre_years``/``post_years`` as numbers of years).

    Examples
    --------
    >>> rng = np.random.default_rng(3)
    >>> codes = [f"E0{i:07d}" for i in range(30)]
    >>> adoption = {c: 2006 + 2 * (i % 3) for i, c in enumerate(codes[:12])}
    >>> panel = pd.DataFrame([(c, c, yr, "x", rng.normal() + (yr >= adoption.get(c, 9999)))
    ...                       for c in codes for yr in range(2000, 2013)],
    ...                      columns=["la_code", "la_name", "year", "indicator", "value"])
    >>> rows = staggered(panel, adoption, codes[12:])
    >>> rows[0]["effect_size_name"], rows[0]["n_treatment"], 0.5 < rows[0]["effect_size"] < 1.5
    ('att', 12, True)
    """
    rows: list[dict] = []
    tables = wide_all(panel)
    wanted = [*adoption, *controls, *(c for v in (neighbours or {}).values() for c in v)]
    for indicator in outcomes(panel):
        table = tables[indicator]
        table = table.loc[[c for c in dict.fromkeys(wanted) if c in table.index]].dropna(axis=0)
        periods = np.asarray(table.columns, dtype=int)
        cohort = np.array([adoption.get(c, 0) for c in table.index])
        n_adopt, n_control = int((cohort > 0).sum()), int((cohort == 0).sum())
        if n_adopt < 2 or n_control < 1:
            rows.append(
                skip_row(
                    family=family,
                    design="staggered",
                    outcome=indicator,
                    reason="needs 2+ adopters and 1+ control with complete series; "
                    f"has {n_adopt} adopters, {n_control} controls",
                )
            )
            continue
        own = None
        if neighbours is not None:
            index = {c: i for i, c in enumerate(table.index)}
            own = np.zeros((len(index), len(index)), dtype=bool)
            for c in table.index[cohort > 0]:
                own[index[c], [index[x] for x in neighbours.get(c, ()) if x in index]] = True
        y = table.to_numpy(float)
        control = "own" if own is not None else "never"
        r = _within(
            att_gt(y, periods, cohort, control=control, anticipation=anticipation, neighbours=own), events
        )
        if not (np.isfinite(r.att) & (r.group <= r.time)).any():
            late = sorted(c for c, g in zip(table.index, cohort, strict=True) if 0 < g <= periods[0])
            rows.append(
                skip_row(
                    family=family,
                    design="staggered",
                    outcome=indicator,
                    reason=f"no adopter can be estimated: {indicator} has {compact_years(periods)}, and "
                    + (
                        f"{len(late)} of {n_adopt} adopters adopted by its first year (no year before)"
                        if late
                        else "no adopter has a year before adoption and one after with eligible controls"
                    ),
                )
            )
            continue
        estimated = np.unique(r.group[np.isfinite(r.att) & (r.group <= r.time)])
        sizes = np.unique(r.cohort[np.isin(r.cohort, estimated)], return_counts=True)[1]
        rows += _left_out(r, table.index, adoption, own, estimated, indicator, family)
        how = "each adopter's own statistical neighbours" if own is not None else f"{n_control} never-treated"
        base = dict(
            outcome=indicator,
            family=family,
            design="staggered",
            measure="mean",
            scale="level",
            treatment=f"{int(sizes.sum())} adopter{'s' * int(sizes.sum() != 1)} in {sizes.size} "
            f"cohort{'s' * int(sizes.size != 1)} (pooled)",
            comparison=how,
            n_treatment=int(sizes.sum()),
            n_comparison=int((r.cohort == 0).sum()),
            method="Callaway & Sant'Anna (2021) ATT(g,t), varying base period, anticipation "
            f"{anticipation}; analytic influence-function SEs (R did 2.5.1) with a small-sample "
            "factor sqrt(n/(n-1)) and t(n-1), n adopters",
        )
        span = compact_years(periods)

        opts = dict(base=base, span=span, confidence=confidence, seed=seed)
        band = (
            f"uniform {confidence:.0%} band over the event times with intervals "
            "(sup-t from the influence functions' correlation, t margins)"
        )
        att_rows = _rows(r, "simple", "att", "", note=f"controls: {how}", **opts)
        att_rows += _honest(
            y, periods, cohort, (control, own), anticipation, events, att_rows[0], confidence, seed
        )
        rows += att_rows
        rows += _rows(r, "dynamic", "att_event", "event", note=band, band=True, **opts)
        rows += _rows(r, "group", "att_group", "cohort", **opts)
        rows += _rows(r, "calendar", "att_calendar", "year", **opts)
        if own is None:
            r_ny = _within(att_gt(y, periods, cohort, control="not_yet", anticipation=anticipation), events)
            rows += _rows(
                r_ny, "simple", "att_not_yet", "", note="controls: never and not-yet treated", **opts
            )
    return rows


def _left_out(r: AttGt, index, adoption, own, estimated, indicator: str, family: str) -> list[dict]:
    """A skip record for each adopter the pooled estimate of ``indicator`` leaves out, with why."""
    kept = {c: g for c, g in zip(index[r.kept], r.cohort, strict=True)}
    rows = []
    for code, year in adoption.items():
        if kept.get(code, 0) in estimated:
            continue
        if code not in index:
            why = f"no complete {indicator} series over the years used"
        elif code not in kept:
            why = f"adopted ({year}) by the first year of the {indicator} series: no year before"
        elif own is not None and not own[list(index).index(code)].any():
            why = "no control (an own neighbour, never or not yet treated) with a complete series"
        else:
            why = f"no year of cohort {year} could be estimated (an adopter of it has no eligible control)"
        rows.append(
            skip_row(
                family=family,
                design="staggered",
                outcome=indicator,
                treatment=code,
                reason=f"{code}: {why}; left out of the pooled estimate",
            )
        )
    return rows


def _within(r: AttGt, events: tuple[int | None, int | None]) -> AttGt:
    """ATT(g,t) with the cells outside the event-time bounds left out (NaN: aggregations skip them)."""
    first, last = events
    e = r.time - r.group
    out = np.zeros(e.shape, dtype=bool)
    if first is not None:
        out |= e < first
    if last is not None:
        out |= e > last
    if not out.any():
        return r
    influence = r.influence.copy()
    influence[:, out] = 0.0
    return replace(r, att=np.where(out, np.nan, r.att), se=np.where(out, np.nan, r.se), influence=influence)


def _rows(r, kind, name, label, *, base, span, confidence, seed, note="", band=False) -> list:
    """Rows of one aggregation, with small-sample intervals where enough adopters are behind them."""
    agg = aggregate(r, kind)
    egt = agg.get("egt", np.array([0]))
    n_ad = adopters(r, kind, agg.get("egt"))
    se, crit, df = small_sample(agg.get("se", np.array([agg["overall_se"]])), n_ad, confidence)
    valid = n_ad >= MIN_ADOPTERS
    if band and valid.any():  # sup-t over the event times with intervals, t(df) margins
        psi, dfs = agg["influence"][:, valid], float(df[valid].min())
        band_crit = sup_t_critical_value(psi, confidence=confidence, df=dfs, seed=seed)
        crit = np.where(valid, band_crit, crit)
    est = agg.get("att", np.array([agg["overall"]]))
    out = []
    for k, e in enumerate(egt):
        why = (
            "" if valid[k] else f"no p-value or interval: {int(n_ad[k])} adopters, fewer than {MIN_ADOPTERS}"
        )
        extra = "pre-adoption (parallel-trends check)" if band and e < 0 else ""
        text = "; ".join(x for x in (note, extra, why) if x)
        period = span if kind == "simple" else f"{label} {int(e)}"
        row = _row(base, est[k], se[k], name, period, valid[k], crit[k], df[k], text, name == "att")
        if kind == "dynamic":
            row["event_time"] = int(e)
        out.append(row)
    return out


def _row(base, est, se, name, period, valid, crit, df, note, primary) -> dict:
    est, se = float(est), float(se)
    ok = bool(valid and np.isfinite(se) and se > 0)
    return make_row(
        **base,
        primary=primary,
        difference=est,
        effect_size=est,
        effect_size_name=name,
        ci_low=est - crit * se if ok else np.nan,
        ci_high=est + crit * se if ok else np.nan,
        test="t (influence function, small-sample)" if ok else "",
        statistic=est / se if ok else np.nan,
        df=float(df) if ok else np.nan,
        p_value=float(2 * sps.t.sf(abs(est / se), df)) if ok else np.nan,
        period=period,
        note="; ".join(x for x in (note, f"SE {se:.4g}") if x),
    )


def _honest(y, periods, cohort, controls, anticipation, events, primary, confidence, seed) -> list[dict]:
    """HonestDiD sensitivity of the event study (universal base period, R ``did``'s
    ``base_period = "universal"``, as HonestDiD needs) on the event times with at least
    :data:`MIN_ADOPTERS` adopters, contiguous around the reference period; its columns and note go
    on the primary row, its bounds are returned as rows."""
    control, own = controls
    r = _within(
        att_gt(
            y,
            periods,
            cohort,
            control=control,
            neighbours=own,
            anticipation=anticipation,
            base_period="universal",
        ),
        events,
    )
    d = aggregate(r, "dynamic")
    ref = -1 - anticipation
    n_ad = adopters(r, "dynamic", d["egt"])
    ok = {int(e) for e, n in zip(d["egt"], n_ad, strict=True) if n >= MIN_ADOPTERS and e != ref}
    pre = [e for e in range(ref - 1, int(d["egt"].min()) - 1, -1)]
    pre = [e for i, e in enumerate(pre) if all(x in ok for x in pre[: i + 1])][::-1]
    post = [e for e in range(ref + 1, int(d["egt"].max()) + 1)]
    post = [e for i, e in enumerate(post) if all(x in ok for x in post[: i + 1])]
    if not pre or not post:
        primary["note"] += (
            f"; no parallel-trends sensitivity: needs event times before and after adoption with "
            f"{MIN_ADOPTERS}+ adopters behind them"
        )
        return []
    idx = [int(np.flatnonzero(d["egt"] == e)[0]) for e in (*pre, *post)]
    n = r.n
    psi = d["influence"][:, idx]
    sigma = psi.T @ psi / n**2 * n / (n - 1)
    keys = ("outcome", "family", "design", "measure", "scale", "treatment", "comparison")
    cols, note, rows, _ = sensitivity_parts(
        d["att"][idx],
        sigma,
        len(pre),
        {k: primary[k] for k in keys},
        confidence=confidence,
        seed=seed,
        own_p=primary["p_value"],
    )
    primary.update(cols)
    primary["note"] += f"; {note} (event times {pre[0]} to {post[-1]}, base period {ref})"
    return rows
