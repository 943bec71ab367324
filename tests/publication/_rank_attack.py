"""An attacker of answer counts through the rank rows (att11 F1), independent of the auditor:
a published Brunner-Munzel row (relative effect, statistic and df at full precision) singles out
its two groups' answer counts among those their sizes, means and SDs allow; the pooled group's
counts less the other shown authorities' are the hidden ones'.

A hidden authority's answer is *recovered* when every set of counts consistent with what is
published gives it at least one person who gave that answer.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
from scipy.stats import rankdata

from tests.publication._answer_attack import SCALE, _counts, _moments

POOLED = "all conventional"


def _brunner_munzel(fx: np.ndarray, fy: np.ndarray) -> tuple[float, float, float]:
    """Relative effect P(X < Y) + P(X = Y) / 2, the statistic and its df, from answer counts
    (Brunner & Munzel 2000, written out here, not the engine's)."""
    x, y = np.repeat(SCALE, fx), np.repeat(SCALE, fy)
    n1, n2 = x.size, y.size
    both = rankdata(np.concatenate([x, y]))
    r1, r2 = both[:n1], both[n1:]
    p = (r2.mean() - (n2 + 1) / 2) / n1
    s1 = np.sum((r1 - rankdata(x) - r1.mean() + (n1 + 1) / 2) ** 2) / (n1 - 1)
    s2 = np.sum((r2 - rankdata(y) - r2.mean() + (n2 + 1) / 2) ** 2) / (n2 - 1)
    w = n1 * n2 * (r2.mean() - r1.mean()) / (n1 + n2) / np.sqrt(n1 * s1 + n2 * s2)
    df = (n1 * s1 + n2 * s2) ** 2 / ((n1 * s1) ** 2 / (n1 - 1) + (n2 * s2) ** 2 / (n2 - 1))
    return p, w, df


def _fits(row: pd.Series, fu: np.ndarray, fc: np.ndarray) -> bool:
    p, w, df = _brunner_munzel(fu, fc)
    seen = [row["effect_size"], abs(row["statistic"]), row["df"]]
    return any(np.allclose(seen, [q, abs(w), df], rtol=1e-9) for q in (p, 1 - p))


def rank_recovered(csv: pd.DataFrame, item: str, hidden: str, t: int) -> list[str]:
    """The answers of ``hidden`` (an authority of the pooled group) that the published rank rows of
    ``item`` show someone gave, with the counts from 1 to t they leave."""
    rows = csv[(csv["outcome"] == item) & (csv["design"] == "cross_section_rank")]
    rows = rows[rows[["effect_size", "statistic", "df"]].notna().all(axis=1)].set_index("comparison")
    if POOLED not in rows.index:
        return []
    others = [c for c in rows.index if c not in (POOLED, hidden)]
    if len(others) != len(csv.loc[(csv["outcome"] == item), "comparison"].unique()) - 2:
        return []  # an authority's row is hidden: its counts are not singled out here
    fits: dict[str, list[tuple[tuple, np.ndarray]]] = {}
    for group in (POOLED, *others):
        row = rows.loc[group]
        units = _counts(*_moments(row["n_treatment"], row["value_treatment"], row["sd_treatment"]))
        mine = _counts(*_moments(row["n_comparison"], row["value_comparison"], row["sd_comparison"]))
        fits[group] = [(tuple(fu), fc) for fu in units for fc in mine if _fits(row, fu, fc)]
    found = None
    for combo in itertools.product(*fits.values()):
        if len({fu for fu, _ in combo}) > 1:
            continue  # one unit-model group in every row
        rest = combo[0][1] - sum(fc for _, fc in combo[1:])
        found = rest if found is None else np.minimum(found, rest)
    if found is None:
        return []
    return [f"{hidden} answered {a}: at least {c}" for a, c in zip(SCALE, found, strict=True) if 1 <= c <= t]
