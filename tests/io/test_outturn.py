"""S52 outturn: both real layouts, totals, drivers."""

from __future__ import annotations

import pandas as pd
import pytest

from rsw_eval import DataError
from rsw_eval.io import DRIVERS, UnmappedCodeWarning, load_outturn
from tests.conftest import DFE, needs_dfe


@needs_dfe
def test_hackney_2008_09_totals_real_file():
    # issue #4: Hackney 2008-09 total children's and young people's services gross expenditure
    # excluding CERA 46,941,035.13; total children looked after 14,582,252.8 (s52_outturn_0809.csv)
    with pytest.warns(UnmappedCodeWarning, match="820 Bedfordshire"):
        lines = load_outturn(
            DFE / "s52_outturn_0809.csv", expenditure="gross", level="line", on_unmapped="drop"
        )
    hackney = lines[lines["la_code"] == "E09000012"].set_index("indicator")
    assert hackney.loc["s52_line:14", "value"] == pytest.approx(14_582_252.8, abs=1e-6)
    assert hackney.loc["s52_line:46", "value"] == pytest.approx(46_941_035.13, abs=1e-6)
    assert bool(hackney.loc["s52_line:14", "is_total"])
    with pytest.warns(UnmappedCodeWarning):
        drivers = load_outturn(DFE / "s52_outturn_0809.csv", expenditure="gross", on_unmapped="drop")
    h = drivers[drivers["la_code"] == "E09000012"].set_index("indicator")["value"]
    assert h["total_cost"] == pytest.approx(46_941_035.13, abs=1e-6)
    parts = sum(h[f"cost_line:{d}"] for d in DRIVERS)
    assert parts == pytest.approx(46_941_035.13, abs=1.0)  # no sub-total counted twice
    assert set(drivers["year"]) == {2009}


@needs_dfe
def test_2009_10_layout_real_file():
    drivers = load_outturn(DFE / "s52_outturn_0910.csv", expenditure="gross")
    h = drivers[drivers["la_code"] == "E09000012"].set_index("indicator")["value"]
    assert h["total_cost"] == 54_020_473  # line 44, excluding CERA
    net = load_outturn(DFE / "s52_outturn_0910.csv", expenditure="net")
    assert (
        net[(net["la_code"] == "E09000012") & (net["indicator"] == "total_cost")]["value"].iloc[0]
        == 50_903_582
    )


def _raw(
    desc=("Residential care", "Total Children Looked After", "Fostering services"),
    amounts=("100", "150", "50"),
):
    n = len(desc)
    return pd.DataFrame(
        {
            "LEA Number:": ["204"] * n,
            "LA Name:": ["Hackney  "] * n,
            "S52 Line Reference:": [f"{i + 1} {d}" for i, d in enumerate(desc)],
            "TOTAL EXPENDITURE (k)": list(amounts),
            "NET Current Expenditure (m)": list(amounts),
        }
    )


def test_subtotals_not_double_counted_and_names_trimmed():
    p = load_outturn(_raw(), expenditure="gross", year=2009)
    h = p.set_index("indicator")["value"]
    assert h["cost_line:looked_after_placements"] == 150
    assert h["total_cost"] == 150  # no total line: the sum of detail lines
    assert set(p["la_name"]) == {"Hackney"}


def test_cp1252_file(write):
    text = (
        "LEA,LEA Name,Line,S52 Line Reference,Total Expenditure (k),NET Current Expenditure (m)\n"
        "204,Hackney ,5,Residential care – homes,10,9\n"
    )
    path = write("s52_outturn_0910.csv", text, encoding="cp1252")
    with pytest.raises(
        DataError, match=r"spending lines not in the driver mapping.*Residential care – homes"
    ):
        load_outturn(path, expenditure="gross")


def test_unknown_line_is_an_error():
    with pytest.raises(DataError, match=r"row 2, column 'S52 Line Reference:': spending lines not in"):
        load_outturn(_raw(desc=("Mystery line",), amounts=("1",)), expenditure="gross", year=2009)


def test_expenditure_must_be_chosen():
    with pytest.raises(ValueError, match="expenditure must be 'gross' or 'net'. Got 'total'"):
        load_outturn(_raw(), expenditure="total", year=2009)


def test_year_from_file_name_or_error(write, tmp_path):
    raw = _raw()
    raw.to_csv(tmp_path / "s52_outturn_0809.csv", index=False)
    assert set(load_outturn(tmp_path / "s52_outturn_0809.csv", expenditure="gross")["year"]) == {2009}
    raw.to_csv(tmp_path / "spend.csv", index=False)
    with pytest.raises(DataError, match="cannot tell the financial year from the file name"):
        load_outturn(tmp_path / "spend.csv", expenditure="gross")


def test_unknown_layout():
    with pytest.raises(DataError, match="not a recognised Section 52 outturn layout"):
        load_outturn(pd.DataFrame({"a": [1]}), expenditure="gross", year=2009)


def test_lines_must_add_up_to_the_published_total():
    raw = _raw(
        desc=("Residential care", "TOTAL CHILDREN AND YOUNG PEOPLES SERVICES BUDGET (excluding CERA)"),
        amounts=("100", "120"),
    )
    with pytest.raises(
        DataError, match=r"the lines do not add up to the file's total.*100.00 vs total 120.00"
    ):
        load_outturn(raw, expenditure="gross", year=2009)
