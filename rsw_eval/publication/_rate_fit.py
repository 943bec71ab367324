"""Which counts and populations of a panel fit a rate as its denominator, and where.

A rate printed to a precision (``0.61`` at 2 dp: half a unit of ``0.005``) times its true
denominator over its scale is, within that precision, a whole number (the count) in every
authority-year; times an unrelated count only as often as the precision is coarse. Rule 2 of the
rate guard (:mod:`rsw_eval.publication._rate_guard`) tries a denominator only where it is
*plausible*:

- it fits in at least :data:`FITS` of the panel's authority-years (the panel-wide test), or
- in at least :data:`FITS` of the authority-years of that **year**, when :data:`GROUP` authorities
  or more have both values that year, or
- in at least :data:`FITS` of the authority-years of that **authority**, when it has both values in
  :data:`GROUP` years or more.

The two local tests matter because a council's rate is often computed from an earlier vintage of
its denominator: revised in 3 of 13 years, the denominator fits in 77% of the panel's rows, below
the panel-wide test, yet exactly in every year that was not revised, and there a rate of 0.61% x
328 still gives 2 back.

:func:`checkable` asks the other question: does *any* denominator of the panel explain the rate at
all? One that could have failed the test does (its fit is informative: the rate's precision times
it over the scale is below a whole unit, and the chance that an unrelated column fits as often is
below :data:`CHANCE`), and so does a count and a denominator of the same authority-year that give
the rate as count / denominator x scale (in :data:`FITS` of the panel's authority-years or of one
year's, :data:`CHECK_GROUP` at least). A rate no denominator explains
was computed over one the panel lacks, and rsw-eval cannot say what it gives back with a
denominator published elsewhere (a council's own percentage x DfE's published ``CPP_start``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from rsw_eval.inputs._derived import _half_unit

__all__ = [
    "ANY_SCALE",
    "FITS",
    "GROUP",
    "checkable",
    "denominators",
    "explaining",
    "fit_share",
    "plausible",
    "row_precision",
]

#: The scales every guarded rate is tried at: a name's scale word is often wrong (a column named
#: per 10,000 computed per 1,000), and ONS and PHE rates are per 100,000.
ANY_SCALE = (1, 100, 1_000, 10_000, 100_000)
#: A count or population is a plausible denominator of a guarded rate (at a scale) when value x it /
#: scale is, within the rate's printed precision, a whole number in at least this share of the
#: authority-years (the true denominator gives one in every year; an unrelated column, only as
#: often as the precision is coarse), over the panel, a year or an authority.
FITS = 0.9
#: The fewest authorities of one year, or years of one authority, whose fit makes a denominator
#: plausible there.
GROUP = 3
#: For :func:`checkable`: a denominator explains a rate in a group of authority-years (the panel's,
#: or a year's of at least :data:`CHECK_GROUP`) where it fits in :data:`FITS` of them and an
#: unrelated one would fit them all by chance less often than this (the product over the fitting
#: rows of the width of their whole-number window: the rate's precision x the denominator / scale).
CHANCE = 1e-4
CHECK_GROUP = 5
#: Values beyond this size say nothing of the column's printed precision (a 1e308 typo).
_HUGE = 1e9
_KEYS = ["la_code", "year"]


def precision(values: np.ndarray) -> float:
    """Half the column's last printed digit, from its values of ordinary size.

    Examples
    --------
    >>> precision(np.array([0.61, 1.2, 3.0])), precision(np.array([1e300, 7.0]))
    (0.005, 0.5)
    """
    ordinary = values[np.isfinite(values) & (np.abs(values) < _HUGE)]
    return _half_unit(ordinary) if len(ordinary) else 0.5


def row_precision(values: np.ndarray) -> np.ndarray:
    """Per value, half the last digit it is printed to, and never finer than the column's
    (:func:`precision`): a value of 1 in a column of 2 dp may have been keyed to 0 dp, and read
    at the column's precision it said 1.00 +- 0.005, where 1 of 99 (1.01%) is no whole number
    (findings-q11disc Z6: a year keyed by hand among a system's 2 dp values gave its count back).

    Examples
    --------
    >>> row_precision(np.array([3.07, 1.0, 2.5, 12.25])).tolist()
    [0.005, 0.5, 0.05, 0.005]
    """
    values = np.asarray(values, float)
    out = np.full(len(values), precision(values))
    for digits in range(6, -1, -1):  # the coarsest digit each value is whole at, last
        scaled = values * 10.0**digits
        coarse = np.isfinite(values) & (np.abs(scaled - np.round(scaled)) < 1e-6)
        out[coarse] = np.maximum(out[coarse], 0.5 * 10.0**-digits)
    return out


def whole_between(low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """Whether a whole number lies in ``[low, high]`` (with a little room for float error).

    Examples
    --------
    >>> whole_between(np.array([1.9, 2.1]), np.array([2.1, 2.9])).tolist()
    [True, False]
    """
    return np.ceil(low - 1e-9) <= high + 1e-9


def fits(v: np.ndarray, half: float | np.ndarray, base: np.ndarray, scale: float) -> np.ndarray:
    """Whether value x base / scale is, within the value's precision ``half`` (one, or per value), a
    whole number (a value of 0 or below always is).

    Examples
    --------
    >>> fits(np.array([0.61, 0.61]), 0.005, np.array([328.0, 331.0]), 100).tolist()
    [True, False]
    """
    with np.errstate(all="ignore"):
        low, high = (v - half) * base / scale, (v + half) * base / scale
    return whole_between(np.maximum(low, 0), high) | (v <= 0)


def denominators(panel: pd.DataFrame, names) -> pd.DataFrame:
    """The values of ``names`` (counts and populations) above 0 as denominators of their
    authority-year (``of`` their name) and of the next one (``of`` ``"<name> of the year before"``:
    DfE's rates for the year to 31 March Y use the population of Y - 1).

    Examples
    --------
    >>> p = pd.DataFrame({"la_code": "A", "year": [2012, 2012], "indicator": ["cla", "x"],
    ...                   "value": [301.0, 2.5]})
    >>> denominators(p, {"cla"})[["year", "base", "of"]].values.tolist()
    [[2012, 301.0, 'cla'], [2013, 301.0, 'cla of the year before']]
    """
    values = pd.to_numeric(panel["value"], errors="coerce").to_numpy(float)
    rows = panel["indicator"].astype(str).isin(set(names)).to_numpy() & np.isfinite(values) & (values > 0)
    cells = panel.loc[rows, _KEYS].assign(
        year=lambda f: f["year"].astype(int),
        base=values[rows],
        of=panel.loc[rows, "indicator"].astype(str).to_numpy(),
    )
    before = cells.assign(year=cells["year"] + 1, of=cells["of"] + " of the year before")
    return pd.concat([cells, before], ignore_index=True)


def plausible(joined: pd.DataFrame, fit: np.ndarray) -> np.ndarray:
    """Per row of ``joined`` (a rate's authority-years with a denominator ``of``), whether ``of``
    is plausible there: ``fit`` (value x it / scale whole) in :data:`FITS` of the panel's rows, of
    the year's (:data:`GROUP` authorities or more) or of the authority's (:data:`GROUP` years or
    more).

    Examples
    --------
    >>> j = pd.DataFrame({"la_code": list("ABCABC"), "year": [1, 1, 1, 2, 2, 2], "of": "cla"})
    >>> plausible(j, np.array([True, True, True, False, False, True])).tolist()  # 67%: year 1 only
    [True, True, True, False, False, False]
    """
    frame = joined[["la_code", "year", "of"]].assign(fit=np.asarray(fit, float))
    ok = frame.groupby("of")["fit"].transform("mean").to_numpy() >= FITS
    for key in ("year", "la_code"):
        group = frame.groupby(["of", key])["fit"]
        ok |= (group.transform("mean").to_numpy() >= FITS) & (group.transform("size").to_numpy() >= GROUP)
    return ok


def explaining(
    joined: pd.DataFrame,
    v: np.ndarray,
    half: float | np.ndarray,
    base: np.ndarray,
    scale: float,
    fit: np.ndarray | None = None,
) -> set[str]:
    """The denominators (``joined["of"]``) that explain a rate at ``scale``: value x it / scale is
    whole where the rate's precision could have said it is not (its window below a whole unit), in
    :data:`FITS` of the panel's authority-years or of one year's, more often than chance allows
    (:data:`CHANCE`). Once one does, rule 2 reads the rate against those only (findings-q8disc G3: a
    council's rate per 10,000 of 0 dp, its population loaded, was also read as a percentage of
    children looked after, where 0 dp says nothing, and 99 of 598 hid a "rest" of 3 to 9).
    ``fit``, if given, is ``fits(v, half, base, scale)`` computed already.

    Examples
    --------
    >>> j = pd.DataFrame({"la_code": list("ABCDE"), "year": 2012, "of": "cla"})
    >>> v, base = np.array([0.66, 1.0, 0.3, 2.11, 1.29]), np.array([301.0, 300, 333, 285, 310])
    >>> explaining(j, v, 0.005, base, 100), explaining(j, v, 0.005, base, 1000)
    ({'cla'}, set())
    """
    with np.errstate(all="ignore"):
        width = 2 * half * base / scale
    fit = fits(v, half, base, scale) if fit is None else fit
    frame = joined[["year", "of"]].assign(ok=fit, chance=width)[width < 1]
    return {str(of) for of, part in frame.groupby("of") if _share_ok(part, "ok")}


def _share_ok(frame: pd.DataFrame, column: str) -> bool:
    """Whether ``column`` holds (True share >= :data:`FITS`) over the panel or over one year, with
    :data:`CHECK_GROUP` rows or more (local tests of an authority would find coincidences), and
    the chance that an unrelated column holds in all those rows (the product of their ``chance``)
    is below :data:`CHANCE`."""
    frame = frame.assign(log=np.log(frame["chance"].where(frame[column], 1.0).clip(lower=1e-300)))
    groups = [frame, *(part for _, part in frame.groupby("year"))]
    return any(
        len(g) >= CHECK_GROUP and g[column].mean() >= FITS and g["log"].sum() < np.log(CHANCE) for g in groups
    )


def checkable(panel: pd.DataFrame, name: str, bases: pd.DataFrame, counts, sizes) -> bool:
    """Whether a denominator of the panel explains rate ``name`` at one of ``sizes`` (scales):
    value x it / scale is whole where the rate's precision could have said it is not, or it and a
    count of ``counts`` of the same authority-year give the value as count / it x scale, in
    :data:`FITS` of the authority-years of the panel or of one year (see the module docstring).

    Examples
    --------
    >>> p = pd.DataFrame({"la_code": list("ABCDEABCDE"), "year": 2012, "indicator": ["x_pct"] * 5
    ...     + ["cla"] * 5, "value": [0.66, 1.0, 0.3, 2.11, 1.29, 301, 300, 333, 285, 310]})
    >>> checkable(p, "x_pct", denominators(p, {"cla"}), {"cla"}, (100,))
    True
    >>> checkable(p[p["indicator"] == "x_pct"], "x_pct", denominators(p, set()), set(), (100,))
    False
    """
    rows = panel["indicator"].astype(str).eq(name).to_numpy()
    v = np.abs(pd.to_numeric(panel.loc[rows, "value"], errors="coerce").to_numpy(float))
    here = panel.loc[rows, _KEYS].assign(year=lambda f: f["year"].astype(int), v=v)
    here = here[np.isfinite(v) & (v > 0) & (v < _HUGE)]
    if here.empty or bases.empty:
        return False
    half = precision(here["v"].to_numpy())
    joined = here.merge(bases, on=_KEYS)
    values = pd.to_numeric(panel["value"], errors="coerce")
    named = panel.assign(count=values)[panel["indicator"].astype(str).isin(set(counts))]
    named = named.loc[np.isfinite(named["count"]), [*_KEYS, "count", "indicator"]]
    triples = joined.merge(named.assign(year=named["year"].astype(int)), on=_KEYS)
    for scale in sizes:
        v, base = joined["v"].to_numpy(), joined["base"].to_numpy()
        with np.errstate(all="ignore"):
            width = 2 * half * base / scale
        frame = joined.assign(ok=fits(v, half, base, scale), chance=width)[width < 1]
        if any(_share_ok(part, "ok") for _, part in frame.groupby("of")):
            return True
        t = triples[triples["indicator"].astype(str) != triples["of"].str.split(" of the").str[0]]
        with np.errstate(all="ignore"):
            low = (t["v"] - half) * t["base"] / scale - 0.5
            high = (t["v"] + half) * t["base"] / scale + 0.5
        spread = t.groupby("indicator")["count"].transform("std").fillna(0).to_numpy() + 1
        chance = ((high - low) / spread).clip(upper=1)  # a count's window against its spread
        t = t.assign(ok=(low <= t["count"]) & (t["count"] <= high), chance=chance)
        if any(_share_ok(part, "ok") for _, part in t.groupby(["of", "indicator"])):
            return True
    return False


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
    rate = panel.loc[panel["indicator"] == name, [*_KEYS, "value"]]
    den = panel.loc[panel["indicator"] == base, [*_KEYS, "value"]].rename(columns={"value": "base"})
    joined = rate.merge(den, on=_KEYS)
    v = np.abs(pd.to_numeric(joined["value"], errors="coerce").to_numpy(float))
    b = pd.to_numeric(joined["base"], errors="coerce").to_numpy(float)
    ok = np.isfinite(v) & np.isfinite(b) & (b > 0) & (v < _HUGE)
    if not ok.any():
        return float("nan")
    return float(fits(v[ok], precision(v[ok]), b[ok], scale).mean())
