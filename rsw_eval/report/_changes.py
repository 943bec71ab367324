"""How the reports word an authority's changes against its adoption year: a before/after pair
whose years both lie after (or before) the year the model began is a change while it ran, never
a change since it began (:func:`rsw_eval.designs.before_after.pair_relation`, the rule compare's
notes follow); and the headline estimate of a change since the model began for each indicator
(DiD, else ITS, else synthetic control), read by the row's adjusted verdict: a summary names
the primary outcome and the indicators that moved, and counts the rest."""

from __future__ import annotations

import pandas as pd

from rsw_eval.designs.before_after import pair_relation
from rsw_eval.report._benchmark import NO_CHANGE_ESTIMATE, model_words
from rsw_eval.report._common import capital
from rsw_eval.report._labels import outcome_label
from rsw_eval.report._numbers import fiscal_year

__all__ = ["HEADLINE", "adopted", "after_note", "cost_relation", "model_sentences", "years_cell"]


def adopted(r: pd.Series) -> int | None:
    """The adoption year a row carries (None when it has none)."""
    year = r.get("adoption_year")
    return None if year is None or pd.isna(year) else int(year)


def years_cell(r: pd.Series) -> str:
    """'2007 to 2010', or '2009 to 2010 (both after the model began in 2008)' for a pair that
    does not straddle the row's adoption year (:func:`~rsw_eval.designs.before_after.pair_relation`).

    Examples
    --------
    >>> years_cell(pd.Series({"period": "2009->2010", "adoption_year": 2008}))
    '2009 to 2010 (both after the model began in 2008)'
    >>> years_cell(pd.Series({"period": "2006->2010", "adoption_year": 2008}))
    '2006 to 2010'
    """
    a, b = (int(y) for y in r["period"].split("->"))
    year = adopted(r)
    if not pair_relation(a, b, year):
        return f"{a} to {b}"
    return f"{a} to {b} (both {'after' if a >= year else 'before'} the model began in {year})"


def cost_relation(t: pd.Series) -> str:
    """A cost change's pair of financial years against the row's adoption year, worded as a
    before/after pair's (:func:`~rsw_eval.designs.before_after.pair_relation`), ``""`` across it.

    Examples
    --------
    >>> row = pd.Series({"period": "2014->2017", "adoption_year": 2008})
    >>> print(cost_relation(row))  # doctest: +NORMALIZE_WHITESPACE
    change 2013-14 to 2016-17, both years after the model began in 2007-08: not a before/after
    comparison of the model
    """
    a, b = (int(y) for y in str(t["period"]).split("->"))
    return pair_relation(a, b, adopted(t), fiscal_year)


def after_note(unit_rows: pd.DataFrame) -> str:
    """Under the before/after table, when a pair of years does not straddle the adoption year:
    what such a change is (and is not)."""
    wholly = [
        r for _, r in unit_rows.iterrows() if pair_relation(*map(int, r["period"].split("->")), adopted(r))
    ]
    if not wholly:
        return ""
    return (
        "A change whose two years both lie after (or before) the year the model began is a change "
        "while the model ran (or before it), not a before/after comparison of the model."
    )


#: The designs whose primary rows estimate a change since the model began, in the order a
#: summary takes an indicator's headline from (as the annual report: DiD first).
HEADLINE = ("did", "its", "synthetic_control")


def _count(n: int, total: int, other: bool) -> str:
    """'2 of 3 indicators', 'any of the 3 indicators', 'the 2 other indicators' (``other``: the
    declared primary outcomes, said on their own, are not counted).

    Examples
    --------
    >>> _count(2, 3, False), _count(3, 3, False), _count(2, 2, False), _count(1, 1, False)
    ('2 of 3 indicators', 'any of the 3 indicators', 'both indicators', 'the one indicator')
    >>> _count(2, 2, True), _count(1, 1, True), _count(1, 2, True)
    ('the 2 other indicators', 'the other indicator', '1 of the 2 other indicators')
    """
    if other:
        if n == total:
            return "the other indicator" if total == 1 else f"the {total} other indicators"
        return f"{n} of the {total} other indicators"
    if n == total:
        return {1: "the one indicator", 2: "both indicators"}.get(total, f"any of the {total} indicators")
    return f"{n} of {total} indicator{'s' if total > 1 else ''}"


def model_sentences(table: pd.DataFrame, level: float, primaries: frozenset[str] = frozenset()) -> list[str]:
    """What a summary needs of the estimates of a change since the model began (each indicator's
    primary DiD, else ITS, else synthetic-control row, read by its adjusted verdict:
    :func:`~rsw_eval.report._benchmark.model_words`, the annual report's words): a sentence for
    each declared primary outcome (``primaries``) and each indicator that moved, then one sentence
    counting the other indicators with no clear change (named: a primary outcome said on its own
    is not counted again), one for those with no estimate (an invalid row: a series that does not
    vary) and one for those not shown (small numbers). Every interval and detectable size stays
    in the table the summary sits over.

    Examples
    --------
    >>> t = pd.DataFrame({"outcome": ["a_pct", "b_pct"], "design": "did", "primary": True,
    ...     "effect_size": [1.0, 2.0], "ci_low": [-1.0, -1.0], "ci_high": [3.0, 4.0],
    ...     "effect_size_name": "did_estimate", "scale": "level", "ci_level": 0.9, "p_adjusted": 0.5,
    ...     "p_value": 0.5})
    >>> print(model_sentences(t, 0.9)[0])  # doctest: +NORMALIZE_WHITESPACE
    No clear change since the model began in both indicators (a pct, b pct); each one's interval
    is in the tables below.
    >>> print(model_sentences(t, 0.9, frozenset({"a_pct"}))[1])  # doctest: +NORMALIZE_WHITESPACE
    No clear change since the model began in the other indicator (b pct); its interval is in the
    tables below.
    """
    causal = table[table["design"].isin(HEADLINE) & table["primary"]]
    said, still, none, hidden = [], [], [], []
    total = 0
    for outcome, rows in causal.groupby("outcome", sort=False):
        chosen = rows.iloc[int(rows["design"].map(HEADLINE.index).to_numpy().argmin())]
        words = model_words(chosen, level)
        name = outcome_label(outcome)
        if outcome in primaries and words:
            said.append(f"{capital(name)} (the declared primary outcome): {words}.")
            continue
        total += 1
        if words.startswith("no clear change"):
            still.append(name)
        elif words.startswith(NO_CHANGE_ESTIMATE):
            none.append(name)
        elif "not shown" in words or not words:
            hidden.append(name)
        else:  # it moved (or has no interval): its own figures
            said.append(f"{capital(name)}: {words}.")
    other = total < causal["outcome"].nunique()  # a primary outcome was said on its own
    if still:
        each = "its interval is" if len(still) == 1 else "each one's interval is"
        said.append(
            f"No clear change since the model began in {_count(len(still), total, other)} "
            f"({', '.join(still)}); {each} in the tables below."
        )
    if none:
        said.append(
            f"No estimate of a change since the model began for {', '.join(none)}; the notes "
            "under the tables below say why."
        )
    if hidden:
        said.append(f"Not shown (small numbers): {', '.join(hidden)}.")
    return said
