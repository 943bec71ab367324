"""The comparison engine: runs every design the data allow and collects one tidy Results table."""

from __future__ import annotations

import platform
from collections.abc import Callable, Sequence
from functools import partial

import numpy as np
import pandas as pd

from rsw_eval._errors import SpecError
from rsw_eval._version import __version__
from rsw_eval.comparison._resolve import ENGLAND, authorities, resolve
from rsw_eval.designs._rows import RESULT_COLUMNS, SKIPPED_COLUMNS, is_skip, skip_row
from rsw_eval.designs.before_after import before_after, before_after_waves
from rsw_eval.designs.cost_change import cost_change
from rsw_eval.designs.cross_section import BINARY, CONTINUOUS, LIKERT, compare_parents, compare_workers
from rsw_eval.designs.did import did
from rsw_eval.designs.its import its
from rsw_eval.designs.sdid import synthetic_did
from rsw_eval.designs.staggered import staggered
from rsw_eval.designs.synth import synthetic_control
from rsw_eval.disclosure import rule_set
from rsw_eval.evaluation import _skips
from rsw_eval.evaluation._adjustment import adjust_families, interpret_rows
from rsw_eval.evaluation.results import Results
from rsw_eval.inputs import Inputs, load_inputs
from rsw_eval.inputs._coverage import coverage
from rsw_eval.publication import protect_inputs
from rsw_eval.published import PUBLISHED, match_published
from rsw_eval.published._official import official_check
from rsw_eval.spec import FAMILIES, EvaluationSpec

__all__ = ["compare"]

Progress = Callable[[int, int, str], None]
WORKER_OUTCOMES = (*CONTINUOUS, *LIKERT, *BINARY)


def _survey_steps(spec: EvaluationSpec, inputs: Inputs, families: set[str]) -> list[tuple[str, Callable]]:
    steps: list[tuple[str, Callable]] = []
    conf = spec.confidence
    if "worker" in families and inputs.workers is not None:
        steps.append(
            ("worker survey", partial(compare_workers, inputs.workers, seed=spec.seed, confidence=conf))
        )
        steps.append(
            (
                "worker survey waves",
                partial(before_after_waves, inputs.workers, "worker", WORKER_OUTCOMES, confidence=conf),
            )
        )
    if "parent" in families and inputs.parents is not None:
        ratings = [c for c in inputs.parents.columns if c.startswith("rating_")]
        steps.append(
            ("parent survey", partial(compare_parents, inputs.parents, seed=spec.seed, confidence=conf))
        )
        steps.append(
            (
                "parent survey waves",
                partial(before_after_waves, inputs.parents, "parent", ratings, confidence=conf),
            )
        )
    return steps


def _panel_steps(spec: EvaluationSpec, inputs: Inputs, families: set[str]) -> list[tuple[str, Callable]]:
    steps: list[tuple[str, Callable]] = []
    if "admin" not in families or inputs.panel is None:
        return steps
    conf = spec.confidence
    who = inputs.comparisons["admin"]
    treated, comparators = who.treated, who.comparators
    if spec.periods:
        steps.append(
            (
                "before/after",
                partial(before_after, inputs.panel, treated, comparators, spec.periods, confidence=conf),
            )
        )
    if spec.intervention_year is not None:
        steps.append(
            (
                "difference-in-differences",
                partial(
                    did,
                    inputs.panel,
                    treated,
                    comparators,
                    spec.intervention_year,
                    donors=who.donors,
                    confidence=conf,
                    seed=spec.seed,
                ),
            )
        )
        steps.append(
            (
                "interrupted time series",
                partial(
                    its,
                    inputs.panel,
                    treated,
                    spec.intervention_year,
                    comparators,
                    donors=who.donors,
                    confidence=conf,
                ),
            )
        )
    return steps


