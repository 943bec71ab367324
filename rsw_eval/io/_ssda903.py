"""SSDA903 looked-after-children returns (record level) -> aggregate panel indicators.

Identifiers (CHILD, UPN, postcodes, URN) are used only inside this module; the result is aggregate.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from rsw_eval._errors import DataError, Problem
from rsw_eval.io._authority import authority_problems
from rsw_eval.io._panel import finish_panel
from rsw_eval.io._ssda903_read import (
    CODE_SHAPED,
    DATE_BAD,
    DATE_EMPTY,
    DATE_RANGE,
    DATE_SHAPED,
    FIRST_DATE,
    LAST_DATE,
    OPEN,
    Part,
    child_ids,
    code_index,
    dates,
    read_part,
    shown,
)

__all__ = ["PLACE_CODES", "RESIDENTIAL_PLACE", "load_ssda903"]

HEADER_COLUMNS = ("CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB")
# fmt: off
EPISODE_COLUMNS = (
    "CHILD", "DECOM", "RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "DEC", "REC",
    "REASON_PLACE_CHANGE", "HOME_POST", "PL_POST", "URN",
)
# fmt: on
#: Reason for new episode. S starts a period of care; P, T, U and B begin a new placement
#: (placement only; placement and legal status; placement and carer; placement change that
#: is part of a planned move); L changes legal status only and does not count as a new placement.
RNE_CODES = ("S", "P", "L", "T", "U", "B")
NEW_PLACEMENT_RNE = frozenset({"S", "P", "T", "U", "B"})
LEGAL_STATUS = ("C1", "C2", "D1", "E1", "J1", "J2", "J3", "L1", "L2", "L3", "V2", "V3", "V4")
#: Short-break legal statuses: an agreed series of short-term placements. DfE leaves these
#: episodes out of the looked-after counts, starts, ceasings and placement counts.
SHORT_BREAKS = frozenset({"V3", "V4"})
# fmt: off
PLACE_CODES = (
    "A3", "A4", "A5", "A6", "H5", "K1", "K2", "M1", "M2", "M3", "P1", "P2", "P3", "Q1", "Q2", "R1",
    "R2", "R3", "R5", "S1", "T0", "T1", "T2", "T3", "T4", "U1", "U2", "U3", "U4", "U5", "U6", "Z1",
)
# fmt: on
#: Residential placements: secure units (K1), children's homes and hostels (K2), residential
#: accommodation not subject to children's homes regulations (H5), residential care homes (R1),
#: NHS or health establishments (R2), family centres or mother-and-baby units (R3), young offender
#: institutions (R5) and residential schools (S1).
RESIDENTIAL_PLACE = frozenset({"K1", "K2", "H5", "R1", "R2", "R3", "R5", "S1"})
# fmt: off
REC_CODES = (
    "E11", "E12", "E13", "E14", "E15", "E16", "E17", "E2", "E3", "E4A", "E4B", "E41", "E45", "E46",
    "E47", "E48", "E5", "E6", "E7", "E8", "E9", "X1",
)
# fmt: on
#: X1: the episode ended and another began without leaving care.
CONTINUING = "X1"

_Source = str | os.PathLike | pd.DataFrame
EPISODE_NEEDED = ("CHILD", "DECOM", "RNE", "LS", "PLACE", "DEC", "REC")
_CODE_COLUMNS = (("RNE", RNE_CODES, False), ("LS", LEGAL_STATUS, False), ("PLACE", PLACE_CODES, False))


def _items(sources: _Source | Sequence[_Source]) -> list[_Source]:
    return list(sources) if isinstance(sources, list | tuple) else [sources]


def _where(part, mask: np.ndarray, message: str, column: str, **extra) -> Problem:
    """A problem at the rows of ``part`` (a file read by :func:`read_part`) where ``mask`` holds."""
    rows = part.row_numbers(mask)
    return Problem(part.label, message, column=column, rows=tuple(rows[:5]), n_rows=len(rows), **extra)


@dataclass
class _Episodes:
    """One Episodes file as per-row integer arrays (no text, no identifier)."""

    label: str
    part: Part  # the file's row numbers, for messages
    child: np.ndarray  # index into the file's distinct CHILD texts, made global later
    child_text: np.ndarray
    decom: np.ndarray  # day numbers (OPEN when missing)
    dec: np.ndarray
    codes: dict[str, np.ndarray]  # RNE, LS, PLACE, REC: position in their code list (-1 blank)


def _episodes(source: _Source, problems: list[Problem]) -> _Episodes:
    part = read_part(source, EPISODE_NEEDED, EPISODE_NEEDED)
    label = part.label
    child, child_text = child_ids(part)
    if (child_text[child] == "").any():
        problems.append(_where(part, child_text[child] == "", "missing CHILD", "CHILD", expected="an id"))
    found = {}
    for col in ("DECOM", "DEC"):
        status, days = dates(part, col)
        found[col] = days
        bad, out = status == DATE_BAD, status == DATE_RANGE
        if bad.any():
            problems.append(
                _where(
                    part,
                    bad,
                    "unparseable date",
                    col,
                    expected="dd/mm/yyyy" + (" or empty" if col == "DEC" else ""),
                    found=shown(part.raw(col, bad), DATE_SHAPED),
                )
            )
        if out.any():
            problems.append(
                _where(
                    part,
                    out,
                    "impossible date",
                    col,
                    expected=f"a date from {FIRST_DATE:%d/%m/%Y} to {LAST_DATE:%d/%m/%Y}",
                    found=shown(part.raw(col, out), DATE_SHAPED),
                )
            )
        if col == "DECOM" and (status == DATE_EMPTY).any():
            problems.append(_where(part, status == DATE_EMPTY, "missing date", col, expected="dd/mm/yyyy"))
    codes = {}
    for col, valid, may_be_empty in (*_CODE_COLUMNS, ("REC", REC_CODES, True)):
        codes[col] = code_index(part, col, valid)
        bad = (codes[col] == -2) | ((codes[col] == -1) & (not may_be_empty))
        if bad.any():
            problems.append(
                _where(
                    part,
                    bad,
                    "unknown code",
                    col,
                    expected="one of " + ", ".join(valid),
                    found=shown(part.raw(col, bad), CODE_SHAPED),
                )
            )
    decom, dec = found["DECOM"], found["DEC"]
    backwards = (dec != OPEN) & (decom != OPEN) & (dec < decom)
    if backwards.any():
        problems.append(
            _where(
                part,
                backwards,
                "episode ends before it starts (DEC before DECOM)",
                "DEC",
                expected="DEC on or after DECOM",
            )
        )
    rows = Part(label, part.n, rows=part.rows)  # the row numbers only: the codes are freed
    return _Episodes(label, rows, child, child_text, decom, dec, codes)


def _header_children(source: _Source, problems: list[Problem]) -> np.ndarray:
    """The distinct CHILD texts of one Header file (a CHILD twice in it is a problem)."""
    part = read_part(source, ("CHILD",), ("CHILD",))
    child, child_text = child_ids(part)
    repeated = np.bincount(child, minlength=len(child_text))[child] > 1
    if repeated.any():
        problems.append(
            _where(
                part,
                repeated,
                "a CHILD appears more than once in the Header",
                "CHILD",
                expected="one Header row per child",
                found=f"{int(repeated.sum())} rows share a CHILD (identifiers not shown)",
            )
        )
    return child_text


def _global_children(heads: list[np.ndarray], files: list[_Episodes]) -> tuple[np.ndarray, np.ndarray]:
    """Every episode's child as one integer over all files, and which integers the Header holds."""
    texts = [*heads, *(f.child_text for f in files)]
    ids, distinct = pd.factorize(np.concatenate(texts))
    in_header = np.zeros(len(distinct), dtype=bool)
    at = 0
    for text_ in heads:
        in_header[ids[at : at + len(text_)]] = True
        at += len(text_)
    child = []
    for f in files:
        child.append(ids[at : at + len(f.child_text)][f.child])
        at += len(f.child_text)
    return np.concatenate(child), in_header


