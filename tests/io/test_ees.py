"""EES tables: real DfE files and every quirk named in issue #4."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from rsw_eval import DataError
from rsw_eval.io import add_cla_rate, load_dfe_table, reporting_year
from tests.conftest import DFE, SAMPLE, needs_dfe

CLA_31_MARCH = {"population_type": "Children looked after on 31 March each year"}


@needs_dfe
def test_hackney_looked_after_2025_real_file():
    # DfE, cla_number_and_rate_per_10k_children.csv: Hackney 352 on 31 March 2025
    panel = load_dfe_table(
        DFE / "cla_number_and_rate_per_10k_children.csv",
        filters=CLA_31_MARCH,
        value={"children_count": "children_looked_after"},
    )
    row = panel[(panel["la_code"] == "E09000012") & (panel["year"] == 2025)].iloc[0]
    assert row["value"] == 352
    assert row["old_la_code"] == "204" and row["la_name"] == "Hackney"
    assert panel["la_code"].nunique() >= 150


@needs_dfe
def test_suppression_symbols_real_file():
    # Hackney's 2021-22 repeat-plan figures are published as "x"
    panel = load_dfe_table(DFE / "d3_cpps_subsequent_plan_2013_to_2025.csv")
    hackney = panel[(panel["la_code"] == "E09000012") & (panel["year"] == 2022)]
    assert set(hackney["flag"]) == {"x"} and hackney["value"].isna().all()
    assert {"CPP_start", "CPP_subsequent", "CPP_subsequent_percent"} == set(panel["indicator"])


@needs_dfe
def test_national_level_and_rate_helper_real_file():
    panel = load_dfe_table(
        DFE / "cla_number_and_rate_per_10k_children.csv",
        filters=CLA_31_MARCH,
        value={"children_count": "children_looked_after", "population_estimate": "population_0_17"},
    )
    rates = add_cla_rate(panel)
    hackney = rates[(rates["la_code"] == "E09000012") & (rates["year"] == 2025)].set_index("indicator")
    # 10000 * 352 / 54191 (DfE publishes it rounded as 65)
    assert hackney.loc["cla_rate_per_10k", "value"] == pytest.approx(10000 * 352 / 54191, rel=1e-12)
    national = load_dfe_table(
        DFE / "cla_number_and_rate_per_10k_children.csv",
        filters=CLA_31_MARCH,
        value="children_count",
        geographic_level="National",
    )
    assert national.loc[national["year"] == 2025, "value"].iloc[0] == 81770


def _raw(**extra):
    base = {
        "time_period": ["202425", "202425"],
        "time_identifier": "Financial year",
        "geographic_level": "Local authority",
        "country_code": "E92000001",
        "old_la_code": ["204", "815"],
        "new_la_code": ["E09000012", "E10000023"],
        "la_name": ["Hackney", "North Yorkshire"],
        "category": "All",
        "spend": ["1,234", "c"],
        "share": ["12.5", ".."],
    }
    base.update(extra)
    return pd.DataFrame(base)


@pytest.mark.parametrize(
    ("period", "year"),
    [("2025", 2025), ("202425", 2025), ("2024/25", 2025), ("200506", 2006), ("2005-06", 2006)],
)
def test_time_period_normalised(period, year):
    assert reporting_year(period) == year


def test_thousands_symbols_and_recoded_counties():
    panel = load_dfe_table(_raw())
    spend = panel[panel["indicator"] == "spend"].set_index("old_la_code")
    assert spend.loc["204", "value"] == 1234.0
    assert np.isnan(spend.loc["815", "value"]) and spend.loc["815", "flag"] == "c"
    assert spend.loc["815", "la_code"] == "E06000065"  # recoded county -> its current unitary code
    assert set(panel["time_period"]) == {"202425"} and set(panel["year"]) == {2025}


def test_old_la_code_zero_padded():
    panel = load_dfe_table(
        _raw(old_la_code=[204.0, 805.0], new_la_code=["E09000012", "E06000001"]), value="spend"
    )
    # numbers read as floats lose their ".0" (a number and a code that disagree are refused: q11in Q2)
    assert set(panel["old_la_code"]) == {"204", "805"}


def test_value_mapping_renames():
    panel = load_dfe_table(_raw(), value={"share": "share_pct"})
    assert set(panel["indicator"]) == {"share_pct"}


def test_filter_that_matches_nothing_lists_values():
    with pytest.raises(DataError, match=r"filter category = 'Some' matches no rows; expected one of All"):
        load_dfe_table(_raw(), filters={"category": "Some"})


def test_unknown_filter_column_lists_columns():
    with pytest.raises(DataError, match=r"unknown filter column 'type'; expected one of category, spend"):
        load_dfe_table(_raw(), filters={"type": "x"})


def test_unknown_value_column():
    with pytest.raises(DataError, match=r"column 'count': unknown indicator column; expected one of"):
        load_dfe_table(_raw(), value="count")


def test_bad_cell_names_rows(write):
    # a DataFrame names its index label (as every loader does); a file names the row Excel shows
    with pytest.raises(DataError, match=r"<DataFrame>, row 1, column 'spend': not a number or a published"):
        load_dfe_table(_raw(spend=["5", "five"]), value="spend")
    path = write("t.csv", _raw(spend=["5", "five"]).to_csv(index=False))
    with pytest.raises(DataError, match=r"t\.csv, row 3, column 'spend': not a number or a published"):
        load_dfe_table(path, value="spend")


def test_missing_geography_columns():
    with pytest.raises(DataError, match="not an Explore Education Statistics table"):
        load_dfe_table(pd.DataFrame({"a": [1]}))


def test_unrecognised_time_period():
    with pytest.raises(DataError, match=r"unrecognised time_period; expected a year such as 2025"):
        load_dfe_table(_raw(time_period=["2025", "Q3"]), value="spend")


def test_geographic_level_that_is_absent():
    with pytest.raises(DataError, match=r"no rows at geographic_level 'Regional'; expected one of"):
        load_dfe_table(_raw(), geographic_level="Regional")


def test_bom_is_handled(write):
    text = (
        "\ufefftime_period,geographic_level,old_la_code,new_la_code,la_name,n\n"
        "2025,Local authority,204,E09000012,Hackney,7\n"
    )
    panel = load_dfe_table(write("t.csv", text))
    assert panel["value"].tolist() == [7.0]


@pytest.mark.parametrize("typo", ["Local authorty", "", "\x00Local authority"])
def test_a_row_at_no_ees_level_is_an_error_not_a_dropped_row(tmp_path, typo):
    """A mistyped, blank or NUL-prefixed geographic_level dropped the row (the adopter's year)
    with the levels the loader does not keep, and validate said "no problems found"."""
    lines = (SAMPLE / "admin_panel.csv").read_text().splitlines()
    lines[4] = lines[4].replace("Local authority", typo, 1)
    path = tmp_path / "panel.csv"
    path.write_text("\n".join(lines) + "\n")
    # a NUL is refused as a control character, by the same row and column (findings-q18att F11)
    reason = "a control character" if "\x00" in typo else "not an Explore Education"
    with pytest.raises(DataError, match=rf"row 5, column 'geographic_level': {reason}"):
        load_dfe_table(path, value="children_looked_after")


@needs_dfe
def test_a_multi_valued_filter_names_every_category_label():
    """findings-q4disc Q8: the value the council had to pick ("Children looked after on 31 March
    each year") was masked as an identifier in the message that lists the filter's values."""
    with pytest.raises(DataError) as caught:
        load_dfe_table(DFE / "cla_number_and_rate_per_10k_children.csv", value="children_count")
    message = str(caught.value)
    assert "Children looked after on 31 March each year" in message
    assert "not shown" not in message


def _admin(tmp_path, first_year: str):
    lines = (SAMPLE / "admin_panel.csv").read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].replace("2004,", f"{first_year},", 1)
    path = tmp_path / "admin.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("form", ["2004-05", "200405"])
def test_one_year_in_two_forms_is_named_not_blamed_on_a_filter(tmp_path, form):
    """att12 M9: 2004-05 beside 2005 read as one year held twice: the message repeated its rows
    (2, 3, 2, 3, 2) and told the user to choose a filter value the file does not have."""
    with pytest.raises(DataError) as err:
        load_dfe_table(_admin(tmp_path, form), value="children_looked_after")
    text = str(err.value)
    assert "admin.csv, rows 2, 3, column 'time_period': one year written in two forms" in text
    assert f"found '{form}' and '2005'" in text and "--filter" not in text


def test_a_repeated_authority_year_names_each_file_row_once(tmp_path):
    """att12 M9: a file row holds several indicators, and each was named as a row of its own."""
    lines = (SAMPLE / "admin_panel.csv").read_text(encoding="utf-8").splitlines()
    path = tmp_path / "admin.csv"
    path.write_text("\n".join([lines[0], lines[1], lines[1]]) + "\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"admin\.csv, rows 2, 3: the panel would hold the same authority"):
        load_dfe_table(path, value=["children_looked_after", "population_0_17"])
