"""One home for inference that every design shares.

Designs compute estimates; this package turns estimates and their reference distributions into
p-values and intervals whose stated level is true for the data shape at hand: permutation and
placebo-in-space tests (exact rank p-values, the attainable confidence with k comparators),
intervals by inverting those tests (so that interval and p-value always agree), and (as the
designs need them) wild and multiplier bootstraps and small-sample corrections; and how robust an
event-study conclusion is to violations of parallel trends (:func:`sensitivity`, HonestDiD).
Every function works on plain arrays; nothing here knows of files, specs or reports.

May import: :mod:`rsw_eval.stats` and ``rsw_eval._errors`` only.

The HonestDiD names are imported on first use (PEP 562, as :mod:`rsw_eval.stats`): they need SciPy,
which importing the package (the screen, the loaders' checks) must not load.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rsw_eval._lazy import lazy
from rsw_eval.inference._inversion import achieved_level, invert_permutation
from rsw_eval.inference._multiplier import MultiplierBootstrap, multiplier_bootstrap, sup_t_critical_value
from rsw_eval.inference._permutation import attainable_confidence, rank_p_value
from rsw_eval.inference._power import (
    detection_thresholds,
    mde_from_thresholds,
    mde_range,
    power_from_thresholds,
)
from rsw_eval.inference._randomisation import assignment_weights, linear_statistics, pool_weights
from rsw_eval.inference._stepdown import standardise, stepdown

if TYPE_CHECKING:
    from rsw_eval.inference._honest import Sensitivity, pretrend_test, sensitivity

#: Public names that need SciPy -> the module that defines them.
_LAZY = dict.fromkeys(("Sensitivity", "pretrend_test", "sensitivity"), "rsw_eval.inference._honest")

__all__ = [
    "MultiplierBootstrap",
    "Sensitivity",
    "achieved_level",
    "assignment_weights",
    "attainable_confidence",
    "detection_thresholds",
    "invert_permutation",
    "linear_statistics",
    "mde_from_thresholds",
    "mde_range",
    "multiplier_bootstrap",
    "pool_weights",
    "power_from_thresholds",
    "pretrend_test",
    "rank_p_value",
    "sensitivity",
    "standardise",
    "stepdown",
    "sup_t_critical_value",
]


__getattr__, __dir__ = lazy(globals(), _LAZY)
