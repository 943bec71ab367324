"""S52 / S251 outturn: each authority's block is whole (Q18) and is the authority it is numbered (Q25)."""

from __future__ import annotations

import pytest

from rsw_eval import DataError
from rsw_eval.io import load_outturn

HEADER = "LEA,LEA Name,Line,S52 Line Reference,Total Expenditure (k),NET Current Expenditure (m)\n"
LINES = [
    ("5", "Residential care", 100),
    ("6", "Fostering services", 50),
    ("1", "Secure accommodation (youth justice)", 10),
    ("44", "TOTAL CHILDREN AND YOUNG PEOPLE'S SERVICES BUDGET (excluding CERA)", 160),
]
AUTHORITIES = [("202", "Camden"), ("204", "Hackney "), ("840", "Durham")]


def _csv(tmp_path, authorities=AUTHORITIES, drop=(), cut=0):
    """An S251 2009-10 file (header row 1, four lines per authority), without the rows of
    ``drop`` (their Excel row numbers) and with its last ``cut`` characters cut off."""
    rows = [f"{c},{n},{ln},{text},{v},{v}\n" for c, n in authorities for ln, text, v in LINES]
    body = HEADER + "".join(r for i, r in enumerate(rows, start=2) if i not in drop)
    path = tmp_path / "s52_outturn_0910.csv"
    path.write_text(body[: len(body) - cut] if cut else body)
    return path


def _totals(path):
    p = load_outturn(path, expenditure="gross")
    return p[p["indicator"] == "cyps_total_cost"].set_index("old_la_code")["value"].to_dict()


def test_a_whole_file_loads_with_spelling_variants(tmp_path):
    # "Durham" is County Durham (840), "Hackney Borough" Hackney: the real files' variants
    authorities = [("202", "Camden"), ("204", "Hackney Borough"), ("840", "Durham")]
    assert _totals(_csv(tmp_path, authorities)) == {"202": 160.0, "204": 160.0, "840": 160.0}


def test_a_block_without_its_total_line_is_refused(tmp_path):
    # Q18: Hackney's rows 8-9 (line 1 and its total line 44) deleted: loaded with a smaller total
    with pytest.raises(
        DataError,
        match=r"rows 6, 7, column 'Line': an authority's block has no total line.*expected line 44.*"
        r"found 204 Hackney \(2009-10\): 2 lines in rows 6 to 7",
    ):
        load_outturn(_csv(tmp_path, drop=(8, 9)), expenditure="gross")


def test_a_file_cut_short_is_refused(tmp_path):
    # Q18: an interrupted download, cut inside the last block (its total line gone) ...
    with pytest.raises(DataError, match=r"840 Durham \(2009-10\): 3 lines in rows 10 to 12, without it"):
        load_outturn(_csv(tmp_path, cut=90), expenditure="gross")
    # ... or inside the last row's amounts (refused where every CSV is read: issue 21)
    with pytest.raises(
        DataError,
        match=r"row 13, column 'NET Current Expenditure \(m\)': a row with fewer fields than the header.*"
        r"expected 6 fields, as in the header, found 5 fields",
    ):
        load_outturn(_csv(tmp_path, cut=5), expenditure="gross")


def test_a_block_numbered_as_another_authority_is_refused(tmp_path):
    # Q25: Camden's block deleted and Hackney's relabelled 202 (Camden's number)
    relabelled = [("202", "Hackney "), ("840", "Durham")]
    with pytest.raises(
        DataError,
        match=r"rows 2, 3, 4, 5, column 'LEA Name': the LA number and the authority's name disagree.*"
        r"expected 202 = Camden \(bundled lookup\), found 202 with the name 'Hackney'",
    ):
        load_outturn(_csv(tmp_path, relabelled), expenditure="gross")
