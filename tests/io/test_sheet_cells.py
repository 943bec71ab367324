"""Issue 21 item 5 for .xls and .ods workbooks: an error cell (#REF!, #DIV/0!, #N/A, #VALUE!) is refused
by cell as in an .xlsx (python-calamine reads it as a blank, or as the 0 LibreOffice stores beside
it), and an ODS percentage cell (0.58 shown as 58%) reads as shown. The files are written byte by
byte (tests/_sheets.py): no installed writer makes .xls or .ods error cells."""

from __future__ import annotations

import zipfile

import pytest

from rsw_eval import DataError, io
from rsw_eval.cli import main
from rsw_eval.io._formulas import error_cells, percent_cells
from rsw_eval.io._xls import check_formulas, sheet_names
from tests._sheets import Error, FormulaError, Percent, write_ods, write_xls
from tests.conftest import DFE, needs_dfe

HACKNEY = "E09000012"
HEADER = ["time_period", "geographic_level", "old_la_code", "new_la_code", "la_name", "x"]
WRITERS = {".ods": write_ods, ".xls": write_xls}


def _ees(tmp_path, suffix, cell, above=0):
    rows = [
        HEADER,
        [2024, "Local authority", "204", HACKNEY, "Hackney", 5],
        [2025, "Local authority", "204", HACKNEY, "Hackney", cell],
    ]
    rows = [[""] * 6] * above + [[""] * above + r for r in rows]  # empty rows and columns first
    return WRITERS[suffix](tmp_path / f"ees{suffix}", rows)


@pytest.mark.parametrize("suffix", [".ods", ".xls"])
@pytest.mark.parametrize("error", ["#N/A", "#DIV/0!", "#REF!", "#VALUE!"])
@pytest.mark.parametrize("kind", [Error, FormulaError])
def test_an_error_cell_in_an_ees_workbook_is_refused_by_cell(tmp_path, suffix, error, kind):
    """Loaded as a missing value (ODS formula: as 0) with no message; now as for .xlsx."""
    path = _ees(tmp_path, suffix, kind(error))
    assert error_cells(path) == [(3, 5, error)]
    with pytest.raises(DataError) as err:
        io.load_dfe_table(path, value={"x": "children_looked_after"})
    assert str(err.value) == (
        f"{path}, row 3, column 'x': an Excel error value, which every reader sees as a blank cell; "
        "expected a value, or a blank or a DfE symbol (c, x, z ...) where there is none, found 1 error "
        f"value ({error}). Hint: correct the formula or the cells it uses, or type the value; rsw-eval "
        "does not read an error as missing"
    )


@pytest.mark.parametrize("suffix", [".ods", ".xls"])
def test_the_row_is_the_one_the_spreadsheet_shows_below_empty_rows(tmp_path, suffix):
    path = _ees(tmp_path, suffix, FormulaError("#REF!"), above=2)
    assert error_cells(path) == [(5, 7, "#REF!")]
    with pytest.raises(DataError, match=rf"ees\{suffix}, row 5, column 'x': an Excel error value"):
        io.load_dfe_table(path, value={"x": "children_looked_after"})


@pytest.mark.parametrize("suffix", [".ods", ".xls"])
def test_an_error_cell_in_a_workbook_read_by_cell_is_refused(tmp_path, suffix):
    """The loaders that read a sheet cell by cell (outturn, revenue, dashboard) name the cell."""
    path = WRITERS[suffix](tmp_path / f"d{suffix}", [["year", "index"], ["2008-09", Error("#REF!")]])
    with pytest.raises(DataError, match=r"Excel error values.*found 1 such cells: B2 #REF!"):
        check_formulas(path, ["Sheet1"], str(path))


@pytest.mark.parametrize("suffix", [".ods", ".xls"])
def test_an_error_cell_exits_2_with_one_line(tmp_path, suffix, capsys):
    path = _ees(tmp_path, suffix, Error("#DIV/0!"))
    assert main(["validate", "--kind", "dfe", "--value", "x", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert "row 3, column 'x': an Excel error value" in err and "(#DIV/0!)" in err


@pytest.mark.parametrize("suffix", [".ods", ".xls"])
def test_a_workbook_without_error_cells_loads(tmp_path, suffix):
    path = _ees(tmp_path, suffix, 7)
    assert error_cells(path) == []
    panel = io.load_dfe_table(path, value={"x": "children_looked_after"})
    assert panel["value"].tolist() == [5.0, 7.0]


def test_an_ods_percentage_cell_is_read_as_shown(tmp_path):
    """0.58 in an ODS percentage cell is 58% on screen: read as 58 in a percentage column."""
    rows = [
        [*HEADER[:-1], "children_percent"],
        [2024, "Local authority", "204", HACKNEY, "Hackney", Percent(0.58)],
        [2024, "Local authority", "202", "E09000007", "Camden", Percent(0.184)],
    ]
    path = write_ods(tmp_path / "ees.ods", rows)
    assert percent_cells(path, "Sheet1") == [(2, 5), (3, 5)]
    panel = io.load_dfe_table(path, value="children_percent")
    assert panel.set_index("la_code")["value"].to_dict() == {"E09000007": 18.4, HACKNEY: 58.0}


def test_a_repeated_ods_row_repeats_its_error_cells(tmp_path):
    """LibreOffice writes identical rows once, with table:number-rows-repeated."""
    path = write_ods(tmp_path / "r.ods", [["a", "b"], [1, FormulaError("#N/A")]])
    with zipfile.ZipFile(path) as book:
        content = book.read("content.xml").replace(
            b'<table:table-row><table:table-cell office:value-type="float"',
            b'<table:table-row table:number-rows-repeated="3"><table:table-cell office:value-type="float"',
        )
        manifest = book.read("META-INF/manifest.xml")
    with zipfile.ZipFile(path, "w") as book:
        book.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        book.writestr("content.xml", content)
        book.writestr("META-INF/manifest.xml", manifest)
    assert error_cells(path) == [(2, 1, "#N/A"), (3, 1, "#N/A"), (4, 1, "#N/A")]


@needs_dfe
@pytest.mark.parametrize("name", [p.name for p in sorted(DFE.glob("*.xls")) + sorted(DFE.glob("*.ods"))])
def test_the_real_workbooks_have_no_error_cells(name):
    """Every published .xls and .ods workbook still loads: none of its sheets holds an error."""
    for sheet in sheet_names(DFE / name):
        assert error_cells(DFE / name, sheet) == [], sheet
