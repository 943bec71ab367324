"""Multiplicity by question, the rows that compare places, and the reading of each results row.

Each primary row of a design that tests the evaluation's questions belongs to one *question*
(``question`` column): a declared ``[questions.NAME]`` of the spec, else its data family (worker,
parent, admin, cost). Its p-value is adjusted within the question (``p_adjusted``), by default by a
step-down over the joint permutation distribution of the question's tests
(:func:`rsw_eval.inference.stepdown`: Westfall-Young maxT where the tests share permutations, Holm
across the rest), so correlated indicators do not pay a Bonferroni price. A declared primary
outcome is tested first, at the full level; the question's other tests come behind it (a fixed
sequence: their adjusted p is at least the primary's). The gate holds under every method: with
Benjamini-Hochberg the rest are adjusted by BH among themselves behind the primary (a serial
gatekeeping procedure, Dmitrienko & Tamhane 2007: the primary at the full level, the secondary
family only if it rejects), so a declared primary outcome is never silently ignored.

Rows that compare places are not tests of the model: a survey comparison with one authority on a
side (one unit-model authority, or a row per conventional authority) tests "these authorities'
workers (or parents) differ". They keep their p-value, in ``question`` :data:`PLACES`, outside
every question, and are never read as significant.

Donor-pool estimators (synthetic control, synthetic DiD, staggered ATT) estimate the effects the
DiD rows test, with inference that shares no permutation distribution with them: they are shown as
robustness checks with their unadjusted p, not counted as further tests of the question.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from rsw_eval.evaluation.interpret import (
    before_after_reading,
    effect_label,
    interpretation,
    pair_reading,
    place_reading,
)
from rsw_eval.inference import standardise, stepdown
from rsw_eval.spec._questions import PLACES, Question
from rsw_eval.stats import adjust_pvalues

__all__ = [
    "COMPARATIVE_DESIGNS",
    "PLACES",
    "RATIO_SCALES",
    "ROBUSTNESS_DESIGNS",
    "adjust_by_question",
    "adjust_questions",
    "assign_questions",
    "interpret_rows",
    "place_rows",
    "question_provenance",
    "withdraw_breakdowns",
]

#: Designs whose primary rows test the evaluation's questions (and are adjusted within them).
#: Before/after and cost change have no comparison group, and the cost comparison (``cost_did``)
#: has no valid test with two years (descriptive); rank tests, multilevel and other scales are
#: sensitivity analyses.
COMPARATIVE_DESIGNS = frozenset({"cross_section", "consistency", "did", "its"})
#: Other estimators of the effects the DiD rows test: robustness checks, unadjusted.
ROBUSTNESS_DESIGNS = frozenset({"synthetic_control", "synthetic_did", "staggered"})
#: Effect scales whose no-effect value is 1 (ratios); every other scale's is 0.
RATIO_SCALES = ("rate_ratio", "odds_ratio", "variance_ratio", "level_change_ratio", "slope_change_ratio")
#: The design whose row of a declared primary outcome is tested first (the first present).
GATE_ORDER = ("did", "cross_section", "its", "consistency")
_SURVEY_DESIGNS = ("cross_section", "cross_section_rank", "consistency", "multilevel")


def place_rows(table: pd.DataFrame, surveys: dict[str, pd.DataFrame | None]) -> pd.Series:
    """Survey rows whose compared arms hold fewer than two authorities on a side.

    ``surveys`` maps a family (worker, parent) to its survey (``authority`` and ``model`` columns).
    A row against "all conventional" compares every unit-model with every conventional authority;
    any other comparison is one conventional authority. With one authority on a side model and
    place are confounded: the row's p tests whether these authorities differ.
    """
    out = pd.Series(False, index=table.index)
    for family, frame in surveys.items():
        if frame is None or "model" not in frame or "authority" not in frame:
            continue
        k_unit = frame.loc[frame["model"] == "unit", "authority"].nunique()
        k_conv = frame.loc[frame["model"] == "conventional", "authority"].nunique()
        rows = (table["family"] == family) & table["design"].isin(_SURVEY_DESIGNS)
        pooled = table["comparison"] == "all conventional"
        out |= rows & ((k_unit < 2) | ~pooled | (k_conv < 2))
    return out


def assign_questions(table: pd.DataFrame, questions: tuple[Question, ...], places: pd.Series) -> None:
    """Fill ``question``: :data:`PLACES` for comparisons of places, the declared question of the
    row's outcome (else its family) for tests of a question, "" for every other row."""
    named = {o: q.name for q in questions for o in q.outcomes}
    tests = table["primary"] & table["p_value"].notna() & table["design"].isin(COMPARATIVE_DESIGNS)
    question = [named.get(o, f) for o, f in zip(table["outcome"], table["family"], strict=True)]
    table["question"] = np.where(places, PLACES, np.where(tests, question, ""))


