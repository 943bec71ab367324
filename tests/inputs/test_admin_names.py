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
