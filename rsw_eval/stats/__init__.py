"""Statistics: effect sizes, tests and confidence intervals on plain arrays.

Knows nothing of files, specs or reports: a researcher can use it on two arrays. Every function
returns a frozen :class:`StatResult` (or :class:`ReportedCheck`) with fixed field names and a
``to_frame()`` tidy row; defaults are 95% intervals and two-sided tests.

May import: nothing of the package but ``rsw_eval._errors``.
"""

from rsw_eval.stats._bootstrap import bootstrap_ci
from rsw_eval.stats._cluster_robust import cluster_robust_diff
from rsw_eval.stats._cr2 import cr2_diff
from rsw_eval.stats._effsize import cohens_d, glass_delta, hedges_correction, hedges_g
from rsw_eval.stats._icc import icc_design_effect
from rsw_eval.stats._multilevel import hedges2007_variance, mixed_effect
from rsw_eval.stats._multiplicity import adjust_pvalues
from rsw_eval.stats._power import mdes, power_two_means, power_two_proportions
from rsw_eval.stats._proportions import newcombe_interval, two_proportions, wilson_interval
from rsw_eval.stats._published import (
    ReportedCheck,
    check_reported,
    from_counts,
    from_summary,
    from_t,
)
from rsw_eval.stats._ranks import brunner_munzel, mann_whitney
from rsw_eval.stats._rates import rate_ratio, rate_ratio_glm
from rsw_eval.stats._ratios import percent_change, ratio_of_means
from rsw_eval.stats._result import COLUMNS, StatResult
from rsw_eval.stats._ttest import student_t, welch_t
from rsw_eval.stats._variance import levene, variance_ratio

__all__ = [
    "COLUMNS",
    "ReportedCheck",
    "StatResult",
    "adjust_pvalues",
    "bootstrap_ci",
    "brunner_munzel",
    "check_reported",
    "cluster_robust_diff",
    "cohens_d",
    "cr2_diff",
    "from_counts",
    "from_summary",
    "from_t",
    "glass_delta",
    "hedges2007_variance",
    "hedges_correction",
    "hedges_g",
    "icc_design_effect",
    "levene",
    "mann_whitney",
    "mdes",
    "mixed_effect",
    "newcombe_interval",
    "percent_change",
    "power_two_means",
    "power_two_proportions",
    "rate_ratio",
    "rate_ratio_glm",
    "ratio_of_means",
    "student_t",
    "two_proportions",
    "variance_ratio",
    "welch_t",
    "wilson_interval",
]
