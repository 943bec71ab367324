"""Whether a survey's rows are about one authority, for ``compare --authority`` and the reports
run for one authority.

A survey's unit-model group is the respondents whose ``model`` is the unit model, under their own
authority labels. With ``--authority`` the run is about that authority alone (never another
adopter's numbers), so a survey whose unit-model group pools several authorities, or is another
authority's by name or code, is not run for it: one record says so (findings-q18att F7: three other
authorities' pooled survey rows were published as Southwark's analysis).
"""

from __future__ import annotations

import functools
import re

import pandas as pd

from rsw_eval.io._lacodes import gss_code, la_codes

__all__ = ["adopters_of", "not_about"]


#: Words around an authority's name in a survey label: "London Borough of Hackney", "LB Hackney",
#: "Hackney Council", "Hackney LA", "Hackney Children's Services", "Hackney (synthetic)".
_AFFIXES = re.compile(
    r"\([^)]*\)|\b(?:london borough of|royal borough of|metropolitan borough of|borough of|city of|"
    r"county of|county council|borough council|city council|district council|council|lb|la|lbc|"
    r"children'?s services|social care|the)\b"
)


def _key(label: str) -> str:
    """A label's words without case, marks or the words around an authority's name."""
    text = _AFFIXES.sub(" ", str(label).casefold().replace("&", " and "))
    return " ".join(re.findall(r"[0-9a-z]+", text))


@functools.cache
def _lookup() -> tuple[frozenset[str], dict[str, str]]:
    """The bundled lookup's codes, and its names (as :func:`_key` writes them) to their codes:
    read once."""
    codes = la_codes()
    by_name = {_key(name): code for name, code in zip(codes["la_name"], codes["la_code"], strict=False)}
    return frozenset(codes["la_code"]), by_name


def _code(label: str) -> str | None:
    """The GSS code a label names (a code, an old DfE number or an authority's name, written any
    of the usual ways: findings-q19att N5), or None (a pseudonym)."""
    known, by_name = _lookup()
    code = gss_code(label.strip())
    return code if code in known else by_name.get(_key(label))


def not_about(frame: pd.DataFrame, authority: str, adopters: frozenset[str] = frozenset()) -> str | None:
    """Why the survey ``frame`` (loaded: ``authority`` and ``model`` columns) is not about
    ``authority`` (a GSS code) alone, or None when it may be: every unit-model label names that
    authority (its name however written, its code or old number), or, where the spec's one adopter
    (``adopters``: the codes its ``unit_model`` names) is ``authority``, is one pseudonym (the
    user's own label, "Unit-model LA"); a pseudonymous survey of another adopter is not the
    authority's (q19att N5).
    Labels that name the same authority are one authority (findings-q19att N6).

    Examples
    --------
    >>> f = pd.DataFrame({"authority": ["Unit LA A", "Unit LA B", "Comp C"],
    ...                   "model": ["unit", "unit", "conventional"]})
    >>> not_about(f, "E09000028")
    "the survey's unit-model group pools 2 authorities' respondents"
    >>> not_about(f.iloc[[0, 2]], "E09000028", frozenset({"E09000028"})) is None
    True
    >>> not_about(f.assign(authority=["Hackney Council", "LB Hackney", "Comp C"]), "E09000028")
    "the survey's unit-model group is another authority's"
    >>> not_about(f.assign(authority=["Hackney", "E09000012", "Comp C"]), "E09000012") is None
    True
    >>> not_about(f.iloc[[0, 2]], "E09000028", frozenset({"E09000028", "E09000012"}))
    "the survey's unit-model label names no authority, and E09000028 is not the spec's one adopter"
    """
    labels = frame.loc[frame["model"].astype(str) == "unit", "authority"].dropna().astype(str).str.strip()
    unit = sorted(set(labels) - {""})
    named = {label: _code(label) for label in unit}
    if any(code is not None and code != authority for code in named.values()):
        return "the survey's unit-model group is another authority's"
    pseudonyms = {_key(label) for label, code in named.items() if code is None}
    if len(pseudonyms) > 1:
        groups = len(pseudonyms) + any(code is not None for code in named.values())
        return f"the survey's unit-model group pools {groups} authorities' respondents"
    if pseudonyms and adopters != {authority}:
        return (
            f"the survey's unit-model label names no authority, and {authority} is not the spec's one adopter"
        )
    return None


def adopters_of(unit_model) -> frozenset[str]:
    """The authorities a spec's ``unit_model`` names (codes, old numbers or names; a survey's own
    label there is none).

    Examples
    --------
    >>> sorted(adopters_of(["E09000012", "204", "Unit LA A"])), len(adopters_of(["E09000012", "Southwark"]))
    (['E09000012'], 2)
    """
    return frozenset(code for u in unit_model if (code := _code(str(u))) is not None)
