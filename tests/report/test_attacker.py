"""Disclosure control tested as an attacker would (issue 14): random small-cell tables, protected,
then every suppressed value attacked from everything published with them.

The attacker knows the shape of the tables (a pooled "all conventional" row is the sum of its
per-authority rows; the respondents-per-authority table has a Total row; every outcome row of a
family counts the same people; shares are events / n; a rate per 10,000 is count / population x
10,000; p-values are Fisher's exact test; adjusted p-values are Holm's). Attacks:

1. linear differencing: every published relation as a linear system over the suppressed cells
   (n per group, events and non-events per group and outcome); a cell is recovered when its unit
   vector lies in the row space of the system, or when a sum of non-negative unknowns is 0;
2. share x denominator and denominator = events / share, repeated to a fixed point with 1;
3. rate x population and percentage x denominator in the indicator series;
4. Fisher inversion: a published p (or an adjusted p divided by its Holm factor) on a row with one
   unknown count, searched over every count the row could have: recovered when one count fits.

Examples are generated deterministically (``derandomize=True``) so the suite is stable: 80 of each
in the suite (``RSW_ATTACK_EXAMPLES`` to change); 2026-12-01 with 500 of each: 0 values recovered.
"""

from __future__ import annotations

import os

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy import stats
from scipy.linalg import null_space

from rsw_eval.disclosure import group_counts, protect_series, protect_table, rule_set, suppress_counts

