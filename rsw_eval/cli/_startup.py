"""What a command checks when it starts, before any library is imported."""

from __future__ import annotations

import os

from rsw_eval._errors import SpecError

__all__ = ["check_source_date_epoch"]


def check_source_date_epoch() -> None:
    """Check ``SOURCE_DATE_EPOCH`` (the date reports say they were generated) before any library
    reads it: numpy and the font subsetter read it on import, and a value that was no whole number
    of seconds ended every command with their error (findings-q19att N8). Set but empty, as CI
    templates leave it, it is taken as unset.

    Examples
    --------
    >>> os.environ["SOURCE_DATE_EPOCH"] = ""
    >>> check_source_date_epoch()
    >>> "SOURCE_DATE_EPOCH" in os.environ
    False
    """
    value = os.environ.get("SOURCE_DATE_EPOCH")
    if value is not None and not value.strip():
        del os.environ["SOURCE_DATE_EPOCH"]
    elif value is not None and not (value.strip().isdigit() and int(value) <= 253_402_300_799):
        raise SpecError(
            "SOURCE_DATE_EPOCH must be a whole number of seconds since 1970-01-01, up to the end of "
            "9999 (the date reports say they were generated); unset it or correct it"
        )
