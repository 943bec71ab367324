"""Worker and parent survey loaders (data contracts in DESIGN.md)."""

from __future__ import annotations

import os
import warnings
from collections.abc import Mapping

import pandas as pd

from rsw_eval._errors import GhqCodingWarning, Problem
from rsw_eval.io._coerce import Checker
from rsw_eval.io._ghq import (
    GHQ_ITEMS,
    POSITIVE_ITEMS,
    REVERSED_P,
    REVERSED_R,
    coding_looks_reversed,
    score_ghq12,
)
from rsw_eval.io._label_spellings import one_spelling
from rsw_eval.io._panel import FIRST_YEAR, LAST_YEAR
from rsw_eval.io._read import read_table
from rsw_eval.io._survey_headers import PARENT_COLUMNS, WORKER_COLUMNS, read_headers
from rsw_eval.io._survey_labels import check_authorities, mixed_models

__all__ = ["MODEL_SYNONYMS", "load_parent_survey", "load_worker_survey"]

#: Accepted spellings of the two models (compared case-insensitively).
MODEL_SYNONYMS: dict[str, str] = {
    **{
        s: "unit"
        for s in (
            "unit",
            "units",
            "unit model",
            "unit-model",
            "systemic unit",
            "systemic units",
            "rsw",
            "reclaiming social work",
            "hackney model",
        )
    },
    **{
        s: "conventional"
        for s in (
            "conventional",
            "conventional team",
            "team",
            "traditional",
            "comparator",
            "control",
            "standard",
            "usual",
        )
    },
}

#: Default Likert scales of the worker survey (inclusive ranges); override with ``scales=``.
WORKER_SCALES: dict[str, tuple[int, int]] = {
    "job_satisfaction": (1, 5),
    "confidence_assessment": (1, 5),
}
#: Default scale of parent rating items (every column whose name starts with ``rating_``).
RATING_SCALE: tuple[int, int] = (1, 5)

_SourceArg = str | os.PathLike | pd.DataFrame


