"""A percentage's, share's or 0/1 indicator's DiD, ITS and detection cells say percentage points in
every report, as its before/after change does (compare's one rule, designs/_units.points_scale):
they printed bare numbers beside '+7.5 pp'. The same series stored as a 0-1 share reads the same
points as its 0-100 percentage."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from rsw_eval.evaluation.engine import compare
from rsw_eval.report import build
from rsw_eval.report._labels import outcome_label
from tests.evaluation._panels import LONDON, panel, spec_for

A = LONDON[0]
PCT, SHARE = "cp_plans_repeat_pct", "repeat_share"
NUMBER = re.compile(r"[-+]?\d[\d,]*\.?\d*")


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    """One adopter, a percentage and the same series as a 0-1 share."""
    frame = panel(adoption={A: 2010})
    share = frame[frame["indicator"] == PCT].assign(indicator=SHARE, value=lambda f: f["value"] / 100)
    spec = spec_for(
        pd.concat([frame, share]),
        tmp_path_factory.mktemp("points"),
        unit_model={A: 2010},
        designs=["before_after", "did", "its"],
        baseline_year=2009,
        followup_year=2014,
        not_counts=[SHARE],  # the published percentage / 100, no count of its own in the panel
    )
    return compare(spec)


def _label(indicator: str) -> str:
    name = outcome_label(indicator)
    return name[:1].upper() + name[1:]


def _numbers(cell: str) -> list[float]:
    return [float(x.replace(",", "")) for x in NUMBER.findall(cell)]


def test_the_munro_did_table_says_pp_and_a_share_reads_as_its_percentage(results):
    data = build(results, "munro", generated="2026-01-01")
    section = next(s for s in data.sections if s.id == "did")
    names = ("Value [CI]", "Detectable (80% power)", "Scale")
    value, detect, scale = (section.columns.index(c) for c in names)
    rows = {(r[0], r[1]): r for r in section.rows}
    for design in ("DID", "ITS"):
        pct, share = rows[(_label(PCT), design)], rows[(_label(SHARE), design)]
        for r in (pct, share):
            assert " pp" in r[value] and r[scale] == "percentage points", r
            assert r[detect] == "" or "pp" in r[detect], r
        assert _numbers(share[value]) == pytest.approx(_numbers(pct[value]), abs=0.011)


def test_the_annual_table_and_sentences_say_pp(results):
    data = build(results, "annual", authority=A, generated="2026-01-01")
    section = next(s for s in data.sections if s.id == "model-change")
    at = section.columns.index("Value [CI]")
    for r in section.rows:
        if r[0] in (_label(PCT), _label(SHARE)):
            assert " pp" in r[at], r
    verdicts = next(s for s in data.sections if s.id == "verdicts").items
    said = [v for v in verdicts if v.startswith((_label(PCT), _label(SHARE))) and "model began" in v]
    assert said and all(re.search(r"\d pp", v) for v in said), said
    assert not any(re.search(r"(fall|rise) of 0\.\d+[ ;)]", v) for v in said)  # no 0-1 share unscaled