def _by_file(files: list[_Episodes], mask: np.ndarray, message: str, column: str, **extra) -> list[Problem]:
    out, at = [], 0
    for f in files:
        local = mask[at : at + len(f.child)]
        at += len(f.child)
        if local.any():
            out.append(_where(f.part, local, message, column, **extra))
    return out


def _overlaps(child: np.ndarray, decom: np.ndarray, dec: np.ndarray) -> np.ndarray:
    """Episodes followed, for the same child, by one that starts before they end."""
    order = np.lexsort((decom, child))
    c, start, end = child[order], decom[order], dec[order]
    follows = (c[1:] == c[:-1]) & (start[1:] != OPEN)
    flagged = np.zeros(len(child), dtype=bool)
    flagged[order[:-1]] = follows & ((end[:-1] == OPEN) | (start[1:] < end[:-1]))
    return flagged


def _day(d: date) -> int:
    return (d - date(1970, 1, 1)).days


def _count(eps: dict[str, np.ndarray], n_children: int, y: int) -> dict[str, float]:
    """The indicators of the year ending 31 March ``y`` (short breaks already left out)."""
    start, end = _day(date(y - 1, 4, 1)), _day(date(y, 3, 31))
    child, decom, dec = eps["child"], eps["decom"], eps["dec"]
    at_end = (decom <= end) & (dec > end)
    looked_after = np.zeros(n_children, dtype=bool)
    looked_after[child[at_end]] = True
    running = np.zeros(n_children, dtype=np.int64)
    running[child[(decom < start) & (dec >= start)]] = 1
    in_year = (decom >= start) & (decom <= end)
    placements = running + np.bincount(child[in_year & eps["new_placement"]], minlength=n_children)
    n = int(looked_after.sum())
    return {
        "children_looked_after": float(n),
        "cla_started": float((in_year & eps["rne_s"]).sum()),
        "cla_ceased": float(((dec >= start) & (dec <= end) & ~eps["continuing"]).sum()),
        "placements_3plus_pct": 100.0 * int((placements[looked_after] >= 3).sum()) / n if n else np.nan,
        "residential_placements": float((at_end & eps["residential"]).sum()),
    }


