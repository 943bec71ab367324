"""F5: every report sentence and table cell that states an MDE says it is an estimate, how
uncertain, and from how many placebos; F6: a synthetic-control row names its donors."""

from __future__ import annotations

import re

import pandas as pd

from rsw_eval.report._power import detect_cell, detect_text

ROW = {
    "effect_size_name": "did_estimate",
    "scale": "log",
    "comparison": "10 comparators",
    "mde_low": -14.3,
    "mde_high": 16.7,
    "mde_alpha": 1 / 11,
    "mde_low_min": -25.0,
    "mde_low_max": -9.2,
    "mde_high_min": 10.1,
    "mde_high_max": 33.3,
    "mde_units": 10.0,
    "mde_note": "...; at the 5% level this design can detect nothing: its smallest possible p is 1/11 "
    "= 0.091",
}


def test_the_sentence_and_cell_say_the_mde_is_an_estimate_with_a_range():
    text = detect_text(pd.Series(ROW))
    assert "a fall of about 14% or more four times in five" in text
    assert re.search(
        r"\(could be 9\.20?-25%: estimated from 10 placebo authorities; at its own 9\.1% level;", text
    )
    assert re.fullmatch(r"-14% / \+17% \(fall 9\.20?-25%\)", detect_cell(pd.Series(ROW)))


def test_without_a_range_nothing_is_invented_and_synthetic_control_names_its_donors():
    row = {k: v for k, v in ROW.items() if not k.startswith(("mde_low_", "mde_high_", "mde_units"))}
    assert "could be" not in detect_text(pd.Series(row)) and "(" not in detect_cell(pd.Series(row))
    sc = {
        **ROW,
        "comparison": "synthetic control of 140 donors",
        "effect_size_name": "synthetic_gap",
        "scale": "level",
        "outcome": "cp_plans_repeat_pct",
    }
    assert detect_text(pd.Series(sc)).startswith("with these 140 donors this design detects")
