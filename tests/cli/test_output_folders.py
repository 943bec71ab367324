"""Where outputs may go: never onto rsw-eval's own files, even with ``--force`` (findings-q13in A1),
and only into a folder that exists and is writable, checked before any work (A2)."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from rsw_eval.cli import main
from rsw_eval.io._lacodes import LOOKUP_PATH
from rsw_eval.io._outputs import OutputError, check_outputs, package_files
from rsw_eval.report._render import template_dirs
from tests.conftest import SAMPLE


def _md5(path: Path) -> str:
    return hashlib.md5(path.read_bytes()).hexdigest()


def test_compare_never_writes_the_bundled_lookup_even_with_force(capsys):
    before = _md5(LOOKUP_PATH)
    side = LOOKUP_PATH.with_name("la_codes.coverage.csv")
    args = ["compare", str(SAMPLE), "--only", "cost", "--out", str(LOOKUP_PATH), "--force"]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert f"--out {LOOKUP_PATH}: is one of rsw-eval's own files" in err and "even with --force" in err
    assert _md5(LOOKUP_PATH) == before and not side.exists()


def test_a_link_to_a_package_file_is_the_package_file(tmp_path):
    link = tmp_path / "codes.csv"
    link.symlink_to(LOOKUP_PATH)
    targets = [link]
    hard = tmp_path / "hard.csv"
    try:
        os.link(LOOKUP_PATH, hard)
        targets.append(hard)
    except OSError:  # another file system: the symbolic link still shows the check
        pass
    for target in targets:
        with pytest.raises(OutputError, match="is one of rsw-eval's own files"):
            check_outputs({target: "--out"}, force=True)


def test_the_shipped_templates_are_never_an_output():
    template = Path(template_dirs()[-1]) / "summary.html"
    with pytest.raises(OutputError, match="rsw-eval's own files"):
        check_outputs([template], force=True)
    assert any(Path(d, "la_codes.csv").is_file() for p in package_files() for d in (p, p / "data"))


@pytest.mark.parametrize("option", ["--out", "--chart"])
def test_screen_into_a_missing_folder_fails_before_any_work(tmp_path, capsys, option):
    name = "x.csv" if option == "--out" else "c.svg"
    target = tmp_path / "nodir" / name
    assert main(["screen", str(SAMPLE / "admin_panel.csv"), "--year", "2008", option, str(target)]) == 2
    err = capsys.readouterr()
    assert f"{option} {target}: the folder {target.parent} does not exist; create it first" in err.err
    assert err.out == ""  # nothing ran: no ranked table printed


def test_report_and_sample_refuse_a_file_in_the_way(tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    report = ["report", str(SAMPLE), "--style", "munro", "--format", "html", "--out", str(blocker / "out")]
    assert main(report) == 2
    assert f"--out {blocker / 'out'}: {blocker} is a file, not a folder" in capsys.readouterr().err
    assert main(["sample", "--out", str(blocker / "s")]) == 2
    assert "is a file, not a folder" in capsys.readouterr().err


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root may write anywhere")
def test_a_folder_that_is_not_writable_is_named(tmp_path, capsys):
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    out = locked / "r.csv"
    assert main(["compare", str(SAMPLE), "--only", "cost", "--out", str(out)]) == 2
    assert f"--out {out}: the folder {locked} is not writable" in capsys.readouterr().err
