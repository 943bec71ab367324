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
