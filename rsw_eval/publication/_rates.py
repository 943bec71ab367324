"""A panel's own rates and percentages: declared ones follow their count and denominator; an
undeclared one is hidden wherever it could give a hidden or small count back.

A council keeps ``adopted_pct`` (adoptions / children looked after x 100, 1 dp) or
``adoption_rate_per_10k`` beside its counts. Published beside a suppressed count, such a column
gives the count back: 0.7% x 301 children looked after = 2.1 -> 2 adoptions. rsw-eval's own rates
are listed with their count (:data:`rsw_eval.disclosure.RATES`); a spec declares its own with
``rates = {adopted_pct = ["adoptions", "children_looked_after", 100]}`` and they take the same
rules: hidden with their numerator when it is suppressed, with their denominator when it is hidden,
and (numerator ``""``: not in the panel) when value x denominator / scale, or for a percentage the
denominator less it, is from 1 to t.

An indicator whose name says it is a rate, percentage, share or proportion (a whole word of it:
``pct``, ``percent``, ``rate``, ``per_10k`` ...) that neither rsw-eval nor the spec declares, nor the
DfE dashboard's vocabulary knows, is *guarded*: rsw-eval cannot know its count, so, as
tau-Argus protects a table whose relations it cannot state by suppressing the cells that could
carry a sensitive contribution, it is hidden in an authority-year

1. where any count of the same authority-year is hidden (by the small-count rule, or as a
   secondary cell): it may be that count's rate, and value x its published denominator would give
   the count back; and
2. where value x a plausible denominator of the same authority-year (or of the year before, the
   DfE rates' population year), over the scale its name says (100 for a percentage, 1,000 or
   10,000 for a rate per 1,000 or 10,000, every one of 1, 100, 1,000, 10,000 and 100,000 for a
   plain "rate" or "share"), is within the column's printed precision of a whole number from 1 to
   t (for a percentage: or the denominator less that number is). A count or population column is
   a plausible denominator when value x it / scale is within that precision of a whole number in
   at least 90% of the authority-years (:data:`FITS`): so does the true denominator, in every
   year, and so does any column where the precision is too coarse to tell; an unrelated count
   (a percentage of 1 dp times a count of 30) rarely does, and is not used.

It is said on stderr and in the provenance (``rates_guarded``); declaring it in ``rates`` (or, if it
is no rate of a count, in ``not_counts``) replaces the rule by the exact one.
"""

from __future__ import annotations

import re
from dataclasses import replace

import numpy as np
import pandas as pd

from rsw_eval._errors import SpecError
from rsw_eval.disclosure import RATES, RuleSet
from rsw_eval.inputs._derived import _half_unit

__all__ = ["RATE_NAME", "declared_rates", "guard_rates", "scales"]

#: Names of rates, percentages and shares: matched on whole words (split at ``_``).
RATE_NAME = re.compile(
    r"(?:^|_)(?:pct|percent|percentage|rates?|share|proportion|ratio|per_\d+k?|per_\d+_\d+)(?:_|$)"
)
_POPULATION = re.compile(r"(?:^|_)(?:population|pop)(?:_|$)")
_PER = re.compile(r"(?:^|_)per_(\d+)(k?)(?:_(\d+))?(?:_|$)")
ANY_SCALE = (1, 100, 1_000, 10_000, 100_000)
#: A count or population is a plausible denominator of a guarded rate (at a scale) when value x it /
#: scale is, within the rate's printed precision, a whole number in at least this share of the
#: authority-years (the true denominator gives one in every year; an unrelated column, only as
#: often as the precision is coarse).
FITS = 0.9


def scales(name: str) -> tuple[int, ...]:
    """The scales a rate's name allows: a percentage 100, ``per_10k`` 10,000, else every one.

    Examples
    --------
    >>> [scales(n) for n in ("adopted_pct", "adoption_rate_per_10k", "rate_per_10_000", "uasc_share")]
    [(100,), (10000,), (10000,), (1, 100, 1000, 10000, 100000)]
    """
    name = name.lower()
    per = _PER.search(name)
    if per:
        number = int(per.group(1) + (per.group(3) or ""))
        return (number * (1000 if per.group(2) else 1),)
    if re.search(r"(?:^|_)(?:pct|percent|percentage)(?:_|$)", name):
        return (100,)
    return ANY_SCALE


