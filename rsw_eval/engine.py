"""The comparison engine: runs every design the data allow and collects one tidy Results table."""

from __future__ import annotations

import platform
from collections.abc import Callable, Sequence
from functools import partial

import numpy as np
import pandas as pd

from rsw_eval._comparison import ENGLAND, resolve
from rsw_eval._errors import SpecError
from rsw_eval._inputs import Inputs, load_inputs
from rsw_eval._version import __version__
from rsw_eval.designs._rows import RESULT_COLUMNS, SKIPPED_COLUMNS, is_skip
from rsw_eval.designs.before_after import before_after, before_after_waves
from rsw_eval.designs.cost_change import cost_change
from rsw_eval.designs.cross_section import BINARY, CONTINUOUS, LIKERT, compare_parents, compare_workers
from rsw_eval.designs.did import did
from rsw_eval.designs.its import its
from rsw_eval.interpret import interpretation
from rsw_eval.published import match_published
from rsw_eval.results import Results
from rsw_eval.spec import FAMILIES, EvaluationSpec
from rsw_eval.stats import adjust_pvalues

__all__ = ["compare"]

Progress = Callable[[int, int, str], None]
WORKER_OUTCOMES = (*CONTINUOUS, *LIKERT, *BINARY)


def _survey_steps(spec: EvaluationSpec, inputs: Inputs, families: set[str]) -> list[tuple[str, Callable]]:
    steps: list[tuple[str, Callable]] = []
    conf = spec.confidence
    if "worker" in families and inputs.workers is not None:
        steps.append(("worker survey", partial(compare_workers, inputs.workers, seed=spec.seed)))
        steps.append(
            (
                "worker survey waves",
                partial(before_after_waves, inputs.workers, "worker", WORKER_OUTCOMES, confidence=conf),
            )
        )
    if "parent" in families and inputs.parents is not None:
        ratings = [c for c in inputs.parents.columns if c.startswith("rating_")]
        steps.append(("parent survey", partial(compare_parents, inputs.parents, seed=spec.seed)))
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
    who = resolve(spec, inputs.panel["la_code"].unique(), inputs.neighbours)
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
                    confidence=conf,
                    seed=spec.seed,
                ),
            )
        )
        steps.append(
            (
                "interrupted time series",
                partial(its, inputs.panel, treated, spec.intervention_year, confidence=conf),
            )
        )
    return steps


def _cost_steps(spec: EvaluationSpec, inputs: Inputs, families: set[str]) -> list[tuple[str, Callable]]:
    if "cost" not in families or inputs.costs is None:
        return []
    who = resolve(spec, inputs.costs["la_code"].unique(), inputs.neighbours, "cost")
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


def _steps(spec: EvaluationSpec, inputs: Inputs, families: set[str]) -> list[tuple[str, Callable]]:
    """The design steps the data allow, with their arguments bound now (``partial``: a lambda
    would read ``treated``/``comparators`` when called, after another block reassigned them)."""
    return [
        *_survey_steps(spec, inputs, families),
        *_panel_steps(spec, inputs, families),
        *_cost_steps(spec, inputs, families),
    ]


#: Designs that compare unit-model authorities with comparators: their primary rows are the tests
#: of the evaluation's questions and form the multiplicity families. Before/after and cost change
#: have no comparison group (descriptive); rank tests, multilevel and other scales are sensitivity.
COMPARATIVE_DESIGNS = frozenset(
    {
        "cross_section",
        "consistency",
        "multilevel",
        "did",
        "its",
        "cost_did",
        "synthetic_control",
        "synthetic_did",
        "staggered",
    }
)
#: Effect scales whose no-effect value is 1 (ratios); every other scale's is 0.
RATIO_SCALES = ("rate_ratio", "odds_ratio", "variance_ratio", "level_change_ratio", "slope_change_ratio")


