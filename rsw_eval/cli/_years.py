"""The first year of a change given on the command line (``--adoption-year``, ``screen --year``),
checked against the years the data hold before any work is written."""

from __future__ import annotations

from collections.abc import Iterable

from rsw_eval._errors import SpecError

__all__ = ["check_change_year"]


def check_change_year(option: str, year: int, held: Iterable, whose: str = "") -> None:
    """Refuse (:class:`~rsw_eval.SpecError`, exit 2) a first year of the change with no year of the
    data before it, or none from it on: nothing can compare before and after, and a run without
    one side would read as a null result.

    ``held`` is the years the data hold (years ending 31 March); ``whose`` names whose they are
    ("Hackney (E09000012)'s "), or is empty for the whole panel. No years held: nothing to check.

    Examples
    --------
    >>> check_change_year("--year", 2008, [2004, 2010])
    >>> try:
    ...     check_change_year("--year", 1066, range(2021, 2026))
    ... except SpecError as exc:
    ...     print(exc)  # doctest: +NORMALIZE_WHITESPACE
    --year 1066: the data hold figures for 2021-2025 (years ending 31 March), no year before 1066:
    nothing can compare before and after the change; give a year from 2022 to 2025
    """
    years = sorted({int(y) for y in held})
    if not years or years[0] < year <= years[-1]:
        return
    side = f"no year before {year}" if year <= years[0] else f"no year from {year} on"
    raise SpecError(
        f"{option} {year}: the data hold {whose}figures for {years[0]}-{years[-1]} (years ending "
        f"31 March), {side}: nothing can compare before and after the change; give a year from "
        f"{years[0] + 1} to {years[-1]}"
    )
