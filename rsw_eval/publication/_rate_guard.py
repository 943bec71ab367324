"""The rate guard: an undeclared rate hidden wherever it could give a count back.

The rules are stated in :mod:`rsw_eval.publication._rates` (which says which columns are guarded)
and :mod:`rsw_eval.publication._rate_fit` (which denominators are plausible); this module applies
them to a protected panel: rule 1 (a named rate where a count of its authority-year is hidden),
rule 2 (value x a plausible denominator / a scale of :data:`~rsw_eval.publication._rate_fit.ANY_SCALE`
is from 1 to t), the hidden-count rule (value x any denominator / a scale is a hidden count of the
authority-year) and, under a rounding rule set, the rounding rule: value x a published denominator
of the authority-year / a scale within a rounded count's rounding interval widened by half the
rounding base (10 published for 8..12: 5 to 15 at base 5), where it would narrow the published
interval (11.5 says 11 or 12). A named rate no denominator of the panel explains is withheld
(``rules.withheld``: every value hidden).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from rsw_eval.disclosure import RuleSet, row_rules
from rsw_eval.publication._rate_fit import (
    ANY_SCALE,
    FITS,
    GROUP,
    denominators,
    explaining,
    fits,
    plausible,
    precision,
    whole_between,
)
from rsw_eval.publication._rates import is_population

__all__ = ["guard_rates"]

_KEYS = ["la_code", "year"]


def _cells(frame: pd.DataFrame, mask: np.ndarray) -> pd.DataFrame:
    return frame.loc[mask, [*_KEYS, "value"]].assign(year=lambda f: f["year"].astype(int))


def guard_rates(raw: pd.DataFrame, out: pd.DataFrame, rules: RuleSet) -> tuple[pd.DataFrame, int]:
    """``out`` (the protected panel; ``raw`` before protection, same rows) with every guarded rate
    (``rules.guarded``) hidden where it could give a count back (rules 1 and 2), every column
    guarded by its values (``rules.guarded_values``) where rule 2 says so, both where they give a
    hidden count back or narrow a rounded one, every withheld one (``rules.withheld``) everywhere;
    and how many values it hid. A negative value is read as its size (-0.6% is 0.6% of the
    denominator).

    Examples
    --------
    >>> from dataclasses import replace
    >>> from rsw_eval.disclosure import rule_set
    >>> raw = pd.DataFrame({"la_code": "A", "year": [2012, 2012, 2012, 2013, 2013, 2013],
    ...     "indicator": ["adoptions", "children_looked_after", "adopted_pct"] * 2,
    ...     "value": [2.0, 301, 0.7, 20, 300, 6.7], "flag": ""})
    >>> out = raw.assign(value=[np.nan, 301, 0.7, 20, 300, 6.7])
    >>> rules = replace(rule_set(counts=["adoptions"]), guarded=frozenset({"adopted_pct"}))
    >>> new, n = guard_rates(raw, out, rules)
    >>> new["value"].tolist(), n
    ([nan, 301.0, nan, 20.0, 300.0, 6.7], 1)
    >>> guard_rates(raw.drop(index=0), out.drop(index=0), rules)[0]["value"].tolist()  # 0.7% of 301 = 2
    [301.0, nan, 20.0, 300.0, 6.7]
    """
    if not (rules.guarded or rules.guarded_values or rules.withheld) or raw.empty:
        return out, 0
    names = raw["indicator"].astype(str)
    values = raw["value"].to_numpy(float)
    shown = ~np.isnan(out["value"].to_numpy(float))
    counts = names.isin(rules.counts).to_numpy()
    gone = counts & np.isfinite(values) & ~shown
    hidden_years = set(zip(raw.loc[gone, "la_code"], raw.loc[gone, "year"].astype(int), strict=True))
    rounded = np.zeros(len(raw), bool)
    if rules.name == "dfe":  # a count a release rounds is not published exactly: moved or not
        step = np.asarray(row_rules(raw, rules).round_to, float)
        rounded = counts & np.isfinite(values) & (step > 1) & shown
    hidden = _cells(raw, gone | rounded).rename(columns={"value": "count"})
    near = _cells(out, rounded).rename(columns={"value": "count"})
    if rounded.any():
        near = near.assign(step=step[rounded])
    parts = {n for n in set(names) if n in rules.counts or is_population(n)}
    bases = denominators(raw, parts)
    published = denominators(out, parts)
    hide = np.zeros(len(raw), bool)
    for name in sorted(rules.withheld):
        hide |= (names == name).to_numpy()
    for name in sorted(rules.guarded | rules.guarded_values):
        if name in rules.guarded:  # rule 1: any value (infinite too) where a count of its year is hidden
            rows = (names == name).to_numpy() & ~np.isnan(values) & shown
            here = _cells(raw, rows).assign(i=np.flatnonzero(rows))
            pairs = zip(here["la_code"], here["year"], strict=True)
            hide[here["i"].to_numpy()[[p in hidden_years for p in pairs]]] = True
        rows = (names == name).to_numpy() & np.isfinite(values) & shown
        if not rows.any():
            continue
        half = precision(np.abs(values[rows]))
        here = _cells(raw, rows).assign(i=np.flatnonzero(rows), value=lambda f: f["value"].abs())
        joined = here.merge(bases, on=_KEYS)
        sizes = _sizes(name, rules)
        hide[_gives_hidden(joined, hidden, half, sizes)] = True
        hide[_narrows(here.merge(published, on=_KEYS), near, half, sizes)] = True
        hide[joined["i"].to_numpy()[_small(joined, half, sizes, rules.threshold)]] = True
    hide &= shown
    if not hide.any():
        return out, 0
    out = out.copy()
    out.loc[out.index[hide], "value"] = np.nan
    out.loc[out.index[hide], "flag"] = "c"
    return out, int(hide.sum())


def _spans(v: np.ndarray, half: float, base: np.ndarray, sizes: list[float]):
    """Per scale, the counts value x denominator / scale may stand for, within the printed
    precision ``half``: ``(scale, low, high)``, the interval every rule below reads."""
    for scale in sizes:
        with np.errstate(all="ignore"):
            yield scale, (v - half) * base / scale, (v + half) * base / scale


def _small(joined: pd.DataFrame, half: float, sizes: list[float], t: int) -> np.ndarray:
    """Rule 2: per row of ``joined``, whether value x a denominator plausible there / a scale (or,
    over 100, the denominator less it) is, within the precision ``half``, a whole number from 1
    to ``t``. Every scale, whatever the name says: a reading at a smaller scale than the true one
    always fits (a rate per 1,000 read per 100 is ten times the count), so the name's reading
    cannot be trusted to stand."""
    v, base = joined["value"].to_numpy(float), joined["base"].to_numpy(float)
    small = np.zeros(len(joined), bool)
    fit = {scale: fits(v, half, base, scale) for scale in sizes}
    known = {scale: explaining(joined, v, half, base, scale, fit[scale]) for scale in sizes}
    explained = _explained(joined, known, fit)
    likely = {scale: plausible(joined, fit[scale]) for scale in sizes}
    with np.errstate(all="ignore"):  # fits where the precision could have said it does not
        telling = {scale: fit[scale] & (2 * half * base / scale < 1) for scale in sizes}
    # in a rate a denominator explains, a row no plausible one tellingly fits (computed over one of
    # its own: a council's latest year) is read against every one that tellingly fits it (q10disc Y5)
    fitted = np.logical_or.reduce([likely[s] & telling[s] for s in sizes])
    orphan = ~joined["i"].isin(joined.loc[fitted, "i"]).to_numpy() & any(known.values())
    for scale, low, high in _spans(v, half, base, sizes):
        hit = whole_between(np.maximum(low, 1), np.minimum(high, t))
        if scale == 100:  # the rest of the denominator
            hit |= whole_between(np.maximum(base - high, 1), np.minimum(base - low, t))
        # where the rate's own denominators explain the row: no other reading is plausible there
        hit &= joined["of"].isin(known[scale]).to_numpy() | ~explained
        small |= hit & (likely[scale] | (orphan & telling[scale]))
    return small


def _explained(joined: pd.DataFrame, known: dict, fit: dict) -> np.ndarray:
    """Per row of ``joined``, whether a denominator that explains the rate (``known``: per scale,
    :func:`~rsw_eval.publication._rate_fit.explaining`) explains its authority-year: it fits there
    (``fit``: per scale, :func:`~rsw_eval.publication._rate_fit.fits` of every row)
    and in :data:`~rsw_eval.publication._rate_fit.FITS` of that authority's years and of that year's
    authorities (where there are :data:`~rsw_eval.publication._rate_fit.GROUP` or more). A row
    computed over another denominator (the council's own rows, a year of a new definition) is read
    against every plausible one, as before (findings-q9disc X1).

    Examples
    --------
    >>> j = pd.DataFrame({"la_code": list("AAAABBBB"), "year": [1, 2, 3, 4] * 2, "of": "cla", "i": range(8)})
    >>> v, base = np.array([0.5, 0.25, 0.2, 0.1, 0.3, 0.7, 0.9, 0.1]), np.array([200.0, 400, 500, 1000] * 2)
    >>> _explained(j, {100: {"cla"}}, {100: fits(v, 0.005, base, 100)}).tolist()  # B's: over another
    [True, True, True, True, False, False, False, False]
    """
    rows = np.zeros(len(joined), bool)
    for scale, names in known.items():
        mine = joined["of"].isin(names).to_numpy()
        if not mine.any():
            continue
        frame = joined.loc[mine, ["la_code", "year", "of", "i"]].assign(fit=fit[scale][mine])
        ok = frame["fit"].to_numpy(bool).copy()
        for key in ("la_code", "year"):
            group = frame.groupby(["of", key])["fit"]
            share, size = group.transform("mean").to_numpy(), group.transform("size").to_numpy()
            ok &= (share >= FITS) | (size < GROUP)
        rows |= joined["i"].isin(frame.loc[ok, "i"]).to_numpy()
    return rows


def _sizes(name: str, rules: RuleSet) -> list[float]:
    """The scales a guarded column is tried at: every one of
    :data:`~rsw_eval.publication._rate_fit.ANY_SCALE` (a name's scale word is no proof: per 10,000
    computed per 1,000 is a common mislabel), and its declared one."""
    declared = {rate[3] for rate in rules.rates if rate[0] == name}
    return sorted(set(ANY_SCALE) | declared)


def _gives_hidden(joined: pd.DataFrame, hidden: pd.DataFrame, half: float, sizes: list[float]) -> np.ndarray:
    """The rows (``joined["i"]``) whose value x any count or population of its authority-year / a
    scale is, within the printed precision ``half``, a count of that authority-year that is hidden
    (by the small-count rule or as a secondary cell, so larger than t), or, over 100, its
    denominator less it: such a rate gives that count back. Every denominator, not only the
    plausible ones: a hidden cell is one value, and a coincidence costs one rate."""
    both = joined.merge(hidden, on=_KEYS)
    if both.empty:
        return np.zeros(0, int)
    v, base = both["value"].to_numpy(float), both["base"].to_numpy(float)
    count = np.abs(both["count"].to_numpy(float))
    hit = np.zeros(len(both), bool)
    for scale, low, high in _spans(v, half, base, sizes):
        hit |= (low - 1e-9 <= count) & (count <= high + 1e-9)
        if scale == 100:
            hit |= (low - 1e-9 <= base - count) & (base - count <= high + 1e-9)
    return both["i"].to_numpy()[hit]


def _narrows(joined: pd.DataFrame, near: pd.DataFrame, half: float, sizes: list[float]) -> np.ndarray:
    """The rows (``joined["i"]``; ``joined`` with the *published* denominators) whose value x a
    denominator of its authority-year / a scale (or, over 100, the denominator less it) lands
    within a rounded count's rounding interval widened by half the base: published 10 at base 5
    stands for 8..12, and 11.5 within 5..15 says 11 or 12. The interval is read from the published
    count alone, so which rates are hidden does not say which counts rounding moved."""
    both = joined.merge(near, on=_KEYS) if len(near) else joined.iloc[:0]
    if both.empty:
        return np.zeros(0, int)
    v, base = both["value"].to_numpy(float), both["base"].to_numpy(float)
    count, step = both["count"].to_numpy(float), both["step"].to_numpy(float)
    hit = np.zeros(len(both), bool)
    for scale, low, high in _spans(v, half, base, sizes):
        hit |= (high >= count - step) & (low <= count + step)
        if scale == 100:
            hit |= (base - low >= count - step) & (base - high <= count + step)
    return both["i"].to_numpy()[hit]
