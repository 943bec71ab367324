"""Two [data] admin files of one name in different folders are refused (findings-q15att P3): every
output names a file by its name, and a council's own file beside DfE's of the same name read as one
file of DfE's."""

from __future__ import annotations

import pytest

from rsw_eval import SpecError
from rsw_eval.inputs import load_inputs
from rsw_eval.spec import load_spec
from tests.publication._data import Panel


def _spec(folder, admin):
    return load_spec({"title": "t", "unit_model": ["E09000012"], "data": {"admin": admin}}, data_dir=folder)


def test_two_files_of_one_name_in_different_folders_are_refused(tmp_path):
    for sub in ("dfe", "own"):
        (tmp_path / sub).mkdir()
        Panel().frame().to_csv(tmp_path / sub / "csww_indicators_2017_to_2025.csv", index=False)
    admin = ["dfe/csww_indicators_2017_to_2025.csv", "own/csww_indicators_2017_to_2025.csv"]
    with pytest.raises(SpecError, match=r"two files named 'csww_indicators_2017_to_2025.csv' \(dfe/"):
        load_inputs(_spec(tmp_path, admin), {"admin"})


def test_one_file_listed_twice_is_one_name(tmp_path):
    Panel().frame().to_csv(tmp_path / "panel.csv", index=False)
    inputs = load_inputs(_spec(tmp_path, ["panel.csv", {"path": "./panel.csv"}]), {"admin"})
    assert inputs.panel is not None


@pytest.mark.parametrize("years", [[], [1990]])
def test_a_years_list_that_keeps_no_row_is_refused(tmp_path, years):
    """att14 4: ``years = []`` left the file empty, and the message that followed said only that
    the unit-model authority was not in the data."""
    Panel().frame().to_csv(tmp_path / "panel.csv", index=False)
    with pytest.raises(SpecError, match="years"):
        load_inputs(_spec(tmp_path, [{"path": "panel.csv", "years": years}]), {"admin"})


def test_a_declared_count_holding_a_fraction_is_named_in_plain_numbers(tmp_path):
    """att14 3: the message printed np.float64(8.4)."""
    import pandas as pd

    from rsw_eval import compare

    frame = Panel().frame()
    first = frame[frame["indicator"] == frame["indicator"].iloc[0]]
    extra = first.assign(indicator="adoptions_pct", value=8.4)
    pd.concat([frame, extra]).to_csv(tmp_path / "panel.csv", index=False)
    spec = load_spec(
        {"title": "t", "unit_model": ["E09000012"], "counts": ["adoptions_pct"]}
        | {"data": {"admin": ["panel.csv"]}},
        data_dir=tmp_path,
    )
    with pytest.raises(SpecError, match=r"holds 8\.4: expected") as err:
        compare(spec, only=["admin"])
    assert "np." not in str(err.value)
