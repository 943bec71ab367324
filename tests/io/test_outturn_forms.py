"""S52/S251 outturn in every form DfE published it (.xls, .xlsx with title rows or several sheets,
.ods) and MHCLG's revenue outturn (RO3/RSX), checked against cells read by hand in the files."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

from rsw_eval import DataError
from rsw_eval.io import DRIVERS, load_outturn, load_revenue_outturn, outturn_crosswalk
from tests.conftest import DFE, needs_dfe

HACKNEY = "E09000012"


def _hackney(panel: pd.DataFrame) -> pd.Series:
    return panel[panel["la_code"] == HACKNEY].set_index("indicator")["value"]


def _load(name: str, **options) -> pd.DataFrame:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # 2008-09: Bedfordshire and Cheshire dropped, as asked
        return load_outturn(DFE / name, expenditure="gross", on_unmapped="drop", **options)


# (file, year, Hackney CYPS total excluding CERA, the cell it was read from by hand)
FORMS = [
    ("s251ye2009.xls", 2009, 46_941_035.13, "Table A1!G191 (line 46)"),
    ("s251ye2010.xls", 2010, 54_020_473, "Table A1 Detailed Report!I180 (line 44)"),
    ("s251ye2011.xls", 2011, 77_011_316, "Table A1 Detailed Report!J210 (line 50)"),
    ("s251ye2012.xlsx", 2012, 73_912_400, "TA1_AllData_1112_180113!I5675 (line 38)"),
    ("s251ye2013.xlsx", 2013, 78_224_830, "Sheet1!J142 (line 33; Sheet2, Sheet3 empty)"),
    ("s251ye2014.ods", 2014, 74_574_831, "TA1AllData_13112014!J142 (line 33)"),
    ("s251ye2016.ods", 2016, 75_673_327, "Table_A1!K5173 (line 33)"),
    ("s251ye2016.xlsx", 2016, 75_673_327, "Table_A1!K5173 (line 33)"),
    ("S251ye2018.xlsx", 2018, 79_552_965, "Table A1!K5243 (5.0.2)"),
]


@needs_dfe
@pytest.mark.parametrize(("name", "year", "cyps", "cell"), FORMS, ids=[f"{r[0]}-{r[3]}" for r in FORMS])
def test_every_published_form_real_file(name, year, cyps, cell):
    panel = _load(name)
    assert set(panel["year"]) == {year}  # from the title rows where the workbook has them
    h = _hackney(panel)
    assert h["cyps_total_cost"] == pytest.approx(cyps, abs=1e-6)
    assert h["total_cost"] == pytest.approx(sum(h[f"cost_line:{d}"] for d in DRIVERS), abs=1e-6)


@needs_dfe
@pytest.mark.parametrize(
    ("workbook", "csv"),
    [
        ("s251ye2009.xls", "s52_outturn_0809.csv"),
        ("s251ye2010.xls", "s52_outturn_0910.csv"),
        ("s251ye2011.xls", "s251_outturn_1011.csv"),
        ("s251ye2014.ods", "s251_outturn_1314.csv"),
        ("s251ye2016.ods", "s251ye2016.xlsx"),
    ],
)
def test_the_forms_of_one_year_agree_real_file(workbook, csv):
    # shared README: the Table A1 workbooks hold the same values as the CSVs of those years
    a, b = _load(workbook, level="line"), _load(csv, level="line")
    key = ["la_code", "indicator"]
    both = a.merge(b, on=key, suffixes=("_a", "_b"))
    assert len(both) == len(a) == len(b)
    # the CSV exports round some amounts to 10p (Kent 2009-10 line 43: 150,085,704.74971 in the
    # workbook, 150,085,704.7 in the CSV): the forms agree to within 5p on every line
    assert (both["value_a"] - both["value_b"]).abs().max(skipna=True) <= 0.05 + 1e-6


@needs_dfe
def test_2015_16_children_social_care_from_the_published_subtotals_k4567_real_file():
    # s251ye2016.xlsx Table_A1, Hackney, read by hand: 16 Total Children Looked After 22,131,343
    # + 17 Other children's and families services 0 + 21 Total Safeguarding 19,964,108 (the row
    # whose s251line the file gives as 16) + 27 Total Family Support Services 9,515,255
    h = _hackney(_load("s251ye2016.xlsx"))
    assert h["total_cost"] == 22_131_343 + 0 + 19_964_108 + 9_515_255
    lines = _load("s251ye2016.xlsx", level="line")
    hl = lines[lines["la_code"] == HACKNEY].set_index("indicator")
    assert hl.loc["outturn_line:21", "kind"] == "subtotal" and hl.loc["outturn_line:16", "kind"] == "subtotal"


@needs_dfe
def test_2017_18_new_wording_real_file():
    # S251ye2018.xlsx Table A1, Hackney: 3.1.11 24,079,010 + 3.2.1 0 + 3.3.4 22,726,299 + 3.4.6
    # 11,686,191; 3.0.4 is now "Other spend on children under 5" (wider budget, as in 2016-17)
    h = _hackney(_load("S251ye2018.xlsx"))
    assert h["total_cost"] == 24_079_010 + 0 + 22_726_299 + 11_686_191
    x = outturn_crosswalk().set_index(["year", "line"])
    assert x.loc[("2018", "3.0.4"), "scope"] == "wider_cyps"
    assert "Other early years expenditure" in x.loc[("2018", "3.0.4"), "note"]


@needs_dfe
def test_sheet_option_and_empty_sheets_real_file():
    assert len(_load("s251ye2013.xlsx", sheet="Sheet1")) == len(_load("s251ye2013.xlsx"))
    with pytest.raises(DataError, match=r"sheet 'Sheet2' is empty"):
        _load("s251ye2013.xlsx", sheet="Sheet2")
    with pytest.raises(
        DataError, match=r"no sheet named 'Table'; expected one of 'Sheet1', 'Sheet2', 'Sheet3'"
    ):
        _load("s251ye2013.xlsx", sheet="Table")


def test_title_rows_and_a_bad_cell_name_the_row_excel_shows(tmp_path):
    rows = [
        ["S251 Outturn 2015-16 - Table A1", None, None, None, None, None, None],
        ["Cash terms", None, None, None, None, None, None],
        [None] * 7,
        ["LA", "LA Name", "ReportGroup", "OrderLine", "Description", "s251line", "TotalExpenditure"],
        ["204", "Hackney", "CLA", 6, "6. Residential care", "6", 100],
        ["204", "Hackney", "CLA", 7, "7. Fostering services", "7", "lots"],
    ]
    path = tmp_path / "book.xlsx"
    with pd.ExcelWriter(path) as w:
        pd.DataFrame(rows).to_excel(w, sheet_name="Table A1", header=False, index=False)
        pd.DataFrame().to_excel(w, sheet_name="Sheet2")
    with pytest.raises(DataError, match=r"book\.xlsx, row 6, column 'TotalExpenditure': not a number"):
        load_outturn(path, expenditure="gross")


_LINES = [(6, "Residential care"), (7, "Fostering services")]
_A1 = ["LA", "LA Name", "ReportGroup", "OrderLine", "Description", "s251line", "TotalExpenditure"]


def _book(tmp_path, rows, merge: str | None = None):
    """An S251 Table A1 workbook of ``rows`` below the header, with the cells ``merge`` merged."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Table_A1"
    for row in rows:
        sheet.append(row)
    if merge:
        sheet.merge_cells(merge)
    path = tmp_path / "s251ye2016.xlsx"
    book.save(path)
    return path


