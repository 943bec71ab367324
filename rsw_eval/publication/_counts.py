"""Which administrative indicators are counts: rsw-eval's own, the spec's ``counts``, and every
other indicator whose values can only be a count.

A count a council adds to its panel (``adoptions``, ``s47_enquiries``, ``uasc``) is as disclosive as
one on rsw-eval's list. A fixed list of names cannot know it, so the rule is: a declared count is a
count; an undeclared indicator whose every value (but a stray few, which are said) is a whole
number >= 0, that is not a population,
FTE, amount, rate, share or score (by the DfE dashboard's unit, or by its name) and that the spec
does not list in ``not_counts`` is protected as a count too, and the provenance says which were so
treated. Protecting a value that was not a count costs a few small values; publishing a count that
was one discloses it: the default errs on the side that can be undone (``not_counts``).

An undeclared indicator whose every value is 0 or 1 is a flag (a yes/no per authority and year),
not a count: protecting it as one would suppress every 1 and leave only the 0s, so every design
would estimate 0. It is taken as binary unless the spec declares it in ``counts``. Which
indicators were inferred to be counts and which were taken as binary is said once as a warning
(:func:`count_rules`), in the provenance and in the reports' disclosure-control section.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import replace

import numpy as np
import pandas as pd

from rsw_eval._errors import RswEvalWarning, SpecError
from rsw_eval.disclosure import RATES, RuleSet, partial_releases
from rsw_eval.io._dashboard import dfe_indicators
from rsw_eval.publication._rates import ODD_SHARE, declared_rates
from rsw_eval.spec import EvaluationSpec
from rsw_eval.spec._checks import suggest

__all__ = ["count_rules", "counts_said", "dfe_rate_columns", "inferred_counts"]

#: Names of indicators that are no count even when every value is whole: populations, FTEs,
#: amounts, money, rates, shares, scores, grades, durations and ranks. Matched on whole words of
#: the name (split at ``_``): a fragment inside a word is no unit ("regist-ratio-n", "sepa-rate-d",
#: "a-fte-r", "teen-age", "means" are counts' names); a name it misses is protected as a count,
#: the side that ``not_counts`` can undo.
NOT_A_COUNT = re.compile(
    r"(?:^|_)(?:population|pop|fte|spend|spending|costs?|amounts?|gbp|price|budget|salary|"
    r"expenditure|index|rates?|pct|percent|percentage|per|ratio|share|score|grade|mean|median|"
    r"average|avg|rank|ofsted)(?:_|$)"
    # days, weeks and years measure time (sickness_days), but after a number they name a band of
    # children by how long (DfE's 2_years_or_more, 1_year_less_than_2_years: counts; q22att F3)
    r"|(?:^|(?<![0-9])_)(?:days|weeks|years)(?:_|$)"
)


def _vocabulary() -> tuple[pd.DataFrame, pd.DataFrame]:
    """The DfE dashboard's counts and its indicators that are not counts (by their unit)."""
    vocabulary = dfe_indicators()
    count = vocabulary["unit"].str.contains("(count)", regex=False) & ~vocabulary["indicator"].str.startswith(
        "population"
    )
    return vocabulary.loc[count], vocabulary.loc[~count]


def _units() -> tuple[set[str], set[str]]:
    """The DfE dashboard's counts and its indicators that are not counts (by their unit), the latter
    under DfE's own column names too (``agency_rate_fte``, ``CPP_subsequent_percent``: what the
    workforce and EES loaders keep when a spec reads the column as published)."""
    counts, rest = _vocabulary()
    return set(counts["indicator"]), set(rest["indicator"]) | dfe_rate_columns()


