"""Data sets derived from the real DfE d3 file (child protection plans, second or later plan %),
as the attacker built them (notes' repro-authority2/make_data.py): a 0/1 flag ``high_repeat``
(1 where the percentage is above 20), a 0-1 share ``repeat_frac`` (the percentage / 100) and the
0-100 percentage itself, beside the 2021 statistical-neighbour groupings."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from tests.conftest import DFE

D3 = "d3_cpps_subsequent_plan_2013_to_2025.csv"
NEIGHBOURS = "New_Statistical_Neighbour_Groupings_April_2021.csv"


def derived_d3(folder: Path) -> Path:
    """Write ``d3_bin.csv`` (the real d3 file with ``high_repeat`` and ``repeat_frac``) and link
    the real d3 file and the neighbour groupings into ``folder``; return ``folder``."""
    raw = pd.read_csv(DFE / D3, dtype=str, keep_default_na=False)
    v = pd.to_numeric(raw["CPP_subsequent_percent"], errors="coerce")
    raw["high_repeat"] = ["x" if x != x else ("1" if x > 20 else "0") for x in v]
    raw["repeat_frac"] = ["x" if x != x else f"{x / 100:.4f}" for x in v]
    raw.to_csv(folder / "d3_bin.csv", index=False)
    for name in (NEIGHBOURS, D3):
        (folder / name).symlink_to(DFE / name)
    return folder


def spec_dict(columns: dict[str, str], **keys) -> dict:
    """A spec for Southwark (2016) and Hull (2017) on ``d3_bin.csv`` with ``columns`` (file column
    -> indicator), before/after 2015 -> 2019 and DiD on statistical neighbours. The share and the
    percentage, read without their counts, are declared ``not_counts`` (DfE's published figures
    under names of the user's: else withheld, as no denominator in the data fits them)."""
    rates = [name for name in columns.values() if name in ("repeat_share", "repeat_percent")]
    keys = {"not_counts": rates, **keys} if rates else keys
    return {
        "title": "derived d3",
        "comparators": "statistical_neighbours",
        "designs": ["before_after", "did"],
        "baseline_year": 2015,
        "followup_year": 2019,
        "unit_model": {"210": 2016, "810": 2017},
        "data": {"neighbours": NEIGHBOURS, "admin": [{"path": "d3_bin.csv", "value": columns}]},
        **keys,
    }
