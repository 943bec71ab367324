"""Reading files: formats, encodings and structural errors (issue #2, item 5)."""

from __future__ import annotations

import hashlib
import re

import pandas as pd
import pytest

from rsw_eval import DataError, load_worker_survey

HEADER = "respondent_id,authority,model\n"
BODY = "w1,Hackney,unit\nw2,Islington,conventional\n"


def test_csv_utf8(write):
    df = load_worker_survey(write("w.csv", HEADER + BODY))
    assert list(df["respondent_id"]) == ["w1", "w2"]
    assert list(df["model"]) == ["unit", "conventional"]


def test_csv_utf8_bom(write):
    df = load_worker_survey(write("w.csv", "\ufeff" + HEADER + "w1,Saint-Étienne,unit\n"))
    assert df.columns[0] == "respondent_id"
    assert df.loc[0, "authority"] == "Saint-Étienne"


def test_csv_cp1252_as_excel_writes_it(write):
    df = load_worker_survey(write("w.csv", HEADER + "w1,Café £ borough,unit\n", encoding="cp1252"))
    assert df.loc[0, "authority"] == "Café £ borough"


def test_csv_utf16_is_rejected(write):
    path = write("w.csv", HEADER + BODY, encoding="utf-16")
    with pytest.raises(DataError, match=r"w\.csv: the file's text encoding is not supported.*UTF-16"):
        load_worker_survey(path)


@pytest.mark.parametrize(("encoding", "order"), [("utf-16-le", "little"), ("utf-16-be", "big")])
def test_csv_utf16_without_a_byte_order_mark_is_named(write, encoding, order):
    # q22 L4: it decoded as UTF-8 (a NUL beside each letter) and its header showed as ' r e s p ...'
    path = write("w.csv", HEADER + BODY, encoding=encoding)
    found = re.escape(f"found UTF-16 ({order}-endian) text without a byte-order mark")
    with pytest.raises(DataError, match=rf"w\.csv: the file's text encoding is not supported; .*{found}"):
        load_worker_survey(path)


def test_a_nul_byte_in_a_cp1252_file_is_named_by_row_and_column(write):
    # q22 L4: the NUL kept the file from Windows-1252, and it was refused as an unknown encoding
    path = write("w.csv", (HEADER + "w1,Café\x00 borough,unit\n" + BODY).encode("cp1252"))
    with pytest.raises(DataError, match=r"w\.csv, row 2, column 'authority': a control character .*U\+0000"):
        load_worker_survey(path)


@pytest.mark.parametrize("name", ["w.csv", "w.xls"])
def test_a_folder_is_named_a_folder(tmp_path, name):
    from rsw_eval.io._xls import read_cells

    (tmp_path / name).mkdir()
    read = load_worker_survey if name.endswith(".csv") else lambda p: read_cells(p, None)
    with pytest.raises(DataError, match=r"the path is a folder, not a file"):
        read(tmp_path / name)


def test_empty_file(write):
    with pytest.raises(DataError, match=r"e\.csv: the file is empty"):
        load_worker_survey(write("e.csv", ""))


def test_whitespace_only_file_is_empty(write):
    with pytest.raises(DataError, match="the file is empty"):
        load_worker_survey(write("e.csv", "\n\n  \n"))


def test_header_only_file(write):
    with pytest.raises(DataError, match=r"header but no data rows.*header only \(3 columns\)"):
        load_worker_survey(write("h.csv", HEADER))


@pytest.mark.parametrize(
    ("name", "found"), [("w.txt", "'.txt'"), ("w", "no suffix")], ids=["txt", "no-suffix"]
)
def test_unsupported_suffix(write, name, found):
    """What was found is said: 'no suffix' was quoted as a cell is, so the masking took the
    tool's own two words for a person's name ("found text that may identify a person")."""
    with pytest.raises(
        DataError, match=r"unsupported file type; expected \.csv or \.xlsx or \.xls or \.ods or \.parquet"
    ) as raised:
        load_worker_survey(write(name, HEADER + BODY))
    assert f"found {found}. Hint" in str(raised.value) and "not shown" not in str(raised.value)


@pytest.mark.parametrize("name", ["w.xls", "w.ods"])
def test_text_named_as_a_workbook(write, name):
    with pytest.raises(DataError, match=r"not a readable \.(xls|ods) workbook"):
        load_worker_survey(write(name, HEADER + BODY))


def test_missing_path(tmp_path):
    with pytest.raises(DataError, match=r"nope\.csv: the path does not exist"):
        load_worker_survey(tmp_path / "nope.csv")


def test_folder_is_not_a_file(tmp_path):
    (tmp_path / "d.csv").mkdir()
    with pytest.raises(DataError, match="is a folder, not a file"):
        load_worker_survey(tmp_path / "d.csv")


def test_an_unclosed_quote_names_the_row_as_excel_shows_it_and_its_column(write):
    """pandas said "EOF inside string starting at row 1" for the first data row, and named no
    column (att12 M8)."""
    with pytest.raises(DataError) as err:
        load_worker_survey(write("w.csv", HEADER + BODY + 'w3,"unclosed,unit\n'))
    assert "w.csv, row 4, column 'authority': a double quote" in str(err.value)
    assert "found none before the end of the file" in str(err.value)


