"""Charts: names drawn as the text they are (no mathtext), a text alternative and the data as tables on
every chart, nothing told apart by colour alone, and the user's matplotlib settings left alone.

Names come from users' files (authority names, indicator columns), so they may hold any character
matplotlib's mathtext treats as markup: ``$...$`` switches to TeX (and an unbalanced or unknown
command such as ``$\\frac$`` raised, aborting ``screen --chart``), ``_`` and ``^`` make sub- and
superscripts, ``\\`` starts a command.
"""

from __future__ import annotations

import dataclasses
import xml.etree.ElementTree as ET

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rsw_eval.evaluation.engine import compare
from rsw_eval.report import _charts, build
from rsw_eval.report._accessible import Chart
from rsw_eval.report._donor_charts import event_study_chart, gap_chart
from rsw_eval.report._labels import outcome_label
from rsw_eval.spec import default_sample_spec
from tests.conftest import SAMPLE

SVG = "{http://www.w3.org/2000/svg}"
NASTY = ["Croydon $\\frac$", "Tower_Hamlets^2", "a\\b $x_1^2$ c", "$", "100% & <more>", "St. Helens_$"]


def texts(svg: str) -> list[str]:
    """The text of every <text> element and the <title> of an SVG, as a reader gets it."""
    root = ET.fromstring(svg)
    return ["".join(t.itertext()) for t in root.iter() if t.tag in (f"{SVG}text", f"{SVG}title")]


def _wide(name_col: str) -> pd.DataFrame:
    years = range(2004, 2017)
    rng = np.random.default_rng(0)
    return pd.DataFrame(
        {c: 100 + rng.normal(0, 5, len(years)).cumsum() for c in ["E1", "E2", "E3", "E4"]},
        index=pd.Index(years, name="year"),
    ).rename(columns={"E1": name_col})


@pytest.mark.parametrize("name", NASTY)
def test_trend_chart_draws_the_name_as_given(name):
    chart = _charts.trend_chart(
        _wide("X"), "X", name, 2008, "per " + name, comparators_label=name + " peers", threshold=5
    )
    drawn = texts(chart)
    assert name in drawn  # the legend entry
    assert "per " + name in drawn and name + " peers (median)" in drawn
    assert name in chart.alt and drawn[0] == chart.alt  # the <title> is the text alternative
    assert chart.tables[0].rows[0][0] == name


@pytest.mark.parametrize("name", NASTY)
def test_every_report_chart_draws_names_as_given(name):
    rows = pd.DataFrame(
        {
            "outcome": [name, "stress"],
            "effect_size": [0.4, -0.2],
            "ci_low": [0.1, -0.5],
            "ci_high": [0.7, 0.1],
            "ci_level": [0.95, 0.95],
            "period": ["event -1", "event 1"],
        }
    )
    label = outcome_label(name)  # indicator names are labelled (underscores read as spaces)
    forest = _charts.forest_plot(rows, name, threshold=5)
    assert name in texts(forest) and label in texts(forest) and label in forest.alt
    water = _charts.waterfall(rows, 0.2, name)
    assert f"{label} (+0.40)" in texts(water)
    event = event_study_chart(rows, name, threshold=5)
    assert name in texts(event)
    gap = gap_chart(rows.assign(period=["2009", "2010"]), 2008, name, threshold=5)
    assert name in texts(gap)
    for chart in (forest, water, event, gap):
        assert isinstance(chart, Chart) and chart.tables and chart.alt


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=st.sampled_from(list("$_^\\{}%&<>#~ abcXYZ19éŵ'\"")), min_size=1, max_size=20))
def test_any_name_is_drawn_verbatim(name):
    """Property: whatever characters a name holds, the chart draws exactly them (stripped of outer
    white space, which SVG text collapses)."""
    chart = _charts.trend_chart(_wide("X"), "X", name, None, "number", threshold=5)
    assert name in texts(chart)


def test_charts_leave_the_users_matplotlib_settings_alone():
    import matplotlib

    before = dict(matplotlib.rcParams)
    _charts.trend_chart(_wide("X"), "X", "X", 2008, "number", threshold=5)
    assert dict(matplotlib.rcParams) == before


def test_sparkline_has_a_text_alternative_and_no_colour_only_lines():
    own = pd.Series([10.0, 12.0, 9.0], index=[2014, 2015, 2016])
    median = pd.Series([11.0, 11.0, 10.0], index=[2014, 2015, 2016])
    svg = _charts.sparkline(own, median, median + 1, indicator="cp_plans_repeat_pct", name="A $x$")
    root = ET.fromstring(svg)
    assert root.get("role") == "img"
    assert texts(svg) == [
        "Trend 2014 to 2016: A $x$ 10.0% in 2014 to 9.0% in 2016; England (dashed) 12.0% in 2014 to "
        "11.0% in 2016; comparators' median 11.0% in 2014 to 10.0% in 2016"
    ]
    widths = {p.get("stroke-width") for p in root.iter(f"{SVG}path")}
    assert len(widths) == 3  # three line weights, England also dashed, the authority ends in a dot
    assert root.find(f"{SVG}circle") is not None


def test_trend_chart_tells_lines_apart_without_colour():
    chart = _charts.trend_chart(
        _wide("X"), "X", "X", 2008, "number", england=_wide("X")["E2"] + 5, threshold=5
    )
    root = ET.fromstring(chart)
    dashes = {p.get("stroke-dasharray") for p in root.iter(f"{SVG}path") if p.get("stroke-dasharray")}
    assert len(dashes) >= 2  # England dashed; the range's edges and the intervention line dotted
    assert root.find(f".//{SVG}use") is not None  # the authority's markers


def test_report_charts_carry_the_names_of_the_engines_output():
    """On the engine's real output: an authority named with mathtext characters is drawn as given
    in every chart of the Munro and annual reports."""
    name = "Hackney $\\frac$ x_1^2 \\ end"
    results = compare(default_sample_spec(SAMPLE))
    series = results.series.copy()
    series.loc[series["role"] == "treated", "la_name"] = name
    results = dataclasses.replace(results, series=series)
    for style in ("munro", "annual"):
        data = build(results, style, generated="2026-11-24")
        charts = [svg for s in data.sections for _, svg in s.charts]
        assert charts, style
        for chart in charts:
            assert name in texts(chart) and name in chart.alt and chart.tables
