"""Who is compared with whom: comparator and donor authorities, resolved once per data set.

Owns: :func:`resolve` (treated authorities, their comparators and donors, absent authorities,
names, neighbour rank and closeness; ``compare(spec, authority=X)`` resolves X's own neighbours)
and :mod:`rsw_eval.comparison.neighbours` (DfE statistical neighbours, or nearest neighbours on
your own data; public as ``rsw_eval.comparators``).

May import: :mod:`rsw_eval.io` and :mod:`rsw_eval.spec`; never inputs, designs, evaluation or
anything later.

Examples
--------
>>> from rsw_eval.comparison import authorities
>>> authorities(["E09000012", "E92000001"])
['E09000012']
"""

from rsw_eval.comparison import neighbours
from rsw_eval.comparison._resolve import ENGLAND, Comparison, authorities, resolve

__all__ = ["ENGLAND", "Comparison", "authorities", "neighbours", "resolve"]