def test_a_long_field_on_a_row_with_an_extra_field_is_one_message(write):
    """The diagnosis of the extra field read the rows with the csv module's 131,072-character
    field limit and crashed (att12 H1); the extra field is now named with its count."""
    path = write("w.csv", HEADER + "w1,Hackney,unit\nw2,Islington,unit," + "A" * 200_000 + "\n")
    with pytest.raises(DataError) as err:
        load_worker_survey(path)
    assert str(err.value).endswith(
        "w.csv, row 3: a row with more fields than the header; expected 3 fields, as in the header, "
        'found 4 fields. Hint: put a value that holds a comma in double quotes ("5,000"), or name the '
        "extra column"
    )


def test_xlsx_single_sheet(tmp_path):
    path = tmp_path / "w.xlsx"
    pd.DataFrame(
        {"respondent_id": ["w1"], "authority": ["A"], "model": ["Unit"], "job_satisfaction": [4]}
    ).to_excel(path, index=False)
    df = load_worker_survey(path)
    assert df.loc[0, "model"] == "unit"
    assert df.loc[0, "job_satisfaction"] == 4


def test_xlsx_several_sheets_needs_a_choice(tmp_path):
    path = tmp_path / "w.xlsx"
    with pd.ExcelWriter(path) as xl:
        pd.DataFrame({"respondent_id": ["w1"], "authority": ["A"], "model": ["unit"]}).to_excel(
            xl, sheet_name="Survey", index=False
        )
        pd.DataFrame({"note": ["x"]}).to_excel(xl, sheet_name="Notes", index=False)
    with pytest.raises(DataError, match=r"several sheets and none was chosen.*'Survey', 'Notes'"):
        load_worker_survey(path)
    assert len(load_worker_survey(path, sheet="Survey")) == 1
    with pytest.raises(DataError, match=r"no sheet named 'Sheet1'; expected one of 'Survey', 'Notes'"):
        load_worker_survey(path, sheet="Sheet1")


def test_xlsx_row_numbers_match_the_sheet(tmp_path):
    path = tmp_path / "w.xlsx"
    pd.DataFrame(
        {
            "respondent_id": ["w1", "w2", "w3"],
            "authority": ["A"] * 3,
            "model": ["unit", "unit", "martian"],
        }
    ).to_excel(path, index=False)
    with pytest.raises(DataError, match=r"w\.xlsx, row 4, column 'model': unknown label"):
        load_worker_survey(path)


def test_corrupt_xlsx(write):
    with pytest.raises(DataError, match="not a readable XLSX workbook"):
        load_worker_survey(write("w.xlsx", b"PK\x03\x04 not really a zip"))


def test_parquet(tmp_path):
    path = tmp_path / "w.parquet"
    pd.DataFrame(
        {
            "respondent_id": ["w1", "w2"],
            "authority": ["A", "B"],
            "model": ["unit", "team"],
            "no_time_for_reflection": [True, False],
        }
    ).to_parquet(path)
    df = load_worker_survey(path)
    assert list(df["model"]) == ["unit", "conventional"]
    assert df["no_time_for_reflection"].tolist() == [True, False]


def test_corrupt_parquet(write):
    with pytest.raises(DataError, match="not a readable Parquet file"):
        load_worker_survey(write("w.parquet", b"PAR1 garbage"))


def test_dataframe_source_reports_index_labels():
    raw = pd.DataFrame(
        {"respondent_id": ["a", "b"], "authority": ["A", "A"], "model": ["unit", "??"]},
        index=[10, 20],
    )
    with pytest.raises(DataError, match=r"<DataFrame>, row 20, column 'model'"):
        load_worker_survey(raw)


def test_dataframe_source_is_not_changed():
    raw = pd.DataFrame({"respondent_id": ["a"], "authority": ["A"], "model": ["UNIT"]})
    before = raw.copy()
    load_worker_survey(raw)
    pd.testing.assert_frame_equal(raw, before)


def test_input_file_is_never_modified(write):
    path = write("w.csv", HEADER + BODY)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    mtime = path.stat().st_mtime_ns
    load_worker_survey(path, mapping={"authority": "authority"})
    assert hashlib.sha256(path.read_bytes()).hexdigest() == digest
    assert path.stat().st_mtime_ns == mtime


# -- issue 14: every format reads as CSV does; structure that CSV parsers hide ---------------------
from rsw_eval import io as rio  # noqa: E402
from rsw_eval.comparison.neighbours import load_statistical_neighbours  # noqa: E402
from rsw_eval.io._read import read_table  # noqa: E402
from tests.conftest import DFE, SAMPLE, needs_dfe  # noqa: E402

SAMPLE_LOADERS = {
    "worker_survey.csv": rio.load_worker_survey,
    "parent_survey.csv": rio.load_parent_survey,
    "costs.csv": rio.load_costs,
    "admin_panel.csv": rio.load_dfe_table,
}


