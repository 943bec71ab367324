"""Staggered adoption on the authority panel: several unit-model authorities adopting in different
years, each compared with never-treated authorities or with its own statistical neighbours
(Callaway & Sant'Anna 2021; the estimators are in :mod:`rsw_eval.designs._cs`, verified against
R ``did`` 2.5.1).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from scipy import stats as sps

from rsw_eval.designs._cs import AttGt, aggregate, att_gt
from rsw_eval.designs._panel import outcomes, wide_all
from rsw_eval.designs._rows import make_row, skip_row

__all__ = ["AttGt", "aggregate", "att_gt", "staggered"]

#: Analytic (normal) p-values and intervals are reported only with at least this many adopters
#: and this many in every cohort (validation/sim_donor.py); otherwise the rows are descriptive.
MIN_ADOPTERS, MIN_PER_COHORT = 10, 3


def staggered(
    panel: pd.DataFrame,
    adoption: Mapping[str, int],
    controls: Sequence[str],
    *,
    neighbours: Mapping[str, Sequence[str]] | None = None,
    anticipation: int = 0,
    confidence: float = 0.95,
    seed: int = 0,
    bootstrap: int = 999,
    family: str = "admin",
) -> list[dict]:
    """Staggered-adoption rows per indicator: the simple ATT (primary) and, as non-primary rows,
    the event study (``effect_size_name`` ``att_event``, ``period`` "event e", ``ci_low/high`` the
    uniform band), cohort (``att_group``, "cohort g") and calendar (``att_calendar``, "year t")
    aggregations, and the simple ATT with not-yet-treated controls (``att_not_yet``).

    Controls are ``controls`` (never treated), or with ``neighbours`` (adopter -> its comparison
    codes) each adopter's own neighbours among the never or not-yet treated. p-values and
    intervals are analytic (influence function, normal); they are reported only with at least
    :data:`MIN_ADOPTERS` adopters and :data:`MIN_PER_COHORT` in every cohort, otherwise NaN
    with the reason in ``note``.

    Examples
    --------
    >>> rng = np.random.default_rng(3)
    >>> codes = [f"E0{i:07d}" for i in range(30)]
    >>> adoption = {c: 2006 + 2 * (i % 3) for i, c in enumerate(codes[:12])}
    >>> panel = pd.DataFrame([(c, c, yr, "x", rng.normal() + (yr >= adoption.get(c, 9999)))
    ...                       for c in codes for yr in range(2000, 2013)],
    ...                      columns=["la_code", "la_name", "year", "indicator", "value"])
    >>> rows = staggered(panel, adoption, codes[12:], bootstrap=99)
    >>> rows[0]["effect_size_name"], rows[0]["n_treatment"], 0.5 < rows[0]["effect_size"] < 1.5
    ('att', 12, True)
    """
    rows: list[dict] = []
    z = float(sps.norm.ppf(0.5 + confidence / 2))
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
        r = att_gt(y, periods, cohort, control=control, anticipation=anticipation, neighbours=own)
        sizes = np.unique(r.cohort[r.cohort > 0], return_counts=True)[1]
        how = "each adopter's own statistical neighbours" if own is not None else f"{n_control} never-treated"
        base = dict(
            outcome=indicator,
            family=family,
            design="staggered",
            measure="mean",
            scale="level",
            treatment=f"{int(sizes.sum())} adopters in {sizes.size} cohorts",
            comparison=how,
            n_treatment=int(sizes.sum()),
            n_comparison=int((r.cohort == 0).sum()),
            method="Callaway & Sant'Anna (2021) ATT(g,t), varying base period, anticipation "
            f"{anticipation}; analytic influence-function SEs (R did 2.5.1)",
        )
        valid = sizes.sum() >= MIN_ADOPTERS and sizes.min() >= MIN_PER_COHORT
        why = (
            ""
            if valid
            else f"no p-value or interval: {int(sizes.sum())} adopters (cohorts of "
            f"{', '.join(map(str, sizes))}); analytic SEs need {MIN_ADOPTERS}+ adopters and "
            f"{MIN_PER_COHORT}+ per cohort"
        )
        span = f"{periods[0]}-{periods[-1]}"
        simple = aggregate(r, "simple")
        rows.append(_row(base, simple["overall"], simple["overall_se"], "att", span, valid, z, why, True))
        dyn = aggregate(r, "dynamic", bootstrap=bootstrap, confidence=confidence, seed=seed)
        crit = float(dyn.get("critical_value", np.nan))
        band = f"uniform {confidence:.0%} band (multiplier bootstrap, {bootstrap} draws)"
        for e, a, se in zip(dyn["egt"], dyn["att"], dyn["se"], strict=True):
            when = "pre-adoption (parallel-trends check)" if e < 0 else "post-adoption"
            rows.append(
                _row(
                    base,
                    a,
                    se,
                    "att_event",
                    f"event {int(e)}",
                    valid,
                    crit if np.isfinite(crit) else z,
                    "; ".join(x for x in (when, band if np.isfinite(crit) else "", why) if x),
                )
            )
        for kind, name, lab in (("group", "att_group", "cohort"), ("calendar", "att_calendar", "year")):
            agg = aggregate(r, kind)
            for e, a, se in zip(agg["egt"], agg["att"], agg["se"], strict=True):
                rows.append(_row(base, a, se, name, f"{lab} {int(e)}", valid, z, why))
        if own is None:
            ny = aggregate(att_gt(y, periods, cohort, control="not_yet", anticipation=anticipation), "simple")
            note = "; ".join(x for x in ("controls: never and not-yet treated", why) if x)
            rows.append(_row(base, ny["overall"], ny["overall_se"], "att_not_yet", span, valid, z, note))
    return rows


def _row(base, est, se, name, period, valid, crit, note, primary=False) -> dict:
    ok = bool(valid and np.isfinite(se) and se > 0)
    return make_row(
        **base,
        primary=primary,
        difference=est,
        effect_size=est,
        effect_size_name=name,
        ci_low=est - crit * se if ok else np.nan,
        ci_high=est + crit * se if ok else np.nan,
        test="z (influence function)" if ok else "",
        statistic=est / se if ok else np.nan,
        p_value=float(2 * sps.norm.sf(abs(est / se))) if ok else np.nan,
        period=period,
        note="; ".join(x for x in (note, f"SE {se:.4g}") if x),
    )
