"""The annual table's England and region columns, the dashboard order and the caveats section."""

from __future__ import annotations

import pandas as pd

from rsw_eval.report._benchmark import benchmark, caveats_section, dashboard_order, region_name


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
            rows.append((code, name, year, "cp_plans_repeat_pct", value, "", role))
            flag = "x" if code == "E09000012" and year in (2021, 2022) else ""
            rows.append((code, name, year, "children_in_need", 100.0, flag, role))
    return pd.DataFrame(rows, columns=["la_code", "la_name", "year", "indicator", "value", "flag", "role"])


def _table() -> pd.DataFrame:
    return pd.DataFrame(columns=["design", "primary", "outcome"]).astype({"primary": bool})


def test_england_and_region_fill_their_columns():
    lines = benchmark(_series(), _table(), "E09000012", 2025, "neighbours", 0.95)
    repeat = next(b for b in lines if b.indicator == "cp_plans_repeat_pct")
    assert repeat.cells[5:7] == ("24.5", "23.0")  # England, London
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
