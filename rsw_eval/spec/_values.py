"""The valid values of an evaluation spec's keys, and the checks an EvaluationSpec runs on itself."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from rsw_eval._errors import SpecError
from rsw_eval._personal import mask_people, not_people, personal
from rsw_eval.io._controls import CONTROL, describe_control
from rsw_eval.io._threshold import check_threshold
from rsw_eval.spec._checks import suggest as _suggest

__all__ = [
    "ADJUST_METHODS",
    "DATA_KEYS",
    "DESIGNS",
    "DONOR_POOLS",
    "FAMILIES",
    "SSDA903_KEYS",
    "check_values",
]

ADJUST_METHODS = ("stepdown", "holm", "bh", "none")
#: Designs a spec can choose with ``designs = [...]`` (default: every design the data allow).
DESIGNS = (
    "cross_section",
    "multilevel",
    "consistency",
    "before_after",
    "did",
    "its",
    "cost_change",
    "synthetic_control",
    "synthetic_did",
    "staggered",
)
#: Where donor-pool designs (synthetic control, synthetic DiD, placebo-in-space inference) draw
#: their donors from: the spec's comparators, every authority in the data not using the model, the
#: treated authority's statistical neighbours, or a list of codes.
DONOR_POOLS = ("comparators", "not_using_model", "statistical_neighbours")
FAMILIES = ("worker", "parent", "admin", "cost")
DATA_KEYS = (
    "worker_survey",
    "parent_survey",
    "admin",
    "costs",
    "neighbours",
    "ssda903",
    "deflator",
    "deflator_base",
)
_TYPES = {
    "title": str,
    "confidence": float,
    "adjust": str,
    "seed": int,
    "disclosure_threshold": int,
    "disclosure_rules": str,
    "synthetic": bool,
    "intervention_year": int,
    "baseline_year": int,
    "followup_year": int,
}
SSDA903_KEYS = ("header", "episodes", "year", "la_code")


def _check_types(spec: Any) -> None:
    for name, kind in _TYPES.items():
        value = getattr(spec, name)
        if value is None and name.endswith("_year"):
            continue
        ok = isinstance(value, kind) and not (kind is int and isinstance(value, bool))
        if kind is float:
            ok = isinstance(value, int | float) and not isinstance(value, bool)
        if not ok:
            noun = {float: "a number", int: "a whole number", str: "text", bool: "true or false"}
            raise SpecError(f"{name} must be {noun[kind]}. Got {value!r}.")
    for key, value in spec.data.items():
        if key in ("admin", "costs", "deflator"):
            entries = [value] if isinstance(value, str | dict) else value
            for entry in entries:
                path = entry.get("path") if isinstance(entry, dict) else entry
                if not isinstance(path, str):
                    raise SpecError(
                        f"each [data] {key} entry is a path or a table with path = '...'. Got {entry!r}."
                    )
        elif key == "ssda903":
            missing = [k for k in SSDA903_KEYS if not isinstance(value, dict) or k not in value]
            if missing:
                raise SpecError(
                    "[data.ssda903] needs header, episodes, year and la_code; missing " + ", ".join(missing)
                )
        elif key == "deflator_base":
            if not isinstance(value, str | int) or isinstance(value, bool):
                raise SpecError(f"[data] deflator_base must be a year such as '2018-19'. Got {value!r}.")
        elif key == "neighbours" and isinstance(value, list):
            if not value or not all(isinstance(v, str) for v in value):
                raise SpecError(f"[data] neighbours must be a path or a list of paths. Got {value!r}.")
        elif not isinstance(value, str):
            raise SpecError(f"[data] {key} must be a path (text). Got {value!r}.")


def _check_series(spec: Any) -> None:
    """``derived`` and ``vintage_order`` (errors name the key path)."""
    spec.derived_indicators  # noqa: B018 (parses, raising SpecError on a bad entry)
    order = spec.vintage_order
    if isinstance(order, str) or not all(isinstance(v, str) for v in order):
        raise SpecError(f"vintage_order must be a list of file names, oldest release first. Got {order!r}.")


def _check_counts(spec: Any) -> None:
    """``counts`` and ``not_counts``: lists of indicator names, none in both (whether each is in the
    data is checked when the data are loaded: :func:`rsw_eval.publication.count_rules`)."""
    for key in ("counts", "not_counts"):
        names = getattr(spec, key)
        # any column name (DfE's 2_years_or_more is no Python identifier), not blank or unprintable
        if isinstance(names, str) or not all(
            isinstance(v, str) and v.strip() and v.isprintable() for v in names
        ):
            raise SpecError(f'{key} must be a list of indicator names (e.g. ["adoptions"]). Got {names!r}.')
    both = sorted(set(spec.counts) & set(spec.not_counts))
    if both:
        raise SpecError(f"counts and not_counts both name {both[0]!r}: it is one or the other")
    _check_rates(spec)


def _check_rates(spec: Any) -> None:
    """``rates``: a table of ``name = [numerator, denominator, scale]`` (whether the names are in
    the data is checked when the data are loaded: :func:`rsw_eval.publication.count_rules`)."""
    rates = spec.rates
    example = 'e.g. rates = {adopted_pct = ["adoptions", "children_looked_after", 100]}'
    if not isinstance(rates, Mapping):
        raise SpecError(
            f"rates must be a table of name = [numerator, denominator, scale] ({example}). Got {rates!r}."
        )
    for name, entry in rates.items():
        ok = isinstance(entry, list | tuple) and len(entry) == 3
        num, den, scale = entry if ok else ("", "", 0)
        ok = ok and isinstance(num, str) and (num == "" or num.isidentifier())
        ok = ok and isinstance(den, str) and den.isidentifier()
        ok = ok and isinstance(scale, int | float) and not isinstance(scale, bool) and scale > 0
        if not ok or not str(name).isidentifier():
            raise SpecError(
                f"rates.{name} must be [numerator, denominator, scale]: two indicator names (the numerator "
                f'"" when the panel has none) and a number > 0 ({example}). Got {entry!r}.'
            )
        if name in (num, den):
            raise SpecError(f"rates.{name}: a rate cannot be its own numerator or denominator")
        for key in ("counts", "not_counts"):
            if name in getattr(spec, key):
                raise SpecError(f"rates and {key} both name {name!r}: it is one or the other")


def _check_power(spec: Any) -> None:
    """``questions`` (parsed, each problem named) and ``mde_effect``."""
    spec.question_list  # noqa: B018 (parses, raising SpecError on a bad entry)
    e = spec.mde_effect
    if e is not None and (isinstance(e, bool) or not isinstance(e, int | float) or not -1 < e < 10 or e == 0):
        raise SpecError(
            "mde_effect must be a relative change above -1 and not 0 (e.g. -0.2 for a fall of 20%). "
            f"Got {e!r}."
        )


def check_values(spec: Any) -> None:
    """Every value check of an EvaluationSpec (one SpecError naming the key)."""
    _check_types(spec)
    _check_series(spec)
    _check_counts(spec)
    _check_power(spec)
    if not 0 < spec.confidence < 1:
        raise SpecError(f"confidence must be a float in (0, 1). Got {spec.confidence!r} instead.")
    if spec.adjust not in ADJUST_METHODS:
        raise SpecError(
            f"adjust must be one of {', '.join(ADJUST_METHODS)}. Got {spec.adjust!r}"
            + _suggest(str(spec.adjust), ADJUST_METHODS)
        )
    model = spec.neighbours_model
    if model is not None and (not isinstance(model, int) or isinstance(model, bool)):
        raise SpecError(f"neighbours_model must be the model's year, e.g. 2021 or 2025. Got {model!r}.")
    if spec.disclosure_rules not in ("default", "dfe"):
        raise SpecError(f"disclosure_rules must be 'default' or 'dfe'. Got {spec.disclosure_rules!r}.")
    check_threshold(spec.disclosure_threshold, "disclosure_threshold")
    if isinstance(spec.comparators, str) and spec.comparators not in ("statistical_neighbours", "all"):
        raise SpecError(
            "comparators must be 'statistical_neighbours', 'all' or a list of codes. "
            f"Got {spec.comparators!r}."
        )
    if spec.comparators == "statistical_neighbours" and "neighbours" not in spec.data:
        raise SpecError(
            "comparators = 'statistical_neighbours' needs [data] neighbours = '<DfE groupings file>'"
        )
    if spec.designs is not None:
        bad = [d for d in spec.designs if d not in DESIGNS]
        if bad:
            raise SpecError(
                f"designs: unknown design {bad[0]!r}{_suggest(str(bad[0]), DESIGNS)}; valid: "
                + ", ".join(DESIGNS)
            )
    if isinstance(spec.donors, str) and spec.donors not in DONOR_POOLS:
        raise SpecError(
            f"donors must be one of {', '.join(DONOR_POOLS)} or a list of codes. Got {spec.donors!r}"
            + _suggest(spec.donors, DONOR_POOLS)
        )
    for code, year in spec.adoption.items():
        if code not in spec.unit_model:
            raise SpecError(f"adoption year given for {code!r}, which is not in unit_model")
        if not isinstance(year, int) or isinstance(year, bool):
            raise SpecError(f"unit_model: the adoption year of {code} must be a whole number. Got {year!r}.")
    unknown = [k for k in spec.data if k not in DATA_KEYS]
    if unknown:
        raise SpecError(
            f"unknown key [data] {unknown[0]!r}{_suggest(unknown[0], DATA_KEYS)}; valid "
            f"keys: {', '.join(DATA_KEYS)}"
        )
    if not spec.data:
        raise SpecError("the spec names no data: give [data] with at least one of " + ", ".join(DATA_KEYS))
    for pair in spec.periods:
        if len(pair) != 2 or pair[0] >= pair[1]:
            raise SpecError(f"a before/after pair must be [earlier, later]. Got {list(pair)!r}.")
    years = spec.cost_years
    if years is not None and (len(years) != 2 or years[0] >= years[1]):
        # [2010, 2009] flipped the sign of the published cost change; [2009, 2009] gave no cost rows
        raise SpecError(f"cost_years must be [earlier, later], e.g. [2009, 2010]. Got {list(years)!r}.")
    if spec.seed < 0:  # numpy's generators refuse it, after the comparison has begun
        raise SpecError(f"seed must be a whole number >= 0. Got {spec.seed!r}.")
    _check_years(spec)
    _check_windows(spec)
    _check_names(spec)


def _check_names(spec: Any) -> None:
    """No name the spec gives to what is published (its title, a [derived] or declared rate's name,
    a question's, an admin entry's ``name``, an indicator a ``value`` option names) may be a person's name or
    an identifier (:func:`rsw_eval._personal.personal`): reports print the title, results name the indicators
    (findings-q16att N1, N4). The name itself is not echoed; the labels of ``not_people`` are no
    person's (a list of text, checked here)."""
    said = {"title": spec.title}
    said |= {f"derived.{i}": name for i, name in enumerate(spec.derived)}
    said |= {f"rates.{i}": name for i, name in enumerate(spec.rates)}
    said |= {f"questions.{i}": name for i, name in enumerate(spec.questions)}  # q17att Q6

    for i, entry in enumerate(spec.data.get("admin") or []):
        value = entry.get("value") if isinstance(entry, Mapping) else None
        if isinstance(entry, Mapping) and isinstance(entry.get("name"), str):  # a population's (q17att Q7)
            said[f"data.admin[{i}].name"] = entry["name"]
        names = value.items() if isinstance(value, Mapping) else [(v, "") for v in _listed(value)]
        for k, (name, column) in enumerate(names):
            # each on its own: "CLA_Miss cla_missing" reads as a title and a surname (att7 low 2)
            said[f"data.admin[{i}].value[{k}]"] = (name, column)
    said |= {f"unit_model.{i}": str(code) for i, code in enumerate(spec.unit_model)}
    said = {k: v if isinstance(v, tuple) else (v,) for k, v in said.items()}
    for key, texts in said.items():  # a control character breaks the reports (findings-q18att F11)
        for text in texts:
            if isinstance(text, str) and CONTROL.search(text):
                raise SpecError(f"{key}: {describe_control(text)} in a name rsw-eval publishes; delete it")
    labels = spec.not_people
    if not isinstance(labels, list | tuple) or not all(isinstance(v, str) and v.strip() for v in labels):
        raise SpecError(
            'not_people must be a list of labels that name no person, e.g. not_people = ["Florence '
            f'Nightingale ward"]. Got {type(labels).__name__} (not shown).'
        )
    if short := [i for i, v in enumerate(labels) if len(re.findall(r"[^\W_]+", v)) < 2]:
        # one word ("Quenby", "Jane") would pass every name that holds it (findings-q19att N4)
        raise SpecError(
            f"not_people[{short[0]}]: a label of one word (not shown) would let every name holding it "
            f'through; list the whole label that names no person, e.g. "Nightingale ward"'
        )
    with not_people(labels):
        bad = [
            k
            for k, texts in said.items()
            if any(isinstance(t, str) and t and any(map(_named, [t, *t.split("=")])) for t in texts)
        ]
    if bad:
        raise SpecError(
            f"{bad[0]}: a name that may identify a person, or an identifier (not shown): rsw-eval "
            f"publishes it; give a name that says what it is, or, if it names no person (a ward, a "
            f"house named after one), list it in not_people = [...] at the spec's top level"
        )


