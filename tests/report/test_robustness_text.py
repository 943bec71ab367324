"""F7: the report's "How far the findings survive a break in parallel trends" never says a finding
survives when the row's own test makes none at the bounds' level (the sample's DiD rows: ten
comparators, p = 0.091 at best, so no 95% finding)."""

from __future__ import annotations

import warnings

from rsw_eval import compare
from rsw_eval.report._robustness import robustness_sections
from rsw_eval.spec import default_sample_spec
from tests.conftest import SAMPLE


def test_survives_is_said_only_for_rows_whose_own_test_rejects():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        t = compare(default_sample_spec(SAMPLE), only=["admin"]).protected().table
    section = next(s for s in robustness_sections(t) if s.id == "sensitivity")
    column = section.columns.index("Survives violations up to")
    rows = t[(t["design"] == "did") & t["primary"] & t["pretrend_p"].notna()]
    assert len(section.rows) == len(rows) and (rows["p_value"] > 0.05).all()
    assert {r[column] for r in section.rows} == {"no conclusion to test"}
