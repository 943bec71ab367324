"""findings-q19att N7: one authority's survey label spelt two ways ("Comparator LA 1",
"comparator LA 1", or with a zero-width space) was analysed and published as two authorities."""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from rsw_eval import DataError, io
from tests._fuzz import budget

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "sample"
WORKERS = pd.read_csv(SAMPLE / "worker_survey.csv", dtype=str, keep_default_na=False)
PARENTS = pd.read_csv(SAMPLE / "parent_survey.csv", dtype=str, keep_default_na=False)
SPELLINGS = st.sampled_from(
    [
        str.lower,
        str.upper,
        lambda t: t.replace(" ", "  "),
        lambda t: t[:3] + "\u200b" + t[3:],
        lambda t: t + ".",
        lambda t: t + "\u0301",  # a combining accent on the last letter or digit (q20att F5)
    ]
)


@budget(15)
@given(st.sampled_from(["worker", "parent"]), SPELLINGS, st.data())
def test_a_label_spelt_another_way_is_refused_by_row(kind, spell, data):
    raw = (WORKERS if kind == "worker" else PARENTS).copy()
    label = data.draw(st.sampled_from(sorted(set(raw["authority"]))))
    rows = raw.index[raw["authority"] == label]
    row = data.draw(st.sampled_from(list(rows[1:])))
    raw.loc[row, "authority"] = spell(label)
    load = io.load_worker_survey if kind == "worker" else io.load_parent_survey
    with (
        pytest.raises(DataError, match="another row's but for case, spacing") as err,
        warnings.catch_warnings(),
    ):
        warnings.simplefilter("ignore")
        load(raw)
    assert row in err.value.problems[-1].rows


@pytest.mark.parametrize("load", [io.load_worker_survey, io.load_parent_survey])
def test_the_sample_surveys_load(load):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert len(load(WORKERS if load is io.load_worker_survey else PARENTS)) > 0
