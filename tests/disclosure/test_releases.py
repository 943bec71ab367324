"""Under ``disclosure_rules = "dfe"`` each figure takes the rule of the DfE release it came from
(rsw_eval/data/dfe_release_rules.csv), and the fixed rule (1-7 suppressed, sub-national counts from
2012 rounded to 5) where the registry does not know the release."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rsw_eval.disclosure import COUNT_OUTCOMES, protect_series, row_rules, rule_set
from rsw_eval.io import release_rule

#: synthetic panels of a few authorities under DfE's file names (tests/conftest.py)
pytestmark = pytest.mark.usefixtures("small_releases")

CLA = "cla_number_and_rate_per_10k_children.csv"
HACKNEY, LONDON, ENGLAND = "E09000012", "E12000007", "E92000001"


def _rows(*rows):
    return pd.DataFrame(rows, columns=["la_code", "year", "indicator", "value", "source"])


def _published(series, rules=None):
    return protect_series(series, rules=rules or rule_set("dfe"))["value"].tolist()


def test_cla_2019_2025_authorities_counts_1_to_5_suppressed_and_not_rounded():
    # DfE's children looked after release: an authority's 6 and 123 are published as they are
    s = _rows(*[(HACKNEY, 2024, "children_looked_after", v, CLA) for v in (6.0, 123.0, 0.0)])
    assert _published(s) == [6.0, 123.0, 0.0]


def test_a_file_under_cla_s_name_that_prints_a_5_takes_the_fixed_rule():
    """findings-q13disc R4: DfE prints c for 1 to 5; a file that prints 5 is a council's own, and
    its 6 and 123 were published unrounded under DfE's rule."""
    s = _rows(*[(HACKNEY, 2024, "children_looked_after", v, CLA) for v in (5.0, 6.0, 123.0, 0.0)])
    out = _published(s)
    assert np.isnan(out[0]) and np.isnan(out[1]) and out[2:] == [125.0, 0.0]


def test_the_same_figures_from_an_unknown_file_take_the_fixed_rule():
    s = _rows(*[(HACKNEY, 2024, "children_looked_after", v, "my_panel.csv") for v in (6.0, 123.0, 0.0)])
    out = _published(s)
    assert np.isnan(out[0]) and out[1:] == [125.0, 0.0]


def test_regional_and_national_cla_counts_rounded_to_10_halves_up():
    s = _rows(
        (LONDON, 2024, "children_looked_after", 9_645.0, CLA),
        (ENGLAND, 2024, "children_looked_after", 83_634.0, CLA),
        (ENGLAND, 2024, "children_looked_after", 83_625.0, "my_panel.csv"),  # fixed: not national
    )
    assert _published(s) == [9_650.0, 83_630.0, 83_625.0]


def test_sfr_national_totals_to_100_above_1000_else_to_10():
    # SFR27_2010_metadata.txt: national totals to the nearest 100 if they exceed 1,000, else 10
    s = _rows(
        (ENGLAND, 2010, "children_looked_after", 64_449.0, "SFR27_2010_March.csv"),
        (ENGLAND, 2010, "cla_started", 855.0, "SFR27_2010_March.csv"),
        (HACKNEY, 2010, "children_looked_after", 6.0, "SFR27_2010_March.csv"),
    )
    assert _published(s) == [64_400.0, 860.0, 6.0]


def test_laa1_2006_2010_rounded_to_5_where_the_fixed_rule_did_not_round():
    s = _rows((HACKNEY, 2008, "children_looked_after", 462.0, "sfr27-2010amv5.xls"))
    assert _published(s) == [460.0]
    assert _published(s.assign(source="own.csv")) == [462.0]  # fixed: rounded from 2012 only


def test_a_rate_follows_its_release_rounded_count():
    # regional rate 100 per 10,000 of 96,450 children: count 9,645 -> 9,650 under the release
    s = _rows(
        (LONDON, 2024, "children_looked_after", 9_645.0, CLA),
        (LONDON, 2024, "population_0_17", 964_500.0, CLA),
        (LONDON, 2024, "cla_rate_per_10k", 100.0, CLA),
    )
    out = _published(s)
    assert out[0] == 9_650.0 and out[2] == pytest.approx(100.0 * 9_650 / 9_645)


