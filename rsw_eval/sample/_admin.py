"""Synthetic administrative panel (EES layout), cost ledger and SSDA903 return.

The unit-model authority carries Hackney's GSS code so that the DfE statistical neighbour file and
the bundled lookup work with the sample, but every name says "(synthetic)" and every number is made
up, calibrated to the figures the evaluations published.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from rsw_eval.io._lacodes import la_codes

UNIT_LA = "E09000012"
#: Hackney's ten 2021 statistical neighbours (DfE groupings), nearest first.
COMPARATORS = (
    "E09000028",
    "E09000022",
    "E09000014",
    "E09000023",
    "E09000019",
    "E09000031",
    "E09000013",
    "E09000008",
    "E09000011",
    "E09000010",
)
YEARS = tuple(range(2004, 2017))
INTERVENTION_YEAR = 2008
#: Calibration anchors for the unit-model authority (year ending 31 March -> value), each from the
#: seeds: looked-after children 470 (2006) and 314 (2010), "today" in the Community Care article;
#: a 30% fall 2005-06 to 2008-09 (Munro plaudit article) gives 329 in 2009; sickness 15.66 days in
#: 2006-07 (Community Care) and in 2008-09 (Munro plaudit), 7 in 2009-10; agency staff about 40%
#: before, 26.6% after (Community Care).
CLA = {
    2004: 486,
    2005: 478,
    2006: 470,
    2007: 452,
    2008: 405,
    2009: 329,
    2010: 314,
    2011: 306,
    2012: 301,
    2013: 297,
    2014: 293,
    2015: 290,
    2016: 288,
}
SICKNESS = {
    2004: 15.2,
    2005: 15.4,
    2006: 15.5,
    2007: 15.66,
    2008: 15.9,
    2009: 15.66,
    2010: 7.0,
    2011: 7.2,
    2012: 7.4,
    2013: 7.1,
    2014: 7.3,
    2015: 7.5,
    2016: 7.2,
}
AGENCY = {
    2004: 41.0,
    2005: 40.5,
    2006: 40.0,
    2007: 40.0,
    2008: 38.0,
    2009: 31.5,
    2010: 26.6,
    2011: 25.9,
    2012: 25.1,
    2013: 24.8,
    2014: 24.0,
    2015: 23.7,
    2016: 23.5,
}
#: Costs 2008-09 -> 2009-10 of the unit-model authority by driver (pounds). The total falls by
#: exactly 4.97% (Cross, Hubbard & Munro 2010): fewer looked-after children, less agency premium
#: and sickness cover, team managers replaced by consultant social workers.
COSTS_UNIT = {
    "looked_after_placements": (17_600_000, 16_400_000),
    "social_work_staffing": (11_200_000, 11_900_000),
    "agency_premium": (2_400_000, 1_700_000),
    "sickness_cover": (650_000, 350_000),
    "management": (2_150_000, 1_550_000),
    "family_support": (4_800_000, 5_000_000),
    "other": (1_200_000, 1_112_000),
}
PRICE_INDEX = {2009: 97.9, 2010: 100.0}  # synthetic GDP-deflator-like index, 2009-10 = 100


def _names() -> dict[str, tuple[str, str]]:
    table = la_codes()
    current = table[table["status"] == "current"]
    return {r.la_code: (r.old_la_code, r.la_name) for r in current.itertuples()}


def admin_panel(rng: np.random.Generator) -> pd.DataFrame:
    """EES-layout table: 11 authorities x 13 years x 9 indicators (unit-model LA with the break)."""
    names = _names()
    rows = []
    for code in (UNIT_LA, *COMPARATORS):
        old, name = names[code]
        unit = code == UNIT_LA
        pop0 = rng.uniform(48_000, 75_000)
        rate0 = rng.uniform(70, 105)
        cp_level = rng.uniform(300, 420)
        repeat_base = rng.uniform(11, 15)
        sick0, agency0 = rng.uniform(10, 13), rng.uniform(18, 30)
        for i, year in enumerate(YEARS):
            pop = round(pop0 * (1 + 0.006 * i))
            if unit:
                cla = CLA[year]
                sickness, agency = SICKNESS[year], AGENCY[year]
                repeat_pct = (14.0 if year < INTERVENTION_YEAR + 1 else 8.0) + rng.normal(0, 0.6)
                moves = 12.5 if year < INTERVENTION_YEAR else 8.5
            else:
                cla = round(rate0 * pop / 10_000 * (1 + rng.normal(0, 0.03)))
                sickness = sick0 + rng.normal(0, 0.6)
                agency = agency0 + rng.normal(0, 1.5)
                repeat_pct = repeat_base + rng.normal(0, 1.2)
                moves = 11.5
            started = round(cp_level * (1 + rng.normal(0, 0.08)))
            repeat = round(started * repeat_pct / 100)
            rows.append(
                {
                    "time_period": str(year),
                    "time_identifier": "Reporting year",
                    "geographic_level": "Local authority",
                    "country_code": "E92000001",
                    "country_name": "England",
                    "region_code": "E12000007",
                    "region_name": "London",
                    "old_la_code": old,
                    "new_la_code": code,
                    "la_name": f"{name} (synthetic)",
                    "children_looked_after": cla,
                    "population_0_17": pop,
                    "cp_plans_started": started,
                    "cp_plans_repeat": repeat,
                    "cp_plans_repeat_pct": round(100 * repeat / started, 1),
                    "sickness_days_per_fte": round(sickness, 2),
                    "agency_worker_pct": round(agency, 1),
                    "placements_3plus_pct": round(moves + rng.normal(0, 0.8), 1),
                    "residential_placements": max(0, round(cla * rng.uniform(0.06, 0.11))),
                }
            )
    frame = pd.DataFrame(rows)
    # a published-style suppression: one small count shown as "c", one not collected ("z")
    frame["residential_placements"] = frame["residential_placements"].astype(str)
    frame.loc[
        (frame["new_la_code"] == COMPARATORS[-1]) & (frame["time_period"] == "2004"), "residential_placements"
    ] = "c"
    frame["agency_worker_pct"] = frame["agency_worker_pct"].astype(str)
    frame.loc[
        (frame["new_la_code"] == COMPARATORS[-2]) & (frame["time_period"] == "2004"), "agency_worker_pct"
    ] = "z"
    return frame


#: Indicators that both the EES-layout panel and the SSDA903 return give for the unit-model
#: authority in 2010: the panel carries the return's own values there, so that the two synthetic
#: sources agree (real sources that disagree are reported by the vintage rule).
RECORD_LEVEL = ("placements_3plus_pct", "residential_placements")


def align_with_return(panel: pd.DataFrame, counts: pd.DataFrame) -> pd.DataFrame:
    """The panel with the unit-model authority's 2010 :data:`RECORD_LEVEL` values taken from the
    aggregated SSDA903 return (``counts``: a long panel from :func:`rsw_eval.load_ssda903`)."""
    out = panel.copy()
    row = (out["new_la_code"] == UNIT_LA) & (out["time_period"] == "2010")
    for indicator in RECORD_LEVEL:
        value = float(counts.loc[counts["indicator"] == indicator, "value"].iloc[0])
        if pd.api.types.is_float_dtype(out[indicator]):
            out.loc[row, indicator] = value
        else:  # a text column (it holds a DfE symbol)
            out.loc[row, indicator] = str(int(value)) if value.is_integer() else repr(value)
    return out


def costs(rng: np.random.Generator) -> pd.DataFrame:
    """Canonical cost ledger for 2008-09 and 2009-10: unit-model LA (exactly -4.97%) and comparators."""
    rows = []
    for code in (UNIT_LA, *COMPARATORS):
        for j, year in enumerate(("2008-09", "2009-10")):
            for line, (before, after) in COSTS_UNIT.items():
                if code == UNIT_LA:
                    amount = (before, after)[j]
                else:
                    scale = rng.uniform(0.8, 1.25) if j == 0 else None
                    amount = round(before * (scale if scale else 1.0))
                    if j == 1:
                        prior = next(
                            r["amount_gbp"]
                            for r in rows
                            if r["la_code"] == code and r["cost_line"] == line and r["year"] == "2008-09"
                        )
                        amount = round(prior * (1 + rng.normal(0.02, 0.03)))
                rows.append(
                    {
                        "la_code": code,
                        "year": year,
                        "cost_line": line,
                        "amount_gbp": amount,
                        "price_index": PRICE_INDEX[2009 + j],
                    }
                )
    return pd.DataFrame(rows)


_REC = ("E11", "E12", "E13", "E41", "E45", "E8")


def _date(day: pd.Timestamp) -> str:
    return day.strftime("%d/%m/%Y")


def ssda903(rng: np.random.Generator) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Header and Episodes for the unit-model authority, collection year ending 31 March 2010.

    314 children are looked after at 31 March 2010 (the published figure), 61 leave care during
    the year, and four have short-break episodes (LS V3) that DfE counts leave out.
    """
    start, end = pd.Timestamp(2009, 4, 1), pd.Timestamp(2010, 3, 31)
    year_days = (end - start).days
    header, episodes = [], []
    child = 0

    def add_child(periods: list[tuple[pd.Timestamp, pd.Timestamp | None, str]], ls: str) -> None:
        nonlocal child
        child += 1
        cid = f"C{child:04d}"
        header.append(
            {
                "CHILD": cid,
                "SEX": str(rng.integers(1, 3)),
                "DOB": _date(pd.Timestamp(1994, 1, 1) + pd.Timedelta(days=int(rng.integers(0, 5800)))),
                "ETHNIC": "REFU",
                "UPN": f"SYNUPN{child:06d}",
                "MOTHER": "",
                "MC_DOB": "",
            }
        )
        for k, (decom, dec, rec) in enumerate(periods):
            place = rng.choice(
                ["U1", "U4", "Q2", "K2", "R1", "P1", "H5"], p=[0.4, 0.22, 0.22, 0.05, 0.02, 0.08, 0.01]
            )
            episodes.append(
                {
                    "CHILD": cid,
                    "DECOM": _date(decom),
                    "RNE": "S" if k == 0 else "P",
                    "LS": ls,
                    "CIN": "N1",
                    "PLACE": place,
                    "PLACE_PROVIDER": "PR1",
                    "DEC": _date(dec) if dec is not None else "",
                    "REC": rec,
                    "REASON_PLACE_CHANGE": "",
                    "HOME_POST": "E8",
                    "PL_POST": "E9",
                    "URN": "SC000000" if place == "K2" else "",
                }
            )

    def spell(first: pd.Timestamp, last: pd.Timestamp | None, moves: int, rec: str):
        cuts = sorted(
            first + pd.Timedelta(days=int(d))
            for d in rng.integers(1, max(2, ((last or end) - first).days), moves)
        )
        starts = [first, *cuts]
        ends = [*cuts, last]
        return [
            (s, e, "X1" if e is not None and i < len(starts) - 1 else (rec if e else ""))
            for i, (s, e) in enumerate(zip(starts, ends, strict=True))
        ]

    for i in range(314):  # looked after at 31 March 2010
        first = (
            start - pd.Timedelta(days=int(rng.integers(30, 2500)))
            if i < 230
            else start + pd.Timedelta(days=int(rng.integers(0, year_days - 10)))
        )
        moves = int(rng.choice([0, 1, 2, 3], p=[0.45, 0.3, 0.13, 0.12]))
        add_child(spell(first, None, moves, ""), "C2")
    for _ in range(61):  # left care during the year
        first = start - pd.Timedelta(days=int(rng.integers(30, 1500)))
        last = start + pd.Timedelta(days=int(rng.integers(5, year_days - 5)))
        add_child(spell(first, last, int(rng.integers(0, 2)), str(rng.choice(_REC))), "C2")
    for _ in range(4):  # short breaks only: excluded from every count
        first = start + pd.Timedelta(days=int(rng.integers(0, 300)))
        add_child([(first, first + pd.Timedelta(days=3), "E8")], "V3")
    return pd.DataFrame(header), pd.DataFrame(episodes)
