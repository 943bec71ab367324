"""The counts behind the survey rows of a results table, and what links them.

Every survey row (families ``worker`` and ``parent``) compares two groups of people; each side of a
row is a group whose size ``n`` is a count, and on a yes/no outcome its share is events / n, so the
events are a count too. The same group appears on many rows (every outcome, the three effect scales
of a yes/no outcome, the rank and multilevel rows), so one cell stands for it wherever it appears.
Relations an attacker knows from the table's shape:

- a pooled group ("all conventional") is the sum of its authorities, in size and in events;
- the respondents-per-authority table's Total is the sum of its rows;
- the first and last survey waves of the unit-model group hold no more than the whole group;
- events lie between 0 and the group size; a listed group has at least one member;
- on an item answered on a short whole-number scale (:mod:`rsw_eval.designs._answers`), a group's
  answer counts add up to its size, and the sum and sum of squares of its answers (which its
  published mean and SD give, with its size) are sums over them; a pooled group's sum and sum of
  squares are its authorities', and the waves' answer counts part of the whole group's.

:func:`survey_ledger` builds the :class:`~rsw_eval.disclosure.Ledger` from the engine's real rows
(never from a hand-made shape), with which cell each row side publishes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from rsw_eval.designs._rows import group_name
from rsw_eval.disclosure import Ledger

__all__ = ["POOLED", "SURVEY_FAMILIES", "SurveyCells", "survey_ledger"]

POOLED = "all conventional"
#: The name of a pooled group's respondents in no authority with a row (:meth:`_Builder._without_rows`).
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
    few_answers : set of int
        The sum cells of the groups with an answer count from 1 to t on their item.
    threshold : int
        t.
    pooled_answers : list
        Per pooled group and item: its authorities' sum cells and answer-count cells, and the
        item's name (:meth:`hidden_together`).
    """

    ledger: Ledger = field(default_factory=Ledger)
    sides: dict[tuple, tuple[int | None, int | None]] = field(default_factory=dict)
    primary: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    sensitive: list[tuple[str, dict[int, float]]] = field(default_factory=list)
    respondents: dict[str, tuple[list[tuple[str, int]], int]] = field(default_factory=dict)
    threshold: int = 0
    nobody: list[str] = field(default_factory=list)
    pooled_parts: dict[int, list[int]] = field(default_factory=dict)
    few_answers: set[int] = field(default_factory=set)
    pooled_answers: list[tuple[list[int], list[list[int]], str]] = field(default_factory=list)

    def hidden_together(self, hidden: np.ndarray) -> list[tuple[str, dict[int, float]]]:
        """The answer counts of a pooled group's authorities whose answers are hidden, taken
        together, where from 1 to t: the pooled group less the authorities shown gives their
        sum and sum of squares (q18att sv4: "3 of the hidden authorities' workers answered 2";
        q20att-2 F2: an authority hidden to protect another is among them), so they are counts
        to protect too (as answer counts: a range reaching 0 protects them). Which authorities
        are hidden changes as secondary suppression goes on:
        :func:`~rsw_eval.disclosure.protect_ledger` asks again each round."""
        values = self.ledger.values
        out, seen = [], set()
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
                    (f"{where} answered {answer} (hidden authorities together)", dict.fromkeys(cells, 1.0))
                )
        return out


def _waves(period: str) -> tuple[str, str]:
    first, _, last = str(period).partition("->")
    return first.strip(), last.strip()


def _groups(row: dict) -> tuple[str, dict[str, str]]:
    """(scope, {side: group}) of a survey row: the two waves of the unit-model group on a
    before/after row, else the treatment group and the comparison group."""
    treatment = str(row.get("treatment", ""))
    if row.get("design") == "before_after":
        first, last = _waves(row.get("period", ""))
        return str(row.get("period", "")), {
            "treatment": f"{treatment} wave {last}",
            "comparison": f"{treatment} wave {first}",
        }
    return "", {"treatment": treatment, "comparison": group_name(str(row.get("comparison", "")), treatment)}


def _whole(x: float) -> int | None:
    return int(round(x)) if np.isfinite(x) and abs(x - round(x)) < 1e-6 else None


def _answer_table(answers: pd.DataFrame | None) -> dict[tuple, tuple[np.ndarray, np.ndarray]]:
    """(family, scope, group, outcome) -> (the item's scale, the group's count of each answer)."""
    if answers is None or not len(answers):
        return {}
    keys = ["family", "scope", "group", "outcome"]
    return {
        tuple(map(str, key)): (sub["value"].to_numpy(float), sub["count"].to_numpy(float))
        for key, sub in answers.groupby(keys, sort=False)
    }