def test_the_releases_applied_are_said_and_the_fixed_rule_sources_named():
    s = _rows(
        (HACKNEY, 2023, "children_looked_after", 390.0, CLA),
        (HACKNEY, 2024, "children_looked_after", 391.0, CLA),
        (ENGLAND, 2024, "children_looked_after", 83_630.0, CLA),
        (HACKNEY, 2024, "children_looked_after", 391.0, "own.csv"),
    )
    said = row_rules(s, rule_set("dfe"))
    assert said.releases == (
        "children_looked_after 2023-2024 (local authority): counts 1 to 5 suppressed, not rounded",
        "children_looked_after 2024 (national): no suppression, rounded to the nearest 10",
    )
    assert said.fixed == ("own.csv",)
    assert row_rules(s, rule_set("default")).releases == ()  # the default rule has no releases
    assert (row_rules(s, rule_set("default")).threshold == 5).all()


# ---- the property: every count of a release the registry knows is published under that release's
# rule, every other count under the fixed rule, whatever the file, year, level and value ----

SOURCES = (
    CLA,
    "la_cla_placement_stability.csv",
    "b1_children_in_need_2013_to_2025.csv",
    "SFR21_2011_CLA.csv",
    "sfr27-2010amv5.xls",
    "csww_indicators_2017_to_2025.csv",
    "my_panel.csv",
)
CODES = (HACKNEY, "E08000025", LONDON, ENGLAND)
COUNTS = sorted(COUNT_OUTCOMES)


@st.composite
def series(draw):
    """Count rows, each from a drawn file, year 2004-2025 and area, with small values common; some
    with the population and the rate per 10,000 beside them."""
    n = draw(st.integers(1, 25))
    rows = []
    for _ in range(n):
        code, year, source = (
            draw(st.sampled_from(CODES)),
            draw(st.integers(2004, 2025)),
            draw(st.sampled_from(SOURCES)),
        )
        value = float(draw(st.one_of(st.integers(0, 12), st.integers(0, 3_000), st.integers(0, 120_000))))
        indicator = draw(st.sampled_from(COUNTS))
        if (code, year, indicator) in {(r[0], r[1], r[2]) for r in rows}:
            continue
        rows.append((code, year, indicator, value, source))
        if indicator == "children_looked_after" and draw(st.booleans()):
            population = float(draw(st.integers(1_000, 200_000)))
            rows.append((code, year, "population_0_17", population, source))
            rows.append((code, year, "cla_rate_per_10k", value / population * 10_000, source))
    return _rows(*rows)


def _level(code: str) -> str:
    return {ENGLAND: "National", LONDON: "Regional"}.get(code, "Local authority")


@settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(series())
def test_every_published_count_follows_its_release_rule_else_the_fixed_rule(s):
    out = protect_series(s, rules=rule_set("dfe"))
    for row, shown in zip(s.itertuples(), out["value"], strict=True):
        if row.indicator not in COUNT_OUTCOMES or np.isnan(shown):
            continue
        rule = release_rule(row.source, row.year, _level(row.la_code))
        if rule is None:  # the fixed rule: 1-7 suppressed, sub-national counts from 2012 to 5
            assert shown == 0 or shown > 7, row
            step = 5 if row.year >= 2012 and row.la_code != ENGLAND else 1
        else:
            assert shown == 0 or shown > rule["suppress_to"], (row, rule)
            step = rule["round_to"]
            if "100 above 1,000, else to the nearest 10" in rule["round_rule"] and row.value <= 1_000:
                step = 10  # SFR national totals
        assert shown % step == 0, (row, shown, step)
        assert abs(shown - row.value) <= step / 2, (row, shown)  # rounded, not moved further
    for row, shown in zip(s.itertuples(), out["value"], strict=True):
        if row.indicator == "cla_rate_per_10k" and not np.isnan(shown):
            # the rate published is the one of the published count: count = rate x population
            here = out[(out["la_code"] == row.la_code) & (out["year"] == row.year)].set_index("indicator")
            count, population = here.loc[["children_looked_after", "population_0_17"], "value"]
            assert shown == pytest.approx(count / population * 10_000), row
        elif row.indicator == "cla_rate_per_10k":  # a rate goes with its suppressed count
            assert out[(out["la_code"] == row.la_code) & (out["year"] == row.year)]["value"].isna().any()


def test_the_dfe_rules_say_survey_groups_are_not_rounded():
    """findings-q18att F12: the report said every other count, survey groups among them, was
    rounded to 5 from 2012, beside survey groups of 19 and 123 published as they are."""
    from rsw_eval.disclosure import rule_set

    assert "survey groups are not rounded" in rule_set("dfe").description
