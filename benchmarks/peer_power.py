"""The plain script a user would write for what rsw-eval's MDE and step-down do (no rsw_eval import).

For each indicator on the log scale: each authority's pre/post change and its studentised
statistic against the mean change of the treated authority's ten comparators; the minimum
detectable fall by brute force (each donor-pool authority in turn as the treated one, an effect
added on a grid, the rank test rerun, 80% of pseudo experiments with the same plotting position
rsw-eval uses); the Westfall-Young maxT step-down by explicit loops over the indicators.

``python benchmarks/peer_power.py PANEL.csv`` prints the MDE per indicator and the adjusted p-values.
"""

from __future__ import annotations

import math
import sys

import numpy as np
import pandas as pd

GRID = np.arange(0.0, 10.0, 0.001)  # effects tried, in SEs of the statistic


def statistics(panel: pd.DataFrame, indicator: str, treated: str, comparators: list[str], pool: list[str]):
    wide = panel.pivot(index="new_la_code", columns="time_period", values=indicator).sort_index(axis=1)
    units = [treated, *comparators, *pool]
    y = np.log(wide.loc[units].to_numpy(dtype=float))
    post = wide.columns.to_numpy() >= 2008
    change = y[:, post].mean(axis=1) - y[:, ~post].mean(axis=1)
    resid = y - y.mean(axis=0)
    resid = resid - np.where(
        post, resid[:, post].mean(axis=1, keepdims=True), resid[:, ~post].mean(axis=1, keepdims=True)
    )
    se = np.sqrt((resid**2).sum(axis=1) / (post.size - 2)) * math.sqrt(1 / post.sum() + 1 / (~post).sum())
    k = len(comparators)
    centre = change[1 : 1 + k].mean()
    extra = (se[1 : 1 + k] ** 2).sum() / k**2
    ranked = [0, *range(1 + k, len(units))]  # the treated and the pool, each against the comparators
    t = np.array([(change[i] - centre) / math.sqrt(se[i] ** 2 + extra) for i in ranked])
    s = np.array([math.sqrt(se[i] ** 2 + extra) for i in ranked])
    return t, s


def mde(t: np.ndarray, s: np.ndarray, alpha: float = 0.05, power: float = 0.8) -> float:
    """Smallest fall (log scale, in units of the treated statistic's SE) detected in ``power`` of
    the pseudo experiments, by brute force."""
    pool_t = t[1:]
    n = pool_t.size
    c = max(1, round(alpha * n))  # rejections allowed among the n - 1 placebos + itself
    thresholds = []
    for j in range(n):
        others = np.abs(np.delete(pool_t, j))
        critical = np.sort(others)[::-1][c - 1]
        for sign in (-1, 1):
            detected = [q for q in GRID if sign * pool_t[j] - q < -critical - 1e-12]
            thresholds.append(detected[0] if detected else math.inf)
    thresholds = np.sort(thresholds)
    r = math.ceil(power * (thresholds.size + 1) - 1e-9)
    return float(thresholds[r - 1] * s[0])


def westfall_young(stats: np.ndarray) -> np.ndarray:
    """maxT step-down by loops; ``stats`` (tests, permutations) with the observed first, each row
    divided by the median of its absolute values."""
    z = np.abs(stats) / np.median(np.abs(stats), axis=1, keepdims=True)
    order = list(np.argsort(-z[:, 0]))
    out = np.zeros(z.shape[0])
    running = 0.0
    for step, test in enumerate(order):
        rest = order[step:]
        count = 0
        for a in range(z.shape[1]):
            if max(z[r, a] for r in rest) >= z[test, 0] - 1e-12 * z[test, 0]:
                count += 1
        running = max(running, count / z.shape[1])
        out[test] = running
    return out


def main(path: str, treated: str, comparators: list[str], pool: list[str], indicators: list[str]):
    panel = pd.read_csv(path)
    rows = [statistics(panel, i, treated, comparators, pool) for i in indicators]
    mdes = {i: 100 * (math.exp(-mde(t, s)) - 1) for i, (t, s) in zip(indicators, rows, strict=True)}
    adjusted = westfall_young(np.array([t for t, _ in rows]))
    return mdes, dict(zip(indicators, adjusted, strict=True))


if __name__ == "__main__":
    frame = pd.read_csv(sys.argv[1])
    codes = list(dict.fromkeys(frame["new_la_code"]))
    counts = ["children_looked_after", "cp_plans_started", "cp_plans_repeat", "residential_placements"]
    print(main(sys.argv[1], codes[0], codes[1:11], codes[11:], counts))
