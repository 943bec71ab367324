"""Load every input an evaluation spec names (the engine's only contact with files)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from rsw_eval._errors import SpecError
from rsw_eval.io import (
    add_cla_rate,
    load_costs,
    load_dfe_table,
    load_parent_survey,
    load_sfr_table,
    load_ssda903,
    load_worker_survey,
)
from rsw_eval.io._panel import finish_panel, load_panel
from rsw_eval.io._read import header_columns
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


def _admin_entry(entry: Any, spec: EvaluationSpec, inputs: Inputs) -> pd.DataFrame:
    options = dict(entry) if isinstance(entry, dict) else {"path": entry}
    path = inputs.record(
        "admin", spec.base_dir / options.pop("path") if spec.base_dir else Path(options.pop("path"))
    )
    kind = options.pop("kind", None)
    if kind is None:
        columns = set(header_columns(path))
        if {"time_period", "geographic_level"} <= columns:
            kind = "dfe"
        elif "geog_l" in columns:
            kind = "sfr"
        elif {"la_code", "year", "indicator", "value"} <= columns:
            kind = "panel"
        else:
            raise SpecError(
                f"[data] admin: cannot tell the layout of {path.name} (not an EES table, "
                "an SFR file or a long panel); give kind = 'dfe' | 'sfr' | 'panel'"
            )
    if kind == "dfe":
        return load_dfe_table(path, **options)
    if kind == "sfr":
        options.setdefault("value", "children_looked_after")
        return load_sfr_table(path, **options)
    if kind == "panel":
        return load_panel(path)
    raise SpecError(f"[data] admin: unknown kind {kind!r}; expected dfe, sfr or panel")


#: The ``[data]`` entries each family reads (neighbours: the families whose comparators are
#: resolved from statistical neighbours).
FAMILY_DATA = {
    "worker": ("worker_survey",),
    "parent": ("parent_survey",),
    "admin": ("admin", "ssda903", "neighbours"),
    "cost": ("costs", "neighbours"),
}


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
    admin = data.get("admin", [])
    for entry in [admin] if isinstance(admin, str | dict) else admin:
        panels.append(_admin_entry(entry, spec, inputs))
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
    if "costs" in data:
        inputs.costs = load_costs(inputs.record("costs", spec.path("costs")))
    if "neighbours" in data:
        from rsw_eval.comparators import load_statistical_neighbours

        inputs.neighbours = load_statistical_neighbours(inputs.record("neighbours", spec.path("neighbours")))
    return inputs
