"""Statistical disclosure control: applied to results before anything reaches a report or a file.

Two rule sets (spec key ``disclosure_rules``; every report says which one it applied):

- ``"default"``: counts from 1 to t are suppressed, t = the spec's ``disclosure_threshold`` (default 5).
- ``"dfe"``: the Department for Education's rules for its children's social care statistics: counts
  from 1 to 7 are suppressed (t = 7), and sub-national counts for years from 2012 on are rounded to
  the nearest 5 before publication (national figures are not rounded).

Rules, with threshold t:

1. A count from 1 to t is suppressed and shown as ``c``. In the survey families (worker, parent), a
   group of 1 to t people (``n_treatment``, ``n_comparison``) suppresses every statistic of its row,
   since each describes those people. (In the admin and cost families n counts authorities.)
2. A proportion whose numerator (events) or complement (non-events), recovered as value x n, is from
   1 to t is suppressed, with every column derived from it on that row (difference, effect size, CI,
   test statistic).
3. A count indicator (looked-after children, plans, placements) of 1 to t in an administrative row is
   suppressed with the percent change and estimates computed from it.
4. Zeros are shown: a true zero describes nobody (DfE publishes 0 as 0).
5. Secondary suppression in tables with totals: while a row or column has exactly one suppressed cell
   its value could be recovered by subtraction, so the next smallest non-zero cell of that row or
   column is suppressed too ("suppress the next smallest data item", DfE SFR methodology).
6. Every statistic of a suppressed group goes with it: SDs, test statistics, degrees of freedom,
   p-values (a Fisher p inverts to the count) and adjusted p-values; a shown adjusted p-value that
   is a multiple of a suppressed raw p-value (Holm, Bonferroni, BH) is suppressed too.
7. Report-wide secondary suppression (:func:`protect_table`): a pooled comparison ("unit vs all
   conventional") is the total of its per-authority rows, so while the suppressed parts of a pooled
   row are fewer than two, or hold t people or fewer together, or (proportions) together have no
   events or no non-events, the smallest shown part is suppressed too (or, with no part left, the
   pooled row's comparison). Survey groups suppressed in the respondents-per-authority table
   (:func:`group_counts`, rule 5) are suppressed in every row of their family.
8. Rates and percentages follow their numerators: a rate per 10,000 or a percentage whose count
   is suppressed, or whose count (value x denominator) is from 1 to t, is suppressed with it, in the
   results table and in the series (:func:`protect_series`).

Identifiers (``case_id``, ``respondent_id``, ``CHILD``, ``UPN``, postcodes, names) never enter the
results table; :func:`protect` refuses a table that has such columns.

May import: the indicator vocabulary of :mod:`rsw_eval.io`, :mod:`rsw_eval.stats` and
:mod:`rsw_eval.designs` (the results columns); never evaluation, report or cli.
"""

from rsw_eval.disclosure._secondary import RATES, group_counts, protect_series, protect_table
from rsw_eval.disclosure._suppress import (
    COUNT_OUTCOMES,
    DERIVED,
    IDENTIFIER_COLUMNS,
    RULE_SETS,
    SIDES,
    STATISTICS,
    RuleSet,
    Suppression,
    protect,
    rule_set,
    suppress_counts,
)

__all__ = [
    "COUNT_OUTCOMES",
    "DERIVED",
    "IDENTIFIER_COLUMNS",
    "RATES",
    "RULE_SETS",
    "SIDES",
    "STATISTICS",
    "RuleSet",
    "Suppression",
    "group_counts",
    "protect",
    "protect_series",
    "protect_table",
    "rule_set",
    "suppress_counts",
]
