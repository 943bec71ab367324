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


# -- q11in Q6, Q6b, Q7: impossible workforce values, and checks keyed on the source column ----------

WF_HEADER = (
    "time_period,time_identifier,geographic_level,old_la_code,new_la_code,la_name,"
    "inpost_fte,inpost_headcount,cases,caseload_fte,turnover_rate_fte,absence_rate_headcount\n"
)
WF_ROW = "2024,Reporting year,Local authority,204,E09000012,Hackney,{}\n"
GOOD = {
    "inpost_fte": "180.5",
    "inpost_headcount": "190",
    "cases": "3000",
    "caseload_fte": "16.6",
    "turnover_rate_fte": "14.8",
    "absence_rate_headcount": "3.3",
}


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("turnover_rate_fte", "250", "a percentage outside 0-100; expected 0 to 100, found 250"),
        ("turnover_rate_fte", "-40", "a percentage outside 0-100"),
        ("absence_rate_headcount", "140", "a percentage outside 0-100"),
        ("inpost_fte", "-30", "a negative value; expected a value >= 0, found -30"),
        ("caseload_fte", "-2", "a negative value"),
        ("inpost_headcount", "3.5", "a count that is not a whole number"),
        ("cases", "-100", "a negative count"),
        ("inpost_fte", "1e40", "an absurd value"),
    ],
)
def test_impossible_workforce_values_are_refused(tmp_path, column, value, message):
    cells = {**GOOD, column: value}
    path = tmp_path / "wf.csv"
    path.write_text(WF_HEADER + WF_ROW.format(",".join(cells.values())), encoding="utf-8")
    with pytest.raises(DataError) as info:
        load_workforce(path)
    assert f"wf.csv, row 2, column '{column}': {message}" in str(info.value)


def test_workforce_values_in_range_load(tmp_path):
    path = tmp_path / "wf.csv"
    path.write_text(WF_HEADER + WF_ROW.format(",".join(GOOD.values())), encoding="utf-8")
    assert len(load_workforce(path)) == len(GOOD)


def test_a_renamed_percent_column_keeps_its_check(tmp_path):
    path = tmp_path / "d3.csv"
    path.write_text(
        "time_period,time_identifier,geographic_level,old_la_code,new_la_code,la_name,CPP_subsequent_percent\n"
        "2025,Reporting year,Local authority,204,E09000012,Hackney,250\n",
        encoding="utf-8",
    )
    with pytest.raises(DataError, match=r"column 'CPP_subsequent_percent': a percentage outside 0-100"):
        load_dfe_table(path, value={"CPP_subsequent_percent": "pct"})


@pytest.mark.parametrize("year", ["1066", "9999"])
def test_a_year_out_of_range_is_quoted_as_written_and_its_row_listed_once(tmp_path, year):
    # the census of 30 September 1066 would be the panel's year 1067: the message quotes the cell
    path = tmp_path / "wf.csv"
    path.write_text(
        WF_HEADER + WF_ROW.replace("2024", year).format(",".join(GOOD.values())), encoding="utf-8"
    )
    with pytest.raises(DataError) as info:
        load_workforce(path)
    assert str(info.value).endswith(
        f"wf.csv, row 2, column 'time_period': value out of range; expected a year 1990-2100, found '{year}'"
    )
