"""How the reports word an authority's changes against its adoption year: a before/after pair
whose years both lie after (or before) the year the model began is a change while it ran, never
a change since it began (:func:`rsw_eval.designs.before_after.pair_relation`, the rule compare's
notes follow); and the headline estimate of a change since the model began for each indicator
(DiD, else ITS, else synthetic control), read by the row's adjusted verdict."""

from __future__ import annotations

import pandas as pd

from rsw_eval.designs.before_after import pair_relation
from rsw_eval.report._benchmark import model_words
from rsw_eval.report._common import capital
from rsw_eval.report._labels import outcome_label

__all__ = ["HEADLINE", "adopted", "after_note", "model_sentences", "years_cell"]


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


def model_sentences(table: pd.DataFrame, level: float) -> list[str]:
    """One sentence per indicator with a primary DiD, ITS or synthetic-control row (its DiD
    first): the change since the model began as the row's adjusted verdict reads it
    (:func:`~rsw_eval.report._benchmark.model_words`, the annual report's words)."""
    causal = table[table["design"].isin(HEADLINE) & table["primary"]]
    out = []
    for outcome, rows in causal.groupby("outcome", sort=False):
        chosen = rows.iloc[int(rows["design"].map(HEADLINE.index).to_numpy().argmin())]
        words = model_words(chosen, level)
        if words:
            out.append(f"{capital(outcome_label(outcome))}: {words}.")
    return out