def _as(path, tmp_path, suffix, typed):
    """The file saved as a user would: values typed by pandas (blank cells NaN), or as text."""
    frame = pd.read_csv(path) if typed else pd.read_csv(path, dtype=str, keep_default_na=False)
    out = tmp_path / f"{path.stem}{suffix}"
    if suffix == ".xlsx":
        frame.to_excel(out, index=False)
    else:
        frame.to_parquet(out, index=False)
    return out, frame


@pytest.mark.parametrize("typed", [True, False], ids=["typed", "text"])
@pytest.mark.parametrize("suffix", [".xlsx", ".parquet"])
@pytest.mark.parametrize("name", sorted(SAMPLE_LOADERS))
def test_every_sample_file_loads_alike_from_csv_xlsx_parquet_and_dataframe(tmp_path, name, suffix, typed):
    loader = SAMPLE_LOADERS[name]
    expected = loader(SAMPLE / name).drop(columns="source", errors="ignore")
    path, frame = _as(SAMPLE / name, tmp_path, suffix, typed)
    for source in (path, frame):
        got = loader(source).drop(columns="source", errors="ignore")
        pd.testing.assert_frame_equal(got, expected, check_dtype=True)


@pytest.mark.parametrize("suffix", [".xlsx", ".parquet"])
def test_ssda903_return_loads_alike_from_xlsx_and_parquet(tmp_path, suffix):
    # dates as Excel and Parquet store them (datetimes; open episodes blank)
    expected = rio.load_ssda903(
        SAMPLE / "ssda903_header_2010.csv",
        SAMPLE / "ssda903_episodes_2010.csv",
        year=2010,
        la_code="E09000012",
    )
    paths = []
    for part in ("header", "episodes"):
        frame = pd.read_csv(SAMPLE / f"ssda903_{part}_2010.csv", dtype=str, keep_default_na=False)
        for col in ("DOB", "DECOM", "DEC"):
            if col in frame:
                frame[col] = pd.to_datetime(frame[col], dayfirst=True, errors="coerce")
        paths.append(tmp_path / f"{part}{suffix}")
        frame.to_excel(paths[-1], index=False) if suffix == ".xlsx" else frame.to_parquet(paths[-1])
    got = rio.load_ssda903(*paths, year=2010, la_code="E09000012")
    pd.testing.assert_frame_equal(got.drop(columns="source"), expected.drop(columns="source"))


def test_blank_cells_read_as_empty_text_in_every_format(tmp_path):
    frame = pd.DataFrame({"a": ["x", None], "b": [486.0, float("nan")], "c": [13.5, 2.0]})
    for source in (frame, _write_parquet(frame, tmp_path)):
        raw, _ = read_table(source)
        assert raw.to_numpy().tolist() == [["x", "486", "13.5"], ["", "", "2"]]


def _write_parquet(frame, tmp_path):
    frame.to_parquet(tmp_path / "t.parquet")
    return tmp_path / "t.parquet"


def test_repeated_column_name_is_an_error_not_a_rename(write):
    path = write("w.csv", "respondent_id,authority,model,model\nw1,A,unit,conventional\n")
    with pytest.raises(
        DataError, match=r"column 'model': the same column name appears more than once.*'model' 2 times"
    ):
        load_worker_survey(path)
    frame = pd.DataFrame(
        [["w1", "A", "unit", "x"]], columns=["respondent_id", "authority", "model", "model "]
    )
    with pytest.raises(DataError, match="appears more than once"):
        load_worker_survey(frame)


def test_repeated_band_columns_of_the_neighbours_file_are_allowed(write):
    path = write("sn.csv", "LA num,LA Name,SN1,SNP,SN2,SNP,\n204,Hackney,210,Very Close,208,Close,\n")
    table = load_statistical_neighbours(path)
    assert table["closeness"].tolist() == ["Very close", "Close"]  # one spelling of the bands in every model


def test_trailing_comma_on_every_row(write):
    # pandas would take the first column as the index and shift every column left
    path = write("w.csv", HEADER + "w1,Hackney,unit,\nw2,Islington,conventional,\n")
    with pytest.raises(DataError, match=r"rows 2, 3: data rows have more fields than the header.*every row"):
        load_worker_survey(path)


def test_unreadable_file_is_a_data_error(write, monkeypatch):
    from pathlib import Path

    path = write("w.csv", HEADER + BODY)

    def denied(self):
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", denied)
    with pytest.raises(DataError, match=r"w.csv: the file cannot be read \(permission denied\)"):
        load_worker_survey(path)


@needs_dfe
@pytest.mark.parametrize("name", ["SFR27_2010_March.csv", "d3_cpps_subsequent_plan_2013_to_2025.csv"])
def test_a_stray_quote_that_swallows_rows_is_refused(tmp_path, name):
    """One double quote at the start of row 5 made the next 79 rows one cell: 80 authorities
    loaded instead of 152, with "no problems found"."""
    lines = (DFE / name).read_bytes().split(b"\n")
    lines[4] = b'"' + lines[4]
    path = tmp_path / name
    path.write_bytes(b"\n".join(lines))
    with pytest.raises(DataError, match=r"row 5: a quoted field runs over several lines"):
        read_table(path)
