"""A survey's headers read as its canonical columns: one written with other case, spaces or
punctuation ("Weeks observed", "weeks_observed£" as Excel leaves it) is that column; one that is
only like a known column ("weeks_obs", "contacts_n") is said in a warning.

Before, a survey column under a natural header was kept as an unknown text column, and the
analysis it feeds vanished unsaid: the parent survey's ``Weeks observed`` took the contact rates,
Forrester's headline outcome, out of every output with exit 0 (findings-q18att F2).
"""

from __future__ import annotations

import difflib
import re
import warnings
from collections.abc import Sequence

import pandas as pd

from rsw_eval._errors import DataError, Problem, RswEvalWarning

__all__ = ["PARENT_COLUMNS", "WORKER_COLUMNS", "read_headers"]

#: The parent survey's columns (``rating_*`` items aside).
PARENT_COLUMNS = ("case_id", "authority", "model", "respondent_id", "contacts", "weeks_observed")

#: The worker survey's columns.
WORKER_COLUMNS = (
    "respondent_id",
    "authority",
    "model",
    "unit",
    "role",
    "wave",
    *(f"ghq{i}" for i in range(1, 13)),
    "ghq_score",
    "ghq_caseness",
    "ghq_case",
    "job_satisfaction",
    "confidence_assessment",
    "practice_quality",
    "no_time_for_reflection",
    "experienced_violence",
    "reflection_hours_per_week",
    "hours_direct_work",
    "pct_time_direct_work",
)


def _plain(header: object) -> str:
    """``header`` in lower case, each run of other characters one ``_``, none at either end."""
    return re.sub(r"[^0-9a-z]+", "_", str(header).casefold()).strip("_")


def _squeezed(header: object) -> str:
    """``header`` in lower case with nothing but its letters and digits ("GHQ-1", "ghq_1" and
    "GHQ 1" are ghq1: findings-q19att N14)."""
    return re.sub(r"[^0-9a-z]+", "", str(header).casefold())


def _numbers(cells: pd.Series) -> bool:
    """Whether every cell that is not blank is a number (a rating item's column, not a free-text
    "Rating comments" or a "Rating date" beside the items: findings-q19att N18)."""
    text = cells.astype(str).str.strip()
    given = text[(text != "") & cells.notna().to_numpy()]
    return bool(len(given)) and bool(pd.to_numeric(given, errors="coerce").notna().all())


def read_headers(
    frame: pd.DataFrame, known: Sequence[str], label: str, prefix: str | None = None
) -> pd.DataFrame:
    """``frame`` with each header that is a column of ``known`` (or starts with ``prefix``) but for
    case, spaces and punctuation renamed to it; a :class:`~rsw_eval.DataError` where two headers
    read as one column (the canonical one among them); a warning for each column of ``known``
    still absent that a header is like (a close spelling, or one name the start of the other),
    naming the header (headers passed the name checks of
    :func:`~rsw_eval.io._personal_names.check_header` already).

    Examples
    --------
    >>> header = ["case_id", "Weeks observed", "Rating Overall", "contacts_n"]
    >>> f = pd.DataFrame([["c1", "6", "4", "12"]], columns=header)
    >>> with warnings.catch_warnings(record=True) as said:
    ...     warnings.simplefilter("always")
    ...     list(read_headers(f, ("case_id", "contacts", "weeks_observed"), "p.csv", "rating_").columns)
    ['case_id', 'weeks_observed', 'rating_overall', 'contacts_n']
    >>> str(said[0].message)[:64]
    "p.csv: no column contacts, and column 'contacts_n' is like it: t"
    """
    squeezed = {_squeezed(k): k for k in known}
    meant: dict[str, list[str]] = {}  # canonical name -> the headers that read as it
    for header in map(str, frame.columns):
        plain = _plain(header)
        item = prefix and plain.startswith(prefix) and _numbers(frame[header])  # "Rating comments": text
        wanted = squeezed.get(_squeezed(header)) or (plain if item else None)
        if wanted:
            meant.setdefault(wanted, []).append(header)
    for wanted, headers in meant.items():
        if len(headers) > 1:  # two columns for one: which is meant cannot be guessed (q19att N3)
            raise DataError(
                Problem(
                    label,
                    f"columns {' and '.join(map(repr, headers[:2]))} both read as {wanted}",
                    column=", ".join(headers[:2]),
                    expected=f"one column {wanted}",
                    found=f"{len(headers)} columns",
                    hint="delete or rename the one that is not it",
                )
            )
    renames = {h[0]: w for w, h in meant.items() if h[0] != w}
    frame = frame.rename(columns=renames)
    others = [h for h in map(str, frame.columns) if h not in known and not (prefix and h.startswith(prefix))]
    for name in (c for c in known if c not in frame.columns):
        like = [
            h
            for h in others
            if difflib.SequenceMatcher(None, _plain(h), name).ratio() >= 0.8
            or (len(_plain(h)) >= 4 and (name.startswith(_plain(h)) or _plain(h).startswith(name)))
        ]
        if like:
            warnings.warn(
                f"{label}: no column {name}, and column {like[0]!r} is like it: the analyses that "
                f"read {name} are not run; if it is that column, rename it or map it "
                f"(--map 'NAME={name}'; in the spec, mapping)",
                RswEvalWarning,
                stacklevel=3,
            )
    return frame
