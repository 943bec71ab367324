"""The design steps of one evaluation: which design runs for which authority, on which years,
against whom, and how a step that fails on degenerate data becomes a skip record.

Every panel and cost design runs once per adopter, with that adopter's own adoption year
(``[unit_model] CODE = YEAR``), its own years (``pre_years``/``post_years``) and its own
comparators and donors (``inputs.comparisons["admin/CODE"]`` when there are several adopters);
rows name the adopter in ``treatment`` and carry its ``adoption_year``. The only estimate pooled
over adopters is staggered adoption, a design built for it; it runs when the evaluation is not
about one authority. An authority with no adoption year (a council benchmarked on its own) gets
no design that estimates a change since the model began, and one record saying so.
"""

from __future__ import annotations

from functools import partial

import numpy as np
import pandas as pd

from rsw_eval._errors import DataError, SpecError
from rsw_eval.comparison._resolve import Comparison
from rsw_eval.designs._rows import skip_row
from rsw_eval.designs.before_after import before_after, before_after_waves
from rsw_eval.designs.cost_change import cost_change
from rsw_eval.designs.cross_section import (
    BINARY,
    CONSISTENCY,
    CONTINUOUS,
    LIKERT,
    compare_parents,
    compare_workers,
)
from rsw_eval.designs.did import did
from rsw_eval.designs.its import its
from rsw_eval.designs.sdid import synthetic_did
from rsw_eval.designs.staggered import staggered
from rsw_eval.designs.synth import synthetic_control
from rsw_eval.disclosure import rule_set
from rsw_eval.evaluation._step import Step
from rsw_eval.evaluation._survey_scope import adopters_of, not_about
from rsw_eval.inputs import Inputs
from rsw_eval.io._lacodes import gss_code
from rsw_eval.spec import DESIGNS, EvaluationSpec

__all__ = ["Step", "steps", "unit_comparisons"]

WORKER_OUTCOMES = (*CONTINUOUS, *LIKERT, *BINARY)


def _own_neighbours(code: str, table) -> list[str]:
    """An adopter's ten statistical neighbours; none for one the model cannot place (abolished
    before it: its own comparison already says why, and the pooled estimate has no controls for it)."""
    from rsw_eval.comparison.neighbours import statistical_neighbours

    try:
        return statistical_neighbours(code, 10, table=table)
    except DataError:
        return []


def unit_comparisons(inputs: Inputs, key: str) -> list[tuple[str, Comparison]]:
    """(code, comparison) of each authority the evaluation is about, in the order of the spec:
    its own comparison when there are several, else the data set's one."""
    who = inputs.comparisons.get(key)
    if who is None:
        return []
    return [(code, inputs.comparisons.get(f"{key}/{code}", who)) for code in who.treated]


def _label(who: Comparison, code: str) -> str:
    name = who.names.get(code)
    return f"{name} ({code})" if name else code


def _in_window(frame: pd.DataFrame, window: tuple[range, range]) -> pd.DataFrame:
    years = frame["year"].to_numpy()
    keep = np.zeros(len(frame), dtype=bool)
    for part in window:
        keep |= (years >= part.start) & (years < part.stop)
    return frame[keep]


def _survey_outcomes(frame: pd.DataFrame, family: str) -> tuple[tuple[str, ...], ...]:
    """The survey's outcome columns, grouped as the designs read them (a failing step is re-run
    one group at a time)."""
    if family == "worker":
        names = [*WORKER_OUTCOMES, *CONSISTENCY]
        groups = [(c,) for c in dict.fromkeys(names) if c in frame.columns]
    else:
        groups = [(c,) for c in frame.columns if c.startswith("rating_")]
        groups += [tuple(c for c in ("contacts", "weeks_observed") if c in frame.columns)]
    return tuple(g for g in groups if g)


