"""Legacy SFR files and the bundled LA code lookup."""

from __future__ import annotations

import pandas as pd
import pytest

from rsw_eval import DataError
from rsw_eval.io import SFR_ALIASES, UnmappedCodeWarning, la_codes, load_sfr_table
from tests.conftest import DFE, needs_dfe


@needs_dfe
def test_hackney_2010_real_file():
    # DfE SFR27/2010: Hackney (204) had 304 children looked after on 31 March 2010
    panel = load_sfr_table(DFE / "SFR27_2010_March.csv", value="children_looked_after")
    hackney = panel[panel["la_code"] == "E09000012"].iloc[0]
    assert (hackney["value"], hackney["year"], hackney["old_la_code"]) == (304, 2010, "204")
    assert len(panel) == 152  # the LA rows only: National and GOR rows are left out


@needs_dfe
def test_population_with_explicit_year_real_file():
    panel = load_sfr_table(
        DFE / "SFR27_2010_March.csv", value={"Mid2009Pop0-17": "population_0_17"}, year=2010
    )
    assert panel.loc[panel["la_code"] == "E09000012", "value"].iloc[0] == 51300


def _raw(codes=("204", "837"), values=("304", "x")):
    return pd.DataFrame(
        {
            "geog_l": ["National", *["LA"] * len(codes)],
            "geog_c": ["921", *codes],
            "geog_n": ["England", *["n"] * len(codes)],
            "CLA_Mar2011": ["65000", *values],
        }
    )


def test_alias_finds_later_column_name_and_year():
    panel = load_sfr_table(_raw(), value="children_looked_after")
    assert set(panel["year"]) == {2011}
    assert panel.set_index("old_la_code").loc["837", "flag"] == "x"


def test_abolished_authority_keeps_its_own_code():
    panel = load_sfr_table(_raw(), value="CLA_Mar2011")
    assert panel.set_index("old_la_code").loc["837", "la_code"] == "E06000028"  # Bournemouth
    lookup = la_codes().set_index("old_la_code")
    assert lookup.loc["837", "successor_codes"] == "E06000058"  # BCP, recorded in the lookup


def test_unknown_code_is_an_error_not_a_dropped_row():
    with pytest.raises(DataError, match=r"row 4, column 'geog_c': unknown local-authority number.*found 999"):
        load_sfr_table(_raw(codes=("204", "999")), value="CLA_Mar2011")


def test_pre_2009_authority_errors_or_drops_with_warning():
    raw = _raw(codes=("204", "820"), values=("304", "500"))
    with pytest.raises(DataError, match=r"820 Bedfordshire \(split into Bedford"):
        load_sfr_table(raw, value="CLA_Mar2011")
    with pytest.warns(UnmappedCodeWarning, match="dropped 1 rows"):
        panel = load_sfr_table(raw, value="CLA_Mar2011", on_unmapped="drop")
    assert panel["old_la_code"].tolist() == ["204"]


def test_column_without_year_needs_year():
    raw = _raw().rename(columns={"CLA_Mar2011": "Pop0-17"})
    with pytest.raises(DataError, match=r"cannot tell which year column 'Pop0-17' belongs to"):
        load_sfr_table(raw, value="Pop0-17")


def test_unknown_value_lists_columns_and_aliases():
    with pytest.raises(
        DataError,
        match=r"no column or alias 'cla'; expected one of CLA_Mar2011 "
        r"\(or an alias: children_looked_after, cla_started, cla_ceased\)",
    ):
        load_sfr_table(_raw(), value="cla")


def test_alias_table_documents_its_evidence():
    patterns = dict(SFR_ALIASES["children_looked_after"])
    assert "MarTotal_{year}" in patterns and "Annex A" in patterns["MarTotal_{year}"]


def test_lookup_has_every_current_authority_once():
    table = la_codes()
    current = table[table["status"] == "current"]
    assert current["la_code"].is_unique and current["old_la_code"].is_unique
    assert len(current) == 153  # 153 authorities with children's services in 2025


@needs_dfe
@pytest.mark.parametrize(
    ("name", "year", "hackney"),
    [
        ("SFR27_2010_March.csv", 2010, 304),
        ("SFR21_2011_CLA.csv", 2011, 264),
        ("SFR36_CLA2014.csv", 2014, 329),
    ],
    ids=["2010", "2011", "2014"],
)
def test_children_looked_after_alias_in_every_real_vintage(name, year, hackney):
    # shared README anchors: 304 (SFR27/2010), 264 (SFR21/2011); 329 read by hand from SFR36_CLA2014.csv
    panel = load_sfr_table(DFE / name, value="children_looked_after")
    h = panel[panel["la_code"] == "E09000012"]
    assert h[["year", "value"]].values.tolist() == [[year, hackney]]


@needs_dfe
def test_started_and_ceased_aliases_real_files():
    started = load_sfr_table(DFE / "SFR27_2010_Started.csv", value="cla_started")
    ceased = load_sfr_table(DFE / "SFR27_2010_Ceased.csv", value="cla_ceased")
    assert set(started["indicator"]) == {"cla_started"} and set(ceased["year"]) == {2010}


MULTI_YEAR = (
    "New_geog_code,geog_l,geog_c,geog_n,CLA_Mar2014,CLA_Mar2015,CLA_Mar2016,CLA_Mar2017,CLA_Mar2018\n"
    "E92000001,NATIONAL,999,ENGLAND,68840,69500,70440,72670,75420\n"
    "E09000012,LA,204,Hackney,329,315,330,350,370\n"
    "E09000028,LA,210,Southwark,525,530,520,510,480\n"
)


def test_a_multi_year_file_gives_every_year(write):
    """Issue 18: DfE underlying data holding CLA_Mar2014 ... CLA_Mar2018 was read as 2014 alone."""
    panel = load_sfr_table(write("CLA2018.csv", MULTI_YEAR), value="children_looked_after")
    hackney = panel[panel["la_code"] == "E09000012"].set_index("year")["value"]
    assert hackney.to_dict() == {2014: 329, 2015: 315, 2016: 330, 2017: 350, 2018: 370}


def test_a_year_the_file_does_not_hold_is_refused_with_the_years_it_does(write):
    path = write("CLA2018.csv", MULTI_YEAR)
    assert set(load_sfr_table(path, value="children_looked_after", year=2016)["year"]) == {2016}
    with pytest.raises(
        DataError,
        match="year 2019 is not in the file: its children_looked_after columns hold "
        "2014, 2015, 2016, 2017, 2018",
    ):
        load_sfr_table(path, value="children_looked_after", year=2019)


def test_validate_reports_every_year_of_a_multi_year_file(write, capsys):
    from rsw_eval.cli import main

    path = str(write("CLA2018.csv", MULTI_YEAR))
    assert main(["validate", path, "--kind", "sfr", "--value", "children_looked_after"]) == 0
    out = capsys.readouterr().out
    assert "no problems found" in out and "2014-2018" in out and "2014-2014" not in out
