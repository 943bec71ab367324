"""The dashboard indicator set under canonical names, England's rows, Ofsted, the gaps registry and
DfE's rules by release, on the real files (values read by hand from the cells named)."""

from __future__ import annotations

import fnmatch

import pandas as pd
import pytest

from rsw_eval.io import caveats, data_gaps, dfe_indicators, load_dfe_indicators, load_ofsted, release_rule
from rsw_eval.io._gaps import release_rules
from tests.conftest import DFE, needs_dfe

HACKNEY, ENGLAND = "E09000012", "E92000001"


def _value(panel, code, year, indicator):
    row = panel[(panel["la_code"] == code) & (panel["year"] == year) & (panel["indicator"] == indicator)]
    return float(row["value"].iloc[0])


# (file, indicator, year, Hackney, England, the cells read by hand: Hackney's row; England's row)
CELLS = [
    (
        "c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv",
        "rereferral_pct",
        2025,
        19.9,
        22.6,
        "rereferral_percent, 2025 Hackney row 135; National row 2",
    ),
    (
        "d3_cpps_subsequent_plan_2013_to_2025.csv",
        "cp_plans_repeat_pct",
        2025,
        18.4,
        24.5,
        "CPP_subsequent_percent, 2025",
    ),
    ("d5_cpps_at31march_by_duration_2013_to_2025.csv", "cp_plans", 2025, 225, 49420, "CPP_At31, 2025"),
    ("b1_children_in_need_2013_to_2025.csv", "children_in_need", 2025, 2184, 402400, "At31_episodes, 2025"),
    (
        "cla_number_and_rate_per_10k_children.csv",
        "cla_rate_per_10k",
        2025,
        65,
        67,
        "rate_per_10000, 'Children looked after on 31 March each year', 2025",
    ),
    (
        "la_cla_placement_stability.csv",
        "placements_3plus_pct",
        2025,
        13,
        10,
        "children_percent, 'CLA on 31 March' / 'With 3 or more placements during the year', 2025",
    ),
    (
        "la_cla_placement_stability.csv",
        "placement_long_term_pct",
        2025,
        71,
        69,
        "children_percent, 2.5 years / 'Living with the same carer for at least 2 years', 2025",
    ),
    (
        "la_care_leavers_accommodation_suitability.csv",
        "care_leavers_19_21_suitable_accommodation_pct",
        2025,
        85,
        89,
        "care_leaver_percent, '19 to 21 years' / 'Accommodation considered suitable', 2025",
    ),
    (
        "la_care_leavers_activity.csv",
        "care_leavers_19_21_eet_pct",
        2025,
        58,
        54,
        "care_leaver_percent, '19 to 21 years' / 'Total in education, employment or training', 2025",
    ),
    (
        "csww_indicators_2017_to_2025.csv",
        "agency_worker_pct",
        2026,
        21.5,
        13.0,
        "agency_rate_fte, census 30 September 2025 (time_period 2025)",
    ),
]


@needs_dfe
@pytest.mark.parametrize(
    ("name", "indicator", "year", "own", "eng", "cell"), CELLS, ids=[r[1] for r in CELLS]
)
def test_dashboard_indicator_real_file(name, indicator, year, own, eng, cell):
    panel = load_dfe_indicators(DFE / name)
    assert _value(panel, HACKNEY, year, indicator) == own
    assert _value(panel, ENGLAND, year, indicator) == eng  # England's row fills England's column
    dfe = dfe_indicators().set_index("indicator").loc[indicator, "dfe_column"]
    assert set(panel.loc[panel["indicator"] == indicator, "dfe_column"]) == {dfe}


@needs_dfe
def test_hackney_children_in_need_missing_2021_2022_is_said_real_file():
    panel = load_dfe_indicators(DFE / "b1_children_in_need_2013_to_2025.csv")
    h = panel[(panel["la_code"] == HACKNEY) & (panel["indicator"] == "children_in_need")].set_index("year")
    assert h.loc[[2021, 2022], "flag"].tolist() == ["x", "x"]
    found = caveats(panel[panel["la_code"] == HACKNEY], focus=HACKNEY)
    first = found.iloc[0]
    assert (first["indicator"], first["years"], first["kind"]) == ("children_in_need", "2021-2022", "missing")
    assert "cyber attack" in first["text"]


