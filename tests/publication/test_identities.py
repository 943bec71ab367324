"""A total loaded beside its breakdown as undeclared count indicators (findings-q21att F1: children
looked after 521 and boys 518 published, girls ``c``, 521 - 518 = 3): the relation is found in the
data and audited as if declared, so that no part from 1 to t comes back by subtraction, whichever
parts and totals the panel holds."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rsw_eval.disclosure import rule_set
from rsw_eval.publication import protect_panel
from rsw_eval.publication._identities import identities
from tests.publication._data import TREATED, Panel

TOTAL = "children_looked_after"


def _with_parts(parts: int, planted: float, seed: int) -> pd.DataFrame:
    """The test panel with the children looked after split into ``parts`` count indicators
    (``part_0`` ...), the first planted at ``planted`` for the unit-model authority in 2012."""
    panel = Panel(seed=seed).frame().assign(flag="", source="panel.csv")
    rng = np.random.default_rng(seed)
    totals = panel[panel["indicator"] == TOTAL]
    rows = []
    for (_, row), first in zip(totals.iterrows(), rng.integers(20, 60, len(totals)), strict=True):
        first = planted if (row["la_code"], row["year"]) == (TREATED, 2012) else float(first)
        split = [first, *rng.multinomial(int(row["value"] - first), np.ones(parts - 1) / (parts - 1))]
        rows += [row.to_dict() | {"indicator": f"part_{k}", "value": float(v)} for k, v in enumerate(split)]
    return pd.concat([panel, pd.DataFrame(rows)], ignore_index=True)


def _known(out: pd.DataFrame, parts: int) -> dict[str, float]:
    here = out[(out["la_code"] == TREATED) & (out["year"] == 2012)].set_index("indicator")["value"]
    return {k: here[k] for k in [TOTAL, *(f"part_{j}" for j in range(parts))]}


@settings(max_examples=12, deadline=None, derandomize=True, database=None)
@given(st.integers(2, 6), st.integers(1, 5), st.integers(0, 3))
def test_no_part_from_1_to_t_comes_back_from_its_total_and_the_other_parts(parts, planted, seed):
    panel = _with_parts(parts, float(planted), seed)
    rules = rule_set(counts=[TOTAL, *(f"part_{k}" for k in range(parts))])
    out, _ = protect_panel(panel, rules)
    known = _known(out, parts)
    assert np.isnan(known["part_0"])
    # the hidden cells of the identity: at least two (a total less the others gives one back)
    assert sum(np.isnan(v) for v in known.values()) >= 2, known
    # elsewhere, nothing is hidden for it
    assert out[(out["year"] == 2013) & out["indicator"].str.startswith("part_")]["value"].notna().all()


def test_a_breakdown_is_found_and_a_coincidence_is_not():
    panel = _with_parts(3, 30.0, 0)
    counts = [TOTAL, "part_0", "part_1", "part_2", "residential_placements", "cp_plans_started"]
    expected = [{"indicator": TOTAL, "expr": "part_0 + part_1 + part_2", "miss": 0.0}]
    assert identities(panel, counts) == expected
    one_year = panel[panel["year"] == 2012]
    one_row = one_year[one_year["la_code"] == TREATED]
    assert identities(one_row, counts) == []  # one authority-year: a coincidence, not a total


def test_a_part_missing_somewhere_still_makes_a_breakdown():
    """q22att F4: one comparator-year without a part (blank, or DfE's c) switched the search off,
    and 314 - 311 gave the planted 3 back."""
    panel = _with_parts(2, 3.0, 0)
    gone = (panel["indicator"] == "part_1") & (panel["la_code"] != TREATED) & (panel["year"] == 2005)
    panel = panel[~gone]
    found = identities(panel, [TOTAL, "part_0", "part_1"])
    assert found == [{"indicator": TOTAL, "expr": "part_0 + part_1", "miss": 0.0}]
    out, _ = protect_panel(panel, rule_set(counts=[TOTAL, "part_0", "part_1"]))
    known = _known(out, 2)
    assert sum(np.isnan(v) for v in known.values()) >= 2, known


def _girls_at(panel: pd.DataFrame, planted: float) -> pd.DataFrame:
    """The 2012 row of the unit-model authority: part_0 planted, part_1 the rest."""
    here = (panel["la_code"] == TREATED) & (panel["year"] == 2012)
    total = panel.loc[here & (panel["indicator"] == TOTAL), "value"].iloc[0]
    panel.loc[here & (panel["indicator"] == "part_0"), "value"] = planted
    panel.loc[here & (panel["indicator"] == "part_1"), "value"] = total - planted
    return panel


def test_a_breakdown_missing_its_total_by_one_somewhere_is_still_audited():
    """att5 id_offby1: the parts add up to the total but in one authority-year (one short: a
    child of unknown sex), so the relation was not found and 3 came back by subtraction
    everywhere else. Found with its miss; where it misses, the auditor knows the total to
    within 1 of the parts."""
    panel = _girls_at(_with_parts(2, 3.0, 1), 3.0)
    off = (panel["la_code"] != TREATED) & (panel["year"] == 2006) & (panel["indicator"] == "part_1")
    panel.loc[panel.index[off][:1], "value"] -= 1
    counts = [TOTAL, "part_0", "part_1"]
    assert identities(panel, counts) == [{"indicator": TOTAL, "expr": "part_0 + part_1", "miss": 1.0}]
    known = _known(protect_panel(panel, rule_set(counts=counts))[0], 2)
    assert np.isnan(known["part_0"]) and (np.isnan(known[TOTAL]) or np.isnan(known["part_1"]))


def test_a_breakdown_is_found_beside_columns_given_in_some_years_only():
    """att7 B: two other count columns, each filled in for other years (DfE renamed a column
    between releases), left too few authority-years with every column given, and no relation
    was looked for: 536 - 533 = 3 girls."""
    panel = _girls_at(_with_parts(2, 3.0, 2), 3.0)
    rows = panel[panel["indicator"] == TOTAL]
    sparse = [
        rows[rows["year"] <= 2008].assign(indicator="inbound_old", value=7.0),
        rows[rows["year"] > 2008].assign(indicator="inbound_new", value=9.0),
    ]
    panel = pd.concat([panel, *sparse], ignore_index=True)
    counts = [TOTAL, "part_0", "part_1", "inbound_old", "inbound_new"]
    assert {"indicator": TOTAL, "expr": "part_0 + part_1", "miss": 0.0} in identities(panel, counts)
    known = _known(protect_panel(panel, rule_set(counts=counts))[0], 2)
    assert np.isnan(known["part_0"]) and (np.isnan(known[TOTAL]) or np.isnan(known["part_1"]))


@pytest.mark.parametrize(
    ("first", "second", "expr"),
    [
        ("2_years_or_more", "under 2 years", "`2_years_or_more` + `under 2 years`"),
        ("nº_girls", "cla_boys", "cla_boys + `nº_girls`"),
        ("cla`girls", "cla_boys", "cla_boys + `cla``girls`"),  # att10 H2: skipped, in silence
        ("_quoted_0_", "cla boys", "_quoted_0_ + `cla boys`"),  # att10 H3: the parser's own name
    ],
)
def test_parts_whose_names_python_does_not_read_as_written_are_audited_too(first, second, expr):
    """att7 C: DfE's plan durations (``1_year_less_than_2_years`` ...) were joined into an
    expression that no parser reads, and the run stopped (exit 2) on a spec with no [derived].
    att9 H2: a name Python reads as another (``nº_girls`` as ``no_girls``) dropped the relation;
    att10: one holding a backtick was passed over, one like the parser's placeholder read twice."""
    panel = _girls_at(_with_parts(2, 3.0, 3), 3.0)
    names = {"part_0": first, "part_1": second}
    panel["indicator"] = panel["indicator"].replace(names)
    counts = [TOTAL, first, second]
    assert identities(panel, counts) == [{"indicator": TOTAL, "expr": expr, "miss": 0.0}]
    out, _ = protect_panel(panel, rule_set(counts=counts))
    here = out[(out["la_code"] == TREATED) & (out["year"] == 2012)].set_index("indicator")["value"]
    assert np.isnan(here[first]) and here[[TOTAL, second]].isna().any()


def test_a_breakdown_is_found_with_a_typo_in_a_part_or_a_sparse_third_part():
    """att8 3: a girls value typed 218.5 in another authority-year took the column out of the
    search; a "sex unknown" column blank but for one 3 left the two-part breakdown missing by 3
    (and the three-part one with too few rows); DfE's own SFR misses by 1 in 2 of 22 rows of a
    neighbour group. Each is still found, and 3 girls do not come back."""
    panel = _girls_at(_with_parts(2, 3.0, 4), 3.0)
    rows = (panel["la_code"] != TREATED) & (panel["indicator"] == "part_1")
    typo, off, unknown = panel.index[rows][[3, 7, 11]]
    panel.loc[typo, "value"] += 0.5
    panel.loc[off, "value"] -= 1
    panel.loc[unknown, "value"] -= 3
    extra = panel.loc[[unknown]].assign(indicator="sex_unknown", value=3.0)
    panel = pd.concat([panel, extra], ignore_index=True)
    counts = [TOTAL, "part_0", "part_1", "sex_unknown"]
    found = identities(panel, counts)
    assert {"indicator": TOTAL, "expr": "part_0 + part_1", "miss": 3.0} in found, found
    known = _known(protect_panel(panel, rule_set(counts=counts))[0], 2)
    assert np.isnan(known["part_0"]) and (np.isnan(known[TOTAL]) or np.isnan(known["part_1"]))
