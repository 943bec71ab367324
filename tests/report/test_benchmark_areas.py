"""The annual table's England and region columns, the dashboard order and the caveats section."""

from __future__ import annotations

import pandas as pd
import pytest

from rsw_eval.report._benchmark import benchmark, caveats_section, dashboard_order, region_name

B1, D3 = "b1_children_in_need_2013_to_2025.csv", "d3_cpps_subsequent_plan_2013_to_2025.csv"


def _series() -> pd.DataFrame:
    rows = []
    for year in (2021, 2022, 2023, 2024, 2025):
        for code, role, name, value in (
            ("E09000012", "treated", "Hackney", 20.0 + year - 2021),
            ("E09000028", "comparator", "Southwark", 25.0),
            ("E09000019", "comparator", "Islington", 22.0),
            ("E92000001", "england", "England", 24.5),
            ("E12000007", "region", "London", 23.0),
        ):
            rows.append((code, name, year, "cp_plans_repeat_pct", value, "", role, D3))
            flag = "x" if code == "E09000012" and year in (2021, 2022) else ""
            rows.append((code, name, year, "children_in_need", 100.0, flag, role, B1))
    columns = ["la_code", "la_name", "year", "indicator", "value", "flag", "role", "source"]
    return pd.DataFrame(rows, columns=columns)


def _table() -> pd.DataFrame:
    return pd.DataFrame(columns=["design", "primary", "outcome"]).astype({"primary": bool})


def test_england_and_region_fill_their_columns():
    lines = benchmark(_series(), _table(), "E09000012", 2025, "neighbours", 0.95)
    repeat = next(b for b in lines if b.indicator == "cp_plans_repeat_pct")
    assert repeat.cells[5:7] == ("24.5%", "23.0%")  # England, London
    count = next(b for b in lines if b.indicator == "children_in_need")
    assert count.cells[5:7] == ("–", "–")  # a national count is not one authority's
    assert region_name(_series()) == "London"


def test_dashboard_order():
    names = ["zeta", "cp_plans_repeat_pct", "referrals", "agency_worker_pct"]
    assert sorted(names, key=dashboard_order) == [
        "referrals",
        "cp_plans_repeat_pct",
        "agency_worker_pct",
        "zeta",
    ]


def test_caveats_section_says_hackneys_missing_years():
    section = caveats_section(_series(), "E09000012", {"children_in_need"}, 2025)
    assert section is not None
    first = section.rows[0]
    assert first[1] == "2021-2022" and "cyber attack" in first[3]
    later = _series().query("year >= 2023")
    assert caveats_section(later, "E09000012", {"cp_plans_repeat_pct"}, 2025) is None


@pytest.mark.parametrize(("source", "said"), [("sfr27-2010amv5.xls", True), ("panel.csv", False)])
def test_a_caveat_about_a_release_bites_on_that_release_s_rows_only(source, said):
    # q22 L5: a council's own panel of 2006-2009 looked-after children was put down to LAA1's rounding
    series = pd.DataFrame(
        {
            "la_code": ["E09000028", "E09000012"] * 2,
            "la_name": ["Southwark", "Hackney"] * 2,
            "year": [2008, 2008, 2009, 2009],
            "indicator": "children_looked_after",
            "value": [470.0, 345.0, 476.0, 360.0],
            "flag": "",
            "role": ["treated", "comparator"] * 2,
            "source": source,
        }
    )
    section = caveats_section(series, "E09000028", {"children_looked_after"}, 2009)
    assert (section is not None and "LAA1" in section.rows[0][3]) is said


def test_workforce_totals_have_no_england_or_region_beside_them(tmp_path):
    """Finding A9 (a): Southwark's table showed England 34,328.2 / London 5,869.9 social workers
    in post under a footnote saying totals are not shown. On the real CSWW file."""
    import pytest

    from rsw_eval.comparison.neighbours import statistical_neighbours
    from rsw_eval.inputs import load_inputs
    from rsw_eval.spec import load_spec
    from tests.conftest import DFE

    if not DFE.is_dir():
        pytest.skip(f"real DfE example files not found at {DFE}")
    raw = {
        "unit_model": {"210": 2016},
        "data": {
            "admin": [
                {
                    "path": str(DFE / "csww_indicators_2017_to_2025.csv"),
                    "value": ["inpost_fte", "working_days_lost_fte", "agency_rate_fte"],
                }
            ]
        },
    }
    panel = load_inputs(load_spec(raw, data_dir=tmp_path), {"admin"}).panel
    groups = DFE / "New_Statistical_Neighbour_Groupings_April_2021.csv"
    from rsw_eval.comparison.neighbours import load_statistical_neighbours

    others = statistical_neighbours("E09000028", 10, table=load_statistical_neighbours(groups))
    roles = {"E09000028": "treated", "E92000001": "england", "E12000007": "region"}
    roles.update({c: "comparator" for c in others if c != "E09000012"})
    series = panel[panel["la_code"].isin(roles)].assign(role=lambda f: f["la_code"].map(roles))
    assert {"england", "region"} <= set(series["role"])  # the file holds the national rows
    lines = {b.indicator: b for b in benchmark(series, _table(), "E09000028", 2025, "neighbours", 0.95)}
    for total in ("inpost_fte", "working_days_lost_fte"):
        assert lines[total].cells[5:7] == ("–", "–")
    assert lines["agency_rate_fte"].cells[5] != "–"  # a rate keeps England
