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

from rsw_eval.disclosure import RuleSet, dfe_round, from_release, row_rules
from rsw_eval.publication._rate_fit import (
    ANY_SCALE,
    FITS,
    GROUP,
    denominators,
    explaining,
    fits,
    plausible,
    precision,
    row_precision,
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
    denominator). Under a rule set that rounds counts, a rate over a rounded denominator that
    explains it is recomputed from the rounded counts (:func:`_recompute`).

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
    step = np.ones(len(raw))
    limit = np.full(len(raw), rules.threshold)  # the small counts of each row's rule (rule 2)
    if rules.name == "dfe":  # a count a release rounds is not published exactly: moved or not
        each = row_rules(raw, rules)
        step, limit = np.asarray(each.round_to, float), np.asarray(each.threshold)
        rounded = counts & np.isfinite(values) & (step > 1) & shown
    hidden = _cells(raw, gone | rounded).rename(columns={"value": "count"})
    near = _cells(out, rounded).rename(columns={"value": "count"})
    if rounded.any():
        near = near.assign(step=step[rounded])
    parts = {n for n in set(names) if n in rules.counts or is_population(n)}
    bases = denominators(raw, parts)
    published = denominators(out, parts)
    hide = np.zeros(len(raw), bool)
    again = np.full(len(raw), np.nan)  # rates recomputed from rounded counts
    released = from_release(
        raw, rules.counts
    )  # DfE's figures as DfE published them, whatever their column's name
    for name in sorted(rules.withheld):
        hide |= (names == name).to_numpy()
    for name in sorted(rules.guarded | rules.guarded_values):
        if name in rules.guarded:  # rule 1: any value (infinite too) where a count of its year is hidden
            rows = (names == name).to_numpy() & ~np.isnan(values) & shown
            here = _cells(raw, rows).assign(i=np.flatnonzero(rows))
            pairs = zip(here["la_code"], here["year"], strict=True)
            hide[here["i"].to_numpy()[[p in hidden_years for p in pairs]]] = True
        rows = (names == name).to_numpy() & np.isfinite(values)  # every row: what explains a column
        # does not change with what an earlier pass hid (a second pass read DfE's rate per 10,000 of
        # 100 as 100% of children looked after: q14 O1); only shown rows are hidden, below
        if not rows.any():
            continue
        here = _cells(raw, rows).assign(i=np.flatnonzero(rows), sign=np.sign(values[rows]))
        here["own_step"] = step[rows]  # how the rules round a count of the rate's row
        here["value"] = here["value"].abs()
        here["dfe"] = released[rows]
        sizes = _sizes(name, rules)
        # each value at its own printed precision where that is coarser (Z6); DfE's at DfE's precision
        here["half"] = precision(here["value"].to_numpy(float))
        if not here["dfe"].all():
            here["half"] = np.where(here["dfe"], here["half"], _read_at(here, bases, sizes))
        joined = here.merge(bases, on=_KEYS)
        hide[_gives_hidden(joined, hidden, sizes)] = True
        hide[_narrows(here.merge(published, on=_KEYS), near, sizes)] = True
        small, known = _small(joined, sizes, limit[joined["i"].to_numpy()])
        hide[joined["i"].to_numpy()[small]] = True
        # a row of a rate some denominator explains, where none of those has a value (the council's
        # latest year, which DfE's file lacks): nothing checks it, and x the denominator published
        # later it gives its count back (findings-q11disc Z1); DfE's own rows are as DfE published
        # them, a council's own under DfE's names are not (q12disc Q2b)
        explainers = set().union(*known.values())
        if explainers:  # a rate of 0 gives 0 back, whatever the denominator
            checked = joined.loc[joined["of"].isin(explainers), "i"]
            alone = ~here["i"].isin(checked) & (here["value"] > 0) & ~here["dfe"]
            hide[here.loc[alone, "i"].to_numpy()] = True
        if (step[rows] > 1).any():
            _recompute(joined[joined["own_step"].to_numpy() > 1], published, known, again, hide)
    hide &= shown
    moved = ~np.isnan(again) & ~hide & shown
    if not (hide.any() or moved.any()):
        return out, 0
    out = out.copy()
    out.loc[out.index[moved], "value"] = again[moved]
    out.loc[out.index[hide], "value"] = np.nan
    out.loc[out.index[hide], "flag"] = "c"
    return out, int(hide.sum())


