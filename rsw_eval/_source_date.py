"""``SOURCE_DATE_EPOCH``, the reproducible-builds date: one reading of it for the command's start-up
check (:func:`rsw_eval.cli._startup.check_source_date_epoch`, before numpy and the font subsetter
read it) and for the date a report says it was generated (:func:`rsw_eval.report._build.
generated_on`). Light: the start-up check imports it before any library."""

from __future__ import annotations

import os

from rsw_eval._errors import SpecError

__all__ = ["source_date_epoch"]

#: The last second of 9999: later dates have no ISO form.
LATEST = 253_402_300_799


def source_date_epoch() -> int | None:
    """The seconds since 1970-01-01 that ``SOURCE_DATE_EPOCH`` gives, or None where it is unset
    or empty (as CI templates leave it). Anything but a whole number from 0 to the end of 9999
    (a sign, a fraction, words) raises :class:`~rsw_eval.SpecError` (findings-q19att N8).

    Examples
    --------
    >>> os.environ["SOURCE_DATE_EPOCH"] = "1767225600"
    >>> source_date_epoch()
    1767225600
    >>> os.environ["SOURCE_DATE_EPOCH"] = " "
    >>> source_date_epoch() is None
    True
    >>> del os.environ["SOURCE_DATE_EPOCH"]
    """
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not value:
        return None
    if not (value.isascii() and value.isdigit()) or int(value) > LATEST:
        raise SpecError(
            "SOURCE_DATE_EPOCH must be a whole number of seconds since 1970-01-01, up to the end of "
            "9999 (the date reports say they were generated); unset it or correct it"
        )
    return int(value)
