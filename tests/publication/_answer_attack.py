"""An attacker of answer counts, independent of the auditor: from a group's published size, mean
and SD of a 1-5 item (the results file at full precision) it enumerates every count of each answer
consistent with them, for each group shown and, by subtraction from the pooled group, for the
conventional authorities hidden, taken together (``A LA+B LA``; findings-q18att F1: n 19, mean
1.157895, SD 0.374634 give "3 answered 2").

A planted answer count from 1 to t is *recovered* when every consistent count is at least 1 and
they lie within t of each other: the attacker then knows that someone gave that answer, and about
how many did (a range reaching 0 shows no one).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

POOLED = "all conventional"
SCALE = np.arange(1, 6)


def _counts(n: int, total: int, squares: int) -> np.ndarray:
    """Every (f1..f5) of whole numbers with sum n, sum of answers ``total`` and of their squares
    ``squares`` (rows of the array): f3, f4, f5 enumerated, f1 and f2 solved."""
    f3, f4, f5 = (a.ravel() for a in np.indices((n + 1,) * 3))
    rest = n - f3 - f4 - f5
    f2 = total - 3 * f3 - 4 * f4 - 5 * f5 - rest
    f1 = rest - f2
    f = np.stack([f1, f2, f3, f4, f5], axis=1)
    ok = (f >= 0).all(axis=1) & (f @ SCALE**2 == squares)
    return f[ok]


def _moments(n: float, mean: float, sd: float) -> tuple[int, int, int]:
    total = round(mean * n)
    return int(n), int(total), int(round((n - 1) * sd**2 + total**2 / n))


def _shown(rows: pd.DataFrame) -> dict[str, tuple[int, int, int] | None]:
    """group -> (n, sum, sum of squares) where its size, mean and SD are all published."""
    out: dict[str, tuple[int, int, int] | None] = {}
    for _, r in rows.iterrows():
        for side, group in (("treatment", r["treatment"]), ("comparison", r["comparison"])):
            values = [r[f"n_{side}"], r[f"value_{side}"], r[f"sd_{side}"]]
            if all(pd.notna(v) for v in values):
                out[str(group)] = _moments(*map(float, values))
            else:
                out.setdefault(str(group), None)
    return out


def answer_ranges(csv: pd.DataFrame, outcome: str = "job_satisfaction") -> dict[str, tuple[int, int]]:
    """``a:<group>:<answer>`` -> (low, high) of the count of that answer, for every group the
    attack reaches."""
    rows = csv[(csv["family"] == "worker") & (csv["design"] == "cross_section") & (csv["outcome"] == outcome)]
    shown = _shown(rows)
    unit = str(rows["treatment"].iloc[0]) if len(rows) else ""
    hidden = [g for g, m in shown.items() if m is None and g not in (POOLED, unit)]
    if shown.get(POOLED) is not None and hidden:  # the pooled group less the authorities shown
        parts = [m for g, m in shown.items() if g not in (POOLED, unit, *hidden)]
        shown["+".join(sorted(hidden))] = tuple(
            a - sum(p[k] for p in parts) for k, a in enumerate(shown[POOLED])
        )
    out = {}
    for group, m in shown.items():
        if m is None or m[0] < 1:
            continue
        f = _counts(*m)
        for k, v in enumerate(SCALE):
            if len(f):
                out[f"a:{group}:{v}"] = (int(f[:, k].min()), int(f[:, k].max()))
    return out


def answers_recovered(ranges: dict[str, tuple[int, int]], truth: dict[str, int], t: int) -> list[str]:
    """Planted answer counts from 1 to t (``truth``: ``a:<group>:<answer>`` -> count) that the
    attack pins: all consistent counts at least 1 and within t of each other."""
    out = []
    for key, value in truth.items():
        if key not in ranges:
            continue
        low, high = ranges[key]
        assert low <= value <= high, (key, low, high, value)
        if low >= 1 and high - low <= t:
            out.append(f"{key} = {value} in [{low}, {high}]")
    return out


def answer_truth(answers: dict[str, list[int]], t: int) -> dict[str, int]:
    """The planted answer counts from 1 to t of each authority and of the pooled conventional
    group (``answers``: authority -> its answers; conventional ones all but ``unit``)."""
    out = {}
    for group, values in answers.items():
        counts = np.bincount(np.asarray(values, dtype=int), minlength=6)[1:]
        out.update({f"a:{group}:{v}": int(c) for v, c in zip(SCALE, counts, strict=True) if 1 <= c <= t})
    return out


def small_together(answers: dict[str, list[int]], unit: str, t: int) -> dict[str, list[int]]:
    """``answers`` with the conventional authorities of 1 to t people joined into one group, as
    the attack sees them when they are the ones hidden."""
    small = sorted(g for g, v in answers.items() if g != unit and 1 <= len(v) <= t)
    if len(small) < 2:
        return {}
    return {"+".join(small): [x for g in small for x in answers[g]]}
