"""The loaded data of one evaluation (:class:`Inputs`), with the provenance of every file."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from rsw_eval._errors import SpecError
from rsw_eval.io._outputs import sha256
from rsw_eval.io._paths import not_a_file

__all__ = ["Inputs", "sha256"]


@dataclass
class Inputs:
    """The loaded data of one evaluation, with the provenance of every file."""

    workers: pd.DataFrame | None = None
    parents: pd.DataFrame | None = None
    panel: pd.DataFrame | None = None
    costs: pd.DataFrame | None = None
    neighbours: pd.DataFrame | None = None
    files: list[dict[str, str]] = field(default_factory=list)
    #: panel rows another file's (or a derived) value replaced, for the coverage table
    superseded: pd.DataFrame | None = None
    #: overlaps between files (:func:`rsw_eval.inputs._vintages.combine_vintages`)
    overlaps: list[dict] = field(default_factory=list)
    #: what each derived indicator did (:func:`rsw_eval.inputs._derived.apply_derived`)
    derived: list[dict] = field(default_factory=list)
    #: who is compared with whom in each data set (``admin``, ``cost``), resolved once by the
    #: engine (:func:`rsw_eval.comparison._resolve.resolve`) for every design
    comparisons: dict[str, Any] = field(default_factory=dict)

    def record(self, role: str, path: Path) -> Path:
        if (what := not_a_file(path)) is not None:
            raise SpecError(f"[data] {role}: {path} {what}")
        self.files.append({"role": role, "file": path.name, "sha256": sha256(path)})
        return path