#: DfE's own names of the rates and percentages its tables publish beside the dashboard's own
#: (the workforce census's headcount and cover rates, the shares of plans at 31 March by duration,
#: the referrals' outcome percentages): a file loaded as published holds them, without the counts
#: or the denominators (``agency_headcount + inpost_headcount``) they were computed from.
DFE_RATE_COLUMNS = frozenset(
    {
        "agency_rate_headcount",
        "turnover_rate_headcount",
        "agency_cover_rate_fte",
        "vacancy_agency_cover_rate_fte",
        "3_months_or_less_percent",
        "more_than_3_months_6_months_percent",
        "more_than_6_months_less_than_1_year_percent",
        "1_year_less_than_2_years_percent",
        "no_further_action_percent",
        "not_in_need_percent",
        "rereferral_child_percent",
    }
)


def dfe_rate_columns() -> set[str]:
    """DfE's own column names of its rates and percentages (``agency_rate_fte``,
    ``CPP_subsequent_percent``, ``rate_per_10000``, and :data:`DFE_RATE_COLUMNS`, which the
    dashboard does not use): no count, but a rate of one, so not skipped by the rate guard as the
    dashboard's canonical names are (those take their :data:`~rsw_eval.disclosure.RATES` rule);
    guarded, and never withheld, since DfE publishes them (findings-q8disc L0, G1).

    Examples
    --------
    >>> {"CPP_subsequent_percent", "agency_rate_headcount"} <= dfe_rate_columns()
    True
    """
    _, rest = _vocabulary()
    named = {str(c) for c in rest["dfe_column"].dropna() if str(c)} | DFE_RATE_COLUMNS
    return named - set(rest["indicator"])


def inferred_counts(
    panel: pd.DataFrame, known: frozenset[str], not_counts: tuple[str, ...] = (), *, binary: bool = False
) -> list[str]:
    """The indicators of ``panel`` (long: ``indicator``, ``value``; ``[derived]`` rows, whose
    ``source`` starts with ``derived:``, aside) that are not in ``known`` but can only be counts:
    every value a whole number >= 0 but for a few (at most 5% of them, one at least, fewer than
    the whole ones: a typo such as 12.5 or a missing-value code such as -1 does not switch the rule
    off; :func:`odd_values` says how many), not every value 0 or 1 (a flag), the name no
    population, FTE, amount, rate or score. With ``binary=True``, the flags instead: the undeclared indicators
    whose every value is 0 or 1.

    Examples
    --------
    >>> p = pd.DataFrame({"indicator": ["adoptions", "adoptions", "population_0_17", "uasc"],
    ...                   "value": [2.0, 14.0, 54000.0, 3.5], "source": "f"})
    >>> inferred_counts(p, frozenset()), inferred_counts(p, frozenset(), ("adoptions",))
    (['adoptions'], [])
    >>> inferred_counts(p.assign(indicator="ofsted_grade"), frozenset())
    []
    >>> inferred_counts(p[:2].assign(indicator="cp_registrations"), frozenset())  # no "ratio"
    ['cp_registrations']
    >>> typo = pd.DataFrame({"indicator": "s47", "value": [200.0] * 19 + [12.5], "source": "f"})
    >>> inferred_counts(typo, frozenset())
    ['s47']
    >>> flags = pd.DataFrame({"indicator": "high_repeat", "value": [0.0, 1.0, 1.0], "source": "f"})
    >>> inferred_counts(flags, frozenset()), inferred_counts(flags, frozenset(), binary=True)
    ([], ['high_repeat'])
    """
    out = []
    for name, n, odd, flag in _tallies(panel, known, not_counts):
        whole = odd <= max(1, int(ODD_SHARE * n)) and n - odd > odd
        if whole and (flag if binary else not flag):
            out.append(name)
    return out


