"""The ``[data] admin`` and ``[data] costs`` entries of a spec and the deflator: which loader reads
each file (from its kind or its header line) and with which options."""

from __future__ import annotations

import inspect
import re
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from rsw_eval._errors import DataError, SpecError
from rsw_eval.io import (
    load_costs,
    load_deflator,
    load_dfe_table,
    load_laa1,
    load_outturn,
    load_population,
    load_revenue_outturn,
    load_sfr_table,
    load_workforce,
)
from rsw_eval.io._dashboard import AREA_LEVELS, load_dfe_indicators, load_ofsted, matching
from rsw_eval.io._deflator import DeflatorGapWarning
from rsw_eval.io._panel import load_panel
from rsw_eval.io._read import header_columns

if TYPE_CHECKING:
    from rsw_eval.inputs._model import Inputs
    from rsw_eval.spec import EvaluationSpec

__all__ = ["ADMIN_KINDS", "COST_KINDS", "admin_entry", "attach_deflator", "cost_entry", "entries"]

#: ``kind =`` of an admin entry and its loader; "outturn" entries go to the costs.
ADMIN_KINDS: dict[str, Callable[..., pd.DataFrame]] = {
    "dfe": load_dfe_table,
    "sfr": load_sfr_table,
    "panel": load_panel,
    "laa1": load_laa1,
    "workforce": load_workforce,
    "population": load_population,
    "outturn": load_outturn,
    "revenue": load_revenue_outturn,
    "indicators": load_dfe_indicators,
    "ofsted": load_ofsted,
}
COST_KINDS: dict[str, Callable[..., pd.DataFrame]] = {
    "ledger": load_costs,
    "outturn": load_outturn,
    "revenue": load_revenue_outturn,
}
#: Kinds whose rows go to the costs, whichever [data] key names them.
_SPENDING = ("outturn", "revenue")
_OUTTURN_COLUMNS = ("S52 Line Reference", "S52 Line Reference:", "CYPServiceDescription", "s251line")


def entries(value: Any) -> list[Any]:
    """A ``[data]`` value as a list of entries (a path, a table, or a list of either)."""
    return [value] if isinstance(value, str | dict) else list(value)


def _workbook_kind(path: Path) -> str | None:
    """The kind of a workbook from its sheets: LAA1, an outturn Table A1 (title rows allowed),
    MHCLG revenue outturn (RO3/RSX), or None."""
    from rsw_eval.io._outturn import _is_header
    from rsw_eval.io._xls import header_row, sheet_names, sheet_rows

    try:
        names = sheet_names(path)
        if "LAA1" in names:
            return "laa1"
        if "ILACS_inspection_history" in names:
            return "ofsted"
        if any(re.match(r"(RO3|RSX)_LA_Data", n) for n in names):
            return "revenue"
        for name in names:
            rows = sheet_rows(path, name)
            if rows and header_row(rows, _is_header) is not None:
                return "outturn"
    except DataError:
        return None
    return None


def detect_kind(path: Path, role: str) -> str:
    """The kind of a file from its suffix, sheets and header line."""
    if path.suffix.lower() in (".xls", ".xlsx", ".ods"):
        kind = _workbook_kind(path)
        if kind is not None:
            return kind
    try:
        columns = set(header_columns(path))
    except DataError:
        if path.suffix.lower() == ".csv":  # text that cannot be decoded (UTF-16 ...): say so
            raise
        columns = set()
    if any(c in columns for c in _OUTTURN_COLUMNS) or "description_of_expenditure" in columns:
        return "outturn"
    if {"time_period", "geographic_level"} <= columns:
        if "inpost_fte" in columns:
            return "workforce"
        if {"age_group", "population_estimate"} <= columns:
            return "population"
        return "dfe"
    if "geog_l" in columns:
        return "sfr"
    if {"la_code", "cost_line", "amount_gbp"} <= columns:
        return "ledger"
    if {"la_code", "year", "indicator", "value"} <= columns:
        return "panel"
    kinds = ", ".join(ADMIN_KINDS if role == "admin" else COST_KINDS)
    raise SpecError(f"[data] {role}: cannot tell the layout of {path.name}; give kind = one of {kinds}")


def _call(loader: Callable[..., pd.DataFrame], path: Path, options: dict, where: str) -> pd.DataFrame:
    accepted = list(inspect.signature(loader).parameters)[1:]
    unknown = [k for k in options if k not in accepted]
    if unknown:
        raise SpecError(
            f"{where}: unknown option {unknown[0]!r} for this kind of file; valid: "
            + (", ".join([*accepted, "years"]) or "years")
        )
    return loader(path, **options)


