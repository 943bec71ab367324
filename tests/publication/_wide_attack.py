"""An attacker of the answer counts of a wide item (a percentage), independent of the auditor's
geometry (:mod:`rsw_eval.publication._pins`): from each group's published size, mean and SD (the
results file at full precision), and for the conventional authorities hidden, taken together, from
the pooled group less those shown, it solves a linear programme (scipy's HiGHS) for the least
count of each answer that the three sums allow, on the scale of every answer given, and where that
is 0 an integer programme (people come whole: 14 x 0 and 1 x 40 have a sum of squares equal to the
sum squared, which only one answer above 0 allows). A planted count
from 1 to t is *recovered* when that least count is above 0: someone can be shown to have given
the answer (q20att-2 F3: n 6, mean 16.67, SD 40.82 give "5 answered 0, 1 answered 100").
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.optimize import Bounds, LinearConstraint, linprog, milp

from tests.publication._answer_attack import _shown

POOLED = "all conventional"
OUTCOME = "pct_time_direct_work"


def _least(scale: np.ndarray, moments: tuple[int, int, int], ks: list[int]) -> dict[int, float]:
    """The least count of each answer of ``ks``: by the linear programme, and, where that reaches
    0, over whole numbers of people (an integer programme; one that empties several answers at
    once answers for each of them)."""
    low = scale.min()
    a = np.vstack([np.ones(scale.size), scale - low, (scale - low) ** 2])
    n, total, squares = moments
    b = np.array([n, total - low * n, squares - 2 * low * total + low**2 * n], dtype=float)
    out, whole = {}, []
    for k in ks:
        res = linprog(np.eye(scale.size)[k], A_eq=a, b_eq=b, bounds=(0, None), method="highs")
        out[k] = float(res.fun) if res.status == 0 else np.nan
        if res.status == 0 and res.fun <= 1e-6:
            whole.append(k)
    integral, bounds, rows = np.ones(scale.size), Bounds(0, n), LinearConstraint(a, b, b)
    while whole:
        cost = np.isin(np.arange(scale.size), whole).astype(float)
        res = milp(cost, integrality=integral, bounds=bounds, constraints=rows)
        empty = [k for k in whole if res.status == 0 and round(res.x[k]) == 0]
        if not empty:  # the first of them cannot be emptied with the others: asked alone
            k = whole.pop(0)
            alone = milp(np.eye(scale.size)[k], integrality=integral, bounds=bounds, constraints=rows)
            out[k] = float(alone.fun) if alone.status == 0 else np.nan
        whole = [k for k in whole if k not in empty]
    return out


def wide_recovered(
    csv: pd.DataFrame, answers: dict[str, list[float]], unit: str, t: int, step: float = 1
) -> list[str]:
    """The planted counts (``answers``: group -> its answers, multiples of ``step``) that the
    attack shows someone gave, in each group shown and in the authorities hidden together
    (``A LA+B LA``); the moments are taken in steps (halves: ``step=0.5``), whole numbers."""
    rows = csv[(csv["family"] == "worker") & (csv["design"] == "cross_section") & (csv["outcome"] == OUTCOME)]
    rows = rows.assign(
        **{
            c: rows[c] / step
            for c in ("value_treatment", "value_comparison", "sd_treatment", "sd_comparison")
        }
    )
    shown = _shown(rows)
    hidden = [g for g, m in shown.items() if m is None and g not in (POOLED, unit)]
    if shown.get(POOLED) is not None and hidden:
        parts = [m for g, m in shown.items() if g not in (POOLED, unit, *hidden)]
        if all(g in answers for g in hidden):
            answers = {**answers, "+".join(sorted(hidden)): [x for g in hidden for x in answers[g]]}
        shown["+".join(sorted(hidden))] = tuple(
            a - sum(p[k] for p in parts) for k, a in enumerate(shown[POOLED])
        )
    answers = {g: [round(x / step) for x in v] for g, v in answers.items()}
    scale = np.unique(np.concatenate([np.asarray(v, dtype=float) for v in answers.values()]))
    out = []
    for group, m in shown.items():
        if m is None or m[0] < 1 or group not in answers:
            continue
        counts = np.array([answers[group].count(int(v)) for v in scale])
        small = [int(k) for k in np.flatnonzero((counts >= 1) & (counts <= t))]
        for k, least in _least(scale, m, small).items():
            assert np.isfinite(least), (group, m)  # the true counts are feasible
            if least > 1e-6:
                out.append(f"{group} answered {scale[k] * step:g}: {counts[k]} (at least {least:.3g})")
    return out
