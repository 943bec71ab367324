"""Per-column summary of a loaded table (used by ``rsw-eval validate``)."""

from __future__ import annotations

import re

import pandas as pd

from rsw_eval._personal import personal
from rsw_eval.io._authority import is_area
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
NOT_SHOWN = "not shown"


def describe(frame: pd.DataFrame, threshold: int = 5) -> pd.DataFrame:
    """One row per column: dtype, answered and missing counts, and a summary of the values.

    Numbers get mean, SD, min and max; booleans the share true; text, and numbers with
    :data:`FEW_VALUES` or fewer distinct values, the number of distinct values and the commonest one
    with its count. Nothing printed is, or gives back with the table's row count, a count of people
    from 1 to ``threshold`` (issue 21), as statistical disclosure control of a table does (a primary
    cell and the cells that give it back are suppressed):

    - ``n`` (answered) and ``missing`` are exact when each is 0 or more than ``threshold``. Where
      one is from 1 to ``threshold`` it reads ``1 to T`` and the other ``not shown`` (rows minus it
      would give it back), and the summary keeps no figure that pins ``n`` (a share, a mean, a
      count); in a table of ``2 x threshold`` rows or fewer both read ``not shown``, since there the
      band and the row count would narrow each other down to one value.
    - a share is shown only when neither the true nor the false count is from 1 to ``threshold``
      (share x ``n`` is the count); the commonest value's count only when neither it nor the rest
      (``n`` minus it) is.
    - a minimum or maximum is a person's own answer: it is shown only when more than ``threshold``
      rows hold it (so is a range of few values), as the suppression of a cell of an extreme value.
    - the commonest value is not shown when it looks like an identifier, is the value of from 1 to
      ``threshold`` rows only (a near-unique column's: a PIN), or may be a person's name ("Jane
      Smith") in a column outside :data:`VOCABULARY_COLUMNS`; identifier columns (``respondent_id``,
      ``worker_name``, ``staff_number``, ``postcode``, ``Social Worker``, ``Team Manager`` ...: see
      :func:`~rsw_eval.io._identifiers.is_identifier`) show counts only.

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
    >>> t = pd.DataFrame({"case_id": [f"c{i}" for i in range(300)], "x": [1.0, 3.0] * 150,
    ...                   "age": [20] * 6 + list(range(21, 314)) + [None]})
    >>> describe(t)[["dtype", "n", "missing"]]
               dtype          n missing
    case_id   string        300       0
    x        float64        300       0
    age      float64  not shown  1 to 5
    >>> for text in describe(t)["summary"]:
    ...     print(text)
    300 distinct (identifier)
    2 distinct (1 to 3); commonest 1 (150)
    mean and SD not shown (missing from 1 to 5), min 20, max not shown
    >>> v = pd.DataFrame({"violence": pd.array([True] * 3 + [False] * 297), "x": range(300)})
    >>> describe(v)["summary"].tolist()
    ['share not shown (true or false count from 1 to 5)', 'mean 149.5, SD 86.7468, min and max not shown']
    >>> describe(v.assign(violence=[True] * 30 + [False] * 270, x=[0] * 296 + [1] * 4))["summary"].tolist()
    ['10.0% true', '2 distinct; commonest 0, count not shown (it or the rest from 1 to 5)']
    """
    total = len(frame)
    rows = []
    for name in frame.columns:
        col = frame[name]
        n = int(col.notna().sum())
        answered, missing, why = _answered(n, total, threshold)
        rows.append(
            {
                "column": name,
                "dtype": str(col.dtype) if str(col.dtype) != "str" else "string",
                "n": answered,
                "missing": missing,
                "summary": _summary(col.dropna(), name, n, total, threshold, why),
            }
        )
    return pd.DataFrame(rows).set_index("column").rename_axis(None)


def count_text(count: int, threshold: int) -> str:
    """A count of people as printed: ``1 to T`` when from 1 to ``threshold``, else in full.

    Examples
    --------
    >>> count_text(3, 5), count_text(0, 5), count_text(6, 5)
    ('1 to 5', '0', '6')
    """
    return f"1 to {threshold}" if _small(count, threshold) else str(count)


def _small(count: int, threshold: int) -> bool:
    return 1 <= count <= threshold


def _answered(n: int, total: int, threshold: int) -> tuple[int | str, int | str, str]:
    """``n`` and ``missing`` as printed, and why the summary may not pin ``n`` ("" when it may)."""
    missing = total - n
    if not (_small(n, threshold) or _small(missing, threshold)):
        return n, missing, ""
    if total <= 2 * threshold:
        return NOT_SHOWN, NOT_SHOWN, f"a table of {2 * threshold} rows or fewer"
    if _small(n, threshold):
        return count_text(n, threshold), NOT_SHOWN, f"answered by 1 to {threshold}"
    return NOT_SHOWN, count_text(missing, threshold), f"missing from 1 to {threshold}"


