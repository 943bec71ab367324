"""Workbook cells every reader misreads (findings q11in Q21, Q27): Excel error values are refused by
cell, as formulas without a saved value are; numbers shown as percentages are read as shown."""

from __future__ import annotations

import pytest

from rsw_eval import DataError, io

HACKNEY = "E09000012"
W_HEADER = ["respondent_id", "authority", "model", "ghq_score", "pct_time_direct_work"]


def _survey(tmp_path, edit):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(W_HEADER)
    for i in range(6):
        sheet.append([f"W{i}", "Unit-model LA", "unit", 10 + i, 40 + i])
    edit(sheet)
    path = tmp_path / "w.xlsx"
    book.save(path)
    return path


@pytest.mark.parametrize("error", ["#N/A", "#DIV/0!", "#REF!", "#VALUE!"])
def test_an_excel_error_value_in_a_survey_is_refused_by_cell(tmp_path, error):
    """q11in Q27: a cached #N/A in ghq_score read as a blank and the score went missing silently."""

    def edit(sheet):
        sheet["D6"] = error  # openpyxl stores an error code as an error cell (t="e")

    path = _survey(tmp_path, edit)
    assert io._formulas.error_cells(path) == [(6, 3, error)]
    with pytest.raises(DataError, match=r"w\.xlsx, row 6, column 'ghq_score': an Excel error value") as err:
        io.load_worker_survey(path)
    assert error in str(err.value)


def test_an_excel_error_value_in_an_ees_workbook_is_refused(tmp_path):
    """q11in Q21: #N/A in an EES table's indicator cell became a missing value with flag ''."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["time_period", "geographic_level", "old_la_code", "new_la_code", "la_name", "x"])
    sheet.append([2024, "Local authority", 204, HACKNEY, "Hackney", 5])
    sheet.append([2025, "Local authority", 204, HACKNEY, "Hackney", "#N/A"])
    path = tmp_path / "ees.xlsx"
    book.save(path)
    with pytest.raises(DataError, match=r"ees\.xlsx, row 3, column 'x': an Excel error value"):
        io.load_dfe_table(path, value={"x": "children_looked_after"})


def test_an_excel_error_value_in_a_workbook_read_by_cell_is_refused(tmp_path):
    """The deflator and other workbooks read cell by cell name the cell (q11in Q19/Q21: #REF!)."""
    from openpyxl import Workbook

    from rsw_eval.io._xls import check_formulas

    book = Workbook()
    book.active.append(["year", "index"])
    book.active.append(["2008-09", "#REF!"])
    path = tmp_path / "d.xlsx"
    book.save(path)
    with pytest.raises(DataError, match=r"Excel error values.*found 1 such cells: B2 #REF!"):
        check_formulas(path, [book.active.title], str(path))


@pytest.mark.parametrize(
    ("number_format", "read"),
    [("0%", 58.0), ("0.0%", 58.0), ("0.00%", 58.0), ("#,##0.0%", 58.0), ('0.0"%"', 0.58)],
)
def test_a_percentage_formatted_cell_is_read_as_excel_shows_it(tmp_path, number_format, read):
    """q11in Q27: 0.58 in a cell formatted 0% (Excel shows 58%) was read as 0.58 and passed the
    0-100 check; a survey's percentage column reads it as 58. A quoted "%" is text in the format:
    Excel shows 0.6%, the value is 0.58."""

    def edit(sheet):
        sheet["E3"] = 0.58
        sheet["E3"].number_format = number_format

    frame = io.load_worker_survey(_survey(tmp_path, edit))
    assert frame["pct_time_direct_work"].tolist() == [40.0, read, 42.0, 43.0, 44.0, 45.0]


def test_a_percentage_formatted_cell_elsewhere_is_refused_by_cell(tmp_path):
    """A column no loader reads as a percentage does not take 0.58 for 0.58 nor guess 58: the cell
    is refused, with the value as Excel shows it."""

    def edit(sheet):
        sheet["D4"] = 0.12
        sheet["D4"].number_format = "0%"

    with pytest.raises(DataError, match=r"row 4, column 'ghq_score': not a number.*found '12%'"):
        io.load_worker_survey(_survey(tmp_path, edit))


def test_a_percent_sign_typed_in_a_survey_csv_is_read(write):
    path = write(
        "w.csv", ",".join(W_HEADER) + "\nW1,Unit-model LA,unit,10,58%\nW2,Unit-model LA,unit,9,7 %\n"
    )
    assert io.load_worker_survey(path)["pct_time_direct_work"].tolist() == [58.0, 7.0]


EES_HEADER = ["time_period", "geographic_level", "old_la_code", "new_la_code", "la_name"]


def _ees_xlsx(tmp_path, number_format="0%", column="children_percent"):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append([*EES_HEADER, "children_count", column])
    sheet.append([2024, "Local authority", 204, HACKNEY, "Hackney", 350, 0.58])
    sheet.append([2024, "Local authority", 202, "E09000007", "Camden", 280, 0.184])
    for cell in ("G2", "G3"):
        sheet[cell].number_format = number_format
    path = tmp_path / "ees.xlsx"
    book.save(path)
    return path


def test_a_percentage_formatted_ees_cell_is_read_as_excel_shows_it(tmp_path):
    """Issue 21: an EES table saved from Excel, 58% stored as 0.58 with a % format, was refused
    ('not a number ... found 58%'); it reads as the 58 Excel shows and the published CSV holds."""
    path = _ees_xlsx(tmp_path)
    panel = io.load_dfe_table(path, value="children_percent").set_index("la_code")["value"]
    assert panel.to_dict() == {"E09000007": 18.4, HACKNEY: 58.0}
    chosen = io.load_dfe_table(path)  # found as an indicator column when no value is named
    assert sorted(chosen["indicator"].unique()) == ["children_count", "children_percent"]
    renamed = io.load_dfe_table(path, value={"children_percent": "cla_share"})  # the source column's name
    assert renamed["value"].tolist() == [18.4, 58.0]


def test_a_percentage_format_on_a_column_of_no_percentages_is_refused(tmp_path):
    """A count shown as 58% is neither 0.58 nor 58 children: refused by cell, as Excel shows it."""
    path = _ees_xlsx(tmp_path, column="children_count_2")
    with pytest.raises(
        DataError, match=r"rows 2, 3, column 'children_count_2': not a number.*'58%', '18\.4%'"
    ):
        io.load_dfe_table(path, value="children_count_2")


def test_hidden_rows_and_columns_are_read_and_said(tmp_path):
    """q22 L3: a hidden row or column was loaded without a word (loading it is right)."""
    from rsw_eval import RswEvalWarning

    def edit(sheet):
        for row in (3, 4, 6):
            sheet.row_dimensions[row].hidden = True
        sheet.column_dimensions["E"].hidden = True

    path = _survey(tmp_path, edit)
    with pytest.warns(RswEvalWarning, match=r"w\.xlsx, sheet 'Sheet': Excel hides rows 3-4, 6 and column E,"):
        frame = io.load_worker_survey(path)
    assert len(frame) == 6 and frame["pct_time_direct_work"].notna().all()


def test_a_sheet_with_nothing_hidden_gives_no_warning(tmp_path, recwarn):
    io.load_worker_survey(_survey(tmp_path, lambda sheet: None))
    assert not [w for w in recwarn if "Excel hides" in str(w.message)]
