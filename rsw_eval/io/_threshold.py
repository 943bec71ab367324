"""The disclosure threshold's one check, for the spec, the command line and the Python API (here,
below every stage that reads a threshold)."""

from __future__ import annotations

from numbers import Integral

from rsw_eval._errors import SpecError

__all__ = ["MAX_THRESHOLD", "check_threshold"]

#: The largest disclosure threshold: counts are of people in one authority, so a larger one
#: would suppress every count (and does not fit the integers the rules are computed in).
MAX_THRESHOLD = 1_000_000


def check_threshold(threshold: object, where: str) -> None:
    """Raise :class:`~rsw_eval.SpecError` unless ``threshold`` (the spec's ``disclosure_threshold``
    or ``--threshold``, named ``where``) is a whole number from 1 to :data:`MAX_THRESHOLD`.

    Examples
    --------
    >>> check_threshold(5, "disclosure_threshold")
    >>> check_threshold(10**20, "--threshold")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    rsw_eval._errors.SpecError: --threshold must be a whole number from 1 to 1,000,000 ...
    """
    if (
        not isinstance(threshold, Integral)
        or isinstance(threshold, bool)
        or not 1 <= threshold <= MAX_THRESHOLD
    ):
        raise SpecError(
            f"{where} must be a whole number from 1 to {MAX_THRESHOLD:,} (counts from 1 to it are "
            f"suppressed; 0 would switch suppression off). Got {_got(threshold)}."
        )


def _got(threshold: object) -> str:
    """What was given, said without a long number (a number of 9+ digits is masked as an id)."""
    if isinstance(threshold, Integral) and not isinstance(threshold, bool) and threshold > MAX_THRESHOLD:
        return "a larger number"
    return repr(threshold)
