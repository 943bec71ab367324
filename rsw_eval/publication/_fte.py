"""Full-time equivalents beside a hidden headcount (findings-q21att F2, q22att F5).

Nobody works more than full time, so a group's FTE is at most its headcount: a published agency FTE
of 4.0 beside an agency headcount shown as ``c`` (from 1 to 5) says the headcount is 4 or 5; so
does a part of it (agency workers covering vacancies: ``agency_cover_fte`` <= ``agency_fte``).
Every FTE of the group of a headcount from 1 to t goes with it, in the same authority-year: the
indicators whose names begin as the headcount's does before ``headcount`` and say ``fte``
(``agency_headcount``: ``agency_fte``, ``agency_cover_fte``, the names of DfE's children's social
work workforce release; ``Leavers Headcount``: ``Leavers FTE``), in any case. Name-based: an FTE
named otherwise is not found.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from rsw_eval.disclosure import RuleSet, row_rules

__all__ = ["fte_of_small_headcounts", "group_of"]

_HEADCOUNT = re.compile(r"head[\s_-]*count", re.IGNORECASE)
_FTE = re.compile(r"(?:^|[\s_-])fte(?:$|[\s_-])", re.IGNORECASE)


def group_of(name: str) -> str | None:
    """What a headcount indicator's name says before ``headcount``, folded (None where it names
    no headcount).

    Examples
    --------
    >>> group_of("agency_headcount"), group_of("Leavers Head count"), group_of("inpost_fte")
    ('agency_', 'leavers ', None)
    """
    found = _HEADCOUNT.search(name)
    return None if found is None else name[: found.start()].casefold()


def fte_of_small_headcounts(raw: pd.DataFrame, rules: RuleSet) -> np.ndarray:
    """Rows of the unprotected panel ``raw`` that are an FTE (above 0) of the group of a headcount
    from 1 to t of the same authority and year.

    Examples
    --------
    >>> from rsw_eval.disclosure import rule_set
    >>> p = pd.DataFrame({"la_code": "A", "year": [2024] * 4 + [2025] * 2, "source": "f",
    ...     "indicator": ["agency_headcount", "agency_fte", "agency_cover_fte", "vacancy_fte"] + [
    ...     "agency_headcount", "agency_fte"], "value": [4.0, 4.0, 4.0, 4.0, 30.0, 27.5]})
    >>> fte_of_small_headcounts(p, rule_set(counts=["agency_headcount"])).tolist()
    [False, True, True, False, False, False]
    """
    values = pd.to_numeric(raw["value"], errors="coerce").to_numpy(float)
    names = raw["indicator"].astype(str)
    counts = names.isin(rules.counts).to_numpy()
    small = counts & (values >= 1) & (values <= row_rules(raw, rules).threshold)
    groups: dict[tuple, set[str]] = {}
    for code, year, name in zip(raw["la_code"][small], raw["year"][small], names[small], strict=True):
        if group_of(name) is not None:
            groups.setdefault((code, int(year)), set()).add(group_of(name))
    if not groups:
        return np.zeros(len(raw), dtype=bool)
    out = np.zeros(len(raw), dtype=bool)
    for k, (code, year, name) in enumerate(zip(raw["la_code"], raw["year"].astype(int), names, strict=True)):
        prefixes = groups.get((code, year))
        if prefixes and _FTE.search(name) and any(name.casefold().startswith(p) for p in prefixes):
            out[k] = values[k] > 0
    return out
