"""Load every input an evaluation spec names (the engine's only contact with files)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from rsw_eval._entries import admin_entry, attach_deflator, cost_entry, detect_kind, entries
from rsw_eval._errors import SpecError
from rsw_eval.io import (
    add_cla_rate,
    load_parent_survey,
    load_ssda903,
    load_worker_survey,
)
from rsw_eval.io._panel import finish_panel
from rsw_eval.spec import EvaluationSpec


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@dataclass
class Inputs:
    """The loaded data of one evaluation, with the provenance of every file."""

    workers: pd.DataFrame | None = None
    parents: pd.DataFrame | None = None
    panel: pd.DataFrame | None = None
    costs: pd.DataFrame | None = None
    neighbours: pd.DataFrame | None = None
    files: list[dict[str, str]] = field(default_factory=list)

    def record(self, role: str, path: Path) -> Path:
        if not path.is_file():
            raise SpecError(f"[data] {role}: {path} does not exist")
        self.files.append({"role": role, "file": path.name, "sha256": sha256(path)})
        return path


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
    panels = []
    admin = spec.data.get("admin", []) if wanted & {"admin", "costs"} else []
    for entry in entries(admin):
        if not _wanted_admin(entry, spec, wanted):
            continue
        if (panel := _admin_entry(entry, spec, inputs)) is not None:
            panels.append(panel)
    if "ssda903" in data:
        s = dict(data["ssda903"])
        base = spec.base_dir or Path()
        header = inputs.record("ssda903 header", base / s["header"])
        episodes = inputs.record("ssda903 episodes", base / s["episodes"])
        panels.append(load_ssda903(header, episodes, year=s["year"], la_code=s["la_code"]))
    if panels:
        panel = pd.concat(panels, ignore_index=True)
        # the first source of an authority x year x indicator wins (published tables before
        # the record-level return)
        panel = panel.drop_duplicates(["la_code", "year", "indicator"], keep="first")
        names = panel[panel["la_name"] != ""].drop_duplicates("la_code").set_index("la_code")["la_name"]
        panel["la_name"] = panel["la_code"].map(names).fillna(panel["la_name"])
        indicators = set(panel["indicator"])
        if {
            "children_looked_after",
            "population_0_17",
        } <= indicators and "cla_rate_per_10k" not in indicators:
            panel = add_cla_rate(panel)
        inputs.panel = finish_panel(panel, "admin panel")
    costs = [cost_entry(e, spec, inputs) for e in entries(data.get("costs", []))]
    if inputs.costs is not None:
        costs.append(inputs.costs)
    if costs:
        inputs.costs = finish_panel(pd.concat(costs, ignore_index=True), "costs")
        if "deflator" in data:
            inputs.costs = attach_deflator(inputs.costs, spec, inputs)
    if "neighbours" in data:
        from rsw_eval.comparators import load_statistical_neighbours

        inputs.neighbours = load_statistical_neighbours(inputs.record("neighbours", spec.path("neighbours")))
    return inputs
