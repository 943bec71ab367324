"""A national-size worker survey for the survey benchmarks (and the equality tests).

``survey(n)``: ``n`` respondents in 150 authorities (a third in the unit model), 20 units or teams
per authority, four outcomes of the four kinds ``compare_workers`` treats (continuous
``ghq_score`` and ``practice_quality``, Likert ``job_satisfaction``, yes/no
``no_time_for_reflection``); unit ICC 0.12, authority 5% of the variance. Passed through
``rsw_eval.io.load_worker_survey`` so the dtypes are those a user's file gets. With 100
conventional authorities, ``compare_workers`` makes 4 x 101 CR2 comparisons (all conventional, then
each authority) and one Brown-Forsythe CR2 comparison: 405, the count of issue 22.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

OUTCOMES = ("ghq_score", "practice_quality", "job_satisfaction", "no_time_for_reflection")


def raw_survey(n: int, *, authorities: int = 150, units: int = 20, seed: int = 22) -> pd.DataFrame:
    """The survey as a user's file would hold it (text labels, "yes"/"no")."""
    rng = np.random.default_rng(seed)
    n_units = authorities * units
    unit = rng.integers(0, n_units, n)
    unit[:n_units] = np.arange(n_units)  # every unit has someone
    auth = unit // units
    treated = auth < authorities // 3
    shared = rng.normal(0, np.sqrt(0.05), authorities)[auth] + rng.normal(0, np.sqrt(0.12), n_units)[unit]

    def latent(effect: float) -> np.ndarray:
        return shared + rng.normal(0, np.sqrt(0.83), n) + effect * treated

    frame = pd.DataFrame(
        {
            "respondent_id": np.char.add("W", np.arange(n).astype(str)),
            "authority": np.char.add("LA ", auth.astype(str)),
            "unit": np.char.add(
                np.char.add("A", auth.astype(str)), np.char.add("-U", (unit % units).astype(str))
            ),
            "model": np.where(treated, "unit", "conventional"),
            "ghq_score": np.round(np.clip(12 + 4 * latent(-0.3), 0, 36), 1),
            "practice_quality": np.round(np.clip(3.2 + 0.5 * latent(0.3), 1, 5), 2),
            "job_satisfaction": np.clip(np.round(3 + latent(0.4)), 1, 5).astype(int),
            "no_time_for_reflection": np.where(latent(-0.5) > 0.3, "yes", "no"),
        }
    )
    frame.loc[rng.random(n) < 0.01, "ghq_score"] = np.nan  # item non-response
    return frame


def survey(n: int, **kwargs) -> pd.DataFrame:
    """:func:`raw_survey` loaded by ``rsw_eval.io.load_worker_survey`` (canonical dtypes)."""
    from rsw_eval.io import load_worker_survey

    return load_worker_survey(raw_survey(n, **kwargs))