def _cost_steps(spec: EvaluationSpec, inputs: Inputs, families: set[str]) -> list[tuple[str, Callable]]:
    if "cost" not in families or inputs.costs is None:
        return []
    who = inputs.comparisons["cost"]  # may hold no comparators: the engine records that part skipped
    years = set(inputs.costs["year"])
    if spec.cost_years is not None and not set(spec.cost_years) <= years:
        raise SpecError(
            f"cost_years {list(spec.cost_years)} are not both in the cost data; it has years {sorted(years)}"
        )
    step = partial(
        cost_change,
        inputs.costs,
        who.treated,
        who.comparators,
        years=spec.cost_years,
        confidence=spec.confidence,
    )
    return [("cost change", step)]


def _donor_steps(spec: EvaluationSpec, inputs: Inputs, families: set[str]) -> list[tuple[str, Callable]]:
    """Donor-pool designs on the administrative panel: synthetic control and synthetic DiD for each
    unit-model authority with an adoption year (donors: ``spec.donors``), and staggered adoption
    across the adopters (controls: the donor pool, or each adopter's own statistical neighbours
    when ``donors = "statistical_neighbours"``). A design the data do not suit gives a skip record."""
    from rsw_eval.comparison.neighbours import statistical_neighbours

    names = [d for d in ("synthetic_control", "synthetic_did", "staggered") if spec.runs(d)]
    who = inputs.comparisons.get("admin")
    if "admin" not in families or inputs.panel is None or not names or who is None:
        return []
    years = {c: y for c in who.treated if (y := spec.adoption_year(c)) is not None}
    conf, seed = spec.confidence, spec.seed

    def skip(design: str, reason: str) -> tuple[str, Callable]:
        row = skip_row(family="admin", design=design, outcome="", reason=reason)
        return (design.replace("_", " "), lambda: [row])

    steps: list[tuple[str, Callable]] = []
    for design, fn, extra in (
        ("synthetic_control", synthetic_control, {"confidence": conf}),
        ("synthetic_did", synthetic_did, {"confidence": conf, "seed": seed}),
    ):
        if design not in names:
            continue
        if not years:
            steps.append(skip(design, "no adoption year: give intervention_year or [unit_model] CODE = YEAR"))
        for code, year in years.items():
            steps.append(
                (design.replace("_", " "), partial(fn, inputs.panel, code, who.donors, year, **extra))
            )
    if "staggered" in names:
        if len(years) < 2:
            steps.append(skip("staggered", f"{len(years)} adopter(s) with an adoption year; needs 2 or more"))
        else:
            own = None
            if spec.donors == "statistical_neighbours" and inputs.neighbours is not None:
                own = {c: statistical_neighbours(c, 10, table=inputs.neighbours) for c in years}
            step = partial(
                staggered, inputs.panel, years, who.donors, neighbours=own, confidence=conf, seed=seed
            )
            steps.append(("staggered adoption", step))
    return steps


def _steps(spec: EvaluationSpec, inputs: Inputs, families: set[str]) -> list[tuple[str, Callable]]:
    """The design steps the data allow, with their arguments bound now (``partial``: a lambda
    would read ``treated``/``comparators`` when called, after another block reassigned them)."""
    return [
        *_survey_steps(spec, inputs, families),
        *_panel_steps(spec, inputs, families),
        *_cost_steps(spec, inputs, families),
        *_donor_steps(spec, inputs, families),
    ]


def _names(inputs: Inputs) -> dict[str, str]:
    """Authority names by code: the data's, else the bundled lookup's."""
    from rsw_eval.io._lacodes import la_codes

    lookup = la_codes()
    names = dict(zip(lookup["la_code"], lookup["la_name"], strict=True))
    for frame in (inputs.costs, inputs.panel):
        if frame is not None and "la_name" in frame:
            named = frame[frame["la_name"].fillna("") != ""].drop_duplicates("la_code")
            names.update(zip(named["la_code"].astype(str), named["la_name"].astype(str), strict=True))
    return names


