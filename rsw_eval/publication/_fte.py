"""Full-time equivalents beside a hidden headcount (findings-q21att F2).

Nobody works more than full time, so a group's FTE is at most its headcount: a published agency FTE
of 4.0 beside an agency headcount shown as ``c`` (from 1 to 5) says the headcount is 4 or 5. The
FTE of a headcount from 1 to t goes with it, in the same authority-year: the indicator named as the
headcount with ``headcount`` read as ``fte`` (``agency_headcount`` and ``agency_fte``, the names of
DfE's children's social work workforce release; ``Leavers Headcount`` and ``Leavers FTE``), in any
case.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from rsw_eval.disclosure import RuleSet, row_rules

__all__ = ["fte_twin", "fte_of_small_headcounts"]

_HEADCOUNT = re.compile(r"head[\s_-]*count", re.IGNORECASE)


def fte_twin(name: str) -> str | None:
    """The FTE indicator of a headcount indicator's name (None where it names no headcount).

    Examples
    --------
    >>> fte_twin("agency_headcount"), fte_twin("Leavers Head count"), fte_twin("inpost_fte")
    ('agency_fte', 'Leavers fte', None)
    """
    found = _HEADCOUNT.search(name)
    if found is None:
        return None
    return name[: found.start()] + "fte" + name[found.end() :]


def fte_of_small_headcounts(raw: pd.DataFrame, rules: RuleSet) -> np.ndarray:
    """Rows of the unprotected panel ``raw`` that are the FTE (above 0) of a headcount from 1 to t
    of the same authority and year.

    Examples
    --------
    >>> from rsw_eval.disclosure import rule_set
    >>> p = pd.DataFrame({"la_code": "A", "year": [2024, 2024, 2025, 2025], "source": "f",
    ...     "indicator": ["agency_headcount", "agency_fte"] * 2, "value": [4.0, 4.0, 30.0, 27.5]})
    >>> fte_of_small_headcounts(p, rule_set(counts=["agency_headcount"])).tolist()
    [False, True, False, False]
    """
    values = pd.to_numeric(raw["value"], errors="coerce").to_numpy(float)
    names = raw["indicator"].astype(str)
    counts = names.isin(rules.counts).to_numpy()
    small = counts & (values >= 1) & (values <= row_rules(raw, rules).threshold)
    twins = {
        (code, int(year), fte_twin(name).casefold())
        for code, year, name in zip(raw["la_code"][small], raw["year"][small], names[small], strict=True)
        if fte_twin(name) is not None
    }
    if not twins:
        return np.zeros(len(raw), dtype=bool)
    keys = zip(raw["la_code"], raw["year"].astype(int), names.str.casefold(), strict=True)
    return np.array([k in twins for k in keys], dtype=bool) & (values > 0)
