"""An attacker of the answer counts of a wide item (a percentage), independent of the auditor's
geometry (:mod:`rsw_eval.publication._pins`): from each group's published size, mean and SD (the
results file at full precision), and for the conventional authorities hidden, taken together, from
the pooled group less those shown, it solves a linear programme (scipy's HiGHS) for the least
count of each answer that the three sums allow, on the scale of every answer given. A planted count
from 1 to t is *recovered* when that least count is above 0: someone can be shown to have given
the answer (q20att-2 F3: n 6, mean 16.67, SD 40.82 give "5 answered 0, 1 answered 100").
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.optimize import linprog

from tests.publication._answer_attack import _shown

POOLED = "all conventional"
OUTCOME = "pct_time_direct_work"


def _least(scale: np.ndarray, moments: tuple[int, int, int], k: int) -> float:
    a = np.vstack([np.ones(scale.size), scale, scale**2])
    cost = np.zeros(scale.size)
    cost[k] = 1.0
    res = linprog(cost, A_eq=a, b_eq=np.array(moments, dtype=float), bounds=(0, None), method="highs")
    return float(res.fun) if res.status == 0 else np.nan


def wide_recovered(csv: pd.DataFrame, answers: dict[str, list[int]], unit: str, t: int) -> list[str]:
    """The planted counts (``answers``: group -> its answers) that the attack shows someone gave,
    in each group shown and in the authorities hidden together (``A LA+B LA``)."""
    rows = csv[(csv["family"] == "worker") & (csv["design"] == "cross_section") & (csv["outcome"] == OUTCOME)]
    shown = _shown(rows)
    hidden = [g for g, m in shown.items() if m is None and g not in (POOLED, unit)]
    if shown.get(POOLED) is not None and hidden:
        parts = [m for g, m in shown.items() if g not in (POOLED, unit, *hidden)]
        if all(g in answers for g in hidden):
            answers = {**answers, "+".join(sorted(hidden)): [x for g in hidden for x in answers[g]]}
        shown["+".join(sorted(hidden))] = tuple(
            a - sum(p[k] for p in parts) for k, a in enumerate(shown[POOLED])
        )
    scale = np.unique(np.concatenate([np.asarray(v, dtype=float) for v in answers.values()]))
    out = []
    for group, m in shown.items():
        if m is None or m[0] < 1 or group not in answers:
            continue
        counts = np.array([answers[group].count(int(v)) for v in scale])
        for k in np.flatnonzero((counts >= 1) & (counts <= t)):
            least = _least(scale, m, int(k))
            assert np.isfinite(least), (group, m)  # the true counts are feasible
            if least > 1e-6:
                out.append(f"{group} answered {scale[k]:g}: {counts[k]} (at least {least:.3g})")
    return out
