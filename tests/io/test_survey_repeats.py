"""Parent survey: the survey pasted twice, or one row repeated, is refused by row; two parents of
one family (the same case_id) with different answers still load (findings-q13in A16)."""

from __future__ import annotations

import pandas as pd
import pytest

from rsw_eval import DataError
from rsw_eval.cli import main
from rsw_eval.io import load_parent_survey
from tests.conftest import SAMPLE


def _written(tmp_path, frame):
    path = tmp_path / "parent_survey.csv"
    frame.to_csv(path, index=False)
    return path


def test_the_survey_pasted_twice_is_refused_naming_the_copies(tmp_path, capsys):
    sample = pd.read_csv(SAMPLE / "parent_survey.csv")
    path = _written(tmp_path, pd.concat([sample, sample]))
    with pytest.raises(
        DataError, match=r"rows 182, 183, .*\(\+175 more\).*180 rows repeat an earlier one: row 182 = row 2"
    ):
        load_parent_survey(path)
    assert main(["validate", str(path), "--kind", "parent_survey"]) == 2
    assert "rows identical in every column" in capsys.readouterr().err


def test_one_row_repeated_is_refused(tmp_path):
    sample = pd.read_csv(SAMPLE / "parent_survey.csv")
    path = _written(tmp_path, pd.concat([sample.iloc[:5], sample.iloc[[2]], sample.iloc[5:]]))
    with pytest.raises(
        DataError, match=r"row 7: rows identical.*1 row repeats an earlier one: row 7 = row 4"
    ):
        load_parent_survey(path)


def test_two_parents_of_one_family_still_load(tmp_path):
    sample = pd.read_csv(SAMPLE / "parent_survey.csv")
    second = sample.iloc[[0]].assign(rating_overall=lambda f: 6 - f["rating_overall"])
    same = sample.iloc[[1]].assign(respondent_id="p2b")
    frame = pd.concat(
        [
            sample.assign(respondent_id=[f"p{i}" for i in range(len(sample))]),
            second.assign(respondent_id="p1b"),
            same,
        ]
    )
    assert len(load_parent_survey(_written(tmp_path, frame))) == len(sample) + 2
