"""findings-q18att F2: a survey column under a natural header ("Weeks observed") was kept as an
unknown text column, and the contact rates it feeds vanished from every output with exit 0."""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from rsw_eval import RswEvalWarning, io
from rsw_eval.io._survey_headers import PARENT_COLUMNS, WORKER_COLUMNS
from tests._fuzz import budget

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "sample"
PARENTS = pd.read_csv(SAMPLE / "parent_survey.csv", dtype=str, keep_default_na=False)
WORKERS = pd.read_csv(SAMPLE / "worker_survey.csv", dtype=str, keep_default_na=False)


@st.composite
def _written_otherwise(draw, name: str) -> str:
    """``name`` as a person may type it: other case, spaces or dashes for ``_``, a stray mark."""
    words = name.split("_")
    words = [draw(st.sampled_from([w, w.upper(), w.capitalize()])) for w in words]
    text = draw(st.sampled_from([" ", "-", "  ", "_", ". "])).join(words)
    return text + draw(st.sampled_from(["", " ", "£", ".", ":"]))


@budget(30)
@given(st.data())
def test_a_known_header_written_otherwise_is_that_column(data):
    kind = data.draw(st.sampled_from(["parent", "worker"]))
    raw, known = (PARENTS, PARENT_COLUMNS) if kind == "parent" else (WORKERS, WORKER_COLUMNS)
    name = data.draw(st.sampled_from([c for c in raw.columns if c in known or c.startswith("rating_")]))
    header = data.draw(_written_otherwise(name))
    load = io.load_parent_survey if kind == "parent" else io.load_worker_survey
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the sample's own notes (GHQ coding ...)
        before, after = load(raw), load(raw.rename(columns={name: header}))
    pd.testing.assert_frame_equal(after, before)


@pytest.mark.parametrize(
    ("header", "column"),
    [("weeks_obs", "weeks_observed"), ("weeks", "weeks_observed"), ("contacts_n", "contacts")],
)
def test_a_header_only_like_a_known_column_is_warned_and_the_skipped_rates_recorded(tmp_path, header, column):
    from rsw_eval import compare
    from rsw_eval.spec import default_sample_spec

    for f in SAMPLE.iterdir():
        (tmp_path / f.name).write_bytes(f.read_bytes())
    PARENTS.rename(columns={column: header}).to_csv(tmp_path / "parent_survey.csv", index=False)
    with pytest.warns(RswEvalWarning, match=f"no column {column}, and column '{header}' is like it"):
        result = compare(default_sample_spec(tmp_path), only=["parent"])
    assert "contact_rate" not in set(result.table["outcome"])
    skipped = result.skipped.query("outcome == 'contact_rate'")
    assert len(skipped) == 1 and f"no {column} column" in skipped["reason"].iloc[0]


@pytest.mark.parametrize("form", ["GHQ {i}", "GHQ-{i}", "ghq_{i}", "Ghq {i}."])
def test_the_ghq_items_headed_otherwise_are_the_items(form):
    """findings-q19att N14: "GHQ 1" .. "GHQ 12" read as unknown text, and the GHQ-12 analysis
    (Forrester's headline outcome) vanished unrecorded."""
    renamed = WORKERS.rename(columns={f"ghq{i}": form.format(i=i) for i in range(1, 13)})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        pd.testing.assert_frame_equal(io.load_worker_survey(renamed), io.load_worker_survey(WORKERS))


@pytest.mark.parametrize("other", ["Weeks observed", "weeks observed"])
def test_two_headers_that_read_as_one_column_are_refused_by_name(other):
    """findings-q19att N3: with 'weeks observed' beside weeks_observed, the first silently won and
    the other was kept as text: every contact rate halved when the wrong one was first."""
    from rsw_eval import DataError

    raw = PARENTS.assign(**{other: PARENTS["weeks_observed"]})
    with pytest.raises(
        DataError, match=f"columns 'weeks_observed' and '{other}' both read as weeks_observed"
    ):
        io.load_parent_survey(raw)


@pytest.mark.parametrize("header", ["Rating comments", "Rating (free text)", "Rating date"])
def test_a_text_column_headed_rating_is_kept_as_text(header):
    """findings-q19att N18: a free-text 'Rating comments' column was read as a rating item and the
    survey refused, naming a column the file does not have."""
    raw = PARENTS.assign(
        **{header: ["fine", "", "2024-03-31"] * (len(PARENTS) // 3) + [""] * (len(PARENTS) % 3)}
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        loaded = io.load_parent_survey(raw)
    assert header in loaded.columns


@pytest.mark.parametrize(
    ("column", "value", "said"),
    [
        ("weeks_observed", "1000000000", "at most 520"),
        ("contacts", "1000000000", "more than 70 contacts a week"),
    ],
)
def test_impossible_observation_periods_and_contact_counts_are_refused_by_row(column, value, said):
    """findings-q19att N13: 1e9 weeks (19 million years) or 1e9 contacts loaded; the model's own
    error was the only trace."""
    from rsw_eval import DataError

    raw = PARENTS.copy()
    raw.loc[3, column] = value
    with pytest.raises(DataError, match=f"row 3, column '{column}'.*{said}"):
        io.load_parent_survey(raw)