def test_a_repeated_column_name_in_a_workbook_is_one_message(tmp_path):
    """att12 M3: pandas' "The truth value of a Series is ambiguous" leaked out, naming nothing."""
    header = [*_A1[:-1], "TotalExpenditure", "TotalExpenditure"]
    path = _book(tmp_path, [header, ["204", "Hackney", "CLA", 6, "6. Residential care", "6", 100, 1]])
    with pytest.raises(DataError) as err:
        load_outturn(path, expenditure="gross")
    assert str(err.value) == (
        f"{path}, column 'TotalExpenditure': the same column name appears more than once in the header; "
        "expected each column name once, found 'TotalExpenditure' 2 times. Hint: rename or delete the "
        "extra column; rsw-eval does not guess which one is meant"
    )


@pytest.mark.parametrize(("cell", "found"), [(True, "'TRUE'"), ("£1.9m", "'£1.9m'")])
def test_a_bad_amount_in_a_workbook_says_what_was_found(tmp_path, cell, found):
    """att12 M4: the message had no "found" part."""
    path = _book(tmp_path, [_A1, ["204", "Hackney", "CLA", 6, "6. Residential care", "6", cell]])
    with pytest.raises(DataError, match=rf"row 2, column 'TotalExpenditure': not a number.*found {found}$"):
        load_outturn(path, expenditure="gross")


def test_an_absurd_amount_is_named_by_its_cell_not_by_the_add_up_check(tmp_path):
    """att12 L2: 1e300 passed the cell checks and the add-up check printed a 300-digit sum."""
    path = _book(tmp_path, [_A1, ["204", "Hackney", "CLA", 6, "6. Residential care", "6", 1e300]])
    with pytest.raises(DataError) as err:
        load_outturn(path, expenditure="gross")
    assert str(err.value).endswith(
        "row 2, column 'TotalExpenditure': an absurd amount (a misread or a typo?); "
        "expected an amount below 1,000,000,000,000 pounds, found 1e+300"
    )


