"""The permutation distribution of a row's test, labelled by who is treated in each assignment.

A family of rows tested by permutation over the same authorities has a *joint* permutation
distribution: assignment a gives every row's statistic at once. The engine's step-down adjustment
(:mod:`rsw_eval.evaluation._adjustment`) uses it so that correlated indicators do not pay a
Bonferroni price; rows carry it under the private key :data:`PLACEBO_KEY` (never a results column).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from rsw_eval.designs._panel import permutation_weights
from rsw_eval.inference import linear_statistics

__all__ = ["PLACEBO_KEY", "placebo_statistics"]

#: Key of a row dict holding its labelled permutation statistics (popped by the engine).
PLACEBO_KEY = "_placebo"


def placebo_statistics(
    delta: np.ndarray,
    scale: np.ndarray,
    codes: Sequence[str],
    *,
    n_treated: int,
    n_comparators: int,
    seed: int = 0,
) -> dict[str, object]:
    """Studentised statistics of every assignment the row's test compares, with their labels.

    Parameters
    ----------
    delta, scale : ndarray, shape (n_units,)
        As for :func:`rsw_eval.designs._panel.panel_permutation` (treated, comparators, pool).
    codes : sequence of str
        The authority of each unit.
    n_treated, n_comparators : int
        As for the test.
    seed : int
        As for the test (sampled assignments).

    Returns
    -------
    dict
        ``labels``: the authorities treated in each assignment (joined with "+"; index 0 the
        observed one); ``stats``: :math:`T_a = u_a / s_a`, the statistic the test ranks.

    Examples
    --------
    >>> out = placebo_statistics(np.array([3.0, 0.0, 1.0, -1.0]), np.ones(4), ["T", "A", "B", "C"],
    ...                          n_treated=1, n_comparators=3)
    >>> out["labels"], [round(float(t), 3) for t in out["stats"]]
    (['T', 'A', 'B', 'C'], [2.598, -0.866, 0.289, -2.021])
    """
    weights = permutation_weights(len(delta), n_treated, n_comparators, seed=seed)
    m = weights.shape[1]
    u, _, s = linear_statistics(np.asarray(delta)[:m], np.asarray(scale)[:m], weights, range(n_treated))
    labels = ["+".join(sorted(codes[i] for i in np.flatnonzero(w > 0))) for w in weights]
    with np.errstate(invalid="ignore", divide="ignore"):
        return {"labels": labels, "stats": u / s}
