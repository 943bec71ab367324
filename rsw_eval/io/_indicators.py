"""The vocabulary of administrative indicators shared by every stage: which indicators are counts.

A pure-data module (no pandas), so loaders, designs and disclosure rules agree on one definition.

Examples
--------
>>> from rsw_eval.io._indicators import COUNT_INDICATORS
>>> "children_looked_after" in COUNT_INDICATORS
True
"""

#: Indicators that are counts of children or plans: Poisson CIs, log scale in DiD, Poisson ITS.
COUNT_INDICATORS = frozenset(
    {
        "children_looked_after",
        "cla_started",
        "cla_ceased",
        "cp_plans_started",
        "cp_plans_repeat",
        "residential_placements",
        "referrals",
        "children_in_need",
        "cp_plans",
        # the denominators of the dashboard's percentages, where a panel holds them
        "cla_long_term_under16",  # looked after continuously for 2.5+ years, aged under 16
        "care_leavers_19_21",
        "care_leavers_17_18",
    }
)