class _Builder:
    def __init__(self, threshold: int, answers: pd.DataFrame | None = None):
        self.t = threshold
        self.out = SurveyCells(threshold=threshold)
        self.size: dict[tuple, int] = {}  # (family, scope, group, n) -> cell
        self.events: dict[tuple, int] = {}  # (family, scope, group, outcome) -> cell
        self.of_size: dict[int, int] = {}  # events cell -> its group's size cell
        self.answers = _answer_table(answers)
        #: (family, scope, group, outcome) -> (sum, sum of squares, answer counts): :meth:`moment_cells`
        self.moments: dict[tuple, tuple[int, int, list[int]]] = {}
        self.not_counts: set[int] = set()  # sums of answers: no count of people
        self.answered: set[int] = set()  # answer counts
        #: per pooled group and item: (its authorities' sum cells, their answer-count cells, name)
        self.pooled_answers: list[tuple[list[int], list[list[int]], str]] = []
        #: (family, scope, outcome, design) -> group -> (size, events): the rows of one design
        #: share their groups (a multilevel row may count fewer people than the cross-section's)
        self.by_outcome: dict[tuple, dict[str, tuple[int, int | None]]] = {}
        self.treatment: dict[tuple, str] = {}
        self.unpublished: set[int] = set()  # cells no row shows (hidden from the start)
        self.pooled_rows: dict[tuple, list] = {}  # by_outcome's key -> rows of its pooled group

    def cost(self, group: str, treatment: str, value: float, size: bool) -> float:
        headline = group in (POOLED, treatment) or group.startswith(f"{treatment} wave ")
        return (HEADLINE if headline else 0.0) + (SIZE if size else 1.0) + value

    def side(self, i, row: dict, scope: str, side: str, group: str) -> None:
        led = self.out.ledger
        family, outcome, treatment = str(row["family"]), str(row["outcome"]), str(row.get("treatment", ""))
        n = _whole(float(row.get(f"n_{side}", np.nan)))
        if n is None:
            self.out.sides[(i, side)] = (None, None)
            return
        key = (family, scope, group, n)
        if key not in self.size:
            name = f"{family} / {group} / respondents"
            self.size[key] = led.add(name, n, lower=1, cost=self.cost(group, treatment, n, True))
        size = self.size[key]
        events = None
        share = float(row.get(f"value_{side}", np.nan))
        e = _whole(share * n) if row.get("measure") == "proportion" else None
        if e is not None:
            ekey = (family, scope, group, outcome)
            if ekey not in self.events:
                name = f"{family} / {group} / {outcome}"
                self.events[ekey] = led.add(name, e, cost=self.cost(group, treatment, e, False))
                self.of_size[self.events[ekey]] = size
                led.links.setdefault(size, set()).add(self.events[ekey])
                led.relate({self.events[ekey]: 1, size: -1}, "<=")
            events = self.events[ekey]
        elif (family, scope, group, outcome) in self.answers:
            events = self.moment_cells((family, scope, group, outcome), size, treatment)
        self.out.sides[(i, side)] = (size, events)
        key = (family, scope, outcome, str(row.get("design", "")))
        self.by_outcome.setdefault(key, {})[group] = (size, events)
        self.treatment[key] = treatment
        if group == POOLED and not scope:
            self.pooled_rows.setdefault(key, []).append(i)

    def moment_cells(self, key: tuple, size: int, treatment: str) -> int:
        """The sum cell of a group's answers to an item (created with its sum of squares and its
        answer counts on first use): the relations say that the counts add up to the size and
        give the sum and the sum of squares, which the published mean and SD give with the size.
        Hiding the size hides the sum; the sum and the sum of squares are hidden together (the
        mean and the SD are the side's values)."""
        led = self.out.ledger
        if key not in self.moments:
            family, _, group, outcome = key
            scale, counts = self.answers[key]
            n = float(counts.sum())
            cost = self.cost(group, treatment, n, False)
            answered = [
                led.add(f"{family} / {group} / {outcome} answered {v:g}", c)
                for v, c in zip(scale, counts, strict=True)
            ]
            self.out_of_sight(answered, answers=True)
            low = -np.inf if scale.min() < 0 else 0.0
            total = led.add(
                f"{family} / {group} / {outcome} sum", scale @ counts, lower=low, upper=np.inf, cost=cost
            )
            squares = led.add(
                f"{family} / {group} / {outcome} sum of squares", scale**2 @ counts, upper=np.inf, cost=cost
            )
            self.not_counts.update((total, squares))
            led.relate({total: -1, **dict(zip(answered, scale, strict=True))})
            led.relate({squares: -1, **dict(zip(answered, scale**2, strict=True))})
            led.links.setdefault(total, set()).add(squares)
            led.links.setdefault(squares, set()).add(total)
            self.moments[key] = (total, squares, answered)
            if ((counts >= 1) & (counts <= self.t)).any():
                self.out.few_answers.add(total)
        total, _, answered = self.moments[key]
        led.relate({**{c: 1 for c in answered}, size: -1})  # where the row counts the same people
        led.links.setdefault(size, set()).add(total)
        return total

    def out_of_sight(self, cells: list[int], answers: bool = False) -> None:
        """Cells no row shows (hidden from the start; sensitive where from 1 to t); ``answers``:
        answer counts."""
        self.unpublished.update(cells)
        if answers:
            self.answered.update(cells)

    def pooled(self) -> None:
        led = self.out.ledger
        for key, groups in self.by_outcome.items():
            if key[1] or POOLED not in groups:
                continue
            parts = [g for g in groups if g not in (POOLED, self.treatment[key])]
            pool_n, pool_e = groups[POOLED]
            rest = self._without_rows(key, groups, parts)
            if rest is not None:  # authorities of too few answers for a row of their own
                groups = {**groups, WITHOUT_ROWS: rest[:2]}
                parts = [*parts, WITHOUT_ROWS]
            if not parts:
                continue
            led.relate({pool_n: 1, **_minus(groups[g][0] for g in parts)})
            for i in self.pooled_rows.get(key, []):
                self.out.pooled_parts[i] = [groups[g][0] for g in parts]
            answered = [self.moments.get((key[0], key[1], g, key[2])) for g in (POOLED, *parts)]
            if rest is not None and rest[2] is not None and all(a is not None for a in answered[:-1]):
                answered[-1] = rest[2]
            if all(a is not None for a in answered):
                # the pooled sum and sum of squares are the authorities' (not answer by answer: that
                # would tie every authority's counts into one integer programme, minutes long with
                # 150 authorities, and a pooled group's mean and SD leave its counts far from
                # determined)
                for k in (0, 1):
                    led.relate({answered[0][k]: 1, **_minus(a[k] for a in answered[1:])})
                sums = [a[0] for a in answered[1:]]
                self.pooled_answers.append((sums, [a[2] for a in answered[1:]], f"{key[0]} / {key[2]}"))
            elif pool_e is not None and all(groups[g][1] is not None for g in parts):
                led.relate({pool_e: 1, **_minus(groups[g][1] for g in parts)})

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
        size_key = (family, WITHOUT_ROWS, "", n)  # one cell for every outcome they answer alike
        if size_key not in self.size:
            self.size[size_key] = led.add(f"{name} / respondents", n, lower=1, cost=HEADLINE)
            self.out_of_sight([self.size[size_key]])
        size, events, sums = self.size[size_key], None, None
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
                events = led.add(f"{name} / {outcome}", rest, cost=HEADLINE)
                self.of_size[events] = size
                self.out_of_sight([events])
                led.relate({events: 1, size: -1}, "<=")
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

    def totals(self, table: pd.DataFrame) -> None:
        """The respondents-per-authority table (the Forrester report's "Design and samples"): its
        rows are the sizes of the first outcome's groups, its Total their sum."""
        led = self.out.ledger
        for family, outcome in (("worker", "ghq_score"), ("parent", "rating_overall")):
            rows = table[
                (table["family"] == family)
                & (table["design"] == "cross_section")
                & table.get("primary", pd.Series(True, index=table.index)).astype(bool)
            ]
            if rows.empty:
                continue
            first = outcome if (rows["outcome"] == outcome).any() else str(rows["outcome"].iloc[0])
            groups = self.by_outcome.get((family, "", first, "cross_section"), {})
            treatment = self.treatment.get((family, "", first, "cross_section"), "")
            listed = [(f"{treatment} (unit model)", groups[treatment][0])] if treatment in groups else []
            listed += [(g, groups[g][0]) for g in sorted(groups) if g not in (POOLED, treatment)]
            if not listed:
                continue
            total_value = sum(led.values[c] for _, c in listed)
            total = led.add(f"{family} / Total / respondents", total_value, cost=TOTAL + total_value)
            led.relate({total: 1, **_minus(c for _, c in listed)})
            self.out.respondents[family] = (listed, total)

    def waves(self) -> None:
        """The first and last waves of the unit-model group are part of the whole group (all of it
        when the survey had only those two waves: then, as an attacker may know, the parts add up)."""
        for (family, scope, outcome, _), groups in self.by_outcome.items():
            if not scope:
                continue
            whole = self.by_outcome.get((family, "", outcome, "cross_section"), {})
            treatment = self.treatment.get((family, "", outcome, "cross_section"))
            if treatment not in whole:
                continue
            n_all, e_all = whole[treatment]
            parts = [groups[g] for g in groups]
            events = e_all not in (None, *self.not_counts) and all(e is not None for _, e in parts)
            rest = self._rest(family, treatment, outcome, parts, n_all, e_all if events else None)
            waves = [self.moments.get((family, scope, g, outcome)) for g in groups]
            self._answers_of_waves(family, treatment, outcome, waves, rest)
            if rest is not None:  # more than two waves: the waves between are a group too
                parts = [*parts, rest]
            self._part_of({**{n: 1 for n, _ in parts}, n_all: -1})
            if events:
                self._part_of({**{e: 1 for _, e in parts}, e_all: -1})
                coefs: dict[int, float] = {n_all: -1, e_all: 1}
                for n, e in parts:
                    coefs[n] = coefs.get(n, 0) + 1
                    coefs[e] = coefs.get(e, 0) - 1
                self._part_of(coefs)

    def _answers_of_waves(self, family: str, treatment: str, outcome: str, waves: list, rest) -> None:
        """Each answer's count in the whole unit-model group is that of its two waves, plus that
        of the waves between (never published: cells of their own) where there are any."""
        key = (family, "", treatment, outcome)
        if key not in self.moments or not all(waves):
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

    def _rest(self, family, treatment, outcome, parts, n_all, e_all) -> tuple[int, int | None] | None:
        """The unit-model workers in neither the first nor the last wave (whole group less the
        two waves): never published, but anyone can subtract, so a cell that must stay protected."""
        led = self.out.ledger
        n = led.values[n_all] - sum(led.values[c] for c, _ in parts)
        if n < 0.5:
            return None
        key = (family, "other waves", treatment, n)
        if key not in self.size:
            name = f"{family} / {treatment} other waves / respondents"
            self.size[key] = led.add(name, n, cost=HEADLINE)
            self.out_of_sight([self.size[key]])
        size, events = self.size[key], None
        if e_all is not None:
            ekey = (family, "other waves", treatment, outcome)
            if ekey not in self.events:
                e = led.values[e_all] - sum(led.values[c] for _, c in parts)
                self.events[ekey] = led.add(
                    f"{family} / {treatment} other waves / {outcome}", e, cost=HEADLINE
                )
                self.of_size[self.events[ekey]] = size
                self.out_of_sight([self.events[ekey]])
                led.links.setdefault(size, set()).add(self.events[ekey])
                led.relate({self.events[ekey]: 1, size: -1}, "<=")
            events = self.events[ekey]
        return size, events

    def _part_of(self, coefs: dict[int, float]) -> None:
        led = self.out.ledger
        total = sum(c * led.values[i] for i, c in coefs.items())
        led.relate(coefs, "=" if abs(total) < 1e-6 else "<=")

    def finish(self) -> SurveyCells:
        led, t = self.out.ledger, self.t
        values = np.asarray(led.values, dtype=float)
        primary = (values >= 1) & (values <= t)
        primary[list(self.not_counts)] = False
        sensitive = [(led.names[i], {i: 1.0}) for i in np.flatnonzero(primary)]
        primary[list(self.unpublished)] = True
        for e, n in self.of_size.items():
            rest = values[n] - values[e]
            if 1 <= rest <= t:
                primary[e] = True
                sensitive.append((f"{led.names[e]} (non-events)", {n: 1.0, e: -1.0}))
        self.out.primary, self.out.sensitive = primary, sensitive
        self.out.nobody = [name for name, target in sensitive if set(target) <= self.answered]
        self.out.pooled_answers = self.pooled_answers
        return self.out