@needs_dfe
def test_ofsted_hackney_history_real_file():
    # ILACS_inspection_history rows 91 and 92 (Hackney): 2019-11-11 Requires improvement to be good;
    # 2024-07-01 Good
    o = load_ofsted(DFE / "LA_Inspection_Outcomes_as_at_31_March_2025.ods")
    h = o[o["la_code"] == HACKNEY].set_index("year")
    assert h["value"].to_dict() == {2020: 3.0, 2021: 3.0, 2022: 3.0, 2023: 3.0, 2024: 3.0, 2025: 2.0}
    assert h.loc[2025, "judgement"] == "Good"
    cumbria = o[o["la_code"] == "E10000006"]
    assert cumbria["year"].max() <= 2023  # abolished 1 April 2023: no judgement carried after


def test_vocabulary_maps_dfe_names_once():
    v = dfe_indicators()
    assert v["indicator"].is_unique
    named = v.set_index("indicator")
    assert named.loc["agency_worker_pct", "dfe_column"] == "agency_rate_fte"
    assert named.loc["cp_plans_repeat_pct", "dfe_column"] == "CPP_subsequent_percent"
    from rsw_eval.report._labels import polarity_table

    assert set(v["indicator"]) <= set(polarity_table().index)  # every one has a polarity


def test_docs_table_lists_every_indicator():
    from tests.conftest import ROOT

    text = (ROOT / "docs" / "indicators.md").read_text(encoding="utf-8")
    for row in dfe_indicators().itertuples():
        assert f"`{row.indicator}`" in text


def _counts(name: str, columns: list[str], level: str) -> pd.DataFrame:
    x = pd.read_csv(DFE / name, dtype=str, encoding="utf-8-sig", keep_default_na=False)
    x = x[x["geographic_level"] == level]
    return x.melt(
        id_vars=["time_period", "breakdown"] if "breakdown" in x else ["time_period"], value_vars=columns
    )


COUNT_COLUMNS = {
    "b1_children_in_need_2013_to_2025.csv": ["Anypoint_episodes", "At31_episodes", "Started_episodes"],
    "c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv": ["referral_count", "rereferral_count"],
    "d3_cpps_subsequent_plan_2013_to_2025.csv": ["CPP_start", "CPP_subsequent"],
    "d5_cpps_at31march_by_duration_2013_to_2025.csv": ["CPP_At31", "2_years_or_more"],
    "cla_number_and_rate_per_10k_children.csv": ["children_count"],
    "la_cla_placement_stability.csv": ["children_count"],
    "la_care_leavers_activity.csv": ["care_leaver_count"],
}


@needs_dfe
@pytest.mark.parametrize("name", list(COUNT_COLUMNS))
def test_release_rule_holds_on_the_file_real_file(name):
    # the rule each release applied, checked on its own file: authorities' counts of 1-5 are never
    # shown (except care leavers' 'no information' rows), England's and the regions' are multiples
    # of the rounding base
    for level in ("Local authority", "National", "Regional"):
        melted = _counts(name, COUNT_COLUMNS[name], level)
        if melted.empty:
            continue
        value = pd.to_numeric(melted["value"], errors="coerce")
        for year in sorted(set(melted["time_period"])):
            rule = release_rule(name, int(year), level)
            assert rule is not None, (name, year, level)
            mine = value[melted["time_period"] == year]
            if rule["suppress_to"]:
                shown = (mine > 0) & (mine <= rule["suppress_to"])
                if "breakdown" in melted:
                    shown &= ~melted["breakdown"].str.contains("information", case=False)
                assert not shown.any(), (name, year)
            assert (mine.dropna() % rule["round_to"] == 0).all(), (name, year, level)


def test_release_rules_cover_each_registry_file_pattern():
    rules = release_rules()
    assert set(rules["level"]) == {"Local authority", "Regional", "National"}
    assert release_rule("SFR27_2010_March.csv", 2010, "National")["round_to"] == 100
    assert fnmatch.fnmatchcase("S251ye2018.xlsx", "S251*")
    gaps = data_gaps()
    assert gaps["id"].is_unique and (gaps["source"] != "").all()
