"""Cross-sectional, Forrester-style comparisons of survey outcomes: unit model vs conventional."""

from __future__ import annotations

from collections.abc import Container, Iterator

import numpy as np
import pandas as pd

from rsw_eval import stats
from rsw_eval.designs._clustered import SurveyDesign, g_interval, treatment_label
from rsw_eval.designs._rows import from_stat, make_row
from rsw_eval.designs.contact_rate import contact_rows
from rsw_eval.stats._cr2 import numeric_outcome
from rsw_eval.stats._mixed_fit import one_blas_thread

__all__ = ["BINARY", "CONTINUOUS", "LIKERT", "compare_parents", "compare_workers"]

CONTINUOUS = (
    "ghq_score",
    "practice_quality",
    "reflection_hours_per_week",
    "hours_direct_work",
    "pct_time_direct_work",
)
LIKERT = ("job_satisfaction", "confidence_assessment")
BINARY = ("ghq_case", "no_time_for_reflection", "experienced_violence")
#: Outcomes whose spread is compared ("more consistency in good practice").
CONSISTENCY = ("practice_quality", "rating_overall")


def _confounding_note(frame: pd.DataFrame) -> str:
    n_unit = frame.loc[frame["model"] == "unit", "authority"].nunique()
    if n_unit == 1:
        return (
            "one unit-model authority: model and place are confounded, so the difference "
            "compares authorities as much as models"
        )
    return ""


def _numeric_rows(frame, outcome, family, likert, seed, confidence=0.95, design=None) -> Iterator[dict]:
    design = design or SurveyDesign.of(frame)
    treatment = treatment_label(frame)
    values = frame[outcome].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    tested = numeric_outcome(frame[outcome])
    x_all = values[design.unit]
    for comparison, mask in design.comparisons():
        y = values[mask]
        x = x_all
        if np.sum(~np.isnan(x)) < 2 or np.sum(~np.isnan(y)) < 2:
            continue
        try:
            t = stats.welch_t(x, y, confidence=confidence)
            # Welch-type g (root-mean-square SD, Welch df), consistent with Welch's test: the
            # pooled-SD interval covers 85% at n 10 vs 30 with SDs 2:1 (validation/sim_effsize.py)
            g = stats.hedges_g(x, y, pooled_sd=False, confidence=confidence)
        except ValueError as exc:
            yield make_row(
                outcome=outcome,
                family=family,
                design="cross_section",
                measure="mean",
                treatment=treatment,
                comparison=comparison,
                note=f"not computed: {exc}",
            )
            continue
        c, notes = design.primary_test(np.flatnonzero(design.unit | mask), tested, confidence)
        base = dict(
            outcome=outcome,
            family=family,
            measure="mean",
            treatment=treatment,
            comparison=comparison,
            n_treatment=t.n1,
            n_comparison=t.n2,
            value_treatment=t.details["mean1"],
            value_comparison=t.details["mean2"],
            difference=t.estimate,
            sd_treatment=t.details["sd1"],
            sd_comparison=t.details["sd2"],
        )
        if c is None:  # no clusters known: Welch, as the respondents are independent
            test = dict(
                test=t.test,
                statistic=t.statistic,
                df=t.df,
                p_value=t.p_value,
                difference_ci_low=t.ci_low,
                difference_ci_high=t.ci_high,
                method=f"{t.method}; Hedges' g: {g.method}",
            )
        else:
            g_low, g_high = g_interval(t, g, c) if c.valid else (np.nan, np.nan)
            test = dict(
                test=c.test,
                statistic=c.statistic,
                df=c.df,
                p_value=c.p_value,
                difference_ci_low=c.ci_low,
                difference_ci_high=c.ci_high,
                ci_low=g_low,
                ci_high=g_high,
                method=f"{c.method or 'CR2'}; Hedges' g with the interval of the difference scaled by "
                "g / difference",
            )
        yield from_stat(g, design="cross_section", **base, **test, note="; ".join(notes))
        if likert:
            bm = stats.brunner_munzel(x, y, confidence=confidence)
            rank = {"note": "sensitivity analysis for an ordinal outcome; not adjusted"}
            if c is not None:
                rank = {
                    "ci_low": np.nan,
                    "ci_high": np.nan,
                    "p_value": np.nan,
                    "note": "sensitivity analysis for an ordinal outcome: the rank test ignores the "
                    "clustering of workers in units, so it is shown without p-value or interval",
                }
            yield from_stat(
                bm,
                design="cross_section_rank",
                primary=False,
                **{**base, "difference": t.estimate},
                **rank,
            )


