"""One design step and how it runs: a step that fails on degenerate data (a constant or empty
series, a zero-variance survey item, a singular fit) is re-run one indicator (or survey outcome)
at a time, and only what fails becomes a skip record naming the file, indicator and design; numpy
and friends' warnings stay off the user's terminal (what matters is said in the row)."""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from rsw_eval._errors import RswEvalError
from rsw_eval.designs._panel import DENOMINATORS, outcomes
from rsw_eval.designs._rows import is_skip, skip_row

__all__ = ["NUMERICAL", "Step"]

#: Numerical failures a design can meet on degenerate data (a constant or empty series, a
#: singular fit): they make a skip record, never abort the run.
NUMERICAL = (ValueError, ArithmeticError, np.linalg.LinAlgError, IndexError, KeyError)


@dataclass(frozen=True)
class Step:
    """One design run: ``run(frame)`` gives rows; ``frame`` (panel or costs) lets a failing step be
    re-run one indicator at a time so that only the indicator that fails is lost."""

    label: str
    family: str
    design: str
    run: Callable[..., list[dict]]
    frame: pd.DataFrame | None = None
    unit: str = ""
    treatment: str = ""
    year: int | None = None
    outcomes: tuple[tuple[str, ...], ...] = ()  # a survey's outcome columns, by group

    def __call__(self) -> list[dict]:
        try:
            rows = _quiet(self.run, self.frame)
        except NUMERICAL as exc:
            if isinstance(exc, RswEvalError):
                raise
            rows = self._one_by_one(exc)
        for row in rows:
            row["_unit"] = self.unit
            if self.unit and row.get("treatment", "") in (self.unit, ""):  # unnamed, or a skip: whose
                row["treatment"] = self.treatment
            if not is_skip(row) and self.year is not None and pd.isna(row.get("adoption_year")):
                row["adoption_year"] = self.year
        return rows

    def _one_by_one(self, first: Exception) -> list[dict]:
        if self.outcomes:
            return self._one_outcome_at_a_time()
        if self.frame is None or "indicator" not in self.frame:
            return [self._skip("", first)]
        rows: list[dict] = []
        for indicator in outcomes(self.frame):
            sub = self.frame[self.frame["indicator"].isin([indicator, *DENOMINATORS])]
            try:
                rows += _quiet(self.run, sub)
            except NUMERICAL as exc:
                if isinstance(exc, RswEvalError):
                    raise
                rows.append(self._skip(indicator, exc, sub))
        return rows

    def _one_outcome_at_a_time(self) -> list[dict]:
        """A survey step again, one outcome group at a time (the other outcome columns dropped)."""
        rows: list[dict] = []
        every = {c for group in self.outcomes for c in group}
        for group in self.outcomes:
            sub = self.frame.drop(columns=sorted(every - set(group)))
            try:
                rows += _quiet(self.run, sub)
            except NUMERICAL as exc:
                if isinstance(exc, RswEvalError):
                    raise
                rows.append(self._skip(group[0], exc, sub))
        return rows

    def _skip(self, indicator: str, exc: Exception, frame: pd.DataFrame | None = None) -> dict:
        frame = self.frame if frame is None else frame
        files = ""
        if frame is not None and "source" in frame:
            shown = frame.loc[frame["indicator"] == indicator, "source"] if indicator else frame["source"]
            files = ", ".join(sorted({str(s) for s in shown.dropna() if str(s)}))
        message = re.sub(r"\s+", " ", str(exc)).strip() or type(exc).__name__
        return skip_row(
            family=self.family,
            design=self.design,
            outcome=indicator,
            treatment=self.treatment,
            reason=f"{self.design.replace('_', ' ')} could not be computed on these values"
            + (f" ({files})" if files else "")
            + f": {message}",
        )


def _quiet(run: Callable[..., list[dict]], frame: pd.DataFrame | None) -> list[dict]:
    """Run a design with numpy's floating-point warnings off: a degenerate value is said in the
    row (NaN with its reason), never as a warning on the user's terminal."""
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        for module in ("numpy", "scipy", "statsmodels", "pandas"):
            warnings.filterwarnings("ignore", module=module)
        return run(frame) if frame is not None else run()
