"""rsw-eval: reproduce and re-run evaluations of Reclaiming Social Work.

The package is layered (see DESIGN.md): :mod:`rsw_eval.io` loads and validates data,
:mod:`rsw_eval.stats` holds the estimators (usable on their own on two arrays),
:mod:`rsw_eval.designs` the comparison designs, and :func:`compare` runs an evaluation spec.
"""

from rsw_eval import comparators, stats
from rsw_eval._derived import DerivedWarning
from rsw_eval._errors import DataError, GhqCodingWarning, Problem, RswEvalError, RswEvalWarning, SpecError
from rsw_eval._version import __version__
from rsw_eval._vintages import VintageWarning
from rsw_eval.designs._rows import RESULT_COLUMNS
from rsw_eval.engine import compare
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
from rsw_eval.results import Results
from rsw_eval.spec import EvaluationSpec, default_sample_spec, load_spec

__all__ = [
    "RESULT_COLUMNS",
    "DataError",
    "DerivedWarning",
    "EvaluationSpec",
    "Problem",
    "Results",
    "RswEvalError",
    "RswEvalWarning",
    "GhqCodingWarning",
    "SpecError",
    "VintageWarning",
    "__version__",
    "comparators",
    "compare",
    "default_sample_spec",
    "load_costs",
    "load_dfe_table",
    "load_outturn",
    "load_parent_survey",
    "load_spec",
    "load_sfr_table",
    "load_ssda903",
    "load_worker_survey",
    "score_ghq12",
    "stats",
]
