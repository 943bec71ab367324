"""Statistical neighbours: a blank neighbour slot or band, another authority's name, a decimal LA
number are refused by row and column, never read as 9 neighbours (findings-q13in A7)."""

from __future__ import annotations

import pytest

from rsw_eval import DataError
from rsw_eval.cli import main
from rsw_eval.io import load_statistical_neighbours
from rsw_eval.io._neighbours import name_key
from tests.io.test_neighbours_rows import ROWS, _csv

HACKNEY = "204,Hackney,204,3,London,210,Very Close,202,Close,\n"


@pytest.mark.parametrize(
    ("hackney", "message"),
    [
        (
            "204,Hackney,204,3,London,,,202,Close,\n",
            r"row 3, column 'SN1': a blank neighbour slot among filled ones.*DfE lists 10",
        ),
        (
            "204,Hackney,204,3,London,210,Very Close,,,\n",
            r"row 3, column 'SN2': a blank neighbour slot among filled ones",
        ),
        (
            "204,Hackney,204,3,London,210,,202,Close,\n",
            r"row 3, column 'SNP': a neighbour with a blank closeness band.*found a blank cell",
        ),
        (
            "204,Camden,204,3,London,210,Very Close,202,Close,\n",
            r"row 3, column 'LA Name': an LA name that is another authority's.*found 'Camden' for 204",
        ),
        (
            "204.0,Hackney,204,3,London,210,Very Close,202,Close,\n",
            r"row 3, column 'LA num': an LA number written as a decimal.*found '204.0'",
        ),
    ],
    ids=["first_slot", "last_slot", "band", "other_name", "decimal"],
)
def test_a_cell_that_would_drop_or_misplace_a_neighbour_is_refused(tmp_path, hackney, message):
    with pytest.raises(DataError, match=message):
        load_statistical_neighbours(_csv(tmp_path, [ROWS[0], hackney, ROWS[2]]))


def test_the_cli_refuses_a_blank_slot_with_exit_2(tmp_path, capsys):
    path = _csv(tmp_path, [ROWS[0], "204,Hackney,204,3,London,,,202,Close,\n", ROWS[2]])
    assert main(["validate", str(path), "--kind", "neighbours"]) == 2
    assert "row 3, column 'SN1': a blank neighbour slot" in capsys.readouterr().err


def test_dfe_spellings_of_a_name_are_the_authority_itself(tmp_path):
    assert name_key("Kingston Upon Hull, City of") == name_key("Kingston upon Hull, City of")
    spelled = [ROWS[0], HACKNEY.replace("Hackney", "HACKNEY "), ROWS[2]]
    assert len(load_statistical_neighbours(_csv(tmp_path, spelled))) == 6
