"""Who is compared with whom: the treated, comparator and donor authorities of one data set.

Resolved once per data set (administrative panel, costs) and shared by every design, so that a
design never works out its own comparators, and provenance and reports name the same ones.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import pandas as pd

from rsw_eval._errors import SpecError
from rsw_eval.io._authority import AREA_PREFIXES
from rsw_eval.spec import EvaluationSpec

__all__ = ["AREA_PREFIXES", "ENGLAND", "Comparison", "authorities", "resolve"]

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
    absent : list of str
        Comparators the spec names (or the neighbours of the authority) that are not in the data.
    of : str
        The authority whose statistical neighbours are the comparators ("" otherwise).
    names : dict of str to str
        Display names of the authorities (from the data, else the bundled lookup).
    groupings : str
        The statistical-neighbour groupings file ("" when not used).
    reorganised : list of dict
        The treated and comparator authorities (listed or in the data) whose area was reorganised
        (abolished, created or recoded: :func:`rsw_eval.io._lacodes.reorganisation`), so that a
        series that ends or begins with a reorganisation is said, never silently short.
    unusable : str
        Why there are no comparators (every one listed is a unit-model authority or not in the
        data), in words; "" when there are some.
    """

    treated: list[str]
    comparators: list[str]
    donors: list[str]
    how: str = ""
    neighbours: pd.DataFrame = field(default_factory=pd.DataFrame)
    absent: list[str] = field(default_factory=list)
    of: str = ""
    names: dict[str, str] = field(default_factory=dict)
    groupings: str = ""
    reorganised: list[dict] = field(default_factory=list)
    unusable: str = ""

    def describe(self) -> pd.DataFrame:
        """One row per treated, comparator and absent comparator authority: ``role, la_code,
        old_la_code, la_name, rank, closeness, in_data`` (rank and closeness for statistical
        neighbours).

        Examples
        --------
        >>> c = Comparison(["E09000012"], ["E09000028"], [], absent=["E09000022"])
        >>> c.describe()[["role", "la_code", "la_name", "in_data"]]
                 role    la_code    la_name  in_data
        0     treated  E09000012    Hackney     True
        1  comparator  E09000028  Southwark     True
        2  comparator  E09000022    Lambeth    False
        """
        from rsw_eval.io._lacodes import la_codes

        lookup = la_codes().drop_duplicates("la_code").set_index("la_code")
        nb = self.neighbours.set_index("neighbour_code") if len(self.neighbours) else pd.DataFrame()
        rows = []
        for role, codes, present in (
            ("treated", self.treated, True),
            ("comparator", self.comparators, True),
            ("comparator", self.absent, False),
        ):
            for code in codes:
                known = code in lookup.index
                rows.append(
                    {
                        "role": role,
                        "la_code": code,
                        "old_la_code": lookup.at[code, "old_la_code"] if known else "",
                        "la_name": self.names.get(code) or (lookup.at[code, "la_name"] if known else ""),
                        "rank": int(nb.at[code, "rank"]) if code in nb.index else pd.NA,
                        "closeness": str(nb.at[code, "closeness"]) if code in nb.index else "",
                        "in_data": present,
                    }
                )
        return pd.DataFrame(
            rows, columns=["role", "la_code", "old_la_code", "la_name", "rank", "closeness", "in_data"]
        )

    def provenance(self) -> dict:
        """How the comparators were chosen, and each one named (for ``Results.provenance``)."""
        import re

        year = re.search(r"(19|20)\d{2}", self.groupings)
        model = self.neighbours["model"].dropna() if "model" in self.neighbours else pd.Series(dtype="Int64")
        return {
            "how": self.how,
            "neighbours_of": self.of,
            "groupings_file": self.groupings,
            "groupings_year": int(model.iloc[0]) if len(model) else int(year.group(0)) if year else None,
            "reorganised": list(self.reorganised),
            "authorities": self.describe().astype(object).where(lambda f: f.notna(), None).to_dict("records"),
        }


def _unusable(whose: str, listed: Sequence[str], excluded: set[str], what: str, codes: Sequence[str]) -> str:
    """Why none of ``listed`` can be a comparator, in words (for the error or the skip record).

    Examples
    --------
    >>> _unusable("the comparators (204)", ["E09000012"], {"E09000012"}, "admin", ["E09000012"])[:56]
    'none of the comparators (204) can be one: E09000012 uses'
    """
    adopters = [c for c in dict.fromkeys(listed) if c in excluded]
    missing = [c for c in dict.fromkeys(listed) if c not in codes and c not in excluded]
    if not adopters:
        listing = _listing(list(codes))
        return f"none of {whose} can be one; none is in the {what} data, whose authorities are {listing}"
    out = (
        f"none of {whose} can be one: {', '.join(adopters)} use{'s' if len(adopters) == 1 else ''} "
        "the unit model (an adopter is never another's comparator)"
    )
    return out + (f"; {_listing(missing)} not in the {what} data" if missing else "")


