"""Engine-level skip records: what the spec asked for that gave no rows, and why.

Designs return their own :func:`~rsw_eval.designs._rows.skip_row` records; these are the ones only
the engine can see: a family or design whose data are absent, a design the spec cannot run (no
``intervention_year``), the comparator part of a cost change when the cost data hold no
comparators, and any design x indicator that gave neither rows nor a record (with what the data
have, so that the reason is never blank).
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from functools import partial

import numpy as np
import pandas as pd

from rsw_eval.comparison._resolve import Comparison
from rsw_eval.designs._panel import outcomes
from rsw_eval.designs._rows import skip_row
from rsw_eval.evaluation._steps import before_after_pairs, unit_comparisons
from rsw_eval.inputs import Inputs
from rsw_eval.inputs._vintages import compact_years
from rsw_eval.spec import EvaluationSpec

__all__ = ["after_run", "before_run"]

#: The family (and the ``[data]`` key it needs) of each design a spec can name.
DESIGN_FAMILY = {
    "cross_section": ("worker", "worker_survey or parent_survey"),
    "multilevel": ("worker", "worker_survey"),
    "consistency": ("worker", "worker_survey"),
    "before_after": ("admin", "admin"),
    "did": ("admin", "admin"),
    "its": ("admin", "admin"),
    "synthetic_control": ("admin", "admin"),
    "synthetic_did": ("admin", "admin"),
    "staggered": ("admin", "admin"),
    "cost_change": ("cost", "costs"),
}
_FAMILY_DATA = {"worker": "worker_survey", "parent": "parent_survey", "admin": "admin", "cost": "costs"}


def _has(inputs: Inputs, family: str) -> bool:
    return {
        "worker": inputs.workers,
        "parent": inputs.parents,
        "admin": inputs.panel,
        "cost": inputs.costs,
    }[family] is not None


def _contact_columns(inputs: Inputs, families: set[str]) -> list[dict]:
    """A record when the parent survey holds one of ``contacts`` and ``weeks_observed`` but not
    the other: the contact rates (Forrester's headline outcome) are not computed, and without a
    record only their absence said so (findings-q18att F2)."""
    frame = inputs.parents
    if "parent" not in families or frame is None:
        return []
    held = [c for c in ("contacts", "weeks_observed") if c in frame.columns]
    if len(held) != 1:
        return []
    lacking = ({"contacts", "weeks_observed"} - set(held)).pop()
    reason = f"the parent survey has {held[0]} but no {lacking} column: contact rates are not computed"
    return [skip_row(family="parent", design="cross_section", outcome="contact_rate", reason=reason)]


def before_run(
    spec: EvaluationSpec,
    inputs: Inputs,
    families: set[str],
    only: Sequence[str] | None,
    authority: str | None = None,
) -> list[dict]:
    """Records for what the spec (or ``only``) asks for that cannot start."""
    out = []
    for family in only or ():
        if not _has(inputs, family):
            out.append(
                skip_row(
                    family=family,
                    design="",
                    outcome="",
                    reason=f"--only {family}: the spec has no [data] {_FAMILY_DATA[family]}",
                )
            )
    for design in spec.designs or ():
        family, key = DESIGN_FAMILY[design]
        surveys = family == "worker" and design == "cross_section"
        present = (
            (inputs.workers is not None or inputs.parents is not None) if surveys else _has(inputs, family)
        )
        if family in families and not present:
            out.append(
                skip_row(
                    family=family,
                    design=design,
                    outcome="",
                    reason=f"designs asks for {design}; the spec has no [data] {key}",
                )
            )
    out += _contact_columns(inputs, families)
    who = inputs.comparisons.get("admin")
    if inputs.panel is None or "admin" not in families or who is None:
        return out
    if authority is not None and spec.adoption_year(authority) is None:
        return out  # benchmarked only: one record says so (rsw_eval.evaluation._steps)
    if authority is None:
        held = [
            f[c]
            for f, c in (
                (inputs.panel, "la_code"),
                (inputs.costs, "la_code"),
                (inputs.workers, "authority"),
                (inputs.parents, "authority"),
            )
            if f is not None and c in f
        ]
        out += absent_adopters(spec, pd.concat(held).astype(str))
    none = spec.intervention_year is None and not spec.adoption
    for code in [] if none else who.treated:
        if spec.adoption_year(code) is not None:
            continue
        for design in ("did", "its"):
            if spec.runs(design):
                out.append(
                    skip_row(
                        family="admin",
                        design=design,
                        outcome="",
                        treatment=_label(who, [code]),
                        reason=f"no adoption year for {_label(who, [code])}: give [unit_model] {code} = YEAR",
                    )
                )
    for design in ("did", "its") if none else ():
        if spec.runs(design):
            out.append(
                skip_row(family="admin", design=design, outcome="", reason="no intervention_year in the spec")
            )
    if spec.runs("before_after") and not any(before_after_pairs(spec, c) for c in who.treated):
        out.append(
            skip_row(
                family="admin",
                design="before_after",
                outcome="",
                reason="no baseline_year and followup_year (or before_after pairs, or post_years) "
                "in the spec",
            )
        )
    return out


def absent_adopters(spec: EvaluationSpec, codes) -> list[dict]:
    """A skip record and a warning for each unit-model authority no data set holds (``codes``: the
    authorities of every data set; a code that is no authority, a Welsh council in England's
    files): never a silent drop.

    Examples
    --------
    >>> import warnings
    >>> spec = EvaluationSpec(unit_model=("810", "999"), intervention_year=2016, data={"admin": ["p.csv"]})
    >>> with warnings.catch_warnings(record=True):
    ...     warnings.simplefilter("always")
    ...     [r["reason"].split(":")[0] for r in absent_adopters(spec, ["E06000010"])]
    ['999 (no English local authority has this code)']
    """
    from rsw_eval._errors import RswEvalWarning
    from rsw_eval.io._lacodes import gss_code, la_codes

    names = la_codes().drop_duplicates("la_code").set_index("la_code")["la_name"]
    held, out = set(codes), []
    for unit in dict.fromkeys(spec.unit_model):
        code = gss_code(unit)
        if code in held:
            continue
        who = (
            f"{names[code]} ({code})"
            if code in names.index
            else f"{unit} (no English local authority has this code)"
        )
        reason = f"{who}: in none of the data; left out of every design"
        warnings.warn(f"unit_model: {reason}", RswEvalWarning, stacklevel=2)
        out.append(skip_row(family="admin", design="", outcome="", treatment=code, reason=reason))
    return out


def _years(table: pd.DataFrame, codes: Sequence[str] | None = None) -> list[int]:
    sub = table if codes is None else table[table["la_code"].isin(codes)]
    return sorted(set(sub.loc[np.isfinite(sub["value"].to_numpy(dtype=float)), "year"]))


def _label(who: Comparison, codes: Sequence[str]) -> str:
    return ", ".join(f"{who.names.get(c)} ({c})" if who.names.get(c) else c for c in codes)


def _panel_reasons(
    spec: EvaluationSpec, panel: pd.DataFrame, who: Comparison, code: str, done: set
) -> list[dict]:
    """Why each design gave no row for one adopter and indicator, from the years it has in the
    adopter's window."""
    out = []
    iy, window = spec.adoption_year(code), spec.window(code)
    name = _label(who, [code])
    for indicator in outcomes(panel):
        sub = panel[panel["indicator"] == indicator]
        base = dict(family="admin", outcome=indicator, treatment=name)
        span = compact_years(_years(sub))
        for before, after in before_after_pairs(spec, code) if spec.runs("before_after") else ():
            if {
                ("before_after", indicator, code, f"{before}->{after}"),
                ("before_after", indicator, code, "*"),
            } & done:
                continue
            lacking = [y for y in (before, after) if y not in _years(sub, [code])]
            why = f"no {' or '.join(map(str, lacking))} value for {name}" if lacking else "gave no rows"
            out.append(
                skip_row(
                    **base, design="before_after", reason=f"{before}->{after}: {why} ({indicator} has {span})"
                )
            )
        if iy is None or window is None:
            continue
        years = [y for y in _years(sub) if y in window[0] or y in window[1]]
        span = compact_years(years)
        pre, post = sum(y < iy for y in years), sum(y >= iy for y in years)
        if spec.runs("did") and ("did", indicator, code) not in done:
            k = sum(
                c in set(sub.loc[np.isfinite(sub["value"].to_numpy(dtype=float)), "la_code"])
                for c in who.comparators
            )
            out.append(
                skip_row(
                    **base,
                    design="did",
                    reason=(
                        f"{indicator} has {pre} year(s) before {iy} and {post} from {iy} on "
                        f"({span or 'no values'}) and {k} comparator(s) with values; "
                        "difference-in-differences needs 2 years before, 1 after and 2 comparators"
                    ),
                )
            )
        if spec.runs("its") and ("its", indicator, code) not in done:
            out.append(
                skip_row(
                    **base,
                    design="its",
                    reason=(
                        f"{indicator} has {pre} year(s) before {iy} and {post} from {iy} on "
                        f"({span or 'no values'}); an interrupted time series needs 3 of each"
                    ),
                )
            )
    return out


def _cost_reasons(costs: pd.DataFrame, cost: Comparison, code: str, done: set) -> list[dict]:
    out = []
    skip = partial(skip_row, family="cost", outcome="total_cost", treatment=_label(cost, [code]))
    if ("cost_did", "total_cost", code) not in done:
        listed = (
            f" ({_label(cost, cost.absent[:10])}{' ...' if len(cost.absent) > 10 else ''} not in it)"
            if cost.absent
            else ""
        )
        have = sorted(set(costs["la_code"]))
        out.append(
            skip(
                design="cost_did",
                reason=f"{len(cost.comparators)} comparator(s) in the cost data{listed}; the "
                f"comparison with comparators needs 2 (the cost data cover {_label(cost, have[:5])}"
                f"{' ...' if len(have) > 5 else ''})",
            )
        )
    if ("cost_change", "total_cost", code) not in done:
        years = compact_years(costs.loc[costs["la_code"] == code, "year"])
        out.append(
            skip(
                design="cost_change",
                reason=f"no total for both cost years (the cost data have {years or 'none'})",
            )
        )
    return out


def after_run(
    spec: EvaluationSpec,
    inputs: Inputs,
    families: set[str],
    rows: list[dict],
    skipped: list[dict],
) -> list[dict]:
    """Records for the design x indicator pairs that gave neither rows nor a skip record, and for
    the comparator part of the cost change when the cost data hold too few comparators."""
    done = {(r["design"], r["outcome"]) for r in [*rows, *skipped]}
    done |= {(r["design"], r["outcome"], r.get("_unit", "")) for r in [*rows, *skipped]}
    done |= {(r["design"], r["outcome"], r.get("_unit", ""), r.get("period", "")) for r in rows}
    done |= {(r["design"], "") for r in skipped if not r["outcome"]}
    done |= {(r["design"], r["outcome"], r.get("_unit", ""), "*") for r in skipped}
    out = []
    blanket = {t[0] for t in done if len(t) == 2 and not t[1]}
    if inputs.panel is not None and "admin" in families and "" not in blanket:
        for code, who in unit_comparisons(inputs, "admin"):
            reasons = _panel_reasons(spec, inputs.panel, who, code, done)
            out.extend(r for r in reasons if r["design"] not in blanket)
    if inputs.costs is not None and "cost" in families and spec.runs("cost_change") and "" not in blanket:
        for code, cost in unit_comparisons(inputs, "cost"):
            out += _cost_reasons(inputs.costs, cost, code, done)
    named = {d for d, *_ in done} | {r["design"] for r in out}
    # a family's own record (e.g. "Croydon is not a unit-model authority ...") gives the reason
    said = {r["family"] for r in skipped if not r["design"] and not r["outcome"]}
    for design in spec.designs or ():
        family = DESIGN_FAMILY[design][0]
        if family in families and family not in said and not any(d.startswith(design) for d in named):
            out.append(
                skip_row(
                    family=family,
                    design=design,
                    outcome="",
                    reason=f"designs asks for {design}; it gave no rows and no reason with these data",
                )
            )
    return out
