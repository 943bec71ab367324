"""Findings q11in Q3, Q4, Q5: the population loader refuses impossible values, short or cut rows and
cells that are no number, naming the row and column, instead of loading them or dropping them."""

from __future__ import annotations

import pandas as pd
import pytest

from rsw_eval import DataError, io

HEADER = (
    "time_period,time_identifier,geographic_level,country_code,country_name,region_code,region_name,"
    "old_la_code,new_la_code,la_name,age_group,population_estimate\n"
)
ROW = (
    "2024,Reporting year,Local authority,E92000001,England,E12000007,London,"
    "{old},{code},{name},{age},{value}\n"
)


def _file(tmp_path, value="54191", last=None):
    text = HEADER + ROW.format(
        old="204", code="E09000012", name="Hackney", age="Children aged 0 to 17 years", value=value
    )
    text += (
        last
        if last is not None
        else ROW.format(
            old="202", code="E09000007", name="Camden", age="Children aged 0 to 17 years", value="40000"
        )
    )
    path = tmp_path / "pop.csv"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("3.5", "a population that is not a whole number; expected a whole number of people, found 3.5"),
        ("9" * 40, "an absurd value; expected a value below 1,000,000,000,000, found 1e+40"),
        ("１２", "not a number or a published symbol; expected a number or one of c, x"),
        ("-", "not a number or a published symbol"),
    ],
)
def test_impossible_or_unreadable_populations_are_refused(tmp_path, value, message):
    with pytest.raises(DataError) as info:
        io.load_population(_file(tmp_path, value))
    assert f"pop.csv, row 2, column 'population_estimate': {message}" in str(info.value)


@pytest.mark.parametrize(
    "last",
    [
        "2024,Reporting year,Local authority\n",  # a short row
        "2024,Reporting year,Local authority,E92000001,England,E12000007,London,202,E0900",  # cut file
    ],
)
def test_a_short_or_cut_row_is_refused_not_dropped(tmp_path, last):
    """Refused where every CSV is read (issue 21), naming the columns the row lacks."""
    with pytest.raises(
        DataError,
        match=r"pop\.csv, row 3, column '[^']*population_estimate[^']*': a row with fewer fields than "
        r"the header, its last cells missing .*expected 12 fields, as in the header, found (9|3) fields",
    ):
        io.load_population(_file(tmp_path, last=last))


def test_whole_populations_and_symbols_load(tmp_path):
    panel = io.load_population(_file(tmp_path, '"54,191"'))
    assert panel["value"].tolist() == [40000.0, 54191.0]
    assert io.load_population(_file(tmp_path, "x"))["flag"].tolist() == ["", "x"]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("4857773456", "an implausible population; expected a population below 20,000,000, found <not shown"),
        ("25000000", "an implausible population; expected a population below 20,000,000, found 2.5e+07"),
        ("0", "a population of 0; expected a population above 0 (a denominator), found 0"),
    ],
)
def test_an_nhs_number_or_zero_is_no_population(tmp_path, value, message):
    """Finding A3 (q13in): a 10-digit, NHS-number-shaped population loaded (and was echoed)."""
    with pytest.raises(DataError) as info:
        io.load_population(_file(tmp_path, value))
    assert f"pop.csv, row 2, column 'population_estimate': {message}" in str(info.value)
    assert "4857773456" not in str(info.value) and "4.85777" not in str(info.value)


def test_a_count_of_children_beyond_a_few_million_is_refused():
    frame = pd.DataFrame(
        {"la_code": "E09000012", "year": "2024", "indicator": ["children_count"], "value": ["4857773456"]}
    )
    with pytest.raises(
        DataError, match="an implausible count; expected a count below 5,000,000, found <not shown"
    ):
        io.load_panel(frame)


def test_a_count_beyond_the_ceiling_is_named_once_not_twice_garbled():
    """att12 L1: a count of 99,999,999,999 was also reported as a long number, "expected a value
    below a whole number of 10 digits or more, not an amount of money"."""
    frame = pd.DataFrame(
        {"la_code": "E09000012", "year": "2024", "indicator": ["children_count"], "value": ["99999999999"]}
    )
    with pytest.raises(DataError) as info:
        io.load_panel(frame)
    assert len(info.value.problems) == 1 and "an implausible count" in str(info.value)


@pytest.mark.parametrize("indicator", ["sickness_days_per_fte", "cla_rate_per_10k", "own_score"])
def test_an_nhs_number_in_any_other_column_is_refused_unless_money(indicator):
    """findings-q14 V1: the ceilings covered populations and counts only, so a 10-digit number in a
    rate column loaded and the annual report printed it ("4,857,773,456.0")."""
    frame = pd.DataFrame(
        {"la_code": "E09000012", "year": "2024", "indicator": [indicator], "value": ["4857773456"]}
    )
    with pytest.raises(DataError, match="a whole number of 10 digits or more") as info:
        io.load_panel(frame)
    assert "4857773456" not in str(info.value) and "expected fewer than 10 digits" in str(info.value)
    money = frame.assign(indicator="total_cost_gbp", value="4857773456")
    assert io.load_panel(money)["value"].tolist() == [4857773456.0]
