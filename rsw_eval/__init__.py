"""rsw-eval: reproduce and re-run evaluations of Reclaiming Social Work.

This module is the public API (``__all__``; the table in docs/architecture.md says what each name
is). The package is one subpackage per pipeline stage: :mod:`rsw_eval.io` loads and validates data,
:mod:`rsw_eval.spec` says what to compare, :mod:`rsw_eval.inputs` loads what a spec names,
:mod:`rsw_eval.comparison` resolves comparators, :mod:`rsw_eval.designs` (with
:mod:`rsw_eval.stats` and :mod:`rsw_eval.inference`) computes, :mod:`rsw_eval.evaluation` runs
:func:`compare`, :mod:`rsw_eval.disclosure` protects and :mod:`rsw_eval.report` renders.

Attributes are imported on first use (PEP 562), so ``import rsw_eval`` and the command line's
``--help`` do not pay for pandas, SciPy and statsmodels until something needs them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rsw_eval._errors import DataError, GhqCodingWarning, Problem, RswEvalError, RswEvalWarning, SpecError
from rsw_eval._lazy import lazy
from rsw_eval._version import __version__

if TYPE_CHECKING:  # what the lazy attributes are, for type checkers and editors
    from rsw_eval import stats
    from rsw_eval.comparison import neighbours as comparators
    from rsw_eval.designs._rows import RESULT_COLUMNS
    from rsw_eval.evaluation.engine import compare
    from rsw_eval.evaluation.results import Results
    from rsw_eval.evaluation.screen import national_screen
    from rsw_eval.inputs._derived import DerivedWarning
    from rsw_eval.inputs._vintages import VintageWarning
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
    from rsw_eval.spec import EvaluationSpec, default_sample_spec, load_spec

#: Lazy attribute -> the module that defines it.
_LAZY = {
    "RESULT_COLUMNS": "rsw_eval.designs._rows",
    "DerivedWarning": "rsw_eval.inputs._derived",
    "EvaluationSpec": "rsw_eval.spec",
    "Results": "rsw_eval.evaluation.results",
    "VintageWarning": "rsw_eval.inputs._vintages",
    "compare": "rsw_eval.evaluation.engine",
    "default_sample_spec": "rsw_eval.spec",
    "load_costs": "rsw_eval.io",
    "load_dfe_table": "rsw_eval.io",
    "load_outturn": "rsw_eval.io",
    "load_parent_survey": "rsw_eval.io",
    "load_spec": "rsw_eval.spec",
    "load_sfr_table": "rsw_eval.io",
    "load_ssda903": "rsw_eval.io",
    "load_worker_survey": "rsw_eval.io",
    "national_screen": "rsw_eval.evaluation.screen",
    "score_ghq12": "rsw_eval.io",
}
#: Lazy module attributes: public name -> module.
_MODULES = {"comparators": "rsw_eval.comparison.neighbours", "stats": "rsw_eval.stats"}

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


__getattr__, __dir__ = lazy(globals(), _LAZY, _MODULES)