def _read_at(here: pd.DataFrame, bases: pd.DataFrame, sizes: list[float]) -> np.ndarray:
    """Per row of ``here`` (a rate's values), the precision it is read at: the column's
    (:func:`~rsw_eval.publication._rate_fit.precision`) where a denominator that explains the
    column (:func:`~rsw_eval.publication._rate_fit.explaining`; where none does, a plausible one)
    fits it there, telling (its window below a whole unit); else its own printed precision where
    that is coarser (:func:`~rsw_eval.publication._rate_fit.row_precision`). A value of 1 in a column of
    2 dp, keyed to 0 dp for 1 of 99 (1.01%), fits nothing at 1.00 +- 0.005, which tells an
    attacker it was keyed coarser, and at 0 dp it gives 1 back (findings-q11disc Z6). A value of
    DfE's 1 dp column that is whole (12.0) fits its denominator at 1 dp and is read so. A 0 in a
    column keyed coarser in places is read at the coarsest of those rows' precisions: 0 fits
    every denominator at 0.00, yet keyed to 0 dp it stands for up to 0.5% (findings-q12disc Q3).

    Examples
    --------
    >>> here = pd.DataFrame({"la_code": list("ABCDE"), "year": 2012, "i": range(5),
    ...                      "value": [1.01, 2.02, 1.0, 3.03, 1.98]})
    >>> bases = pd.DataFrame({"la_code": list("ABCDE"), "year": 2012, "of": "starts",
    ...                       "base": [99.0, 99, 99, 99, 101]})
    >>> _read_at(here, bases, [100]).tolist()
    [0.005, 0.005, 0.5, 0.005, 0.005]
    >>> _read_at(here.assign(value=[1.01, 0.0, 1.0, 3.03, 1.98]), bases, [100]).tolist()
    [0.005, 0.5, 0.5, 0.005, 0.005]
    """
    v = here["value"].to_numpy(float)
    fine = precision(v)
    joined = here.assign(half=fine).merge(bases, on=_KEYS)
    jv, base = joined["value"].to_numpy(float), joined["base"].to_numpy(float)
    fit = {scale: fits(jv, fine, base, scale) for scale in sizes}
    known = {scale: explaining(joined, jv, fine, base, scale, fit[scale]) for scale in sizes}
    fitted = np.zeros(len(joined), bool)
    explained = any(known.values())
    for scale in sizes:
        by = joined["of"].isin(known[scale]).to_numpy() if explained else plausible(joined, fit[scale])
        with np.errstate(all="ignore"):
            fitted |= by & fit[scale] & (2 * fine * base / scale < 1)
    read_fine = here["i"].isin(joined.loc[fitted, "i"]).to_numpy()
    half = np.where(read_fine, fine, row_precision(v))
    # a column keyed coarser in places: a 0 there may be a count the coarser keying rounded away,
    # though 0 fits every denominator at the column's precision (findings-q12disc Q3: 0 for 1 of 238)
    coarse = np.where((half > fine) & (v != 0), half, 0.0)
    if coarse.any():  # the authority's own keying: another's zeros say nothing of it (q13disc R5)
        worst = pd.Series(coarse).groupby(here["la_code"].to_numpy()).transform("max").to_numpy()
        zero = (v == 0) & (worst > 0)
        half[zero] = np.maximum(half[zero], worst[zero])
    return half


def _recompute(over: pd.DataFrame, published: pd.DataFrame, known: dict, again: np.ndarray, hide: np.ndarray):
    """Under a rule set that rounds counts, a rate's rows whose counts it rounds (``over``: rows of
    the rate's ``joined`` with their rounding ``own_step``), over a denominator that explains it:
    recomputed into ``again`` from the count it implies, rounded, over the denominator as published
    (rounded where it is a count), as a declared rate is. A council's 16.1% beside its own 220 for
    218 gave 218 back, only 35 / 218 printing 16.1 (findings-q11disc Z2), and 3.37 per 10,000 of
    an ONS population of 50,467 gave its unrounded 17 (q12disc Q4). ``hide`` where the denominator
    is not published. A row that fits no explaining denominator is left to the rules above."""
    if over.empty:
        return
    shown = published.rename(columns={"base": "shown"})
    over = over.merge(shown, on=[*_KEYS, "of"], how="left")
    v, half, base = (over[c].to_numpy(float) for c in ("value", "half", "base"))
    done = np.zeros(len(over), bool)
    # the largest scale first: at a smaller one a rate always fits (per 10,000 read per 1,000 is ten
    # times the count), and the count that reading rounds is not the one the rules round
    for scale, names in sorted(known.items(), reverse=True):
        mine = over["of"].isin(names).to_numpy() & fits(v, half, base, scale) & ~done
        if not mine.any():
            continue
        done |= mine
        i = over["i"].to_numpy()[mine]
        step, pub = over["own_step"].to_numpy(float)[mine], over["shown"].to_numpy(float)[mine]
        count = dfe_round(np.round(v[mine] * base[mine] / scale), step)
        with np.errstate(all="ignore"):
            again[i] = over["sign"].to_numpy(float)[mine] * count / pub * scale
        hide[i[~(pub > 0)]] = True


