"""The primary test of a survey comparison: CR2 cluster-robust, clustered where the design says.

Chosen over a design-effect correction: CR2 with Satterthwaite df needs no ICC estimate, allows
the arms to differ in variance and cluster size, and keeps its size with few clusters (issue #9;
validation/sim_survey.py measures it on three survey authorities).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import pandas as pd

from rsw_eval import stats
from rsw_eval.stats._cr2 import cr2_test, numeric_outcome

__all__ = ["SurveyDesign", "cluster_labels", "g_interval", "primary_test", "treatment_label"]


def treatment_label(frame: pd.DataFrame) -> str:
    """The unit-model authorities of a survey frame, named (``"unit model"`` when none is named)."""
    names = sorted(frame.loc[frame["model"] == "unit", "authority"].dropna().unique())
    return ", ".join(map(str, names)) or "unit model"


def cluster_labels(frame: pd.DataFrame) -> pd.Series | None:
    """Unit (team) of each respondent, unique across authorities; None without a ``unit`` column."""
    if "unit" not in frame.columns or frame["unit"].isna().all():
        return None
    labels = frame["authority"].astype(str) + "/" + frame["unit"].astype(str)
    return labels.where(frame["unit"].notna())


#: ``SurveyDesign.of``'s default for ``units``: the labels of :func:`cluster_labels`.
_LABELS = "cluster_labels"


@dataclass(frozen=True)
class SurveyDesign:
    """A survey read once for its many comparisons: the arm of each respondent and the integer
    codes of its authority and unit, so that each comparison gathers arrays instead of
    re-reading the frame (issue 22: 405 comparisons of 300,000 respondents).

    Build it with :meth:`of`; :meth:`comparisons` yields the pooled comparison and one per
    conventional authority; :meth:`primary_test` gives exactly what :func:`primary_test` gives on
    the rows of one comparison.
    """

    unit: np.ndarray  # model == "unit"
    conventional: np.ndarray  # model == "conventional"
    authority: np.ndarray  # code of the authority (index into names), -1 where missing
    names: np.ndarray  # the authorities' labels
    units: np.ndarray | None  # code of the unit label, -1 where missing; None: no units known
    small: int = 0  # authorities of 1 to this many respondents are one cluster (see primary_test)

    @classmethod
    def of(cls, frame: pd.DataFrame, units: pd.Series | None | str = _LABELS, small: int = 0) -> SurveyDesign:
        """Prepare ``frame``; ``units`` labels the unit clusters (default :func:`cluster_labels`;
        None: no units known); ``small``, the disclosure threshold (:meth:`primary_test`)."""
        labels = cluster_labels(frame) if isinstance(units, str) else units
        model = frame["model"]
        authority, names = pd.factorize(frame["authority"].astype(object).to_numpy())
        return cls(
            (model == "unit").fillna(False).to_numpy(dtype=bool),
            (model == "conventional").fillna(False).to_numpy(dtype=bool),
            authority,
            names,
            None if labels is None else pd.factorize(labels.astype(object).to_numpy())[0],
            small,
        )

    def comparisons(self) -> Iterator[tuple[str, np.ndarray]]:
        """("all conventional", rows), then one per conventional authority in sorted order
        (``rows``: a mask over the respondents)."""
        yield "all conventional", self.conventional
        present = np.unique(self.authority[self.conventional & (self.authority >= 0)])
        for code in sorted(present, key=lambda c: self.names[c]):
            yield str(self.names[code]), self.conventional & (self.authority == code)

    def primary_test(self, rows: np.ndarray, y: np.ndarray, confidence: float = 0.95):
        """:func:`primary_test` on ``rows`` (indices into the frame, unit-model and conventional
        respondents only), with ``y`` the outcome of every respondent (as
        :func:`rsw_eval.stats._cr2.numeric_outcome` reads it).

        The authorities of an arm that have from 1 to :attr:`small` respondents answering are one
        cluster, with the arm's smallest other authority where they hold :attr:`small` or fewer
        together (:func:`_merged`); clustered by unit, the small authorities' units are one
        cluster (the other's units stay its own: a unit-model arm of one small and one large
        adopter keeps the large one's units). Such an authority's size is suppressed, and an
        interval that depended on how the hidden respondents split between authorities would give
        the split back (findings-q18att F9: of 14 splits of 13 workers only the true one gave the
        published interval). A coarser clustering of independent clusters is still valid.
        """
        unit, values = self.unit[rows], y[rows]
        keep = ~np.isnan(values)
        authority, few = _merged(self.authority[rows], unit, keep, self.small, self.names)
        k_t, k_c = (_distinct(authority[arm & (authority >= 0)]) for arm in (unit, ~unit))
        by, how, notes = _clustering(k_t, k_c, self.units is not None)
        if by is None:
            return None, notes
        ids = authority if by == "authority" else self.units[rows].copy()
        if by == "unit":  # the units of an arm's small authorities are one cluster
            ids[few] = np.max(self.units, initial=0) + 1 + unit[few].astype(int)
        ids = ids[keep]
        missing = ids < 0  # a respondent without a cluster label is a cluster of its own
        ids[missing] = -1 - np.arange(int(missing.sum()))
        codes = pd.factorize(ids)[0]
        g = unit[keep].astype(float)
        c = cr2_test(values[keep], g, codes, confidence=confidence, n_dropped=int((~keep).sum()))
        return c, _notes(c, how, notes)


def _merged(
    authority: np.ndarray, unit: np.ndarray, keep: np.ndarray, small: int, names: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """(``authority`` with each arm's merged authorities recoded as one, ``len(names)`` in the
    conventional arm and ``len(names) + 1`` in the unit-model arm; the rows of the authorities of
    1 to ``small`` respondents in ``keep``). An arm's authorities of 1 to ``small`` respondents are
    merged, and where they hold ``small`` or fewer together (one of them alone, say) the arm's
    smallest other authority with them, the first by name among equals: the one secondary
    suppression hides to protect them (findings-q18att F9; the publication knows it by the same
    rule, :func:`rsw_eval.publication._table._partner`).

    Examples
    --------
    >>> names = np.array(["A", "B", "C", "D", "E"])
    >>> a = np.array([0, 0, 0, 1, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4])
    >>> _merged(a, np.zeros(14, bool), np.ones(14, bool), 2, names)[0].tolist()  # B and C hold 3
    [0, 0, 0, 5, 5, 5, 3, 3, 3, 3, 4, 4, 4, 4]
    >>> b = np.array([0, 0, 0, 0, 1, 3, 3, 3, 4, 4, 4, 4])
    >>> codes, few = _merged(b, np.zeros(12, bool), np.ones(12, bool), 2, names)
    >>> codes.tolist(), few.tolist().count(True)  # B alone: with D, the next smallest
    ([0, 0, 0, 0, 5, 5, 5, 5, 4, 4, 4, 4], 1)
    """
    top = len(names)
    out, few_rows = authority.copy(), np.zeros(len(authority), dtype=bool)
    if small < 1:
        return out, few_rows
    for k, arm in enumerate((~unit, unit)):
        mine = arm & (authority >= 0)
        counts = np.bincount(authority[mine & keep], minlength=top)
        few = np.flatnonzero((counts >= 1) & (counts <= small))
        if not few.size:
            continue
        merged = list(few)
        others = np.flatnonzero(counts > small)
        if counts[few].sum() <= small and others.size:
            merged.append(int(min(others, key=lambda c: (counts[c], str(names[c])))))
        few_rows |= mine & np.isin(authority, few)
        out[mine & np.isin(authority, merged)] = top + k
    return out, few_rows


def _distinct(codes: np.ndarray) -> int:
    """How many different codes (non-negative integers) ``codes`` holds."""
    return int(np.count_nonzero(np.bincount(codes))) if codes.size else 0


def _clustering(k_t: int, k_c: int, has_units: bool) -> tuple[str | None, str, list[str]]:
    """How to cluster a comparison with ``k_t`` unit-model and ``k_c`` conventional authorities:
    ``("authority" | "unit" | None, description, notes)``; None when no unit or team is known."""
    if min(k_t, k_c) >= 2:
        return "authority", f"CR2 clustered by authority ({k_t} unit-model vs {k_c} conventional)", []
    place = (
        f"{k_t} unit-model authority against {k_c}: model and place are confounded. The p-value "
        "and interval compare these authorities' workers"
        + (" (allowing for their clustering in units)" if has_units else "")
        + "; they do not test the unit model, for which no valid test exists with one "
        "authority on a side"
    )
    if not has_units:
        return None, "", [place, "no unit or team column: respondents treated as independent"]
    return "unit", "CR2 clustered by unit", [place]


def _notes(c, how: str, notes: list[str]) -> list[str]:
    if c.valid:
        notes.append(
            f"{how}, {c.details['n_clusters']} clusters, design effect {c.details['design_effect']:.2f}"
        )
    else:
        notes.append(f"no p-value or interval: {c.reason}")
    return notes


def primary_test(sub: pd.DataFrame, outcome: str, units: pd.Series | None, confidence: float = 0.95):
    """CR2 test of the difference in ``sub`` and the notes that say what it tests.

    Clustered by authority when each arm has at least two authorities (a test of the model, with
    authorities as the sampled clusters); otherwise by unit, which tests the difference between
    these authorities' workforces: with one authority on a side, model and place are confounded and
    no valid test of the model exists. ``None`` when no unit or team is known. ``sub`` holds
    unit-model and conventional respondents; ``units`` labels the units (:func:`cluster_labels`).
    Many comparisons of one survey: :class:`SurveyDesign` prepares it once.
    """
    design = SurveyDesign.of(sub, None if units is None else units.loc[sub.index])  # one comparison
    return design.primary_test(np.arange(len(sub)), numeric_outcome(sub[outcome]), confidence)


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
