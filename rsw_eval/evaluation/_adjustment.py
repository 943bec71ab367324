"""Multiplicity families and the reading of each results row.

The primary rows of comparative designs are the tests of the evaluation's questions; they are
adjusted within their family (worker, parent, admin, cost: one question each). Every row then gets
its plain-English reading from :func:`rsw_eval.evaluation.interpret.interpretation`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from rsw_eval.evaluation.interpret import interpretation
from rsw_eval.stats import adjust_pvalues

__all__ = ["COMPARATIVE_DESIGNS", "RATIO_SCALES", "adjust_families", "interpret_rows"]

#: Designs that compare unit-model authorities with comparators: their primary rows are the tests
#: of the evaluation's questions and form the multiplicity families. Before/after and cost change
#: have no comparison group (descriptive); rank tests, multilevel and other scales are sensitivity.
COMPARATIVE_DESIGNS = frozenset(
    {
        "cross_section",
        "consistency",
        "multilevel",
        "did",
        "its",
        "cost_did",
        "synthetic_control",
        "synthetic_did",
        "staggered",
    }
)
#: Effect scales whose no-effect value is 1 (ratios); every other scale's is 0.
RATIO_SCALES = ("rate_ratio", "odds_ratio", "variance_ratio", "level_change_ratio", "slope_change_ratio")


def adjust_families(table: pd.DataFrame, method: str) -> pd.DataFrame:
    """Adjust p-values within each family (worker, parent, admin, cost: one question each) over the
    primary rows of comparative designs; ``adjustment`` says which family and how many tests."""
    table["p_adjusted"] = np.nan
    eligible = table["primary"] & table["p_value"].notna() & table["design"].isin(COMPARATIVE_DESIGNS)
    table["adjustment"] = ""
    if eligible.any():
        fam = table.loc[eligible, "family"].to_numpy()
        if method == "none":
            table.loc[eligible, "p_adjusted"] = table.loc[eligible, "p_value"]
        else:
            table.loc[eligible, "p_adjusted"] = adjust_pvalues(
                table.loc[eligible, "p_value"].to_numpy(), method=method, families=fam
            )
        sizes = pd.Series(fam).value_counts()
        table.loc[eligible, "adjustment"] = [
            f"{method} over {sizes[f]} {f} tests" if method != "none" else "none" for f in fam
        ]
    return table


def interpret_rows(table: pd.DataFrame, method: str) -> list[str]:
    """Each row's reading; a row is a test of its question when :func:`adjust_families` put it in
    a family (non-empty ``adjustment``), adjusted by ``method``."""
    out = []
    for r in table.itertuples():
        in_family = bool(r.adjustment)
        out.append(
            interpretation(
                r.effect_size_name,
                r.effect_size,
                r.p_value,
                r.p_adjusted,
                method if in_family else "",
                bool(r.primary) and in_family,
                ci_low=r.ci_low,
                ci_high=r.ci_high,
                ci_level=r.ci_level,
                null=1.0 if r.effect_size_name.endswith(RATIO_SCALES) else 0.0,
            )
        )
    return out
