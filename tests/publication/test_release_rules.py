"""The engine's real output under ``disclosure_rules = "dfe"``: a panel whose files are DfE releases
the registry knows is published under each release's own rule, and the rest under the fixed rule.

The planted panel (tests/publication/_data.py: seven authorities, 2004-2016) is written as two files
named as DfE named its releases: 2004-2009 as the LAA1 table of SFR 27/2010 (2006-2010: 1-5
suppressed, rounded to 5; 2004-2005 unknown to the registry) and 2010-2016 as SFR 21/2011's
underlying data (2010-2014: 1-5 suppressed, unrounded; 2015-2016 unknown). A file printing a count
its release suppresses is no file as DfE published it: the fixed rule throughout."""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from rsw_eval.disclosure import COUNT_OUTCOMES
from rsw_eval.io import release_rule
from tests._fuzz import engine_budget
from tests.publication._data import COMPARATORS, TREATED, YEARS, Panel, spec

#: synthetic panels of a few authorities under DfE's file names (tests/conftest.py)
pytestmark = pytest.mark.usefixtures("small_releases")

LAA1, SFR = "sfr27-2010amv5_panel.csv", "SFR21_2011_panel.csv"
CELLS = [
    (code, year, indicator)
    for code in (TREATED, *COMPARATORS[:3])
    for year in YEARS
    for indicator in ("residential_placements", "children_looked_after")
]


def _run(folder: Path, planted: dict):
    from rsw_eval.evaluation.engine import compare
    from rsw_eval.spec import load_spec

    s = spec(folder, survey=None, panel=Panel(planted), rules="dfe")
    frame = Panel(planted).frame()
    frame[frame["year"] <= 2009].to_csv(folder / LAA1, index=False)
    frame[frame["year"] >= 2010].to_csv(folder / SFR, index=False)
    s["data"]["admin"] = [LAA1, SFR]
    s["designs"] = ["before_after"]
    return compare(load_spec(s, data_dir=folder))


def _not_dfe_s(planted: dict) -> set[str]:
    """The files that print a count their release suppresses: no file as DfE published it, so
    every row of it takes the fixed rule (findings-q13disc R4)."""
    out = set()
    for (_, year, _), value in planted.items():
        name = SFR if year >= 2010 else LAA1
        rule = release_rule(name, year)
        if rule is not None and 1 <= value <= rule["suppress_to"]:
            out.add(name)
    return out


@engine_budget(3)
@given(
    st.dictionaries(
        st.sampled_from(CELLS),
        st.one_of(st.integers(1, 8), st.integers(9, 999)).map(float),
        min_size=1,
        max_size=6,
    )
)
def test_every_published_count_follows_its_release_rule(planted):
    with tempfile.TemporaryDirectory() as tmp:
        res = _run(Path(tmp), planted)
    series = res.protected().series
    counts = series[series["indicator"].isin(COUNT_OUTCOMES) & series["value"].notna()]
    assert len(counts)
    theirs = _not_dfe_s(planted)
    for row in counts.itertuples():
        # every authority here is a local authority
        rule = None if row.source in theirs else release_rule(row.source, row.year)
        if rule is None:  # 2004-2005, 2015-2016: the fixed rule (1-7, rounded to 5 from 2012)
            assert row.value == 0 or row.value > 7, row
            assert row.value % (5 if row.year >= 2012 else 1) == 0, row
        else:
            assert row.value == 0 or row.value > rule["suppress_to"], (row, rule)
            assert row.value % rule["round_to"] == 0, (row, rule)
    # what a design saw is what is published: a planted 6 in an SFR year is shown as DfE shows it
    for (code, year, indicator), value in planted.items():
        shown = counts[
            (counts["la_code"] == code) & (counts["year"] == year) & (counts["indicator"] == indicator)
        ]
        name = SFR if year >= 2010 else LAA1
        rule = None if name in theirs else release_rule(name, year)
        if rule is not None and rule["round_to"] == 1 and value > rule["suppress_to"]:
            assert shown["value"].tolist() == [value]
    said = res.provenance["disclosure_panel"]
    if LAA1 not in theirs:
        assert any(r.startswith("laa1_2010 2006-2009 (local authority)") for r in said["releases"])
    if SFR not in theirs:
        assert any(r.startswith("sfr_2010 2010-2014 (local authority)") for r in said["releases"])
        description = res.protected().publication.rules.description
        assert "sfr_2010 2010-2014 (local authority): counts 1 to 5 suppressed, not rounded" in description
    assert said["fixed_rule"] == sorted([LAA1, SFR])  # 2004-2005 and 2015-2016 are outside both releases


def test_a_six_in_a_release_year_is_shown_and_in_a_fixed_rule_year_is_not(tmp_path):
    planted = {
        (COMPARATORS[0], 2011, "children_looked_after"): 6.0,
        (COMPARATORS[0], 2016, "children_looked_after"): 6.0,
    }
    publication = _run(tmp_path, planted).protected().publication
    series = publication.series.set_index(["la_code", "year", "indicator"])
    assert series.loc[(COMPARATORS[0], 2011, "children_looked_after"), "value"] == 6.0
    assert np.isnan(series.loc[(COMPARATORS[0], 2016, "children_looked_after"), "value"])
    assert series.loc[(COMPARATORS[0], 2016, "children_looked_after"), "flag"] == "c"
    # the log says which rule hid it without saying which cell was small: the release's, else 7
    logged = [e for e in publication.log if e.where.startswith("children_looked_after /")]
    assert logged and all("threshold of their DfE release's rule (7 where" in e.reason for e in logged)
