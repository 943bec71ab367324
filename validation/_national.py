"""A national-size administrative panel in the DfE layout of ``data/sample/admin_panel.csv``, written
to a folder with a spec, so that simulations run through ``rsw_eval.compare`` as a user would."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from rsw_eval.io._lacodes import la_codes
from rsw_eval.spec import EvaluationSpec, load_spec

#: The sample's eight published indicators and a typical level of each; with population_0_17 the
#: engine also derives cla_rate_per_10k: nine outcomes, as in the sample.
INDICATORS = {
    "children_looked_after": 300,
    "cp_plans_started": 300,
    "cp_plans_repeat": 40,
    "cp_plans_repeat_pct": 13.0,
    "sickness_days_per_fte": 10.0,
    "agency_worker_pct": 20.0,
    "placements_3plus_pct": 11.0,
    "residential_placements": 30,
}
YEARS = np.arange(2004, 2017)
ADOPTION = 2008


def codes(n: int) -> pd.DataFrame:
    """The first ``n`` current authorities of the bundled lookup (code, old number, name)."""
    table = la_codes()
    current = table[table["status"] == "current"] if "status" in table else table
    return current.head(n).reset_index(drop=True)


def national_values(
    rng: np.random.Generator,
    n: int,
    *,
    noise: float = 0.1,
    shared: float = 0.5,
    effect: float = 0.0,
) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """Each indicator as an (authorities x :data:`YEARS`) array, and the 0-17 population.

    Log-normal series: authority level + year effect + noise (SD ``noise`` on the log scale, a
    share ``shared`` of its variance common to an authority's indicators in a year), the first
    authority's values multiplied by ``1 + effect`` from :data:`ADOPTION` on (a 20% fall: -0.2)."""
    t = YEARS.size
    common = rng.normal(0, noise, (n, t))
    values = {}
    for name, base in INDICATORS.items():
        own = rng.normal(0, noise, (n, t))
        e = np.sqrt(shared) * common + np.sqrt(1 - shared) * own
        y = base * np.exp(rng.normal(0, 0.3, (n, 1)) + rng.normal(0, 0.05, (1, t)) + e)
        y[0, YEARS >= ADOPTION] *= 1 + effect
        if name.endswith("pct"):
            y = np.minimum(y, 100.0)  # a percentage: high noise must not write an impossible 104%
        values[name] = np.round(y, 1) if name.endswith(("pct", "fte")) else np.round(y)
    population = np.round(50000 * np.exp(rng.normal(0, 0.3, (n, 1)))) * np.ones((1, t))
    return values, population


def write_panel(
    rng: np.random.Generator,
    folder: Path,
    *,
    n_authorities: int = 151,
    noise: float = 0.1,
    shared: float = 0.5,
    effect: float = 0.0,
) -> Path:
    """:func:`national_values` for the first ``n_authorities`` authorities, as ``admin_panel.csv``
    in the DfE layout of the sample."""
    who = codes(n_authorities)
    n, t = len(who), YEARS.size
    values, population = national_values(rng, n, noise=noise, shared=shared, effect=effect)
    frame = pd.DataFrame(
        {
            "time_period": np.tile(YEARS, n),
            "time_identifier": "Reporting year",
            "geographic_level": "Local authority",
            "country_code": "E92000001",
            "country_name": "England",
            "old_la_code": np.repeat(who["old_la_code"].to_numpy(), t),
            "new_la_code": np.repeat(who["la_code"].to_numpy(), t),
            "la_name": np.repeat(who["la_name"].to_numpy(), t),
            "population_0_17": population.ravel(),
            **{name: v.ravel() for name, v in values.items()},
        }
    )
    path = Path(folder) / "admin_panel.csv"
    frame.to_csv(path, index=False)
    return path


def national_spec(folder: Path, n_authorities: int = 151, **options) -> EvaluationSpec:
    """The first authority adopting in :data:`ADOPTION` against its next ten (comparators), every
    other authority a donor-pool placebo; DiD and comparative ITS only."""
    who = codes(n_authorities)["la_code"].tolist()
    spec = {
        "unit_model": [who[0]],
        "intervention_year": ADOPTION,
        "comparators": who[1:11],
        "donors": "not_using_model",
        "designs": ["did", "its"],
        "data": {"admin": ["admin_panel.csv"]},
        **options,
    }
    return load_spec(spec, data_dir=folder)
