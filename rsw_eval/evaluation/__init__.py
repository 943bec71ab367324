"""Running an evaluation: every design the spec asks for, for one authority, into one Results.

Owns: :func:`compare` (``engine``: loads the inputs, resolves comparators, runs each design, adjusts
for multiplicity, interprets each row), :class:`Results` (the tidy table, the skipped analyses, the
coverage, the official-statistics check, provenance), :func:`national_screen` (every authority at
once), the reading of a row (``interpret``), the multiplicity families (``_adjustment``) and the
engine's skip records (``_skips``).

May import: io, spec, inputs, comparison, stats, inference, designs, published and disclosure;
never report or cli.

Names are imported on first use, so importing one module of the stage does not load every design.

Examples
--------
>>> from rsw_eval.evaluation import compare
>>> compare.__name__
'compare'
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rsw_eval._lazy import lazy

if TYPE_CHECKING:
    from rsw_eval.evaluation.engine import compare
    from rsw_eval.evaluation.results import Results
    from rsw_eval.evaluation.screen import national_screen

_LAZY = {
    "compare": "rsw_eval.evaluation.engine",
    "Results": "rsw_eval.evaluation.results",
    "national_screen": "rsw_eval.evaluation.screen",
}

__all__ = ["Results", "compare", "national_screen"]


__getattr__, __dir__ = lazy(globals(), _LAZY)