def _binary_rows(frame, outcome, family, confidence=0.95, design=None) -> Iterator[dict]:
    design = design or SurveyDesign.of(frame)
    treatment = treatment_label(frame)
    values = numeric_outcome(frame[outcome].astype("Float64"))  # 1.0 yes, 0.0 no, NaN missing
    x = values[design.unit]
    x = x[~np.isnan(x)]
    for comparison, mask in design.comparisons():
        y = values[mask]
        y = y[~np.isnan(y)]
        if len(x) == 0 or len(y) == 0:
            continue
        r = stats.two_proportions(int(x.sum()), len(x), int(y.sum()), len(y), confidence=confidence)
        c, notes = design.primary_test(np.flatnonzero(design.unit | mask), values, confidence)
        base = dict(
            outcome=outcome,
            family=family,
            measure="proportion",
            treatment=treatment,
            comparison=comparison,
            n_treatment=len(x),
            n_comparison=len(y),
            value_treatment=r.details["p1"],
            value_comparison=r.details["p2"],
            difference=r.estimate,
            design="cross_section",
        )
        if c is None:
            yield from_stat(
                r, **base, difference_ci_low=r.ci_low, difference_ci_high=r.ci_high, note="; ".join(notes)
            )
        else:
            yield from_stat(
                r,
                **base,
                ci_low=c.ci_low,
                ci_high=c.ci_high,
                difference_ci_low=c.ci_low,
                difference_ci_high=c.ci_high,
                test=c.test,
                statistic=c.statistic,
                df=c.df,
                p_value=c.p_value,
                method=f"risk difference by a linear probability model; {c.method or 'CR2'}",
                note="; ".join(notes),
            )
        for other in r.related:
            if other.name in ("odds_ratio", "cohens_h"):
                extra = {"note": "another scale of the same comparison; p as its primary row"}
                if c is not None:
                    extra = {
                        **dict.fromkeys(("ci_low", "ci_high", "statistic", "df", "p_value"), np.nan),
                        "test": "",
                        "note": "another scale of the same comparison, without an interval (it would "
                        "ignore the clustering of workers in units); see the risk difference row",
                    }
                yield from_stat(other, primary=False, **base, **extra)


def _multilevel_rows(frame, outcome, family, confidence=0.95) -> Iterator[dict]:
    if "unit" not in frame.columns or frame["unit"].isna().all():
        return
    clusters = ["authority", "unit"] if frame["authority"].nunique() > 1 else ["unit"]
    missing = frame["unit"].isna().to_numpy()
    if missing.any():  # a respondent with no unit is a unit of their own, as in the clustered rows:
        # dropped, the row's sizes and difference less the cross-section's would give their count
        # and answers back (att7 A)
        units = frame["unit"].astype(object).to_numpy(copy=True)
        units[missing] = [f"\0no unit {k}" for k in range(int(missing.sum()))]
        frame = frame.assign(unit=units)
    r = stats.mixed_effect(frame, outcome, "model", clusters, confidence=confidence)
    treatment = treatment_label(frame)
    if not r.valid:
        yield make_row(
            outcome=outcome,
            family=family,
            design="multilevel",
            measure="mean",
            treatment=treatment,
            comparison="all conventional",
            primary=False,
            note=f"not computed: {r.reason}",
        )
        return
    d = r.details
    parts = [f"ICC {c} = {d[f'icc_{c}']:.3f}" for c in clusters]
    parts.append(f"design effect {d['design_effect']:.2f}")
    if not d["converged"]:
        parts.append("the model did not converge")
    confounding = _confounding_note(frame)
    if confounding:
        parts.append(confounding)
    if r.reason:
        parts.append(r.reason)
    yield make_row(
        outcome=outcome,
        family=family,
        design="multilevel",
        measure="mean",
        treatment=treatment,
        comparison="all conventional",
        n_treatment=r.n1,
        n_comparison=r.n2,
        difference=r.estimate,
        difference_ci_low=r.ci_low,
        difference_ci_high=r.ci_high,
        effect_size_name="d_t",
        effect_size=d["d_t"],
        ci_low=d["d_t_ci_low"],
        ci_high=d["d_t_ci_high"],
        test=r.test if d["estimable"] else "",
        statistic=r.statistic,
        df=r.df,
        p_value=r.p_value,
        method=r.method,
        primary=False,
        note="; ".join(parts) + "; cluster-adjusted estimate (sensitivity), not adjusted",
    )


