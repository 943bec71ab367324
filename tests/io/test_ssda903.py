"""SSDA903 aggregation on hand-built returns whose indicators are counted by hand here."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import numpy as np
import pandas as pd
import pytest

from rsw_eval import DataError
from rsw_eval.io import load_ssda903
from tests.conftest import SAMPLE

HEADER_COLS = ["CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB"]
EP_COLS = [
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
]


def _header(children):
    return pd.DataFrame(
        [[c, "1", "01/01/2005", "WBRI", f"UPN{c}", "", ""] for c in children], columns=HEADER_COLS
    )


def _episodes(rows):
    """rows: (child, decom, rne, ls, place, dec, rec)."""
    return pd.DataFrame(
        [
            [c, d, rne, ls, "N1", place, "PR1", dec, rec, "", "E8", "E9", ""]
            for c, d, rne, ls, place, dec, rec in rows
        ],
        columns=EP_COLS,
    )


# Year ending 31 March 2010 (1 April 2009 - 31 March 2010):
# A: in care since 2008, placement moves in June and Nov 2009 -> 3 placements in the year; at 31 March
# B: starts Aug 2009 (S) in a children's home (K2), legal change only in Jan 2010 (L) -> 1 placement
# C: in care since 2007, leaves in Sept 2009 (E11) -> ceased, not counted at 31 March
# D: short breaks only (V3) -> left out of every count
# E: starts 31 March 2010 in foster care (ISO dates) -> at 31 March, started
# F: episode ends 31 March 2010 (E13) -> ceased, not looked after at the end of 31 March
ROWS = [
    ("A", "10/05/2008", "S", "C2", "U1", "15/06/2009", "X1"),
    ("A", "15/06/2009", "P", "C2", "U4", "20/11/2009", "X1"),
    ("A", "20/11/2009", "P", "C2", "Q2", "", ""),
    ("B", "01/08/2009", "S", "V2", "K2", "10/01/2010", "X1"),
    ("B", "10/01/2010", "L", "C1", "K2", "", ""),
    ("C", "01/03/2007", "S", "C2", "U1", "30/09/2009", "E11"),
    ("D", "01/09/2009", "S", "V3", "U1", "05/09/2009", "E8"),
    ("E", "2010-03-31", "S", "J2", "U1", "", ""),
    ("F", "01/01/2008", "S", "C2", "R1", "31/03/2010", "E13"),
]


@pytest.fixture()
def panel():
    p = load_ssda903(_header("ABCDEF"), _episodes(ROWS), year=2010, la_code="E09000012", la_name="Test")
    return p.set_index("indicator")["value"]


def test_looked_after_at_31_march(panel):
    assert panel["children_looked_after"] == 3  # A, B, E (F left on 31 March; D short breaks)


def test_started_and_ceased(panel):
    assert panel["cla_started"] == 2  # B, E (D is a short break)
    assert panel["cla_ceased"] == 2  # C, F (X1 endings are not leaving care)


def test_three_or_more_placements(panel):
    # placements in the year: A = 1 running on 1 April + 2 moves = 3; B = 1 (L is not a move); E = 1
    assert panel["placements_3plus_pct"] == pytest.approx(100 * 1 / 3, abs=1e-12)


def test_residential(panel):
    assert panel["residential_placements"] == 1  # B in K2; F (R1) has left


def test_no_identifier_leaves_the_loader():
    p = load_ssda903(_header("ABCDEF"), _episodes(ROWS), year=[2009, 2010], la_code="E09000012")
    text = p.to_csv()
    for ident in ("UPNA", "PR1", "E8", "E9"):
        assert ident not in text
    assert set(p["year"]) == {2009, 2010}


def test_year_2009_by_hand():
    p = load_ssda903(_header("ABCDEF"), _episodes(ROWS), year=2009, la_code="E09000012").set_index(
        "indicator"
    )["value"]
    assert p["children_looked_after"] == 3  # A, C, F at 31 March 2009
    assert p["cla_started"] == 1  # A started 10/05/2008


@pytest.mark.parametrize(
    ("rows", "match"),
    [
        (
            [("A", "10/05/2009", "S", "C2", "U1", "01/05/2009", "E11")],
            r"column 'DEC': episode ends before it starts",
        ),
        (
            [("A", "10/05/2009", "S", "C2", "U1", "", ""), ("A", "10/06/2009", "P", "C2", "U1", "", "")],
            r"overlapping episodes for a child",
        ),
        (
            [("A", "31/02/2009", "S", "C2", "U1", "", "")],
            r"column 'DECOM': unparseable date; expected dd/mm/yyyy, found '31/02/2009'",
        ),
        (
            [("A", "10/05/2009", "Q", "C2", "U1", "", "")],
            r"column 'RNE': unknown code; expected one of S, P, L, T, U, B",
        ),
        ([("A", "10/05/2009", "S", "C9", "U1", "", "")], r"column 'LS': unknown code"),
        ([("A", "10/05/2009", "S", "C2", "ZZ", "", "")], r"column 'PLACE': unknown code"),
        ([("A", "10/05/2009", "S", "C2", "U1", "01/06/2009", "E99")], r"column 'REC': unknown code"),
        (
            [("Z", "10/05/2009", "S", "C2", "U1", "", "")],
            r"row 2, column 'CHILD': episodes for a CHILD that is not in the Header",
        ),
    ],
    ids=["dec-before-decom", "overlap", "bad-date", "rne", "ls", "place", "rec", "orphan"],
)
def test_validation(rows, match):
    with pytest.raises(DataError, match=match):
        load_ssda903(_header("A"), _episodes(rows), year=2010, la_code="E09000012")


def test_orphan_message_does_not_show_the_identifier():
    with pytest.raises(DataError) as info:
        load_ssda903(
            _header("A"),
            _episodes([("SECRET1", "10/05/2009", "S", "C2", "U1", "", "")]),
            year=2010,
            la_code="E09000012",
        )
    assert "SECRET1" not in str(info.value)


def test_several_years_of_files_together():
    first = _episodes(ROWS[:3])
    second = _episodes(ROWS[3:])
    p = load_ssda903(
        [_header("ABC"), _header("DEF")], [first, second], year=2010, la_code="E09000012"
    ).set_index("indicator")["value"]
    assert p["children_looked_after"] == 3


# --- the fast loader against an independent count, on the sample and on random returns ------------

_PLACES = ("U1", "U4", "Q2", "K2", "R1", "P1", "H5", "S1", "A3")
_ENDS = ("E11", "E12", "E13", "E41", "E45", "E8", "E2")


def _random_return(seed: int, n_children: int = 120):
    """A valid return: per child 1-5 episodes, back to back (REC X1, RNE P/T/U/B/L) or after a
    gap (leaving care and starting again, RNE S); some short breaks, some still open; UK and
    ISO dates mixed."""
    rng = np.random.default_rng(seed)
    episodes = []
    for c in range(n_children):
        child = f"  K{c:05d}" if c % 17 == 0 else f"K{c:05d}"  # padded ids are the same child
        day = date(2004, 1, 1) + timedelta(days=int(rng.integers(0, 365 * 7)))
        ls = "V3" if rng.random() < 0.05 else None
        rne = "S"
        for k in range(int(rng.integers(1, 6))):
            length = int(rng.integers(0, 500))
            last = k == 4 or rng.random() < 0.25
            end = None if last and rng.random() < 0.6 else day + timedelta(days=length)
            rec = "" if end is None else (rng.choice(_ENDS) if last else "X1")
            fmt = "%Y-%m-%d" if rng.random() < 0.1 else "%d/%m/%Y"
            episodes.append(
                (
                    child,
                    day.strftime(fmt),
                    rne,
                    ls or rng.choice(["C1", "C2", "J2", "V2"]),
                    rng.choice(_PLACES),
                    end.strftime("%d/%m/%Y") if end else "",
                    str(rec),
                )
            )
            if end is None:
                break
            if last:  # leaves care, may come back later
                day = end + timedelta(days=int(rng.integers(1, 400)))
                rne = "S"
            else:
                day = end
                rne = str(rng.choice(["P", "T", "U", "B", "L"]))
    children = sorted({e[0].strip() for e in episodes})
    return _header(children), _episodes(episodes)


def _count_by_hand(header: pd.DataFrame, episodes: pd.DataFrame, y: int) -> dict[str, float]:
    """The DfE counting rules, child by child in plain Python (independent of the loader)."""

    def day(text):
        return (
            None
            if not text
            else (date.fromisoformat(text) if "-" in text else datetime.strptime(text, "%d/%m/%Y").date())
        )

    start, end = date(y - 1, 4, 1), date(y, 3, 31)
    rows = [
        (str(r.CHILD).strip(), day(r.DECOM), day(r.DEC), r.RNE, r.LS, r.PLACE, r.REC)
        for r in episodes.itertuples()
        if r.LS not in ("V3", "V4")
    ]
    at_end = [r for r in rows if r[1] <= end and (r[2] is None or r[2] > end)]
    looked_after = {r[0] for r in at_end}
    placements = {}
    for c, s, e, *_ in rows:
        if s < start and (e is None or e >= start):  # one placement running on 1 April
            placements[c] = 1
    for c, s, _, rne, *_ in rows:
        if start <= s <= end and rne in ("S", "P", "T", "U", "B"):
            placements[c] = placements.get(c, 0) + 1
    n = len(looked_after)
    return {
        "children_looked_after": float(n),
        "cla_ceased": float(sum(1 for r in rows if r[2] and start <= r[2] <= end and r[6] != "X1")),
        "cla_started": float(sum(1 for r in rows if r[3] == "S" and start <= r[1] <= end)),
        "placements_3plus_pct": 100 * sum(placements.get(c, 0) >= 3 for c in looked_after) / n
        if n
        else np.nan,
        "residential_placements": float(
            sum(1 for r in at_end if r[5] in ("K1", "K2", "H5", "R1", "R2", "R3", "R5", "S1"))
        ),
    }


@pytest.mark.parametrize("seed", range(6))
def test_random_returns_match_a_count_by_hand(seed):
    header, episodes = _random_return(seed)
    years = list(range(2005, 2013))
    panel = load_ssda903(header, episodes, year=years, la_code="E09000012")
    got = panel.pivot(index="year", columns="indicator", values="value")
    for y in years:
        assert got.loc[y].to_dict() == pytest.approx(_count_by_hand(header, episodes, y), nan_ok=True)


def test_the_sample_matches_a_count_by_hand():
    header = pd.read_csv(SAMPLE / "ssda903_header_2010.csv", dtype=str, keep_default_na=False)
    episodes = pd.read_csv(SAMPLE / "ssda903_episodes_2010.csv", dtype=str, keep_default_na=False)
    panel = load_ssda903(
        SAMPLE / "ssda903_header_2010.csv",
        SAMPLE / "ssda903_episodes_2010.csv",
        year=[2009, 2010],
        la_code="E09000012",
    )
    got = panel.pivot(index="year", columns="indicator", values="value")
    for y in (2009, 2010):
        assert got.loc[y].to_dict() == pytest.approx(_count_by_hand(header, episodes, y), nan_ok=True)
    assert got.loc[2010, "children_looked_after"] == 314  # the published figure the sample is built on


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".parquet"])
def test_the_same_return_as_csv_xlsx_and_parquet(tmp_path, suffix):
    """Blank cells are NaN in XLSX and Parquet (pandas 3): open episodes must still load."""
    header, episodes = _random_return(3, n_children=40)
    paths = []
    for name, frame in (("header", header), ("episodes", episodes)):
        path = tmp_path / f"{name}{suffix}"
        if suffix == ".csv":
            frame.to_csv(path, index=False)
        elif suffix == ".xlsx":
            frame.replace("", None).to_excel(path, index=False)
        else:
            frame.replace("", None).to_parquet(path)
        paths.append(path)
    got = load_ssda903(*paths, year=[2008, 2010], la_code="E09000012")
    expected = load_ssda903(header, episodes, year=[2008, 2010], la_code="E09000012")
    pd.testing.assert_series_equal(got["value"], expected["value"])


def test_excel_date_cells_are_dates(tmp_path):
    eps = _episodes(ROWS)
    eps["DECOM"] = pd.to_datetime(eps["DECOM"], format="mixed", dayfirst=True)
    eps["DEC"] = pd.to_datetime(eps["DEC"].replace("", None), format="%d/%m/%Y")
    eps.to_excel(tmp_path / "e.xlsx", index=False)
    p = load_ssda903(_header("ABCDEF"), tmp_path / "e.xlsx", year=2010, la_code="E09000012")
    assert p.set_index("indicator")["value"]["children_looked_after"] == 3


@pytest.mark.parametrize("text", ["01/01/1066", "31/12/2300", "1066-01-01"])
def test_impossible_dates_are_errors(text):
    rows = [("A", text, "S", "C2", "U1", "", "")]
    with pytest.raises(DataError, match=r"column 'DECOM': impossible date; expected a date from 01/01/1900"):
        load_ssda903(_header("A"), _episodes(rows), year=2010, la_code="E09000012")


def test_a_child_twice_in_the_header_is_an_error():
    with pytest.raises(DataError, match=r"rows 2, 3, column 'CHILD': a CHILD appears more than once") as info:
        load_ssda903(_header(["SECRET9", " SECRET9"]), _episodes(ROWS[:1]), year=2010, la_code="E09000012")
    assert "SECRET9" not in str(info.value)


@pytest.mark.parametrize("column", ["DECOM", "DEC", "PLACE", "REC"])
def test_identifiers_typed_into_a_column_are_never_echoed(column):
    row = dict(zip(["CHILD", "DECOM", "RNE", "LS", "PLACE", "DEC", "REC"], ROWS[0], strict=True))
    row[column] = "E8 1DY"  # a postcode in the wrong column
    rows = [tuple(row.values())]
    with pytest.raises(DataError, match=rf"column '{column}'") as info:
        load_ssda903(_header("A"), _episodes(rows), year=2010, la_code="E09000012")
    assert "1DY" not in str(info.value) and "1 value not shown" in str(info.value)


def test_csv_path_and_dataframe_give_the_same_errors(tmp_path):
    rows = [*ROWS, ("A", "40/01/2010", "Q", "C2", "U1", "", ""), ("Z", "10/05/2009", "S", "C2", "U1", "", "")]
    _episodes(rows).to_csv(tmp_path / "e.csv", index=False)
    _header("ABCDEF").to_csv(tmp_path / "h.csv", index=False)
    with pytest.raises(DataError) as from_frame:
        load_ssda903(_header("ABCDEF"), _episodes(rows), year=2010, la_code="E09000012")
    with pytest.raises(DataError) as from_path:
        load_ssda903(tmp_path / "h.csv", tmp_path / "e.csv", year=2010, la_code="E09000012")
    assert from_frame.value.lines() == [
        line.replace(str(tmp_path / "e.csv"), "<DataFrame>") for line in from_path.value.lines()
    ]
    assert len(from_path.value.lines()) == 3  # date, RNE, orphan


def test_bulk_and_one_by_one_date_parsing_agree():
    """The bulk path (zero-padded dd/mm/yyyy) gives what the one-by-one parser gives."""
    from rsw_eval.io._ssda903_read import Part, _parse_date, dates

    values = [
        "01/05/2010",
        "31/02/2009",
        "29/02/2008",
        "29/02/2009",
        "01/01/1066",
        "31/12/2300",
        "00/01/2010",
    ]
    values += ["01/13/2010", "1/5/2010", "2010-05-01", "01/05/10", "01/05/2010x", "ab/cd/efgh", "", "nan"]
    values += ["31/12/2100", "01/01/1900", "31/12/1899"]
    part = Part("x", len(values), {"D": np.arange(len(values))}, {"D": np.array(values, dtype=object)})
    status, days = dates(part, "D")
    expected = [_parse_date(v) for v in values]
    assert list(zip(status.tolist(), days.tolist(), strict=True)) == expected


@pytest.mark.parametrize("code", ["W06000015", "S12000036"])
def test_a_code_of_no_english_authority_is_refused(code):
    # finding A15 (q13in): a Welsh GSS code was accepted, silently filing the episodes elsewhere
    with pytest.raises(DataError, match=f"column 'la_code': a GSS code that is no English.*found '{code}'"):
        load_ssda903(_header("ABCDEF"), _episodes(ROWS), year=2010, la_code=code)
