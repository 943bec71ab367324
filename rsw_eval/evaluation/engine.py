"""The comparison engine: runs every design the data allow and collects one tidy Results table."""

from __future__ import annotations

import platform
from collections.abc import Callable, Sequence
from dataclasses import replace

import numpy as np
import pandas as pd

from rsw_eval._errors import DataError, SpecError
from rsw_eval._version import __version__
from rsw_eval.comparison._resolve import ENGLAND, authorities, resolve
from rsw_eval.designs._answers import answer_counts
from rsw_eval.designs._joint import PLACEBO_KEY
from rsw_eval.designs._rows import RESULT_COLUMNS, SKIPPED_COLUMNS, is_skip
from rsw_eval.disclosure import RELEASED, rule_set
from rsw_eval.evaluation import _skips
from rsw_eval.evaluation._adjustment import adjust_by_question, interpret_rows, question_provenance
from rsw_eval.evaluation._steps import steps as _steps
from rsw_eval.evaluation._survey_power import survey_power
from rsw_eval.evaluation.results import Results
from rsw_eval.inputs import Inputs, load_inputs
from rsw_eval.inputs._coverage import coverage
from rsw_eval.io._lacodes import gss_code, la_codes
from rsw_eval.publication import count_rules, hidden_rows, protect_inputs, published_overlaps
from rsw_eval.published import PUBLISHED, match_published
from rsw_eval.published._official import official_check
from rsw_eval.spec import FAMILIES, EvaluationSpec
from rsw_eval.stats._mixed_fit import one_blas_thread

__all__ = ["compare"]

Progress = Callable[[int, int, str], None]


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

    With several unit-model authorities (and no ``authority``), each also gets its own comparison
    (``"admin/CODE"``, ``"cost/CODE"``: its own neighbours, never another unit-model authority),
    and the data set's comparison holds every adopter's comparators (for the series and coverage).
    A data set of a family not run (``only``) may not match the spec: then it is left out. The
    cost data need no comparators: a council's own ledger normally covers only itself. An adopter
    with no comparator (its neighbours all unit-model or absent) is skipped alone, with the reason
    (``Comparison.unusable``); only when no authority at all can be compared is it an error.
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
        codes = frame["la_code"].unique()
        options = dict(names=names, groupings=groupings, require_comparators=False)
        try:
            who = resolve(spec, codes, inputs.neighbours, what, authority=authority, **options)
        except SpecError:
            if family in families:
                raise
            continue
        except DataError:  # the first adopter is not in the neighbour model: another may be
            treated = [c for c in dict.fromkeys(gss_code(u) for u in spec.unit_model) if c in set(codes)]
            if authority is not None or len(treated) < 2:
                raise
            found = (_own(spec, codes, inputs.neighbours, what, c, None, options) for c in treated)
            base = next((o for o in found if o is not None), None)
            if base is None:
                raise
            who = replace(base, treated=treated)
        own = {}
        if len(who.treated) > 1:  # each adopter its own; one with no comparator is skipped alone
            own = {c: _own(spec, codes, inputs.neighbours, what, c, who, options) for c in who.treated}
        usable = [o for o in (own or {"": who}).values() if o.comparators]
        if key == "admin" and family in families and not usable:  # nobody can be compared
            reasons = dict.fromkeys(o.unusable for o in (own or {"": who}).values())
            raise SpecError(("no unit-model authority can be compared: " if own else "") + "; ".join(reasons))
        if own:
            inputs.comparisons.update({f"{key}/{c}": v for c, v in own.items()})
            who = _union(who, list(own.values()))
        inputs.comparisons[key] = who


def _own(spec, codes, neighbours, what, code, who, options):
    """One adopter's comparison; an adopter the neighbour model cannot place (e.g. abolished before
    the model) has none, with the model's reason, so it is skipped alone like any adopter with no
    comparator."""
    try:
        return resolve(spec, codes, neighbours, what, authority=code, **options)
    except DataError as exc:
        if who is None:
            return None
        return replace(
            who,
            treated=[code],
            comparators=[],
            donors=[],
            absent=[],
            neighbours=pd.DataFrame(),
            of="",
            unusable=str(exc),
        )