def _consistency_rows(frame, outcome, family, confidence=0.95, design=None) -> Iterator[dict]:
    unit = frame["model"] == "unit"
    x = frame.loc[unit, outcome].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    y = (
        frame.loc[frame["model"] == "conventional", outcome]
        .astype("Float64")
        .to_numpy(dtype=float, na_value=np.nan)
    )
    if np.sum(~np.isnan(x)) < 3 or np.sum(~np.isnan(y)) < 3:
        return
    vr = stats.variance_ratio(x, y, confidence=confidence)
    lev = stats.levene(x, y, confidence=confidence)
    test = dict(
        test=lev.test,
        statistic=lev.statistic,
        df=lev.df,
        p_value=lev.p_value,
        method=f"variance ratio (F interval); p from the {lev.test} test, robust to non-normal data",
        note="values are SDs; a ratio below 1 means more consistent in the unit model",
    )
    design = design or SurveyDesign.of(frame)
    if design.units is not None:  # Brown-Forsythe as a CR2 test on the absolute deviations from the medians
        used = (frame["model"].isin(["unit", "conventional"]) & frame[outcome].notna()).to_numpy(dtype=bool)
        sub = frame[used]
        values = sub[outcome].astype(float)
        z = np.full(len(frame), np.nan)
        z[used] = numeric_outcome((values - values.groupby(sub["model"]).transform("median")).abs())
        c, notes = design.primary_test(np.flatnonzero(used), z, confidence)
        test = dict(
            test=f"Brown-Forsythe, {c.test}",
            statistic=c.statistic,
            df=c.df,
            p_value=c.p_value,
            ci_low=np.nan,
            ci_high=np.nan,
            method="variance ratio; p from the Brown-Forsythe comparison of absolute deviations from "
            "the group medians with a CR2 cluster-robust t",
            note="values are SDs; a ratio below 1 means more consistent in the unit model; no interval "
            "(the F interval would ignore the clustering of workers in units); " + "; ".join(notes),
        )
    yield from_stat(
        vr,
        outcome=outcome,
        family=family,
        design="consistency",
        measure="mean",
        treatment=treatment_label(frame),
        comparison="all conventional",
        n_treatment=vr.n1,
        n_comparison=vr.n2,
        value_treatment=float(np.nanstd(x, ddof=1)),
        value_comparison=float(np.nanstd(y, ddof=1)),
        **test,
    )


def compare_workers(
    workers: pd.DataFrame,
    *,
    seed: int = 0,
    confidence: float = 0.95,
    designs: Container[str] = ("cross_section", "multilevel", "consistency"),
    small: int = 0,
) -> list[dict]:
    """Every worker-survey comparison: means, proportions, ranks, multilevel and consistency rows
    (only the ``designs`` asked for: ``cross_section`` includes its rank rows). ``small``: the
    disclosure threshold, below which an arm's authorities are one cluster
    (:meth:`~rsw_eval.designs._clustered.SurveyDesign.primary_test`).

    The survey is prepared once (:class:`~rsw_eval.designs._clustered.SurveyDesign`) for all its
    comparisons, and BLAS runs on one thread throughout (its thread start-up costs more than it
    saves on these small matrices, and a second spinning thread takes a core from other work).
    """
    rows: list[dict] = []
    design = SurveyDesign.of(workers, small=small)
    with one_blas_thread():
        for outcome in (*CONTINUOUS, *LIKERT):
            if outcome in workers.columns and workers[outcome].notna().any():
                likert = outcome in LIKERT
                if "cross_section" in designs:
                    rows.extend(_numeric_rows(workers, outcome, "worker", likert, seed, confidence, design))
                if "multilevel" in designs:
                    rows.extend(_multilevel_rows(workers, outcome, "worker", confidence))
        for outcome in BINARY:
            if outcome in workers.columns and workers[outcome].notna().any() and "cross_section" in designs:
                rows.extend(_binary_rows(workers, outcome, "worker", confidence, design))
        for outcome in CONSISTENCY:
            if outcome in workers.columns and "consistency" in designs:
                rows.extend(_consistency_rows(workers, outcome, "worker", confidence, design))
    return rows


def compare_parents(
    parents: pd.DataFrame,
    *,
    seed: int = 0,
    confidence: float = 0.95,
    designs: Container[str] = ("cross_section", "consistency"),
    small: int = 0,
) -> list[dict]:
    """Every parent-survey comparison: rating items, contact rate, consistency of ratings (only
    the ``designs`` asked for; the survey prepared once, BLAS on one thread, ``small`` as
    :func:`compare_workers`)."""
    rows: list[dict] = []
    design = SurveyDesign.of(parents, small=small)
    with one_blas_thread():
        if "cross_section" in designs:
            for outcome in (c for c in parents.columns if c.startswith("rating_")):
                rows.extend(_numeric_rows(parents, outcome, "parent", True, seed, confidence, design))
            if {"contacts", "weeks_observed"} <= set(parents.columns):
                rows.extend(contact_rows(parents, confidence))
        for outcome in CONSISTENCY:
            if outcome in parents.columns and "consistency" in designs:
                rows.extend(_consistency_rows(parents, outcome, "parent", confidence, design))
    return rows
