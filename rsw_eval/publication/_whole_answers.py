"""Rows whose statistics read every answer of their groups, not their sizes, sums and sums of
squares alone: a rank test (Brunner-Munzel) and the spread test (Brown-Forsythe, from deviations
from the medians). The auditor's linear relations cannot hold what they publish, so on an item
whose answers lie on a grid of a few values (:data:`~rsw_eval.publication._pins.MOST_ANSWERS`),
they lose their statistics wherever an answer count from 1 to t could be worked out from them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from rsw_eval.designs._grid import steps
from rsw_eval.publication._pins import MOST_ANSWERS
from rsw_eval.publication._survey_cells import POOLED

__all__ = ["WHOLE_ANSWERS", "whole_answer_rows"]

#: Designs whose statistics read every answer.
WHOLE_ANSWERS = frozenset({"cross_section_rank", "consistency"})


def whole_answer_rows(raw: pd.DataFrame, answers: pd.DataFrame | None, t: int) -> list:
    """Rows of :data:`WHOLE_ANSWERS` designs that lose their statistics: those of a group with an
    answer count from 1 to t (their statistics, at full precision, single out the two groups'
    counts among those the means and SDs allow: q20att, of 59 x 78 pairs of count vectors that a
    parent rating's sizes, means and SDs allowed, only the true pair gave the published W and df),
    and every such row of an item where any group holds one (:func:`few_answer_items`): the rows
    of the pooled group and of the other authorities give their whole counts, and the pooled
    group's less the others' are the hidden authority's (att11 F1: 2 workers who answered 1).

    Examples
    --------
    >>> raw = pd.DataFrame({"family": ["worker"] * 3, "outcome": ["js"] * 3,
    ...                     "design": ["cross_section_rank"] * 2 + ["cross_section"],
    ...                     "comparison": ["all conventional", "A", "A"]})
    >>> answers = pd.DataFrame({"family": "worker", "scope": "", "outcome": "js",
    ...                         "group": ["U"] * 2 + ["all conventional"] * 2 + ["A"] * 2 + ["B"] * 2,
    ...                         "value": [1.0, 2.0] * 4, "count": [9, 9, 10, 12, 8, 10, 2, 2]})
    >>> whole_answer_rows(raw, answers, 5)
    [0, 1]
    """
    items = few_answer_items(raw, answers, t)
    if not items or not {"design", "family", "outcome"} <= set(raw.columns):
        return []
    keys = pd.MultiIndex.from_frame(raw[["family", "outcome"]].astype(str))
    return raw.index[raw["design"].isin(WHOLE_ANSWERS) & keys.isin(list(items))].tolist()


def few_answer_items(raw: pd.DataFrame, answers: pd.DataFrame | None, t: int) -> set[tuple[str, str]]:
    """(family, item) of the items on a grid of a few values where some group (an authority, the
    pooled group, a wave, an adopter) or the pooled group's respondents in no authority with a row
    of its own has an answer count from 1 to t."""
    if answers is None or not len(answers) or "comparison" not in raw:
        return set()
    out = set()
    for (family, outcome), item in answers.groupby(["family", "outcome"], sort=False):
        key = (str(family), str(outcome))
        values = np.unique(item["value"].to_numpy(dtype=float))
        grid = steps(values)
        if grid is None or grid[-1] >= MOST_ANSWERS:
            continue  # a wide item: its groups are tested alone (_pins.pinned)
        by_group = item.pivot_table(index="value", columns=["scope", "group"], values="count", aggfunc="sum")
        counts = by_group.fillna(0).to_numpy(dtype=float)
        if ((counts >= 1) & (counts <= t)).any():
            out.add(key)
            continue
        rows = raw[(raw["family"].astype(str) == key[0]) & (raw["outcome"].astype(str) == key[1])]
        shown = set(rows["comparison"].astype(str)) - {POOLED}
        pooled = [c for c in by_group.columns if c == ("", POOLED)]
        parts = [c for c in by_group.columns if c[0] == "" and c[1] in shown]
        if pooled:
            rest = by_group[pooled[0]].fillna(0) - by_group[parts].fillna(0).sum(axis=1)
            if ((rest >= 1) & (rest <= t)).any():
                out.add(key)
    return out
