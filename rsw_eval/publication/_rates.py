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

An indicator whose name says it is a rate, percentage, share or proportion (a whole word of it,
the name split at any character that is no letter or digit, at camelCase and between letters and
digits: ``pct``, ``pc``, ``prc``, ``%``, ``percent``, ``rate``, ``share``, ``frac``, ``per10k``,
``per_cla`` ...) that neither rsw-eval nor the spec declares, nor the DfE dashboard's vocabulary
knows, is *guarded*: rsw-eval cannot know its count, so, as
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
is no rate of a count, in ``not_counts``) replaces the rule by the exact one. A declared rate with
no numerator keeps both rules as well (its declared denominator may be wrong: said in
``rates_denominator_doubtful`` when it fails the plausibility test and another count passes it).

An undeclared indicator whose name says nothing, whose unit rsw-eval does not know and which holds a
value that is no whole number (a rate named ``adopted``, a count column with too many odd values)
takes rule 2 only, over the scales 1, 100, 1,000 and 10,000 (``rates_guarded_by_value``), and is
hidden too where value x any count or population of its authority-year, over one of those scales, is
within its printed precision of a count of that authority-year that is hidden (by the small-count
rule or as a secondary cell, larger than t: the rate would give it back), or for a percentage the
denominator less it. Under ``"dfe"`` every count a release rounds counts as hidden there (for
named and by-value columns alike): a rate that fits it would undo the rounding (3.8% x 320 = 12
beside adoptions published as 10); it is hidden whether rounding moved that count or not, so
which rates are hidden does not say which counts were multiples of the base (a declared rate is
recomputed from the rounded count instead). Rule 1
would hide every ordinary measure (a caseload, a mean score) wherever a count of its year is hidden;
rule 2 hides it only where it could be a plausible rate of a count and gives 1 to t, which an
ordinary measure rarely is: a caseload of 15.3 at 1 dp times a count of 300 is a whole number over
1 in every year (the precision is coarse) but never from 1 to t, and over 100 or 10,000 it fits in
too few years to be plausible. Negative values are read by their size; an infinite value is hidden
by rule 1 and reveals nothing by rule 2.
"""

from __future__ import annotations

import re
from dataclasses import replace

import numpy as np
import pandas as pd

from rsw_eval._errors import SpecError
from rsw_eval.disclosure import RATES, RuleSet, row_rules
from rsw_eval.inputs._derived import _half_unit

__all__ = [
    "RATE_NAME",
    "VALUE_SCALES",
    "declared_rates",
    "fit_share",
    "guard_rates",
    "is_rate_name",
    "scales",
    "words",
]

#: Names of rates, percentages and shares: matched on whole words of the name as :func:`words`
#: spells it (``adopted-pct``, ``adoptedPct``, ``adopted_%``, ``adoption_per10k`` all say so).
RATE_NAME = re.compile(
    r"(?:^|_)(?:pct|pc|prc|perc|percent|percentage|rates?|share|proportion|ratio|frac|fraction|"
    r"per_[a-z0-9]+)(?:_|$)"
)
_PCT = re.compile(r"(?:^|_)(?:pct|pc|prc|perc|percent|percentage)(?:_|$)")
_POPULATION = re.compile(r"(?:^|_)(?:population|pop)(?:_|$)")
_PER = re.compile(r"(?:^|_)per_(\d+)(k?)(?:_(\d+))?(?:_|$)")
ANY_SCALE = (1, 100, 1_000, 10_000, 100_000)
#: The scales tried for a column whose name says nothing (:data:`RuleSet.guarded_values`).
VALUE_SCALES = (1, 100, 1_000, 10_000)
#: A count or population is a plausible denominator of a guarded rate (at a scale) when value x it /
#: scale is, within the rate's printed precision, a whole number in at least this share of the
#: authority-years (the true denominator gives one in every year; an unrelated column, only as
#: often as the precision is coarse).
FITS = 0.9
#: Values beyond this size say nothing of the column's printed precision (a 1e308 typo).
_HUGE = 1e9


def words(name: str) -> str:
    """A name in lower-case words joined by ``_``: split at every character that is no letter or
    digit, at camelCase and between letters and digits; ``%`` is ``pct``.

    Examples
    --------
    >>> [words(n) for n in ("adopted-pct", "adoptedPct", "adopted_%", "adoption_per10k", "CLARate")]
    ['adopted_pct', 'adopted_pct', 'adopted_pct', 'adoption_per_10k', 'cla_rate']
    """
    s = str(name).replace("%", "_pct_")
    s = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", s)
    s = re.sub(r"(?<=[A-Z])(?=[A-Z][a-z])", "_", s)
    s = re.sub(r"(?<=[a-z])(?=\d)", "_", s.lower())
    return re.sub(r"[^a-z0-9]+", "_", s).strip("_")


def is_rate_name(name: str) -> bool:
    """Whether a name says it is a rate, percentage, share or "per" something.

    Examples
    --------
    >>> [is_rate_name(n) for n in ("adopted pct", "adoptions_per_cla", "adopted_frac", "separated")]
    [True, True, True, False]
    """
    return bool(RATE_NAME.search(words(name)))


def scales(name: str) -> tuple[int, ...]:
    """The scales a rate's name allows: a percentage 100, ``per_10k`` 10,000, else every one.

    Examples
    --------
    >>> [scales(n) for n in ("adopted_pct", "adoption_rate_per_10k", "rate_per_10_000", "uasc_share")]
    [(100,), (10000,), (10000,), (1, 100, 1000, 10000, 100000)]
    >>> [scales(n) for n in ("adoptedPct", "adoption_per10k", "adopted_%")]
    [(100,), (10000,), (100,)]
    """
    name = words(name)
    per = _PER.search(name)
    if per:
        number = int(per.group(1) + (per.group(3) or ""))
        return (number * (1000 if per.group(2) else 1),)
    if _PCT.search(name):
        return (100,)
    return ANY_SCALE


def declared_rates(
    spec, names: set[str], rules: RuleSet, skip: set[str], panel: pd.DataFrame | None = None
) -> tuple[RuleSet, dict]:
    """``rules`` with the spec's ``rates`` and the guarded indicators of the panel (``names``: its
    indicators; ``skip``: those whose unit is known, or declared no count; ``panel``: its values,
    for the columns guarded by their values and the declared denominators' check).

    A declared rate with no numerator (``""``) is guarded as well (rules 1 and 2 above, at its
    declared scale too): its declared denominator may not be the one it was computed from, and
    when another count fits it and the declared one does not (:func:`fit_share`), it is said
    (``rates_denominator_doubtful``).

    Raises :class:`~rsw_eval.SpecError` for a declared rate, numerator or denominator that is no
    indicator of the panel nor a ``[derived]`` name, and for a denominator that is itself a rate.

    Examples
    --------
    >>> from rsw_eval.disclosure import rule_set
    >>> from rsw_eval.spec import EvaluationSpec
    >>> spec = EvaluationSpec(rates={"adopted_pct": ["adoptions", "cla", 100]}, data={"admin": ["p.csv"]})
    >>> names = {"adopted_pct", "adoptions", "cla", "uasc_rate", "adoptedPct"}
    >>> rules, said = declared_rates(spec, names, rule_set(), set())
    >>> rules.rates, said["rates_declared"], said["rates_guarded"]
    ((('adopted_pct', 'adoptions', 'cla', 100.0),), ['adopted_pct'], ['adoptedPct', 'uasc_rate'])
    """
    declared = []
    rate_names = set(spec.rates) | set(RATES)
    for name, (numerator, denominator, scale) in spec.rates.items():
        for what, value in (("", name), (".numerator", numerator), (".denominator", denominator)):
            if value and value not in names:
                raise SpecError(
                    f"rates.{name}{what}: {value!r} is not an indicator of the panel nor a [derived] name"
                )
        population = bool(_POPULATION.search(words(denominator)))
        if denominator in rate_names or (
            is_rate_name(denominator) and denominator not in rules.counts and not population
        ):
            raise SpecError(
                f"rates.{name}.denominator: {denominator!r} is itself a rate: a rate's denominator is a "
                "count or a population (value = numerator / denominator x scale)"
            )
        declared.append((str(name), numerator or None, denominator, float(scale)))
    known = skip | set(RATES) | set(spec.rates) | set(rules.counts)
    guarded = sorted(n for n in names if n not in known and is_rate_name(n))
    blind = {str(n) for n, (numerator, _, _) in spec.rates.items() if not numerator}
    by_value = _by_value(panel, names - known - set(guarded)) if panel is not None else []
    said = {
        "rates_declared": sorted(spec.rates),
        "rates_guarded": guarded,
        "rates_guarded_by_value": by_value,
        "rates_denominator_doubtful": _doubtful(panel, spec, blind, rules) if panel is not None else {},
    }
    out = replace(
        rules,
        rates=tuple(declared),
        guarded=frozenset(guarded) | frozenset(blind),
        guarded_values=frozenset(by_value),
    )
    return out, said


def _by_value(panel: pd.DataFrame, candidates: set[str]) -> list[str]:
    """The ``candidates`` (undeclared indicators whose names say nothing) holding a value that is
    no whole number: a rate or a share with no rate word in its name may be one."""
    out = []
    rows = panel[panel["indicator"].isin(candidates)]
    for name, values in rows.groupby("indicator", sort=True)["value"]:
        v = pd.to_numeric(values, errors="coerce").to_numpy(float)
        v = v[np.isfinite(v)]
        if len(v) and not _POPULATION.search(words(name)) and not (v == np.round(v)).all():
            out.append(str(name))
    return out


def _doubtful(panel: pd.DataFrame, spec, blind: set[str], rules: RuleSet) -> dict[str, str]:
    """Per declared rate with no numerator whose declared denominator fails the plausibility test
    (:func:`fit_share` below :data:`FITS`) while another count or population passes it: what fits."""
    names = set(panel["indicator"].astype(str))
    bases = sorted(n for n in names if n in rules.counts or _POPULATION.search(words(n)))
    out = {}
    for name in sorted(blind):
        _, denominator, scale = spec.rates[name]
        share = fit_share(panel, name, denominator, float(scale))
        if not share < FITS:
            continue
        others = {b: fit_share(panel, name, b, float(scale)) for b in bases if b != denominator}
        good = sorted((b for b, v in others.items() if v >= FITS), key=lambda b: -others[b])
        if good:
            out[name] = (
                f"value x {denominator} / {scale:g} is a whole number in {share:.0%} of authority-years, "
                f"value x {good[0]} / {scale:g} in {others[good[0]]:.0%}: is {good[0]} its denominator?"
            )
    return out


def fit_share(panel: pd.DataFrame, name: str, base: str, scale: float) -> float:
    """The share of authority-years where ``name`` x ``base`` / ``scale`` is, within ``name``'s
    printed precision, a whole number (NaN where they share none).

    Examples
    --------
    >>> p = pd.DataFrame({"la_code": "A", "year": [1, 1, 1, 2, 2, 2],
    ...     "indicator": ["x_pct", "cla", "res"] * 2, "value": [0.7, 301, 31, 6.7, 300, 29]})
    >>> fit_share(p, "x_pct", "cla", 100), fit_share(p, "x_pct", "res", 100)
    (1.0, 0.0)
    """
    keys = ["la_code", "year"]
    rate = panel.loc[panel["indicator"] == name, [*keys, "value"]]
    den = panel.loc[panel["indicator"] == base, [*keys, "value"]].rename(columns={"value": "base"})
    joined = rate.merge(den, on=keys)
    v = np.abs(pd.to_numeric(joined["value"], errors="coerce").to_numpy(float))
    b = pd.to_numeric(joined["base"], errors="coerce").to_numpy(float)
    ok = np.isfinite(v) & np.isfinite(b) & (b > 0) & (v < _HUGE)
    if not ok.any():
        return float("nan")
    return float(_fits(v[ok], _precision(v[ok]), b[ok], scale).mean())


def _precision(values: np.ndarray) -> float:
    """Half the column's last printed digit, from its values of ordinary size."""
    ordinary = values[np.isfinite(values) & (np.abs(values) < _HUGE)]
    return _half_unit(ordinary) if len(ordinary) else 0.5