def _years(panel: pd.DataFrame, years: Any, where: str) -> pd.DataFrame:
    if years is None:
        return panel
    if not isinstance(years, list) or not years or not all(isinstance(y, int) for y in years):
        raise SpecError(
            f"{where}: years must be a list of years, e.g. [2006, 2007] (an empty list would keep no "
            f"row of the file: leave years out to keep every year). Got {years!r}."
        )
    kept = panel[panel["year"].isin(years)].reset_index(drop=True)
    if len(panel) and not len(kept):
        held = ", ".join(map(str, sorted(set(panel["year"].astype(int)))[:12]))
        raise SpecError(f"{where}: years {years} keeps no row of the file, which holds {held}")
    return kept


def admin_entry(entry: Any, spec: EvaluationSpec, inputs: Inputs) -> tuple[str, pd.DataFrame]:
    """``("admin" | "costs", panel)`` for one ``[data] admin`` entry."""
    options = dict(entry) if isinstance(entry, dict) else {"path": entry}
    path = inputs.record("admin", _path(options.pop("path"), spec))
    where = f"[data] admin {path.name}"
    kind = options.pop("kind", None) or detect_kind(path, "admin")
    years = options.pop("years", None)
    if kind not in ADMIN_KINDS:
        raise SpecError(f"[data] admin: unknown kind {kind!r}; expected one of {', '.join(ADMIN_KINDS)}")
    plain = not {"kind", "value", "filters"} & set(entry if isinstance(entry, dict) else {})
    if kind in ("dfe", "workforce") and plain and len(matching(set(header_columns(path)))):
        kind = "indicators"  # the dashboard set, no options: canonical names (kind = "dfe" keeps DfE's)
    if kind in ("dfe", "workforce", "population"):
        options.setdefault("geographic_level", AREA_LEVELS)  # England's rows fill England's column
    if kind == "sfr":
        options.setdefault("value", "children_looked_after")
    if kind in _SPENDING:
        return "costs", cost_entry({**options, "kind": kind, "path": str(path)}, spec, inputs, years)
    return "admin", _years(_call(ADMIN_KINDS[kind], path, options, where), years, where)


def cost_entry(entry: Any, spec: EvaluationSpec, inputs: Inputs, years: Any = None) -> pd.DataFrame:
    """The cost panel of one ``[data] costs`` entry: your ledger, or an S52/S251 outturn file."""
    options = dict(entry) if isinstance(entry, dict) else {"path": entry}
    path = _path(options.pop("path"), spec)
    if not any(f["file"] == path.name and f["role"] == "admin" for f in inputs.files):
        inputs.record("costs", path)
    where = f"[data] costs {path.name}"
    kind = options.pop("kind", None) or detect_kind(path, "costs")
    years = options.pop("years", years)
    if kind not in COST_KINDS:
        raise SpecError(f"{where}: kind {kind!r} is not cost data; expected one of {', '.join(COST_KINDS)}")
    if kind in _SPENDING and "expenditure" not in options:
        what = "a Section 52/251 outturn" if kind == "outturn" else "an MHCLG revenue outturn (RO3/RSX)"
        raise SpecError(
            f"{where} is {what} file: give expenditure = 'gross' (total expenditure) "
            "or 'net' (net current expenditure)"
        )
    if isinstance(options.get("crosswalk"), str):  # the user's own line mapping: beside the data,
        options["crosswalk"] = inputs.record("crosswalk", _path(options["crosswalk"], spec))  # hashed
    return _years(_call(COST_KINDS[kind], path, options, where), years, where)


def attach_deflator(costs: pd.DataFrame, spec: EvaluationSpec, inputs: Inputs) -> pd.DataFrame:
    """Add ``price_index`` (and ``price_base``) to the costs from ``[data] deflator``."""
    value = spec.data["deflator"]
    options = dict(value) if isinstance(value, dict) else {"path": value}
    path = inputs.record("deflator", _path(options.pop("path"), spec))
    options.setdefault("base", spec.data.get("deflator_base"))
    table = _call(load_deflator, path, options, f"[data] deflator {path.name}")
    inputs.files[-1]["vintage"] = str(table["vintage"].iloc[0])
    index = table.dropna(subset=["index"]).set_index("year")["index"]
    missing = sorted(set(costs["year"]) - set(index.index))
    if missing == sorted(set(costs["year"])):
        raise SpecError(
            f"[data] deflator: {path.name} has no index for the years ending March {missing}; its "
            f"values cover {int(index.index.min())} to {int(index.index.max())}"
        )
    if missing:  # later years than the vintage's outturn: nominal only, said (never a guessed index)
        inputs.files[-1]["no_index_for"] = [int(y) for y in missing]
        warnings.warn(
            f"[data] deflator: {path.name} has no index for the years ending March "
            f"{', '.join(map(str, missing))} (its values cover {int(index.index.min())} to "
            f"{int(index.index.max())}): those years stay in nominal terms only; add a later "
            "HM Treasury vintage to deflate them",
            DeflatorGapWarning,
            stacklevel=3,
        )
    return costs.assign(price_index=costs["year"].map(index), price_base=str(table["base"].iloc[0]))


def _path(value: str, spec: EvaluationSpec) -> Path:
    return spec.base_dir / value if spec.base_dir else Path(value)