def _comparisons(spec: EvaluationSpec, inputs: Inputs, families: set[str], authority: str | None) -> None:
    """Resolve who is compared with whom once per data set (shared by every design and provenance).

    A data set of a family not run (``only``) may not match the spec: then it is left out. The
    cost data need no comparators: a council's own ledger normally covers only itself.
    """
    names = _names(inputs)
    groupings = next(
        (f["file"] for f in inputs.files if f["role"] == "neighbours" and f.get("chosen", True)), ""
    )
    for key, frame, family, what in (
        ("admin", inputs.panel, "admin", "administrative"),
        ("cost", inputs.costs, "cost", "cost"),
    ):
        if frame is None:
            continue
        try:
            inputs.comparisons[key] = resolve(
                spec,
                frame["la_code"].unique(),
                inputs.neighbours,
                what,
                authority=authority,
                names=names,
                groupings=groupings,
                require_comparators=key == "admin",
            )
        except SpecError:
            if family in families:
                raise


def compare(
    spec: EvaluationSpec,
    *,
    only: Sequence[str] | None = None,
    progress: Progress | None = None,
    authority: str | None = None,
) -> Results:
    """Run every comparison the spec's data allow and return one tidy :class:`Results` table.

    Parameters
    ----------
    spec : EvaluationSpec
        What to compare (see :func:`rsw_eval.spec.load_spec`).
    only : sequence of str, optional
        Families to run (``worker``, ``parent``, ``admin``, ``cost``); default all.
    progress : callable, optional
        Called as ``progress(done, total, label)`` after each design step.
    authority : str, optional
        The unit-model authority the evaluation is about (e.g. the council of an annual report):
        it alone is treated, and with ``comparators = "statistical_neighbours"`` its own
        neighbours are the comparators (``provenance["comparison"]`` says whose they are).
        Default: every unit-model authority, with the neighbours of the first.

    Returns
    -------
    Results
        ``table`` follows the results contract of DESIGN.md (plus ``primary``, ``method``,
        ``difference_ci_low/high``, ``scale``, ``period`` and the published-figure columns).
        Multiplicity adjustment (``spec.adjust``) applies within each family (worker, parent,
        admin, cost) to the primary rows of comparative designs
        (:data:`rsw_eval.evaluation._adjustment.COMPARATIVE_DESIGNS`);
        ``adjustment`` names the family and its size. Sensitivity rows (rank tests, multilevel,
        other effect scales) and descriptive rows (before/after, cost change) keep raw p only and
        are never read as "statistically significant".
        ``skipped`` lists what the spec asked for that gave no rows, ``coverage`` the years of
        each indicator per file, ``official_check`` the published claims beside the loaded public
        series; ``provenance["comparison"]`` names every comparator (code, name, neighbour rank
        and closeness, groupings file and year), ``provenance["overlaps"]`` the overlapping files.

    Examples
    --------
    >>> from rsw_eval.spec import default_sample_spec
    >>> res = compare(default_sample_spec("data/sample"), only=["cost"])
    >>> row = res.table.query("design == 'cost_change' and outcome == 'total_cost'").iloc[0]
    >>> round(float(row["effect_size"]), 2), bool(row["reproduced"])
    (-4.97, True)
    """
    families = set(only or FAMILIES)
    unknown = families - set(FAMILIES)
    if unknown:
        raise SpecError(f"unknown family {sorted(unknown)[0]!r}; valid: {', '.join(FAMILIES)}")
    inputs = load_inputs(spec, families)
    # the panel as it may be published: every design below sees suppressed and rounded counts only
    inputs, disclosed = protect_inputs(inputs, rule_set(spec.disclosure_rules, spec.disclosure_threshold))
    _comparisons(spec, inputs, families, authority)
    steps = _steps(spec, inputs, families)
    rows: list[dict] = []
    skipped: list[dict] = _skips.before_run(spec, inputs, families, only)
    for done, (label, step) in enumerate(steps, start=1):
        for row in step():
            (skipped if is_skip(row) else rows).append(row)
        if progress is not None:
            progress(done, len(steps), label)
    skipped.extend(_skips.after_run(spec, inputs, families, rows, skipped))
    table = pd.DataFrame(rows, columns=list(RESULT_COLUMNS))
    table["primary"] = table["primary"].astype(bool)
    for col in ("n_treatment", "n_comparison"):
        table[col] = pd.to_numeric(table[col]).round().astype("Int64")
    has_ci = table["ci_low"].notna() & table["ci_high"].notna()
    table["ci_level"] = table["ci_level"].where(table["ci_level"].notna() | ~has_ci, spec.confidence)
    table = adjust_families(table, spec.adjust)
    table["interpretation"] = interpret_rows(table, spec.adjust)
    context = _context(inputs)
    table, published = match_published(table, context=context)
    table["suppressed"] = False
    provenance = {
        "rsw_eval_version": __version__,
        "title": spec.title,
        "seed": spec.seed,
        "confidence": spec.confidence,
        "adjustment": spec.adjust,
        "synthetic": spec.synthetic,
        "disclosure_threshold": spec.disclosure_threshold,
        "disclosure_rules": spec.disclosure_rules,
        "disclosure_panel": disclosed,
        "unit_model": list(spec.unit_model),
        "intervention_year": spec.intervention_year,
        "periods": [list(p) for p in spec.periods],  # (baseline, follow-up) first: the headline
        "inputs": inputs.files,
        "authority": authority,
        "comparison": {k: v.provenance() for k, v in inputs.comparisons.items()},
        "overlaps": inputs.overlaps,
        "derived": inputs.derived,
        "python": platform.python_version(),
        "numpy": np.__version__,
        "pandas": pd.__version__,
    }
    return Results(
        table,
        published,
        provenance,
        _series(spec, inputs),
        skipped=pd.DataFrame(skipped, columns=list(SKIPPED_COLUMNS)),
        coverage=_coverage(inputs),
        official_check=_official(spec, inputs, context),
    )