def declared_rates(spec, names: set[str], rules: RuleSet, skip: set[str]) -> tuple[RuleSet, dict]:
    """``rules`` with the spec's ``rates`` and the guarded indicators of the panel (``names``: its
    indicators; ``skip``: those whose unit is known, or declared no count).

    Raises :class:`~rsw_eval.SpecError` for a declared rate, numerator or denominator that is no
    indicator of the panel nor a ``[derived]`` name.

    Examples
    --------
    >>> from rsw_eval.disclosure import rule_set
    >>> from rsw_eval.spec import EvaluationSpec
    >>> spec = EvaluationSpec(rates={"adopted_pct": ["adoptions", "cla", 100]}, data={"admin": ["p.csv"]})
    >>> names = {"adopted_pct", "adoptions", "cla", "uasc_rate"}
    >>> rules, said = declared_rates(spec, names, rule_set(), set())
    >>> rules.rates, said["rates_declared"], said["rates_guarded"]
    ((('adopted_pct', 'adoptions', 'cla', 100.0),), ['adopted_pct'], ['uasc_rate'])
    """
    declared = []
    for name, (numerator, denominator, scale) in spec.rates.items():
        for what, value in (("", name), (".numerator", numerator), (".denominator", denominator)):
            if value and value not in names:
                raise SpecError(
                    f"rates.{name}{what}: {value!r} is not an indicator of the panel nor a [derived] name"
                )
        declared.append((str(name), numerator or None, denominator, float(scale)))
    known = skip | set(RATES) | set(spec.rates) | set(rules.counts)
    guarded = sorted(n for n in names if n not in known and RATE_NAME.search(n.lower()))
    said = {"rates_declared": sorted(spec.rates), "rates_guarded": guarded}
    return replace(rules, rates=tuple(declared), guarded=frozenset(guarded)), said


def _cells(frame: pd.DataFrame, mask: np.ndarray) -> pd.DataFrame:
    return frame.loc[mask, ["la_code", "year", "value"]].assign(year=lambda f: f["year"].astype(int))


def guard_rates(raw: pd.DataFrame, out: pd.DataFrame, rules: RuleSet) -> tuple[pd.DataFrame, int]:
    """``out`` (the protected panel; ``raw`` before protection, same rows) with every guarded rate
    (``rules.guarded``) hidden where it could give a count back (rules 1 and 2 above); and how many
    values it hid.

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
    if not rules.guarded or raw.empty:
        return out, 0
    t = rules.threshold
    names = raw["indicator"].astype(str)
    values = raw["value"].to_numpy(float)
    counts = names.isin(rules.counts).to_numpy()
    gone = counts & np.isfinite(values) & np.isnan(out["value"].to_numpy(float))
    hidden_years = set(zip(raw.loc[gone, "la_code"], raw.loc[gone, "year"].astype(int), strict=True))
    parts = counts | names.map(lambda n: bool(_POPULATION.search(n.lower()))).to_numpy()
    parts &= np.isfinite(values) & (values > 0)
    bases = _cells(raw, parts).rename(columns={"value": "base"}).assign(of=names[parts].to_numpy())
    before = bases.assign(year=bases["year"] + 1, of=bases["of"] + " of the year before")
    bases = pd.concat([bases, before], ignore_index=True)
    hide = np.zeros(len(raw), bool)
    for name in sorted(rules.guarded):
        rows = (names == name).to_numpy() & np.isfinite(values) & np.isfinite(out["value"].to_numpy(float))
        if not rows.any():
            continue
        half = _half_unit(values[rows])
        here = _cells(raw, rows).assign(i=np.flatnonzero(rows))
        pairs = zip(here["la_code"], here["year"], strict=True)
        hide[here["i"].to_numpy()[[p in hidden_years for p in pairs]]] = True
        joined = here.merge(bases, on=["la_code", "year"])
        v, base = joined["value"].to_numpy(float), joined["base"].to_numpy(float)
        small = np.zeros(len(joined), bool)
        for scale in scales(name):
            low, high = (v - half) * base / scale, (v + half) * base / scale
            fits = _whole_between(np.maximum(low, 0), high) | (v <= 0)
            plausible = joined.assign(fits=fits).groupby("of")["fits"].transform("mean").to_numpy() >= FITS
            hit = _whole_between(np.maximum(low, 1), np.minimum(high, t))
            if scale == 100:  # the rest of the denominator
                hit |= _whole_between(np.maximum(base - high, 1), np.minimum(base - low, t))
            small |= plausible & hit
        hide[joined["i"].to_numpy()[small]] = True
    hide &= np.isfinite(out["value"].to_numpy(float))
    if not hide.any():
        return out, 0
    out = out.copy()
    out.loc[out.index[hide], "value"] = np.nan
    out.loc[out.index[hide], "flag"] = "c"
    return out, int(hide.sum())


def _whole_between(low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """Whether a whole number lies in ``[low, high]`` (with a little room for float error)."""
    return np.ceil(low - 1e-9) <= high + 1e-9
