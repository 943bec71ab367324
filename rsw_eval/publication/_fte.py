"""Full-time equivalents beside a hidden headcount (findings-q21att F2, q22att F5).

Nobody works more than full time, so a group's FTE is at most its headcount: a published agency FTE
of 4.0 beside an agency headcount shown as ``c`` (from 1 to 5) says the headcount is 4 or 5; so does
a part of it (agency workers covering vacancies: ``agency_cover_fte`` <= ``agency_fte``). Every FTE
of the group of a headcount from 1 to t goes with it, in the same authority-year: the indicators
whose names begin as the headcount's does before ``headcount`` and say ``fte``
(``agency_headcount``: ``agency_fte``, ``agency_cover_fte``, the names of DfE's children's social
work workforce release; ``Leavers Headcount``: ``Leavers FTE``), in any case; and every FTE that is
at most a count in the authority-years where both are given (at least three; all but one in ten),
whatever their names (att7 D: ``agency_workers`` and ``agency_fte``). An FTE is a name that says
``fte`` as a word, in any case, or in camelCase (``AgencyFTE``); one named otherwise is not found.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from rsw_eval.disclosure import RuleSet, row_rules

__all__ = ["fte_of_small_headcounts", "group_of"]

_HEADCOUNT = re.compile(r"head[\s_-]*count", re.IGNORECASE)
_FTE = re.compile(r"(?:^|[\s_-])fte(?:$|[\s_-])", re.IGNORECASE)
_CAMEL_FTE = re.compile(r"(?<=[a-z])(?:FTE|Fte)(?:$|[^a-z])")
#: Authority-years a count and an FTE must both be given in before one is taken to bound the other,
#: and the share of them the FTE must be at most the count in (DfE's own CSWW has an FTE above its
#: headcount in 8 authority-years: 13.4 beside 13).
FEWEST_ROWS, MOST_ABOVE = 3, 0.1


def is_fte(name: str) -> bool:
    """Whether an indicator's name says it is a full-time equivalent.

    Examples
    --------
    >>> [is_fte(n) for n in ("agency_fte", "AgencyFTE", "Leavers FTE", "often", "softer_fte_x")]
    [True, True, True, False, True]
    """
    return bool(_FTE.search(name) or _CAMEL_FTE.search(name))


def _bounded(raw: pd.DataFrame, names: pd.Series, counts: np.ndarray, fte: np.ndarray) -> dict[str, set[str]]:
    """FTE indicator -> the count indicators it is at most in the authority-years where both are
    given (at least :data:`FEWEST_ROWS`; in all but :data:`MOST_ABOVE` of them)."""
    rows = raw[counts | fte].assign(indicator=names[counts | fte])
    wide = rows.pivot_table(index=["la_code", "year"], columns="indicator", values="value", aggfunc="first")
    out: dict[str, set[str]] = {}
    for f in sorted(set(names[fte]) & set(wide.columns)):
        for h in sorted(set(names[counts]) & set(wide.columns) - {f}):
            both = wide[[f, h]].dropna()
            if len(both) >= FEWEST_ROWS and (both[f] > both[h] + 1e-9).mean() <= MOST_ABOVE:
                out.setdefault(f, set()).add(h)
    return out


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
    threshold = row_rules(raw, rules).threshold
    small = counts & (values >= 1) & (values <= threshold)
    out = np.zeros(len(raw), dtype=bool)
    if not small.any():
        return out
    groups: dict[tuple, set[str]] = {}
    small_at: dict[tuple, set[str]] = {}
    for code, year, name in zip(raw["la_code"][small], raw["year"][small], names[small], strict=True):
        small_at.setdefault((code, int(year)), set()).add(name)
        if group_of(name) is not None:
            groups.setdefault((code, int(year)), set()).add(group_of(name))
    fte = names.map(is_fte).to_numpy(dtype=bool)
    bounded = _bounded(raw, names, counts, fte)
    # an FTE above t says nothing of a count from 1 to t it would be at most
    for k in np.flatnonzero(fte & (values > 0) & (values <= threshold)):
        key, name = (raw["la_code"].iat[k], int(raw["year"].iat[k])), names.iat[k]
        prefixes = groups.get(key, ())
        out[k] = any(name.casefold().startswith(p) for p in prefixes) or bool(
            bounded.get(name, set()) & small_at.get(key, set())
        )
    return out
