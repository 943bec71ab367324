"""S52 / S251 outturn: every real layout 2008-09 to 2016-17, the EES layout, the line crosswalk."""

from __future__ import annotations

from hashlib import sha256

import pandas as pd
import pytest

from rsw_eval import DataError
from rsw_eval.io import DRIVERS, UnmappedCodeWarning, load_outturn, outturn_crosswalk
from tests.conftest import DFE, needs_dfe

HACKNEY = "E09000012"


def _hackney(panel: pd.DataFrame) -> pd.Series:
    return panel[panel["la_code"] == HACKNEY].set_index("indicator")["value"]


@needs_dfe
def test_hackney_2008_09_lines_real_file():
    # issue #4 / shared README anchor: Hackney 2008-09 S52 total CYPS gross excluding CERA
    # 46,941,035.13 (line 46); total children looked after 14,582,252.8 (line 14)
    with pytest.warns(UnmappedCodeWarning, match="820 Bedfordshire"):
        lines = load_outturn(
            DFE / "s52_outturn_0809.csv", expenditure="gross", level="line", on_unmapped="drop"
        )
    h = lines[lines["la_code"] == HACKNEY].set_index("indicator")
    assert h.loc["outturn_line:46", "value"] == pytest.approx(46_941_035.13, abs=1e-6)
    assert h.loc["outturn_line:46", "kind"] == "total"
    assert h.loc["outturn_line:47", "kind"] == "total_incl_cera"
    assert h.loc["outturn_line:14", "value"] == pytest.approx(14_582_252.8, abs=1e-6)
    assert h.loc["outturn_line:14", "kind"] == "subtotal"


@needs_dfe
def test_hackney_2008_09_drivers_and_scopes_real_file():
    with pytest.warns(UnmappedCodeWarning):
        cyps = _hackney(
            load_outturn(DFE / "s52_outturn_0809.csv", expenditure="gross", scope="cyps", on_unmapped="drop")
        )
    assert cyps["total_cost"] == pytest.approx(46_941_035.13, abs=1.0)
    assert sum(cyps[f"cost_line:{d}"] for d in DRIVERS) == pytest.approx(46_941_035.13, abs=1.0)
    assert cyps["cera"] == 74_132  # line 45, never in the total
    with pytest.warns(UnmappedCodeWarning):
        csc = _hackney(load_outturn(DFE / "s52_outturn_0809.csv", expenditure="gross", on_unmapped="drop"))
    # children's social care from the file's own sub-totals (lines 14 + 19 + 28 - 25 - 27 + 33 + 37
    # + 43): 41,905,141.43 (the sub-totals are rounded to 0.1p, hence abs=1)
    published = (
        14_582_252.8 + 1_289_661.798 + 11_295_419.93 - 63_838 - 0 + 789_721.13 + 2_260_732.47 + 11_751_191.3
    )
    assert csc["total_cost"] == pytest.approx(published, abs=1.0)
    assert csc["cyps_total_cost"] == pytest.approx(46_941_035.13, abs=1e-6)
    # looked-after placements include the separate 2008-09 asylum block (line 33) and adoption and
    # special guardianship (34, 35): 14,582,252.8 + 789,721.13 + 1,705,748.65 + 554,983.83
    assert csc["cost_line:looked_after_placements"] == pytest.approx(17_632_706.41, abs=0.01)


@needs_dfe
def test_2009_10_line_44_excludes_cera_and_43_includes_it_real_file():
    lines = load_outturn(DFE / "s52_outturn_0910.csv", expenditure="gross", level="line")
    h = lines[lines["la_code"] == HACKNEY].set_index("indicator")
    assert (h.loc["outturn_line:44", "kind"], h.loc["outturn_line:44", "value"]) == ("total", 54_020_473)
    assert h.loc["outturn_line:43", "kind"] == "total_incl_cera"
    net = _hackney(load_outturn(DFE / "s52_outturn_0910.csv", expenditure="net", scope="cyps"))
    assert net["total_cost"] == 50_903_582


# Hackney, gross: the published CYPS total excluding CERA (line as named) and children's social care
# from the published sub-totals where the file has them (2013-14: lines 16 + 17 + 21 + 27; 2016-17:
# 3.1.11 + 3.2.1 + 3.3.4 + 3.4.6), read by hand from the files.
REAL_LAYOUTS = [
    ("s251_outturn_1011.csv", 2011, 77_011_316, None),  # line 50
    ("s251_outturn_1112.csv", 2012, 73_912_400, None),  # line 38
    ("s251_outturn_1213.csv", 2013, 78_224_830, None),  # line 33
    ("s251_outturn_1314.csv", 2014, 74_574_831, 20_213_100 + 36_800 + 20_255_090 + 8_545_450),  # 33
    ("s251ye2017.xlsx", 2017, 79_360_312, 22_994_757 + 0 + 23_311_809 + 10_246_021),  # 5.0.2
]