def load_ssda903(
    header: _Source | Sequence[_Source],
    episodes: _Source | Sequence[_Source],
    *,
    year: int | Sequence[int],
    la_code: str,
    la_name: str = "",
) -> pd.DataFrame:
    """Aggregate an SSDA903 return (Header and Episodes files) to panel indicators.

    Parameters
    ----------
    header, episodes : path, DataFrame or list of them
        The Header (``CHILD, SEX, DOB, ETHNIC, UPN, MOTHER, MC_DOB``) and Episodes (``CHILD, DECOM,
        RNE, LS, CIN, PLACE, PLACE_PROVIDER, DEC, REC, REASON_PLACE_CHANGE, HOME_POST, PL_POST, URN``)
        tables; one pair per collection year or several years together (lists are concatenated).
        Dates are ``dd/mm/yyyy`` or ISO ``yyyy-mm-dd``.
    year : int or list of int
        Year(s) ending 31 March to report.
    la_code : str
        The authority's GSS code (a return holds one authority and does not name it).
    la_name : str, optional
        Its name, for the panel.

    Returns
    -------
    DataFrame
        The long panel, aggregate only, with indicators ``children_looked_after`` (episodes open at
        the end of 31 March), ``cla_started`` (episodes with RNE = S commencing in the year),
        ``cla_ceased`` (episodes ending in the year with REC other than X1),
        ``placements_3plus_pct`` (percentage of the children looked after at 31 March who had three or
        more placements in the year) and ``residential_placements`` (children looked after at 31
        March in a residential PLACE, :data:`RESIDENTIAL_PLACE`). Short-break episodes (LS V3, V4) are
        left out of every count.

    Notes
    -----
    Placements in a year: one for a placement already running on 1 April, plus one for each episode
    commencing in the year whose RNE begins a new placement (S, P, T, U, B; L does not). No identifier
    leaves this function.

    Each distinct date and code is parsed once and CHILD becomes an integer code, so a national
    extract (millions of episodes) loads in seconds; a CSV path is read with pyarrow (when
    installed), only the needed columns. XLSX and Parquet cells may be dates or text; blank cells
    are empty. Values that do not look like a date or a code are counted in error messages, never
    shown (a postcode or an identifier typed into DECOM stays private).

    Raises
    ------
    DataError
        Unparseable or impossible dates (before 1900 or after 2100), DEC before DECOM, overlapping
        episodes of a child, a CHILD twice in one Header file, episodes for a CHILD not in the
        Header, a blank CHILD, and unknown RNE, LS, PLACE or REC codes (accepted codes listed).

    Examples
    --------
    >>> import pandas as pd
    >>> h = pd.DataFrame({"CHILD": ["1"], "SEX": ["1"], "DOB": ["01/05/2010"], "ETHNIC": ["WBRI"],
    ...                   "UPN": ["A1"], "MOTHER": [""], "MC_DOB": [""]})
    >>> e = pd.DataFrame({"CHILD": ["1"], "DECOM": ["10/06/2015"], "RNE": ["S"], "LS": ["C2"],
    ...                   "CIN": ["N1"], "PLACE": ["U1"], "PLACE_PROVIDER": ["PR1"], "DEC": [""],
    ...                   "REC": [""], "REASON_PLACE_CHANGE": [""], "HOME_POST": ["E8"],
    ...                   "PL_POST": ["E8"], "URN": ["XXXXXXX"]})
    >>> p = load_ssda903(h, e, year=2016, la_code="E09000012")
    >>> p.set_index("indicator")["value"]
    indicator
    children_looked_after     1.0
    cla_ceased                0.0
    cla_started               1.0
    placements_3plus_pct      0.0
    residential_placements    0.0
    Name: value, dtype: float64
    """
    years = [year] if isinstance(year, int | np.integer) else list(year)
    if not years or not all(isinstance(y, int | np.integer) for y in years):
        raise ValueError(f"year must be an int or a list of ints. Got {year!r} instead.")
    # a Welsh or Scottish GSS code would file the episodes under no English authority (A15 of q13in)
    problems = authority_problems("SSDA903", pd.Series([str(la_code)]), pd.Series([""]), [None], "la_code")
    heads = [_header_children(item, problems) for item in _items(header)]
    files = [_episodes(item, problems) for item in _items(episodes)]
    child, in_header = _global_children(heads, files)
    problems += _by_file(
        files,
        ~in_header[child],
        "episodes for a CHILD that is not in the Header",
        "CHILD",
        expected="every CHILD in the Header file",
        found=f"{int((~in_header[child]).sum())} episode rows (identifiers not shown)",
    )
    decom = np.concatenate([f.decom for f in files])
    dec = np.concatenate([f.dec for f in files])
    problems += _by_file(
        files,
        _overlaps(child, decom, dec),
        "overlapping episodes for a child (an episode starts before the previous one ends)",
        "DECOM",
        expected="each episode to start on or after the previous DEC",
    )
    if problems:
        raise DataError(problems)

    codes = {col: np.concatenate([f.codes[col] for f in files]) for col in ("RNE", "LS", "PLACE", "REC")}
    care = ~np.isin(codes["LS"], [LEGAL_STATUS.index(c) for c in SHORT_BREAKS])
    new_placement = np.isin(codes["RNE"], [RNE_CODES.index(c) for c in NEW_PLACEMENT_RNE])
    eps = {
        "child": child[care],
        "decom": decom[care],
        "dec": dec[care],
        "new_placement": new_placement[care],
        "rne_s": codes["RNE"][care] == RNE_CODES.index("S"),
        "continuing": codes["REC"][care] == REC_CODES.index(CONTINUING),
        "residential": np.isin(codes["PLACE"], [PLACE_CODES.index(c) for c in RESIDENTIAL_PLACE])[care],
    }
    n_children = len(in_header)
    source = ";".join(Path(f.label).name for f in files)
    rows = [
        {
            "la_code": la_code,
            "old_la_code": "",
            "la_name": la_name,
            "year": int(y),
            "indicator": indicator,
            "value": value,
            "flag": "",
            "source": source,
        }
        for y in years
        for indicator, value in _count(eps, n_children, int(y)).items()
    ]
    return finish_panel(pd.DataFrame(rows), "SSDA903")
