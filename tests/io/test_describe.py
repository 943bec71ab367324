"""``describe`` (what ``rsw-eval validate`` prints for a survey): no count from 1 to the threshold,
alone or with ``n`` (findings q11disc Z4)."""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from rsw_eval.cli import main
from rsw_eval.io import describe, describe_panel
from tests.conftest import SAMPLE

_SHARE = re.compile(r"^(\d+\.\d)% true$")
_COUNT = re.compile(r"\((\d+)\)$")
_MEAN = re.compile(r"mean -?\d")


def _given_back(low: float, high: float, n: int, threshold: int) -> bool:
    """Whether every whole number in [low, high] (a count read back from a rounded figure), or every
    ``n`` minus one, is from 1 to ``threshold``: the figure gives a small count back."""
    counts = range(math.ceil(low - 1e-9), math.floor(high + 1e-9) + 1)
    return any(
        len(fits) and all(1 <= c <= threshold for c in fits)
        for fits in (list(counts), [n - c for c in counts])
    )


@st.composite
def _surveys(draw):
    """A survey table with small frequencies planted: a yes/no column, a two-valued text column and
    numeric columns of one to four distinct values, each with a rare value held by 1 to 2T rows, a
    many-valued one whose extremes are rare or not, and 0 to 2T unanswered in any column."""
    threshold = draw(st.integers(1, 8))
    n = draw(st.integers(2, 400))
    rare = st.integers(0, min(n, 2 * threshold))
    columns = {}
    t = draw(rare)
    columns["violence"] = pd.array([True] * t + [False] * (n - t), dtype="boolean")
    if draw(st.booleans()):  # the small count among the false
        columns["violence"] = ~columns["violence"]
    k = draw(rare)
    columns["left_in_year"] = pd.array(["1"] * k + ["0"] * (n - k), dtype="string")
    for j, d in enumerate(draw(st.lists(st.integers(1, 4), min_size=1, max_size=3))):
        sizes = [draw(rare) for _ in range(d - 1)]
        if sum(sizes) > n:
            sizes = [0] * (d - 1)
        values = np.repeat(
            np.arange(d, dtype=float) * draw(st.sampled_from([1.0, 0.5, 10.5])), [n - sum(sizes), *sizes]
        )
        columns[f"score{j}"] = pd.array(values) if j % 2 else pd.array(values.astype(int), dtype="Int64")
    ends = [draw(rare), draw(rare)]
    middle = n - sum(ends)
    columns["hours"] = pd.array(
        [0.0] * ends[0] + list(np.linspace(1, 9, max(middle, 0))) + [10.0] * ends[1]
        if middle >= 0
        else np.linspace(1, 9, n)
    )
    for values in columns.values():
        gone = draw(st.lists(st.integers(0, n - 1), max_size=2 * threshold, unique=True))
        values[gone] = pd.NA
    order = draw(st.permutations(range(n)))
    frame = pd.DataFrame(
        {k: pd.Series(v).iloc[list(order)].reset_index(drop=True) for k, v in columns.items()}
    )
    return frame, threshold


def _extremes_held(frame: pd.DataFrame, name: str, text: str, threshold: int) -> bool:
    """Whether every smallest or largest value ``text`` prints is held by more than ``threshold`` rows."""
    values = frame[name].dropna().astype(float)
    printed = re.findall(r"(?:min|max) (-?[\d.]+)|\((-?[\d.]+) to (-?[\d.]+)\)", text)
    return all((values.round(9) == round(float(v), 9)).sum() > threshold for g in printed for v in g if v)


@settings(max_examples=300, deadline=None)
@given(_surveys())
def test_no_figure_of_describe_gives_a_small_count_back(case):
    frame, threshold = case
    summary = describe(frame, threshold)
    rows = len(frame)
    for name, row in summary.iterrows():
        text = row["summary"]
        assert "identifier" not in text, (name, text)  # the rule below is checked, not bypassed
        assert _extremes_held(frame, name, text, threshold), (name, text)
        answered = int(frame[name].notna().sum())
        if "not shown" in (row["n"], row["missing"]):  # n and missing: one from 1 to T, or both
            assert any(1 <= c <= threshold for c in (answered, rows - answered)), (name, row)
            assert not _SHARE.match(text) and not _COUNT.search(text) and not _MEAN.search(text), (name, text)
            continue
        n, missing = int(row["n"]), int(row["missing"])
        assert n == answered and n + missing == rows and not _given_back(missing, missing, rows, threshold)
        assert "mean" not in text or name == "hours", (name, text)  # few distinct values: n, mean and SD
        share = _SHARE.match(text)
        if share:  # share x n, to the printed 1 dp
            p = float(share.group(1)) / 100
            assert not _given_back((p - 0.0005) * n, (p + 0.0005) * n, n, threshold), (name, text)
        count = _COUNT.search(text)
        if count:  # the commonest count, and n minus it
            assert not _given_back(int(count.group(1)), int(count.group(1)), n, threshold), (name, text)
            # q12disc Q5: the k - 1 other values share the rest, each at most rest - (k - 2)
            k, rest = int(text.split()[0]), n - int(count.group(1))
            assert not (rest > 0 and 1 <= rest - (k - 2) <= threshold), (name, text)


