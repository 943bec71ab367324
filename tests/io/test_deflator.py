"""HM Treasury GDP deflator workbooks, read from their headers."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

from rsw_eval import DataError
from rsw_eval.io import CalendarYearDeflatorWarning, load_deflator, real_terms
from tests.conftest import DFE, needs_dfe

MARCH_2020 = DFE / "GDP_Deflators_Budget_March_2020_update.xlsx"
MARCH_2022 = DFE / "GDP_Deflators_Spring_Statement_March_2022_update.xlsx"


@needs_dfe
def test_march_2020_financial_years_real_file():
    # shared README anchor (HM Treasury, March 2020 Budget, 2018-19 = 100): 2008-09 84.190175,
    # 2009-10 85.57825
    d = load_deflator(MARCH_2020).set_index("year")
    assert d.loc[2009, ["period", "index"]].tolist() == ["2008-09", 84.190175]
    assert d.loc[2010, "index"] == 85.57825
    assert d.loc[2019, "index"] == 100 and d.loc[2019, "published_base"] == "2018-19 = 100"
    assert set(d["basis"]) == {"financial year"}
    assert "11 February 2020" in d["vintage"].iloc[0] and "11 March 2020" in d["vintage"].iloc[0]
    assert pd.isna(d.loc[2020, "index"])  # 2019-20 on: forecast % change only
    assert d.index.min() == 1956  # 1955-56


@needs_dfe
def test_march_2020_calendar_block_and_rebase_real_file():
    c = load_deflator(MARCH_2020, basis="calendar").set_index("year")
    assert c.loc[2008, "index"] == 82.6693 and c.loc[2019, "published_base"] == "2019 = 100"
    r = load_deflator(MARCH_2020, base="2008-09").set_index("year")
    assert r.loc[2009, "index"] == 100 and r.loc[2009, "base"] == "2008-09 = 100"
    assert r.loc[2010, "index"] == pytest.approx(100 * 85.57825 / 84.190175, rel=1e-12)
    with pytest.raises(DataError, match=r"no deflator value for the base year '2019-20'"):
        load_deflator(MARCH_2020, base="2019-20")


@needs_dfe
def test_march_2022_has_calendar_years_only_real_file():
    with pytest.raises(DataError, match="financial years wanted but the workbook has calendar years only"):
        load_deflator(MARCH_2022)
    with pytest.warns(CalendarYearDeflatorWarning, match="calendar year Y-1"):
        d = load_deflator(MARCH_2022, calendar="allow").set_index("year")
    assert d.loc[2009, ["period", "index"]].tolist() == ["2008", 78.6027]  # calendar 2008 -> 2008-09
    assert set(d["basis"]) == {"financial year from calendar year Y-1"}
    assert d["published_base"].iloc[0] == "Index 20/21"
    assert "23 March 2022" in d["vintage"].iloc[0]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        cal = load_deflator(MARCH_2022, basis="calendar")
    assert cal.set_index("year").loc[2021, "index"] == 100


@needs_dfe
def test_real_terms_with_the_workbook_and_no_calendar_index_real_file():
    panel = pd.DataFrame(
        {"la_code": "X", "year": [2009, 2010], "indicator": "total_cost", "value": [100.0] * 2}
    )
    real = real_terms(panel, base_year=2019, price_index=load_deflator(MARCH_2020))
    assert real["value"].tolist() == pytest.approx([100 * 100 / 84.190175, 100 * 100 / 85.57825], rel=1e-12)
    with pytest.raises(
        DataError, match="a calendar-year price index cannot deflate spending by financial year"
    ):
        real_terms(panel, base_year=2019, price_index=load_deflator(MARCH_2020, basis="calendar"))


def test_not_a_deflator_workbook(tmp_path):
    path = tmp_path / "other.xlsx"
    pd.DataFrame({"a": [1, 2]}).to_excel(path, index=False)
    with pytest.raises(DataError, match="no GDP deflator table found in the headers"):
        load_deflator(path)


def test_constructed_workbook(tmp_path):
    years = [f"{y}-{(y + 1) % 100:02d}" for y in range(2000, 2012)]
    rows = [
        ["GDP DEFLATORS", None],
        ["last updated 1 January 2012", None],
        ["Financial year", "2010-11 = 100"],
    ]
    rows += [[p, 90.0 + i] for i, p in enumerate(years)]
    path = tmp_path / "deflators.xlsx"
    pd.DataFrame(rows).to_excel(path, index=False, header=False)
    d = load_deflator(path).set_index("year")
    assert d.loc[2011, "index"] == 100.0 and d["vintage"].iloc[0] == "last updated 1 January 2012"
    with pytest.raises(ValueError, match="calendar must be 'error' or 'allow'"):
        load_deflator(path, calendar="yes")


def _workbook(tmp_path, edit):
    """A small workbook (header on Excel row 3, 2000-01 on row 4) after ``edit(rows)``."""
    rows = [[f"{y}-{(y + 1) % 100:02d}", 90.0 + y - 2000] for y in range(2000, 2012)] + [["2012-13 (1)", "-"]]
    edit(rows)
    path = tmp_path / "deflators.xlsx"
    head = [
        ["GDP DEFLATORS", None],
        ["last updated 1 January 2012", None],
        ["Financial year", "2010-11 = 100"],
    ]
    pd.DataFrame(head + rows).to_excel(path, index=False, header=False)
    return path


def _set(i, j, value):
    return lambda rows: rows[i].__setitem__(j, value)


@pytest.mark.parametrize(
    ("edit", "message"),
    [  # T1: a year twice crashed compare/report (InvalidIndexError); Q19: the rest loaded silently
        (lambda r: r.insert(9, ["2008-09", 99.0]), r"rows 12, 13, column 'A': the same year listed twice"),
        (lambda r: r.insert(9, list(r[8])), r"rows 12, 13, column 'A': the same year listed twice"),
        (
            lambda r: (r[8].__setitem__(0, "2009-10"), r[9].__setitem__(0, "2008-09")),
            r"rows 11, 12, column 'A': years not in sequence.*found '2007-08', '2009-10'",
        ),
        (lambda r: r.pop(8), r"rows 11, 12, column 'A': years not in sequence"),
        (_set(8, 1, None), r"row 12, column 'B': no index for a year.*found an empty cell"),
        (_set(8, 1, "#REF!"), r"Excel error values.*B12 #REF!"),  # refused by cell (7829b99)
        (_set(8, 1, 1e300), r"rows 12, 13, column 'B': a deflator that changes .* by more.*found 1e\+300"),
        # a leading digit swapped (98 -> 89), inside the old 0.5x-2x bound (findings-q13in A4)
        (_set(8, 1, 89.0), r"row 12, column 'B': a deflator that changes .*-5% to \+40%.*found 89$"),
        (_set(0, 0, "1066-67"), r"row 4, column 'A': a year label that is not a year.*found '1066-67'"),
        (_set(8, 0, "2008-10"), r"row 12, column 'A': a year label that is not a year.*found '2008-10'"),
    ],
    ids=["dup_conflict", "dup_same", "swapped", "deleted", "blank", "ref", "huge", "digit", "1066", "typo"],
)
def test_series_not_one_index_per_year_in_sequence_is_refused(tmp_path, edit, message):
    good = load_deflator(_workbook(tmp_path, lambda rows: None))
    assert good["year"].tolist() == list(range(2001, 2014)) and pd.isna(good["index"].iloc[-1])
    with pytest.raises(DataError, match=message):
        load_deflator(_workbook(tmp_path, edit))


def test_a_rise_as_large_as_1975s_still_loads(tmp_path):
    """The real series rose 26% in calendar 1975: a 30% rise is inside the bound (findings-q13in A4)."""
    path = _workbook(tmp_path, lambda rows: [row.__setitem__(1, row[1] * 1.3) for row in rows[8:12]])
    assert load_deflator(path)["index"].notna().sum() == 12
