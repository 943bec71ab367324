"""Findings q11in Q1, Q2, Q10: an authority code is a GSS code or a DfE LA number, and a local
authority's GSS code names the authority its row's DfE number says. Anything else would be a new
"authority" holding part of a real one's figures, silently."""

from __future__ import annotations

import pytest

from rsw_eval import DataError, io
from tests.conftest import DFE, SAMPLE, needs_dfe

EES_HEADER = (
    "time_period,time_identifier,geographic_level,country_code,country_name,region_code,region_name,"
    "old_la_code,new_la_code,la_name,age_group,population_estimate\n"
)


def _ees(tmp_path, code: str, old: str = "204", name: str = "Hackney", value: str = "54191"):
    rows = [
        f"2024,Reporting year,Local authority,E92000001,England,E12000007,London,{old},{code},{name},"
        f"Children aged 0 to 17 years,{value}",
        "2024,Reporting year,Local authority,E92000001,England,E12000007,London,202,E09000007,Camden,"
        "Children aged 0 to 17 years,40000",
    ]
    path = tmp_path / "pop.csv"
    path.write_text(EES_HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def _costs(tmp_path, code: str):
    path = tmp_path / "costs.csv"
    path.write_text(
        "la_code,year,cost_line,amount_gbp\n"
        f"{code},2008-09,staffing,1000\nE09000012,2008-09,placements,2000\n",
        encoding="utf-8",
    )
    return path


CODES = {
    # a NUL is refused as a control character, by the same row and column (findings-q18att F11)
    "nul": ("E09000012\x00", "the control character U+0000"),
    "leading nul": ("\x00E09000012", "the control character U+0000"),
    "zero-width space": ("E09000012\u200b", "(U+200B)"),
    "bom": ("\ufeffE09000012", "(U+FEFF)"),
    "name": ("Hackney", "text that is no authority code"),
    "person": ("John Smith", "text that is no authority code"),
    "lower case": ("e09000012", "'e09000012'"),
}


def _reason(key: str) -> str:
    return "a control character" if "nul" in key else "not an authority code"


@pytest.mark.parametrize("key", CODES)
def test_costs_refuse_what_is_no_authority_code(tmp_path, key):
    code, found = CODES[key]
    with pytest.raises(DataError) as info:
        io.load_costs(_costs(tmp_path, code))
    text = str(info.value)
    assert "costs.csv, row 2, column 'la_code': " + _reason(key) in text
    assert found in text and "Smith" not in text


@pytest.mark.parametrize("key", CODES)
def test_population_refuses_what_is_no_authority_code(tmp_path, key):
    code, found = CODES[key]
    with pytest.raises(DataError) as info:
        io.load_population(_ees(tmp_path, code))
    text = str(info.value)
    assert "pop.csv, row 2, column 'new_la_code': " + _reason(key) in text
    assert found in text and "Smith" not in text


def test_a_dfe_number_and_joint_authorities_still_load(tmp_path):
    assert set(io.load_costs(_costs(tmp_path, "202"))["la_code"]) == {"E09000007", "E09000012"}
    joint = io.load_population(_ees(tmp_path, "E06000061 / E06000062", "940 / 941", "North / West"))
    assert "E06000061 / E06000062" in set(joint["la_code"])


@needs_dfe
@pytest.mark.parametrize(
    "load",
    [
        lambda: io.load_population(
            DFE / "ons_mid-year_population_estimates_2012_to_2024.csv",
            geographic_level=["National", "Regional", "Local authority"],
        ),
        lambda: io.load_workforce(
            DFE / "csww_indicators_2017_to_2025.csv",
            geographic_level=["National", "Regional", "Local authority"],
        ),
        lambda: io.load_dfe_indicators(DFE / "d3_cpps_subsequent_plan_2013_to_2025.csv"),
        lambda: io.load_outturn(DFE / "s52_outturn_0809.csv", expenditure="gross", on_unmapped="drop"),
        lambda: io.load_outturn(DFE / "s251ye2017.xlsx", expenditure="gross"),
        lambda: io.load_costs(SAMPLE / "costs.csv"),
    ],
)
def test_real_files_load_with_their_codes(load):
    panel = load()
    codes = set(panel["la_code"])
    assert "E09000012" in codes and all(c[:1] in "EWSNK" for c in codes)


# -- Q2: a valid-shaped code that is no English authority, or another authority's -----------------


@pytest.mark.parametrize("code", ["E09000000", "W06000015", "S12000033"])
def test_a_code_that_is_no_english_authority_is_refused(tmp_path, code):
    with pytest.raises(DataError) as info:
        io.load_population(_ees(tmp_path, code))
    text = str(info.value)
    assert "pop.csv, row 2, column 'new_la_code': a GSS code that is no English local authority" in text
    assert f"found '{code}'" in text
    with pytest.raises(DataError, match=r"costs\.csv, row 2, column 'la_code': a GSS code that is no"):
        io.load_costs(_costs(tmp_path, code))


def test_a_code_and_number_of_different_authorities_are_refused(tmp_path):
    with pytest.raises(
        DataError,
        match=r"pop\.csv, row 2, column 'new_la_code': the GSS code and the DfE LA number name different "
        r"authorities; .*found E09000007 \(Camden\) with number 204 \(Hackney\)",
    ):
        io.load_population(_ees(tmp_path, "E09000007"))


@pytest.mark.parametrize(
    ("code", "old", "name"),
    [
        ("E10000021", "928", "Northamptonshire"),
        ("E06000028", "837", "Bournemouth"),
        ("E10000006", "909", "Cumbria"),
        ("E10000023", "815", "North Yorkshire"),
        ("E06000065", "815", "North Yorkshire"),
        ("E08000038", "370", "Barnsley"),
    ],
)
def test_historical_and_recoded_codes_still_load(tmp_path, code, old, name):
    panel = io.load_population(_ees(tmp_path, code, old, name))
    assert len(panel) == 2
