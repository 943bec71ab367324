"""Comparator authorities: DfE statistical neighbours, or nearest neighbours on your own data.

The groupings file is read by :func:`rsw_eval.io.load_statistical_neighbours` (re-exported here).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from rsw_eval._errors import DataError
from rsw_eval.io._neighbours import load_statistical_neighbours

__all__ = ["load_statistical_neighbours", "nearest_neighbours", "statistical_neighbours"]


def statistical_neighbours(la_code: str, k: int = 10, *, table: pd.DataFrame) -> list[str]:
    """The ``k`` nearest statistical neighbours of an authority, nearest first.

    Parameters
    ----------
    la_code : str
        GSS code (``E09000012``) or DfE number (``204``).
    k : int, default 10
        How many (at most the 10 the groupings hold).
    table : DataFrame
        From :func:`load_statistical_neighbours`.

    Returns
    -------
    list of str
        GSS codes of the neighbours.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"la_code": ["E09000012"] * 2, "neighbour_code": ["E09000028", "E09000022"],
    ...                   "rank": [1, 2], "old_la_code": ["204"] * 2})
    >>> statistical_neighbours("204", 1, table=t)
    ['E09000028']
    """
    if not isinstance(k, int) or k < 1:
        raise ValueError(f"k must be a positive integer. Got {k!r} instead.")
    rows = table[(table["la_code"] == la_code) | (table["old_la_code"] == str(la_code).zfill(3))]
    if rows.empty:
        from rsw_eval.io._lacodes import gss_code, reorganisation

        change = reorganisation(gss_code(str(la_code)))
        model = table["model"].dropna() if "model" in table else []
        which = f"the {int(model.iloc[0])} model" if len(model) else "the groupings table"
        raise DataError(
            f"statistical_neighbours: {la_code!r} is not in {which} "
            f"({table['la_code'].nunique()} authorities)"
            + (f": {change['text']}; choose a model that has it (neighbours_model)" if change else "")
        )
    return rows.sort_values("rank")["neighbour_code"].head(k).astype(str).tolist()


def nearest_neighbours(
    characteristics: pd.DataFrame,
    la_code: str,
    k: int = 10,
    *,
    variables: Sequence[str] | None = None,
    weights: Mapping[str, float] | None = None,
) -> pd.DataFrame:
    """Nearest authorities on your own characteristics, by standardised Euclidean distance.

    Parameters
    ----------
    characteristics : DataFrame
        One row per authority: a ``la_code`` column (or index) and numeric characteristics.
    la_code : str
        The authority to find neighbours for.
    k : int, default 10
        How many neighbours.
    variables : list of str, optional
        Columns to use (default: every numeric column).
    weights : dict, optional
        Weight per variable (default 1 each).

    Returns
    -------
    DataFrame
        ``la_code``, ``rank`` and ``distance`` of the k nearest, nearest first (ties broken by code).

    Notes
    -----
    Each variable is standardised over all authorities, :math:`z = (x - \\bar x)/s` (SD with n - 1);
    :math:`d(i, j) = \\sqrt{\\sum_v w_v (z_{iv} - z_{jv})^2}`. Rows with a missing value in a chosen
    variable are left out. This mirrors the DfE method in spirit, not its exact variables.

    Examples
    --------
    >>> import pandas as pd
    >>> c = pd.DataFrame({"la_code": ["A", "B", "C", "D"], "x": [0.0, 1.0, 2.0, 10.0]})
    >>> nearest_neighbours(c, "A", 2)
      la_code  rank  distance
    0       B     1  0.218652
    1       C     2  0.437304
    """
    data = characteristics.copy()
    if "la_code" in data.columns:
        data = data.set_index("la_code")
    if la_code not in data.index:
        raise DataError(f"nearest_neighbours: {la_code!r} is not in the characteristics table")
    variables = (
        list(variables)
        if variables is not None
        else [c for c in data.columns if pd.api.types.is_numeric_dtype(data[c])]
    )
    missing = [v for v in variables if v not in data.columns]
    if missing or not variables:
        raise DataError(
            f"nearest_neighbours: unknown or no variables {missing}; numeric columns are "
            f"{[c for c in data.columns if pd.api.types.is_numeric_dtype(data[c])]}"
        )
    x = data[variables].astype(float).dropna()
    sd = x.std(ddof=1).replace(0, np.nan)
    z = ((x - x.mean()) / sd).fillna(0.0)
    w = np.array([float((weights or {}).get(v, 1.0)) for v in variables])
    dist = np.sqrt((((z - z.loc[la_code]) ** 2) * w).sum(axis=1)).drop(la_code)
    order = dist.reset_index().rename(columns={"index": "la_code", 0: "distance"})
    order.columns = ["la_code", "distance"]
    order = order.sort_values(["distance", "la_code"], kind="stable").head(k).reset_index(drop=True)
    order.insert(1, "rank", np.arange(1, len(order) + 1))
    return order
