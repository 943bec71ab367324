"""Issue 19 F5/F6 on the engine's real output: every primary administrative row states what its test
could detect with how uncertain that is, or why it cannot (no silent blank); the summary shows the
power for the spec's ``mde_effect`` beside the MDE and its range."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pytest

from rsw_eval import compare
from rsw_eval.spec import default_sample_spec

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "sample"


@pytest.fixture(scope="module")
def results():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return compare(default_sample_spec(SAMPLE).with_options(mde_effect=-0.2), only=["admin", "cost"])


def test_every_primary_row_has_an_mde_or_says_why_not(results):
    t = results.table
    primary = t[t["primary"]]
    assert len(primary) and primary["design"].nunique() >= 4
    missing = primary[primary["mde_low"].isna()]
    assert len(missing)  # synthetic control, synthetic DiD with few donors, the cost rows
    assert missing["mde_note"].str.startswith("no MDE: ").all(), missing[["design", "mde_note"]]
    # a descriptive row says it has no test, in its own words
    sdid = missing[missing["design"] == "synthetic_did"]
    assert sdid["mde_note"].str.contains(r"descriptive, no test \(no p-value or interval: \d+ donors").all()


def test_every_stated_mde_carries_its_range_and_source(results):
    t = results.table
    stated = t[t["primary"] & t["mde_low"].notna() & np.isfinite(t["mde_high"])]
    assert len(stated) == 18  # DiD and ITS, nine indicators
    assert (stated["mde_low_min"] <= stated["mde_low"]).all() and (
        stated["mde_low"] <= stated["mde_low_max"]
    ).all()
    assert (stated["mde_high_min"] <= stated["mde_high"]).all()
    assert (stated["mde_high"] <= stated["mde_high_max"]).all()
    assert (stated["mde_units"] == 10).all()
    assert stated["mde_note"].str.contains("an estimate from 10 placebo authorities").all()


def test_the_summary_shows_the_power_and_range_beside_the_mde(results):
    lines = [x for x in results.summary().splitlines() if "(did," in x]
    assert len(lines) == 9
    assert all("MDE " in x and " [" in x and " power " in x for x in lines)
