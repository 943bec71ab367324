"""B10 of the authority2 attack: the Isles of Scilly's child protection plans started (real DfE d3
file) have zeros, so its DiD falls back from the log to the level scale; the row said nothing of
it, notes printed "slope difference nan per year (permutation p = nan)", and the annual report
printed "a fall of 116.9" (no unit) under "DiD on the log scale"."""

from __future__ import annotations

import re
import warnings

import pytest

import rsw_eval
from rsw_eval.report import build
from rsw_eval.report._render import render_html
from rsw_eval.spec import load_spec
from tests._derived_dfe import D3, NEIGHBOURS, derived_d3
from tests.conftest import needs_dfe

pytestmark = needs_dfe

SCILLY = "E06000053"


@pytest.fixture(scope="module")
def scilly(tmp_path_factory):
    folder = derived_d3(tmp_path_factory.mktemp("tiny"))
    spec = {
        "comparators": "statistical_neighbours",
        "designs": ["did"],
        "unit_model": {"201": 2016, "420": 2017},
        "data": {
            "neighbours": NEIGHBOURS,
            "admin": [
                {
                    "path": D3,
                    "value": {"CPP_start": "cp_plans_started", "CPP_subsequent_percent": "repeat_pct"},
                }
            ],
        },
    }
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return rsw_eval.compare(load_spec(spec, data_dir=folder), authority=SCILLY)


def test_a_level_scale_did_of_a_count_says_so_and_no_note_prints_nan(scilly):
    t = scilly.protected().table
    did = t[(t["design"] == "did") & (t["outcome"] == "cp_plans_started")].iloc[0]
    assert did["scale"] == "level"
    assert "level scale, not log: cp_plans_started has zeros" in did["note"]
    assert not t["note"].fillna("").str.contains(r"\bnan\b").any()


def test_the_annual_report_gives_the_unit_and_does_not_claim_the_log_scale(scilly):
    html = render_html(build(scilly, "annual", authority=SCILLY, generated="2026-12-06"))
    assert "is on the level scale, a difference in its own units" in html
    t = scilly.protected().table
    did = t[(t["design"] == "did") & (t["outcome"] == "cp_plans_started")].iloc[0]
    text = " ".join(html.split())
    # the interval in plans (the DfE unit of the count), as compare's row gives it
    assert f"a fall of {abs(did['ci_low']):.1f} plans or a rise of {did['ci_high']:.1f} plans" in text
    # what the design could detect is in plans too, never a bare number
    assert re.search(r"detects a (fall|rise) of (about )?[\d.]+ plans or more", text)
    assert not re.search(r"detects a (fall|rise) of (about )?[\d.]+ or more", text)
