"""Issue 18's property: for any authority X and any spec, every number in X's report attributed
to X equals the corresponding row of ``compare(spec, authority=X)``. On the real DfE files for
three authorities (an adopter, a council that is not one, a later adopter in a staggered spec),
and by hypothesis on generated panels and specs."""

from __future__ import annotations

import tempfile
import warnings
from pathlib import Path

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rsw_eval.evaluation.engine import compare
from rsw_eval.report._authority import name_of
from rsw_eval.spec import load_spec
from tests.conftest import DFE, needs_dfe
from tests.evaluation._panels import LONDON, panel, spec_for
from tests.report._authority_property import check_annual, own_rows

GROUPINGS = "New_Statistical_Neighbour_Groupings_April_2021.csv"
HACKNEY, CROYDON, SOUTHWARK = "E09000012", "E09000008", "E09000028"
KEYS = ["outcome", "design", "effect_size", "ci_low", "ci_high", "p_value", "period", "adoption_year"]


def _hackney_spec():
    """Hackney 2008 against its neighbours: looked-after children 2006-2014 from the public files."""
    return load_spec(
        {
            "unit_model": {"204": 2008},
            "comparators": "statistical_neighbours",
            "designs": ["before_after", "did", "its"],
            "baseline_year": 2006,
            "followup_year": 2010,
            "data": {
                "admin": [
                    {
                        "path": "sfr27-2010amv5.xls",
                        "kind": "laa1",
                        "on_unmapped": "drop",
                        "years": [2006, 2007, 2008, 2009],
                    },
                    {"path": "SFR27_2010_March.csv", "value": "children_looked_after"},
                    {"path": "SFR21_2011_CLA.csv", "value": "children_looked_after"},
                    {"path": "SFR36_CLA2014.csv", "value": "children_looked_after"},
                ],
                "neighbours": GROUPINGS,
            },
        },
        data_dir=DFE,
    )


def _staggered_spec():
    """Hackney 2008 and the five Innovation Programme adopters 2016 (docs/walkthrough-innovation.md),
    child protection plans 2013-2025 with England's rows."""
    d3 = "d3_cpps_subsequent_plan_2013_to_2025.csv"
    value = {"CPP_start": "cp_plans_started", "CPP_subsequent_percent": "cp_plans_repeat_pct"}
    return load_spec(
        {
            "unit_model": {"204": 2008, "825": 2016, "830": 2016, "310": 2016, "810": 2016, "210": 2016},
            "comparators": "statistical_neighbours",
            "donors": "statistical_neighbours",
            "designs": ["did", "its", "staggered"],
            "data": {
                "admin": [
                    {"path": d3, "value": value},
                    {"path": d3, "value": value, "geographic_level": "National"},
                ],
                "neighbours": GROUPINGS,
            },
        },
        data_dir=DFE,
    )


def _quiet_compare(spec, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Bedfordshire and Cheshire dropped, as the spec asks
        return compare(spec, **kw)


@needs_dfe
def test_an_adopters_report_is_its_own_rows_on_the_real_files():
    spec = _hackney_spec()
    results = _quiet_compare(spec, authority=HACKNEY)
    check_annual(results, HACKNEY, "Hackney")
    assert len(own_rows(results, HACKNEY).query("design == 'did' and primary")) >= 1


@needs_dfe
def test_a_councils_benchmarking_report_on_the_real_files():
    """Reproducer 1 on the real files: Croydon (306) in the Hackney spec."""
    results = _quiet_compare(_hackney_spec(), authority="306")
    assert results.table.empty
    html = check_annual(results, CROYDON, "Croydon")
    assert "Hackney" not in html.split('id="verdicts"', 1)[1].split("</ul>", 1)[0]
    prov = results.provenance["comparison"]["admin"]
    assert prov["neighbours_of"] == CROYDON
    # Croydon's 2021 neighbours do not include Hackney; Croydon is never its own comparator
    assert CROYDON not in {a["la_code"] for a in prov["authorities"] if a["role"] == "comparator"}


@needs_dfe
def test_a_later_adopter_in_a_staggered_spec_on_the_real_files():
    """Reproducer 2 on the real files: Southwark's report is Southwark's own DiD, not the pooled one."""
    spec = _staggered_spec()
    own, full = _quiet_compare(spec, authority=SOUTHWARK), _quiet_compare(spec)
    check_annual(own, SOUTHWARK, "Southwark")
    mine = own_rows(own, SOUTHWARK).query("primary")[KEYS].reset_index(drop=True)
    same = own_rows(full, SOUTHWARK).query("primary")[KEYS].reset_index(drop=True)
    pd.testing.assert_frame_equal(mine, same)  # one analysis, whichever way it is asked for
    assert set(mine["adoption_year"]) == {2016} and len(mine)
    assert (full.table["design"] == "staggered").any() and not (own.table["design"] == "staggered").any()
    comparators = {
        a["la_code"]
        for a in own.provenance["comparison"]["admin"]["authorities"]
        if a["role"] == "comparator"
    }
    assert HACKNEY not in comparators  # Southwark's nearest neighbour is Hackney, a unit-model authority


@st.composite
def _cases(draw):
    n = draw(st.integers(6, 10))
    codes = LONDON[:n]
    adopters = draw(st.lists(st.sampled_from(codes), min_size=1, max_size=3, unique=True))
    adoption = {c: draw(st.integers(2008, 2012)) for c in adopters}
    x = draw(st.sampled_from(codes))
    comparators = draw(st.sampled_from(["all", "listed"]))
    seed = draw(st.integers(0, 10_000))
    designs = draw(st.sampled_from([["did"], ["did", "its"], ["its", "before_after"]]))
    return n, adoption, x, comparators, seed, designs


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_cases())
def test_every_number_in_an_authoritys_report_is_its_own(case):
    n, adoption, x, mode, seed, designs = case
    frame = panel(n=n, adoption=adoption, seed=seed, years=range(2004, 2016))
    keys = dict(unit_model=adoption, designs=designs, baseline_year=2006, followup_year=2014)
    if mode == "listed":
        keys["comparators"] = [c for c in LONDON[:n] if c != x][:5]
    with tempfile.TemporaryDirectory() as tmp:
        spec = spec_for(frame, Path(tmp), **keys)
        own = compare(spec, authority=x)
        check_annual(own, x, name_of(own, x))
        if x in adoption:  # the same rows as in the run of every adopter
            full = compare(spec)
            mine = own_rows(own, x).query("primary")[KEYS].reset_index(drop=True)
            same = own_rows(full, x).query("primary")[KEYS].reset_index(drop=True)
            pd.testing.assert_frame_equal(mine, same)
        else:
            assert own.table.empty
