"""Workforce census (30 September) and ONS mid-year population: the year convention."""

from __future__ import annotations

import pandas as pd
import pytest

from rsw_eval import DataError
from rsw_eval.io import load_dfe_table, load_population, load_workforce
from tests.conftest import DFE, needs_dfe

HACKNEY = "E09000012"


@needs_dfe
def test_workforce_census_year_convention_real_file():
    panel = load_workforce(DFE / "csww_indicators_2017_to_2025.csv")
    h = panel[panel["la_code"] == HACKNEY].pivot(index="time_period", columns="indicator", values="value")
    # read by hand from the file: Hackney, census of 30 September 2025: 193.3 FTE in post and
    # 1,337 working days lost to sickness
    assert h.loc["2025", ["inpost_fte", "working_days_lost_fte"]].tolist() == [193.3, 1337.0]
    years = panel[panel["la_code"] == HACKNEY].drop_duplicates("time_period").set_index("time_period")
    assert years.loc["2017", "year"] == 2018  # 30 September 2017 is in the year ending 31 March 2018
    assert years.loc["2017", "reference_date"] == "2017-09-30"
    assert sorted(set(panel["year"])) == list(range(2018, 2027))


@needs_dfe
def test_population_is_the_denominator_dfe_uses_real_files():
    # the EES children looked after table divides the year ending 31 March Y by the ONS mid-year
    # Y-1 estimate (Hackney 2025: 54,191 = mid-2024): load_population puts mid-2024 in year 2025
    pop = load_population(DFE / "ons_mid-year_population_estimates_2012_to_2024.csv")
    cla = load_dfe_table(
        DFE / "cla_number_and_rate_per_10k_children.csv",
        value={"population_estimate": "population_0_17"},
        filters={"population_type": "Children looked after on 31 March each year"},
    )
    both = pop.merge(cla, on=["la_code", "year"], suffixes=("_ons", "_cla"))
    both = both[both["value_cla"].notna()]
    assert set(both["year"]) == set(range(2021, 2026))
    assert (both["value_ons"] == both["value_cla"]).all()  # every authority, 2021-2025
    h = pop[pop["la_code"] == HACKNEY].set_index("year")
    assert (h.loc[2025, "value"], h.loc[2025, "reference_date"]) == (54_191, "2024-06-30")


def test_snapshot_date_needs_calendar_years():
    raw = pd.DataFrame(
        {
            "time_period": ["201718"],
            "geographic_level": "Local authority",
            "old_la_code": ["204"],
            "new_la_code": [HACKNEY],
            "la_name": ["Hackney"],
            "inpost_fte": ["1"],
        }
    )
    with pytest.raises(DataError, match="a snapshot date needs calendar years in time_period"):
        load_workforce(raw)
    with pytest.raises(ValueError, match="reference_date must be 'MM-DD'"):
        load_dfe_table(raw, reference_date="30 September")
