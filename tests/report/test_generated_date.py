"""findings-q18att F6: a report said the day it was rendered, so a published PDF rendered again on
another day had other bytes; SOURCE_DATE_EPOCH (the reproducible-builds convention) fixes it."""

from __future__ import annotations

import datetime as dt

import pytest

from rsw_eval import SpecError
from rsw_eval.report._build import generated_on


def test_the_generated_date_is_source_date_epoch_s_day(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1774915200")  # 2026-03-31T00:00:00Z
    assert generated_on() == "2026-03-31"
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert generated_on() == dt.date.today().isoformat()


@pytest.mark.parametrize("epoch", ["yesterday", "1.5", "-", "-1", "1e9", "9" * 30])
def test_a_source_date_epoch_that_is_no_time_is_refused(monkeypatch, epoch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    with pytest.raises(SpecError, match="SOURCE_DATE_EPOCH must be a whole number of seconds"):
        generated_on()


@pytest.mark.parametrize("epoch", ["abc", "1.5", "-1", "9" * 20])
def test_the_command_refuses_a_source_date_epoch_that_is_no_time_before_any_library_reads_it(
    monkeypatch, capsys, epoch
):
    """findings-q19att N8: numpy and the font subsetter read the variable on import; every command
    ended with their error ('invalid literal for int()') or an OverflowError traceback."""
    from rsw_eval.cli import main

    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    assert main(["compare", "data/sample", "--only", "cost", "--out", "never.csv"]) == 2
    assert "SOURCE_DATE_EPOCH must be a whole number of seconds" in capsys.readouterr().err


def test_a_source_date_epoch_set_but_empty_is_taken_as_unset(monkeypatch, tmp_path):
    from rsw_eval.cli import main

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "")
    assert main(["compare", "data/sample", "--only", "cost", "--out", str(tmp_path / "r.csv")]) == 0