@needs_dfe
@pytest.mark.parametrize(("name", "year", "cyps", "csc"), REAL_LAYOUTS, ids=[r[0] for r in REAL_LAYOUTS])
def test_every_s251_layout_real_file(name, year, cyps, csc):
    panel = load_outturn(DFE / name, expenditure="gross")
    assert set(panel["year"]) == {year}
    assert panel["la_code"].nunique() == 152
    h = _hackney(panel)
    assert h["cyps_total_cost"] == cyps
    if csc is not None:
        assert h["total_cost"] == csc
    assert h["total_cost"] == pytest.approx(sum(h[f"cost_line:{d}"] for d in DRIVERS), abs=1e-6)


def test_unknown_subtotal_of_2010_11_is_not_summed():
    # line 47 of 2010-11 is labelled "Unknown" but is the sub-total of lines 41-46
    x = outturn_crosswalk().set_index(["year", "line"])
    assert x.loc[("2011", "47"), "kind"] == "subtotal"
    assert "41-46" in x.loc[("2011", "47"), "note"]


def test_crosswalk_records_the_known_breaks_with_their_source():
    x = outturn_crosswalk()
    notes = " ".join(x["note"])
    assert "asylum" in notes and "CERA" in notes and "Section 52 became Section 251" in notes
    assert (x["source"] != "").all()
    detail = x[x["kind"] == "detail"]
    assert set(detail["driver"]) <= set(DRIVERS)
    assert set(detail["scope"]) == {"childrens_social_care", "wider_cyps"}
    # substance misuse and teenage pregnancy are outside children's social care in every year
    misuse = detail[detail["description"].str.contains("misuse|pregnancy", case=False)]
    assert set(misuse["scope"]) == {"wider_cyps"}


def _s251(lines, amounts, net=None, name=" Hackney"):
    n = len(lines)
    return pd.DataFrame(
        {
            "LA": ["204"] * n,
            "LA Name": [name] * n,
            "LineNumber": [str(line) for line, _ in lines],
            "CYPServiceDescription": [d for _, d in lines],
            "TotalExpenditure": list(amounts),
            "NetCurrentExpenditure": list(net or amounts),
        }
    )


def test_2013_14_layout_constructed():
    raw = _s251(
        [
            (6, "6 Residential care"),
            (31, "31 Youth Justice"),
            (33, "33 CHILDREN AND YOUNG PEOPLE'S SERVICES BUDGET (excluding CERA)"),
        ],
        ["100", "NULL", "100"],
    )
    p = _hackney(load_outturn(raw, expenditure="gross", year=2014))
    assert (p["total_cost"], p["cyps_total_cost"]) == (100, 100)
    with pytest.raises(DataError, match=r"no lines for the year ending March 2015; expected one of 2009"):
        load_outturn(raw, expenditure="gross", year=2015)


def test_renumbered_line_is_an_error():
    raw = _s251([(6, "6 Fostering services")], ["100"])
    with pytest.raises(
        DataError, match=r"row 2, column 'CYPServiceDescription': spending lines not in the outturn crosswalk"
    ):
        load_outturn(raw, expenditure="gross", year=2014)


def _ees():
    rows = [
        ("Residential care", "100", "90"),
        ("Fostering services", "50", "50"),
        ("Youth Justice", "30", "20"),
        ("Total Children Looked After", "150", "140"),
        ("CHILDREN AND YOUNG PEOPLE'S SERVICES EXPENDITURE(excluding CERA)", "180", "160"),
    ]
    n = len(rows)
    return pd.DataFrame(
        {
            "time_period": ["201718"] * n + ["201718"],
            "time_identifier": "Financial year",
            "geographic_level": ["Local authority"] * n + ["National"],
            "country_code": "E92000001",
            "old_la_code": ["204"] * n + [""],
            "new_la_code": [HACKNEY] * n + [""],
            "la_name": ["Hackney"] * n + [""],
            "category_of_expenditure": "Children's social care",
            "description_of_expenditure": [r[0] for r in rows] + ["Residential care"],
            "total_expenditure": [r[1] for r in rows] + ["9"],
            "net_current_expenditure": [r[2] for r in rows] + ["9"],
        }
    )


