"""Finding B5: a before/after pair whose two years lie after an adopter's adoption year was run and
read as a change "since the model began". The row stays (Munro's published sickness figures are a
2009->2010 pair for Hackney's 2008 model), but every place that shows it says what it is; an
--adoption-year outside the data's years is refused."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rsw_eval.cli import main
from rsw_eval.designs.before_after import before_after, pair_relation
from rsw_eval.evaluation.engine import compare
from tests.evaluation._panels import LONDON, panel, spec_for

A = LONDON[0]


def _own(results) -> pd.DataFrame:
    t = results.table
    return t[(t["design"] == "before_after") & t["comparison"].str.startswith("own baseline")]


def test_a_pair_after_the_adoption_is_kept_and_said_to_be_no_before_after_of_the_model(tmp_path):
    spec = spec_for(
        panel(adoption={A: 2008}),
        tmp_path,
        unit_model={A: 2008},
        designs=["before_after"],
        before_after=[[2006, 2010], [2009, 2010]],
    )
    rows = _own(compare(spec))
    late, across = rows[rows["period"] == "2009->2010"], rows[rows["period"] == "2006->2010"]
    assert len(late) == len(across) == 2  # both indicators, both pairs
    after = "change 2009 to 2010, both years after the model began in 2008: not a before/after comparison"
    assert late["note"].str.contains(after, regex=False).all()
    assert late["interpretation"].str.startswith("descriptive: " + after).all()
    assert not across["note"].str.contains("both years").any()  # a pair across the start: unchanged
    assert across["interpretation"].str.contains("across the start of the model (2008)", regex=False).all()
    assert rows["effect_size"].notna().all()  # kept: the published-figure check needs 2009->2010


@settings(max_examples=40, deadline=None)
@given(
    before=st.integers(2004, 2015),
    span=st.integers(1, 6),
    adopted=st.integers(1990, 2030),
)
def test_every_pair_is_worded_by_where_it_lies_against_the_adoption_year(before, span, adopted):
    """Property, on the design's real rows: a row's note says 'both years after/before' exactly
    when the pair does not straddle the adoption year."""
    after = min(before + span, 2016)
    if after <= before:
        return
    frame = panel(n=4, years=range(2004, 2017))
    frame["la_name"] = frame["la_code"]
    rows = before_after(frame, [A], list(LONDON[1:4]), [(before, after)], adoption_year=adopted)
    own = [r for r in rows if r["comparison"].startswith("own baseline")]
    straddles = before < adopted <= after
    for r in own:
        assert ("both years" in r["note"]) is (not straddles)
        side = "after" if before >= adopted else "before"
        assert straddles or f"both years {side} the model began in {adopted}" in r["note"]
    assert pair_relation(before, after, None) == ""


@pytest.mark.parametrize("year", [1990, 2030, 2004])
def test_an_adoption_year_outside_the_data_is_refused(tmp_path, capsys, year):
    """--adoption-year 1990 gave 2015->2019 'changes since the model began'; 2030 gave no row and
    no word of why."""
    panel().to_csv(tmp_path / "panel.csv", index=False)
    path = tmp_path / "spec.toml"
    path.write_text(
        'designs = ["before_after", "did"]\nbaseline_year = 2010\nfollowup_year = 2014\n'
        '[data]\nadmin = [{ path = "panel.csv", kind = "panel" }]\n'
    )
    code = main(
        ["compare", str(tmp_path), "--spec", str(path), "--authority", A, "--adoption-year", str(year)]
    )
    err = capsys.readouterr().err
    assert code == 2
    assert f"--adoption-year {year}" in err and "2004-2016" in err and "give a year from 2005 to 2016" in err
    ok = main(["compare", str(tmp_path), "--spec", str(path), "--authority", A, "--adoption-year", "2012"])
    assert ok == 0


def test_a_spec_adoption_year_after_the_data_says_so(tmp_path):
    """A [unit_model] year after the data's last year: its before/after pair keeps its row worded
    'both years before the model began' (F6: nothing filters a wholly-before pair), and the DiD's
    skip record says the data hold no year from it on."""
    spec = spec_for(
        panel(),
        tmp_path,
        unit_model={A: 2030},
        designs=["before_after", "did"],
        baseline_year=2010,
        followup_year=2014,
    )
    r = compare(spec)
    own = _own(r)
    assert len(own) and own["note"].str.contains("both years before the model began in 2030").all()
    reasons = r.skipped.loc[r.skipped["design"] == "did", "reason"]
    assert reasons.str.contains("0 from 2030 on (2004-2016)", regex=False).all() and len(reasons)


@settings(max_examples=20, deadline=None)
@given(adopted=st.integers(2000, 2015))
def test_a_cost_change_is_worded_by_where_its_years_lie_against_the_adoption_year(adopted):
    """A cost change wholly after (Hackney's 2013-14 to 2016-17 for its 2008 model) or wholly
    before the adoption year keeps its rows (no skip), worded as a before/after pair is; one
    across the year is not; the figures are the same whatever the adoption year."""
    from rsw_eval.designs.cost_change import cost_change

    costs = pd.DataFrame(
        {
            "la_code": "T",
            "la_name": "T",
            "year": [2009] * 3 + [2012] * 3,
            "indicator": ["cost_line:a", "cost_line:b", "total_cost"] * 2,
            "value": [60.0, 40.0, 100.0, 62.0, 33.0, 95.0],
            "flag": "",
        }
    )
    rows = [r for r in cost_change(costs, ["T"], [], adoption_year=adopted) if not r.get("_skipped")]
    total = next(r for r in rows if r["outcome"] == "total_cost")
    relation = pair_relation(2009, 2012, adopted)
    assert total["effect_size"] == pytest.approx(-5.0)
    assert (relation in total["note"]) if relation else ("both years" not in total["note"])
    assert bool(relation) is not (2009 < adopted <= 2012)
