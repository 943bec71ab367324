"""Statistical neighbours: every row one authority, once, with each neighbour once (Q9)."""

from __future__ import annotations

import pandas as pd
import pytest

from rsw_eval import DataError
from rsw_eval.io import load_statistical_neighbours
from tests.conftest import DFE, needs_dfe

HEADER = "LA num,LA Name,LA number,GOInd,GOReg,SN1,SNP,SN2,SNP,\n"
ROWS = [
    "202,Camden,202,3,London,204,Very Close,210,Close,\n",
    "204,Hackney,204,3,London,210,Very Close,202,Close,\n",
    "210,Southwark,210,3,London,204,Very Close,202,Close,\n",
]


def _csv(tmp_path, rows):
    path = tmp_path / "groupings_2021.csv"
    path.write_text(HEADER + "".join(rows))
    return path


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (
            ROWS + ROWS,
            r"rows 5, 6, 7, column 'LA num': an authority with more than one row.*202 in rows 2 and 5",
        ),
        (
            [*ROWS, "204,Hackney,204,3,London,202,Very Close,210,Close,\n"],
            r"row 5, column 'LA num': an authority with more than one row.*found 204 in rows 3 and 5",
        ),
        (
            [ROWS[0], "204,Hackney,204,3,London,210,Very Close,210,Close,\n", ROWS[2]],
            r"row 3, column 'SN2': the same neighbour listed twice in one row.*found 210 twice",
        ),
        (
            [ROWS[0], "204,Hackney,204,3,London,210,Extremely very close,202,Close,\n", ROWS[2]],
            # several words of letters, shaped as a person's name: not echoed (findings-q13in A6)
            r"row 3, column 'SNP': a closeness band DfE does not publish.*found text that may identify",
        ),
        (
            [ROWS[0], "204,Hackney,205,3,London,210,Very Close,202,Close,\n", ROWS[2]],
            r"row 3, column 'LA number': 'LA num' and 'LA number' disagree.*found 204 and 205",
        ),
        (
            [ROWS[0], ",Hackney,,3,London,210,Very Close,202,Close,\n", ROWS[2]],
            r"row 3, column 'LA num': neighbours listed with no LA number",
        ),
        (
            [ROWS[0], "999,Hackney,999,3,London,210,Very Close,202,Close,\n", ROWS[2]],
            r"row 3, column 'LA num': LA numbers not in the bundled lookup.*found 999",
        ),
    ],
    ids=["block_twice", "conflicting_row", "neighbour_twice", "band", "numbers_disagree", "blank", "unknown"],
)
def test_rows_that_would_misweight_comparators_are_refused(tmp_path, rows, message):
    assert len(load_statistical_neighbours(_csv(tmp_path, ROWS))) == 6  # the file loads right
    with pytest.raises(DataError, match=message):
        load_statistical_neighbours(_csv(tmp_path, rows))


@needs_dfe
@pytest.mark.parametrize(
    ("name", "pairs"),
    [("New_Statistical_Neighbour_Groupings_April_2021.csv", 1560), ("sn_model_2025_wide.csv", 1530)],
)
def test_both_published_layouts_still_load_real_file(name, pairs):
    out = load_statistical_neighbours(DFE / name)
    assert len(out) == pairs and not out.duplicated(["la_code", "neighbour_code"]).any()
    assert out.groupby("la_code")["rank"].apply(lambda r: sorted(r) == list(range(1, 11))).all()
    assert (
        pd.Series(out["closeness"])
        .isin(["Extremely close", "Very close", "Close", "Somewhat close", "Not close"])
        .all()
    )