def test_ees_layout_constructed():
    # built from the documented EES layout (no EES outturn file in the shared data)
    p = _hackney(load_outturn(_ees(), expenditure="gross"))
    assert (p["cost_line:looked_after_placements"], p["total_cost"], p["cyps_total_cost"]) == (150, 150, 180)
    net = _hackney(load_outturn(_ees(), expenditure="net", scope="cyps"))
    assert net["total_cost"] == 160
    wrong = _ees().assign(
        description_of_expenditure=lambda f: f["description_of_expenditure"].replace(
            "Fostering services", "Fostering (new line)"
        )
    )
    with pytest.raises(DataError, match=r"not in the outturn crosswalk.*Fostering \(new line\)"):
        load_outturn(wrong, expenditure="gross")


def test_user_crosswalk(tmp_path):
    mine = outturn_crosswalk()
    mine.loc[(mine["year"] == "ees") & (mine["description"] == "Youth Justice"), "scope"] = (
        "childrens_social_care"
    )
    path = tmp_path / "my_lines.csv"
    mine.to_csv(path, index=False)
    p = load_outturn(_ees(), expenditure="gross", crosswalk=path)
    assert _hackney(p)["total_cost"] == 180
    assert set(p["crosswalk"]) == {f"user: my_lines.csv sha256:{sha256(path.read_bytes()).hexdigest()[:12]}"}
    bad = mine.assign(scope=mine["scope"].where(mine["kind"] != "detail", "everything"))
    with pytest.raises(DataError, match=r"unknown scope; expected one of childrens_social_care, wider_cyps"):
        load_outturn(_ees(), expenditure="gross", crosswalk=bad)


def test_lines_must_add_up_to_the_published_total():
    raw = _s251(
        [(6, "Residential care"), (33, "CHILDREN AND YOUNG PEOPLE'S SERVICES BUDGET (excluding CERA)")],
        ["100", "120"],
    )
    with pytest.raises(DataError, match=r"do not add up to the file's total.*100.00 vs total 120.00"):
        load_outturn(raw, expenditure="gross", year=2014)


def test_cp1252_file(write):
    text = (
        "LEA,LEA Name,Line,S52 Line Reference,Total Expenditure (k),NET Current Expenditure (m)\n"
        "204,Hackney ,5,Residential care \u2013 homes,10,9\n"
    )
    path = write("s52_outturn_0910.csv", text, encoding="cp1252")
    p = load_outturn(path, expenditure="gross")
    assert _hackney(p)["total_cost"] == 10 and set(p["la_name"]) == {"Hackney"}


def test_options_are_checked():
    raw = _s251([(6, "Residential care")], ["1"])
    with pytest.raises(ValueError, match="expenditure must be 'gross' or 'net'. Got 'total'"):
        load_outturn(raw, expenditure="total", year=2014)
    with pytest.raises(ValueError, match="scope must be one of childrens_social_care, cyps"):
        load_outturn(raw, expenditure="gross", year=2014, scope="all")


def test_year_from_file_name_or_error(tmp_path):
    raw = _s251([(6, "Residential care")], ["1"])
    raw.to_csv(tmp_path / "s251_outturn_1314.csv", index=False)
    assert set(load_outturn(tmp_path / "s251_outturn_1314.csv", expenditure="gross")["year"]) == {2014}
    raw.to_csv(tmp_path / "spend.csv", index=False)
    with pytest.raises(DataError, match="cannot tell the financial year from the file name.*--year YEAR"):
        load_outturn(tmp_path / "spend.csv", expenditure="gross")


def test_unknown_layout():
    with pytest.raises(DataError, match="not a recognised Section 52 / Section 251 outturn layout"):
        load_outturn(pd.DataFrame({"a": [1]}), expenditure="gross", year=2009)


def test_an_unknown_line_every_block_carries_is_named(tmp_path):
    """att12 M5: a reworded line ("2 Youth offending teams") was hidden as "may be an identifier",
    so the user could not tell which line to map; a line one block alone carries stays masked."""
    las = ["204", "202", "201"]
    raw = pd.DataFrame(
        {
            "LEA": [*las, "204"],
            "LEA Name": ["Hackney", "Camden", "City of London", "Hackney"],
            "Line": ["99", "99", "99", "98"],
            "S52 Line Reference": ["99 Youth offending teams"] * 3 + ["98 W1001"],
            "Total Expenditure (k)": ["1"] * 4,
            "NET Current Expenditure (m)": ["1"] * 4,
        }
    )
    with pytest.raises(DataError) as err:
        load_outturn(raw, expenditure="gross", year=2010)
    assert str(err.value).endswith(
        "found <not shown: may be an identifier>, 99 Youth offending teams. "
        + ('Hint: pass --crosswalk FILE with your own line mapping (crosswalk = "FILE" in the spec)')
    )
