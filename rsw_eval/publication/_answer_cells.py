"""The answer-count cells of the survey ledger (findings-q18att F1): a group's counts of each
answer of a short-scale item, tied to its size, sum and sum of squares; the answers of the
authorities without a row of their own; the waves' answers within the whole group's. On a wide
item (a grid of more than :data:`~rsw_eval.publication._pins.MOST_ANSWERS` points) the sums alone, with the
groups whose sums force an answer count withheld (q20att-2 F3). A mixin of the ledger's builder
(:mod:`rsw_eval.publication._ledger`), which holds the state it reads."""

from __future__ import annotations

import numpy as np
import pandas as pd

from rsw_eval.designs._grid import scale as item_scale
from rsw_eval.publication._pins import MOST_ANSWERS, pinned
from rsw_eval.publication._survey_cells import POOLED, WITHOUT_ROWS

__all__ = ["AnswerCells", "answer_table"]


def answer_table(answers: pd.DataFrame | None) -> dict[tuple, tuple[np.ndarray, np.ndarray]]:
    """(family, scope, group, outcome) -> (the item's scale, the group's count of each answer)."""
    if answers is None or not len(answers):
        return {}
    keys = ["family", "scope", "group", "outcome"]
    return {
        tuple(map(str, key)): (sub["value"].to_numpy(float), sub["count"].to_numpy(float))
        for key, sub in answers.groupby(keys, sort=False)
    }