def _survey_steps(
    spec: EvaluationSpec, inputs: Inputs, families: set[str], authority: str | None
) -> list[Step]:
    out: list[Step] = []
    conf = spec.confidence
    chosen = [d for d in DESIGNS if spec.runs(d)]
    for family, frame, compare_fn, ratings in (
        ("worker", inputs.workers, compare_workers, None),
        ("parent", inputs.parents, compare_parents, "rating_"),
    ):
        if family not in families or frame is None:
            continue
        why = not_about(frame, authority, adopters_of(spec.unit_model)) if authority is not None else None
        if why:  # the run is about one authority: never another's numbers (q18att F7)
            reason = f"the run is about {authority} alone and {why} (run compare without --authority for it)"
            row = skip_row(family=family, design="", outcome="", reason=reason)
            out.append(Step(f"{family} survey", family, "", lambda row=row: [row]))
            continue
        groups = _survey_outcomes(frame, family)
        if {"cross_section", "multilevel", "consistency"} & set(chosen):
            small = rule_set(spec.disclosure_rules, spec.disclosure_threshold).threshold
            run = partial(compare_fn, seed=spec.seed, confidence=conf, designs=chosen, small=small)
            out.append(Step(f"{family} survey", family, "cross_section", run, frame, outcomes=groups))
        if spec.runs("before_after"):
            items = (
                WORKER_OUTCOMES if ratings is None else [c for c in frame.columns if c.startswith(ratings)]
            )
            run = partial(before_after_waves, family=family, outcomes=items, confidence=conf)
            out.append(Step(f"{family} survey waves", family, "before_after", run, frame, outcomes=groups))
    return out


def before_after_pairs(spec: EvaluationSpec, code: str) -> tuple[tuple[int, int], ...]:
    """The before/after years of one adopter: the spec's pairs (``baseline_year``/``followup_year``,
    ``before_after``) when it gives any, else, with a bounded post window, the last pre-window
    year against the last post-window year of the adopter's own window; else none.

    Examples
    --------
    >>> spec = EvaluationSpec(unit_model=("A", "B"), adoption={"A": 2008, "B": 2016}, post_years=3,
    ...                       data={"admin": ["p.csv"]})
    >>> before_after_pairs(spec, "A"), before_after_pairs(spec, "B")
    (((2007, 2010),), ((2015, 2018),))
    """
    if spec.periods:
        return spec.periods
    window = spec.window(code)
    if window is None or spec.post_years is None:
        return ()
    before, after = window
    return ((before.stop - 1, after.stop - 1),)


def _no_comparison(spec: EvaluationSpec, who: Comparison) -> list[str]:
    """The designs asked for that cannot run for an adopter with no comparator (DiD) or no donor
    (the donor-pool designs): each becomes one skip record saying why (``who.unusable``); its own
    before/after change and own-trend ITS still run."""
    if who.comparators:
        return []
    needs = [("did", True), ("synthetic_control", not who.donors), ("synthetic_did", not who.donors)]
    return [d for d, empty in needs if empty and spec.runs(d)]