def _named(text: str) -> bool:
    """A person's name or an identifier, whole or inside ``text`` (a title)."""
    return personal(text) or mask_people(text, "\0") != text


def _listed(value: Any) -> list[str]:
    return [value] if isinstance(value, str) else [v for v in value or () if isinstance(v, str)]


def _check_years(spec: Any) -> None:
    """Every year the spec names is one a panel may hold (1990-2100, as the loaders check): 1066
    is a typo, not a year with data."""
    from rsw_eval.io._panel import FIRST_YEAR, LAST_YEAR

    named = {k: getattr(spec, k) for k in ("intervention_year", "baseline_year", "followup_year")}
    named |= {f"unit_model.{code}": year for code, year in spec.adoption.items()}
    named["cost_years"] = spec.cost_years
    named["before_after"] = [y for pair in spec.before_after for y in pair]
    for key, value in named.items():
        for year in value if isinstance(value, list | tuple) else [value]:
            if year is not None and not FIRST_YEAR <= year <= LAST_YEAR:
                raise SpecError(
                    f"{key}: {year} is not a year the data can hold; expected a year "
                    f"{FIRST_YEAR}-{LAST_YEAR} (ending 31 March)"
                )


def _check_windows(spec: Any) -> None:
    """``pre_years``/``post_years``: a number of years >= 1, or [first, last] on the right side of
    every adopter's own adoption year."""
    for key in ("pre_years", "post_years"):
        value = getattr(spec, key)
        if value is None:
            continue
        if isinstance(value, int) and not isinstance(value, bool):
            if value < 1:
                raise SpecError(f"{key} must be at least 1 year. Got {value!r}.")
            continue
        if not (
            isinstance(value, tuple | list)
            and len(value) == 2
            and all(isinstance(y, int) and not isinstance(y, bool) for y in value)
            and value[0] <= value[1]
        ):
            raise SpecError(
                f"{key} must be a number of years or [first, last] with first <= last. Got {value!r}."
            )
        for code in spec.unit_model:
            year = spec.adoption_year(code)
            if year is None:
                continue
            wrong = value[1] >= year if key == "pre_years" else value[0] < year
            if wrong:
                side = "before" if key == "pre_years" else "from"
                raise SpecError(
                    f"{key} = {list(value)} is not {side} the adoption year of {code} ({year}): give "
                    f"a number of years instead (counted from each adopter's own year)"
                )
