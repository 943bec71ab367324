"""Synthetic worker and parent surveys shaped like Forrester et al. (2013): one unit-model authority and
two conventional comparators, workers nested in units or teams.

Every random draw comes from the one generator passed in, in a fixed order, so a seed fixes the bytes.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from rsw_eval.io._ghq import GHQ_ITEMS

#: (authority, model, respondents, group-size range) of the worker sample.
AUTHORITIES = (
    ("Unit-model LA", "unit", 100, (5, 7)),
    ("Comparator LA 1", "conventional", 100, (8, 12)),
    ("Comparator LA 2", "conventional", 100, (8, 12)),
)
#: Share of staff with no time for critical reflection. Targets from Cross, Hubbard & Munro (2010),
#: as reported by Community Care: "more than half" in old-style teams, "less than one in five" in units.
NO_REFLECTION = {"unit": 0.18, "conventional": 0.55}
#: Parent contacts per week; ratio 2.5, inside "2 to 3 times more" (Forrester et al. 2013, DfE case study).
CONTACT_RATE = {"unit": 0.9, "conventional": 0.36}
FAMILIES_PER_AUTHORITY = 60
RATING_ITEMS = (
    "rating_overall",
    "rating_listened",
    "rating_understood",
    "rating_helpful",
    "rating_reliable",
)
UNIT_ROLES = (
    "consultant social worker",
    "clinician",
    "children's practitioner",
    "unit coordinator",
    "social worker",
)
TEAM_ROLES = ("team manager", "senior practitioner")
WAVE = 2012
ICC_TARGET = 0.10  # share of latent variance between units/teams


def _group_sizes(rng: np.random.Generator, total: int, low: int, high: int) -> list[int]:
    sizes: list[int] = []
    while sum(sizes) < total:
        sizes.append(int(rng.integers(low, high + 1)))
    sizes[-1] -= sum(sizes) - total
    if sizes[-1] < low:  # fold a too-small last group into the others
        spare = sizes.pop()
        for i in range(spare):
            sizes[i % len(sizes)] += 1
    return sizes


def _likert(latent: np.ndarray, cuts: tuple[float, ...]) -> np.ndarray:
    return 1 + np.searchsorted(np.asarray(cuts), latent)


def _exact_share(rng: np.random.Generator, propensity: np.ndarray, share: float) -> np.ndarray:
    """True for exactly round(share * n) rows, chosen by highest propensity (keeps clustering)."""
    k = round(share * len(propensity))
    order = np.argsort(-(propensity + rng.normal(0, 1e-9, len(propensity))), kind="stable")
    out = np.zeros(len(propensity), dtype=bool)
    out[order[:k]] = True
    return out


def worker_survey(rng: np.random.Generator) -> pd.DataFrame:
    """Synthetic worker survey: ~100 respondents in each of three authorities."""
    frames = []
    for a_index, (authority, model, n, (low, high)) in enumerate(AUTHORITIES):
        sizes = _group_sizes(rng, n, low, high)
        prefix = "U" if model == "unit" else f"T{a_index}"
        group = np.repeat([f"{prefix}{g + 1:02d}" for g in range(len(sizes))], sizes)
        position = np.concatenate([np.arange(s) for s in sizes])
        roles = UNIT_ROLES if model == "unit" else TEAM_ROLES
        role = np.where(
            position < len(roles),
            np.asarray(roles)[np.minimum(position, len(roles) - 1)],
            "social worker",
        )
        between = rng.normal(0, np.sqrt(ICC_TARGET), len(sizes))
        group_effect = np.repeat(between, sizes)
        unit_model = model == "unit"
        stress = (-0.55 if unit_model else 0.0) + group_effect + rng.normal(0, np.sqrt(1 - ICC_TARGET), n)
        items = np.clip(np.round(1.1 + 0.75 * stress[:, None] + rng.normal(0, 0.6, (n, 12))), 0, 3)
        items[rng.random((n, 12)) < 0.01] = np.nan  # item non-response
        satisfaction = (0.5 if unit_model else 0.0) + group_effect + rng.normal(0, 1, n)
        confidence = (0.4 if unit_model else 0.0) + 0.5 * group_effect + rng.normal(0, 1, n)
        reflection = _exact_share(rng, group_effect + rng.normal(0, 1, n), NO_REFLECTION[model])
        violence = rng.random(n) < (0.22 if unit_model else 0.38)
        quality = np.clip(rng.normal(3.5, 0.35, n) if unit_model else rng.normal(3.1, 0.7, n), 1, 5)
        frame = pd.DataFrame(
            {
                "respondent_id": [f"W{a_index + 1}{i + 1:03d}" for i in range(n)],
                "authority": authority,
                "unit": group,
                "model": model,
                "role": role,
                "wave": WAVE,
            }
        )
        for j, name in enumerate(GHQ_ITEMS):
            frame[name] = pd.array(items[:, j], dtype="Float64").astype("Int64")
        frame["job_satisfaction"] = _likert(satisfaction, (-1.6, -0.6, 0.3, 1.2))
        frame["confidence_assessment"] = _likert(confidence, (-1.8, -0.8, 0.2, 1.1))
        frame["practice_quality"] = np.round(quality, 2)
        frame["no_time_for_reflection"] = np.where(reflection, "yes", "no")
        frame["reflection_hours_per_week"] = np.round(rng.gamma(2.0, (1.6 if unit_model else 0.6), n), 1)
        frame["pct_time_direct_work"] = np.round(
            np.clip(rng.normal(42 if unit_model else 26, 9, n), 0, 100), 0
        )
        frame["experienced_violence"] = np.where(violence, "yes", "no")
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


def parent_survey(rng: np.random.Generator) -> pd.DataFrame:
    """Synthetic parent survey: 60 families per authority, ratings 1-5 and contact counts."""
    frames = []
    for a_index, (authority, model, _, _) in enumerate(AUTHORITIES):
        n = FAMILIES_PER_AUTHORITY
        unit_model = model == "unit"
        satisfaction = (0.5 if unit_model else 0.0) + rng.normal(0, 1, n)
        frame = pd.DataFrame(
            {
                "case_id": [f"F{a_index + 1}{i + 1:03d}" for i in range(n)],
                "authority": authority,
                "model": model,
            }
        )
        for item in RATING_ITEMS:
            latent = 0.8 * satisfaction + rng.normal(0, 0.6, n)
            frame[item] = _likert(latent, (-1.7, -0.9, -0.1, 0.8))
        weeks = rng.integers(8, 27, n)
        mean = CONTACT_RATE[model] * weeks
        shape = 4.0  # negative binomial: variance = mean + mean^2 / shape
        frame["contacts"] = rng.poisson(rng.gamma(shape, mean / shape))
        frame["weeks_observed"] = weeks
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)
