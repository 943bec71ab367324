"""Type and shape checks of a spec's raw TOML values, before they become an EvaluationSpec: each
problem is one message naming the spec file, the key path, what was expected and what was found."""

from __future__ import annotations

import difflib
from collections.abc import Collection, Mapping
from typing import Any

from rsw_eval._errors import SpecError


def suggest(key: str, valid: tuple[str, ...]) -> str:
    """`` (did you mean 'x'?)`` for the closest valid key, or nothing."""
    close = difflib.get_close_matches(key, valid, n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _kind(value: Any) -> str:
    names = {str: "text", bool: "true/false", int: "a whole number", float: "a number", list: "a list"}
    name = names.get(type(value), "a table" if isinstance(value, Mapping) else type(value).__name__)
    return f"{name} ({value!r})" if not isinstance(value, Mapping | list) else f"{name} {value!r}"


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _shape_error(label: str, key: str, expected: str, value: Any) -> SpecError:
    return SpecError(f"{label}: {key} must be {expected}; found {_kind(value)}")


def check_shapes(raw: Mapping[str, Any], label: str) -> None:
    """Wrong types and shapes, each named by spec file, key path, what was expected and found."""
    texts = "text or a list of text"
    unit = raw.get("unit_model")
    if isinstance(unit, Mapping):
        for code, year in unit.items():
            if code != "source" and not _is_int(year):
                raise _shape_error(label, f"unit_model.{code}", "a year (a whole number)", year)
    elif unit is not None and not (
        isinstance(unit, str) or (isinstance(unit, list) and all(isinstance(u, str) for u in unit))
    ):
        raise _shape_error(label, "unit_model", f"{texts}, or a table CODE = YEAR", unit)
    for key in ("comparators", "donors", "designs"):
        value = raw.get(key)
        if value is not None and not (
            isinstance(value, str) or (isinstance(value, list) and all(isinstance(v, str) for v in value))
        ):
            raise _shape_error(label, key, texts, value)
    pairs = raw.get("before_after")
    if pairs is not None and (
        not isinstance(pairs, list)
        or not all(isinstance(p, list) and len(p) == 2 and all(_is_int(y) for y in p) for p in pairs)
    ):
        raise _shape_error(
            label, "before_after", "a list of [earlier, later] year pairs, e.g. [[2006, 2010]]", pairs
        )
    years = raw.get("cost_years")
    if years is not None and not (
        isinstance(years, list) and len(years) == 2 and all(_is_int(y) for y in years)
    ):
        raise _shape_error(label, "cost_years", "two years [earlier, later], e.g. [2009, 2010]", years)
    for key in ("pre_years", "post_years"):
        value = raw.get(key)
        if value is not None and not (
            (_is_int(value) and value >= 1)
            or (isinstance(value, list) and len(value) == 2 and all(_is_int(y) for y in value))
        ):
            raise _shape_error(
                label, key, "a number of years (e.g. 5) or two years [first, last], e.g. [2004, 2007]", value
            )
    data = raw.get("data", {})
    if not isinstance(data, Mapping):
        raise _shape_error(label, "data", "a table ([data])", data)


def no_duplicate_units(unit: Any, label: str, key: str = "unit_model") -> None:
    """Refuse an authority listed twice in ``unit_model`` (by old DfE number and by GSS code, say):
    a table would keep one of its adoption years in silence, a list would run it twice. The same
    for a ``comparators`` or ``donors`` list (``key``): a comparator listed twice weighs double in
    the comparators' mean and counts as two placebos in the permutation p-value.

    Examples
    --------
    >>> no_duplicate_units({"210": 2016, "E09000012": 2008, "source": "x"}, "spec.toml")
    >>> try:
    ...     no_duplicate_units(["210", "E09000028"], "s")
    ... except SpecError as exc:
    ...     print(exc)
    s: unit_model lists E09000028 twice (as '210' and 'E09000028'); give each authority once
    >>> try:
    ...     no_duplicate_units(["208", "E09000022"], "s", "comparators")
    ... except SpecError as exc:
    ...     print(exc)
    s: comparators lists E09000022 twice (as '208' and 'E09000022'); give each authority once
    """
    from rsw_eval.io._lacodes import gss_code

    if isinstance(unit, Mapping):
        listed = [k for k in unit if k != "source"]
    elif isinstance(unit, list):
        listed = [u for u in unit if isinstance(u, str)]
    else:
        return
    what = key
    seen: dict[str, str] = {}
    for code in listed:
        code_key = gss_code(code)
        if code_key in seen:
            raise SpecError(
                f"{label}: {what} lists {code_key} twice (as {seen[code_key]!r} and {code!r}); "
                "give each authority once"
            )
        seen[code_key] = code


def not_redated(spec, code: str, year: int) -> str:
    """Refuse to give ``code`` an adoption year other than the one the spec gives it
    (``--adoption-year`` is for an authority the spec does not list): the spec is the record of
    the evaluation, and a report must not say 2018 where the spec says 2016. Returns ``code``.

    Raises
    ------
    SpecError
        The spec gives ``code`` another adoption year.

    Examples
    --------
    >>> from rsw_eval.spec import EvaluationSpec
    >>> spec = EvaluationSpec(unit_model=("A",), intervention_year=2008, data={"admin": ["p.csv"]})
    >>> not_redated(spec, "A", 2008)
    'A'
    >>> try:
    ...     not_redated(spec, "A", 2010)
    ... except SpecError as error:
    ...     print(str(error)[:60])
    the spec gives A adoption year 2008; --adoption-year 2010 wo
    """
    given = spec.adoption_year(code)
    if given is not None and given != int(year):
        raise SpecError(
            f"the spec gives {code} adoption year {given}; --adoption-year {int(year)} would replace "
            "it silently: change [unit_model] in the spec, or leave out --adoption-year"
        )
    return code


def gss_codes(values: dict[str, Any]) -> dict[str, Any]:
    """Old 3-digit DfE LA numbers in unit_model, comparators and donors -> GSS codes."""
    from rsw_eval.io._lacodes import gss_code

    for key in ("unit_model", "comparators", "donors"):
        value = values.get(key)
        if isinstance(value, list):
            values[key] = [gss_code(v) if isinstance(v, str) else v for v in value]
        elif isinstance(value, Mapping):
            values[key] = {gss_code(k) if k != "source" else k: v for k, v in value.items()}
    return values


def no_options_in_unit_model(unit: Any, label: str, options: Collection[str]) -> None:
    """A top-level option written below the ``[unit_model]`` header becomes one of its keys in
    TOML (``neighbours_model = 2025`` read as an authority adopting in 2025): refuse it by name;
    ``options`` are the spec's top-level keys.

    Examples
    --------
    >>> no_options_in_unit_model({"E09000012": 2008}, "spec.toml", ["seed"])  # an authority: fine
    >>> no_options_in_unit_model({"seed": 1}, "spec.toml", ["seed"])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    rsw_eval._errors.SpecError: spec.toml: unit_model.seed: expected an authority code = ... table
    """
    if not isinstance(unit, Mapping):
        return
    misplaced = [k for k in unit if k in options]
    if misplaced:
        raise SpecError(
            f"{label}: unit_model.{misplaced[0]}: expected an authority code = adoption year; found "
            f"{misplaced[0]!r}, a top-level option: put it above the [unit_model] table"
        )