def _union(who, own: list):
    """The data set's comparison over several adopters: every adopter's comparators and donors."""
    comparators = list(dict.fromkeys(c for o in own for c in o.comparators))
    donors = list(dict.fromkeys(c for o in own for c in o.donors))
    absent = list(dict.fromkeys(c for o in own for c in o.absent if c not in comparators))
    how = "each unit-model authority against its own comparators: " + "; ".join(o.how for o in own)
    return replace(
        who, comparators=comparators, donors=donors, absent=absent, how=how, neighbours=pd.DataFrame(), of=""
    )


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
        The authority the evaluation is about (e.g. the council of an annual report; a GSS code
        or an old 3-digit number): it alone is treated, never its own comparator, other
        unit-model authorities are never its comparators, and with ``comparators =
        "statistical_neighbours"`` its own neighbours are the comparators
        (``provenance["comparison"]`` says whose they are). A unit-model authority is evaluated
        from its own adoption year; any other authority is benchmarked only (no design estimates a
        change since the model began; ``skipped`` says so), unless given a year with
        :meth:`~rsw_eval.spec.EvaluationSpec.with_adopter`. ``report --authority X`` renders this
        same analysis. Default: every unit-model authority, each with its own adoption year and
        comparators, and staggered adoption pooled over them.

    Returns
    -------
    Results
        ``table`` follows the results contract of DESIGN.md (plus ``primary``, ``method``,
        ``difference_ci_low/high``, ``scale``, ``period`` and the published-figure columns).
        ``p_adjusted`` is adjusted within each ``question`` (``spec.adjust``; rules and the rows
        that compare places: :mod:`rsw_eval.evaluation._adjustment`); rows outside every question
        keep raw p and are never read as "statistically significant". ``mde_low``/``mde_high``:
        the fall and rise each test detects 80% of the time at its own level (``mde_alpha``);
        ``power`` for ``spec.mde_effect`` (on the row's scale in ``power_effect``); ``mde_note``.
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
    with one_blas_thread():  # the whole run: see rsw_eval.stats._mixed_fit.one_blas_thread
        return _compare(spec, only, progress, authority)


def _compare(spec, only, progress, authority) -> Results:
    families = set(only or FAMILIES)
    unknown = families - set(FAMILIES)
    if unknown:
        raise SpecError(f"unknown family {sorted(unknown)[0]!r}; valid: {', '.join(FAMILIES)}")
    inputs = load_inputs(spec, families)
    # the panel as it may be published: every design below sees suppressed and rounded counts only
    rules, said = count_rules(spec, inputs.panel, rule_set(spec.disclosure_rules, spec.disclosure_threshold))
    inputs, disclosed = protect_inputs(inputs, rules)
    disclosed = {**disclosed, **said} if disclosed else disclosed
    _comparisons(spec, inputs, families, authority)
    if authority is not None:
        authority = gss_code(authority)
        if inputs.panel is None and authority not in set(la_codes()["la_code"]):  # q18att F7
            raise SpecError(
                f"--authority {authority!r} is no local authority's GSS code or old DfE number (the "
                "survey's labels are not authorities: a run for one authority needs its code)"
            )
    steps = _steps(spec, inputs, families, authority)
    rows: list[dict] = []
    skipped: list[dict] = _skips.before_run(spec, inputs, families, only, authority)
    for done, step in enumerate(steps, start=1):
        for row in step():
            (skipped if is_skip(row) else rows).append(row)
        if progress is not None:
            progress(done, len(steps), step.label)
    skipped.extend(_skips.after_run(spec, inputs, families, rows, skipped))
    placebos = [row.pop(PLACEBO_KEY, None) for row in rows]  # joint permutation statistics
    table = pd.DataFrame(rows, columns=list(RESULT_COLUMNS))
    table["primary"] = table["primary"].astype(bool)
    for col in ("n_treatment", "n_comparison", "adoption_year", "event_time"):
        table[col] = pd.to_numeric(table[col]).round().astype("Int64")
    has_ci = table["ci_low"].notna() & table["ci_high"].notna()
    table["ci_level"] = table["ci_level"].where(table["ci_level"].notna() | ~has_ci, spec.confidence)
    surveys = {"worker": inputs.workers, "parent": inputs.parents}
    table = adjust_by_question(table, spec.adjust, placebos, spec.question_list, surveys)
    table = survey_power(table, spec.confidence, spec.mde_effect)
    table["interpretation"] = interpret_rows(table, spec.adjust)
    context = _context(inputs)
    table, published = match_published(table, context=context)
    table["suppressed"] = hidden_rows(table, inputs.panel)  # NaN because the panel hid the count
    provenance = {
        "rsw_eval_version": __version__,
        "title": spec.title,
        "seed": spec.seed,
        "confidence": spec.confidence,
        "adjustment": spec.adjust,
        "questions": question_provenance(table, spec.question_list),
        "mde_effect": spec.mde_effect,
        "synthetic": spec.synthetic,
        "disclosure_threshold": spec.disclosure_threshold,
        "disclosure_rules": spec.disclosure_rules,
        "disclosure_panel": disclosed,
        "unit_model": list(spec.unit_model),
        "intervention_year": spec.intervention_year,
        "adoption": _adoption(spec, inputs),
        # how many unit-model authorities each survey pools (its rows name them all)
        "survey_unit_authorities": {
            f: int(frame.loc[frame["model"].eq("unit").fillna(False), "authority"].nunique())
            for f, frame in surveys.items()
            if frame is not None and {"model", "authority"} <= set(frame.columns)
        },
        "windows": {"pre_years": _listed(spec.pre_years), "post_years": _listed(spec.post_years)},
        "periods": [list(p) for p in spec.periods],  # (baseline, follow-up) first: the headline
        "inputs": inputs.files,
        "authority": authority,
        "comparison": {k: v.provenance() for k, v in inputs.comparisons.items()},
        "overlaps": published_overlaps(inputs.overlaps, inputs.panel, rules),
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
        answers=pd.concat([answer_counts(surveys[f] if f in families else None, f) for f in surveys]),
    )


def _adoption(spec: EvaluationSpec, inputs: Inputs) -> dict[str, int | None]:
    """Each authority the evaluation is about, with its own adoption year (None: not an adopter)."""
    who = inputs.comparisons.get("admin") or inputs.comparisons.get("cost")
    return {c: spec.adoption_year(c) for c in (who.treated if who is not None else [])}


def _listed(value):
    return list(value) if isinstance(value, tuple) else value


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
    # flag: DfE's c/x/z; source: the file, whose release's rule protects the row under "dfe";
    # released: whether the row is DfE's, decided on the whole panel (protect_inputs)
    keep = ["la_code", "la_name", "year", "indicator", "value", "flag", "source", RELEASED]
    out = panel.loc[:, [c for c in keep if c in panel.columns]].copy()
    out["role"] = np.select(
        [out["la_code"].isin(treated), out["la_code"] == ENGLAND, out["la_code"].isin(region)],
        ["treated", "england", "region"],
        "comparator",
    )
    return out.reset_index(drop=True)
