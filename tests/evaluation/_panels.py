"""Generated authority panels and specs for the authority tests (issue 18): any number of
authorities, adopters with their own years, indicators that may be degenerate. Nothing here
depends on the shape of the bundled sample."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from rsw_eval.io._lacodes import la_codes
from rsw_eval.spec import load_spec
from tests.conftest import SAMPLE

#: London boroughs (real GSS codes, so names come from the bundled lookup).
LONDON = tuple(c for c in la_codes()["la_code"] if c.startswith("E09") and c != "E09000001")


def panel(
    n: int = 12,
    years: range = range(2004, 2017),
    adoption: dict[str, int] | None = None,
    effect: float = -0.15,
    seed: int = 0,
    indicators: tuple[str, ...] = ("children_looked_after", "cp_plans_repeat_pct"),
) -> pd.DataFrame:
    """A long panel: each authority's own level and trend plus noise; an adopter's values change
    by ``effect`` (relative for counts, in points x 10 for percentages) from its adoption year."""
    rng = np.random.default_rng(seed)
    codes = LONDON[:n]
    adoption = adoption or {}
    rows = []
    for code in codes:
        level, trend = rng.uniform(200, 600), rng.normal(0, 0.01)
        pct, drift = rng.uniform(10, 30), rng.normal(0, 0.2)
        for y in years:
            on = y >= adoption.get(code, 9999)
            for ind in indicators:
                if ind.endswith("_pct"):
                    v = pct + drift * (y - years.start) + rng.normal(0, 1.0) + (10 * effect if on else 0)
                else:
                    v = level * np.exp(
                        trend * (y - years.start) + rng.normal(0, 0.04) + (effect if on else 0)
                    )
                rows.append((code, y, ind, round(float(v), 1 if ind.endswith("_pct") else 0)))
    return pd.DataFrame(rows, columns=["la_code", "year", "indicator", "value"])


def spec_for(frame: pd.DataFrame, folder: Path, **keys):
    """A spec over ``frame`` written to ``folder/panel.csv`` (``keys``: any spec keys). A council's
    own percentage of repeat plans without plans started (the default panel) cannot be checked, so
    it is withheld unless declared: the spec publishes it as ``not_counts`` (q12disc Q1)."""
    path = folder / "panel.csv"
    frame.to_csv(path, index=False)
    raw = {"data": {"admin": [{"path": "panel.csv", "kind": "panel"}]}, **keys}
    names = set(frame["indicator"])
    declared = list(keys.get("not_counts", []))
    if (
        "cp_plans_repeat_pct" in names
        and "cp_plans_started" not in names
        and "cp_plans_repeat_pct" not in declared
    ):
        raw["not_counts"] = [*declared, "cp_plans_repeat_pct"]
    return load_spec(raw, data_dir=folder)


def split_survey(folder, units_of_unit_model: int) -> None:
    """The sample's worker survey with each authority split in two by unit, and the first
    ``units_of_unit_model`` of the six pseudo-authorities using the model."""
    frame = pd.read_csv(SAMPLE / "worker_survey.csv")
    half = frame.groupby("authority")["unit"].transform(lambda u: u.isin(sorted(u.unique())[::2]))
    frame["authority"] = frame["authority"] + np.where(half, " A", " B")
    names = sorted(frame["authority"].unique(), key=lambda a: (not a.startswith("Unit"), a))
    frame["model"] = np.where(frame["authority"].isin(names[:units_of_unit_model]), "unit", "conventional")
    frame.to_csv(folder / "worker_survey.csv", index=False)
