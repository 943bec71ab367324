"""Issue 21 item 5: a CSV row with fewer fields than the header (its last cells lost: a download or
a copy cut short) is refused by the reader every loader shares, never loaded as missing values."""

from __future__ import annotations

import pytest

from rsw_eval import DataError, io
from rsw_eval.cli import main
from rsw_eval.io._read import read_table
from tests.conftest import DFE, needs_dfe

HACKNEY = "E09000012"
EES = (
    "time_period,time_identifier,geographic_level,old_la_code,new_la_code,la_name,"
    "children_count,children_percent\n"
    f"202324,Financial year,Local authority,204,{HACKNEY},Hackney,350,12\n"
    "202324,Financial year,Local authority,202,E09000007,Camden,280,9\n"
)


def test_a_row_cut_inside_its_numbers_is_refused(write):
    """The last row lost its two indicator cells: it loaded as two missing values, exit 0."""
    path = write("ees.csv", EES + f"202425,Financial year,Local authority,204,{HACKNEY},Hackney\n")
    with pytest.raises(DataError) as err:
        io.load_dfe_table(path, value="children_count")
    assert str(err.value) == (
        f"{path}, row 4, column 'children_count, children_percent': a row with fewer fields than the "
        "header, its last cells missing (a file or a row cut short?); expected 8 fields, as in the "
        "header, found 6 fields. Hint: restore the missing cells; an empty cell is still written, "
        "with its comma (202,2024,)"
    )


def test_short_rows_are_counted_and_named_together(write):
    body = f"202425,Financial year,Local authority,204,{HACKNEY},Hackney,351\n"
    path = write("ees.csv", EES + body + "\n" + body.replace("202425", "202526").rsplit(",", 2)[0] + "\n")
    with pytest.raises(
        DataError, match=r"rows 4, 6, column 'la_name, children_count, children_percent'.*found 7 or 5 fields"
    ):
        read_table(path)


def test_a_field_longer_than_the_csv_module_s_limit_is_counted_not_a_traceback(write):
    """q18att F4: a cell of 2,000,000 characters (a corrupted or concatenated download) ended in
    the csv module's "field larger than field limit" traceback while short rows were counted."""
    body = f"202425,Financial year,Local authority,204,{HACKNEY},Hackney,351,\n"
    path = write(
        "ees.csv",
        EES.replace(",12\n", ",\n") + body.replace("Hackney,351,", "Hackney," + "9" * 200_000 + ","),
    )
    with pytest.raises(DataError):  # one clear message: 2e5 nines is no count of children
        io.load_dfe_table(path, value="children_count")
    path = write("short.csv", EES + body.rsplit(",", 2)[0] + "x" * 200_000 + "\n")
    with pytest.raises(DataError, match="row 4.*fewer fields than the header"):
        read_table(path)


@pytest.mark.parametrize("blank", ["\n", "\r\n", ",,,,,,,\n"])
def test_a_blank_line_or_an_empty_field_is_not_a_short_row(write, blank):
    """A wholly blank line is passed over as before; empty fields written with their commas are
    empty cells (an unpublished value), not lost ones."""
    path = write("ees.csv", EES.replace("\n202324,Financial", "\n" + blank + "202324,Financial", 1) + blank)
    frame, _ = read_table(path)
    assert frame.shape == (2, 8)
    empty = write("e.csv", EES + f"202425,Financial year,Local authority,204,{HACKNEY},Hackney,,\n")
    assert read_table(empty)[0].iloc[-1].tolist()[-2:] == ["", ""]


def test_the_row_number_counts_blank_lines_above_the_header(write):
    path = write("ees.csv", "\n\n" + EES + "202425,Financial year\n")
    with pytest.raises(
        DataError, match=r"row 6, column 'geographic_level to children_percent \(6 columns\)'.*found 2 fields"
    ):
        read_table(path)


def test_a_quoted_line_break_is_one_record(write):
    """A field holding a line break is one record over two lines, not two short rows."""
    path = write("ees.csv", EES.replace("Hackney,350", '"Hackney\nLondon",350'))
    assert read_table(path)[0]["la_name"].tolist() == ["Hackney\nLondon", "Camden"]


def test_a_short_row_exits_2_with_one_line(write, capsys):
    path = write("ees.csv", EES + f"202425,Financial year,Local authority,204,{HACKNEY},Hackney,35\n")
    assert main(["validate", "--kind", "dfe", "--value", "children_count", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert "row 4, column 'children_percent': a row with fewer fields" in err
    assert "expected 8 fields, as in the header, found 7 fields" in err


def test_a_short_row_in_a_panel_or_a_population_is_refused_too(write):
    """One rule in the reader: every loader refuses it, not only the EES filters (q11in Q4)."""
    panel = write(
        "p.csv", "la_code,year,indicator,value\nE09000012,2009,children_looked_after,3\nE09000012,2010\n"
    )
    with pytest.raises(DataError, match=r"row 3, column 'indicator, value': a row with fewer fields"):
        io.load_panel(panel)


@needs_dfe
@pytest.mark.parametrize(
    "name", ["cla_number_and_rate_per_10k_children.csv", "ons_mid-year_population_estimates_2012_to_2024.csv"]
)
def test_a_real_file_cut_mid_row_is_refused_and_loads_whole(tmp_path, name):
    """The real file reads as before; cut inside its last row's numbers it is refused there."""
    data = (DFE / name).read_bytes()
    frame, _ = read_table(DFE / name)
    assert frame.shape[0] == data.rstrip(b"\r\n").count(b"\n")
    cut = data.rstrip(b"\r\n")
    cut = cut[: cut.rfind(b",")]  # the last row loses its last field
    path = tmp_path / name
    path.write_bytes(cut + b"\n")
    last = len(cut.split(b"\n"))
    with pytest.raises(
        DataError, match=rf"row {last}, column '{frame.columns[-1]}': a row with fewer fields"
    ):
        read_table(path)
