"""Issue 21 item 5, the loaders: every traceback and silent misread the audit found is one clear
problem (file, row as Excel shows it, column, expected, found) or a correct load."""

from __future__ import annotations

import pandas as pd
import pytest

from rsw_eval import DataError, io
from rsw_eval.comparison.neighbours import load_statistical_neighbours
from rsw_eval.inputs._entries import detect_kind
from rsw_eval.io._read import header_columns
from tests.conftest import DFE, SAMPLE, needs_dfe

HACKNEY = "E09000012"


def _cr(text: str) -> bytes:
    """The text with classic-Mac line ends (CR only)."""
    return text.replace("\r\n", "\n").replace("\n", "\r").encode("utf-8")


# -- CR line ends are valid CSV: read them ------------------------------------------------------


@pytest.mark.parametrize("name", ["worker_survey.csv", "costs.csv", "admin_panel.csv"])
def test_classic_mac_line_ends_read_like_the_original(write, name):
    original = (SAMPLE / name).read_text(encoding="utf-8")
    path = write(name, _cr(original))
    assert header_columns(path) == header_columns(SAMPLE / name)
    if name != "worker_survey.csv":
        assert detect_kind(path, "admin") == detect_kind(SAMPLE / name, "admin")
    frame, _ = io._read.read_table(path)
    expected, _ = io._read.read_table(SAMPLE / name)
    pd.testing.assert_frame_equal(frame, expected)


@pytest.mark.parametrize("end", ["\x85", "\u2028", "\u2029"])
def test_unicode_line_ends_are_one_clear_problem(write, end):
    """att8: a CSV whose lines end with NEL (U+0085) was read as one row, "column '0' appears
    1152 times"; such line ends are said as what they are."""
    original = (SAMPLE / "costs.csv").read_text(encoding="utf-8")
    path = write("costs.csv", original.replace("\r\n", "\n").replace("\n", end).encode("utf-8"))
    with pytest.raises(DataError, match="expected CR, LF or CRLF line ends, found U\\+"):
        io._read.read_table(path)


def test_classic_mac_ssda903_return_loads(tmp_path):
    for name in ("ssda903_header_2010.csv", "ssda903_episodes_2010.csv"):
        (tmp_path / name).write_bytes(_cr((SAMPLE / name).read_text()))
    got = io.load_ssda903(
        tmp_path / "ssda903_header_2010.csv",
        tmp_path / "ssda903_episodes_2010.csv",
        year=2010,
        la_code=HACKNEY,
    )
    expected = io.load_ssda903(
        SAMPLE / "ssda903_header_2010.csv", SAMPLE / "ssda903_episodes_2010.csv", year=2010, la_code=HACKNEY
    )
    assert got["value"].tolist() == expected["value"].tolist()


# -- row numbers as Excel shows them -------------------------------------------------------------


def test_row_numbers_count_blank_lines_as_excel_does(write):
    text = "respondent_id,authority,model\nw1,A,unit\n\n\nw2,A,martian\n"
    with pytest.raises(DataError, match=r"w\.csv, row 5, column 'model': unknown label"):
        io.load_worker_survey(write("w.csv", text))


def test_row_numbers_count_rows_of_empty_cells_and_quoted_newlines(write):
    # a row of commas is a row in Excel; a quoted line break stays inside one row
    text = 'respondent_id,authority,model\nw1,"A\nB",unit\n,,\nw2,A,martian\n'
    with pytest.raises(DataError, match=r"w\.csv, row 4, column 'model'"):
        io.load_worker_survey(write("w.csv", text))


def test_row_numbers_in_panel_loaders_after_blank_lines(write):
    text = "la_code,year,cost_line,amount_gbp\nE09000012,2009,a,1\n\nE09000012,20x9,b,2\n"
    with pytest.raises(DataError, match=r"c\.csv, row 4, column 'year': unrecognised year"):
        io.load_costs(write("c.csv", text))


