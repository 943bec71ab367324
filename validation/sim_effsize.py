"""Hedges' g beside Welch's test: coverage of the Welch-type interval the engine reports.

The pooled-SD interval (exact only with equal variances) covered 85% at n 10 vs 30 with SDs 2:1;
the engine's g uses the root-mean-square SD with Welch df, consistent with Welch's test.
"""

from __future__ import annotations

import numpy as np

from rsw_eval.stats._effsize import d_from_summary
from rsw_eval.stats._ttest import t_from_summary
from validation._harness import Record


def run(reps: int, seed: int) -> list[Record]:
    rng = np.random.default_rng(seed)
    out = []
    for n1, n2, s1, s2 in ((10, 30, 2, 1), (10, 30, 1, 2), (30, 30, 2, 1), (20, 60, 1, 1), (8, 8, 1, 1)):
        x0 = rng.normal(0, s1, (reps, n1))
        y = rng.normal(0, s2, (reps, n2))
        stats_y = (y.mean(1), y.std(1, ddof=1), n2)
        null = t_from_summary(
            x0.mean(1),
            x0.var(1, ddof=1),
            n1,
            stats_y[0],
            stats_y[1] ** 2,
            n2,
            equal_var=False,
            confidence=0.95,
        )
        x = x0 + 0.5
        delta = 0.5 / np.sqrt((s1**2 + s2**2) / 2)
        g = d_from_summary(x.mean(1), x.std(1, ddof=1), n1, *stats_y, kind="g_avg", confidence=0.95)
        out.append(
            Record(
                "survey mean difference: Welch t; Hedges' g (RMS SD, Welch df, nct CI)",
                f"n {n1} vs {n2}, SD {s1}:{s2}",
                reps,
                rejections=int((null["p_value"] < 0.05).sum()),
                covered=int(((g["ci_low"] <= delta) & (delta <= g["ci_high"])).sum()),
                note="size of Welch's test; coverage of g's interval at a true difference of 0.5 raw units",
            )
        )
    return out