def _summary(values: pd.Series, name: str, n: int, total: int, threshold: int, why: str) -> str:
    """The summary of one column's ``values`` (``n`` of them, in a table of ``total`` rows), with
    no figure that pins ``n`` where ``why`` says it is not shown."""
    if why and not why.startswith("missing"):  # n itself is small, or the table is
        return f"{NOT_SHOWN} ({why})"
    # n is from total - threshold to total - 1 when not shown: k distinct values tell it is k or more
    distinct = f"{values.nunique()} distinct"
    if why and values.nunique() > total - threshold:
        distinct = f"distinct count {NOT_SHOWN}"
    if is_identifier(name):
        return f"{distinct} (identifier)"
    if not n:
        return "all missing"
    if pd.api.types.is_bool_dtype(values):
        true = int(values.astype(bool).sum())
        return f"share {NOT_SHOWN} ({why})" if why else _share(true, n, threshold)
    if pd.api.types.is_numeric_dtype(values) and values.nunique() > FEW_VALUES:
        x = values.astype(float)
        stats = f"mean and SD {NOT_SHOWN} ({why})" if why else f"mean {x.mean():g}, SD {x.std():g}"
        return f"{stats}, {_extremes(x.value_counts(), threshold)}"
    free_text = name not in VOCABULARY_COLUMNS
    return _commonest(values, distinct, n, threshold, free_text=free_text, why=why)


def _share(true: int, n: int, threshold: int) -> str:
    """A yes/no column's share true, unless it (x ``n``) or its complement gives a small count."""
    if _small(true, threshold) or _small(n - true, threshold):
        return f"share {NOT_SHOWN} (true or false count from 1 to {threshold})"
    return f"{true / n:.1%} true"


def _held(counts: pd.Series, value: float, threshold: int) -> bool:
    """Whether more than ``threshold`` rows hold ``value`` (``counts``: rows by value)."""
    return int(counts[value]) > threshold


def _extremes(counts: pd.Series, threshold: int) -> str:
    """``min X, max Y``, each only where more than ``threshold`` rows hold it (``counts``: rows by
    value): else it is one or a few people's own answer."""
    low, high = counts.index.min(), counts.index.max()
    shown = [
        f"{label} {v:g}" if _held(counts, v, threshold) else "" for label, v in (("min", low), ("max", high))
    ]
    if not any(shown):
        return f"min and max {NOT_SHOWN}"
    return ", ".join(s or f"{label} {NOT_SHOWN}" for s, label in zip(shown, ("min", "max"), strict=True))


def _commonest(values: pd.Series, distinct: str, n: int, threshold: int, free_text: bool, why: str) -> str:
    """The number of distinct values (``distinct``, as printed) and the commonest with its count,
    where the rest (``n`` minus it) is 0 or leaves room for one of the other values to be more than
    ``threshold``; numbers also give their range where more than ``threshold`` rows hold each end. A
    commonest value of from 1 to ``threshold`` rows, one that looks like an identifier and, in a
    ``free_text`` column, one that may be a person's name are not shown; its count is not where
    ``why`` says ``n`` is not shown."""
    counts = values.value_counts()
    top, count = counts.index[0], int(counts.iloc[0])
    if pd.api.types.is_numeric_dtype(values):
        top = f"{top:g}"
        low, high = counts.index.min(), counts.index.max()
        if len(counts) > 1 and _held(counts, low, threshold) and _held(counts, high, threshold):
            distinct += f" ({low:g} to {high:g})"
    top = str(top)
    # a name, or the value of a few rows only: in a near-unique column (a 4-digit PIN) that is one or
    # two respondents' own value (A17 of q13in)
    # a vocabulary column's value may be a name too ("Jane Quenby" typed as a role: q20att F3)
    name = looks_like_name(top) if free_text else personal(top)
    if looks_like_id(top) or _small(count, threshold) or name:
        return f"{distinct}; commonest {NOT_SHOWN}"
    if why:
        return f"{distinct}; commonest {top}, count {NOT_SHOWN} ({why})"
    # the k - 1 other values share the rest, one row each at least: each is at most rest - (k - 2),
    # and where that is from 1 to the threshold every one of them is a small count (q12disc Q5)
    rest = n - count
    if rest > 0 and rest - (len(counts) - 2) <= threshold:
        return f"{distinct}; commonest {top}, count {NOT_SHOWN} (it or the rest from 1 to {threshold})"
    return f"{distinct}; commonest {top} ({count})"


def describe_panel(
    panel: pd.DataFrame, threshold: int = 5, published: pd.DataFrame | None = None
) -> pd.DataFrame:
    """One row per indicator of a long panel: authorities, years, values, flags and range, of the
    authorities' rows (England's and the regions' are left out, unless the panel holds no other).

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
    local = ~is_area(panel["la_code"])  # England's row is no authority, nor its total a maximum (att12 L4)
    if local.any():
        panel, published = panel[local], published[local]
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
