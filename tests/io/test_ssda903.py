"""SSDA903 aggregation on hand-built returns whose indicators are counted by hand here."""

from __future__ import annotations

import pandas as pd
import pytest

from rsw_eval import DataError
from rsw_eval.io import load_ssda903

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
