"""Who is compared with whom: the treated, comparator and donor authorities of one data set.

Resolved once per data set (administrative panel, costs) and shared by every design, so that a
design never works out its own comparators, and provenance and reports name the same ones.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import pandas as pd

from rsw_eval._errors import SpecError
from rsw_eval.spec import EvaluationSpec

__all__ = ["AREA_PREFIXES", "ENGLAND", "Comparison", "authorities", "resolve"]

#: GSS prefixes of areas that are not local authorities: England (E92), regions (E12), inner and
#: outer London (E13). Their rows (national figures) are context, never treated or comparators.
AREA_PREFIXES = ("E92", "E12", "E13")
ENGLAND = "E92000001"


def authorities(codes) -> list[str]:
    """The local-authority codes among ``codes`` (areas such as England or regions left out), sorted.

    Examples
    --------
    >>> authorities(["E09000012", "E92000001", "E12000007", "E09000028"])
    ['E09000012', 'E09000028']
    """
    return sorted(c for c in set(codes) if not str(c).startswith(AREA_PREFIXES))


def _listing(codes: Sequence[str]) -> str:
    return ", ".join(codes[:12]) + (" ..." if len(codes) > 12 else "")


@dataclass(frozen=True)
class Comparison:
    """The authorities of one data set, as the spec resolves them.

    Attributes
    ----------
    treated : list of str
        Unit-model authorities present in the data.
    comparators : list of str
        Comparators present in the data (never a treated authority).
    donors : list of str
        Donor pool for donor-pool designs and placebo-in-space inference (``spec.donors``): the
        comparators, every authority in the data not using the model, the first treated
        authority's statistical neighbours, or the spec's list; never a unit-model authority.
    how : str
        How the comparators were chosen, in words (for provenance and reports).
    neighbours : DataFrame
        For ``comparators = "statistical_neighbours"``: ``la_code, neighbour_code, rank,
        closeness`` of the authority whose neighbours they are; else empty.
    """

    treated: list[str]
    comparators: list[str]
    donors: list[str]
    how: str = ""
    neighbours: pd.DataFrame = field(default_factory=pd.DataFrame)


def _neighbours_of(code: str, table: pd.DataFrame | None, k: int = 10) -> tuple[list[str], pd.DataFrame]:
    from rsw_eval.comparators import statistical_neighbours

    codes = statistical_neighbours(code, k, table=table)
    rows = table[table["la_code"] == code] if table is not None else pd.DataFrame()
    return codes, rows


def resolve(
    spec: EvaluationSpec,
    codes: Sequence[str],
    neighbours: pd.DataFrame | None = None,
    what: str = "administrative",
) -> Comparison:
    """Resolve the spec's unit-model authorities, comparators and donor pool in one data set.

    Parameters
    ----------
    spec : EvaluationSpec
    codes : sequence of str
        Authority codes present in the data (areas are left out).
    neighbours : DataFrame, optional
        Statistical neighbour groupings (:func:`rsw_eval.comparators.load_statistical_neighbours`).
    what : str
        Name of the data set, for messages.

    Raises
    ------
    SpecError
        None of the unit-model authorities, or none of a listed set of comparators, is in the data.

    Examples
    --------
    >>> spec = EvaluationSpec(unit_model=("A",), comparators=("B", "C"), donors="not_using_model",
    ...                       data={"admin": ["panel.csv"]})
    >>> c = resolve(spec, ["A", "B", "C", "D"])
    >>> c.treated, c.comparators, c.donors
    (['A'], ['B', 'C'], ['B', 'C', 'D'])
    """
    from rsw_eval.io._lacodes import gss_code

    codes = authorities(codes)
    unit_model = [gss_code(c) for c in spec.unit_model]  # old 3-digit LA numbers accepted
    treated = [c for c in unit_model if c in codes]
    if not treated:
        raise SpecError(
            f"none of unit_model ({', '.join(spec.unit_model) or 'empty'}) is in the "
            f"{what} data; its authorities are {_listing(codes)}"
        )
    not_using = [c for c in codes if c not in unit_model]
    table = pd.DataFrame()
    if isinstance(spec.comparators, tuple):
        comparators = [gss_code(c) for c in spec.comparators]
        comparators = [c for c in comparators if c in codes and c not in treated]
        if not comparators:
            raise SpecError(
                f"none of the comparators ({', '.join(spec.comparators)}) is in the "
                f"{what} data; its authorities are {_listing(codes)}"
            )
        how = "listed in the spec"
    elif spec.comparators == "statistical_neighbours":
        listed, table = _neighbours_of(treated[0], neighbours)
        comparators = [c for c in listed if c in codes and c not in unit_model]
        how = f"statistical neighbours of {treated[0]}"
    else:
        comparators = not_using
        how = "every other authority in the data"
    if spec.donors == "comparators":
        donors = list(comparators)
    elif spec.donors == "not_using_model":
        donors = not_using
    elif spec.donors == "statistical_neighbours":
        listed, _ = _neighbours_of(treated[0], neighbours)
        donors = [c for c in listed if c in codes and c not in unit_model]
    else:
        donors = [gss_code(c) for c in spec.donors]
        donors = [c for c in donors if c in codes and c not in unit_model]
    return Comparison(treated, comparators, donors, how, table)