def _tallies(panel: pd.DataFrame, known: frozenset[str], not_counts: tuple[str, ...]):
    """Per undeclared indicator that may be a count (name, unit): how many values, how many are
    no whole number >= 0, and whether the whole ones are 0s and 1s (both)."""
    source = panel["source"].astype(str) if "source" in panel else pd.Series("", index=panel.index)
    rows = panel[~source.str.startswith("derived:")]
    _, other = _units()
    skip = set(known) | set(not_counts) | set(RATES) | other
    for name, values in rows.groupby("indicator", sort=True)["value"]:
        v = pd.to_numeric(values, errors="coerce").to_numpy(float)
        v = v[np.isfinite(v)]
        if name in skip or NOT_A_COUNT.search(str(name).lower()) or not len(v):
            continue
        good = v[_whole(v)]
        # a count with a typo (12.5) or a missing-value code (-1) is still a count: said, not skipped
        # a flag holds both 0 and 1: all 0 (DfE's CLA_YJLS among few authorities, att7 low 3) or
        # all 1 says nothing of a flag, and a count it may be is protected
        flag = np.isin(good, (0.0, 1.0)).all() and (good == 0).any() and (good == 1).any()
        yield str(name), len(v), len(v) - len(good), bool(flag)


def not_inferred(
    panel: pd.DataFrame, known: frozenset[str], not_counts: tuple[str, ...] = ()
) -> dict[str, str]:
    """The undeclared indicators whose values are mostly whole numbers >= 0 but that hold too many
    others (more than :data:`ODD_SHARE`) to be inferred counts: said, never dropped in silence.

    Examples
    --------
    >>> p = pd.DataFrame({"indicator": "s47", "value": [200.0] * 8 + [12.5, -1], "source": "f"})
    >>> not_inferred(p, frozenset())
    {'s47': '2 of 10 values are no whole number >= 0'}
    """
    return {
        name: f"{odd} of {n} values are no whole number >= 0"
        for name, n, odd, flag in _tallies(panel, known, not_counts)
        if odd > max(1, int(ODD_SHARE * n)) and n - odd > odd and not flag
    }


def _whole(v: np.ndarray) -> np.ndarray:
    return (v >= 0) & (v == np.round(v))


def odd_values(panel: pd.DataFrame, names: list[str]) -> dict[str, int]:
    """Per inferred count, how many of its values are no whole number >= 0 (a typo such as 12.5,
    a missing-value code such as -1). Never the values nor where they are: such a cell is hidden or
    rounded like any count, and its value (2.5 beside a hidden cell) would say the count is 2 or 3.

    Examples
    --------
    >>> p = pd.DataFrame({"la_code": "A", "year": range(2000, 2020), "indicator": "s47",
    ...                   "value": [200.0] * 19 + [-1.0]})
    >>> odd_values(p, ["s47"])
    {'s47': 1}
    """
    out = {}
    for name in names:
        v = pd.to_numeric(panel.loc[panel["indicator"] == name, "value"], errors="coerce").to_numpy(float)
        odd = int((np.isfinite(v) & ~_whole(v)).sum())
        if odd:
            out[name] = odd
    return out


