"""How many people gave each answer of a survey item, per group the survey rows compare.

A group's size, mean and SD of an item answered in whole numbers are three equations in its answer
counts: with n 19, mean 1.157895 and SD 0.374634 on a 1-3 scale, exactly 3 answered 2
(findings-q18att F1); with n 6, mean 16.67 and SD 40.82 on a percentage, 5 answered 0 and 1
answered 100 (q20att-2 F3). The publication's auditor (:mod:`rsw_eval.publication._ledger`) holds
the counts of an item of at most
:data:`~rsw_eval.publication._pins.MOST_ANSWERS` points as cells tied to the published sizes,
sums and sums of squares, so that the same interval attack that protects group sizes and yes/no
events protects them; on an item of more values it asks of each group's three sums whether they
force an answer count from 1 to t (:func:`rsw_eval.publication._pins.pinned`). They are read here,
from the survey as the designs read it, and are never published.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from rsw_eval.designs._clustered import SurveyDesign, treatment_label
from rsw_eval.designs._grid import steps
from rsw_eval.designs._rows import ADOPTER, ANSWER_COLUMNS, group_name
from rsw_eval.designs.before_after import unit_waves
from rsw_eval.designs.cross_section import CONTINUOUS, LIKERT

__all__ = ["answer_counts"]

#: The worker survey's numeric outcomes (:mod:`rsw_eval.designs.cross_section`); a parent survey's
#: are its ``rating_*`` items.
COMPARED = frozenset((*CONTINUOUS, *LIKERT))


#: Distinct answers an item on no grid (a prorated score, a computed mean) may have to be read:
#: beyond this, each answer is near enough its own and the groups' tables would be large.
MOST_VALUES = 2000


def _items(frame: pd.DataFrame, family: str) -> dict[str, np.ndarray]:
    """Each numeric item of the survey that rows compare, as floats (NaN where missing), but one
    on no grid (:func:`steps`) with more than :data:`MOST_VALUES` distinct answers; yes/no items
    are events, read elsewhere."""
    out = {}
    for column in frame.columns:
        series = frame[column]
        if pd.api.types.is_bool_dtype(series) or not pd.api.types.is_numeric_dtype(series):
            continue
        if column not in COMPARED and not (family == "parent" and column.startswith("rating_")):
            continue  # not compared (single GHQ items, the wave), or a rate's parts (contacts)
        values = series.astype("Float64").to_numpy(dtype=float, na_value=np.nan)
        seen = np.unique(values[np.isfinite(values)])
        if seen.size and (seen.size <= MOST_VALUES or steps(seen) is not None):
            out[str(column)] = values
    return out


def _groups(frame: pd.DataFrame) -> list[tuple[str, str, np.ndarray]]:
    """(scope, group, mask) of every group a survey row compares, named as the rows name it."""
    design = SurveyDesign.of(frame)
    treatment = treatment_label(frame)
    out = [("", treatment, design.unit)]
    out += [("", group_name(name, treatment), mask) for name, mask in design.comparisons()]
    waves = unit_waves(frame)
    if waves is not None:
        treatment, first, last = waves
        unit = frame["model"].eq("unit").fillna(False).to_numpy(dtype=bool)
        wave = frame["wave"].to_numpy()
        for year in (first, last):
            out.append((f"{first}->{last}", f"{treatment} wave {year}", unit & (wave == year)))
    return out


def answer_counts(frame: pd.DataFrame | None, family: str) -> pd.DataFrame:
    """Per group and item, how many answered each value of the item's scale (every value any
    respondent gave, 0 where none of the group did).

    Examples
    --------
    >>> s = pd.DataFrame({"model": ["unit"] * 3 + ["conventional"] * 3, "authority": list("UUUAAB"),
    ...                   "job_satisfaction": [1, 2, 2, 3, 3, 1]})
    >>> c = answer_counts(s, "worker")
    >>> a = c[c["group"] == "A"]
    >>> dict(zip(a["value"].tolist(), a["count"].tolist()))
    {1.0: 0, 2.0: 0, 3.0: 2}
    """
    if frame is None or not len(frame) or "model" not in frame or "authority" not in frame:
        return pd.DataFrame(columns=list(ANSWER_COLUMNS))
    items = _items(frame, family)
    groups, parts, binary = _groups(frame), [], {}
    unit = frame["model"].eq("unit").fillna(False).to_numpy(dtype=bool)
    adopters = sorted(frame.loc[unit, "authority"].dropna().astype(str).unique())
    if len(adopters) > 1:  # each, on every item and yes/no outcome (as 0 and 1)
        names = frame["authority"].astype(str).to_numpy()
        groups += [(ADOPTER, a, unit & (names == a)) for a in adopters]
        flags = [c for c in frame.columns if pd.api.types.is_bool_dtype(frame[c])]
        binary = {str(c): frame[c].astype("Float64").to_numpy(dtype=float, na_value=np.nan) for c in flags}
    for scope, group, mask in groups:
        for outcome, values in (items | binary if scope == ADOPTER else items).items():
            scale = np.unique(values[np.isfinite(values)])
            mine = values[mask]
            counts = np.bincount(np.searchsorted(scale, mine[np.isfinite(mine)]), minlength=scale.size)
            parts.append(
                pd.DataFrame(
                    {
                        "family": family,
                        "scope": scope,
                        "group": group,
                        "outcome": outcome,
                        "value": scale,
                        "count": counts.astype(int),
                    }
                )
            )
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=list(ANSWER_COLUMNS))
