"""Whether a survey's rows are about one authority, for ``compare --authority`` and the reports
run for one authority.

A survey's unit-model group is the respondents whose ``model`` is the unit model, under their own
authority labels. With ``--authority`` the run is about that authority alone (never another
adopter's numbers), so a survey whose unit-model group pools several authorities, or is another
authority's by name or code, is not run for it: one record says so (findings-q18att F7: three other
authorities' pooled survey rows were published as Southwark's analysis).
"""

from __future__ import annotations

import pandas as pd

from rsw_eval.io._lacodes import gss_code, la_codes

__all__ = ["not_about"]


def _code(label: str) -> str | None:
    """The GSS code a label names (a code, an old DfE number or an authority's name), or None."""
    codes = la_codes()
    by_name = dict(zip(codes["la_name"].str.casefold(), codes["la_code"], strict=False))
    code = gss_code(label)
    return code if code in set(codes["la_code"]) else by_name.get(label.casefold())


def not_about(frame: pd.DataFrame, authority: str) -> str | None:
    """Why the survey ``frame`` (loaded: ``authority`` and ``model`` columns) is not about
    ``authority`` (a GSS code) alone, or None when it may be: its unit-model group has one label,
    and that label names no other authority (a pseudonym, "Unit-model LA", is the user's own).

    Examples
    --------
    >>> f = pd.DataFrame({"authority": ["Unit LA A", "Unit LA B", "Comp C"],
    ...                   "model": ["unit", "unit", "conventional"]})
    >>> not_about(f, "E09000028")
    "the survey's unit-model group pools 2 authorities' respondents"
    >>> not_about(f.iloc[[0, 2]], "E09000028") is None
    True
    >>> not_about(f.assign(authority=["Hackney", "Hackney", "Comp C"]), "E09000028")
    "the survey's unit-model group is another authority's"
    """
    labels = frame.loc[frame["model"].astype(str) == "unit", "authority"].dropna().astype(str).str.strip()
    unit = sorted(set(labels) - {""})
    if len(unit) > 1:
        return f"the survey's unit-model group pools {len(unit)} authorities' respondents"
    if unit and (code := _code(unit[0])) is not None and code != authority:
        return "the survey's unit-model group is another authority's"
    return None
