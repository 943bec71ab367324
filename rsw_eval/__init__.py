"""rsw-eval: reproduce and re-run evaluations of Reclaiming Social Work.

The package is layered (see DESIGN.md): :mod:`rsw_eval.io` loads and validates data,
:mod:`rsw_eval.stats` holds the estimators (usable on their own on two arrays),
:mod:`rsw_eval.designs` the comparison designs, and :func:`compare` runs an evaluation spec.

Attributes are imported on first use (PEP 562), so ``import rsw_eval`` and the command line's
``--help`` do not pay for pandas, SciPy and statsmodels until something needs them.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from rsw_eval._errors import DataError, GhqCodingWarning, Problem, RswEvalError, RswEvalWarning, SpecError
from rsw_eval._version import __version__

if TYPE_CHECKING:  # what the lazy attributes are, for type checkers and editors
    from rsw_eval import comparators, stats
    from rsw_eval._derived import DerivedWarning
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
    from rsw_eval.screen import national_screen
    from rsw_eval.spec import EvaluationSpec, default_sample_spec, load_spec

#: Lazy attribute -> the module that defines it (a module itself when the name is the module).
_LAZY = {
    "RESULT_COLUMNS": "rsw_eval.designs._rows",
    "DerivedWarning": "rsw_eval._derived",
    "EvaluationSpec": "rsw_eval.spec",
    "Results": "rsw_eval.results",
    "VintageWarning": "rsw_eval._vintages",
    "comparators": "rsw_eval.comparators",
    "compare": "rsw_eval.engine",
    "default_sample_spec": "rsw_eval.spec",
    "load_costs": "rsw_eval.io",
    "load_dfe_table": "rsw_eval.io",
    "load_outturn": "rsw_eval.io",
    "load_parent_survey": "rsw_eval.io",
    "load_spec": "rsw_eval.spec",
    "load_sfr_table": "rsw_eval.io",
    "load_ssda903": "rsw_eval.io",
    "load_worker_survey": "rsw_eval.io",
    "national_screen": "rsw_eval.screen",
    "score_ghq12": "rsw_eval.io",
    "stats": "rsw_eval.stats",
}

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
    "national_screen",
    "score_ghq12",
    "stats",
]


def __getattr__(name: str) -> Any:
    where = _LAZY.get(name)
    if where is None:
        raise AttributeError(f"module 'rsw_eval' has no attribute {name!r}")
    module = importlib.import_module(where)
    value = module if where == f"rsw_eval.{name}" else getattr(module, name)
    globals()[name] = value  # later look-ups skip __getattr__
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