def test_ssda903_row_numbers_after_blank_lines(tmp_path):
    lines = (SAMPLE / "ssda903_episodes_2010.csv").read_text().splitlines(True)
    lines[5] = lines[5].replace(",S,", ",Q,", 1) if ",S," in lines[5] else lines[5].replace(",P,", ",Q,", 1)
    episodes = tmp_path / "episodes.csv"
    episodes.write_text("".join([lines[0], "\n", *lines[1:]]))  # a blank line after the header
    with pytest.raises(DataError, match=r"episodes\.csv, row 7, column 'RNE': unknown code"):
        io.load_ssda903(SAMPLE / "ssda903_header_2010.csv", episodes, year=2010, la_code=HACKNEY)


def test_xlsx_row_numbers_after_an_empty_row(tmp_path):
    path = tmp_path / "w.xlsx"
    pd.DataFrame(
        {"respondent_id": ["w1", None, "w3"], "authority": ["A", None, "A"], "model": ["unit", None, "x"]}
    ).to_excel(path, index=False)
    with pytest.raises(DataError, match=r"w\.xlsx, row 4, column 'model': unknown label"):
        io.load_worker_survey(path)


# -- XLSX formulas without a saved value ----------------------------------------------------------


def test_xlsx_formula_without_a_cached_value_is_an_error(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["la_code", "year", "cost_line", "amount_gbp"])
    sheet.append([HACKNEY, 2009, "staffing", 100])
    sheet.append([HACKNEY, 2009, "agency", "=D2*2"])  # openpyxl saves formulas without values
    path = tmp_path / "costs.xlsx"
    book.save(path)
    with pytest.raises(
        DataError, match=r"costs\.xlsx, row 3, column 'amount_gbp': a formula without a saved value"
    ):
        io.load_costs(path)


def test_formula_cells_found_in_every_spelling_of_the_sheet_xml():
    from rsw_eval.io._formulas import _scan

    xml = (
        b'<x:sheetData><x:row r="2"><x:c r="A2"><x:f>B2</x:f><x:v>3</x:v></x:c>'  # cached
        b'<x:c r="B2" t="str"><x:f>C2</x:f><x:v></x:v></x:c>'  # a formula giving ""
        b'<x:c r="C2"/><x:c r="AB2"><x:f>1+1</x:f></x:c>'  # no value
        b'<x:c r="D2"><x:f t="shared" si="0"/><x:v/></x:c></x:row></x:sheetData>'  # empty value
        b"<x:conditionalFormatting><x:cfRule><x:formula>A1</x:formula></x:cfRule></x:conditionalFormatting>"
    )
    assert _scan(xml) == [(2, 27), (2, 3)]


# -- S52 / S251 outturn ---------------------------------------------------------------------------


def _s251_0910(blocks: int = 1) -> pd.DataFrame:
    rows = [
        ("5", "Residential care", "100"),
        ("6", "Fostering services", "50"),
        ("1", "Secure accommodation (youth justice)", "10"),
        ("44", "TOTAL CHILDREN AND YOUNG PEOPLE'S SERVICES BUDGET (excluding CERA)", "160"),
    ] * blocks
    return pd.DataFrame(
        {
            "LEA": ["204"] * len(rows),
            "LEA Name": ["Hackney"] * len(rows),
            "Line": [r[0] for r in rows],
            "S52 Line Reference": [r[1] for r in rows],
            "Total Expenditure (k)": [r[2] for r in rows],
            "NET Current Expenditure (m)": [r[2] for r in rows],
        }
    )


def test_outturn_without_its_authority_name_column(tmp_path):
    raw = _s251_0910().drop(columns="LEA Name")
    path = tmp_path / "s251_outturn_0910.csv"
    raw.to_csv(path, index=False)
    with pytest.raises(
        DataError, match=r"s251_outturn_0910\.csv, column 'LEA Name': missing column 'LEA Name'"
    ):
        io.load_outturn(path, expenditure="gross")


@needs_dfe
def test_s52_2008_09_without_la_name_real_file(tmp_path):
    text = (DFE / "s52_outturn_0809.csv").read_bytes().decode("cp1252").replace("LA Name:", "Name", 1)
    path = tmp_path / "s52_outturn_0809.csv"
    path.write_text("".join(text.splitlines(True)[:100]), encoding="cp1252")
    with pytest.raises(DataError, match=r"missing column.*'LA Name:'"):
        io.load_outturn(path, expenditure="gross", on_unmapped="drop")