def load_worker_survey(
    source: _SourceArg,
    *,
    mapping: Mapping[str, str] | None = None,
    sheet: str | None = None,
    scales: Mapping[str, tuple[int, int]] | None = None,
    ghq_coding: str = "distress",
    ghq_threshold: float = 4,
    ghq_max_missing: int = 2,
    check_ghq_coding: bool = True,
) -> pd.DataFrame:
    """Load a worker survey (one row per respondent) into canonical columns.

    Parameters
    ----------
    source : path or DataFrame
        ``.csv`` (UTF-8, UTF-8 with BOM or Windows-1252), ``.xlsx`` or ``.parquet`` file, or a DataFrame.
        The file is only read.
    mapping : dict, optional
        Your column names to canonical ones, e.g. ``{"Stress total": "ghq_score"}``.
    sheet : str, optional
        Worksheet of an XLSX workbook; needed when the workbook has more than one sheet.
    scales : dict, optional
        Inclusive ``(low, high)`` ranges for Likert columns; defaults: ``job_satisfaction`` 1-5 and
        ``confidence_assessment`` 1-5.
    ghq_coding : {"distress", "agree"}
        ``"distress"`` (default): every GHQ item is coded 0-3 by answer position on the printed form,
        0 = healthiest. ``"agree"``: the positively worded items (1, 3, 4, 7, 8, 12) are stored with
        3 = healthiest and are reversed on loading. A file whose positive and negative items correlate
        clearly negatively under the chosen coding (r < -0.2 with one-sided p < 0.01) is rejected; a
        weaker negative correlation gives a :class:`~rsw_eval.GhqCodingWarning`.
    ghq_threshold : float, default 4
        GHQ caseness cut-off (see :func:`score_ghq12`).
    ghq_max_missing : int, default 2
        Most unanswered GHQ items that are prorated; with more the scores are missing.
    check_ghq_coding : bool, default True
        False skips the reversed-coding check (when you know the coding is right).

    Returns
    -------
    DataFrame
        Required ``respondent_id``, ``authority`` (string), ``model`` (``unit`` | ``conventional``); and,
        when present in the source, ``unit``, ``role`` (string), ``wave`` (Int64), ``ghq1``-``ghq12``
        (Int64, distress coding), ``ghq_score`` and ``ghq_caseness`` (float), ``ghq_case`` (boolean),
        ``job_satisfaction`` and ``confidence_assessment`` (Int64), ``practice_quality`` (float, 1-5),
        ``no_time_for_reflection`` and ``experienced_violence`` (boolean),
        ``reflection_hours_per_week``, ``hours_direct_work`` (float, 0-168) and
        ``pct_time_direct_work`` (float, 0-100). Other columns are kept after these, unchanged.

    Raises
    ------
    DataError
        Listing every problem found: file, rows (header = row 1), column, expected and found.

    Examples
    --------
    >>> import pandas as pd
    >>> raw = pd.DataFrame({"id": ["w1", "w2"], "authority": ["A", "B"], "model": ["Unit", "team"],
    ...                     "no_time_for_reflection": ["no", "Yes"]})
    >>> load_worker_survey(raw, mapping={"id": "respondent_id"})
      respondent_id authority         model  no_time_for_reflection
    0            w1         A          unit                   False
    1            w2         B  conventional                    True
    """
    if ghq_coding not in ("distress", "agree"):
        raise ValueError(f"ghq_coding must be 'distress' or 'agree'. Got {ghq_coding!r} instead.")
    check, out = _start(source, sheet, mapping, "respondent_id", WORKER_COLUMNS)
    check.unique_column(out["respondent_id"], "respondent_id")
    info = check.source
    cols = check.frame.columns
    scales = {**WORKER_SCALES, **(scales or {})}
    for name in ("unit", "role"):
        if name in cols:
            out[name] = check.string_column(name)
    if "wave" in cols:
        out["wave"] = check.numeric_column(
            "wave", low=FIRST_YEAR, high=LAST_YEAR, integer=True, expected=f"a year {FIRST_YEAR}-{LAST_YEAR}"
        )

    present = [c for c in GHQ_ITEMS if c in cols]
    if present:
        if len(present) < len(GHQ_ITEMS):
            absent = [c for c in GHQ_ITEMS if c not in cols]
            check.problems.append(
                Problem(
                    info.label,
                    "incomplete set of GHQ-12 item columns",
                    column=", ".join(absent),
                    expected="ghq1 to ghq12",
                    found="only " + ", ".join(present),
                )
            )
        else:
            items = pd.DataFrame({c: check.numeric_column(c, low=0, high=3, integer=True) for c in GHQ_ITEMS})
            if ghq_coding == "agree":
                for c in POSITIVE_ITEMS:
                    items[c] = 3 - items[c]
            evidence = coding_looks_reversed(items) if check_ghq_coding else None
            if evidence is not None:
                r, p, clear = evidence
                text = (
                    f"the positively worded GHQ items (1, 3, 4, 7, 8, 12) correlate negatively with "
                    f"the others (r = {r:.2f}, one-sided p = {p:.2g})"
                )
                hint = "recode them, or pass --ghq-coding agree (ghq_coding='agree'); "
                hint += "--no-ghq-coding-check (check_ghq_coding=False) skips this check"
                if clear:
                    check.problems.append(
                        Problem(
                            info.label,
                            text,
                            column="ghq1-ghq12",
                            expected="all items coded 0 = healthiest answer",
                            found="reversed coding",
                            hint=hint,
                        )
                    )
                else:
                    warnings.warn(
                        f"{info.label}: {text}: not clear evidence of reversed coding (refused only "
                        f"when r < {REVERSED_R} with p < {REVERSED_P}); loaded as coded. Hint: {hint}",
                        GhqCodingWarning,
                        stacklevel=2,
                    )
            out.update(items.to_dict("series"))
            scored = score_ghq12(items, threshold=ghq_threshold, max_missing=ghq_max_missing)
            out.update({c: scored[c] for c in ("ghq_score", "ghq_caseness", "ghq_case")})
    else:
        if "ghq_score" in cols:
            out["ghq_score"] = check.numeric_column(
                "ghq_score", low=0, high=36, hint="ghq_score is the Likert (0-3) total"
            )
        if "ghq_caseness" in cols:
            out["ghq_caseness"] = check.numeric_column("ghq_caseness", low=0, high=12)
            case = pd.array(out["ghq_caseness"] >= ghq_threshold, dtype="boolean")
            case[out["ghq_caseness"].isna().to_numpy()] = pd.NA
            out["ghq_case"] = pd.Series(case, index=check.frame.index)
        elif "ghq_case" in cols:
            out["ghq_case"] = check.bool_column("ghq_case")

    for name in ("job_satisfaction", "confidence_assessment"):
        if name in cols:
            low, high = scales[name]
            out[name] = check.numeric_column(
                name, low=low, high=high, integer=True, expected=f"a Likert answer {low}-{high}"
            )
    if "practice_quality" in cols:
        out["practice_quality"] = check.numeric_column("practice_quality", low=1, high=5)
    for name in ("no_time_for_reflection", "experienced_violence"):
        if name in cols:
            out[name] = check.bool_column(name)
    for name in ("reflection_hours_per_week", "hours_direct_work"):
        if name in cols:
            out[name] = check.numeric_column(name, low=0, high=168, expected="hours 0-168")
    if "pct_time_direct_work" in cols:
        out["pct_time_direct_work"] = check.numeric_column(
            "pct_time_direct_work", low=0, high=100, expected="a percentage 0-100", percent=True
        )
    check.raise_if_problems()
    return _assemble(out, check.frame)