def _fits(v: np.ndarray, half: float, base: np.ndarray, scale: float) -> np.ndarray:
    with np.errstate(all="ignore"):
        low, high = (v - half) * base / scale, (v + half) * base / scale
    return _whole_between(np.maximum(low, 0), high) | (v <= 0)


def _cells(frame: pd.DataFrame, mask: np.ndarray) -> pd.DataFrame:
    return frame.loc[mask, ["la_code", "year", "value"]].assign(year=lambda f: f["year"].astype(int))


def guard_rates(raw: pd.DataFrame, out: pd.DataFrame, rules: RuleSet) -> tuple[pd.DataFrame, int]:
    """``out`` (the protected panel; ``raw`` before protection, same rows) with every guarded rate
    (``rules.guarded``) hidden where it could give a count back (rules 1 and 2 above), every
    column guarded by its values (``rules.guarded_values``) where rule 2 says so; and how many
    values it hid. A negative value is read as its size (-0.6% is 0.6% of the denominator).

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
    if not (rules.guarded or rules.guarded_values) or raw.empty:
        return out, 0
    t = rules.threshold
    names = raw["indicator"].astype(str)
    values = raw["value"].to_numpy(float)
    shown = ~np.isnan(out["value"].to_numpy(float))
    counts = names.isin(rules.counts).to_numpy()
    gone = counts & np.isfinite(values) & ~shown
    hidden_years = set(zip(raw.loc[gone, "la_code"], raw.loc[gone, "year"].astype(int), strict=True))
    if rules.name == "dfe":  # a count a release rounds is not published exactly: moved or not
        gone = gone | (counts & np.isfinite(values) & (row_rules(raw, rules).round_to > 1))
    hidden = _cells(raw, gone).rename(columns={"value": "count"})
    parts = counts | names.map(lambda n: bool(_POPULATION.search(words(n)))).to_numpy()
    parts &= np.isfinite(values) & (values > 0)
    bases = _cells(raw, parts).rename(columns={"value": "base"}).assign(of=names[parts].to_numpy())
    before = bases.assign(year=bases["year"] + 1, of=bases["of"] + " of the year before")
    bases = pd.concat([bases, before], ignore_index=True)
    declared = {rate[0]: rate[3] for rate in rules.rates}
    hide = np.zeros(len(raw), bool)
    for name in sorted(rules.guarded | rules.guarded_values):
        named = name in rules.guarded
        if named:  # rule 1: any value (an infinite one too) where a count of its year is hidden
            rows = (names == name).to_numpy() & ~np.isnan(values) & shown
            here = _cells(raw, rows).assign(i=np.flatnonzero(rows))
            pairs = zip(here["la_code"], here["year"], strict=True)
            hide[here["i"].to_numpy()[[p in hidden_years for p in pairs]]] = True
        rows = (names == name).to_numpy() & np.isfinite(values) & shown
        if not rows.any():
            continue
        half = _precision(np.abs(values[rows]))
        here = _cells(raw, rows).assign(i=np.flatnonzero(rows), value=lambda f: f["value"].abs())
        joined = here.merge(bases, on=["la_code", "year"])
        v, base = joined["value"].to_numpy(float), joined["base"].to_numpy(float)
        hide[_gives_hidden(joined, hidden, half, _sizes(name, named, declared))] = True
        small = np.zeros(len(joined), bool)
        for scale in _sizes(name, named, declared):
            with np.errstate(all="ignore"):
                low, high = (v - half) * base / scale, (v + half) * base / scale
            fits = _fits(v, half, base, scale)
            plausible = joined.assign(fits=fits).groupby("of")["fits"].transform("mean").to_numpy() >= FITS
            hit = _whole_between(np.maximum(low, 1), np.minimum(high, t))
            if scale == 100:  # the rest of the denominator
                hit |= _whole_between(np.maximum(base - high, 1), np.minimum(base - low, t))
            small |= plausible & hit
        hide[joined["i"].to_numpy()[small]] = True
    hide &= shown
    if not hide.any():
        return out, 0
    out = out.copy()
    out.loc[out.index[hide], "value"] = np.nan
    out.loc[out.index[hide], "flag"] = "c"
    return out, int(hide.sum())


def _sizes(name: str, named: bool, declared: dict[str, float]) -> list[float]:
    """The scales a guarded column is tried at: its name's (and its declared one), or, guarded by
    its values, :data:`VALUE_SCALES`."""
    if not named:
        return sorted(VALUE_SCALES)
    return sorted(set(scales(name)) | ({declared[name]} if name in declared else set()))


def _gives_hidden(joined: pd.DataFrame, hidden: pd.DataFrame, half: float, sizes: list[float]) -> np.ndarray:
    """The rows (``joined["i"]``) whose value x any count or population of its authority-year / a
    scale is, within the printed precision ``half``, a count of that authority-year that is hidden
    (by the small-count rule or as a secondary cell, so larger than t), or, over 100, its
    denominator less it: such a rate gives that count back. Every denominator, not only the
    plausible ones: a hidden cell is one value, and a coincidence costs one rate."""
    both = joined.merge(hidden, on=["la_code", "year"])
    if both.empty:
        return np.zeros(0, int)
    v, base = both["value"].to_numpy(float), both["base"].to_numpy(float)
    count = np.abs(both["count"].to_numpy(float))
    hit = np.zeros(len(both), bool)
    for scale in sizes:
        with np.errstate(all="ignore"):
            low, high = (v - half) * base / scale, (v + half) * base / scale
        hit |= (low - 1e-9 <= count) & (count <= high + 1e-9)
        if scale == 100:
            hit |= (low - 1e-9 <= base - count) & (base - count <= high + 1e-9)
    return both["i"].to_numpy()[hit]


def _whole_between(low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """Whether a whole number lies in ``[low, high]`` (with a little room for float error)."""
    return np.ceil(low - 1e-9) <= high + 1e-9