def counts_said(said: dict) -> str:
    """The sentence that says which undeclared indicators were inferred to be counts and which
    were taken as binary (``said`` as :func:`count_rules` returns it), and the spec keys that
    change it; empty when there were none.

    Examples
    --------
    >>> print(counts_said({"counts_inferred": ["adoptions"], "counts_binary": ["high_repeat"]}))
    ... # doctest: +NORMALIZE_WHITESPACE
    adoptions inferred to be a count (values from 1 to the threshold suppressed); high_repeat
    taken as a 0/1 indicator (not protected as a count): list an indicator in the spec's
    counts = [...] to protect it as a count, in rates = {name = ["numerator", "denominator",
    scale]} to protect a rate by its count, or in not_counts = [...] to publish it unprotected
    >>> counts_said({"counts_inferred": [], "counts_binary": []})
    ''
    """
    parts = []
    for key, what in (
        ("counts_inferred", "inferred to be {a}count{s} (values from 1 to the threshold suppressed)"),
        ("counts_binary", "taken as {a}0/1 indicator{s} (not protected as {a}count{s})"),
        (
            "rates_guarded",
            "{a}rate{s} or percentage{s} not declared in rates (hidden wherever a count of the same "
            "authority and year is hidden, or {it} times what fits as {its} denominator gives a count "
            "from 1 to the threshold)",
        ),
    ):
        names = list(said.get(key) or ())
        if names:
            one = len(names) == 1
            words = {
                "a": "a " if one else "",
                "s": "" if one else "s",
                "it": "it" if one else "one",
                "its": "its",
            }
            parts.append(f"{', '.join(names)} {what.format(**words)}")
    for name, odd in (said.get("counts_odd_values") or {}).items():
        what = "1 value that is" if odd == 1 else f"{odd} values that are"
        parts.append(f"{name} holds {what} no whole number >= 0 (in the input file): check them")
    for name, why in (said.get("counts_not_inferred") or {}).items():
        parts.append(
            f"{name} is not protected as a count ({why}): it is hidden only where its value x a count "
            "gives one from 1 to the threshold"
        )
    by_value = list(said.get("rates_guarded_by_value") or ())
    if by_value:
        parts.append(
            f"{', '.join(by_value)} (values not whole, no unit known) hidden wherever value x what fits "
            "as a denominator (over 1, 100, 1,000 or 10,000) gives a count from 1 to the threshold"
        )
    for name in said.get("rates_kept_as_counts") or ():
        parts.append(f"{name} is declared in rates but holds whole numbers only: protected as a count too")
    for name, why in (said.get("rates_denominator_doubtful") or {}).items():
        parts.append(f"rates.{name}: {why}")
    parts += list((said.get("rates_unchecked") or {}).values())
    for name in said.get("rates_dfe_unexplained") or ():
        parts.append(
            f"no denominator in the data fits {name}, a rate of DfE's release (its file one the release "
            "registry knows): published as DfE published it (with c where a count is from 1 to 5)"
        )
    if not parts:
        return ""
    return (
        "; ".join(parts) + ": list an indicator in the spec's counts = [...] to protect it as a count, "
        'in rates = {name = ["numerator", "denominator", scale]} to protect a rate by its count, or in '
        "not_counts = [...] to publish it unprotected"
    )


def partial_said(partial: dict[str, int]) -> str:
    """The warning for files named as a DfE release's that hold too few authorities to be DfE's
    (:func:`rsw_eval.disclosure.partial_releases`: name -> the most local authorities holding a
    number in one year).

    Examples
    --------
    >>> partial_said({"d3_own.csv": 1})[:75]
    "d3_own.csv is named as a DfE release's file but 1 local authority at most h"
    """
    parts = [
        f"{name} is named as a DfE release's file but {held} local authorit"
        f"{'y' if held == 1 else 'ies'} at most hold{'s' if held == 1 else ''} a figure in one of its years"
        for name, held in partial.items()
    ]
    return (
        "; ".join(parts) + ": DfE's file holds figures for every authority of England, so its figures are "
        "protected as a council's own, not published as DfE's release (to publish DfE's as DfE did, "
        "load its file as downloaded)"
    )


