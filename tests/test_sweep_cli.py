"""Operating-system errors and malformed specs on the command line (issue 14, items 9 and 10): one
clear line and exit status 2 (0 when the reader closes stdout early), never a traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from rsw_eval import SpecError
from rsw_eval.cli import main
from rsw_eval.spec import load_spec
from tests.conftest import SAMPLE


def _err(capsys) -> str:
    return capsys.readouterr().err


def test_out_into_a_missing_folder(tmp_path, capsys):
    assert main(["compare", str(SAMPLE), "--only", "cost", "--out", str(tmp_path / "no" / "r.csv")]) == 2
    assert (
        _err(capsys)
        == f"rsw-eval: error: --out {tmp_path / 'no' / 'r.csv'}: the folder {tmp_path / 'no'} does not "
        "exist; create it first\n"
    )


def test_out_onto_an_input_file_is_refused(capsys):
    before = (SAMPLE / "costs.csv").read_bytes()
    assert main(["compare", str(SAMPLE), "--only", "cost", "--out", str(SAMPLE / "costs.csv")]) == 2
    assert "is an input file (the same file as" in _err(capsys)
    assert (SAMPLE / "costs.csv").read_bytes() == before


def test_report_out_onto_a_file(tmp_path, capsys):
    (tmp_path / "f").write_text("x")
    assert (
        main(["report", str(SAMPLE), "--style", "munro", "--format", "html", "--out", str(tmp_path / "f")])
        == 2
    )
    assert _err(capsys).startswith(f"rsw-eval: error: --out {tmp_path / 'f'}: is a file")


def test_read_only_folder_is_one_line(tmp_path, capsys, monkeypatch):
    # root ignores permission bits, so the refusal is simulated where the results are written
    from rsw_eval.evaluation.results import Results

    def refuse(self, path, **options):
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(Results, "write", refuse)
    assert main(["compare", str(SAMPLE), "--only", "cost", "--out", str(tmp_path / "r.csv")]) == 2
    assert _err(capsys) == f"rsw-eval: error: {tmp_path / 'r.csv'}: permission denied\n"


def test_unreadable_input_is_one_line(tmp_path, capsys, monkeypatch):
    path = tmp_path / "w.csv"
    path.write_text("respondent_id,authority,model\nw1,A,unit\n")

    def denied(self):
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", denied)
    assert main(["validate", str(path), "--kind", "worker_survey"]) == 2
    assert _err(capsys) == f"rsw-eval: error: {path}: the file cannot be read (permission denied)\n"


def test_closed_stdout_exits_0_without_a_traceback():
    # the reader goes away before anything is written (as `| head -0` does)
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "rsw_eval.cli",
            "validate",
            str(SAMPLE / "worker_survey.csv"),
            "--kind",
            "worker_survey",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    proc.stdout.close()
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 0 and "Traceback" not in err and "BrokenPipe" not in err


def test_broken_pipe_in_process(capsys, monkeypatch):
    class Closed:
        def write(self, text):
            raise BrokenPipeError(32, "Broken pipe")

        def flush(self):
            pass

    monkeypatch.setattr(sys, "stdout", Closed())
    assert main(["validate", str(SAMPLE / "costs.csv"), "--kind", "costs"]) == 0


@pytest.mark.parametrize(
    ("text", "match"),
    [
        (
            "unit_model = 5",
            r"s.toml: unit_model must be text or a list of text, or a table CODE = YEAR; found a whole "
            r"number \(5\)",
        ),
        (
            "before_after = [2006, 2010]",
            r"s.toml: before_after must be a list of \[earlier, later\] year pairs.*found a list "
            r"\[2006, 2010\]",
        ),
        (
            'cost_years = "2009"',
            r"s.toml: cost_years must be two years \[earlier, later\].*found text \('2009'\)",
        ),
        (
            "[unit_model]\nA = '2008'",
            r"s.toml: unit_model.A must be a year \(a whole number\); found text \('2008'\)",
        ),
        ('confidence = "0.9"', r"s.toml: confidence must be a number. Got '0.9'"),
        (
            "comparators = 3",
            r"s.toml: comparators must be text or a list of text; found a whole number \(3\)",
        ),
        ('designs = "did"', r"^$"),
        ('disclosure_rules = "strict"', r"s.toml: disclosure_rules must be 'default' or 'dfe'"),
    ],
)
def test_spec_values_of_the_wrong_type_or_shape(tmp_path, text, match):
    path = tmp_path / "s.toml"
    path.write_text(text + ('\n[data]\ncosts = "c.csv"\n' if "[data" not in text else "\n"))
    if match == "^$":
        assert load_spec(path).designs == ("did",)  # one design as text is a list of one
        return
    with pytest.raises(SpecError, match=match):
        load_spec(path)
