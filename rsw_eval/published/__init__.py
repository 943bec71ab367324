"""The figures the evaluations published, and the checks of a results table against them.

Owns: :class:`PublishedFigure` (one published claim, with its source, authority, period and scope),
:data:`PUBLISHED` (the registry of the seed articles' figures), :func:`match_published` (each figure
checked only against rows making the same claim) and the official-statistics check
(:func:`rsw_eval.published._official.official_check`: each figure beside the public series that
measures it).

May import: :mod:`rsw_eval.inputs` (year helpers) and the packages below it; never the evaluation,
disclosure, report or cli stages.

Examples
--------
>>> from rsw_eval.published import PUBLISHED
>>> PUBLISHED[0].key
'cost_change'
"""

from rsw_eval.published._figure import ALPHA, SCOPES, SOURCES, PublishedFigure
from rsw_eval.published._match import match_published
from rsw_eval.published._registry import PUBLISHED

__all__ = ["ALPHA", "PUBLISHED", "SCOPES", "SOURCES", "PublishedFigure", "match_published"]
