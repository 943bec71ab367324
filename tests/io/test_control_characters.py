"""findings-q18att F11: a control character in an authority's name, a label, a header or the
spec's title crashed the reports (SVG is XML), wrote charts no browser renders and put terminal
escapes into the results files; every reader refuses it by row and column, the spec by key."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from rsw_eval import DataError, SpecError, io
from rsw_eval.cli import main
from rsw_eval.spec import load_spec
from tests._fuzz import budget

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "sample"
CONTROLS = st.sampled_from(
    [
        "\x00",
        "\x01",
        "\x07",
        "\x0b",
        "\x0c",
        "\x1b",
        "\x1b[31m",
        "\x7f",
        "\x85",
        "\u200f",
        "\u202e",
        "\u2066",
        "\ufffe",
        "\uffff",
    ]
)
PANEL = pd.read_csv(SAMPLE / "admin_panel.csv", dtype=str, keep_default_na=False)
WORKERS = pd.read_csv(SAMPLE / "worker_survey.csv", dtype=str, keep_default_na=False)


@budget(20)
@given(CONTROLS, st.sampled_from(["panel la_name", "survey authority", "survey role", "header"]), st.data())
def test_a_control_character_anywhere_is_refused_where_it_is(tmp_path_factory, control, where, data):
    frame = (PANEL if where.startswith("panel") else WORKERS).copy()
    if where == "header":
        frame = frame.rename(columns={frame.columns[-1]: f"{frame.columns[-1]}{control}x"})
        row, column = 1, None
    else:
        column = {"panel la_name": "la_name", "survey authority": "authority", "survey role": "role"}[where]
        i = data.draw(st.integers(0, len(frame) - 1))
        text = frame.loc[i, column]
        frame.loc[i, column] = text[:2] + control + text[2:]
        row = i + 2
    path = tmp_path_factory.mktemp("c") / "f.csv"
    frame.to_csv(path, index=False)
    load = io.load_panel if where.startswith("panel") else io.load_worker_survey
    with pytest.raises(DataError, match="a control character") as err:
        load(path)
    problem = err.value.problems[0]
    assert row in problem.rows and (column is None or problem.column == column)
    assert control not in str(err.value)


def test_the_command_exits_2_and_prints_no_control_character(tmp_path, capsys):
    frame = PANEL.copy()
    frame.loc[3, "la_name"] = "South\x1b[31mwark"
    frame.to_csv(tmp_path / "admin_panel.csv", index=False)
    assert main(["validate", str(tmp_path / "admin_panel.csv"), "--kind", "panel"]) == 2
    printed = capsys.readouterr()
    assert "\x1b" not in printed.out + printed.err and "row 5, column 'la_name'" in printed.err


@pytest.mark.parametrize("title", ["Survey\x0bdiff", "Evaluation \u202e2025"])
def test_a_control_character_in_the_spec_s_names_is_refused(tmp_path, title):
    (tmp_path / "c.csv").write_text("la_code,year,cost_line,amount_gbp\n")
    with pytest.raises(SpecError, match="title: the control character U\\+"):
        load_spec({"title": title, "data": {"costs": "c.csv"}}, data_dir=tmp_path)