def test_merged_la_cells_are_empty_cells_not_la_number_000(tmp_path):
    """att12 M6: the cells a merge leaves empty were read as LA number "000"."""
    rows = [_A1, *(["204", "Hackney", "CLA", n, f"{n}. {d}", str(n), 100] for n, d in _LINES)]
    path = _book(tmp_path, rows, merge="A2:A3")
    with pytest.raises(DataError) as err:
        load_outturn(path, expenditure="gross")
    assert "row 3, column 'LA': no LA number" in str(err.value)
    assert "found an empty cell. Hint: merged cells" in str(err.value) and "000" not in str(err.value)


def test_unknown_line_in_a_workbook_is_named(tmp_path):
    rows = [
        ["LA", "LA Name", "ReportGroup", "OrderLine", "Description", "s251line", "TotalExpenditure"],
        ["204", "Hackney", "CLA", 6, "6. Residential care", "6", 100],
        ["204", "Hackney", "CLA", 7, "7. Foster care (new wording)", "7", 5],
    ]
    path = tmp_path / "s251ye2016.xlsx"
    pd.DataFrame(rows).to_excel(path, sheet_name="Table_A1", header=False, index=False)
    with pytest.raises(
        DataError,
        match=r"row 3, column 'Description': spending lines not in the outturn "
        r"crosswalk.*7\. Foster care \(new wording\)",
    ):
        load_outturn(path, expenditure="gross")


@needs_dfe
def test_ro3_2024_25_hackney_cp151_and_q151_real_file():
    # RO3_LA_Data_2024-25_data_by_LA.ods, sheet RO3_LA_Data_202425, row 151 (Hackney), read by
    # hand in £ thousand: CP151 TOTAL CHILDREN SOCIAL CARE total expenditure 101,932; Q151 children
    # looked after 46,833; other children's and families 2,159; family support 18,704;
    # safeguarding 23,247; asylum seekers 0
    path = DFE / "RO3_LA_Data_2024-25_data_by_LA.ods"
    csc = load_revenue_outturn(path, expenditure="gross")
    h = _hackney(csc)
    assert h["cyps_total_cost"] == 101_932_000
    assert h["cost_line:looked_after_placements"] == 46_833_000
    assert h["total_cost"] == (46_833 + 2_159 + 18_704 + 23_247 + 0) * 1000
    assert set(csc["collection"]) == {"RO3"} and set(csc["year"]) == {2025}
    assert set(csc["published_unit"]) == {"£ thousand"}
    assert "E92000001" in set(csc["la_code"])  # England, row 418
    assert csc["la_code"].nunique() == 154  # 153 children's services authorities and England
    whole = _hackney(load_revenue_outturn(path, expenditure="gross", scope="cyps"))
    assert whole["total_cost"] == 101_932_000
    missing = csc[(csc["indicator"] == "total_cost") & csc["value"].isna()]
    assert set(missing["flag"]) == {"x"} and len(missing) == 3  # returns not received in time


@needs_dfe
def test_rsx_2024_25_hackney_x151_real_file():
    # RSX_LA_Data_2024-25_data_by_LA.ods row 151, X151 Children Social Care total expenditure 101,932
    path = DFE / "RSX_LA_Data_2024-25_data_by_LA.ods"
    h = _hackney(load_revenue_outturn(path, expenditure="gross", scope="cyps"))
    assert h["total_cost"] == 101_932_000
    with pytest.raises(DataError, match="RSX has the children's social care total only"):
        load_revenue_outturn(path, expenditure="gross")


def test_unknown_revenue_block_is_named(tmp_path):
    rows = [
        ["Revenue Outturn (RO) 2024-25: RO3", None, None, None, None],
        [
            "E-code",
            "ONS Code",
            "Local authority",
            "Children's social care - Family hubs - Total Expenditure (C3)",
            "TOTAL CHILDREN SOCIAL CARE - Total Expenditure (C3 = C1 + C2)",
        ],
        ["E5013", "E09000012", "Hackney", 5, 5],
    ]
    path = tmp_path / "RO3.xlsx"
    pd.DataFrame(rows).to_excel(path, sheet_name="RO3_LA_Data_202425", header=False, index=False)
    with pytest.raises(DataError, match=r"blocks whose wording rsw-eval does not know.*Family hubs"):
        load_revenue_outturn(path, expenditure="gross")
