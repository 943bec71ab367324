"""What to compare: the evaluation spec, from TOML or built in Python.

Owns: :class:`EvaluationSpec`, :func:`load_spec`, :func:`default_sample_spec` and the valid values
of every key (:data:`DESIGNS`, :data:`FAMILIES`, :data:`ADJUST_METHODS`, :data:`DONOR_POOLS`).

May import: :mod:`rsw_eval.io` (authority codes) and ``rsw_eval.inputs._derived`` (to parse
``[derived]`` formulas when a spec is built); nothing that runs an evaluation.

Examples
--------
>>> from rsw_eval.spec import DESIGNS
>>> "did" in DESIGNS
True
"""

from rsw_eval.spec._spec import (
    ADJUST_METHODS,
    DESIGNS,
    DONOR_POOLS,
    FAMILIES,
    EvaluationSpec,
    default_sample_spec,
    load_spec,
)

__all__ = [
    "ADJUST_METHODS",
    "DESIGNS",
    "DONOR_POOLS",
    "FAMILIES",
    "EvaluationSpec",
    "default_sample_spec",
    "load_spec",
]