def _adjust(table: pd.DataFrame, method: str) -> pd.DataFrame:
    """Adjust p-values within each family (worker, parent, admin, cost: one question each) over the
    primary rows of comparative designs; ``adjustment`` says which family and how many tests."""
    table["p_adjusted"] = np.nan
    eligible = table["primary"] & table["p_value"].notna() & table["design"].isin(COMPARATIVE_DESIGNS)
    table["adjustment"] = ""
    if eligible.any():
        fam = table.loc[eligible, "family"].to_numpy()
        if method == "none":
            table.loc[eligible, "p_adjusted"] = table.loc[eligible, "p_value"]
        else:
            table.loc[eligible, "p_adjusted"] = adjust_pvalues(
                table.loc[eligible, "p_value"].to_numpy(), method=method, families=fam
            )
        sizes = pd.Series(fam).value_counts()
        table.loc[eligible, "adjustment"] = [
            f"{method} over {sizes[f]} {f} tests" if method != "none" else "none" for f in fam
        ]
    return table


def _interpret(table: pd.DataFrame) -> list[str]:
    out = []
    for r in table.itertuples():
        method = r.adjustment.split(" over ")[0] if r.adjustment else ""
        out.append(
            interpretation(
                r.effect_size_name,
                r.effect_size,
                r.p_value,
                r.p_adjusted,
                method,
                bool(r.primary) and bool(r.adjustment),
                ci_low=r.ci_low,
                ci_high=r.ci_high,
                ci_level=r.ci_level,
                null=1.0 if r.effect_size_name.endswith(RATIO_SCALES) else 0.0,
            )
        )
    return out


def compare(
    spec: EvaluationSpec, *, only: Sequence[str] | None = None, progress: Progress | None = None
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

    Returns
    -------
    Results
        ``table`` follows the results contract of DESIGN.md (plus ``primary``, ``method``,
        ``difference_ci_low/high``, ``scale``, ``period`` and the published-figure columns).
        Multiplicity adjustment (``spec.adjust``) applies within each family (worker, parent,
        admin, cost) to the primary rows of comparative designs (:data:`COMPARATIVE_DESIGNS`);
        ``adjustment`` names the family and its size. Sensitivity rows (rank tests, multilevel,
        other effect scales) and descriptive rows (before/after, cost change) keep raw p only and
        are never read as "statistically significant".

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
    steps = _steps(spec, inputs, families)
    rows: list[dict] = []
    skipped: list[dict] = []
    for done, (label, step) in enumerate(steps, start=1):
        for row in step():
            (skipped if is_skip(row) else rows).append(row)
        if progress is not None:
            progress(done, len(steps), label)
    table = pd.DataFrame(rows, columns=list(RESULT_COLUMNS))
    table["primary"] = table["primary"].astype(bool)
    for col in ("n_treatment", "n_comparison"):
        table[col] = pd.to_numeric(table[col]).round().astype("Int64")
    has_ci = table["ci_low"].notna() & table["ci_high"].notna()
    table["ci_level"] = table["ci_level"].where(table["ci_level"].notna() | ~has_ci, spec.confidence)
    table = _adjust(table, spec.adjust)
    table["interpretation"] = _interpret(table)
    table, published = match_published(table)
    table["suppressed"] = False
    provenance = {
        "rsw_eval_version": __version__,
        "title": spec.title,
        "seed": spec.seed,
        "confidence": spec.confidence,
        "adjustment": spec.adjust,
        "synthetic": spec.synthetic,
        "disclosure_threshold": spec.disclosure_threshold,
        "unit_model": list(spec.unit_model),
        "intervention_year": spec.intervention_year,
        "inputs": inputs.files,
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
    )


def _series(spec: EvaluationSpec, inputs: Inputs) -> pd.DataFrame:
    """The treated and comparator authorities' aggregate series, for charts."""
    if inputs.panel is None:
        return pd.DataFrame(columns=["la_code", "la_name", "year", "indicator", "value", "role"])
    try:
        who = resolve(spec, inputs.panel["la_code"].unique(), inputs.neighbours)
        treated, comparators = who.treated, who.comparators
    except SpecError:  # the admin family was not run (--only) and does not match the spec
        return pd.DataFrame(columns=["la_code", "la_name", "year", "indicator", "value", "role"])
    panel = inputs.panel[inputs.panel["la_code"].isin([*treated, *comparators, ENGLAND])]
    out = panel.loc[:, ["la_code", "la_name", "year", "indicator", "value"]].copy()
    out["role"] = np.select(
        [out["la_code"].isin(treated), out["la_code"] == ENGLAND], ["treated", "england"], "comparator"
    )
    return out.reset_index(drop=True)