SETTINGS = settings(
    derandomize=True,
    database=None,
    max_examples=int(os.environ.get("RSW_ATTACK_EXAMPLES", "80")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
POOLED = "all conventional"


def _holm(p: np.ndarray) -> np.ndarray:
    order = np.argsort(p)
    m = len(p)
    adj = np.maximum.accumulate(np.minimum(1, (m - np.arange(m)) * p[order]))
    out = np.empty(m)
    out[order] = adj
    return out


def _fisher(a: int, n1: int, b: int, n2: int) -> float:
    return float(stats.fisher_exact([[a, n1 - a], [b, n2 - b]]).pvalue)


sizes = st.one_of(st.integers(1, 8), st.integers(9, 40))


@st.composite
def surveys(draw):
    """A worker survey's results: unit-model authority U and 2-4 conventional authorities, two
    proportion outcomes, every group's n and events drawn with small cells likely."""
    k = draw(st.integers(2, 4))
    n_unit = draw(sizes)
    n = {f"A{j}": draw(sizes) for j in range(k)}
    rows = []
    for outcome in ("o1", "o2"):
        e_unit = draw(st.integers(0, n_unit))
        events = {a: draw(st.integers(0, n[a])) for a in n}
        parts = [(POOLED, sum(n.values()), sum(events.values()))] + [(a, n[a], events[a]) for a in n]
        for comparison, nc, ec in parts:
            rows.append(
                dict(
                    family="worker",
                    design="cross_section",
                    primary=True,
                    outcome=outcome,
                    measure="proportion",
                    treatment="U",
                    comparison=comparison,
                    n_treatment=float(n_unit),
                    n_comparison=float(nc),
                    value_treatment=e_unit / n_unit,
                    value_comparison=ec / nc,
                    difference=e_unit / n_unit - ec / nc,
                    p_value=_fisher(e_unit, n_unit, ec, nc),
                    suppressed=False,
                    e_unit=e_unit,
                    e_comp=ec,
                )
            )
    table = pd.DataFrame(rows)
    table["p_adjusted"] = _holm(table["p_value"].to_numpy())
    return table


class Attack:
    """Variables: n of each group (shared by every outcome), events and non-events of each group
    and outcome. Known values come from the published cells; equations from the table shapes."""

    def __init__(self, raw: pd.DataFrame):
        groups = ["U", *[c for c in raw["comparison"].unique() if c != POOLED]]
        outcomes = list(raw["outcome"].unique())
        names = [("n", g) for g in groups]
        names += [(kind, g, o) for o in outcomes for g in groups for kind in ("e", "f")]
        self.index = {v: i for i, v in enumerate(names)}
        self.truth = np.zeros(len(names))
        for r in raw[raw["comparison"] != POOLED].itertuples():
            self._set_truth(r.comparison, r.outcome, r.n_comparison, r.e_comp)
            self._set_truth("U", r.outcome, r.n_treatment, r.e_unit)
        self.known: dict[int, float] = {}
        self.equations: list[tuple[np.ndarray, float]] = []
        for o in outcomes:
            for g in groups:  # n = events + non-events
                self.equation({("n", g): 1, ("e", g, o): -1, ("f", g, o): -1}, 0.0)
        self.groups, self.outcomes = groups, outcomes

    def _set_truth(self, g, o, n, e):
        self.truth[self.index[("n", g)]] = n
        self.truth[self.index[("e", g, o)]] = e
        self.truth[self.index[("f", g, o)]] = n - e

    def equation(self, coefs: dict, rhs: float) -> None:
        a = np.zeros(len(self.index))
        for k, c in coefs.items():
            a[self.index[k]] += c
        self.equations.append((a, rhs))

    def know(self, key, value: float) -> None:
        self.known[self.index[key]] = float(value)

    def solve(self) -> set[int]:
        """Indices of every variable the published relations determine."""
        determined = set(self.known)
        for _ in range(5):
            before = len(determined)
            rows = [a for a, _ in self.equations] + [np.eye(len(self.index))[j] for j in determined]
            # x_j is determined iff every solution of the homogeneous system has x_j = 0
            free = null_space(np.array(rows))
            determined |= set(np.flatnonzero(np.abs(free).max(axis=1, initial=0) < 1e-9).tolist())
            for coefs, rhs in self.equations:  # a sum of non-negative unknowns equal to 0
                unknown = [j for j in np.flatnonzero(coefs) if j not in determined]
                rest = sum(coefs[j] * self.truth[j] for j in np.flatnonzero(coefs) if j in determined)
                if unknown and all(coefs[j] > 0 for j in unknown) and np.isclose(rhs - rest, 0):
                    determined |= set(unknown)
            if len(determined) == before:
                break
        return determined


def attack_survey(raw: pd.DataFrame, out: pd.DataFrame, threshold: int) -> list[str]:
    """Every suppressed value of ``raw`` that ``out`` (and the respondents table) give back."""
    at = Attack(raw)
    shares = []
    for r in out.itertuples():
        o = r.outcome
        if pd.notna(r.n_treatment):
            at.know(("n", "U"), r.n_treatment)
        if pd.notna(r.value_treatment):
            shares.append(("U", o, r.value_treatment))
        if r.comparison == POOLED:  # pooled = sum of parts
            if pd.notna(r.n_comparison):
                at.equation({("n", g): 1 for g in at.groups[1:]}, r.n_comparison)
            if pd.notna(r.n_comparison) and pd.notna(r.value_comparison):
                e = round(r.value_comparison * r.n_comparison)
                at.equation({("e", g, o): 1 for g in at.groups[1:]}, e)
                at.equation({("f", g, o): 1 for g in at.groups[1:]}, r.n_comparison - e)
            continue
        if pd.notna(r.n_comparison):
            at.know(("n", r.comparison), r.n_comparison)
        if pd.notna(r.value_comparison):
            shares.append((r.comparison, o, r.value_comparison))
    published_n = {g for g in at.groups if at.index[("n", g)] in at.known}
    counts = group_counts(raw)
    values, mask = suppress_counts(counts, threshold)
    total = float(counts["workers"].sum())  # the Total row is printed
    at.equation({("n", g): 1 for g in at.groups}, total)
    for label, hidden in mask["workers"].items():
        g = "U" if label.endswith("(unit model)") else label
        if not hidden:
            at.know(("n", g), values.loc[label, "workers"])
            published_n.add(g)
    determined = set()
    for _ in range(4):  # share x denominator, to a fixed point
        determined = at.solve()
        for g, o, v in shares:
            jn, je, _jf = at.index[("n", g)], at.index[("e", g, o)], at.index[("f", g, o)]
            if jn in determined:
                at.know(("e", g, o), v * at.truth[jn])
                at.know(("f", g, o), (1 - v) * at.truth[jn])
            elif je in determined and v > 0:
                at.know(("n", g), at.truth[je] / v)
    determined = at.solve()
    # a secret is a value published nowhere: a group's n, a group's share in an outcome
    shown_n = published_n
    shown_share = {(g, o) for g, o, _ in shares}
    leaks = []
    for g in at.groups:
        if g not in shown_n and at.index[("n", g)] in determined:
            leaks.append(f"n of {g}")
        for o in at.outcomes:
            if (g, o) not in shown_share and {at.index[("e", g, o)], at.index[("n", g)]} <= determined:
                leaks.append(f"share of {g} in {o}")
    for r_raw, r in zip(raw.itertuples(), out.itertuples(), strict=True):
        if r.comparison == POOLED:
            continue
        leaks += _fisher_attack(at, determined, r_raw, r)
    return leaks


def _fisher_attack(at: Attack, determined: set[int], raw, row) -> list[str]:
    """A published p (or Holm-adjusted p / factor) on a row whose comparison events are unknown."""
    g, o = row.comparison, row.outcome
    if at.index[("e", g, o)] in determined:
        return []
    targets = [row.p_value] if pd.notna(row.p_value) else []
    m = 2 * (len(at.groups))
    if pd.notna(row.p_adjusted):
        targets += [row.p_adjusted / c for c in range(1, m + 1)]
    if not targets or at.index[("n", g)] not in determined:
        return []
    n_c = int(at.truth[at.index[("n", g)]])
    fits = [
        k
        for k in range(n_c + 1)
        if any(np.isclose(_fisher(raw.e_unit, int(raw.n_treatment), k, n_c), t, rtol=1e-12) for t in targets)
    ]
    return [f"events of {g} in {o} by Fisher inversion"] if len(fits) == 1 else []


@SETTINGS
@given(surveys(), st.sampled_from(["default", "dfe"]))
def test_no_suppressed_survey_value_is_recovered(raw, rules_name):
    rules = rule_set(rules_name, 5)
    out, _ = protect_table(raw.drop(columns=["e_unit", "e_comp"]), rules=rules)
    # every small group or small count is suppressed in the first place
    for r, o in zip(raw.itertuples(), out.itertuples(), strict=True):
        for n, e, v in (
            (r.n_treatment, r.e_unit, o.value_treatment),
            (r.n_comparison, r.e_comp, o.value_comparison),
        ):
            if 1 <= n <= rules.threshold or 1 <= e <= rules.threshold or 1 <= n - e <= rules.threshold:
                assert pd.isna(v), (r.outcome, r.comparison)
    assert attack_survey(raw, out, rules.threshold) == []


@st.composite
def panels(draw):
    """Indicator series of 3 authorities over 2 years: looked-after counts (small ones likely),
    populations and the published rate per 10,000; plans started and repeat plans with their %."""
    rows = []
    for la in ("L1", "L2", "L3"):
        for year in (2011, 2013):
            count = draw(st.one_of(st.integers(0, 9), st.integers(10, 400)))
            pop = draw(st.integers(2_000, 60_000))
            started = draw(st.one_of(st.integers(0, 9), st.integers(10, 300)))
            repeat = draw(st.integers(0, started))
            values = {
                "children_looked_after": count,
                "population_0_17": pop,
                "cla_rate_per_10k": count / pop * 10_000,
                "cp_plans_started": started,
                "cp_plans_repeat": repeat,
                "cp_plans_repeat_pct": 100 * repeat / started if started else np.nan,
            }
            rows += [
                dict(la_code=la, year=year, indicator=k, value=float(v), role="comparator")
                for k, v in values.items()
            ]
    return pd.DataFrame(rows)


@SETTINGS
@given(panels(), st.sampled_from(["default", "dfe"]))
def test_no_suppressed_count_is_recovered_from_rates(raw, rules_name):
    rules = rule_set(rules_name, 5)
    out = protect_series(raw, rules=rules)
    shown = out.set_index(["la_code", "year", "indicator"])["value"]
    truth = raw.set_index(["la_code", "year", "indicator"])["value"]
    leaks = []
    for (la, year, ind), hidden in out.set_index(["la_code", "year", "indicator"])["suppressed"].items():
        if not hidden:
            continue
        v = truth[(la, year, ind)]
        if ind == "children_looked_after" and pd.notna(shown[(la, year, "cla_rate_per_10k")]):
            leaks.append((la, year, ind, "rate x population"))
        if ind == "cp_plans_repeat" and pd.notna(shown.get((la, year, "cp_plans_repeat_pct"))):
            leaks.append((la, year, ind, "percentage x denominator"))
        if ind == "cla_rate_per_10k" and pd.notna(shown[(la, year, "children_looked_after")]):
            leaks.append((la, year, ind, "count / population"))
        assert pd.isna(shown[(la, year, ind)]) and np.isfinite(v)
    assert leaks == []
    small = raw["indicator"].isin(["children_looked_after", "cp_plans_started", "cp_plans_repeat"]) & raw[
        "value"
    ].between(1, rules.threshold)
    assert out.loc[small, "suppressed"].all()
    if rules.name == "dfe":  # sub-national counts from 2012 rounded to the nearest 5
        later = out[
            (out["year"] >= 2012) & out["indicator"].isin(["children_looked_after"]) & out["value"].notna()
        ]
        assert (later["value"] % 5 == 0).all()


def test_the_attacker_finds_what_cell_by_cell_suppression_leaves():
    # the audit's case: one authority of 3 workers; cell by cell, the pooled row gives it back
    from rsw_eval.disclosure import protect

    rows = []
    for comparison, n, e in ((POOLED, 33, 12), ("A0", 30, 10), ("A1", 3, 2)):
        rows.append(
            dict(
                family="worker",
                design="cross_section",
                primary=True,
                outcome="o1",
                measure="proportion",
                treatment="U",
                comparison=comparison,
                n_treatment=40.0,
                n_comparison=float(n),
                value_treatment=0.5,
                value_comparison=e / n,
                difference=0.5 - e / n,
                p_value=_fisher(20, 40, e, n),
                suppressed=False,
                e_unit=20,
                e_comp=e,
            )
        )
    raw = pd.DataFrame(rows)
    raw["p_adjusted"] = _holm(raw["p_value"].to_numpy())
    cell_by_cell, _ = protect(raw.drop(columns=["e_unit", "e_comp"]), 5)
    assert attack_survey(raw, cell_by_cell, 5)  # the attacker works
    out, _ = protect_table(raw.drop(columns=["e_unit", "e_comp"]))
    assert attack_survey(raw, out, 5) == []