def _panel_steps(spec: EvaluationSpec, inputs: Inputs, code: str, who: Comparison) -> list[Step]:
    panel, out = inputs.panel, []
    conf, name = spec.confidence, _label(who, code)
    year, window = spec.adoption_year(code), spec.window(code)
    step = partial(Step, family="admin", unit=code, treatment=name, year=year)
    pairs = before_after_pairs(spec, code)
    # every pair runs: one wholly after (or wholly before) the adoption year keeps its row, worded
    # as what it is by designs.before_after.pair_relation (note and reading); nothing is filtered
    if spec.runs("before_after") and pairs:
        run = partial(
            before_after,
            treated=[code],
            comparators=who.comparators,
            periods=pairs,
            confidence=conf,
            adoption_year=year,
        )
        out.append(step(f"before/after: {name}", design="before_after", run=run, frame=panel))
    if year is None or window is None:
        return out
    framed = _in_window(panel, window)
    donors = who.donors
    for design in _no_comparison(spec, who):  # one of several adopters with nobody to compare with
        row = skip_row(
            family="admin", design=design, outcome="", treatment=name, reason=f"{name}: {who.unusable}"
        )
        out.append(step(f"{design}: {name}", design=design, run=lambda row=row: [row]))
    if spec.runs("did") and who.comparators:
        run = partial(
            did,
            treated=[code],
            comparators=who.comparators,
            intervention_year=year,
            donors=donors,
            confidence=conf,
            seed=spec.seed,
            mde_effect=spec.mde_effect,
            events=True,
        )
        out.append(step(f"difference-in-differences: {name}", design="did", run=run, frame=framed))
    if spec.runs("its"):
        run = partial(
            its,
            treated=[code],
            intervention_year=year,
            comparators=who.comparators,
            donors=donors,
            confidence=conf,
            mde_effect=spec.mde_effect,
        )
        out.append(step(f"interrupted time series: {name}", design="its", run=run, frame=framed))
    pool = dict(treated=code, donors=donors, intervention_year=year, confidence=conf)  # both donor designs
    if spec.runs("synthetic_control") and donors:
        run = partial(synthetic_control, **pool, mde_effect=spec.mde_effect)
        out.append(step(f"synthetic control: {name}", design="synthetic_control", run=run, frame=framed))
    if spec.runs("synthetic_did") and donors:
        run = partial(synthetic_did, **pool, seed=spec.seed)
        out.append(step(f"synthetic DiD: {name}", design="synthetic_did", run=run, frame=framed))
    return out


def cost_years(spec: EvaluationSpec, costs: pd.DataFrame, code: str) -> tuple[int, int] | None:
    """The cost change's years for one adopter: ``cost_years`` when the spec gives them; else the
    latest cost year before the adoption year (in its pre window) against the latest in its post
    window, when the cost data hold both; else the first and last years of the cost data."""
    if spec.cost_years is not None:
        return tuple(spec.cost_years)
    years = sorted(set(costs.loc[costs["la_code"] == code, "year"].astype(int)))
    window = spec.window(code)
    if window is not None:
        before = [y for y in years if y in window[0]]
        after = [y for y in years if y in window[1]]
        if before and after:
            return before[-1], after[-1]
    return None  # the design's default: the first and last years of the cost data


def _cost_steps(spec: EvaluationSpec, inputs: Inputs, code: str, who: Comparison) -> list[Step]:
    if not spec.runs("cost_change"):
        return []
    years, year = cost_years(spec, inputs.costs, code), spec.adoption_year(code)
    # a pair of cost years wholly before (or after) the adoption year keeps its rows, worded so by
    # designs.before_after.pair_relation in their notes, as a before/after pair's (nothing filtered)
    run = partial(
        cost_change,
        treated=[code],
        comparators=who.comparators,
        years=years,
        confidence=spec.confidence,
        adoption_year=year,
    )
    name = _label(who, code)
    return [
        Step(
            f"cost change: {name}",
            "cost",
            "cost_change",
            run,
            frame=inputs.costs,
            unit=code,
            treatment=name,
            year=spec.adoption_year(code),
        )
    ]


def _not_an_adopter(spec: EvaluationSpec, inputs: Inputs, families: set[str], authority: str) -> list[Step]:
    """One record per family: an authority with no adoption year is benchmarked, not evaluated."""
    out = []
    for key, family in (("admin", "admin"), ("cost", "cost")):
        who = inputs.comparisons.get(key)
        if who is None or family not in families or authority not in who.treated:
            continue
        name = _label(who, authority)
        unit = authority in {gss_code(u) for u in spec.unit_model}
        what = "has no adoption year" if unit else "is not a unit-model authority and has no adoption year"
        row = skip_row(
            family=family,
            design="",
            outcome="",
            treatment=name,
            reason=f"{name} {what}: no design estimates a change since the model began (an annual "
            f"report benchmarks it against its {len(who.comparators)} comparators); give "
            f"--adoption-year YEAR, or [unit_model] {authority} = YEAR, to run them",
        )
        out.append(
            Step(f"{family}: {name}", family, "", lambda row=row: [row], unit=authority, treatment=name)
        )
    return out


