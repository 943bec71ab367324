"""Fuzzing every loader and load_spec (issue 14, issue 21 item 6): whatever the table or spec, the
only exceptions are the project's DataError / SpecError (and the documented ValueError of a bad
option).

DataFrames come from hypothesis with the loader's own column names, junk names and repeated names
(most crashes an audit found came from DataFrames with duplicated column names), and cells drawn
from valid values, blanks, NaN, None, symbols, numbers of every kind and junk text; files come as
bytes with every line end (LF, CRLF, classic-Mac CR), blank lines, BOMs and encodings. Examples are
derandomised in ``make test`` (the budgets below, about 40 s in all); ``make fuzz`` multiplies them
and draws fresh examples (tests/_fuzz.py).
"""

from __future__ import annotations

import contextlib
import tempfile
import warnings
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from rsw_eval import DataError, SpecError, io
from rsw_eval.comparison.neighbours import load_statistical_neighbours
from rsw_eval.io._survey_headers import WORKER_COLUMNS
from rsw_eval.spec import load_spec
from tests._fuzz import CELLS as FILE_CELLS
from tests._fuzz import SPEC_KEYS, budget, excel_safe, file_bytes, fuzz_mark, mutated_rows
from tests._malformed import bases
from tests.conftest import DFE

pytestmark = fuzz_mark
SETTINGS = budget(120)

#: cells of DataFrames: the file cells (tests/_fuzz.py) and the Python objects a frame can hold
CELLS = st.one_of(
    FILE_CELLS,
    st.integers(-10, 3000),
    st.floats(allow_nan=True, allow_infinity=True, width=32),
    st.none(),
    st.booleans(),
)

