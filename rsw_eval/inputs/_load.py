"""Load every input an evaluation spec names (the engine's only contact with files)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pandas as pd

from rsw_eval.inputs._derived import apply_derived
from rsw_eval.inputs._entries import admin_entry, attach_deflator, cost_entry, detect_kind, entries
from rsw_eval.inputs._model import Inputs
from rsw_eval.inputs._vintages import combine_vintages
from rsw_eval.io import (
    load_parent_survey,
    load_ssda903,
    load_statistical_neighbours,
    load_worker_survey,
)
from rsw_eval.io._panel import finish_panel
from rsw_eval.spec import EvaluationSpec
from rsw_eval.spec._derived import parse_derived


def _admin_entry(entry: Any, spec: EvaluationSpec, inputs: Inputs) -> pd.DataFrame | None:
    """One ``[data] admin`` entry (an outturn entry is added to ``inputs.costs``: None)."""
    target, panel = admin_entry(entry, spec, inputs)
    if target == "costs":
        inputs.costs = panel if inputs.costs is None else pd.concat([inputs.costs, panel], ignore_index=True)
        return None
    return panel


#: The ``[data]`` entries each family reads (neighbours: the families whose comparators are
#: resolved from statistical neighbours).
FAMILY_DATA = {
    "worker": ("worker_survey",),
    "parent": ("parent_survey",),
    "admin": ("admin", "ssda903", "neighbours"),
    "cost": ("costs", "deflator", "deflator_base", "neighbours"),
}


def _wanted_admin(entry: Any, spec: EvaluationSpec, wanted: set[str]) -> bool:
    """Whether an ``[data] admin`` entry is read for these families: outturn entries feed the
    costs, every other kind the panel (the kind comes from the entry or the file's header line)."""
    if {"admin", "costs"} <= wanted:
        return True
    options = dict(entry) if isinstance(entry, dict) else {"path": entry}
    path = spec.base_dir / options["path"] if spec.base_dir else Path(options["path"])
    is_cost = (options.get("kind") or detect_kind(path, "admin")) == "outturn"
    return ("costs" if is_cost else "admin") in wanted


#: Derived without being declared (the rate the designs and reports expect), when the spec
#: declares no ``cla_rate_per_10k`` and the panel has both inputs; no population lag.
DEFAULT_DERIVED = {"cla_rate_per_10k": "children_looked_after / population_0_17 * 10000"}


def _combine_panels(
    spec: EvaluationSpec, inputs: Inputs, panels: list[tuple[str, pd.DataFrame, bool]]
) -> None:
    """One panel from several files (vintage rule), then the derived indicators, then names."""
    panel, superseded, inputs.overlaps = combine_vintages(panels, spec.vintage_order)
    derived = spec.derived_indicators
    present = set(panel["indicator"])
    for name, expr in DEFAULT_DERIVED.items():
        inputs_needed = parse_derived({name: expr})[0]
        if name not in {d.name for d in derived} and set(inputs_needed.inputs) <= present:
            derived = (*derived, inputs_needed)
    panel, replaced, inputs.derived = apply_derived(panel, derived)
    declared = {d.name for d in spec.derived_indicators}
    for summary in inputs.derived:
        summary["declared"] = summary["indicator"] in declared
    inputs.superseded = pd.concat([superseded, replaced], ignore_index=True)
    names = (
        panel[panel["la_name"].fillna("") != ""].drop_duplicates("la_code").set_index("la_code")["la_name"]
    )
    named = panel["la_code"].map(names.astype(str)).astype("str")  # no name anywhere: "" kept
    panel["la_name"] = named.where(panel["la_code"].isin(names.index), panel["la_name"])
    inputs.panel = finish_panel(panel, "admin panel")


def load_inputs(spec: EvaluationSpec, families: Iterable[str] | None = None) -> Inputs:
    """Load the surveys, administrative panel, SSDA903 return, costs and neighbours of a spec.

    ``families`` (``worker``, ``parent``, ``admin``, ``cost``; default all) limits the files read
    to those the families use, so ``compare(only=["cost"])`` never opens the surveys or the panel.
    """
    inputs = Inputs()
    wanted = {key for f in (families or FAMILY_DATA) for key in FAMILY_DATA.get(f, ())}
    data = {key: value for key, value in spec.data.items() if key in wanted}
    if "worker_survey" in data:
        inputs.workers = load_worker_survey(inputs.record("worker_survey", spec.path("worker_survey")))
    if "parent_survey" in data:
        inputs.parents = load_parent_survey(inputs.record("parent_survey", spec.path("parent_survey")))
    panels: list[tuple[str, pd.DataFrame, bool]] = []
    admin = spec.data.get("admin", []) if wanted & {"admin", "costs"} else []
    for entry in entries(admin):
        if not _wanted_admin(entry, spec, wanted):
            continue
        label = Path(entry["path"] if isinstance(entry, dict) else entry).name
        if (panel := _admin_entry(entry, spec, inputs)) is not None:
            panels.append((label, panel, False))
    if "ssda903" in data:
        s = dict(data["ssda903"])
        base = spec.base_dir or Path()
        header = inputs.record("ssda903 header", base / s["header"])
        episodes = inputs.record("ssda903 episodes", base / s["episodes"])
        panels.append(
            (episodes.name, load_ssda903(header, episodes, year=s["year"], la_code=s["la_code"]), True)
        )
    if panels:
        _combine_panels(spec, inputs, panels)
    costs = [cost_entry(e, spec, inputs) for e in entries(data.get("costs", []))]
    if inputs.costs is not None:
        costs.append(inputs.costs)
    if costs:
        inputs.costs = finish_panel(pd.concat(costs, ignore_index=True), "costs")
        if "deflator" in data:
            inputs.costs = attach_deflator(inputs.costs, spec, inputs)
    if "neighbours" in data:
        inputs.neighbours = load_statistical_neighbours(inputs.record("neighbours", spec.path("neighbours")))
    return inputs
