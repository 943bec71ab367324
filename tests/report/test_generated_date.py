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


@pytest.mark.parametrize("epoch", ["yesterday", "1.5", "-", "9" * 30])
def test_a_source_date_epoch_that_is_no_time_is_refused(monkeypatch, epoch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    with pytest.raises(SpecError, match="SOURCE_DATE_EPOCH must be a whole number of seconds"):
        generated_on()