KIND_COLUMNS = {
    "worker": list(WORKER_COLUMNS),
    "parent": [
        "case_id",
        "authority",
        "model",
        "respondent_id",
        "rating_overall",
        "rating_helpful",
        "contacts",
        "weeks_observed",
    ],
    "costs": ["la_code", "year", "cost_line", "amount_gbp", "price_index"],
    "panel": ["la_code", "year", "indicator", "value", "old_la_code", "la_name", "flag"],
    "dfe": [
        "time_period",
        "time_identifier",
        "geographic_level",
        "country_code",
        "region_code",
        "old_la_code",
        "new_la_code",
        "la_name",
        "children_looked_after",
        "population_0_17",
        "population_type",
    ],
    "sfr": ["geog_l", "geog_c", "geog_n", "MarTotal_2010", "Mid2009Pop0-17", "New_geog_code"],
    "outturn": [
        "LEA",
        "LEA Name",
        "Line",
        "S52 Line Reference",
        "Gross Expenditure",
        "Net Expenditure",
        "LEA Number:",
        "LA Name:",
        "S52 Line Reference:",
    ],
    "neighbours": ["LA num", "LA Name", "SN1", "SNP", "SN2", "SNP"],
    "workforce": [
        "time_period",
        "time_identifier",
        "geographic_level",
        "old_la_code",
        "new_la_code",
        "la_name",
        "inpost_fte",
        "working_days_lost_fte",
        "agency_rate",
    ],
    "population": [
        "time_period",
        "geographic_level",
        "old_la_code",
        "new_la_code",
        "la_name",
        "age_group",
        "population_estimate",
    ],
    "header": ["CHILD", "SEX", "DOB", "ETHNIC", "UPN"],
    "episodes": ["CHILD", "DECOM", "RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "DEC", "REC", "HOME_POST"],
}


@st.composite
def frames(draw, kind: str):
    known = KIND_COLUMNS[kind]
    names = draw(
        st.lists(
            st.one_of(st.sampled_from(known), st.sampled_from(["", "x", "Unnamed: 0", " model "])),
            min_size=0,
            max_size=min(len(known) + 3, 14),
        )
    )
    if draw(st.booleans()):  # most often the whole contract, in a random order, sometimes repeated
        names = draw(st.permutations(known)) + names[:2]
    n = draw(st.integers(0, 6))
    data = [[draw(CELLS) for _ in names] for _ in range(n)]
    return pd.DataFrame(data, columns=names, dtype=object) if names else pd.DataFrame(index=range(n))


def _run(call):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with contextlib.suppress(DataError, SpecError):
            call()


LOADERS = {
    "worker": lambda f: io.load_worker_survey(f),
    "parent": lambda f: io.load_parent_survey(f),
    "costs": lambda f: io.load_costs(f),
    "panel": lambda f: io.load_panel(f),
    "dfe": lambda f: io.load_dfe_table(f),
    "sfr": lambda f: io.load_sfr_table(f, value="MarTotal_2010", year=2010, on_unmapped="drop"),
    "outturn": lambda f: io.load_outturn(f, expenditure="gross", year=2010, on_unmapped="drop"),
    "neighbours": lambda f: load_statistical_neighbours(f),
    "workforce": lambda f: io.load_workforce(f),
    "population": lambda f: io.load_population(f),
}


@pytest.mark.parametrize("kind", sorted(LOADERS))
def test_loader_raises_only_project_errors(kind):
    @SETTINGS
    @given(frames(kind))
    def check(frame):
        _run(lambda: LOADERS[kind](frame))

    check()


@SETTINGS
@given(frames("header"), frames("episodes"))
def test_ssda903_raises_only_project_errors(header, episodes):
    _run(lambda: io.load_ssda903(header, episodes, year=2010, la_code="E09000012"))


#: loader of each kind for a file (the options validate gives it)
FILE_LOADERS = {
    **{k: f for k, f in LOADERS.items() if k not in ("worker", "parent")},
    "worker_survey": lambda p: io.load_worker_survey(p),
    "parent_survey": lambda p: io.load_parent_survey(p),
    "ssda903": lambda p: io.load_ssda903(
        Path(__file__).parent.parent / "data" / "sample" / "ssda903_header_2010.csv",
        p,
        year=2010,
        la_code="204",
    ),
    "laa1": lambda p: io.load_laa1(p, on_unmapped="drop"),
    "deflator": lambda p: io.load_deflator(p, calendar="allow"),
}
BASES = bases()


@pytest.mark.parametrize("kind", sorted(set(BASES) & set(FILE_LOADERS)))
def test_loader_of_any_file_raises_only_project_errors(kind):
    """Files mutated from a valid one of the kind: any line end, blank rows, encodings, cut rows."""

    @budget(25)
    @given(mutated_rows(BASES[kind][0]), st.data())
    def check(rows, data):
        content = data.draw(file_bytes(rows))
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / f"{kind}_0910.csv"
            path.write_bytes(content)
            _run(lambda: FILE_LOADERS[kind](path))
            assert path.read_bytes() == content

    check()


@budget(60)
@given(st.binary(max_size=300), st.sampled_from([".csv", ".xlsx", ".parquet"]))
def test_read_table_of_any_bytes(content, suffix):
    from rsw_eval.io._read import header_columns, read_table

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"t{suffix}"
        path.write_bytes(content)
        _run(lambda: read_table(path))
        _run(lambda: header_columns(path))


@budget(40)
@given(frames("costs"), st.dictionaries(st.integers(1990, 2030), st.floats(allow_nan=True), max_size=4))
def test_real_terms_raises_only_project_errors(frame, index):
    def call():
        panel = io.load_costs(frame)
        io.real_terms(panel, base_year=2010, price_index=index or None)

    _run(call)


TOML_VALUES = st.one_of(
    st.integers(-5, 3000),
    st.floats(allow_nan=False, width=32),
    st.booleans(),
    st.text(max_size=5),
    st.lists(st.one_of(st.integers(2000, 2020), st.text(max_size=3)), max_size=3),
    st.lists(st.lists(st.integers(2000, 2020), max_size=3), max_size=2),
    st.dictionaries(st.text(max_size=4), st.one_of(st.integers(), st.text(max_size=3)), max_size=2),
)
SPEC = [*SPEC_KEYS, "data"]
DATA = st.dictionaries(
    st.sampled_from(["worker_survey", "admin", "costs", "ssda903", "neighbours", "other"]),
    st.one_of(
        TOML_VALUES,
        st.lists(
            st.dictionaries(st.sampled_from(["path", "kind", "value", "vlaue"]), TOML_VALUES, max_size=3),
            max_size=2,
        ),
    ),
    max_size=3,
)


@SETTINGS
@given(st.dictionaries(st.sampled_from(SPEC), TOML_VALUES, max_size=6), DATA)
def test_load_spec_raises_only_spec_errors(raw, data):
    raw = {**raw, "data": data} if data or "data" not in raw else raw
    _run(lambda: load_spec(raw, data_dir="/tmp"))


def test_fuzzing_finds_nothing_on_valid_data():
    # the harness itself: a valid table loads (no error swallowed by _run)
    frame = pd.DataFrame({"respondent_id": ["a", "b"], "authority": "A", "model": ["unit", "team"]})
    assert len(io.load_worker_survey(frame)) == 2
    costs = pd.DataFrame(
        {"la_code": ["E09000012"], "year": ["2009"], "cost_line": ["s"], "amount_gbp": ["1"]}
    )
    assert io.load_costs(costs)["value"].tolist() == [1.0, 1.0]


@budget(15)
@given(
    st.lists(st.one_of(st.floats(allow_nan=True, allow_infinity=True), CELLS), min_size=12, max_size=12),
    st.sampled_from(["2010-11 = 100", "Index 20/21", "", "x"]),
    st.one_of(st.none(), st.sampled_from(["2010-11", "2005", "1066", "2009-10"])),
)
def test_deflator_workbook_raises_only_project_errors(values, heading, base):
    years = [f"{y}-{(y + 1) % 100:02d}" for y in range(2000, 2012)]
    rows = [["GDP DEFLATORS", None], ["Financial year", heading], *map(list, zip(years, values, strict=True))]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "deflators.xlsx"
        excel_safe(pd.DataFrame(rows)).to_excel(path, index=False, header=False)
        _run(lambda: io.load_deflator(path, base=base))


@pytest.mark.skipif(
    not (DFE / "sfr27-2010amv5.xls").is_file(), reason=f"real LAA1 workbook not found at {DFE}"
)
def test_laa1_workbook_raises_only_project_errors():
    """The real LAA1 sheet with cells replaced, rows cut or repeated, saved as a workbook."""
    from rsw_eval.io._xls import read_cells

    sheet = read_cells(DFE / "sfr27-2010amv5.xls", "LAA1").iloc[:40]

    @budget(10)
    @given(
        st.lists(st.tuples(st.integers(0, 39), st.integers(0, 13), FILE_CELLS), max_size=6),
        st.sampled_from(["none", "cut", "repeat"]),
    )
    def check(cells, rows):
        frame = sheet.copy()
        for r, c, value in cells:
            frame.iat[r, c] = value
        if rows == "cut":
            frame = frame.iloc[:8]
        elif rows == "repeat":
            frame = pd.concat([frame, frame.iloc[9:12]])
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "laa1.xlsx"
            excel_safe(frame).to_excel(path, sheet_name="LAA1", index=False, header=False)
            _run(lambda: io.load_laa1(path, on_unmapped="drop"))

    check()