def _neighbours_of(code: str, table: pd.DataFrame | None, k: int = 10) -> tuple[list[str], pd.DataFrame]:
    from rsw_eval.comparison.neighbours import statistical_neighbours

    codes = statistical_neighbours(code, k, table=table)
    rows = table[table["la_code"] == code] if table is not None else pd.DataFrame()
    return codes, rows


def resolve(
    spec: EvaluationSpec,
    codes: Sequence[str],
    neighbours: pd.DataFrame | None = None,
    what: str = "administrative",
    *,
    authority: str | None = None,
    names: dict[str, str] | None = None,
    groupings: str = "",
    require_comparators: bool = True,
) -> Comparison:
    """Resolve the spec's unit-model authorities, comparators and donor pool in one data set.

    Parameters
    ----------
    spec : EvaluationSpec
    codes : sequence of str
        Authority codes present in the data (areas are left out).
    neighbours : DataFrame, optional
        Statistical neighbour groupings (:func:`rsw_eval.comparison.neighbours.load_statistical_neighbours`).
    what : str
        Name of the data set, for messages.
    authority : str, optional
        The authority the evaluation is about (a unit-model authority or any other authority in
        the data, e.g. the council of an annual report): treated alone, never its own comparator,
        and with ``comparators = "statistical_neighbours"`` its own neighbours are the
        comparators (and donors with ``donors = "statistical_neighbours"``). Other unit-model
        authorities are never comparators or donors. Default: every unit-model authority,
        neighbours of the first.
    names : dict, optional
        Display names by code (for :meth:`Comparison.describe`).
    groupings : str
        File name of the neighbour groupings (provenance).
    require_comparators : bool, default True
        Raise when no authority can be a comparator (every one listed, or every statistical
        neighbour, is a unit-model authority or not in the data); with False the comparison comes
        back with no comparators, ``unusable`` saying why, and the caller records what could not
        be run (a council's cost ledger normally covers only itself; one of several adopters).

    Raises
    ------
    SpecError
        None of the unit-model authorities (or ``authority``) is in the data, or, with
        ``require_comparators``, no authority can be a comparator.

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
    if authority is not None:
        authority = gss_code(authority)
        if authority not in codes:
            raise SpecError(
                f"authority {authority!r} is not in the {what} data; its authorities are {_listing(codes)}"
            )
        treated = [authority]  # a unit-model authority, or a council benchmarked on its own
    if not treated:
        raise SpecError(
            f"none of unit_model ({', '.join(spec.unit_model) or 'empty'}) is in the "
            f"{what} data; its authorities are {_listing(codes)}"
        )
    focus = treated[0]
    excluded = {*unit_model, *treated}
    not_using = [c for c in codes if c not in excluded]
    table, of, absent = pd.DataFrame(), "", []
    label = dict(names or {})
    if isinstance(spec.comparators, tuple):
        listed = [gss_code(c) for c in spec.comparators]
        comparators = [c for c in listed if c in codes and c not in excluded]
        absent = [c for c in listed if c not in codes and c not in excluded]
        whose = f"the comparators ({', '.join(spec.comparators)})"
        how = "listed in the spec"
    elif spec.comparators == "statistical_neighbours":
        listed, table = _neighbours_of(focus, neighbours)
        whose = f"the statistical neighbours of {label.get(focus) or focus} ({focus})"
        comparators = [c for c in listed if c in codes and c not in excluded]
        absent = [c for c in listed if c not in codes and c not in excluded]
        of = focus
        who = label.get(focus, "")
        model = table["model"].dropna() if "model" in table else pd.Series(dtype="Int64")
        named = f"the DfE {int(model.iloc[0])} statistical neighbour model" if len(model) else ""
        where = f"{named} ({groupings})" if named and groupings else named or groupings
        how = f"statistical neighbours of {who + ' (' + focus + ')' if who else focus}" + (
            f" in {where}" if where else ""
        )
    else:
        listed = []
        comparators = not_using
        whose = "the authorities in the data"
        how = "every other authority in the data"
    unusable = "" if comparators else _unusable(whose, listed, excluded, what, codes)
    if unusable and require_comparators:
        raise SpecError(unusable)
    left_out = [c for c in dict.fromkeys(listed) if c in excluded and c != focus]
    if left_out:  # never a comparator: said, not dropped in silence
        how += "; unit-model authorities left out: " + ", ".join(
            f"{label[c]} ({c})" if label.get(c) else c for c in left_out
        )
    if spec.donors == "comparators":
        donors = list(comparators)
    elif spec.donors == "not_using_model":
        donors = not_using
    elif spec.donors == "statistical_neighbours":
        listed, _ = _neighbours_of(focus, neighbours)
        donors = [c for c in listed if c in codes and c not in excluded]
    else:
        donors = [gss_code(c) for c in spec.donors]
        donors = [c for c in donors if c in codes and c not in excluded]
    from rsw_eval.io._lacodes import reorganisation

    changes = [reorganisation(c) for c in dict.fromkeys([*treated, *comparators, *absent])]
    reorganised = [c for c in changes if c]
    return Comparison(
        treated, comparators, donors, how, table, absent, of, label, groupings, reorganised, unusable
    )