def _blocks(rows: list[int], placebos: list) -> list[tuple[list[int], np.ndarray]]:
    """Rows (positions in ``rows``) that share a permutation distribution: same observed treated
    authorities; the permutations are those every row of the block has."""
    groups: dict[str, list[int]] = {}
    for pos, r in enumerate(rows):
        if placebos[r] is not None:
            groups.setdefault(placebos[r]["labels"][0], []).append(pos)
    blocks = []
    for members in groups.values():
        own = [placebos[rows[m]] for m in members]
        maps = [dict(zip(o["labels"], o["stats"], strict=True)) for o in own]
        common = [lab for lab in own[0]["labels"] if all(lab in m for m in maps)]
        stats = np.array([[m[lab] for lab in common] for m in maps], dtype=float)
        blocks.append((members, standardise(stats)))
    return blocks


def _family(p: np.ndarray, rows: list[int], placebos: list, method: str) -> tuple[np.ndarray, str]:
    """Adjusted p of ``rows`` (indices) and how: step-down, or Holm/BH over their own p."""
    sub = p[rows]
    if method != "stepdown":
        return adjust_pvalues(sub, method=method), method
    blocks = _blocks(rows, placebos)
    joint = sum(len(m) for m, _ in blocks)
    if not blocks:
        how = "Holm: no joint permutation distribution"
    elif joint == len(rows) and len(blocks) == 1:
        how = "Westfall-Young maxT over their joint permutation distribution"
    else:
        how = f"joint permutation distribution for {joint}, Holm across the rest"
    # a block keeps only the permutations every one of its rows has: a row whose comparators
    # include an authority another row lacks loses that placebo there, so its block p can fall
    # below its own; an adjusted p is never below the row's own p
    return np.fmax(stepdown(sub, blocks), sub), how


def adjust_questions(
    table: pd.DataFrame, method: str, placebos: list, questions: tuple[Question, ...]
) -> pd.DataFrame:
    """Adjust p-values within each question (``question`` set by :func:`assign_questions`).

    ``placebos[i]`` is row i's labelled permutation statistics, or None
    (:func:`rsw_eval.designs._joint.placebo_statistics`). ``adjustment`` says how, over how many
    tests of which question, and where a declared primary outcome gates the rest.
    """
    table["p_adjusted"] = np.nan
    table["adjustment"] = ""
    primary = {q.name: q.primary for q in questions}
    p = table["p_value"].to_numpy(dtype=float)
    for name in sorted(set(table["question"]) - {"", PLACES}):
        rows = list(np.flatnonzero(table["question"].to_numpy() == name))
        if method == "none":
            table.iloc[rows, table.columns.get_loc("p_adjusted")] = p[rows]
            table.iloc[rows, table.columns.get_loc("adjustment")] = "none"
            continue
        first = _gate(table, rows, primary.get(name, ""))
        rest = [r for r in rows if r not in first]
        adjusted, how = _family(p, rest, placebos, method)
        # the tests adjusted together: the primary outcome's rows are split off and tested first
        text = {r: f"{method} over {len(rest)} tests of question '{name}' ({how})" for r in rest}
        if first:
            gate, gate_how = _family(p, first, placebos, method)
            table.iloc[first, table.columns.get_loc("p_adjusted")] = gate
            adjusted = np.fmax(adjusted, np.nanmax(gate))
            outcome = table.at[table.index[first[0]], "outcome"]
            text.update({r: f"primary outcome of question '{name}', tested first ({method})" for r in first})
            text.update({r: f"{text[r]}; behind the primary outcome {outcome}" for r in rest})
        table.iloc[rest, table.columns.get_loc("p_adjusted")] = adjusted
        table.iloc[rows, table.columns.get_loc("adjustment")] = [text[r] for r in rows]
    return table


def adjust_by_question(
    table: pd.DataFrame,
    method: str,
    placebos: list,
    questions: tuple[Question, ...],
    surveys: dict[str, pd.DataFrame | None],
) -> pd.DataFrame:
    """The engine's step: mark comparisons of places, assign questions, adjust within them, and
    withdraw the robustness of findings the adjustment does not make (:func:`withdraw_breakdowns`)."""
    assign_questions(table, questions, place_rows(table, surveys))
    return withdraw_breakdowns(adjust_questions(table, method, placebos, questions))


