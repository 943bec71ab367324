"""The primary test of a survey comparison: CR2 cluster-robust, clustered where the design says.

Chosen over a design-effect correction: CR2 with Satterthwaite df needs no ICC estimate, allows
the arms to differ in variance and cluster size, and keeps its size with few clusters (issue #9;
validation/sim_survey.py measures it on three survey authorities).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from rsw_eval import stats

__all__ = ["cluster_labels", "g_interval", "primary_test"]


def cluster_labels(frame: pd.DataFrame) -> pd.Series | None:
    """Unit (team) of each respondent, unique across authorities; None without a ``unit`` column."""
    if "unit" not in frame.columns or frame["unit"].isna().all():
        return None
    labels = frame["authority"].astype(str) + "/" + frame["unit"].astype(str)
    return labels.where(frame["unit"].notna())


def primary_test(sub: pd.DataFrame, outcome: str, units: pd.Series | None, confidence: float = 0.95):
    """CR2 test of the difference in ``sub`` and the notes that say what it tests.

    Clustered by authority when each arm has at least two authorities (a test of the model, with
    authorities as the sampled clusters); otherwise by unit, which tests the difference between
    these authorities' workforces: with one authority on a side, model and place are confounded and
    no valid test of the model exists. ``None`` when no unit or team is known.
    """
    unit = sub["model"] == "unit"
    k_t, k_c = sub.loc[unit, "authority"].nunique(), sub.loc[~unit, "authority"].nunique()
    if min(k_t, k_c) >= 2:
        data = sub.assign(_cluster=sub["authority"].astype(object))
        how = f"CR2 clustered by authority ({k_t} unit-model vs {k_c} conventional)"
        notes = []
    else:
        place = (
            f"{k_t} unit-model authority against {k_c}: model and place are confounded. The p-value "
            "and interval compare these authorities' workers"
            + (" (allowing for their clustering in units)" if units is not None else "")
            + "; they do not test the unit model, for which no valid test exists with one "
            "authority on a side"
        )
        if units is None:
            return None, [place, "no unit or team column: respondents treated as independent"]
        data = sub.assign(_cluster=units.loc[sub.index].astype(object))
        how = "CR2 clustered by unit"
        notes = [place]
    c = stats.cr2_diff(data, outcome, "model", "_cluster", confidence=confidence)
    if c.valid:
        notes.append(
            f"{how}, {c.details['n_clusters']} clusters, design effect {c.details['design_effect']:.2f}"
        )
    else:
        notes.append(f"no p-value or interval: {c.reason}")
    return c, notes


def g_interval(t, g, c) -> tuple[float, float]:
    """Hedges' g interval from the cluster-robust interval of the difference, scaled by g's own
    factor g / difference (J / standardiser), so that it agrees with the test. The standardiser is
    treated as known: its share of the variance (about g^2 / 2N) is small beside the clustering.
    With a difference of exactly 0 the factor is taken as J / root-mean-square SD."""
    if t.estimate != 0 and np.isfinite(g.estimate):
        factor = g.estimate / t.estimate
    else:
        rms = np.sqrt((t.details["sd1"] ** 2 + t.details["sd2"] ** 2) / 2)
        factor = float(stats.hedges_correction(t.n1 + t.n2 - 2)) / rms if rms > 0 else np.nan
    return c.ci_low * factor, c.ci_high * factor
