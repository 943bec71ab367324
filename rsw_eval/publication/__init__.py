"""The publication: one protected object every output is rendered from.

What a run can emit (the results CSV/JSON/Parquet and their side files, ``compare``'s summary on
stdout, the reports' HTML and PDF, their charts and alt text, ``screen``'s table and chart) is derived
from a :class:`Publication`, never from the raw results:

- :func:`protect_inputs` protects the administrative panel before any design runs, so every panel
  estimate is a function of publishable values only (:mod:`rsw_eval.publication._inputs`);
- :func:`count_rules` says which indicators are counts (rsw-eval's, the spec's ``counts``, and
  every indicator that can only be one), for every rule that asks;
- :func:`publish` protects the results table (the survey rows' counts in a
  :class:`~rsw_eval.disclosure.Ledger`, audited by the interval attack of
  :func:`rsw_eval.disclosure.protect_ledger`), the published-figure check and the
  respondents-per-authority table, and records how every published number relates to the counts.

May import: io, spec, inputs, stats, designs, published and disclosure (the rules and the auditor);
never evaluation, report or cli (which render from it).
"""

from rsw_eval.disclosure import rule_set
from rsw_eval.publication._counts import count_rules, counts_said
from rsw_eval.publication._inputs import protect_inputs, protect_panel, protected_panel, published_overlaps
from rsw_eval.publication._ledger import survey_ledger
from rsw_eval.publication._publication import SUPPRESSED, Publication, publish
from rsw_eval.publication._secondary import hidden_rows
from rsw_eval.publication._survey_cells import POOLED, SURVEY_FAMILIES, SurveyCells
from rsw_eval.publication._table import column_role, protect_table

__all__ = [
    "POOLED",
    "SUPPRESSED",
    "SURVEY_FAMILIES",
    "Publication",
    "SurveyCells",
    "column_role",
    "count_rules",
    "counts_said",
    "hidden_rows",
    "protect_inputs",
    "protect_panel",
    "protected_panel",
    "protect_table",
    "publish",
    "published_overlaps",
    "rule_set",
    "survey_ledger",
]
