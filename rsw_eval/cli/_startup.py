"""What a command checks when it starts, before any library is imported."""

from __future__ import annotations

import os

from rsw_eval._source_date import source_date_epoch

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
    if source_date_epoch() is None:
        os.environ.pop("SOURCE_DATE_EPOCH", None)  # set but empty: numpy would refuse it
