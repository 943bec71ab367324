"""An FTE beside a hidden headcount (findings-q21att F2: agency FTE 4.0 published beside an agency
headcount ``c``; nobody works more than full time, so the headcount is 4 or 5): the FTE goes with it."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from rsw_eval.disclosure import rule_set
from rsw_eval.publication import protect_panel


@pytest.mark.parametrize("names", [("agency_headcount", "agency_fte"), ("Leavers Headcount", "Leavers FTE")])
def test_the_fte_of_a_small_headcount_is_hidden_and_no_other(names):
    headcount, fte = names
    rows = [
        ("E06000017", year, name, value)
        for year, h, f in ((2024, 4.0, 4.0), (2025, 30.0, 27.5))
        for name, value in ((headcount, h), (fte, f))
    ]
    panel = pd.DataFrame(rows, columns=["la_code", "year", "indicator", "value"]).assign(
        la_name="Rutland", old_la_code="857", flag="", source="own.csv"
    )
    out, _ = protect_panel(panel, rule_set(counts=[headcount]))
    here = out.set_index(["year", "indicator"])["value"]
    assert np.isnan(here[(2024, headcount)]) and np.isnan(here[(2024, fte)])
    assert here[(2025, headcount)] == 30.0 and here[(2025, fte)] == 27.5


def test_a_part_of_the_fte_goes_too():
    """q22att F5: agency cover FTE <= agency FTE <= headcount, so 4.0 of it beside a hidden agency
    headcount says 4 or 5 as well."""
    names = ("agency_headcount", "agency_fte", "agency_cover_fte", "vacancy_fte")
    rows = [("E06000017", 2024, name, 4.0) for name in names]
    panel = pd.DataFrame(rows, columns=["la_code", "year", "indicator", "value"]).assign(
        la_name="Rutland", old_la_code="857", flag="", source="own.csv"
    )
    out, _ = protect_panel(panel, rule_set(counts=["agency_headcount"]))
    here = out.set_index("indicator")["value"]
    assert here[list(names[:3])].isna().all() and here["vacancy_fte"] == 4.0
