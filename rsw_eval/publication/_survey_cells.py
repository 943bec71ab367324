"""The survey rows' cells as the publication reads them: the ledger, which cells each row side
publishes, and what the auditor must protect (:class:`SurveyCells`, built by
:func:`rsw_eval.publication._ledger.survey_ledger`); the names and costs the builder gives groups."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from rsw_eval.disclosure import Ledger
from rsw_eval.publication._pins import pinned

__all__ = ["HEADLINE", "POOLED", "SIDES", "SIZE", "SURVEY_FAMILIES", "TOTAL", "WITHOUT_ROWS", "SurveyCells"]

POOLED = "all conventional"
#: The name of a pooled group's respondents in no authority with a row of its own
#: (:meth:`rsw_eval.publication._answer_cells.AnswerCells._without_rows`).
WITHOUT_ROWS = "authorities without a row"
SURVEY_FAMILIES = ("worker", "parent")
SIDES = ("treatment", "comparison")
#: What hiding a headline cell costs: the unit-model group, a pooled group; a Total costs less (the
#: respondents table's last row), an authority's cell least.
HEADLINE = 1e6
TOTAL = 1e3
#: Hiding a group's size hides all of its shares: dearer than hiding one share.
SIZE = 100.0


@dataclass
class SurveyCells:
    """The ledger of the survey rows and how the rows map onto it.

    Attributes
    ----------
    ledger : Ledger
    sides : dict
        (row index, "treatment" | "comparison") -> (size cell, values cell or None): the values
        cell is the events of a yes/no outcome, the sum of the answers of an item with answer
        counts; hiding it hides the side's values.
    primary : bool array
        Cells from 1 to t (sizes, events, non-events, Totals) and the cells never published
        (answer counts, the workers of the waves between).
    sensitive : list of (name, {cell: coefficient})
        The counts that must stay protected: each such size, events or answer-count cell, and
        non-events (size - events) where they are from 1 to t.
    respondents : dict
        family -> (list of (label, size cell), Total cell): the respondents-per-authority table.
    nobody : list of str
        The sensitive answer counts: protected, too, by a range that reaches 0
        (:func:`~rsw_eval.disclosure.protect_ledger`).
    pooled_parts : dict
        row index of a pooled comparison -> the size cells of the authorities it pools.
    threshold : int
        t.
    pooled_answers : list
        Per pooled group and item: its authorities' sum cells and answer-count cells, and the
        item's name (:meth:`hidden_together`).
    spread : dict
        Target name -> the width its range must reach: the sums of a group whose size, mean and SD
        on a wide item force an answer count (:func:`~rsw_eval.publication._pins.pinned`), at
        least the scale's span.
    pooled_wide : list
        Per pooled group and wide item: its authorities' sum cells, their answer counts, the scale
        and the item's name (:meth:`hidden_together`).
    """

    ledger: Ledger = field(default_factory=Ledger)
    sides: dict[tuple, tuple[int | None, int | None]] = field(default_factory=dict)
    primary: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    sensitive: list[tuple[str, dict[int, float]]] = field(default_factory=list)
    respondents: dict[str, tuple[list[tuple[str, int]], int]] = field(default_factory=dict)
    threshold: int = 0
    nobody: list[str] = field(default_factory=list)
    pooled_parts: dict[int, list[int]] = field(default_factory=dict)
    pooled_answers: list[tuple[list[int], list[list[int]], str]] = field(default_factory=list)
    spread: dict[str, float] = field(default_factory=dict)
    pooled_wide: list[tuple[list[int], list[np.ndarray], np.ndarray, str]] = field(default_factory=list)
    #: whether the answers of a set of hidden authorities force a count (asked each round of
    #: secondary suppression, with integer programmes: answered once per set)
    pinned_sets: dict[frozenset, bool] = field(default_factory=dict, repr=False)

    def hidden_together(self, hidden: np.ndarray) -> list[tuple[str, dict[int, float], float | None]]:
        """The answer counts of a pooled group's authorities whose answers are hidden, taken
        together, where from 1 to t: the pooled group less the authorities shown gives their
        sum and sum of squares (q18att sv4: "3 of the hidden authorities' workers answered 2";
        q20att-2 F2: an authority hidden to protect another is among them), so they are counts
        to protect too (as answer counts: a range reaching 0 protects them; the width needed is
        None). On a wide item, their sums where these force an answer count, with the width
        they need. Which authorities are hidden changes as secondary suppression goes on:
        :func:`~rsw_eval.disclosure.protect_ledger` asks again each round."""
        values = self.ledger.values
        out: list[tuple[str, dict[int, float], float | None]] = []
        seen: set[frozenset] = set()
        for sums, counts, scale, where in self.pooled_wide:
            gone = [k for k, c in enumerate(sums) if hidden[c]]
            cells = frozenset(sums[k] for k in gone)
            if not gone or cells in seen:
                continue
            if cells not in self.pinned_sets:
                self.pinned_sets[cells] = pinned(scale, sum(counts[k] for k in gone), self.threshold)
            if self.pinned_sets[cells]:
                seen.add(cells)
                need = float(scale.max() - scale.min())
                out.append((f"{where} (hidden authorities together)", dict.fromkeys(cells, 1.0), need))
        for sums, answered, where in self.pooled_answers:
            gone = [k for k, c in enumerate(sums) if hidden[c]]
            if len(gone) < 2:
                continue
            for cells in zip(*(answered[k] for k in gone), strict=True):
                if frozenset(cells) in seen or not 1 <= sum(values[c] for c in cells) <= self.threshold:
                    continue
                seen.add(frozenset(cells))
                answer = self.ledger.names[cells[0]].rsplit(" answered ", 1)[1]
                out.append(
                    (
                        f"{where} answered {answer} (hidden authorities together)",
                        dict.fromkeys(cells, 1.0),
                        None,
                    )
                )
        return out
