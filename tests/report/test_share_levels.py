"""Levels beside their change, and what a chart's data table shows where a value is missing.

Finding F5: a 0-1 share's baseline and follow-up (0.211 -> 0.290) were printed at one decimal (0.2 ->
0.3) beside a change of +7.9 pp. Finding F6: a before/after pair wholly before the adoption year
was skipped. Finding F7: a suppressed value read "–" (not collected) in the Munro chart's data
table, where the annual table says "c". Checked on the engine's real output over generated panels,
pairs and adoption years (each pair across, wholly before or wholly after the year).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rsw_eval.designs.before_after import pair_relation
from rsw_eval.evaluation.engine import compare
from rsw_eval.report import build
from rsw_eval.report._numbers import signed
from tests.evaluation._panels import LONDON, panel, spec_for

A = LONDON[0]
SHARE = "repeat_plan_share"


def _share_panel(seed: int):
    frame = panel(n=8, seed=seed, adoption={A: 2010})
    share = frame["indicator"] == "cp_plans_repeat_pct"
    frame.loc[share, "value"] = (frame.loc[share, "value"] / 100).round(3)
    frame.loc[share, "indicator"] = SHARE
    return frame


def _section(data, prefix: str):
    return next(s for s in data.sections if s.id.startswith(prefix))


def _percent(text: str) -> float:
    assert text.endswith("%"), text
    return float(text.rstrip("%"))


@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 1000),
    adopted=st.integers(2007, 2014),
    before=st.integers(2004, 2012),
    span=st.integers(1, 4),
)
def test_a_shares_levels_are_percentages_beside_its_pp_change_for_every_pair(seed, adopted, before, span):
    """For every pair (across, wholly before or wholly after the adoption year): X's Munro
    before/after row is its compare(spec, authority=X) row, its levels printed as percentages
    that differ by the pp change (to rounding), its years worded by pair_relation."""
    after = before + span
    with tempfile.TemporaryDirectory() as tmp:
        spec = spec_for(
            _share_panel(seed),
            Path(tmp),
            unit_model={A: adopted},
            designs=["before_after"],
            before_after=[[before, after]],
            not_counts=[SHARE],
        )
        results = compare(spec, authority=A)
        assert not (results.skipped["design"] == "before_after").any()  # F6: nothing filtered
        data = build(results, "munro", generated="2026-01-01")
    t = results.table
    own = t[(t["design"] == "before_after") & (t["outcome"] == SHARE) & t["comparison"].str.startswith("own")]
    assert len(own) == 1
    r = own.iloc[0]
    cells = next(row for row in _section(data, "indicators").rows if row[0] == "Repeat plan share")
    relation = pair_relation(before, after, adopted)
    side = "after" if before >= adopted else "before"
    years = f"{before} to {after}" + (f" (both {side} the model began in {adopted})" if relation else "")
    assert cells[1] == years
    assert (
        cells[2] == f"{100 * r['value_comparison']:.1f}%" and cells[3] == f"{100 * r['value_treatment']:.1f}%"
    )
    assert cells[4] == signed(r["effect_size"], " pp")
    assert abs(_percent(cells[3]) - _percent(cells[2]) - r["effect_size"]) <= 0.1 + 1e-9
    assert (relation in r["note"]) if relation else ("both years" not in r["note"])
    assert r["question"] == "" and r["p_value"] != r["p_value"]  # descriptive: in no family


def test_a_shares_levels_are_percentages_in_the_annual_table_and_chart_data():
    with tempfile.TemporaryDirectory() as tmp:
        spec = spec_for(_share_panel(3), Path(tmp), unit_model={A: 2010}, designs=["did"], not_counts=[SHARE])
        results = compare(spec, authority=A)
        data = build(results, "annual", authority=A, generated="2026-01-01")
    series = results.series
    own = series[(series["la_code"] == A) & (series["indicator"] == SHARE)].set_index("year")["value"]
    row = next(r for r in data.sections[0].rows if r[0] == "Repeat plan share")
    assert row[1] == f"{100 * own[2016]:.1f}%" and row[2] == f"{100 * own[2015]:.1f}%"
    chart = dict(_section(data, "trends").charts)["Repeat plan share"]
    table = chart.tables[0]
    mine = next(
        r
        for r in table.rows
        if r[0] not in {"England"} and "neighbours" not in r[0] and "comparators" not in r[0]
    )
    assert all(c.endswith("%") for c in mine[1:])
    assert mine[1] == f"{100 * own[int(table.columns[1])]:.1f}%"


def test_a_suppressed_value_is_c_and_a_missing_year_a_dash_in_every_trend_data_table():
    """F7: a suppressed count (3 children looked after) is 'c' in the chart's data table, as the
    annual table shows it; a year the data do not hold is '–'; the key says which is which."""
    frame = panel(n=8, seed=1, adoption={A: 2010})
    cla = (frame["la_code"] == A) & (frame["indicator"] == "children_looked_after")
    frame.loc[cla & (frame["year"] == 2012), "value"] = 3  # within the threshold: suppressed
    frame = frame[~(cla & (frame["year"] == 2013))]  # not collected
    with tempfile.TemporaryDirectory() as tmp:
        spec = spec_for(frame, Path(tmp), unit_model={A: 2010}, designs=["did"])
        results = compare(spec, authority=A)
        for style in ("munro", "annual"):
            data = build(results, style, authority=A, generated="2026-01-01")
            charts = dict(_section(data, "trends").charts)
            chart = next(c for label, c in charts.items() if label.startswith("Children looked after"))
            columns = chart.tables[0].columns
            row = chart.tables[0].rows[0]
            assert row[columns.index("2012")] == "c", (style, row)
            assert row[columns.index("2013")] == "–", (style, row)
            assert "c = suppressed" in chart.key and "– = not collected" in chart.key
