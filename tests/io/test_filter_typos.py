"""findings-q18att F3: a row whose filter value is the chosen one but for case, spacing or an
invisible character was dropped in silence as another category; it is refused by row."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from rsw_eval import DataError, io
from tests._fuzz import budget
from tests.conftest import DFE, needs_dfe

CLA = "cla_number_and_rate_per_10k_children.csv"
ON_31_MARCH = "Children looked after on 31 March each year"
HEADER = (
    "time_period,time_identifier,geographic_level,new_la_code,old_la_code,la_name,"
    "population_type,children_count\n"
)
CODES = [("E09000012", "204", "Hackney"), ("E09000007", "202", "Camden"), ("E09000022", "208", "Lambeth")]


def _file(tmp_path, values) -> str:
    rows = [
        f"2024,Financial year,Local authority,{code},{old},{name},{value},{10 + i}\n"
        for i, ((code, old, name), value) in enumerate(zip(CODES * 2, values, strict=False))
    ]
    path = tmp_path / "cla.csv"
    path.write_text(HEADER + "".join(rows))
    return str(path)


VARIANTS = st.sampled_from(
    [
        ON_31_MARCH.lower(),
        ON_31_MARCH.upper(),
        ON_31_MARCH.replace(" ", "  ", 1),
        ON_31_MARCH.replace("on", "on\x00", 1),
        ON_31_MARCH.replace(" ", "\u00a0", 1),
        ON_31_MARCH.replace("31", "31\u200b"),
        # findings-q19att N12: a soft hyphen, a word joiner, a tab for a space, a full stop at the
        # end, a fullwidth letter, a Cyrillic a
        ON_31_MARCH.replace("March", "Ma\u00adrch"),
        ON_31_MARCH.replace("March", "Ma\u2060rch"),
        ON_31_MARCH.replace("31 ", "31\t"),
        ON_31_MARCH + ".",
        ON_31_MARCH.replace("C", "\uff23", 1),
        ON_31_MARCH.replace("March", "M\u0430rch"),
    ]
)


@budget(24)
@given(st.integers(0, 2), VARIANTS)
def test_a_filter_value_typed_but_for_case_or_spacing_is_refused_by_row(tmp_path_factory, row, variant):
    values = [ON_31_MARCH] * 3 + ["Children starting to be looked after each year"] * 3
    values[row] = variant
    path = _file(tmp_path_factory.mktemp("f"), values)
    with pytest.raises(
        DataError,
        match=rf"row {row + 2}, column 'population_type': (.* but for case, spacing|a control character)",
    ):
        io.load_dfe_table(path, value="children_count", filters={"population_type": ON_31_MARCH})


def test_another_category_is_still_filtered_out(tmp_path):
    values = [ON_31_MARCH] * 3 + ["Children starting to be looked after each year"] * 3
    panel = io.load_dfe_table(
        _file(tmp_path, values), value="children_count", filters={"population_type": ON_31_MARCH}
    )
    assert len(panel) == 3


@needs_dfe
def test_dfe_s_real_file_with_one_row_retyped_is_refused(tmp_path):
    if not (DFE / CLA).is_file():
        pytest.skip(f"{CLA} not found in {DFE}")
    frame = pd.read_csv(DFE / CLA, dtype=str, keep_default_na=False)
    row = int(frame.index[frame["population_type"].eq(ON_31_MARCH)][100])
    frame.loc[row, "population_type"] = ON_31_MARCH.replace("March", "march")
    frame.to_csv(tmp_path / CLA, index=False)
    with pytest.raises(DataError, match=rf"row {row + 2}, column 'population_type'"):
        io.load_dfe_table(tmp_path / CLA, filters={"population_type": ON_31_MARCH})


@needs_dfe
def test_a_filter_that_matches_nothing_shows_dfe_s_categories():
    """q18att F10: DfE's own category holds "31 March" and was masked as a date of birth might be,
    so the message hid the value the user needed."""
    if not (DFE / CLA).is_file():
        pytest.skip(f"{CLA} not found in {DFE}")
    with pytest.raises(DataError, match=f"expected one of .*{ON_31_MARCH}"):
        io.load_dfe_table(DFE / CLA, filters={"population_type": "Children looked after at 31 March"})