def _minus(cells) -> dict[int, float]:
    out: dict[int, float] = {}
    for c in cells:
        out[c] = out.get(c, 0.0) - 1.0
    return out


def survey_ledger(table: pd.DataFrame, threshold: int, answers: pd.DataFrame | None = None) -> SurveyCells:
    """The cells of the survey rows of a results table (the engine's raw ``Results.table``), with
    the answer counts of its groups where known (``Results.answers``,
    :func:`rsw_eval.designs._answers.answer_counts`).

    Examples
    --------
    >>> rows = [dict(family="worker", design="cross_section", outcome="x", measure="proportion",
    ...              treatment="U", comparison=c, n_treatment=40, n_comparison=n,
    ...              value_treatment=0.5, value_comparison=e / n, primary=True)
    ...         for c, n, e in (("all conventional", 33, 12), ("A", 30, 10), ("B", 3, 2))]
    >>> cells = survey_ledger(pd.DataFrame(rows), 5)
    >>> [cells.ledger.names[i] for i in np.flatnonzero(cells.primary)]
    ['worker / B / respondents', 'worker / B / x']
    """
    build = _Builder(threshold, answers)
    if not len(table) or "family" not in table:
        return build.finish()
    survey = table[table["family"].isin(SURVEY_FAMILIES)]
    for i, row in zip(survey.index, survey.to_dict("records"), strict=True):
        scope, groups = _groups(row)
        for side in SIDES:
            build.side(i, row, scope, side, groups[side])
    build.pooled()
    build.totals(survey)
    build.waves()
    return build.finish()
