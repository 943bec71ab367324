"""The Munro report words an adopter's changes against its own adoption year.

Finding B6: its summary spoke only of the before/after changes of four key indicators, so with
several adopters (Hull 2016 with a DiD row) it said nothing of the estimates. Finding B5: a pair
of years both after the adoption year read as a change since the model began."""

from __future__ import annotations

import pytest

from rsw_eval.evaluation.engine import compare
from rsw_eval.report import build
from rsw_eval.report._authority import name_of, rows_of
from rsw_eval.report._benchmark import model_words
from rsw_eval.report._changes import _count
from rsw_eval.report._labels import outcome_label
from tests.evaluation._panels import LONDON, panel, spec_for

A, B = LONDON[0], LONDON[1]
ADOPTION = {A: 2008, B: 2012}


@pytest.fixture(scope="module")
def spec(tmp_path_factory):
    return spec_for(
        panel(adoption=ADOPTION),
        tmp_path_factory.mktemp("munro"),
        unit_model=ADOPTION,
        designs=["before_after", "did", "its"],
        before_after=[[2007, 2010], [2009, 2010]],
    )


@pytest.fixture(scope="module")
def results(spec):
    return compare(spec)


def test_the_summary_speaks_of_each_adopters_did_rows_by_their_adjusted_verdict(spec, results):
    """Condensed: an indicator that moved is said with its own figures (X's own compare(spec,
    authority=X) row); those with no clear change are counted and named in one sentence."""
    data = build(results, "munro", generated="2026-01-01")
    level = float(results.provenance["confidence"])
    for code in ADOPTION:
        name = name_of(results, code)
        said = [line for line in data.summary if line.startswith(f"{name}: ")]
        own = rows_of(compare(spec, authority=code).protected().table, code)
        did = own[(own["design"] == "did") & own["primary"] & own["effect_size"].notna()]
        assert len(did)
        still = []
        for _, r in did.iterrows():
            words = model_words(r, level)
            if words.startswith("no clear change"):
                still.append(outcome_label(r["outcome"]))
            else:
                assert any(words in line for line in said), (words, said)
        if still:
            count = next(line for line in said if "No clear change since the model began in" in line)
            # every indicator is counted once: 'both', 'any of the n' when none moved (q4auth Q5)
            whole = _count(len(still), len(did), False)
            assert f"in {whole} (" in count and all(s in count for s in still)
        assert len(said) <= 2 + len(did)  # no longer one sentence per estimate and more
    assert all("No results to summarise" not in line for line in data.summary)


def test_a_pair_after_the_adoption_is_said_to_be_so_in_the_table_and_limitations(results):
    data = build(results, "munro", generated="2026-01-01")
    table = next(s for s in data.sections if s.id == f"indicators-{A}")
    years = {r[1] for r in table.rows}
    assert "2009 to 2010 (both after the model began in 2008)" in years
    assert "2007 to 2010" in years  # across the start: plain
    assert "not a before/after comparison of the model" in table.note
    limits = " ".join(next(s for s in data.sections if s.id == "limitations").items)
    assert "Change 2009 to 2010, both years after the model began in 2008" in limits
    # B's 2012: both of its pairs end before it; they keep their rows, worded so (F6), never skipped
    b_table = next(s for s in data.sections if s.id == f"indicators-{B}")
    assert "2007 to 2010 (both before the model began in 2012)" in {r[1] for r in b_table.rows}
    assert "Change 2009 to 2010, both years before the model began in 2012" in limits
    assert not (results.skipped["design"] == "before_after").any()


def test_the_annual_report_says_it_too(results):
    data = build(results, "annual", authority=A, generated="2026-01-01")
    limits = " ".join(next(s for s in data.sections if s.id == "limitations").items)
    assert "both years after the model began in 2008: not a before/after comparison" in limits