def test_a_duplicated_authority_block_is_refused_not_summed(tmp_path):
    path = tmp_path / "s251_outturn_0910.csv"
    _s251_0910(blocks=2).to_csv(path, index=False)
    with pytest.raises(
        DataError,
        match=r"s251_outturn_0910\.csv, rows 6, 7, 8, 9, column 'Line': the same authority and spending "
        r"line appear more than once",
    ):
        io.load_outturn(path, expenditure="gross")


@needs_dfe
def test_a_duplicated_authority_block_real_file(tmp_path):
    text = (DFE / "s52_outturn_0809.csv").read_bytes().decode("cp1252")
    hackney = "".join(line for line in text.splitlines(True) if line.startswith("204,"))
    path = tmp_path / "s52_outturn_0809.csv"
    path.write_text(text + hackney, encoding="cp1252")
    with (
        pytest.raises(DataError, match=r"rows 7052, 7053.*the same authority and spending line appear"),
        pytest.warns(io.UnmappedCodeWarning),
    ):
        io.load_outturn(path, expenditure="gross", on_unmapped="drop")


# -- costs: one price index per authority-year ------------------------------------------------------


def test_two_price_index_values_for_one_authority_year():
    raw = pd.DataFrame(
        {
            "la_code": [HACKNEY] * 3,
            "year": ["2009", "2009", "2010"],
            "cost_line": ["a", "b", "a"],
            "amount_gbp": ["100", "100", "100"],
            "price_index": ["97", "99", "100"],
        }
    )
    with pytest.raises(
        DataError,
        match=r"rows 0, 1, column 'price_index': one authority and year has two different price "
        r"indexes; expected one price_index per la_code and year, found 97, 99 \(E09000012 2009\)",
    ):
        io.load_costs(raw)


# -- impossible values, refused by name -------------------------------------------------------------


def _panel(**cells) -> pd.DataFrame:
    row = {"la_code": HACKNEY, "year": "2010", "indicator": "children_looked_after", "value": "304"}
    return pd.DataFrame([row, {**row, **cells}])


@pytest.mark.parametrize(
    ("cells", "match"),
    [
        (
            {"indicator": "cp_plans_repeat_pct", "value": "250"},
            r"row 1, column 'value': a percentage outside 0-100; expected 0 to 100, found 250 "
            r"\(cp_plans_repeat_pct, E09000012 2010\)",
        ),
        (
            {"indicator": "cp_plans_repeat_pct", "value": "-40"},
            r"a percentage outside 0-100; expected 0 to 100, found -40",
        ),
        ({"year": "2011", "value": "3.5"}, r"row 1, column 'value': a count that is not a whole number"),
        ({"indicator": "total_cost", "value": "inf"}, r"column 'value': not a number or a published symbol"),
        ({"year": "1066"}, r"row 1, column 'year': value out of range; expected a year 1990-2100"),
        ({"year": "9999"}, r"value out of range; expected a year 1990-2100, found '9999'"),
        ({"year": ""}, r"row 1, column 'year': missing value"),
        ({"la_code": "E0900012"}, r"row 1, column 'la_code': not an authority code; expected a GSS code"),
        (
            {"indicator": "population_0_17", "value": "-5"},
            r"row 1, column 'value': a negative population; expected a population >= 0, found -5",
        ),
    ],
)
def test_impossible_panel_values_are_refused_by_name(cells, match):
    # a DataFrame source names its index labels as rows (a file names its Excel rows)
    with pytest.raises(DataError, match=match):
        io.load_panel(_panel(**cells))


def test_impossible_values_in_a_file_name_excel_rows(write):
    text = "la_code,year,indicator,value\nE09000012,2010,children_looked_after,3.5\n"
    with pytest.raises(DataError, match=r"p\.csv, row 2, column 'value': a count that is not a whole number"):
        io.load_panel(write("p.csv", text))


