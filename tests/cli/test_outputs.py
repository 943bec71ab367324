"""Issue 21 item 4: inputs are never written. Every output path (main file, side files, chart,
``screen --out``, ``sample --out``, reports) is checked against every input by identity (hard and
symbolic links included) before anything is written; a file rsw-eval did not write is replaced only
with ``--force``; re-running a command over its own outputs keeps working."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pandas as pd
import pytest

from rsw_eval import SpecError
from rsw_eval.cli import main
from rsw_eval.io._outputs import MANIFEST, check_outputs, written_by_rsw_eval
from tests.conftest import SAMPLE


def _digest(folder: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()
    }


def _err(capsys) -> str:
    return capsys.readouterr().err


@pytest.fixture()
def data(tmp_path) -> Path:
    """A copy of the sample data set in its own folder."""
    folder = tmp_path / "data"
    folder.mkdir()
    for p in SAMPLE.iterdir():
        if p.is_file():
            (folder / p.name).write_bytes(p.read_bytes())
    return folder


# -- screen --------------------------------------------------------------------------------------


def test_screen_out_onto_its_own_input_panel_is_refused(data, capsys):
    panel = data / "admin_panel.csv"
    before = _digest(data)
    assert main(["screen", str(panel), "--year", "2008", "--out", str(panel)]) == 2
    assert f"--out {panel}: is an input file" in _err(capsys)
    assert _digest(data) == before


def test_screen_chart_onto_an_input_hard_link_is_refused(data, tmp_path, capsys):
    panel = data / "admin_panel.csv"
    link = tmp_path / "chart.svg"
    os.link(panel, link)
    before = _digest(data)
    assert main(["screen", str(panel), "--year", "2008", "--chart", str(link)]) == 2
    assert "is an input file" in _err(capsys) and link.read_text().startswith("time_period,")
    assert _digest(data) == before


def test_screen_rerun_over_its_own_outputs(data, tmp_path, capsys):
    out, chart = tmp_path / "screen.csv", tmp_path / "screen.svg"
    args = [
        "screen",
        str(data / "admin_panel.csv"),
        "--year",
        "2008",
        "--out",
        str(out),
        "--chart",
        str(chart),
    ]
    assert main(args) == 0
    assert main(args) == 0, _err(capsys)
    assert written_by_rsw_eval(out) and written_by_rsw_eval(chart)


def test_screen_out_is_neutralised(data, tmp_path):
    panel = pd.read_csv(data / "admin_panel.csv", dtype=str)
    panel["la_name"] = '=HYPERLINK("http://x")'
    path = data / "admin_panel.csv"
    panel.to_csv(path, index=False)
    out = tmp_path / "screen.csv"
    assert main(["screen", str(path), "--year", "2008", "--out", str(out)]) == 0
    names = pd.read_csv(out, dtype=str)["la_name"].dropna()
    assert len(names) and names.str.startswith("'=").all()


@pytest.mark.parametrize(
    ("option", "name", "found"),
    [
        ("--chart", "mine", "no suffix"),  # matplotlib would write mine.png, unchecked (Q12)
        ("--chart", "chart.csv", "suffix '.csv'"),  # matplotlib fails after the table is written (Q13)
        ("--out", "table.pdf", "suffix '.pdf'"),  # CSV text under a .pdf name (Q26)
        ("--out", "table.xlsx", "suffix '.xlsx'"),
    ],
)
def test_screen_output_suffixes_are_checked_before_any_work(data, tmp_path, capsys, option, name, found):
    (tmp_path / "mine.png").write_bytes(b"a user's picture")
    other = ["--out", str(tmp_path / "t.csv")] if option == "--chart" else []
    args = ["screen", str(data / "admin_panel.csv"), "--year", "2008", *other, option, str(tmp_path / name)]
    assert main(args) == 2
    err = _err(capsys)
    assert (
        err.startswith(f"rsw-eval: error: {option} {tmp_path / name}: {found}") and len(err.splitlines()) == 1
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "mine.png"]
    assert (tmp_path / "mine.png").read_bytes() == b"a user's picture"


def test_screen_out_and_chart_naming_one_file_are_refused(data, tmp_path, capsys):
    """Q26: two hard links to one file as --out and --chart (with --force): the chart would replace
    the table."""
    table, chart = tmp_path / "r.csv", tmp_path / "r.svg"
    table.write_text("mine\n")
    os.link(table, chart)
    args = ["screen", str(data / "admin_panel.csv"), "--year", "2008", "--force"]
    assert main([*args, "--out", str(table), "--chart", str(chart)]) == 2
    assert "the same file; each output needs its own name" in _err(capsys)
    assert table.read_text() == "mine\n"


@pytest.mark.parametrize(("year", "side"), [(1066, "no year before 1066"), (2100, "no year from 2100 on")])
def test_screen_year_outside_the_data_is_refused(data, tmp_path, capsys, year, side):
    """Q28: a screen with no pre- or no post-period was reported as a null result."""
    out = tmp_path / "s.csv"
    assert main(["screen", str(data / "admin_panel.csv"), "--year", str(year), "--out", str(out)]) == 2
    err = _err(capsys)
    assert (
        err.startswith(f"rsw-eval: error: --year {year}: the data hold figures for 2004-2016") and side in err
    )
    assert not out.exists()


def test_compare_out_suffix_is_checked_before_the_comparison(tmp_path, capsys):
    assert main(["compare", str(SAMPLE), "--only", "cost", "--out", str(tmp_path / "r.txt")]) == 2
    err = _err(capsys)
    assert err.startswith(f"rsw-eval: error: --out {tmp_path / 'r.txt'}: suffix '.txt'")
    assert ".csv, .json or .parquet" in err


# -- compare --------------------------------------------------------------------------------------


def test_compare_side_file_onto_an_input_is_refused_before_anything_is_written(data, capsys):
    # the costs file is named like the coverage table compare writes beside r.csv
    (data / "r.coverage.csv").write_bytes((data / "costs.csv").read_bytes())
    spec = data / "s.toml"
    spec.write_text(
        'unit_model = ["E09000012"]\ncost_years = [2009, 2010]\n[data]\ncosts = "r.coverage.csv"\n'
    )
    before = _digest(data)
    assert main(["compare", "--spec", str(spec), "--only", "cost", "--out", str(data / "r.csv")]) == 2
    assert f"{data / 'r.coverage.csv'}: is an input file" in _err(capsys)
    assert _digest(data) == before  # not even r.csv


def test_compare_out_onto_a_hard_link_of_an_input_is_refused(data, tmp_path, capsys):
    out = tmp_path / "results.csv"
    os.link(data / "costs.csv", out)
    before = _digest(data)
    assert main(["compare", str(data), "--only", "cost", "--out", str(out), "--force"]) == 2
    assert "is an input file" in _err(capsys)  # --force never lets an input be written
    assert _digest(data) == before


def test_compare_side_file_onto_a_symbolic_link_of_an_input_is_refused(data, tmp_path, capsys):
    (tmp_path / "r.skipped.csv").symlink_to(data / "costs.csv")
    before = _digest(data)
    assert main(["compare", str(data), "--only", "cost", "--out", str(tmp_path / "r.csv")]) == 2
    assert "r.skipped.csv: is an input file" in _err(capsys)
    assert _digest(data) == before


def test_compare_over_a_file_it_did_not_write_needs_force(data, tmp_path, capsys):
    out = tmp_path / "notes.csv"
    out.write_text("my notes\n")
    args = ["compare", str(data), "--only", "cost", "--out", str(out)]
    assert main(args) == 2
    err = _err(capsys)
    assert f"--out {out}: exists and was not written by rsw-eval" in err and "--force" in err
    assert out.read_text() == "my notes\n"
    assert main([*args, "--force"]) == 0
    assert main(args) == 0  # now rsw-eval's own output: a re-run replaces it
    assert written_by_rsw_eval(out) and written_by_rsw_eval(out.with_suffix(".coverage.csv"))


def test_an_output_edited_since_rsw_eval_wrote_it_is_not_its_own_any_more(data, tmp_path, capsys):
    out = tmp_path / "r.csv"
    args = ["compare", str(data), "--only", "cost", "--out", str(out)]
    assert main(args) == 0
    out.write_text(out.read_text() + "my own row\n")
    assert main(args) == 2
    assert "was not written by rsw-eval" in _err(capsys)


# -- sample ---------------------------------------------------------------------------------------


def test_sample_does_not_replace_a_survey_it_did_not_write(tmp_path, capsys):
    survey = tmp_path / "worker_survey.csv"
    survey.write_text("respondent_id,authority,model\nreal,Hackney,unit\n")
    assert main(["sample", "--out", str(tmp_path)]) == 2
    assert f"{survey}: exists and was not written by rsw-eval" in _err(capsys)
    assert survey.read_text().startswith("respondent_id,authority,model\nreal")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["worker_survey.csv"]  # nothing written
    assert main(["sample", "--out", str(tmp_path), "--force"]) == 0
    assert "real" not in survey.read_text()


def test_sample_rerun_over_its_own_folder(tmp_path):
    assert main(["sample", "--out", str(tmp_path), "--seed", "3"]) == 0
    assert main(["sample", "--out", str(tmp_path), "--seed", "4"]) == 0
    assert (tmp_path / MANIFEST).is_file()


def test_another_command_does_not_replace_the_sample_s_data(tmp_path, capsys):
    """att12 L3: ``screen --out costs.csv`` in a sample folder replaced the sample's costs, which
    other commands read as data, because rsw-eval had written them."""
    assert main(["sample", "--out", str(tmp_path)]) == 0
    costs = tmp_path / "costs.csv"
    before = costs.read_bytes()
    screen = ["screen", str(tmp_path / "admin_panel.csv"), "--year", "2008", "--out", str(costs)]
    assert main(screen) == 2
    assert f"--out {costs}: is data that `rsw-eval sample` wrote" in _err(capsys)
    assert costs.read_bytes() == before
    assert main([*screen, "--force"]) == 0
    assert main(screen) == 0, _err(capsys)  # now screen's own output, which a re-run replaces
    assert main(["sample", "--out", str(tmp_path)]) == 0  # and sample takes its file back
    assert costs.read_bytes() == before


def test_the_bundled_sample_is_rsw_eval_s_own():
    # `make sample` regenerates data/sample without --force
    assert all(written_by_rsw_eval(p) for p in SAMPLE.iterdir() if p.name != MANIFEST)


# -- report ---------------------------------------------------------------------------------------


def test_report_over_a_file_it_did_not_write_needs_force(tmp_path, capsys):
    (tmp_path / "munro.html").write_text("<p>my page</p>")
    args = ["report", str(SAMPLE), "--style", "munro", "--format", "html", "--out", str(tmp_path)]
    assert main(args) == 2
    assert "munro.html: exists and was not written by rsw-eval" in _err(capsys)
    assert (tmp_path / "munro.html").read_text() == "<p>my page</p>"
    assert main([*args, "--force"]) == 0
    assert main(args) == 0


def test_report_into_the_data_folder_never_writes_an_input(data, capsys):
    os.link(data / "costs.csv", data / "munro.html")
    before = _digest(data)
    args = ["report", str(data), "--style", "munro", "--format", "html", "--out", str(data), "--force"]
    assert main(args) == 2
    assert "munro.html: is an input file" in _err(capsys)
    assert _digest(data) == before


# -- the check itself -----------------------------------------------------------------------------


def test_check_outputs_names_every_clash(tmp_path):
    a = tmp_path / "a.csv"
    a.write_text("x")
    os.link(a, tmp_path / "b.csv")
    with pytest.raises(SpecError, match=r"b\.csv: is an input file \(the same file as .*a\.csv\)"):
        check_outputs([tmp_path / "b.csv"], [a])
    with pytest.raises(SpecError, match=r"c\.csv.*given twice"):
        check_outputs([tmp_path / "c.csv", tmp_path / "c.csv"], [])
    check_outputs([tmp_path / "new.csv"], [a])  # a new file: nothing to check


def test_a_rerun_replaces_its_output_and_never_writes_through_a_link_to_it(data, tmp_path):
    out, published = tmp_path / "r.csv", tmp_path / "published.csv"
    args = ["compare", str(data), "--only", "cost", "--out", str(out)]
    assert main(args) == 0
    os.link(out, published)  # the council links the file into its publication folder
    kept = published.read_bytes()
    assert main(args) == 0
    assert out.stat().st_ino != published.stat().st_ino and published.read_bytes() == kept


def test_a_file_of_the_manifest_s_name_that_is_not_one_is_never_replaced(tmp_path, capsys):
    (tmp_path / MANIFEST).write_text("my notes\n")
    assert main(["sample", "--out", str(tmp_path)]) == 2
    assert f"{tmp_path / MANIFEST}: exists and is not rsw-eval's list of its outputs" in _err(capsys)
    assert sorted(p.name for p in tmp_path.iterdir()) == [MANIFEST]
