"""What a report says of each adopter's estimates, on the engine's real output (findings q4auth
Q5-Q9): the count of indicators with no clear change, an invalid (constant) indicator, a suppressed
year of the event-time view, a cost comparison of years before the model, and the same data
printed alike as a percentage and as a 0-1 share."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from rsw_eval.evaluation.engine import compare
from rsw_eval.report import build
from rsw_eval.report._authority import name_of, rows_of
from rsw_eval.report._benchmark import model_words
from rsw_eval.report._changes import HEADLINE
from rsw_eval.report._labels import outcome_label, value_text
from rsw_eval.report._numbers import signed
from tests.evaluation._panels import LONDON, panel, spec_for

INDICATORS = ("children_looked_after", "cp_plans_repeat_pct", "cp_plans_started")
A, B = LONDON[0], LONDON[1]


def _headline(rows: pd.DataFrame, level: float) -> dict[str, str]:
    """Each indicator's words (its DiD, else ITS row), as the summary reads them."""
    causal = rows[rows["design"].isin(HEADLINE) & rows["primary"]]
    out = {}
    for outcome, sub in causal.groupby("outcome", sort=False):
        chosen = sub.iloc[int(sub["design"].map(HEADLINE.index).to_numpy().argmin())]
        out[str(outcome)] = model_words(chosen, level)
    return out


@settings(  # each example is a compare and a report: no shrinking (the failing case is printed)
    max_examples=6,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    phases=(Phase.explicit, Phase.reuse, Phase.generate),
)
@given(
    years=st.tuples(st.integers(2009, 2013), st.integers(2009, 2013)),
    effect=st.sampled_from([0.0, -0.15, -0.6]),
    primary=st.sampled_from([None, *INDICATORS]),
    seed=st.integers(0, 50),
)
def test_the_count_of_no_clear_change_is_right_for_every_adopter(
    tmp_path_factory, years, effect, primary, seed
):
    """Q5: for each adopter, the sentence counting 'no clear change' names exactly the indicators
    (other than a primary said on its own) whose own headline says so, out of exactly those
    indicators: never '2 of 3' when all 3 (the primary included) showed no clear change."""
    adoption = {A: years[0], B: years[1]}
    keys = {"unit_model": adoption, "designs": ["did", "its"]}
    if primary:
        keys["questions"] = {"q": {"outcomes": list(INDICATORS), "primary": primary}}
    frame = panel(adoption=adoption, effect=effect, seed=seed, indicators=INDICATORS)
    spec = spec_for(frame, tmp_path_factory.mktemp("count"), **keys)
    results = compare(spec)
    data = build(results, "munro", generated="2026-01-01")
    level = float(results.provenance["confidence"])
    for code in adoption:
        name = name_of(results, code)
        said = [line.removeprefix(f"{name}: ") for line in data.summary if line.startswith(f"{name}: ")]
        words = _headline(rows_of(results.protected().table, code), level)
        alone = {o for o in words if o == primary and words[o]}
        others = [o for o in words if o not in alone]
        still = [outcome_label(o) for o in others if words[o].startswith("no clear change")]
        counted = [line for line in said if line.startswith("No clear change since the model began in")]
        if not still:
            assert not counted
            continue
        (line,) = counted
        named = re.search(r"indicators? \((.*)\); (?:its|each one's) interval", line).group(1).split(", ")
        assert named == still, (line, words)
        n, total = len(still), len(others)
        if alone:
            assert "other indicator" in line
        if n == total:  # every one of them: never 'n of n', which reads as a partial count
            head = line.split(" (")[0]
            assert not re.search(rf"\b{n} of ", head) and ("any of" in head or n <= 2), line
        else:
            assert f"{n} of " in line and f"{total} " in line


