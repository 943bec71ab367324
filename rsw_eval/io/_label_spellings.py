"""One authority or unit, one spelling: survey labels that differ only in case, spacing, an accent
or an invisible character are one group written two ways, which the analysis would split into two
groups (two published comparisons, two clusters: findings-q19att N7, findings-q20att F5)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from rsw_eval.io._coerce import Checker
from rsw_eval.io._filters import folded

__all__ = ["one_spelling"]


def one_spelling(check: Checker, column: str, labels: pd.Series) -> None:
    """Record a problem on ``check`` for the rows of ``column`` whose label (``labels``, loaded)
    is another's but for case, spacing, an accent or an invisible character
    (:func:`rsw_eval.io._filters.folded`): the rows of every spelling but the commonest.

    Examples
    --------
    >>> from rsw_eval.io._read import read_table
    >>> frame, info = read_table(pd.DataFrame({"authority": ["Comp A", "Comp A", "comp  A", "Comp B"]}))
    >>> check = Checker(frame, info)
    >>> one_spelling(check, "authority", frame["authority"])
    >>> check.problems[0].rows  # the DataFrame's own index: "comp  A"
    (2,)
    """
    text = labels.fillna("").astype(str)
    key = folded(text)
    odd = np.zeros(len(text), dtype=bool)
    for _, spellings in text[text != ""].groupby(key[text != ""]):
        counts = spellings.value_counts()
        if len(counts) > 1:
            odd |= text.isin(counts.index[1:]).to_numpy()
    if odd.any():
        check._bad(
            column,
            odd,
            text,
            "a label that is another row's but for case, spacing, an accent or an invisible character: "
            "one group written two ways would be analysed and published as two",
            "one spelling for each group",
            "write the label as the other rows do",
        )
