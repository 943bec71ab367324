"""rsw-eval: reproduce and re-run evaluations of Reclaiming Social Work.

The package is layered (see DESIGN.md): :mod:`rsw_eval.io` loads and validates data and
:mod:`rsw_eval.stats` holds the estimators, usable on their own on two arrays.
"""

from rsw_eval import comparators, stats
from rsw_eval._errors import DataError, Problem, RswEvalError, RswEvalWarning, SpecError
from rsw_eval._version import __version__
from rsw_eval.io import (
    load_costs,
    load_dfe_table,
    load_outturn,
    load_parent_survey,
    load_sfr_table,
    load_ssda903,
    load_worker_survey,
    score_ghq12,
)

__all__ = [
    "DataError",
    "Problem",
    "RswEvalError",
    "RswEvalWarning",
    "SpecError",
    "__version__",
    "comparators",
    "load_costs",
    "load_dfe_table",
    "load_outturn",
    "load_parent_survey",
    "load_sfr_table",
    "load_ssda903",
    "load_worker_survey",
    "score_ghq12",
    "stats",
]