def _pooled_steps(
    spec: EvaluationSpec, inputs: Inputs, families: set[str], authority: str | None
) -> list[Step]:
    """Staggered adoption over every adopter with its own year (the one pooled estimate)."""
    who = inputs.comparisons.get("admin")
    if "admin" not in families or inputs.panel is None or who is None or not spec.runs("staggered"):
        return []
    if authority is not None:  # the pooled estimate is not about one authority
        adopters = [u for u in spec.unit_model if spec.adoption_year(u) is not None]
        if len(adopters) < 2 and spec.designs is None:
            return []
        row = skip_row(
            family="admin",
            design="staggered",
            outcome="",
            reason="staggered adoption pools every adopter: it is not an estimate for one authority "
            "(run compare without --authority for it)",
        )
        return [Step("staggered adoption", "admin", "staggered", lambda: [row])]
    years = {c: y for c in who.treated if (y := spec.adoption_year(c)) is not None}
    if len(years) < 2:
        row = skip_row(
            family="admin",
            design="staggered",
            outcome="",
            reason=f"{len(years)} adopter(s) with an adoption year; needs 2 or more",
        )
        return [Step("staggered adoption", "admin", "staggered", lambda: [row])]
    own = None
    if spec.donors == "statistical_neighbours" and inputs.neighbours is not None:
        own = {c: _own_neighbours(c, inputs.neighbours) for c in years}
    panel = inputs.panel
    windows = [spec.window(c) for c in years]
    first, last = min(w[0].start for w in windows), max(w[1].stop for w in windows)
    panel = panel[(panel["year"] >= first) & (panel["year"] < last)]
    events = (
        -spec.pre_years if isinstance(spec.pre_years, int) else None,
        spec.post_years - 1 if isinstance(spec.post_years, int) else None,
    )
    run = partial(
        staggered,
        adoption=years,
        controls=who.donors,
        neighbours=own,
        confidence=spec.confidence,
        seed=spec.seed,
        events=events,
    )
    return [Step("staggered adoption", "admin", "staggered", run, frame=panel)]


def _donor_skip(spec: EvaluationSpec, inputs: Inputs, families: set[str]) -> list[Step]:
    """Donor-pool designs asked for when no adopter has an adoption year."""
    who = inputs.comparisons.get("admin")
    if "admin" not in families or inputs.panel is None or who is None:
        return []
    if any(spec.adoption_year(c) is not None for c in who.treated):
        return []
    out = []
    for design in ("synthetic_control", "synthetic_did"):
        if spec.runs(design):
            row = skip_row(
                family="admin",
                design=design,
                outcome="",
                reason="no adoption year: give intervention_year or [unit_model] CODE = YEAR",
            )
            out.append(Step(design.replace("_", " "), "admin", design, lambda row=row: [row]))
    return out


def steps(
    spec: EvaluationSpec, inputs: Inputs, families: set[str], authority: str | None = None
) -> list[Step]:
    """Every design step the spec asks for and the data allow, each adopter with its own year,
    window and comparators (see the module docstring)."""
    out = _survey_steps(spec, inputs, families, authority)
    if authority is not None and spec.adoption_year(authority) is None:
        return out + _not_an_adopter(spec, inputs, families, authority)
    if "admin" in families and inputs.panel is not None:
        for code, who in unit_comparisons(inputs, "admin"):
            out += _panel_steps(spec, inputs, code, who)
    if "cost" in families and inputs.costs is not None:
        years = set(inputs.costs["year"])
        if spec.cost_years is not None and not set(spec.cost_years) <= years:
            raise SpecError(
                f"cost_years {list(spec.cost_years)} are not both in the cost data; it has years "
                f"{sorted(years)}"
            )
        for code, who in unit_comparisons(inputs, "cost"):
            out += _cost_steps(spec, inputs, code, who)
    return out + _donor_skip(spec, inputs, families) + _pooled_steps(spec, inputs, families, authority)
