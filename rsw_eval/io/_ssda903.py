"""SSDA903 looked-after-children returns (record level) -> aggregate panel indicators.

Identifiers (CHILD, UPN, postcodes, URN) are used only inside this module; the result is aggregate.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from rsw_eval._errors import DataError, Problem
from rsw_eval.io._panel import finish_panel
from rsw_eval.io._read import read_table

__all__ = ["PLACE_CODES", "RESIDENTIAL_PLACE", "load_ssda903"]

HEADER_COLUMNS = ("CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB")
EPISODE_COLUMNS = (
    "CHILD",
    "DECOM",
    "RNE",
    "LS",
    "CIN",
    "PLACE",
    "PLACE_PROVIDER",
    "DEC",
    "REC",
    "REASON_PLACE_CHANGE",
    "HOME_POST",
    "PL_POST",
    "URN",
)
#: Reason for new episode. S starts a period of care; P, T, U and B begin a new placement
#: (placement only; placement and legal status; placement and carer; placement change that
#: is part of a planned move); L changes legal status only and does not count as a new placement.
RNE_CODES = ("S", "P", "L", "T", "U", "B")
NEW_PLACEMENT_RNE = frozenset({"S", "P", "T", "U", "B"})
LEGAL_STATUS = ("C1", "C2", "D1", "E1", "J1", "J2", "J3", "L1", "L2", "L3", "V2", "V3", "V4")
#: Short-break legal statuses: an agreed series of short-term placements. DfE leaves these
#: episodes out of the looked-after counts, starts, ceasings and placement counts.
SHORT_BREAKS = frozenset({"V3", "V4"})
PLACE_CODES = (
    "A3",
    "A4",
    "A5",
    "A6",
    "H5",
    "K1",
    "K2",
    "M1",
    "M2",
    "M3",
    "P1",
    "P2",
    "P3",
    "Q1",
    "Q2",
    "R1",
    "R2",
    "R3",
    "R5",
    "S1",
    "T0",
    "T1",
    "T2",
    "T3",
    "T4",
    "U1",
    "U2",
    "U3",
    "U4",
    "U5",
    "U6",
    "Z1",
)
#: Residential placements: secure units (K1), children's homes and hostels (K2), residential
#: accommodation not subject to children's homes regulations (H5), residential care homes (R1),
#: NHS or health establishments (R2), family centres or mother-and-baby units (R3), young offender
#: institutions (R5) and residential schools (S1).
RESIDENTIAL_PLACE = frozenset({"K1", "K2", "H5", "R1", "R2", "R3", "R5", "S1"})
REC_CODES = (
    "E11",
    "E12",
    "E13",
    "E14",
    "E15",
    "E16",
    "E17",
    "E2",
    "E3",
    "E4A",
    "E4B",
    "E41",
    "E45",
    "E46",
    "E47",
    "E48",
    "E5",
    "E6",
    "E7",
    "E8",
    "E9",
    "X1",
)
#: X1: the episode ended and another began without leaving care.
CONTINUING = "X1"

_Source = str | os.PathLike | pd.DataFrame


def _read_many(
    sources: _Source | Sequence[_Source], required: tuple[str, ...]
) -> tuple[pd.DataFrame, list[str]]:
    items = list(sources) if isinstance(sources, list | tuple) else [sources]
    frames, labels = [], []
    for item in items:
        frame, info = read_table(item)
        missing = [c for c in required if c not in frame.columns]
        if missing:
            raise DataError(
                Problem(
                    info.label,
                    "missing SSDA903 columns",
                    column=", ".join(missing),
                    expected=", ".join(required),
                    found=", ".join(map(repr, frame.columns)),
                )
            )
        frame = frame.reset_index(drop=True).assign(_file=info.label, _row=lambda f: f.index + 2)
        frames.append(frame)
        labels.append(info.label)
    return pd.concat(frames, ignore_index=True), labels


def _dates(col: pd.Series) -> tuple[pd.Series, np.ndarray]:
    text = col.astype(str).str.strip()
    empty = text.isin(["", "nan", "NaT", "None"]).to_numpy()
    uk = pd.to_datetime(text, format="%d/%m/%Y", errors="coerce")
    iso = pd.to_datetime(text, format="%Y-%m-%d", errors="coerce")
    parsed = uk.fillna(iso)
    return parsed, ~empty & parsed.isna().to_numpy()


def _problem(frame: pd.DataFrame, mask, column: str, message: str, expected: str) -> Problem:
    bad = frame[np.asarray(mask)]
    return Problem(
        str(bad["_file"].iloc[0]),
        message,
        column=column,
        rows=tuple(int(r) for r in bad["_row"].head(5)),
        n_rows=len(bad),
        expected=expected,
        found=", ".join(repr(v) for v in bad[column].astype(str).head(5)),
    )


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

    Raises
    ------
    DataError
        Unparseable dates, DEC before DECOM, overlapping episodes of a child, episodes for a CHILD
        not in the Header, and unknown RNE, LS, PLACE or REC codes (accepted codes listed).

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
    heads, _ = _read_many(header, ("CHILD",))
    eps, labels = _read_many(episodes, ("CHILD", "DECOM", "RNE", "LS", "PLACE", "DEC", "REC"))
    problems: list[Problem] = []
    eps["CHILD"] = eps["CHILD"].astype(str).str.strip()
    for col in ("RNE", "LS", "PLACE", "REC"):
        eps[col] = eps[col].astype(str).str.strip().str.upper().replace({"NAN": "", "NONE": ""})
    eps["decom"], bad_decom = _dates(eps["DECOM"])
    eps["dec"], bad_dec = _dates(eps["DEC"])
    if bad_decom.any():
        problems.append(_problem(eps, bad_decom, "DECOM", "unparseable date", "dd/mm/yyyy"))
    if bad_dec.any():
        problems.append(_problem(eps, bad_dec, "DEC", "unparseable date", "dd/mm/yyyy or empty"))
    no_decom = eps["decom"].isna().to_numpy() & ~bad_decom
    if no_decom.any():
        problems.append(_problem(eps, no_decom, "DECOM", "missing date", "dd/mm/yyyy"))
    for col, codes, may_be_empty in (
        ("RNE", RNE_CODES, False),
        ("LS", LEGAL_STATUS, False),
        ("PLACE", PLACE_CODES, False),
        ("REC", REC_CODES, True),
    ):
        ok = eps[col].isin(codes) | ((eps[col] == "") & may_be_empty)
        if not ok.all():
            problems.append(_problem(eps, ~ok.to_numpy(), col, "unknown code", "one of " + ", ".join(codes)))
    backwards = (eps["dec"] < eps["decom"]).to_numpy()
    if backwards.any():
        problems.append(
            _problem(
                eps,
                backwards,
                "DEC",
                "episode ends before it starts (DEC before DECOM)",
                "DEC on or after DECOM",
            )
        )
    known = set(heads["CHILD"].astype(str).str.strip())
    orphan = ~eps["CHILD"].isin(known).to_numpy()
    if orphan.any():
        problems.append(
            Problem(
                str(eps.loc[orphan, "_file"].iloc[0]),
                "episodes for a CHILD that is not in the Header",
                column="CHILD",
                rows=tuple(int(r) for r in eps.loc[orphan, "_row"].head(5)),
                n_rows=int(orphan.sum()),
                expected="every CHILD in the Header file",
                found=f"{int(orphan.sum())} episode rows (identifiers not shown)",
            )
        )
    ordered = eps.sort_values(["CHILD", "decom"], kind="stable")
    nxt = ordered.groupby("CHILD")["decom"].shift(-1)
    overlap = (nxt.notna() & (ordered["dec"].isna() | (nxt < ordered["dec"]))).to_numpy()
    if overlap.any():
        problems.append(
            Problem(
                str(ordered["_file"].iloc[0]),
                "overlapping episodes for a child (an episode starts before the previous one ends)",
                column="DECOM",
                rows=tuple(int(r) for r in ordered.loc[overlap, "_row"].head(5)),
                n_rows=int(overlap.sum()),
                expected="each episode to start on or after the previous DEC",
            )
        )
    if problems:
        raise DataError(problems)

    care = eps[~eps["LS"].isin(SHORT_BREAKS)]
    rows = []
    for y in years:
        start, end = pd.Timestamp(y - 1, 4, 1), pd.Timestamp(y, 3, 31)
        open_at_end = (care["decom"] <= end) & (care["dec"].isna() | (care["dec"] > end))
        at_end = care[open_at_end]
        children = at_end["CHILD"].unique()
        open_at_start = care[(care["decom"] < start) & (care["dec"].isna() | (care["dec"] >= start))]
        new_in_year = care[
            (care["decom"] >= start) & (care["decom"] <= end) & care["RNE"].isin(NEW_PLACEMENT_RNE)
        ]
        placements = (
            new_in_year.groupby("CHILD")
            .size()
            .add(open_at_start.groupby("CHILD").size().clip(upper=1), fill_value=0)
        )
        n = len(children)
        three_plus = int((placements.reindex(children, fill_value=0) >= 3).sum())
        values = {
            "children_looked_after": float(n),
            "cla_started": float(
                ((care["RNE"] == "S") & (care["decom"] >= start) & (care["decom"] <= end)).sum()
            ),
            "cla_ceased": float(
                ((care["dec"] >= start) & (care["dec"] <= end) & (care["REC"] != CONTINUING)).sum()
            ),
            "placements_3plus_pct": 100.0 * three_plus / n if n else np.nan,
            "residential_placements": float(at_end["PLACE"].isin(RESIDENTIAL_PLACE).sum()),
        }
        for indicator, value in values.items():
            rows.append(
                {
                    "la_code": la_code,
                    "old_la_code": "",
                    "la_name": la_name,
                    "year": int(y),
                    "indicator": indicator,
                    "value": value,
                    "flag": "",
                    "source": ";".join(Path(label).name for label in labels),
                }
            )
    return finish_panel(pd.DataFrame(rows), "SSDA903")
