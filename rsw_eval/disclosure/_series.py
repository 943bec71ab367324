"""Disclosure control of an administrative series (authority x year x indicator), before any
design sees it: small counts suppressed, the rates and percentages computed from them with them, and
under the DfE rules sub-national counts rounded with every rate rescaled to the rounded count (so
that no published rate times its population gives the unrounded count back)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from rsw_eval.disclosure._releases import from_release, row_rules
from rsw_eval.disclosure._suppress import RATES, RuleSet, rule_set

__all__ = ["RATES", "protect_series"]


def dfe_round(value: np.ndarray, base: np.ndarray) -> np.ndarray:
    """To the nearest multiple of ``base``, halves up (125 -> 130 to the nearest 10), as DfE rounds.

    Examples
    --------
    >>> dfe_round(np.array([125.0, 218.0, 3.0]), np.array([10.0, 5.0, 1.0])).tolist()
    [130.0, 220.0, 3.0]
    """
    return base * np.floor(value / base + 0.5)


def protect_series(
    series: pd.DataFrame,
    threshold: int = 5,
    rules: RuleSet | None = None,
    rates: dict | None = None,
    hide: np.ndarray | None = None,
) -> pd.DataFrame:
    """Suppress small counts and the rates computed from them; round under the DfE rules.

    1. A count (``rules.counts``: :data:`COUNT_OUTCOMES` and the counts a spec declared) from 1 to
       t is suppressed: value NaN, flag ``c``.
    2. A rate or percentage (``rates``, default :data:`RATES`) follows its count: suppressed with
       it; where the series holds no count, suppressed when value x denominator / scale (or, for a
       percentage, the denominator less it) is from 1 to t; where it holds neither the count nor
       the denominator, suppressed unless 0, a figure of a DfE release
       (:func:`~rsw_eval.disclosure._releases.from_release`) or declared ``not_counts``
       (``rules.unprotected``): nothing can check it, and x the denominator published elsewhere it
       gives its count back (findings-q12disc Q1, Q2).
    3. DfE rules: each row under the rule of the release it came from where the registry knows it
       (:func:`~rsw_eval.disclosure._releases.row_rules`: ``source``, ``year``, level of
       ``la_code``), else sub-national counts from ``round_from`` rounded to the nearest
       ``round_to``; each rate of a rounded count is recomputed from the rounded count (value x
       rounded / unrounded), so that derived values are computed from rounded counts only.

    ``hide``: further rows to suppress as if they were small counts (secondary suppression,
    :func:`rsw_eval.publication._secondary.secondary`); their rates go with them.

    Returns a copy with a ``suppressed`` column (True where this function suppressed the value).

    Examples
    --------
    >>> s = pd.DataFrame({"la_code": "A", "year": 2013, "indicator": ["children_looked_after",
    ...     "population_0_17", "cla_rate_per_10k"], "value": [4.0, 20000.0, 2.0]})
    >>> protect_series(s)[["indicator", "value", "suppressed"]]
                   indicator    value  suppressed
    0  children_looked_after      NaN        True
    1        population_0_17  20000.0       False
    2       cla_rate_per_10k      NaN        True
    >>> s["value"] = [123.0, 20000.0, 61.5]
    >>> protect_series(s, rules=rule_set("dfe"))["value"].tolist()  # 125 / 20,000 x 10,000
    [125.0, 20000.0, 62.5]
    """
    rules = rules or rule_set("default", threshold)
    rates = RATES if rates is None else rates
    s = series.reset_index(drop=True)
    s["suppressed"] = False
    if s.empty:
        return s.set_axis(series.index)
    if "flag" not in s:
        s["flag"] = ""
    raw = s["value"].astype(float)
    value = raw.copy()
    counts = s["indicator"].isin(rules.counts)
    rule = row_rules(s, rules)
    t = rule.threshold
    small = counts & (raw >= 1) & (raw <= t)
    if hide is not None:
        small |= pd.Series(np.asarray(hide, bool), index=s.index)
    value[small] = np.nan
    base = rule.base(raw.to_numpy())
    rounded = (counts & ~small & raw.notna()).to_numpy() & (base > 1)
    value[rounded] = dfe_round(raw[rounded].to_numpy(), base[rounded])
    # a count rounded into the suppressed range (6 -> 5 where 1-5 are suppressed) goes too
    into = rounded & (value.to_numpy() >= 1) & (value.to_numpy() <= t)
    value[into] = np.nan
    small |= pd.Series(into, index=s.index)
    hidden = small.copy()
    released = from_release(s, rules.counts)
    frame = s[["la_code", "year", "indicator"]].assign(
        year=s["year"].astype(int), raw=raw, new=value, rnd=rounded
    )
    frame = frame.drop_duplicates(["la_code", "year", "indicator"])
    for rate, (count, denominator, scale) in rates.items():
        rows = s.index[(s["indicator"] == rate) & raw.notna()]
        if not len(rows):
            continue
        here = s.loc[rows, ["la_code"]].assign(year=s.loc[rows, "year"].astype(int), i=rows)
        num = frame[frame["indicator"] == count][["la_code", "year", "raw", "new", "rnd"]]
        den = frame[frame["indicator"] == denominator][["la_code", "year", "raw", "new"]].rename(
            columns={"raw": "den", "new": "den_new"}
        )
        here = here.merge(num, on=["la_code", "year"], how="left").merge(
            den, on=["la_code", "year"], how="left"
        )
        idx = here["i"].to_numpy()
        has = here["raw"].notna().to_numpy()
        old, new = here["raw"].to_numpy(float), here["new"].to_numpy(float)
        hidden[idx[has & np.isnan(new)]] = True
        moved = has & ~np.isnan(new) & (old != new) & (old > 0)
        value[idx[moved]] = raw[idx[moved]].to_numpy() * new[moved] / old[moved]
        denominators = here["den"].to_numpy(float)
        published = here["den_new"].to_numpy(float)  # the denominator as published (rounded)
        # a hidden denominator (suppressed, or a secondary cell) is its published numerator / rate
        hidden[idx[~np.isnan(denominators) & np.isnan(published)]] = True
        # a rate of a rounded count: from the published count and denominator every time (a rate
        # left as the file's own where rounding did not move the count says the count is exact)
        again = has & here["rnd"].fillna(False).to_numpy(bool) & ~np.isnan(new) & (published > 0)
        value[idx[again]] = new[again] / published[again] * scale
        implied = raw[idx].to_numpy() * denominators / scale
        whole = np.round(implied)
        small_parts = (whole >= 1) & (whole <= t[idx])
        if scale == 100:
            rest = np.round(denominators - implied)
            small_parts |= (rest >= 1) & (rest <= t[idx])
        hidden[idx[~has & small_parts]] = True
        if rate not in rules.unprotected:
            alone = ~has & np.isnan(denominators) & (raw[idx].to_numpy() != 0) & ~released[idx]
            hidden[idx[alone]] = True
        steps = rule.base(implied, idx)
        later = (steps > 1) & ~has & ~small_parts & np.isfinite(implied) & (denominators > 0)
        hidden[idx[later & ~(published > 0)]] = True  # its published denominator is hidden
        later &= published > 0
        # the implied count rounded, over the denominator as published: never the unrounded one
        value[idx[later]] = dfe_round(implied[later], steps[later]) / published[later] * scale
    value[hidden] = np.nan
    s["value"] = value
    s.loc[hidden, "flag"] = "c"
    s["suppressed"] = hidden
    return s.set_axis(series.index)
