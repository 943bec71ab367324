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
   DfE rates' population year), over any of the scales 1, 100, 1,000, 10,000 and 100,000 (a name's
   scale word is no proof: per 10,000 computed per 1,000 is a common mislabel), is within the
   column's printed precision of a whole number from 1 to t (for a percentage: or the denominator
   less that number is). A count or population column is a plausible denominator when value x it
   / scale is within that precision of a whole number in at least 90% of the authority-years of
   the panel, of that year (3 authorities or more) or of that authority (3 years or more)
   (:mod:`rsw_eval.publication._rate_fit`): so does the true denominator, in every year it was
   not revised in, and so does any column where the precision is too coarse to tell; an
   unrelated count (a percentage of 1 dp times a count of 30) rarely does, and is not used. Once
   a denominator explains the rate where its precision could tell
   (:func:`~rsw_eval.publication._rate_fit.explaining`), the rate is read against the
   denominators that do, at their scales, only: a rate per 10,000 of 0 dp whose population
   explains it is no percentage of children looked after; and where none of them has a value of
   its authority-year (the council's latest year, which the denominator's file lacks), nothing
   checks it, so it is hidden (DfE's own rates aside, as DfE publishes them).

It is said on stderr and in the provenance (``rates_guarded``); declaring it in ``rates`` (or, if it
is no rate of a count, in ``not_counts``) replaces the rule by the exact one. A declared rate with
no numerator keeps both rules as well (its declared denominator may be wrong: said in
``rates_denominator_doubtful`` when it fails the plausibility test and another count passes it).

An undeclared indicator whose name says nothing, whose unit rsw-eval does not know and which holds a
value that is no whole number (a rate named ``adopted``, a count column with too many odd values)
takes rule 2 only, at the same scales (``rates_guarded_by_value``). Both kinds are hidden too
where value x any count or population of its authority-year, at one of those scales, is within
its printed precision of a count of that authority-year that is hidden (by the small-count rule
or as a secondary cell, larger than t: the rate would give it back), or for a percentage the
denominator less it; and, under a rule set that rounds counts (``"dfe"``), where value x a
published denominator of its authority-year lands within a rounded count's interval widened by
half the rounding base (10 at base 5 stands for 8..12: anything from 5 to 15), since it would
narrow that interval (11.5 says 11 or 12). Both read the published count only, so which rates are
hidden does not say which counts rounding moved (a declared rate is recomputed from the rounded
count instead). Rule 1 would hide every ordinary measure (a caseload, a mean score) wherever a
count of its year is hidden; rule 2 hides it only where it could be a plausible rate of a count
and gives 1 to t, which an ordinary measure rarely is: a caseload of 15.3 at 1 dp times a count of
300 is a whole number over 1 in every year (the precision is coarse) but never from 1 to t, and
over 100 or 10,000 it fits in too few years to be plausible. Negative values are read by their
size; an infinite value is hidden by rule 1 and reveals nothing by rule 2.

**Rates no denominator explains.** Rule 2 checks a rate against the denominators of the panel. A
guarded rate that no count or population of the panel explains (none fits it where its precision
could have said it does not, and no count and denominator of one authority-year give its value:
:func:`~rsw_eval.publication._rate_fit.checkable`) was computed over a denominator the panel lacks,
and rsw-eval cannot check what it gives back with one published elsewhere (a council's own
percentage of repeat child protection plans x DfE's published plans started gives a count of 3
back). It is not called guarded: stderr and the provenance (``rates_unchecked``) say "no denominator
in the data fits <name>: ... declare it in rates with its denominator, or in not_counts". A column
whose *name* says it is a rate is withheld until then (every value hidden: the name says it is a
count over something), and so is one guarded by its values whose name has no unit of an amount (an
FTE, money, a caseload: no share of people; a duration, a mean or a score may name one,
``cp_2_or_more_years``): a council's percentage of repeat plans named ``own_repeat`` x DfE's
published plans started gave its counts back, and its values' shape cannot tell it (a
missing-value code 999 in two years of thirteen took it out of 0..100; a rate per 100,000 named
``uasc_children`` x ONS's population gave 12 of 12 back: findings-q11disc Z3). A mean or a score
is withheld too until ``not_counts`` names it. One whose unit is an amount's takes rule 2 only.
DfE's own rates, under its own column names too (:data:`~rsw_eval.publication._counts.DFE_RATE_COLUMNS`), are
guarded and never withheld, since DfE publishes them; a council's rate whose count and
denominator are loaded is explained by them.
"""

from __future__ import annotations

import re
from dataclasses import replace

import numpy as np
import pandas as pd

from rsw_eval._errors import SpecError
from rsw_eval.disclosure import RATES, RuleSet, from_release
from rsw_eval.publication._rate_fit import ANY_SCALE, FITS, checkable, denominators, fit_share

__all__ = [
    "ODD_SHARE",
    "RATE_NAME",
    "declared_rates",
    "has_unit",
    "is_population",
    "is_rate_name",
    "unchecked_said",
    "words",
]

#: Names of rates, percentages and shares: matched on whole words of the name as :func:`words`
#: spells it (``adopted-pct``, ``adoptedPct``, ``adopted_%``, ``adoption_per10k`` all say so).
RATE_NAME = re.compile(
    r"(?:^|_)(?:pct|pc|prc|perc|percent|percentage|rates?|share|proportion|ratio|frac|fraction|"
    r"per_[a-z0-9]+)(?:_|$)"
)
#: Units no share of people can carry (an FTE, an amount of money, a caseload): a column guarded by
#: its values with one of them in its name is not taken for a council's percentage. A duration, a
#: mean or a score can name one ("cp_2_or_more_years", "within_45_working_days": findings-q10disc
#: Y1, Y2), and is not let off.
_UNIT = re.compile(
    r"(?:^|_)(?:fte|spend|spending|costs?|amounts?|gbp|price|budget|salary|expenditure|caseloads?)(?:_|$)"
)
#: The share of an undeclared indicator's values that may stray from a count's shape (no whole
#: number >= 0; one at least, fewer than the rest) when it is still taken for one: a typo such as
#: 12.5 or a missing-value code such as -1 is no escape.
ODD_SHARE = 0.05
_POPULATION = re.compile(r"(?:^|_)(?:population|pop)(?:_|$)")


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


def has_unit(name: str) -> bool:
    """Whether a name carries the unit of a measure that is no share of people (an FTE, an amount
    of money, a caseload); a duration, a mean or a score may be one ("cp_2_or_more_years").

    Examples
    --------
    >>> [has_unit(n) for n in ("leavers_fte", "spend_per_child_gbp", "mean_days", "repeat_within_2_years")]
    [True, True, False, False]
    """
    return bool(_UNIT.search(words(name)))


def is_population(name: str) -> bool:
    """Whether a name says it is a population (a denominator, never a count).

    Examples
    --------
    >>> [is_population(n) for n in ("population_0_17", "popEstimate", "populated_cells")]
    [True, True, False]
    """
    return bool(_POPULATION.search(words(name)))


def declared_rates(
    spec,
    names: set[str],
    rules: RuleSet,
    skip: set[str],
    panel: pd.DataFrame | None = None,
    dfe_named: set[str] = frozenset(),
) -> tuple[RuleSet, dict]:
    """``rules`` with the spec's ``rates`` and the guarded indicators of the panel (``names``: its
    indicators; ``skip``: those whose unit is known, or declared no count; ``panel``: its values,
    for the columns guarded by their values and the declared denominators' check; ``dfe_named``: DfE's
    own column names of its rates, guarded by both rules but never withheld where every row is from a
    file of DfE's release, since DfE publishes them (:func:`~rsw_eval.disclosure.from_release`)).

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
        population = is_population(denominator)
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
    unchecked = _unchecked(panel, [*guarded, *by_value], rules) if panel is not None else []
    # DfE's rates as DfE's release published them (every row from a file the release registry
    # knows): said, not withheld; a council's own file in DfE's layout, under DfE's or the
    # dashboard's names, is checked as any council's rate is (findings-q12disc Q1, Q2b)
    theirs = (
        set(panel.loc[~from_release(panel, rules.counts), "indicator"].astype(str))
        if panel is not None
        else set()
    )
    released = set(dfe_named) - theirs
    lone = {n for n in names if n in RATES and not {RATES[n][0], RATES[n][1]} & set(names)}
    lone -= set(spec.rates) | set(spec.not_counts)
    dfe_unexplained = sorted(({n for n in unchecked if n in released} | lone - theirs) - set(spec.rates))
    unchecked = [n for n in unchecked if n not in released] + sorted(lone & theirs)
    # a column guarded by its values that no denominator explains, its unit no amount's: its values'
    # shape cannot tell a percentage (a missing-value code in a few years moved it out of 0..100,
    # findings-q11disc Z3b) from a rate per 100,000 (Z3), so it is withheld as a named rate is
    plain = {n for n in unchecked if n in by_value and not has_unit(n)}
    withheld = {n for n in unchecked if n in guarded} | plain | (lone & theirs)
    said = {
        "rates_declared": sorted(spec.rates),
        "rates_guarded": [n for n in guarded if n not in unchecked],
        "rates_guarded_by_value": [n for n in by_value if n not in unchecked],
        "rates_unchecked": {
            n: unchecked_said(n, n in withheld, n in dfe_named or n in RATES) for n in unchecked
        },
        "rates_dfe_unexplained": dfe_unexplained,
        "rates_denominator_doubtful": _doubtful(panel, spec, blind, rules) if panel is not None else {},
    }
    out = replace(
        rules,
        rates=tuple(declared),
        guarded=frozenset(guarded) | frozenset(blind),
        guarded_values=frozenset(by_value),
        withheld=frozenset(withheld),
    )
    return out, said


def _unchecked(panel: pd.DataFrame, names: list[str], rules: RuleSet) -> list[str]:
    """The guarded ``names`` that no count or population of the panel explains
    (:func:`~rsw_eval.publication._rate_fit.checkable`, at every scale)."""
    if not {"la_code", "year"} <= set(panel.columns):  # no authority-years: nothing to relate
        return []
    parts = {n for n in set(panel["indicator"].astype(str)) if n in rules.counts or is_population(n)}
    bases = denominators(panel, parts)
    return [n for n in names if not checkable(panel, n, bases, rules.counts, ANY_SCALE)]


def unchecked_said(name: str, withheld: bool, dfe_name: bool = False) -> str:
    """What the provenance and stderr say of a guarded rate no denominator of the data explains
    (``withheld``: every value hidden; else, its unit an amount's, hidden only where it and a count
    of the panel give a hidden count back; ``dfe_name``: a name of DfE's or the dashboard's, in a
    file the release registry does not know).

    Examples
    --------
    >>> unchecked_said("own_repeat_pct", True)[:64]
    'no denominator in the data fits own_repeat_pct: rsw-eval cannot '
    >>> unchecked_said("leavers_fte", False)[-59:]
    'ere value x a count of the panel gives a hidden count back)'
    """
    if withheld:
        what = "withheld (every value hidden) until then"
    else:
        what = "until then hidden only where value x a count of the panel gives a hidden count back"
    release = (
        " (DfE's releases are known by their file names, and hold every authority of England: a DfE "
        "file renamed, or cut to a few authorities, is read as a council's own)"
        if dfe_name
        else ""
    )
    return (
        f"no denominator in the data fits {name}: rsw-eval cannot check what it gives back with a "
        f"denominator published elsewhere; declare it in rates with its denominator, or in not_counts "
        f"({what}){release}"
    )


def _by_value(panel: pd.DataFrame, candidates: set[str]) -> list[str]:
    """The ``candidates`` (undeclared indicators whose names say nothing) holding a value that is
    no whole number: a rate or a share with no rate word in its name may be one."""
    out = []
    rows = panel[panel["indicator"].isin(candidates)]
    for name, values in rows.groupby("indicator", sort=True)["value"]:
        v = pd.to_numeric(values, errors="coerce").to_numpy(float)
        v = v[np.isfinite(v)]
        if len(v) and not is_population(name) and not (v == np.round(v)).all():
            out.append(str(name))
    return out


def _doubtful(panel: pd.DataFrame, spec, blind: set[str], rules: RuleSet) -> dict[str, str]:
    """Per declared rate with no numerator whose declared denominator fails the plausibility test
    (:func:`fit_share` below :data:`FITS`) while another count or population passes it: what fits."""
    names = set(panel["indicator"].astype(str))
    bases = sorted(n for n in names if n in rules.counts or is_population(n))
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