def test_a_constant_primary_is_said_to_have_no_estimate(tmp_path):
    """Q6: an indicator equal everywhere gives an invalid DiD (no p); the summary and the table say
    'no estimate' with the reason, never 'a rise of 0.0 pp', and compare's method no 'nan%'."""
    frame = panel(adoption={A: 2010}, indicators=INDICATORS[:2])
    flat = frame[frame["indicator"] == "cp_plans_repeat_pct"].assign(indicator="flat_pct", value=20.0)
    frame = pd.concat([frame, flat], ignore_index=True)
    spec = spec_for(
        frame,
        tmp_path,
        unit_model={A: 2010},
        designs=["did"],
        not_counts=["flat_pct"],
        questions={"q": {"outcomes": ["flat_pct", "cp_plans_repeat_pct"], "primary": "flat_pct"}},
    )
    results = compare(spec, authority=A)
    row = results.table[(results.table["design"] == "did") & (results.table["outcome"] == "flat_pct")].iloc[0]
    assert np.isnan(row["p_value"]) and "invalid:" in row["note"]
    assert "nan%" not in row["method"] and "no interval" in row["method"]
    data = build(results, "munro", authority=A, generated="2026-01-01")
    summary = " ".join(data.summary)
    said = "Flat pct (the declared primary outcome): no estimate since the model began: no variation"
    assert said in summary
    assert "rise of 0.0" not in summary and "Not shown (small numbers)" not in summary
    table = next(s for s in data.sections if s.id.startswith("did"))
    cells = {r[0]: r[4] for r in table.rows}
    assert cells["Flat pct"] == "no estimate"
    assert "No estimate: flat pct (DID): no variation" in table.note


def test_a_constant_other_indicator_is_counted_as_no_estimate_not_as_small_numbers(tmp_path):
    """Q6: not the primary, it is named among those with no estimate (not 'not shown')."""
    frame = panel(adoption={A: 2010}, indicators=INDICATORS[:2])
    flat = frame[frame["indicator"] == "cp_plans_repeat_pct"].assign(indicator="flat_pct", value=20.0)
    spec = spec_for(
        pd.concat([frame, flat], ignore_index=True),
        tmp_path,
        unit_model={A: 2010},
        designs=["did"],
        not_counts=["flat_pct"],
    )
    data = build(compare(spec, authority=A), "munro", authority=A, generated="2026-01-01")
    line = next(s for s in data.summary if s.startswith("No estimate of a change"))
    assert "flat pct" in line
    assert not any("Not shown (small numbers)" in s and "flat pct" in s for s in data.summary)


def test_a_suppressed_year_of_the_event_time_view_is_a_row_and_c_in_its_table(tmp_path):
    """Q7: the adopter's count below the threshold in one pre year: compare keeps that year as a
    suppressed did_event row without an estimate, and the event-time data table shows c there; the
    event times run without a hole."""
    frame = panel(adoption={A: 2012}, indicators=("children_looked_after",))
    hit = (frame["la_code"] == A) & (frame["year"] == 2008)
    frame.loc[hit, "value"] = 3.0
    spec = spec_for(frame, tmp_path, unit_model={A: 2012}, designs=["did"])
    results = compare(spec, authority=A)
    events = results.table[results.table["design"] == "did_event"].sort_values("event_time")
    times = events["event_time"].astype(int).tolist()
    assert times == list(range(times[0], times[-1] + 1))
    gap = events[events["event_time"] == 2008 - 2012].iloc[0]
    assert bool(gap["suppressed"]) and np.isnan(gap["effect_size"]) and "suppressed" in gap["note"]
    data = build(results, "munro", authority=A, generated="2026-01-01")
    section = next(s for s in data.sections if s.id.startswith("event-time"))
    cells = {
        key: row[i] for t in section.svg.tables for row in t.rows[:1] for i, key in enumerate(t.columns) if i
    }
    assert cells["-4"] == "c" and all(v not in ("", "c") for k, v in cells.items() if k != "-4")
    assert dict(section.svg.meanings)["c"] == (
        "suppressed (a count from 1 to 5, or a figure from which one could be worked out)"
    )


@given(a=st.integers(0, 1000), b=st.integers(0, 1000))
def test_a_percentage_and_a_share_of_the_same_data_print_alike(a, b):
    """Q9: the same values as a percentage (one decimal) and as a 0-1 share (three decimals) print
    the same level, and the same median change in pp, whatever float rounding does to them."""
    assert value_text("cp_plans_repeat_pct", a / 10) == value_text("repeat_share", a / 1000, 100.0)
    pct = float(np.median([a / 10, b / 10, (a + b) / 10]))
    share = 100 * float(np.median([a / 1000, b / 1000, (a + b) / 1000]))
    assert signed(pct, " pp") == signed(share, " pp")
    assert signed((a - b) / 20, " pp") == signed(100 * (a / 1000 - b / 1000) / 2, " pp")
