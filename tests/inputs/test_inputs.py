"""Combining the spec's panels: several vintages of one series, derived indicators (real DfE files)."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from rsw_eval import RswEvalWarning, SpecError
from rsw_eval.inputs import load_inputs
from rsw_eval.inputs._derived import DerivedWarning, apply_derived
from rsw_eval.inputs._vintages import VintageWarning, combine_vintages
from rsw_eval.spec import load_spec
from rsw_eval.spec._derived import parse_derived
from tests.conftest import DFE, needs_dfe

HACKNEY = "E09000012"
NEW = "cla_number_and_rate_per_10k_children.csv"
OLD = "cla_number_and_rate_per_10k_children_2019_to_2023_release.csv"
#: the two releases name their filter column and its value differently (see the DfE README)
NEW_ENTRY = {
    "path": NEW,
    "value": {"children_count": "children_looked_after", "rate_per_10000": "cla_rate_per_10k"},
    "filters": {"population_type": "Children looked after on 31 March each year"},
}
OLD_ENTRY = {
    "path": OLD,
    "value": {"number": "children_looked_after", "rate_per_10000": "cla_rate_per_10k"},
    "filters": {"population_count": "Children looked after at 31 March each year"},
}
#: read as a plain EES table (kind = "dfe"): years as published (mid-year estimate of the year
#: named), so that DfE's rate for the year ending 31 March Y needs the population of Y - 1
POPULATION = {
    "path": "ons_mid-year_population_estimates_2012_to_2024.csv",
    "kind": "dfe",
    "value": {"population_estimate": "population_0_17"},
}
LAGGED_RATE = {
    "cla_rate_per_10k": {
        "expr": "children_looked_after / population_0_17 * 10000",
        "lag": {"population_0_17": 1},
    }
}


def _inputs(admin, **spec):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", RswEvalWarning)
        inputs = load_inputs(
            load_spec({"unit_model": [HACKNEY], "data": {"admin": admin}, **spec}, data_dir=DFE)
        )
    return inputs, [w for w in caught if issubclass(w.category, RswEvalWarning)]


def _value(panel, indicator, year, code=HACKNEY):
    row = panel[(panel["la_code"] == code) & (panel["indicator"] == indicator) & (panel["year"] == year)]
    return row.iloc[0]


@needs_dfe
def test_two_releases_newest_by_file_order_wins_with_a_warning():
    inputs, caught = _inputs([OLD_ENTRY, NEW_ENTRY])
    # DfE README: Hackney 2023 is 392 in the 2019-2023 release and 391 in the newer one
    row = _value(inputs.panel, "children_looked_after", 2023)
    assert (row["value"], row["source"]) == (391.0, NEW)
    assert _value(inputs.panel, "children_looked_after", 2019)["source"] == OLD  # only the old has 2019
    overlap = next(o for o in inputs.overlaps if o["indicator"] == "children_looked_after")
    assert (overlap["kept"], overlap["replaced"], overlap["years"]) == (NEW, OLD, "2021-2023")
    assert overlap["disagree"] > 0 and overlap["rule"] == "[data] admin order (a later file is newer)"
    vintage = [w for w in caught if issubclass(w.category, VintageWarning)]
    assert vintage and all(NEW in str(w.message) and OLD in str(w.message) for w in vintage)
    superseded = inputs.superseded
    old_2023 = superseded[(superseded["la_code"] == HACKNEY) & (superseded["year"] == 2023)]
    assert 392.0 in set(old_2023["value"])


@needs_dfe
def test_vintage_order_in_the_spec_decides():
    inputs, _ = _inputs([OLD_ENTRY, NEW_ENTRY], vintage_order=[NEW, OLD])  # the user says OLD is newer
    row = _value(inputs.panel, "children_looked_after", 2023)
    assert (row["value"], row["source"]) == (392.0, OLD)
    assert inputs.overlaps[0]["rule"] == "vintage_order in the spec"
    with pytest.raises(SpecError, match=r"vintage_order does not name .*2019_to_2023_release.csv"):
        _inputs([OLD_ENTRY, NEW_ENTRY], vintage_order=[NEW])


@needs_dfe
def test_lagged_rate_matches_the_published_rate_and_fills_every_year():
    # the newer release publishes the rate for 2021-2025 only; counts reach back to 2019 in the
    # older release: the derived rate must fill 2019-2020 and be checked against 2021-2025
    admin = [
        OLD_ENTRY | {"value": {"number": "children_looked_after"}},
        NEW_ENTRY,
        POPULATION,
    ]
    inputs, _ = _inputs(admin, derived=LAGGED_RATE)
    p = inputs.panel
    rate = p[(p["indicator"] == "cla_rate_per_10k") & (p["la_code"] == HACKNEY)].set_index("year")
    assert rate.loc[2019, "source"].startswith("derived: children_looked_after / population_0_17 * 10000")
    assert rate.loc[2021, "source"] == NEW  # published kept where it exists
    # by hand: 431 (Hackney, 31 March 2020, older release) / 58844 (ONS mid-2019) * 10000
    assert rate.loc[2020, "value"] == pytest.approx(431 / 58844 * 10000, rel=1e-12)
    summary = inputs.derived[0]
    assert summary["kept_published"] > 700
    # DfE's rate is rounded to a whole number: the lagged derived rate is within 0.5 of it
    # for every authority-year both have (755 in the newer release)
    assert summary["max_abs_difference"] <= 0.5 + 1e-9


@needs_dfe
def test_prefer_derived_replaces_the_published_rate():
    derived = {"cla_rate_per_10k": LAGGED_RATE["cla_rate_per_10k"] | {"prefer": "derived"}}
    inputs, _ = _inputs([NEW_ENTRY, POPULATION], derived=derived)
    row = _value(inputs.panel, "cla_rate_per_10k", 2025)
    assert row["source"].startswith("derived:")
    assert row["value"] == pytest.approx(352 / 54191 * 10000, rel=1e-12)  # ONS mid-2024 = 54191
    replaced = inputs.superseded
    lost = replaced[(replaced["indicator"] == "cla_rate_per_10k") & (replaced["source"] == NEW)]
    assert len(lost) >= 700 and (HACKNEY, 2025) in set(zip(lost["la_code"], lost["year"], strict=True))


@needs_dfe
def test_sickness_days_per_fte_from_the_workforce_census():
    entry = {
        "path": "csww_indicators_2017_to_2025.csv",
        "kind": "dfe",  # the plain EES reading: years as time_period gives them
        "value": ["working_days_lost_fte", "inpost_fte"],
    }
    inputs, _ = _inputs([entry], derived={"sickness_days_per_fte": "working_days_lost_fte / inpost_fte"})
    raw = pd.read_csv(DFE / "csww_indicators_2017_to_2025.csv", dtype=str)
    raw = raw[(raw["new_la_code"] == HACKNEY) & (raw["geographic_level"] == "Local authority")]
    p = inputs.panel
    got = p[(p["la_code"] == HACKNEY) & (p["indicator"] == "sickness_days_per_fte")].set_index("year")
    assert len(raw) == 9 and sorted(got.index) == list(range(2017, 2026))
    for r in raw.itertuples():  # by hand from the raw cells
        expected = float(r.working_days_lost_fte) / float(r.inpost_fte)
        assert got.loc[int(r.time_period), "value"] == pytest.approx(expected, rel=1e-12)


def _frame(source, years, values, **extra):
    return pd.DataFrame(
        {
            "la_code": HACKNEY,
            "year": years,
            "indicator": "children_looked_after",
            "value": values,
            "flag": "",
            "source": source,
            **extra,
        }
    )


def test_an_unrounded_value_beats_a_rounded_newer_one():
    # LAA1 (rounded to 5) gives 305 for 2010; the SFR27 underlying data give the unrounded 304
    laa1 = _frame("sfr27-2010amv5.xls", [2009, 2010], [345.0, 305.0], rounded_to=5.0)
    march = _frame("SFR27_2010_March.csv", [2010], [304.0])
    with pytest.warns(VintageWarning, match="unrounded value preferred"):
        panel, gone, overlaps = combine_vintages(
            [("SFR27_2010_March.csv", march, False), ("sfr27-2010amv5.xls", laa1, False)]
        )
    assert panel.set_index("year")["value"].to_dict() == {2009: 345.0, 2010: 304.0}
    assert gone["value"].tolist() == [305.0]


def test_a_record_level_return_ranks_below_published_tables():
    published = _frame("cla.csv", [2010], [304.0])
    own = _frame("episodes.csv", [2010], [301.0])
    with pytest.warns(VintageWarning, match=r"kept cla.csv"):
        panel, _, _ = combine_vintages([("episodes.csv", own, True), ("cla.csv", published, False)])
    assert panel["value"].tolist() == [304.0]


def test_derived_inputs_missing_or_suppressed():
    p = pd.DataFrame(
        {
            "la_code": ["A", "A", "B", "B", "C"],
            "year": 2010,
            "indicator": ["num", "den", "num", "den", "num"],
            "value": [10.0, 0.0, np.nan, 5.0, 3.0],
            "flag": ["", "", "c", "", ""],
            "source": "f",
        }
    )
    out, _, _ = apply_derived(p, parse_derived({"r": "num / den"}))
    r = out[out["indicator"] == "r"].set_index("la_code")
    assert sorted(r.index) == ["A", "B"]  # C has no denominator row: nothing derived
    assert np.isnan(r.loc["A", "value"]) and r.loc["A", "flag"] == ""  # division by zero
    assert np.isnan(r.loc["B", "value"]) and r.loc["B", "flag"] == "c"  # suppressed input keeps its flag


@needs_dfe
def test_a_derived_rate_without_the_population_lag_is_flagged():
    # the same rate with the population of the same year: DfE divides by the year before, so the
    # derived rate misses the published (whole-number) rate beyond its rounding in many authorities
    unlagged = {"cla_rate_per_10k": "children_looked_after / population_0_17 * 10000"}
    inputs, caught = _inputs([NEW_ENTRY, POPULATION], derived=unlagged)
    (warned,) = [str(w.message) for w in caught if issubclass(w.category, DerivedWarning)]
    assert "differs from the published values by more than their rounding (0.5)" in warned
    assert inputs.derived[0]["beyond_rounding"] > 100
    lagged, _ = _inputs([NEW_ENTRY, POPULATION], derived=LAGGED_RATE)
    assert lagged.derived[0]["beyond_rounding"] == 0
