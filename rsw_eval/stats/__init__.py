"""Statistics: effect sizes, tests and confidence intervals on plain arrays.

Knows nothing of files, specs or reports: a researcher can use it on two arrays. Every function
returns a frozen :class:`StatResult` (or :class:`ReportedCheck`) with fixed field names and a
``to_frame()`` tidy row; defaults are 95% intervals and two-sided tests.

May import: nothing of the package but ``rsw_eval._errors``.

Names are imported on first use (PEP 562, as the top-level package): ``from rsw_eval.stats import
adjust_pvalues`` does not load SciPy, which most of the other statistics need.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rsw_eval._lazy import lazy

if TYPE_CHECKING:
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

#: Public name -> the module that defines it.
_LAZY = {
    "adjust_pvalues": "rsw_eval.stats._multiplicity",
    "bootstrap_ci": "rsw_eval.stats._bootstrap",
    "brunner_munzel": "rsw_eval.stats._ranks",
    "check_reported": "rsw_eval.stats._published",
    "cluster_robust_diff": "rsw_eval.stats._cluster_robust",
    "cohens_d": "rsw_eval.stats._effsize",
    "COLUMNS": "rsw_eval.stats._result",
    "cr2_diff": "rsw_eval.stats._cr2",
    "from_counts": "rsw_eval.stats._published",
    "from_summary": "rsw_eval.stats._published",
    "from_t": "rsw_eval.stats._published",
    "glass_delta": "rsw_eval.stats._effsize",
    "hedges2007_variance": "rsw_eval.stats._multilevel",
    "hedges_correction": "rsw_eval.stats._effsize",
    "hedges_g": "rsw_eval.stats._effsize",
    "icc_design_effect": "rsw_eval.stats._icc",
    "levene": "rsw_eval.stats._variance",
    "mann_whitney": "rsw_eval.stats._ranks",
    "mdes": "rsw_eval.stats._power",
    "mixed_effect": "rsw_eval.stats._multilevel",
    "newcombe_interval": "rsw_eval.stats._proportions",
    "percent_change": "rsw_eval.stats._ratios",
    "power_two_means": "rsw_eval.stats._power",
    "power_two_proportions": "rsw_eval.stats._power",
    "rate_ratio": "rsw_eval.stats._rates",
    "rate_ratio_glm": "rsw_eval.stats._rates",
    "ratio_of_means": "rsw_eval.stats._ratios",
    "ReportedCheck": "rsw_eval.stats._published",
    "StatResult": "rsw_eval.stats._result",
    "student_t": "rsw_eval.stats._ttest",
    "two_proportions": "rsw_eval.stats._proportions",
    "variance_ratio": "rsw_eval.stats._variance",
    "welch_t": "rsw_eval.stats._ttest",
    "wilson_interval": "rsw_eval.stats._proportions",
}

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


__getattr__, __dir__ = lazy(globals(), _LAZY)
