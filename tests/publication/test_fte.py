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


@pytest.mark.parametrize("fte", ["agency_fte", "AgencyFTE"])
def test_an_fte_at_most_a_count_in_every_year_goes_with_it_whatever_their_names(fte):
    """att7 D: a council's CSWW return with its agency headcount mapped to ``agency_workers``;
    agency FTE 3.0 and 5.0 were published beside ``c``. An FTE that is at most a count wherever
    both are given is bounded by it, and goes with it where it is from 1 to t; an FTE above it
    somewhere (another group's) does not."""
    years = {
        2019: (3.0, 3.0, 40.0),
        2020: (5.0, 5.0, 41.0),
        2021: (20.0, 18.5, 39.0),
        2022: (22.0, 21.0, 2.0),
    }
    rows = [
        ("E06000044", year, name, value)
        for year, (h, f, other) in years.items()
        for name, value in (("agency_workers", h), (fte, f), ("inpost_fte", other))
    ]
    panel = pd.DataFrame(rows, columns=["la_code", "year", "indicator", "value"]).assign(
        la_name="Portsmouth", old_la_code="851", flag="", source="own.csv"
    )
    out, _ = protect_panel(panel, rule_set(counts=["agency_workers"]))
    here = out.set_index(["year", "indicator"])["value"]
    assert np.isnan(here[(2019, fte)]) and np.isnan(here[(2020, fte)])
    assert here[(2021, fte)] == 18.5 and here[(2019, "inpost_fte")] == 40.0


def test_an_fte_above_its_count_in_a_few_authority_years_still_bounds_it():
    """att8 4: one neighbour's FTE above its headcount (DfE's own CSWW has eight such rows: 13.4
    beside 13) undid the pairing, and starters FTE 3.6 was published beside c (4 or 5)."""
    rows = [("E06000044", 2023, "starters", 4.0), ("E06000044", 2023, "starters_fte", 3.6)]
    for k in range(12):
        h = 20.0 + k
        f = h + 0.4 if k == 0 else h - 1.5
        rows += [(f"E0600010{k:02d}", 2023, "starters", h), (f"E0600010{k:02d}", 2023, "starters_fte", f)]
    panel = pd.DataFrame(rows, columns=["la_code", "year", "indicator", "value"]).assign(
        la_name="x", old_la_code="851", flag="", source="own.csv"
    )
    out, _ = protect_panel(panel, rule_set(counts=["starters"]))
    mine = out[out["la_code"] == "E06000044"].set_index("indicator")["value"]
    assert np.isnan(mine["starters"]) and np.isnan(mine["starters_fte"])
