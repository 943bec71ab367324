"""Loading what a spec names: every input file of an evaluation, combined into one panel.

Owns: :func:`load_inputs` (only the families asked for), :class:`Inputs` (the loaded data with
each file's hash), the choice of loader per ``[data]`` entry, the vintage rule for overlapping
files, the values of ``[derived]`` indicators and the data-coverage table.

May import: :mod:`rsw_eval.io` and :mod:`rsw_eval.spec`; never comparison, designs, evaluation or
anything later.

Examples
--------
>>> from rsw_eval.inputs import Inputs
>>> Inputs().files
[]
"""

from rsw_eval.inputs._load import FAMILY_DATA, load_inputs
from rsw_eval.inputs._model import Inputs

__all__ = ["FAMILY_DATA", "Inputs", "load_inputs"]
