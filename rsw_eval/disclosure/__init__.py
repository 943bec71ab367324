"""Statistical disclosure control: the rules, the series protection and the auditor.

Two rule sets (spec key ``disclosure_rules``; every report says which one it applied):

- ``"default"``: counts from 1 to t are suppressed, t = the spec's ``disclosure_threshold``
  (default 5; a threshold below 1 is an error).
- ``"dfe"``: the Department for Education's rules, each administrative figure under the rule of
  the release it came from (:func:`row_rules`; the registry ``rsw_eval/data/dfe_release_rules.csv``
  read by :func:`rsw_eval.io.release_rule`, keyed by the panel row's ``source`` file, ``year`` and
  level: local authority, or regional and national for England's and the regions' rows). E.g.
  children looked after 2019-2025: authorities' counts 1-5 suppressed and not rounded, regional and
  national counts rounded to 10; LAA1 2006-2010: rounded to 5. Figures of releases the registry
  does not know (a council's own files, derived indicators) and survey counts take the fixed rule:
  counts from 1 to 7 suppressed (t = 7), sub-national administrative counts for years from 2012 on
  rounded to the nearest 5 (survey groups are not rounded: findings-q18att F12). The rule set's
  description lists the releases applied.

Rules, with threshold t (applied by :mod:`rsw_eval.publication`, which every output is rendered from):

1. A count of people from 1 to t is suppressed and shown as ``c``: a survey group of 1 to t people
   (``n_treatment``, ``n_comparison``), and on a yes/no outcome its events or non-events (share x n,
   (1 - share) x n) from 1 to t. A group's size on an item is those who answered it: the sizes of
   two items, or an item's and the respondents table's, differ by how many left one blank, which is
   published (as survey tables publish their bases): leaving a question blank is not a
   characteristic these rules protect (att11 F2). ``validate``, which describes a file to its
   owner, shows a column's missing count from 1 to t as "1 to t" all the same.
2. A side of a row goes as a whole: a suppressed group size takes its shares, means, SDs and rates
   with it (a full-precision share has one smallest denominator), and suppressed events take the
   share; every statistic computed from both groups goes with either (differences, effect sizes,
   intervals, test statistics, degrees of freedom, p-values, and any new numeric column).
3. Zeros are shown: a true zero describes nobody (DfE publishes 0 as 0).
4. Administrative series are protected before any design sees them (:func:`protect_series`): a
   count indicator from 1 to t is suppressed, with the rates and percentages computed from it (and
   ``[derived]`` indicators recomputed from what is left), so that every estimate is computed from
   publishable values only. Under the DfE rules the designs see the rounded counts. A count that
   equals the sum of 2 to 6 other counts in every authority-year where all are given (a total
   loaded beside its breakdown, undeclared) is audited as a declared relation; the FTE of a
   headcount from 1 to t (``agency_fte`` beside ``agency_headcount``) goes with it.
5. A shown adjusted p-value that is a multiple of a suppressed raw p-value (Holm, Bonferroni, BH)
   is suppressed too; words quoting a suppressed statistic go with it.
6. Secondary suppression is decided by an attacker inside (:func:`protect_ledger`): for every
   suppressed count, the integer programme over everything published (pooled groups are sums of
   their authorities, the respondents table's Total is the sum of its rows, waves are parts of the
   whole group) gives the range of values it could take; cells are added, cheapest first, until
   every range is wider than t (the protection-interval criterion with a sliding protection range).
7. Answer counts are counts of people too: on a survey item answered on a grid of at most 11 values
   (a 1-5 rating; answers in halves or tenths are in steps of the grid), a group's size, mean and SD
   are three equations in how many gave each answer, and a pooled group's sum and sum of squares are
   its authorities'. The attacker of rule 6 holds each group's answer counts as cells tied to its
   size, sum and sum of squares; an answer count from 1 to t (of one group, or of the authorities of
   1 to t people taken together) is protected when its range reaches 0 (no one can be shown to have
   given the answer: "0 to 5" says no more than a suppressed cell) or is wider than t; else the
   group's mean and SD are suppressed, with every statistic of its rows (rule 2). A rank test's or
   spread test's statistics read every answer, not these three sums: on such an item where any
   group (an authority, the pooled group, a wave, an adopter, or the pooled group's respondents in
   no authority with a row) has an answer count from 1 to t, no rank row (Brunner-Munzel) or
   consistency row (Brown-Forsythe) publishes a statistic: the rows of the pooled group and of the
   other authorities single out their whole answer counts, and their difference is the hidden
   authority's (att11 F1). On an item of more values (a 0-36 score, a percentage, one to a decimal
   place) each group's size, sum and sum of squares are tested alone: where they force a count from
   1 to t (the linear programme cannot make it 0: the answers pile at the ends of the scale, 5 x 0
   and 1 x 100, or crowd at one or two values), the group's mean and SD are suppressed and stay so
   while their range is narrower than the scale (the authorities hidden together, and the waves,
   likewise). On an item whose answers lie on no grid of at most 1,000 steps (one answer of 33.33
   among whole percentages; a score prorated over the items answered, in 11ths and 10ths together:
   1,925 steps on 0-35), each group is tested on the grid of its own answers, with as many of the
   item's others as that grid holds; a group whose own answers lie on no such grid (a prorated
   score; the authority with the 33.33) is tested by the linear programme only (the answers at the
   ends of the scale, or crowded), and the digits of its exact mean can show that it holds such an
   answer. An item on no grid with more than 2,000 distinct answers is not audited for answer
   counts. Whole numbers are audited on any range.
8. A pooled row's clustered interval (CR2) takes an arm's authorities of 1 to t respondents as one
   cluster; where an authority hidden to protect another keeps clusters of its own, or a
   multilevel row pools a hidden authority, the row publishes no statistic (the interval would
   tell how the hidden respondents split).

Scope: one run. The attacker of rule 6 reads what one run publishes (every file, report and chart
written from its publication), as tau-Argus and sdcTable audit one table. Two runs over the same
survey whose groups differ (a second adopter added to ``unit_model``, a comparator dropped) pool
different authorities, and the difference of their pooled rows is not audited: it can give the
authorities that changed sides back (att10 H1). Publish one run of a survey; a second, with other
groups, only after auditing the two together.

Identifiers (``case_id``, ``respondent_id``, ``CHILD``, ``UPN``, postcodes, names) never enter the
results table; a table that has such columns is refused.

May import: the indicator vocabulary of :mod:`rsw_eval.io`, :mod:`rsw_eval.stats` and
:mod:`rsw_eval.designs` (the results columns); never evaluation, publication, report or cli.
"""

from rsw_eval.disclosure._audit import Ledger, audit
from rsw_eval.disclosure._protect import protect_ledger
from rsw_eval.disclosure._releases import (
    ENGLAND,
    RELEASED,
    RowRules,
    from_release,
    partial_releases,
    row_rules,
)
from rsw_eval.disclosure._series import RATES, dfe_round, protect_series
from rsw_eval.disclosure._suppress import (
    COUNT_OUTCOMES,
    IDENTIFIER_COLUMNS,
    RULE_SETS,
    RuleSet,
    Suppression,
    rule_set,
    suppress_counts,
)

__all__ = [
    "COUNT_OUTCOMES",
    "ENGLAND",
    "IDENTIFIER_COLUMNS",
    "RATES",
    "RELEASED",
    "RULE_SETS",
    "Ledger",
    "RowRules",
    "RuleSet",
    "Suppression",
    "audit",
    "dfe_round",
    "from_release",
    "partial_releases",
    "protect_ledger",
    "protect_series",
    "row_rules",
    "rule_set",
    "suppress_counts",
]