#: The most weeks a family's contacts are counted over (ten years), and the most contacts a week
#: (ten a day): a value beyond is a typo or another quantity, not a family's record.
MOST_WEEKS = 520
MOST_PER_WEEK = 70


def load_parent_survey(
    source: _SourceArg,
    *,
    mapping: Mapping[str, str] | None = None,
    sheet: str | None = None,
    scales: Mapping[str, tuple[int, int]] | None = None,
) -> pd.DataFrame:
    """Load a parent survey (one row per parent or family) into canonical columns.

    Parameters
    ----------
    source : path or DataFrame
        ``.csv``, ``.xlsx`` or ``.parquet`` file, or a DataFrame. The file is only read.
    mapping : dict, optional
        Your column names to canonical ones, e.g. ``{"Family ref": "case_id"}``.
    sheet : str, optional
        Worksheet of an XLSX workbook with several sheets.
    scales : dict, optional
        Inclusive ``(low, high)`` range per rating column; every column whose name starts with
        ``rating_`` is a Likert rating item, 1-5 (1 = very poor, 5 = very good) unless set here.

    Returns
    -------
    DataFrame
        Required ``case_id`` (pseudonymous; never reported), ``authority``, ``model``; optional
        ``respondent_id`` (unique), ``rating_*`` items (Int64), ``contacts`` (Int64, >= 0),
        ``weeks_observed`` (float, > 0) and, when both are present, ``contact_rate`` (contacts per week).
        Other columns are kept after these.

    Raises
    ------
    DataError
        Listing every problem found, including negative contacts or weeks, and rows identical in
        every column to an earlier row (the survey pasted twice, or a row repeated).

    Examples
    --------
    >>> import pandas as pd
    >>> raw = pd.DataFrame({"case_id": ["c1", "c2"], "authority": ["A", "B"],
    ...                     "model": ["unit", "conventional"], "rating_overall": [5, 3],
    ...                     "contacts": [12, 4], "weeks_observed": [6, 8]})
    >>> load_parent_survey(raw)[["case_id", "rating_overall", "contact_rate"]]
      case_id  rating_overall  contact_rate
    0      c1               5           2.0
    1      c2               3           0.5
    """
    check, out = _start(source, sheet, mapping, "case_id", PARENT_COLUMNS, "rating_")
    # case_id repeats by design (one row per parent), so only a row equal in EVERY column is refused
    # (findings-q13in A16: the survey pasted twice turned p .138 into .035)
    check.repeated_rows(
        hint="remove the repeated rows; if two parents of one family truly gave the same answers, "
        "add a respondent_id column to tell them apart"
    )
    cols = check.frame.columns
    if "respondent_id" in cols:
        out["respondent_id"] = check.string_column("respondent_id")
        check.unique_column(out["respondent_id"], "respondent_id")
    for name in (c for c in cols if c.startswith("rating_")):
        low, high = (scales or {}).get(name, RATING_SCALE)
        out[name] = check.numeric_column(
            name, low=low, high=high, integer=True, expected=f"a rating {low}-{high}"
        )
    if "contacts" in cols:
        out["contacts"] = check.numeric_column(
            "contacts", low=0, integer=True, expected="a whole number of contacts >= 0"
        )
    if "weeks_observed" in cols:
        weeks = check.numeric_column(  # ten years at most: 1e9 weeks broke the model (q19att N13)
            "weeks_observed", low=0, high=MOST_WEEKS, expected=f"weeks > 0 and at most {MOST_WEEKS}"
        )
        zero = (weeks == 0).to_numpy()
        if zero.any():
            text = check.frame["weeks_observed"].astype(str)
            check._bad(
                "weeks_observed",
                zero,
                text,
                "zero weeks observed",
                "weeks > 0",
                "a family observed for no time has no contact rate; drop the row",
            )
        out["weeks_observed"] = weeks.mask(weeks == 0)
    if "contacts" in out and "weeks_observed" in out:
        out["contact_rate"] = out["contacts"].astype(float) / out["weeks_observed"]
        many = (out["contact_rate"] > MOST_PER_WEEK).fillna(False).to_numpy(bool)
        if many.any():  # 1e9 contacts: a rate of 648,149 a week entered the means (q19att N13)
            check._bad(
                "contacts",
                many,
                check.frame["contacts"].astype(str),
                f"more than {MOST_PER_WEEK} contacts a week (ten a day) over the weeks observed",
                f"contacts / weeks_observed at most {MOST_PER_WEEK}",
                "check the contacts and weeks_observed of the row (a number typed twice, or a total "
                "for the whole service?)",
            )
    check.raise_if_problems()
    return _assemble(out, check.frame)