def test_a_missing_count_from_1_to_the_threshold_is_shown_as_a_band():
    """Issue 21: ``missing`` 3 was printed (3 people who did not answer), and ``n`` = rows - 3 with
    it; a share, a mean or a count over the 297 would pin ``n`` again."""
    frame = pd.DataFrame(
        {
            "ghq1": pd.array([None] * 3 + [0] * 150 + [1] * 147, dtype="Int64"),
            "violence": pd.array([None] * 3 + [True] * 100 + [False] * 197, dtype="boolean"),
            "hours": [None] * 3 + [float(i) for i in range(297)],
            "answered_by_few": [None] * 297 + ["yes"] * 3,
            "all": ["x"] * 300,
        }
    )
    got = describe(frame)
    assert got.loc["ghq1", ["n", "missing"]].tolist() == ["not shown", "1 to 5"]
    assert got.loc["answered_by_few", ["n", "missing"]].tolist() == ["1 to 5", "not shown"]
    assert got.loc["all", ["n", "missing"]].tolist() == [300, 0]
    assert got["summary"].tolist() == [
        "2 distinct (0 to 1); commonest 0, count not shown (missing from 1 to 5)",
        "share not shown (missing from 1 to 5)",
        "mean and SD not shown (missing from 1 to 5), min and max not shown",
        "not shown (answered by 1 to 5)",
        "1 distinct; commonest x (300)",
    ]
    tiny = describe(pd.DataFrame({"x": [1.0, None, 3.0]}))  # 3 rows: the band would pin nothing new
    assert tiny.iloc[0].tolist() == [
        "float64",
        "not shown",
        "not shown",
        "not shown (a table of 10 rows or fewer)",
    ]


def test_a_smallest_or_largest_value_of_few_people_is_not_shown():
    """Issue 21: ``max 76`` (one family's contacts) and ``min 0`` were printed whoever held them."""
    x = pd.Series([0.0] * 6 + list(range(1, 293)) + [300.0, 300.0])
    assert describe(pd.DataFrame({"x": x}))["summary"]["x"].endswith("min 0, max not shown")
    assert describe(pd.DataFrame({"x": x}), threshold=1)["summary"]["x"].endswith("min 0, max 300")


def test_each_figure_is_shown_where_it_gives_no_small_count_back():
    frame = pd.DataFrame(
        {
            "violence": pd.array([True] * 30 + [False] * 270),
            "flag": ["1"] * 6 + ["0"] * 294,
            "score": [0] * 200 + [1] * 50 + [2] * 50,
            "hours": np.linspace(0.1, 9.9, 300),
        }
    )
    got = describe(frame)["summary"]
    assert got["violence"] == "10.0% true"
    assert got["flag"] == "2 distinct; commonest 0 (294)"
    assert got["score"] == "3 distinct (0 to 2); commonest 0 (200)"
    assert got["hours"].startswith("mean 5, SD")
    assert describe(frame, threshold=6)["summary"]["flag"].endswith(
        "count not shown (it or the rest from 1 to 6)"
    )


def _z4_survey(tmp_path):
    """The sample survey with the reproducer's planted counts: 3 workers who experienced violence,
    4 leavers, 1 on sick leave."""
    frame = pd.read_csv(SAMPLE / "worker_survey.csv", dtype=str)
    n = len(frame)
    frame["experienced_violence"] = ["yes"] * 3 + ["no"] * (n - 3)
    frame["left_in_year"] = ["1"] * 4 + ["0"] * (n - 4)
    frame["sick_leave_days"] = ["3"] + ["0"] * (n - 1)
    path = tmp_path / "worker_survey.csv"
    frame.to_csv(path, index=False)
    return path


