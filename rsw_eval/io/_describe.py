"""Per-column summary of a loaded table (used by ``rsw-eval validate``)."""

from __future__ import annotations

import pandas as pd

from rsw_eval.io._identifiers import is_identifier, looks_like_id


def describe(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per column: dtype, filled and missing counts, and a summary of the values.

    Numbers get mean, SD, min and max; booleans the share true; text the number of distinct values and
    the commonest one, unless it looks like an identifier or is a value of one row only. Identifier
    columns (``respondent_id``, ``worker_name``, ``staff_number``, ``postcode`` ...: see
    :func:`~rsw_eval.io._identifiers.is_identifier`) show counts only.

    Parameters
    ----------
    frame : DataFrame
        A loaded table, e.g. from :func:`load_worker_survey`.

    Returns
    -------
    DataFrame
        Indexed by column name with ``dtype``, ``n``, ``missing`` and ``summary``.

    Examples
    --------
    >>> import pandas as pd
    >>> describe(pd.DataFrame({"case_id": ["a", "b"], "x": [1.0, 3.0]}))
               dtype  n  missing                           summary
    case_id   string  2        0           2 distinct (identifier)
    x        float64  2        0  mean 2, SD 1.41421, min 1, max 3
    """
    rows = []
    for name in frame.columns:
        col = frame[name]
        n = int(col.notna().sum())
        if is_identifier(name):
            summary = f"{col.nunique()} distinct (identifier)"
        elif pd.api.types.is_bool_dtype(col):
            summary = f"{col.mean():.1%} true" if n else "all missing"
        elif pd.api.types.is_numeric_dtype(col):
            x = col.astype(float)
            summary = (
                f"mean {x.mean():g}, SD {x.std():g}, min {x.min():g}, max {x.max():g}" if n else "all missing"
            )
        elif not n:
            summary = "all missing"
        else:
            counts = col.value_counts()
            top = str(counts.index[0])
            if looks_like_id(top) or counts.iloc[0] == 1:  # an identifier, or a value of one row
                summary = f"{len(counts)} distinct; commonest not shown"
            else:
                summary = f"{len(counts)} distinct; commonest {top} ({counts.iloc[0]})"
        rows.append(
            {
                "column": name,
                "dtype": str(col.dtype) if str(col.dtype) != "str" else "string",
                "n": n,
                "missing": len(col) - n,
                "summary": summary,
            }
        )
    return pd.DataFrame(rows).set_index("column").rename_axis(None)


def describe_panel(
    panel: pd.DataFrame, threshold: int = 5, published: pd.DataFrame | None = None
) -> pd.DataFrame:
    """One row per indicator of a long panel: authorities, years, values, flags and range.

    The range is read from ``published``, the panel as the disclosure rules publish it
    (:func:`rsw_eval.publication.protected_panel`; ``rsw-eval validate`` passes it), so a value the
    rules hide (a small count, a rate that gives one back with its denominator) is in no minimum or
    maximum; ``hidden`` counts them. Without ``published`` the range is the panel's own. A minimum
    or maximum that is still a whole number from 1 to ``threshold`` (it may be a count, whatever the
    rest of the indicator holds) is shown as ``c``, as the reports show a suppressed count (a
    summary pasted into a data annex is published too). The others print in full (``1234567.89``,
    not ``1.23457e+06``: a typo should show).

    Examples
    --------
    >>> import pandas as pd
    >>> p = pd.DataFrame({"la_code": ["A", "A", "B"], "year": [2009, 2010, 2010],
    ...                   "indicator": "total_cost", "value": [1.5, 20.0, None], "flag": ["", "", "c"]})
    >>> describe_panel(p)
                authorities      years  values  flagged  hidden  min  max
    total_cost            2  2009-2010       2        1       0  1.5   20
    >>> counts = p.assign(indicator="adoptions", value=[2.0, 1234567.89, None])
    >>> describe_panel(counts)
               authorities      years  values  flagged  hidden min         max
    adoptions            2  2009-2010       2        1       0   c  1234567.89
    >>> describe_panel(counts, published=counts.assign(value=[None, 1234567.89, None]))
               authorities      years  values  flagged  hidden         min         max
    adoptions            2  2009-2010       2        1       1  1234567.89  1234567.89
    """
    panel = panel.reset_index(drop=True)
    published = panel if published is None else published.reset_index(drop=True)  # row for row
    hidden = panel["value"].notna() & published["value"].isna()
    rows = []
    for name, group in panel.groupby("indicator", sort=True):
        years = group["year"]
        values = pd.to_numeric(published.loc[group.index, "value"], errors="coerce").dropna()
        rows.append(
            {
                "indicator": name,
                "authorities": group["la_code"].nunique(),
                "years": f"{years.min()}-{years.max()}",
                "values": int(group["value"].notna().sum()),
                "flagged": int((group["flag"].fillna("") != "").sum()),
                "hidden": int(hidden[group.index].sum()),
                "min": _shown(values.min(), threshold),
                "max": _shown(values.max(), threshold),
            }
        )
    columns = ["indicator", "authorities", "years", "values", "flagged", "hidden", "min", "max"]
    return pd.DataFrame(rows, columns=columns).set_index("indicator").rename_axis(None)


def _shown(value: float, threshold: int) -> str:
    """A panel's smallest or largest value as printed: ``c`` for a whole number from 1 to
    ``threshold``, else in full (12 significant figures)."""
    if pd.isna(value):
        return ""
    if value == round(value) and 1 <= abs(value) <= threshold:
        return "c"
    return f"{value:.12g}"