def _spans(frame: pd.DataFrame, sizes: list[float]):
    """Per scale, the counts value x denominator / scale may stand for, within each value's printed
    precision (``frame``'s ``value``, ``half`` and ``base``): ``(scale, low, high)``, the interval
    every rule below reads."""
    v, half, base = (frame[c].to_numpy(float) for c in ("value", "half", "base"))
    for scale in sizes:
        with np.errstate(all="ignore"):
            yield scale, (v - half) * base / scale, (v + half) * base / scale


def _small(joined: pd.DataFrame, sizes: list[float], t: np.ndarray) -> tuple[np.ndarray, dict]:
    """Rule 2: per row of ``joined``, whether value x a denominator plausible there / a scale (or,
    over 100, the denominator less it) is, within the value's precision ``half``, a whole number from 1
    to ``t`` (per row: a row of DfE's release under ``"dfe"`` takes its release's limit, which
    published DfE's City of London count of 7 beside its rate of 76 per 10,000: q14 O1). Every
    scale, whatever the name says: a reading at a smaller scale than the true one always fits (a
    rate per 1,000 read per 100 is ten times the count), so the name's reading
    cannot be trusted to stand. Also returns, per scale, the denominators that explain the rate
    (:func:`~rsw_eval.publication._rate_fit.explaining`)."""
    v, half, base = (joined[c].to_numpy(float) for c in ("value", "half", "base"))
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
    for scale, low, high in _spans(joined, sizes):
        hit = whole_between(np.maximum(low, 1), np.minimum(high, t))
        if scale == 100:  # the rest of the denominator
            hit |= whole_between(np.maximum(base - high, 1), np.minimum(base - low, t))
        # where the rate's own denominators explain the row: no other reading is plausible there
        hit &= joined["of"].isin(known[scale]).to_numpy() | ~explained
        small |= hit & (likely[scale] | (orphan & telling[scale]))
    return small, known


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


def _gives_hidden(joined: pd.DataFrame, hidden: pd.DataFrame, sizes: list[float]) -> np.ndarray:
    """The rows (``joined["i"]``) whose value x any count or population of its authority-year / a
    scale is, within its printed precision ``half``, a count of that authority-year that is hidden
    (by the small-count rule or as a secondary cell, so larger than t), or, over 100, its
    denominator less it: such a rate gives that count back. Every denominator, not only the
    plausible ones: a hidden cell is one value, and a coincidence costs one rate."""
    both = joined.merge(hidden, on=_KEYS)
    if both.empty:
        return np.zeros(0, int)
    base = both["base"].to_numpy(float)
    count = np.abs(both["count"].to_numpy(float))
    hit = np.zeros(len(both), bool)
    for scale, low, high in _spans(both, sizes):
        hit |= (low - 1e-9 <= count) & (count <= high + 1e-9)
        if scale == 100:
            hit |= (low - 1e-9 <= base - count) & (base - count <= high + 1e-9)
    return both["i"].to_numpy()[hit]


def _narrows(joined: pd.DataFrame, near: pd.DataFrame, sizes: list[float]) -> np.ndarray:
    """The rows (``joined["i"]``; ``joined`` with the *published* denominators) whose value x a
    denominator of its authority-year / a scale (or, over 100, the denominator less it) lands
    within a rounded count's rounding interval widened by half the base: published 10 at base 5
    stands for 8..12, and 11.5 within 5..15 says 11 or 12. The interval is read from the published
    count alone, so which rates are hidden does not say which counts rounding moved."""
    both = joined.merge(near, on=_KEYS) if len(near) else joined.iloc[:0]
    if both.empty:
        return np.zeros(0, int)
    base = both["base"].to_numpy(float)
    count, step = both["count"].to_numpy(float), both["step"].to_numpy(float)
    hit = np.zeros(len(both), bool)
    for scale, low, high in _spans(both, sizes):
        hit |= (high >= count - step) & (low <= count + step)
        if scale == 100:
            hit |= (base - low >= count - step) & (base - high <= count + step)
    return both["i"].to_numpy()[hit]
