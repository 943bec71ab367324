"""Which figures are DfE's as DfE published them (findings q12disc Q1-Q2b, q13disc R1, R2, R4): only
rows of a file the release registry knows by name, in a year it knows, from a file that holds
nothing the release never publishes. Everything else is checked as a council's own figures."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from rsw_eval.disclosure import from_release, row_rules, rule_set

#: synthetic panels of a few authorities under DfE's file names (tests/conftest.py)
pytestmark = pytest.mark.usefixtures("small_releases")

D3 = "d3_cpps_subsequent_plan_2013_to_2025.csv"
CLA = "cla_number_and_rate_per_10k_children.csv"


def _rows(source: str, years=(2020, 2021), **values) -> pd.DataFrame:
    rows = [
        (code, y, name, v, "", source)
        for code in ("E09000012", "E09000007")
        for y in years
        for name, v in values.items()
    ]
    return pd.DataFrame(rows, columns=["la_code", "year", "indicator", "value", "flag", "source"])


def test_dfe_s_file_as_published_is_dfe_s_whatever_the_index():
    frame = _rows(D3, cp_plans_started=250.0, cp_plans_repeat=40.0, cp_plans_repeat_pct=16.0)
    frame.index = np.arange(len(frame))[::-1] * 7 + 3  # a panel's index is not 0..n-1
    assert from_release(frame, frozenset({"cp_plans_started", "cp_plans_repeat"})).all()


def test_a_council_s_own_file_is_not_dfe_s():
    frame = _rows("panel.csv", cp_plans_started=250.0, cp_plans_repeat_pct=16.0)
    assert not from_release(frame).any()


def test_a_council_s_percentage_beside_its_count_s_gap_under_dfe_s_file_name_is_not_dfe_s():
    """R1, R2: DfE's table holds plans started beside the percentage in every authority-year. Read
    alone (plans started not loaded), the percentage is taken for DfE's: the file cannot tell."""
    assert from_release(_rows(D3, cp_plans_repeat_pct=3.1)).all()
    frame = _rows(D3, cp_plans_repeat_pct=3.1, cp_plans_started=250.0)
    frame = frame[~((frame["indicator"] == "cp_plans_started") & (frame["year"] == 2021))]
    assert not from_release(frame).any()
    # beside a symbol: DfE prints the rate of a suppressed denominator as one too (q14 S1)
    frame = _rows(D3, cp_plans_repeat_pct=3.1, cp_plans_started=np.nan).assign(flag="c")
    assert not from_release(frame).any()


def test_a_year_the_release_does_not_have_is_not_dfe_s():
    """R2: the council's own 2026 row appended to DfE's 2013-2025 file."""
    frame = _rows(D3, years=(2024, 2026), cp_plans_started=250.0, cp_plans_repeat=40.0)
    assert from_release(frame).tolist() == [y == 2024 for y in frame["year"]]


@pytest.mark.parametrize("count", [1.0, 5.0])
def test_a_count_the_release_suppresses_printed_as_a_value_says_the_file_is_not_dfe_s(count):
    """R4: a council's own counts of 1 to 5 in a file named as DfE's looked-after release (which
    prints c for them) took DfE's rule under "dfe" and lost their rounding; they are the
    council's, under the fixed rule."""
    frame = _rows(CLA, children_looked_after=300.0)
    frame.loc[0, "value"] = count
    counts = frozenset({"children_looked_after"})
    assert not from_release(frame, counts).any()
    assert not row_rules(frame, rule_set("dfe")).known.any()
    assert row_rules(_rows(CLA, children_looked_after=300.0), rule_set("dfe")).known.all()


def test_a_rate_beside_its_count_s_symbol_is_not_as_dfe_published_it():
    """R2b: the council's own percentages written into DfE's x rows (count not available)."""
    frame = _rows(D3, cp_plans_started=250.0, cp_plans_repeat=40.0, cp_plans_repeat_pct=16.0)
    assert from_release(frame).all()
    count = (frame["indicator"] == "cp_plans_repeat") & (frame["year"] == 2021)
    frame.loc[count, ["value", "flag"]] = [np.nan, "x"]
    assert not from_release(frame).any()
    rate = (frame["indicator"] == "cp_plans_repeat_pct") & (frame["year"] == 2021)
    frame.loc[rate, ["value", "flag"]] = [np.nan, "x"]  # as DfE prints it
    assert from_release(frame).all()


def test_a_derived_value_naming_a_release_file_is_not_dfe_s():
    frame = _rows("derived: cla / d3_x", cp_plans_started=250.0)
    assert not from_release(frame).any()