def _start(
    source: _SourceArg,
    sheet: str | None,
    mapping: Mapping[str, str] | None,
    id_column: str,
    known: tuple[str, ...],
    prefix: str | None = None,
) -> tuple[Checker, dict[str, pd.Series]]:
    """Read, map and check the columns every survey has: an identifier, ``authority``, ``model``;
    headers of ``known`` columns written otherwise are read as them (:func:`read_headers`)."""
    frame, info = read_table(source, sheet=sheet)
    check = Checker(frame, info)
    check.apply_mapping(mapping)
    check.frame = read_headers(check.frame, known, info.label, prefix)
    check.require([id_column, "authority", "model"])
    check.raise_if_problems()
    out = {
        id_column: check.string_column(id_column),
        "authority": check.string_column("authority"),
        "model": check.label_column("model", MODEL_SYNONYMS),
    }
    for name in (id_column, "authority", "model"):
        check.no_missing(name)
    check_authorities(check, out["authority"])
    one_spelling(check, "authority", out["authority"])
    mixed_models(check, out["authority"], out["model"])
    return check, out


def _assemble(canonical: dict[str, pd.Series], frame: pd.DataFrame) -> pd.DataFrame:
    """Canonical columns first, then the source's other columns, unchanged; index reset."""
    extra = [c for c in frame.columns if c not in canonical]
    result = pd.concat([pd.DataFrame(canonical), frame.loc[:, extra]], axis=1)
    return result.reset_index(drop=True)
