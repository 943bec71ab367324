"""Load every input an evaluation spec names (the engine's only contact with files)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pandas as pd

from rsw_eval._errors import SpecError
from rsw_eval._personal import not_people
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
from rsw_eval.io._panel import LEDGER_HINT, finish_panel
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


def _distinct_names(spec: EvaluationSpec, admin: Iterable) -> None:
    """Refuse two ``[data] admin`` files of one name in different folders (exit 2): every output
    names a file by its name (provenance, coverage, the rules applied), and the DfE release
    registry knows a release by it, so a council's own file beside DfE's of the same name read as
    one file of DfE's (findings-q15att P3). One file listed twice (other filters) is one name.

    Examples
    --------
    >>> spec = EvaluationSpec(data={"admin": ["a/csww_x.csv", "b/csww_x.csv"]})
    >>> _distinct_names(spec, spec.data["admin"])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    rsw_eval._errors.SpecError: data.admin: two files named 'csww_x.csv' (a/csww_x.csv, b/csww_x.csv)...
    """
    seen: dict[str, Path] = {}
    for entry in admin:
        given = Path(entry["path"] if isinstance(entry, dict) else entry)
        path = (spec.base_dir / given if spec.base_dir else given).resolve()
        first = seen.setdefault(given.name, path)
        if first != path:
            raise SpecError(
                f"data.admin: two files named {given.name!r} ({_shown(spec, first)}, {given.as_posix()}): "
                "every output names a file by its name, and DfE's releases are known by theirs; "
                "rename one (a council's own file is best not named as a DfE release's)"
            )


def _shown(spec: EvaluationSpec, path: Path) -> str:
    base = (spec.base_dir or Path()).resolve()
    return path.relative_to(base).as_posix() if path.is_relative_to(base) else path.name


def _wanted_admin(entry: Any, spec: EvaluationSpec, wanted: set[str]) -> bool:
    """Whether an ``[data] admin`` entry is read for these families: outturn entries feed the
    costs, every other kind the panel (the kind comes from the entry or the file's header line)."""
    if {"admin", "costs"} <= wanted:
        return True
    options = dict(entry) if isinstance(entry, dict) else {"path": entry}
    path = spec.base_dir / options["path"] if spec.base_dir else Path(options["path"])
    is_cost = (options.get("kind") or detect_kind(path, "admin")) in ("outturn", "revenue")
    return ("costs" if is_cost else "admin") in wanted


#: Derived without being declared (the rates of the dashboard set, rsw_eval/data/dfe_indicators.csv),
#: when the spec declares none of that name and the panel has the inputs; no population lag (the
#: panel's population of year Y is already the mid-year Y-1 estimate DfE divides by).
DEFAULT_DERIVED = {
    "cla_rate_per_10k": "children_looked_after / population_0_17 * 10000",
    "cin_rate_per_10k": "children_in_need / population_0_17 * 10000",
    "cpp_rate_per_10k": "cp_plans / population_0_17 * 10000",
    "referrals_rate_per_10k": "referrals / population_0_17 * 10000",
    "sickness_days_per_fte": "working_days_lost_fte / inpost_fte",
}


def _combine_panels(
    spec: EvaluationSpec, inputs: Inputs, panels: list[tuple[str, pd.DataFrame, bool]]
) -> None:
    """One panel from several files (vintage rule), then the derived indicators, then names."""
    panel, superseded, inputs.overlaps = combine_vintages(panels, spec.vintage_order)
    derived = spec.derived_indicators
    borrowed = _cost_inputs(derived, panel, inputs.costs)
    panel = pd.concat([panel, borrowed], ignore_index=True) if len(borrowed) else panel
    present = set(panel["indicator"])
    for name, expr in DEFAULT_DERIVED.items():
        inputs_needed = parse_derived({name: expr})[0]
        if name not in {d.name for d in derived} and set(inputs_needed.inputs) <= present:
            derived = (*derived, inputs_needed)
    panel, replaced, inputs.derived = apply_derived(panel, derived)
    if len(borrowed):  # the cost indicators stay in the costs: only what was derived from them joins
        panel = panel[~panel["indicator"].isin(set(borrowed["indicator"]))].copy()
        origin = borrowed.drop_duplicates(["la_code", "year"]).set_index(["la_code", "year"])["source"]
        users = [d.name for d in derived if set(d.inputs) & set(borrowed["indicator"])]
        rows = panel["indicator"].isin(users) & panel["source"].astype(str).str.startswith("derived")
        keys = pd.MultiIndex.from_frame(panel.loc[rows, ["la_code", "year"]])
        panel.loc[rows, "source"] = (
            panel.loc[rows, "source"].astype(str) + " from " + origin.reindex(keys).fillna("?").to_numpy()
        )
    declared = {d.name for d in spec.derived_indicators}
    for summary in inputs.derived:
        summary["declared"] = summary["indicator"] in declared
    inputs.superseded = pd.concat([superseded, replaced], ignore_index=True)
    names = (
        panel[panel["la_name"].fillna("") != ""].drop_duplicates("la_code").set_index("la_code")["la_name"]
    )
    mapped = panel["la_code"].map(names).astype(object)  # float NaN when no row has a name
    panel["la_name"] = mapped.where(mapped.notna(), panel["la_name"])
    inputs.panel = finish_panel(panel, "admin panel")


def _cost_inputs(derived, panel: pd.DataFrame, costs: pd.DataFrame | None) -> pd.DataFrame:
    """Cost rows a declared derived indicator needs and the panel lacks (``spend_per_child =
    "total_cost / population_0_17"``: spending per child with the population DfE divides by), their
    source naming the collection and scope (S251 and RO3 years are different collections)."""
    wanted = {n for d in derived for n in d.inputs} - set(panel["indicator"])
    if costs is None or not wanted:
        return panel.iloc[:0]
    rows = costs[costs["indicator"].isin(wanted)].copy()
    what = [rows[c].astype(str) for c in ("collection", "scope") if c in rows]
    if what:
        rows["source"] = rows["source"].astype(str) + " (" + what[0].str.cat(what[1:], sep=", ") + ")"
    return rows.loc[:, [c for c in panel.columns if c in rows.columns]]


def _neighbours(spec: EvaluationSpec, inputs: Inputs, value: Any) -> pd.DataFrame:
    """The neighbour model the spec chooses (``neighbours_model``; default the newest) among the
    files ``[data] neighbours`` lists; every file is read and hashed, the chosen one is marked."""
    base = spec.base_dir or Path()
    tables = []
    for entry in [value] if isinstance(value, str) else list(value):
        path = inputs.record("neighbours", base / entry)
        table = load_statistical_neighbours(path)
        inputs.files[-1]["model"] = None if table["model"].isna().all() else int(table["model"].iloc[0])
        tables.append((path.name, table))
    years = {name: int(t["model"].dropna().iloc[0]) for name, t in tables if t["model"].notna().any()}
    if len(tables) > 1 and len(years) < len(tables):
        unnamed = [name for name, _ in tables if name not in years]
        raise SpecError(
            f"[data] neighbours: cannot tell the model year of {', '.join(unnamed)} from its name; "
            "name each file with its year (e.g. ..._2025.csv) or list one file"
        )
    wanted = spec.neighbours_model
    if wanted is None:
        chosen = max(tables, key=lambda t: years.get(t[0], 0))
    else:
        matches = [t for t in tables if years.get(t[0]) == wanted]
        if not matches:
            raise SpecError(
                f"neighbours_model = {wanted}: no [data] neighbours file is that model; the files are "
                + ", ".join(f"{name} ({years.get(name, 'year unknown')})" for name, _ in tables)
            )
        chosen = matches[0]
    for record in inputs.files:
        if record["role"] == "neighbours":
            record["chosen"] = record["file"] == chosen[0]
    return chosen[1]


def load_inputs(spec: EvaluationSpec, families: Iterable[str] | None = None) -> Inputs:
    """Load the surveys, administrative panel, SSDA903 return, costs and neighbours of a spec.

    ``families`` (``worker``, ``parent``, ``admin``, ``cost``; default all) limits the files read
    to those the families use, so ``compare(only=["cost"])`` never opens the surveys or the panel.
    The labels of the spec's ``not_people`` are no person's name while the files are read
    (:func:`rsw_eval._personal.not_people`).
    """
    with not_people(spec.not_people):
        return _load(spec, families)


def _load(spec: EvaluationSpec, families: Iterable[str] | None) -> Inputs:
    inputs = Inputs()
    wanted = {key for f in (families or FAMILY_DATA) for key in FAMILY_DATA.get(f, ())}
    data = {key: value for key, value in spec.data.items() if key in wanted}
    if "worker_survey" in data:
        inputs.workers = load_worker_survey(inputs.record("worker_survey", spec.path("worker_survey")))
    if "parent_survey" in data:
        inputs.parents = load_parent_survey(inputs.record("parent_survey", spec.path("parent_survey")))
    panels: list[tuple[str, pd.DataFrame, bool]] = []
    admin = spec.data.get("admin", []) if wanted & {"admin", "costs"} else []
    _distinct_names(spec, entries(admin))
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
    costs = [cost_entry(e, spec, inputs) for e in entries(data.get("costs", []))]
    if inputs.costs is not None:
        costs.append(inputs.costs)
    if costs:
        inputs.costs = finish_panel(pd.concat(costs, ignore_index=True), "costs", duplicate_hint=LEDGER_HINT)
        if "deflator" in data:
            inputs.costs = attach_deflator(inputs.costs, spec, inputs)
    if panels:  # after the costs: a derived indicator may divide spending by population
        _combine_panels(spec, inputs, panels)
    if "neighbours" in data:
        inputs.neighbours = _neighbours(spec, inputs, data["neighbours"])
    return inputs
