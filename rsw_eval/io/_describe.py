"""Per-column summary of a loaded table (used by ``rsw-eval validate``)."""

from __future__ import annotations

import re

import pandas as pd

from rsw_eval._personal import personal
from rsw_eval.io._identifiers import is_identifier, looks_like_id, looks_like_name

#: A numeric column with at most this many distinct values is summarised by its frequencies, as a
#: text column is: with four or fewer (0/1, 0/1/2, a 0-3 GHQ item), ``n``, mean, SD, min and max give
#: every frequency back (three equations, and the least and greatest values are each held by someone).
FEW_VALUES = 4
#: Columns whose values the loaders check against a known vocabulary (``model``: unit or
#: conventional; ``authority``: no label shaped like a person's name) or read as numbers: their
#: commonest value may be shown whatever its shape ("Unit-model LA", "consultant social worker")
#: unless it names a person by the stricter test of :func:`rsw_eval._personal.personal` ("Jane
#: Quenby" typed as a role). Any other text column's commonest value is not shown when it may be a
#: name ("Jane Smith").
VOCABULARY_COLUMNS = frozenset({"model", "role", "wave", "authority"})


def describe(frame: pd.DataFrame, threshold: int = 5) -> pd.DataFrame:
    """One row per column: dtype, filled and missing counts, and a summary of the values.

    Numbers get mean, SD, min and max; booleans the share true; text, and numbers with
    :data:`FEW_VALUES` or fewer distinct values, the number of distinct values and the commonest one
    with its count. No summary gives back a count of people from 1 to ``threshold``: a share is
    shown only when neither the true nor the false count is from 1 to ``threshold`` (its share x
    ``n`` is the count), the commonest value's count only when neither it nor the rest (``n`` minus
    it) is; otherwise the summary says it is not shown. ``n`` and ``missing`` (answered or not) are
    always shown. The commonest value is not shown when it looks like an identifier or is a value
    of from 1 to ``threshold`` rows only (a near-unique column's: a PIN), nor when it may be a
    person's name ("Jane Smith") in a column outside :data:`VOCABULARY_COLUMNS`; identifier columns
    (``respondent_id``, ``worker_name``, ``staff_number``, ``postcode``, ``Social Worker``,
    ``Team Manager`` ...: see :func:`~rsw_eval.io._identifiers.is_identifier`) show counts only.

    Parameters
    ----------
    frame : DataFrame
        A loaded table, e.g. from :func:`load_worker_survey`.
    threshold : int, default 5
        The disclosure threshold (a spec's ``disclosure_threshold``).

    Returns
    -------
    DataFrame
        Indexed by column name with ``dtype``, ``n``, ``missing`` and ``summary``.

    Examples
    --------
    >>> import pandas as pd
    >>> describe(pd.DataFrame({"case_id": ["a", "b"], "x": [1.0, 3.0]}))
               dtype  n  missing                  summary
    case_id   string  2        0  2 distinct (identifier)
    x        float64  2        0   2 distinct (1 to 3); commonest not shown
    >>> t = pd.DataFrame({"violence": pd.array([True] * 3 + [False] * 297), "x": range(300)})
    >>> describe(t)["summary"].tolist()
    ['share not shown (true or false count from 1 to 5)', 'mean 149.5, SD 86.7468, min 0, max 299']
    >>> describe(t.assign(violence=[True] * 30 + [False] * 270, x=[0] * 296 + [1] * 4))["summary"].tolist()
    ['10.0% true', '2 distinct (0 to 1); commonest 0, count not shown (it or the rest from 1 to 5)']
    """
    rows = []
    for name in frame.columns:
        col = frame[name]
        n = int(col.notna().sum())
        if is_identifier(name):
            summary = f"{col.nunique()} distinct (identifier)"
        elif not n:
            summary = "all missing"
        elif pd.api.types.is_bool_dtype(col):
            summary = _share(int(col.dropna().astype(bool).sum()), n, threshold)
        elif pd.api.types.is_numeric_dtype(col) and col.nunique() > FEW_VALUES:
            x = col.astype(float)
            summary = f"mean {x.mean():g}, SD {x.std():g}, min {x.min():g}, max {x.max():g}"
        else:
            summary = _commonest(col.dropna(), n, threshold, free_text=name not in VOCABULARY_COLUMNS)
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


def _small(count: int, threshold: int) -> bool:
    return 1 <= count <= threshold


def _share(true: int, n: int, threshold: int) -> str:
    """A yes/no column's share true, unless it (x ``n``) or its complement gives a small count."""
    if _small(true, threshold) or _small(n - true, threshold):
        return f"share not shown (true or false count from 1 to {threshold})"
    return f"{true / n:.1%} true"


def _commonest(values: pd.Series, n: int, threshold: int, free_text: bool = True) -> str:
    """The number of distinct values and the commonest with its count, where the rest (``n`` minus
    it) is 0 or leaves room for one of the other values to be more than ``threshold``; numbers also
    give their range. A commonest value of from 1 to ``threshold`` rows, one that looks like an
    identifier and, in a ``free_text`` column, one that may be a person's name are not shown."""
    counts = values.value_counts()
    distinct = f"{len(counts)} distinct"
    top, count = counts.index[0], int(counts.iloc[0])
    if pd.api.types.is_numeric_dtype(values):
        top = f"{top:g}"
        if len(counts) > 1:
            distinct += f" ({values.min():g} to {values.max():g})"
    top = str(top)
    # a name, or the value of a few rows only: in a near-unique column (a 4-digit PIN) that is one or
    # two respondents' own value (A17 of q13in)
    # a vocabulary column's value may be a name too ("Jane Quenby" typed as a role: q20att F3)
    name = looks_like_name(top) if free_text else personal(top)
    if looks_like_id(top) or _small(count, threshold) or name:
        return f"{distinct}; commonest not shown"
    # the k - 1 other values share the rest, one row each at least: each is at most rest - (k - 2),
    # and where that is from 1 to the threshold every one of them is a small count (q12disc Q5)
    rest = n - count
    if rest > 0 and rest - (len(counts) - 2) <= threshold:
        return f"{distinct}; commonest {top}, count not shown (it or the rest from 1 to {threshold})"
    return f"{distinct}; commonest {top} ({count})"


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
    summary pasted into a data annex is published too); one of ten digits or more, whole (an NHS
    number's shape), as ``not shown``. The others print in full (``1234567.89``, not
    ``1.23457e+06``: a typo should show).

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
    >>> shown = counts.assign(value=[None, 1234567.89, None])
    >>> describe_panel(counts, published=shown)[["hidden", "min", "max"]]
               hidden         min         max
    adoptions       1  1234567.89  1234567.89
    >>> describe_panel(counts.assign(value=[2.0, 4857773456.0, None]))[["min", "max"]]
              min        max
    adoptions   c  not shown
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


#: A minimum or maximum printed as ten digits or more, whole, is the shape of an NHS or phone number
#: (A3 of q13in: ``max 4857773456``): not printed.
_ID_SHAPED = re.compile(r"-?\d{10,}")


def _shown(value: float, threshold: int) -> str:
    """A panel's smallest or largest value as printed: ``c`` for a whole number from 1 to
    ``threshold``, ``not shown`` for an identifier-shaped one (:data:`_ID_SHAPED`), else in full
    (12 significant figures)."""
    if pd.isna(value):
        return ""
    if value == round(value) and 1 <= abs(value) <= threshold:
        return "c"
    text = f"{value:.12g}"
    return "not shown" if _ID_SHAPED.fullmatch(text) else text
