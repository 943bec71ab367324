"""Secondary suppression on the administrative series, and which results rows a suppression hides.

A ``[derived]`` count that is a sum or difference of published counts
(``cp_first_plans = "cp_plans_started - cp_plans_repeat"``) is suppressed when it is from 1 to t,
but its inputs, published, give it back by the same subtraction. So for every such authority-year
one input is hidden too (secondary suppression): the input with the smallest value above t (the
least information lost; the rates of it go with it), unless an input is hidden already. A term that
is itself a ``[derived]`` count stands for its own inputs (it is their sum or difference: hiding it
alone would hide nothing). With one term unknown, the derived count's range given the published
terms is unbounded, wider than any t.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from rsw_eval.disclosure import RuleSet
from rsw_eval.inputs._derived import _compute
from rsw_eval.publication._forms import count_form, count_forms, counted, data_scale
from rsw_eval.publication._series_audit import printed_cells
from rsw_eval.spec._derived import parse_derived

__all__ = ["hidden_rows", "secondary"]


def secondary(raw: pd.DataFrame, rules: RuleSet, derived: list[dict] | tuple) -> np.ndarray:
    """The rows of ``raw`` (the unprotected panel) to hide so that no ``[derived]`` count from 1
    to t (or -t to -1) is the sum or difference of published counts: a derived count in any
    spelling, or the count a derived rate gives back (``(a - b) / a * 100`` gives ``a - b``:
    :func:`~rsw_eval.publication._forms.count_form`).

    Examples
    --------
    >>> from rsw_eval.disclosure import rule_set
    >>> p = pd.DataFrame({"la_code": "A", "year": 2014, "indicator": ["cp_plans_started",
    ...     "cp_plans_repeat"], "value": [40.0, 37.0], "flag": ""})
    >>> entry = {"indicator": "first", "expr": "cp_plans_started - cp_plans_repeat"}
    >>> secondary(p, rule_set(), [entry]).tolist()  # 37 is hidden: 40 - 37 = 3
    [False, True]
    >>> pct = "(cp_plans_started - cp_plans_repeat) / cp_plans_started * 100"
    >>> share = {"indicator": "first_pct", "expr": pct}
    >>> secondary(p, rule_set(), [share]).tolist()  # 7.5% of 40 is 3
    [False, True]
    """
    t = rules.threshold
    hide = np.zeros(len(raw), bool)
    values = raw["value"].to_numpy(float)
    small = raw["indicator"].isin(rules.counts).to_numpy() & (values >= 1) & (values <= t)
    keys = list(
        zip(raw["la_code"].astype(str), raw["year"].astype(int), raw["indicator"].astype(str), strict=True)
    )
    where = {key: i for i, key in enumerate(keys)}
    printed = printed_cells(raw)
    parsed = [
        parse_derived({e["indicator"]: {"expr": e["expr"], "lag": e.get("lag") or {}}})[0] for e in derived
    ]
    # every count each formula gives back, where it combines counts (a single count has its own rule)
    scale = {d.name: data_scale(raw, d.inputs) for d in parsed}
    read = {d.name: count_forms(d.tree, rules.counts, scale[d.name]) for d in parsed}
    sums = [(d.name, counted(d, f)) for d in parsed for f in read[d.name] if f.combined]
    # a formula of counts with no count form read (a term below float precision) may be a count
    # where its value is a whole number: one of its counts is hidden there as for a sum (q8disc)
    loose = [(d.name, d) for d in parsed if not read[d.name] and set(d.inputs) & set(rules.counts)]
    forms = {d.name: (d, count_form(d.tree, rules.counts, scale[d.name])) for d in parsed}
    exact = {name: counted(d, form) for name, (d, form) in forms.items() if form is not None and form.exact}

    def leaves(name: str, lag: int, d=None) -> list[tuple[str, int]]:
        # a term that is itself a [derived] count is its inputs: hiding it alone hides nothing
        if d is None and name not in exact:
            return [(name, lag)]
        d = d or exact[name]
        return [leaf for n in d.inputs for leaf in leaves(n, lag + d.lag.get(n, 0))]

    tagged = [*((name, d, False) for name, d in sums), *((name, d, True) for name, d in loose)]
    for name, d, formless in tagged:
        rows = _compute(raw[raw["indicator"] != name], d)
        for code, year, value in zip(rows["la_code"], rows["year"].astype(int), rows["value"], strict=True):
            if formless and not _whole(value):
                continue
            if not 1 <= abs(round(value) if formless else value) <= t:
                continue
            leaf = leaves(name, 0, d)
            if formless:  # its counts only (a population in it is no term of a count)
                leaf = [(n, lag) for n, lag in leaf if n in rules.counts or n in exact]
            terms = [where.get((code, year - lag, n)) for n, lag in leaf]
            terms = [i for i in terms if i is not None]
            if not terms or any(small[i] or hide[i] for i in terms):
                continue
            shown = [i for i in terms if values[i] > t] or terms
            # the smallest, but never a value the run prints anyway (a registry figure: G8)
            hide[min(shown, key=lambda i: (keys[i] in printed, values[i], keys[i][2]))] = True
    return hide


def _whole(value: float) -> bool:
    """Whether ``value`` is a whole number within float noise (``2.0000000000000004`` is).

    Examples
    --------
    >>> [_whole(v) for v in (2.0000000000000004, 2.5, float("nan"))]
    [True, False, False]
    """
    return bool(np.isfinite(value)) and abs(value - round(value)) <= 1e-9 * max(1.0, abs(value))


_CODE = re.compile(r"\((E\d{8}|[A-Z]\d{8})\)")
_YEARS = re.compile(r"(\d{4})(?:-(\d{4}))?")


def _years(period: str) -> set[int]:
    out: set[int] = set()
    for first, last in _YEARS.findall(str(period)):
        out |= set(range(int(first), int(last or first) + 1))
    return out


def hidden_rows(table: pd.DataFrame, panel: pd.DataFrame | None) -> pd.Series:
    """Results rows whose treated authority's value is missing because the protected ``panel``
    suppressed its outcome (flag ``c``) in a year of the row's ``period``: they say
    ``suppressed=True`` (a row with NaN that says ``suppressed False`` reads as missing data).

    Examples
    --------
    >>> t = pd.DataFrame({"family": "admin", "outcome": "x", "treatment": "Hackney (E09000012)",
    ...     "period": ["2006->2014", "2006->2013"], "value_treatment": [np.nan, np.nan]})
    >>> p = pd.DataFrame({"la_code": "E09000012", "year": [2014], "indicator": "x", "flag": "c"})
    >>> hidden_rows(t, p).tolist()
    [True, False]
    """
    out = pd.Series(False, index=table.index)
    if panel is None or not len(panel) or "flag" not in panel or not len(table):
        return out
    c = panel[panel["flag"].astype(str) == "c"]
    cells = set(zip(c["la_code"].astype(str), c["year"].astype(int), c["indicator"].astype(str), strict=True))
    if not cells:
        return out
    missing = table["value_treatment"].isna() & table["family"].eq("admin")
    for i in table.index[missing]:
        code = _CODE.search(str(table.at[i, "treatment"]))
        if code and any(
            (code.group(1), y, table.at[i, "outcome"]) in cells for y in _years(table.at[i, "period"])
        ):
            out[i] = True
    return out
