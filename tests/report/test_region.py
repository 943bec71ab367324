"""Several adopters bring several regions into the series: each authority's report uses its own
(the annual report's region column once crashed on the Innovation Programme spec)."""

from __future__ import annotations

import pandas as pd

from rsw_eval.evaluation.results import Results
from rsw_eval.report._authority import series_of


def test_an_authority_keeps_its_own_region_only():
    rows = [
        ("E09000028", "Southwark", "treated"),
        ("E06000010", "Hull", "treated"),
        ("E92000001", "England", "england"),
        ("E12000007", "London", "region"),
        ("E12000003", "Yorkshire and The Humber", "region"),
    ]
    series = pd.DataFrame(
        [(c, n, 2024, "cla_rate_per_10k", 60.0, role) for c, n, role in rows],
        columns=["la_code", "la_name", "year", "indicator", "value", "role"],
    )
    results = Results(table=pd.DataFrame(), series=series, provenance={}, published=pd.DataFrame())
    southwark = series_of(series, results, "E09000028")
    assert set(southwark.loc[southwark["role"] == "region", "la_name"]) == {"London"}
    hull = series_of(series, results, "E06000010")
    assert set(hull.loc[hull["role"] == "region", "la_name"]) == {"Yorkshire and The Humber"}
    assert "E09000028" not in set(hull["la_code"])