def withdraw_breakdowns(table: pd.DataFrame, alpha: float = 0.05) -> pd.DataFrame:
    """Breakdown values only for findings the rows make: a row adjusted within its question whose
    adjusted p is ``alpha`` or more reads "not statistically significant", so how robust its
    unadjusted conclusion is to trend violations is not stated (its note says why).

    Examples
    --------
    >>> t = pd.DataFrame({"question": ["q", "q", ""], "p_adjusted": [0.01, 0.08, np.nan],
    ...                   "breakdown_mbar": [0.5, 0.02, 0.3], "breakdown_m": [0.1, 0.0, 0.2],
    ...                   "note": ["", "(HonestDiD): the conclusion survives post-period trend violations up "
    ...                            "to 0.02 times the largest pre-period one, and not the pre-period trend "
    ...                            "difference carried on (smoothness M = 0); pre-trend p = 0.5", ""]})
    >>> out = withdraw_breakdowns(t)
    >>> out["breakdown_mbar"].tolist()
    [0.5, nan, 0.3]
    >>> print(out["note"][1])  # doctest: +NORMALIZE_WHITESPACE
    (HonestDiD): no breakdown value: the adjusted p (0.08) makes no finding whose robustness to trend
    violations could be stated; pre-trend p = 0.5
    """
    had = table["breakdown_mbar"].notna() | table["breakdown_m"].notna()
    adjusted = table["question"].fillna("").astype(bool) & table["p_adjusted"].notna()
    gone = had & adjusted & (table["p_adjusted"] >= alpha)
    if gone.any():
        table.loc[gone, ["breakdown_mbar", "breakdown_m"]] = np.nan
        table.loc[gone, "note"] = [
            _SURVIVES.sub(
                f"no breakdown value: the adjusted p ({p:.3g}) makes no finding whose robustness to trend "
                "violations could be stated",
                str(n) if pd.notna(n) else "",
            )
            for n, p in zip(table.loc[gone, "note"], table.loc[gone, "p_adjusted"], strict=True)
        ]
    return table


#: The sensitivity note's sentence on the breakdown value (inference._honest.Sensitivity.sentence).
_SURVIVES = re.compile(
    r"the conclusion (survives post-period trend violations up to [^;]*? times the largest pre-period one"
    r"|does not survive any post-period trend violation \(Mbar = 0\))"
    r"(, and [^;]*?\(smoothness[^;]*?\))?"
)


def question_provenance(table: pd.DataFrame, questions: tuple[Question, ...]) -> dict:
    """Each question with tests: its outcomes and declared primary outcome ("" when none)."""
    declared = {q.name: q.primary for q in questions}
    tested = table[~table["question"].isin(["", PLACES])]
    return {
        str(name): {"outcomes": sorted(set(rows["outcome"])), "primary": declared.get(name, "")}
        for name, rows in tested.groupby("question", sort=True)
    }


def _gate(table: pd.DataFrame, rows: list[int], outcome: str) -> list[int]:
    """The rows of a declared primary outcome tested first: those of the first design in
    :data:`GATE_ORDER` that it has (one row, or one per treated authority)."""
    if not outcome:
        return []
    mine = [r for r in rows if table.iat[r, table.columns.get_loc("outcome")] == outcome]
    for design in GATE_ORDER:
        chosen = [r for r in mine if table.iat[r, table.columns.get_loc("design")] == design]
        if chosen:
            return chosen
    return []


def interpret_rows(table: pd.DataFrame, method: str) -> list[str]:
    """Each row's reading: a test of its question when it has one (adjusted by ``method``), what
    was compared for a comparison of places, sensitivity or descriptive otherwise."""
    out = []
    for r in table.itertuples():
        null = 1.0 if r.effect_size_name.endswith(RATIO_SCALES) else 0.0
        if r.question == PLACES:
            text = place_reading(r.family, r.treatment, r.comparison, r.p_value, r.design)
            label = effect_label(r.effect_size_name, r.effect_size)
            out.append(f"{text}; a {label} difference by Cohen's (1988) labels" if label else text)
            continue
        in_family = bool(r.question)
        text = interpretation(
            r.effect_size_name,
            r.effect_size,
            r.p_value,
            r.p_adjusted,
            method if in_family else "",
            bool(r.primary) and in_family,
            ci_low=r.ci_low,
            ci_high=r.ci_high,
            ci_level=r.ci_level,
            null=null,
        )
        if r.design in ("before_after", "cost_change") and not text:  # descriptive; by its years
            text = before_after_reading(r.period, r.adoption_year, r.comparison)
        elif r.design == "cost_did" and not text:  # the comparison of the same two years' changes
            text = pair_reading(r.period, r.adoption_year)
        if r.design in ROBUSTNESS_DESIGNS and np.isfinite(r.p_value):
            text = text.replace(
                "sensitivity analysis", "robustness check (another estimator of the DiD effect)"
            )
        out.append(text)
    return out
