"""A total loaded beside its breakdown as undeclared count indicators (findings-q21att F1: children
looked after 521 and boys 518 published, girls ``c``, 521 - 518 = 3): the relation is found in the
data and audited as if declared, so that no part from 1 to t comes back by subtraction, whichever
parts and totals the panel holds."""

from __future__ import annotations

import numpy as np
import pandas as pd
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
    assert identities(panel, counts) == [{"indicator": TOTAL, "expr": "part_0 + part_1 + part_2"}]
    one_year = panel[panel["year"] == 2012]
    one_row = one_year[one_year["la_code"] == TREATED]
    assert identities(one_row, counts) == []  # one authority-year: a coincidence, not a total


def test_a_part_missing_somewhere_still_makes_a_breakdown():
    """q22att F4: one comparator-year without a part (blank, or DfE's c) switched the search off,
    and 314 - 311 gave the planted 3 back."""
    panel = _with_parts(2, 3.0, 0)
    gone = (panel["indicator"] == "part_1") & (panel["la_code"] != TREATED) & (panel["year"] == 2005)
    panel = panel[~gone]
    assert identities(panel, [TOTAL, "part_0", "part_1"]) == [{"indicator": TOTAL, "expr": "part_0 + part_1"}]
    out, _ = protect_panel(panel, rule_set(counts=[TOTAL, "part_0", "part_1"]))
    known = _known(out, 2)
    assert sum(np.isnan(v) for v in known.values()) >= 2, known
