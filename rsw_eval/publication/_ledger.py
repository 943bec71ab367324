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
- on an item answered on a short scale (:mod:`rsw_eval.designs._answers`), a group's
  answer counts add up to its size, and the sum and sum of squares of its answers (which its
  published mean and SD give, with its size) are sums over them; a pooled group's sum and sum of
  squares are its authorities', and the waves' answer counts part of the whole group's.

:func:`survey_ledger` builds the :class:`~rsw_eval.disclosure.Ledger` from the engine's real rows
(never from a hand-made shape), with which cell each row side publishes.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from rsw_eval.designs._rows import group_name
from rsw_eval.publication._answer_cells import AnswerCells, answer_table
from rsw_eval.publication._survey_cells import (
    HEADLINE,
    POOLED,
    SIDES,
    SIZE,
    SURVEY_FAMILIES,
    TOTAL,
    WITHOUT_ROWS,
    SurveyCells,
)

__all__ = ["survey_ledger"]


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


class _Builder(AnswerCells):
    def __init__(self, threshold: int, answers: pd.DataFrame | None = None):
        self.t = threshold
        self.out = SurveyCells(threshold=threshold)
        self.size: dict[tuple, int] = {}  # (family, scope, group, n) -> cell
        self.events: dict[tuple, int] = {}  # (family, scope, group, outcome) -> cell
        self.of_size: dict[int, int] = {}  # events cell -> its group's size cell
        self.answers = answer_table(answers)
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
        #: a wide item's sum cell -> (its scale, the group's answer counts): :meth:`wide_sums`
        self.spans: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        self.pins: list[tuple[str, dict[int, float]]] = []  # the sums that force an answer count

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

    def out_of_sight(self, cells: list[int], answers: bool = False) -> None:
        """Cells hidden from the start (no row shows them, or a wide item's sums that force an
        answer count; sensitive where counts from 1 to t); ``answers``: answer counts."""
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
                self.sums_of_parts(answered[0], answered[1:])
                sums, where = [a[0] for a in answered[1:]], f"{key[0]} / {key[2]}"
                if sums[0] in self.spans:  # a wide item: its groups' answers, tested (_pins)
                    counts = [self.spans[c][1] for c in sums]
                    self.out.pooled_wide.append((sums, counts, self.spans[sums[0]][0], where))
                else:
                    self.pooled_answers.append((sums, [a[2] for a in answered[1:]], where))
            elif pool_e is not None and all(groups[g][1] is not None for g in parts):
                led.relate({pool_e: 1, **_minus(groups[g][1] for g in parts)})

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
            rows = rows[pd.to_numeric(rows["n_treatment"], errors="coerce").notna()]  # (an item all
            if rows.empty:  # answered alike has no comparison: its row counts nobody)
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

    def _rest(self, family, treatment, outcome, parts, n_all, e_all) -> tuple[int, int | None] | None:
        """The unit-model workers in neither the first nor the last wave (whole group less the
        two waves): never published, but anyone can subtract, so a cell that must stay protected."""
        led = self.out.ledger
        n = led.values[n_all] - sum(led.values[c] for c, _ in parts)
        if n < 0.5:
            return None
        name = f"{family} / {treatment} other waves"
        size, events = self.hidden_size((family, "other waves", treatment, n), name, n), None
        if e_all is not None:
            e = led.values[e_all] - sum(led.values[c] for _, c in parts)
            events = self.hidden_events(
                (family, "other waves", treatment, outcome), f"{name} / {outcome}", e, size
            )
        return size, events

    def hidden_size(self, key: tuple, name: str, n: float, lower: float = 0.0) -> int:
        """The size cell of a group no row shows (the whole less its parts: anyone can subtract),
        hidden from the start; one per ``key``."""
        if key not in self.size:
            self.size[key] = self.out.ledger.add(f"{name} / respondents", n, lower=lower, cost=HEADLINE)
            self.out_of_sight([self.size[key]])
        return self.size[key]

    def hidden_events(self, key: tuple, name: str, e: float, size: int) -> int:
        """The events cell, on a yes/no outcome, of a group no row shows (:meth:`hidden_size`)."""
        led = self.out.ledger
        if key not in self.events:
            self.events[key] = led.add(name, e, cost=HEADLINE)
            self.of_size[self.events[key]] = size
            self.out_of_sight([self.events[key]])
            led.links.setdefault(size, set()).add(self.events[key])
            led.relate({self.events[key]: 1, size: -1}, "<=")
        return self.events[key]

    def sums_of_parts(self, whole: tuple, parts: list) -> None:
        """A group's sum and sum of squares of answers (``whole``: its moment cells) are its parts'."""
        for k in (0, 1):
            self.out.ledger.relate({whole[k]: 1, **_minus(p[k] for p in parts)})

    def _part_of(self, coefs: dict[int, float]) -> None:
        led = self.out.ledger
        total = sum(c * led.values[i] for i, c in coefs.items())
        led.relate(coefs, "=" if abs(total) < 1e-6 else "<=")

    def finish(self) -> SurveyCells:
        led, t = self.out.ledger, self.t
        values = np.asarray(led.values, dtype=float)
        primary = (values >= 1) & (values <= t)
        primary[list(self.not_counts)] = False
        sensitive = [(led.names[i], {i: 1.0}) for i in np.flatnonzero(primary)] + self.pins
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