class AnswerCells:
    """The builder's methods for answer counts (:class:`rsw_eval.publication._ledger._Builder`)."""

    def moment_cells(self, key: tuple, size: int, treatment: str) -> int:
        """The sum cell of a group's answers to an item (created with its sum of squares and its
        answer counts on first use): the relations say that the counts add up to the size and
        give the sum and the sum of squares, which the published mean and SD give with the size.
        Hiding the size hides the sum; the sum and the sum of squares are hidden together (the
        mean and the SD are the side's values)."""
        led = self.out.ledger
        if key not in self.moments:
            family, _, group, outcome = key
            values, counts = self.answers[key]
            scale, grid = item_scale(values)  # on no grid (a prorated score): sums of fractions, wide
            whole = bool(np.array_equal(scale, np.rint(scale)))
            n = float(counts.sum())
            cost = self.cost(group, treatment, n, False)
            wide = not grid or scale[-1] >= MOST_ANSWERS
            answered = []
            if not wide:
                answered = [
                    led.add(f"{family} / {group} / {outcome} answered {v:g}", c)
                    for v, c in zip(values, counts, strict=True)
                ]
                self.out_of_sight(answered, answers=True)
            name = f"{family} / {group} / {outcome}"
            total = led.add(f"{name} sum", scale @ counts, upper=np.inf, cost=cost, whole=whole)
            squares = led.add(
                f"{name} sum of squares", scale**2 @ counts, upper=np.inf, cost=cost, whole=whole
            )
            self.not_counts.update((total, squares))
            if wide:
                self.wide_sums(total, squares, size, scale, counts)
            else:
                led.relate({total: -1, **dict(zip(answered, scale, strict=True))})
                led.relate({squares: -1, **dict(zip(answered, scale**2, strict=True))})
            led.links.setdefault(total, set()).add(squares)
            led.links.setdefault(squares, set()).add(total)
            self.moments[key] = (total, squares, answered)
        total, _, answered = self.moments[key]
        if answered:  # where the row counts the same people
            led.relate({**{c: 1 for c in answered}, size: -1})
        led.links.setdefault(size, set()).add(total)
        return total

    def wide_sums(self, total: int, squares: int, size: int, scale: np.ndarray, counts: np.ndarray) -> None:
        """The sum and sum of squares of a group's answers to a wide item: between the least and
        greatest answers times the size; where they force an answer count from 1 to t
        (:func:`~rsw_eval.publication._pins.pinned`), hidden from the start, and a target that
        stays protected while its range is at least the scale's span wide (one person's answer
        could be anywhere on it)."""
        led = self.out.ledger
        lo, hi = float(scale.min()), float(scale.max())
        led.relate({total: -1, size: lo}, "<=")
        led.relate({total: 1, size: -hi}, "<=")
        led.relate({squares: 1, size: -max(lo * lo, hi * hi)}, "<=")
        self.spans[total] = (scale, counts)
        if pinned(scale, counts, self.t):
            self.out_of_sight([total, squares])
            self.out.spread[f"{led.names[total]} (its answers)"] = hi - lo
            self.pins.append((f"{led.names[total]} (its answers)", {total: 1.0}))

    def _without_rows(self, key: tuple, groups: dict, parts: list[str]) -> tuple | None:
        """The conventional respondents of a pooled group in no authority with a row of its own
        (an authority of one answer has no comparison): the pooled group less its authorities,
        never published, but anyone can subtract. Cells of their own (size, events or sum and sum
        of squares, as the pooled group has), hidden from the start; None when there are none."""
        led = self.out.ledger
        values = led.values
        pool_n, pool_e = groups[POOLED]
        n = values[pool_n] - sum(values[groups[g][0]] for g in parts)
        if n < 0.5 or not parts:  # (a multilevel row has no authority rows to subtract)
            return None
        family, _, outcome, _ = key
        name = f"{family} / {WITHOUT_ROWS}"
        # one cell for every outcome they answer alike
        size, events, sums = self.hidden_size((family, WITHOUT_ROWS, "", n), name, n, lower=1), None, None
        if pool_e is not None and all(groups[g][1] is not None for g in parts):
            rest = values[pool_e] - sum(values[groups[g][1]] for g in parts)
            if pool_e in self.not_counts:  # a sum of answers: with the sum of squares and counts
                counts = self._answers_without_rows(family, outcome, groups, n)
                if counts is None:
                    return size, None, None
                group = f"{WITHOUT_ROWS} ({n:g})"
                self.answers[(family, "", group, outcome)] = counts
                events = self.moment_cells((family, "", group, outcome), size, "")
                sums = self.moments[(family, "", group, outcome)]
                self.out_of_sight(list(sums[:2]))
            else:
                events = self.hidden_events(
                    (family, WITHOUT_ROWS, n, outcome), f"{name} / {outcome}", rest, size
                )
        return size, events, sums

    def _answers_without_rows(self, family: str, outcome: str, groups: dict, n: float):
        """(scale, counts) of the answers of the conventional authorities of a pooled group that
        have no row, from the answer counts of every group the survey has; None where they do not
        add up to ``n`` respondents."""
        treatment = self.treatment.get((family, "", outcome, "cross_section"), "")
        mine = [
            v
            for (f, scope, g, o), v in self.answers.items()
            if (f, scope, o) == (family, "", outcome)
            and g not in groups
            and g not in (POOLED, treatment)
            and not g.startswith(WITHOUT_ROWS)
        ]
        if not mine or sum(float(c.sum()) for _, c in mine) != n:
            return None
        return mine[0][0], sum(c for _, c in mine)

    def _answers_of_waves(self, family: str, treatment: str, outcome: str, waves: list, rest) -> None:
        """Each answer's count in the whole unit-model group is that of its two waves, plus that
        of the waves between (never published: cells of their own) where there are any."""
        key = (family, "", treatment, outcome)
        if key not in self.moments or not all(waves):
            return
        if self.moments[key][0] in self.spans:
            self._sums_of_waves(family, treatment, outcome, waves, rest)
            return
        led = self.out.ledger
        whole = self.moments[key][2]
        between = []
        if rest is not None:
            values = [led.values[w] - sum(led.values[m[2][k]] for m in waves) for k, w in enumerate(whole)]
            between = [
                led.add(f"{family} / {treatment} other waves / {outcome} answered {v:g}", x)
                for v, x in zip(self.answers[key][0], values, strict=True)
            ]
            self.out_of_sight(between, answers=True)
            led.relate({**{c: 1 for c in between}, rest[0]: -1})
        for k, w in enumerate(whole):
            led.relate({w: -1, **{m[2][k]: 1 for m in waves}, **({between[k]: 1} if between else {})})
        if not between:  # implied by the counts, but it makes the two waves' sums a pair to hide
            self.sums_of_parts(self.moments[key], waves)  # together (pairs share a relation)

    def _sums_of_waves(self, family: str, treatment: str, outcome: str, waves: list, rest) -> None:
        """On a wide item, the whole unit-model group's sum and sum of squares are its two waves'
        plus those of the waves between (cells of their own, tested as any group's are)."""
        led = self.out.ledger
        total, squares, _ = self.moments[(family, "", treatment, outcome)]
        parts = [m[:2] for m in waves]
        if rest is not None:
            scale, counts = self.spans[total]
            counts = counts - sum(self.spans[m[0]][1] for m in waves)
            whole = bool(np.array_equal(scale, np.rint(scale)))
            name = f"{family} / {treatment} other waves / {outcome}"
            between = (
                led.add(f"{name} sum", scale @ counts, upper=np.inf, whole=whole),
                led.add(f"{name} sum of squares", scale**2 @ counts, upper=np.inf, whole=whole),
            )
            self.not_counts.update(between)
            self.out_of_sight(list(between))
            self.wide_sums(*between, rest[0], scale, counts)
            parts.append(between)
        self.sums_of_parts((total, squares), parts)