def count_rules(spec: EvaluationSpec, panel: pd.DataFrame | None, rules: RuleSet) -> tuple[RuleSet, dict]:
    """``rules`` with every count of the panel in ``rules.counts``: rsw-eval's own, the DfE
    dashboard's, the spec's ``counts`` and the inferred ones (:func:`inferred_counts`).

    Raises :class:`~rsw_eval.SpecError` (exit 2) for a name in ``counts`` or ``not_counts`` that is
    neither an indicator of the panel nor a ``[derived]`` name, for a declared count with a
    value that is no whole number >= 0 (a misread column), and for one of rsw-eval's own counts in
    ``not_counts``.

    Returns
    -------
    (rules, said)
        The rule set, and what the provenance says: ``counts_declared``, ``counts_inferred`` and
        ``counts_binary`` (undeclared 0/1 indicators, not protected). The inferred and binary ones
        are also said in one :class:`~rsw_eval.RswEvalWarning` (:func:`counts_said`).

    Examples
    --------
    >>> from rsw_eval.disclosure import rule_set
    >>> spec = EvaluationSpec(counts=("uasc",), data={"admin": ["p.csv"]})
    >>> p = pd.DataFrame({"indicator": ["uasc", "adoptions"], "value": [3.0, 2.0], "source": "f"})
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     rules, said = count_rules(spec, p, rule_set())
    >>> {"uasc", "adoptions"} <= rules.counts, said["counts_inferred"], said["counts_binary"]
    (True, ['adoptions'], [])
    >>> str(caught[0].message)[:35]
    'adoptions inferred to be a count (v'
    >>> count_rules(EvaluationSpec(counts=("uasc2",), data={"admin": ["p.csv"]}), p, rule_set())
    ... # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    rsw_eval._errors.SpecError: counts: 'uasc2' is not an indicator of the panel nor a [derived] name...
    """
    if panel is None:
        return rules, {}
    names = set(panel["indicator"].astype(str)) | {str(k) for k in spec.derived}
    for key in ("counts", "not_counts"):
        for name in getattr(spec, key):
            if name not in names:
                raise SpecError(
                    f"{key}: {name!r} is not an indicator of the panel nor a [derived] name"
                    f"{suggest(name, tuple(sorted(names)))}"
                )
    for name in spec.counts:
        v = pd.to_numeric(panel.loc[panel["indicator"] == name, "value"], errors="coerce")
        bad = v[np.isfinite(v) & ((v < 0) | (v != v.round()))]
        if name not in spec.derived and len(bad):
            raise SpecError(
                f"counts: {name!r} is declared a count but holds {float(bad.iloc[0]):g}: expected whole "
                "numbers >= 0"
            )
    dashboard, other = _units()
    own = sorted((rules.counts | dashboard) & set(spec.not_counts))
    if own:
        raise SpecError(f"not_counts: {own[0]!r} is one of rsw-eval's own counts: it is always protected")
    numerators = {str(v[0]) for v in spec.rates.values() if v[0]}  # a declared rate's count is a count
    known = rules.counts | dashboard | set(spec.counts) | numerators
    clash = sorted(set(spec.rates) & known)
    if clash:
        raise SpecError(
            f"rates: {clash[0]!r} is a count (rsw-eval's, the DfE dashboard's, the spec's counts or a "
            "rate's numerator): a count is not declared a rate; declare its rate under the rate's own name"
        )
    rates = (*spec.not_counts, *spec.rates)
    # a name declared a rate that holds whole numbers only, and would be inferred a count: both rules
    kept = sorted(set(spec.rates) & set(inferred_counts(panel, frozenset(known), tuple(spec.not_counts))))
    inferred = sorted({*inferred_counts(panel, frozenset(known), rates), *kept})
    binary = inferred_counts(panel, frozenset(known), rates, binary=True)
    said = {"counts_declared": sorted(spec.counts), "counts_inferred": inferred, "counts_binary": binary}
    said["counts_odd_values"] = odd_values(panel, inferred)
    said["counts_not_inferred"] = not_inferred(panel, frozenset(known), rates)
    said["rates_kept_as_counts"] = kept
    partial = partial_releases(panel)
    if partial:  # said only where there is one: the provenance of a run without is as it was
        said["releases_partial"] = partial
        warnings.warn(partial_said(partial), RswEvalWarning, stacklevel=2)
    rules = replace(rules, counts=frozenset(known | set(inferred)), unprotected=frozenset(spec.not_counts))
    own = dfe_rate_columns() - set(spec.not_counts)
    skip = dashboard | (other - own) | set(spec.not_counts) | {str(k) for k in spec.derived}
    rules, rated = declared_rates(spec, names, rules, skip, panel, dfe_named=own)
    said |= rated
    loud = (
        "rates_guarded",
        "rates_guarded_by_value",
        "rates_unchecked",
        "rates_dfe_unexplained",
        "rates_denominator_doubtful",
        "counts_not_inferred",
    )
    if inferred or binary or any(said.get(key) for key in loud):
        warnings.warn(counts_said(said), RswEvalWarning, stacklevel=2)
    return rules, said