def _official(spec: EvaluationSpec, inputs: Inputs, context: dict) -> pd.DataFrame:
    sets = {"admin": (inputs.panel, inputs.superseded), "cost": (inputs.costs, None)}
    check = official_check(PUBLISHED, sets, context)
    if spec.synthetic:  # the sample is calibrated to the published figures, not official statistics
        check["reason"] = ("synthetic data, not the official series; " + check["reason"]).str.rstrip("; ")
    return check


def _context(inputs: Inputs) -> dict:
    """What the data are, for the published-figure match: the scope of the cost data's
    ``total_cost`` if they state one (a ``scope`` column: a key of
    :data:`rsw_eval.published.SCOPES` or its text)."""
    costs = inputs.costs
    if costs is not None and "scope" in costs:
        totals = costs[costs["indicator"] == "total_cost"]
        scopes = sorted(set(totals["scope"].dropna().astype(str)) - {""})
        if len(scopes) == 1:
            return {"cost_scope": scopes[0]}
    return {}


def _coverage(inputs: Inputs) -> pd.DataFrame:
    """Coverage over the analysed authorities (treated and comparators) of each data set."""
    codes: set[str] = set()
    for who in inputs.comparisons.values():
        codes |= {*who.treated, *who.comparators}
    sets = [("admin", inputs.panel, inputs.superseded), ("cost", inputs.costs, None)]
    present = {c for _, f, _ in sets if f is not None for c in authorities(f["la_code"])}
    return coverage(sets, sorted(codes) if codes else sorted(present))


def _series(spec: EvaluationSpec, inputs: Inputs) -> pd.DataFrame:
    """The treated and comparator authorities' aggregate series, for charts."""
    who = inputs.comparisons.get("admin")
    if inputs.panel is None or who is None:  # no panel, or (--only) one that does not match the spec
        return pd.DataFrame(columns=["la_code", "la_name", "year", "indicator", "value", "role"])
    treated, comparators = who.treated, who.comparators
    from rsw_eval.io._lacodes import la_codes

    regions = la_codes().drop_duplicates("la_code").set_index("la_code")["region_code"]
    region = sorted({regions.get(c, "") for c in treated} - {""})  # the treated authority's region
    panel = inputs.panel[inputs.panel["la_code"].isin([*treated, *comparators, ENGLAND, *region])]
    keep = ["la_code", "la_name", "year", "indicator", "value", "flag"]  # flag: DfE's c/x/z
    out = panel.loc[:, [c for c in keep if c in panel.columns]].copy()
    out["role"] = np.select(
        [out["la_code"].isin(treated), out["la_code"] == ENGLAND, out["la_code"].isin(region)],
        ["treated", "england", "region"],
        "comparator",
    )
    return out.reset_index(drop=True)