def test_a_dfe_number_as_the_authority_code_is_that_authority():
    got = io.load_panel(_panel(la_code="204", year="2011"))
    assert set(got["la_code"]) == {HACKNEY}


def test_infinite_amounts_are_refused_in_costs():
    raw = pd.DataFrame({"la_code": [HACKNEY], "year": ["2009"], "cost_line": ["a"], "amount_gbp": ["1e400"]})
    with pytest.raises(DataError, match=r"column 'amount_gbp': not a number"):
        io.load_costs(raw)


def test_impossible_values_in_an_ees_table():
    raw = pd.DataFrame(
        {
            "time_period": ["202425", "1066"],
            "time_identifier": "Financial year",
            "geographic_level": "Local authority",
            "old_la_code": ["204", "204"],
            "new_la_code": [HACKNEY, HACKNEY],
            "la_name": ["Hackney", "Hackney"],
            "CPP_subsequent_percent": ["250", "10"],
        }
    )
    with pytest.raises(DataError) as info:
        io.load_dfe_table(raw)
    text = str(info.value)
    assert "a percentage outside 0-100" in text and "expected a year 1990-2100" in text


# -- EES: a bad cell in an indicator column is a bad cell, not a filter --------------------------------


def test_a_bad_cell_in_an_ees_indicator_column_is_diagnosed_as_such(write):
    text = (
        "time_period,time_identifier,geographic_level,old_la_code,new_la_code,la_name,children_count\n"
        "202425,Financial year,Local authority,204,E09000012,Hackney,352\n"
        "202425,Financial year,Local authority,202,E09000007,Camden,abc\n"
        "202425,Financial year,Local authority,210,E09000028,Southwark,c\n"
    )
    with pytest.raises(
        DataError,
        match=r"t\.csv, row 3, column 'children_count': not a number or a published symbol; expected a "
        r"number or one of c, x, z, k, u, low, :, \.\., found 'abc'",
    ) as info:
        io.load_dfe_table(write("t.csv", text))
    assert "--filter" not in str(info.value).split("Hint")[0]


# -- SSDA903: the authority code --------------------------------------------------------------------


def test_ssda903_dfe_number_is_the_same_authority():
    head, eps = SAMPLE / "ssda903_header_2010.csv", SAMPLE / "ssda903_episodes_2010.csv"
    by_number = io.load_ssda903(head, eps, year=2010, la_code="204")
    assert set(by_number["la_code"]) == {HACKNEY}
    with pytest.raises(DataError, match=r"SSDA903, column 'la_code': not an authority code.*'E0900012'"):
        io.load_ssda903(head, eps, year=2010, la_code="E0900012")


# -- neighbours and deflators -----------------------------------------------------------------------


def test_an_authority_that_is_its_own_neighbour_is_refused(write):
    text = "LA num,LA Name,SN1,SNP,SN2,SNP,\n204,Hackney,210,Very Close,204,Close,\n"
    with pytest.raises(
        DataError, match=r"n\.csv, row 2, column 'SN2': an authority listed as its own neighbour"
    ):
        load_statistical_neighbours(write("n.csv", text))


def test_a_negative_or_zero_deflator_is_refused(tmp_path):
    years = [f"{y}-{(y + 1) % 100:02d}" for y in range(2000, 2012)]
    rows = [["GDP DEFLATORS", None], ["Financial year", "2010-11 = 100"]]
    rows += [[p, -5.0 if i == 3 else 90.0 + i] for i, p in enumerate(years)]
    path = tmp_path / "deflators.xlsx"
    pd.DataFrame(rows).to_excel(path, index=False, header=False)
    with pytest.raises(
        DataError, match=r"deflators\.xlsx, row 6, column 'B': a deflator that is not positive"
    ):
        io.load_deflator(path)


def test_a_negative_index_in_a_price_index_table(write):
    panel = io.load_costs(SAMPLE / "costs.csv")
    table = write("index.csv", "year,index\n2009,-97.9\n2010,100\n")
    with pytest.raises(
        DataError, match=r"index\.csv, row 2, column 'index': a price index that is not positive"
    ):
        io.real_terms(panel, base_year=2010, price_index=table)