def test_validate_prints_no_share_or_commonest_count_that_gives_a_small_count_back(tmp_path, capsys):
    path = _z4_survey(tmp_path)
    assert main(["validate", str(path), "--kind", "worker_survey"]) == 0
    out = capsys.readouterr().out
    assert "1.0% true" not in out and "(296)" not in out and "(299)" not in out
    assert "share not shown (true or false count from 1 to 5)" in out
    assert "(200)" in out  # conventional workers: neither 200 nor the 100 others is small


def test_validate_passes_its_threshold_to_a_survey_s_summary(tmp_path, capsys):
    path = _z4_survey(tmp_path)
    assert main(["validate", str(path), "--kind", "worker_survey", "--threshold", "2"]) == 0
    out = capsys.readouterr().out
    assert "1.0% true" in out and "(296)" in out and "(299)" not in out


def test_names_in_columns_a_council_export_carries_are_not_printed():
    """q11in Q23: validate printed "commonest Jane Smith (200)" for a "Social Worker" column and
    "Mary Jones (300)" for "Team Manager" and "Supervisor"; a name in a free-text column not called
    like one ("Allocated to") was printed too. Known vocabulary stays visible."""
    n = 300
    frame = pd.DataFrame(
        {
            "authority": ["Unit-model LA"] * 200 + ["Comparator LA 1"] * 100,
            "role": ["consultant social worker"] * 200 + ["clinician"] * 100,
            "Social Worker": ["Jane Smith"] * 200 + ["John Brown"] * 100,
            "Team Manager": ["Mary Jones"] * n,
            "Supervisor": ["Mary Jones"] * n,
            "Allocated to": ["Smith, Jane"] * 200 + ["Tom Jones"] * 100,
            "Notes": ["Jane Smith"] * n,
        }
    )
    summary = describe(frame)["summary"]
    text = summary.to_string()
    for secret in ("Jane", "Mary", "John", "Tom"):
        assert secret not in text
    assert summary["Social Worker"] == "2 distinct (identifier)"
    assert summary["Allocated to"] == "2 distinct; commonest not shown"
    assert summary["authority"] == "2 distinct; commonest Unit-model LA (200)"
    assert summary["role"] == "2 distinct; commonest consultant social worker (200)"


def test_validate_prints_no_identifier_shaped_min_or_max():
    """Finding A3 (q13in): ``max 4857773456`` (an NHS number's shape) was printed by validate."""
    from rsw_eval.io._describe import describe_panel

    p = pd.DataFrame(
        {
            "la_code": ["A", "B"],
            "year": 2010,
            "indicator": "total_cost",
            "value": [-4857773456.0, 1e10],
            "flag": "",
        }
    )
    row = describe_panel(p).iloc[0]
    assert (row["min"], row["max"]) == ("not shown", "not shown")


def test_a_near_unique_short_number_column_shows_no_value():
    """Finding A17 (q13in): a 4-digit PIN column (294 distinct in 300) printed its commonest value."""
    pins = [f"{1000 + 7 * i}" for i in range(294)] + ["8130"] * 2 + ["1000"] * 2 + ["1007"] * 2
    assert describe(pd.DataFrame({"Pin": pins}))["summary"]["Pin"] == "295 distinct; commonest not shown"


def test_a_name_typed_as_a_role_is_not_shown():
    """findings-q20att F3: ``role`` is a vocabulary column (its roles are shown whatever their
    shape), but "Jane Quenby" typed in it by 201 rows was printed as its commonest value."""
    for name in ("Jane Quenby", "Dr Jane Quenby", "Smith J", "Quenby, Jane", "jane_quenby"):
        roles = pd.Series([name] * 201 + ["social worker"] * 99)
        assert describe(pd.DataFrame({"role": roles}))["summary"]["role"] == "2 distinct; commonest not shown"
    roles = pd.Series(["consultant social worker"] * 201 + ["clinician"] * 99)
    assert (
        "commonest consultant social worker (201)"
        in describe(pd.DataFrame({"role": roles}))["summary"]["role"]
    )


def test_england_s_row_is_no_authority_and_sets_no_maximum():
    """att12 L4: the RO3 file's ENGLAND row was counted among "154 authorities", and England's
    total was the column's maximum."""
    panel = pd.DataFrame(
        {
            "la_code": ["E09000012", "E09000007", "E92000001"],
            "year": 2025,
            "indicator": "total_cost",
            "value": [100_000_000.0, 90_000_000.0, 15_000_000_000.0],
            "flag": "",
        }
    )
    row = describe_panel(panel).loc["total_cost"]
    assert (row["authorities"], row["values"], row["max"]) == (2, 2, "100000000")
    assert describe_panel(panel[panel["la_code"] == "E92000001"]).loc["total_cost", "authorities"] == 1
