"""A file under a DfE release's name that holds a few authorities is a council's own (findings
q13disc R1, R4, q14 F1): DfE's authority-level files hold every authority of England, a council's
return its own authority, its neighbours or its region. Whatever the file holds, its figures are
protected as a council's, and the decision, taken on the whole panel, is the one a chart's series
(a part of the panel) reads."""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from rsw_eval.disclosure import RELEASED, from_release, partial_releases, row_rules, rule_set
from rsw_eval.disclosure._releases import WHOLE_RELEASE
from tests._fuzz import engine_budget
from tests.publication._data import COMPARATORS, TREATED, Panel, spec

#: files of releases the registry knows, each with an indicator it prints and a typical value
NAMES = {
    "d3_cpps_subsequent_plan_2013_to_2025.csv": ("cp_plans_started", 250.0),
    "cla_number_and_rate_per_10k_children.csv": ("children_looked_after", 300.0),
    "csww_indicators_2017_to_2025.csv": ("agency_worker_rate_fte", 12.5),
    "la_cla_placement_stability.csv": ("placements_3plus_pct", 9.0),
    "la_care_leavers_accommodation_suitability.csv": ("care_leavers_suitable_pct", 88.0),
}


def _file(name: str, authorities: int, years=(2022, 2023)) -> pd.DataFrame:
    indicator, value = NAMES[name]
    rows = [(f"E06{k:06d}", y, indicator, value + k % 7, "", name) for k in range(authorities) for y in years]
    rows += [("E92000001", y, indicator, value, "", name) for y in years]  # England's row: no help
    return pd.DataFrame(rows, columns=["la_code", "year", "indicator", "value", "flag", "source"])


@settings(max_examples=40, deadline=None, derandomize=True, database=None)
@given(st.sampled_from(sorted(NAMES)), st.integers(1, WHOLE_RELEASE - 1))
def test_a_file_under_a_release_s_name_with_a_few_authorities_is_a_council_s_own(name, authorities):
    frame = _file(name, authorities)
    assert not from_release(frame).any()
    assert partial_releases(frame) == {name: authorities}
    assert not row_rules(frame, rule_set("dfe")).known.any()  # the fixed rule, not the release's


@settings(max_examples=10, deadline=None, derandomize=True, database=None)
@given(st.sampled_from(sorted(NAMES)), st.integers(WHOLE_RELEASE, 160))
def test_a_file_holding_every_authority_is_dfe_s(name, authorities):
    frame = _file(name, authorities)
    assert from_release(frame).all() and partial_releases(frame) == {}


def test_national_and_regional_figures_alone_hold_no_council_s_own():
    frame = _file("cla_number_and_rate_per_10k_children.csv", 0)
    assert len(frame) and from_release(frame).all() and partial_releases(frame) == {}


def test_a_series_reads_the_decision_taken_on_the_whole_panel():
    """A chart's series holds the treated authority, its comparators and England: a part of DfE's
    file that, decided alone, would look like a council's; and a count of 3 printed at one
    authority out of the series says the whole file is not DfE's (R4), which the part cannot see."""
    frame = _file("cla_number_and_rate_per_10k_children.csv", 150)
    counts = frozenset({"children_looked_after"})
    part = frame["la_code"].isin(["E06000010", "E06000011", "E06000012", "E92000001"])
    whole = frame.assign(**{RELEASED: from_release(frame, counts)})
    assert whole[RELEASED].all() and from_release(whole[part], counts).all()
    assert not from_release(frame[part], counts).any()  # decided on the part alone
    frame.loc[0, "value"] = 3.0
    whole = frame.assign(**{RELEASED: from_release(frame, counts)})
    assert not from_release(whole[part], counts).any()


def _run(folder: Path, planted: dict, names: tuple[str, str]):
    """The tests' seven-authority panel under two DfE release names, run under "dfe"."""
    from rsw_eval.evaluation.engine import compare
    from rsw_eval.spec import load_spec

    s = spec(folder, survey=None, panel=Panel(planted), rules="dfe")
    frame = Panel(planted).frame()
    frame[frame["year"] <= 2009].to_csv(folder / names[0], index=False)
    frame[frame["year"] >= 2010].to_csv(folder / names[1], index=False)
    s["data"]["admin"] = list(names)
    s["designs"] = ["before_after"]
    return compare(load_spec(s, data_dir=folder))


CELLS = [(code, year) for code in (TREATED, *COMPARATORS[:3]) for year in range(2010, 2015)]


@engine_budget(3)
@given(st.dictionaries(st.sampled_from(CELLS), st.integers(6, 7).map(float), min_size=1, max_size=4))
def test_a_council_s_counts_under_release_names_take_the_fixed_rule(planted):
    """A count of 6 or 7, which SFR 21/2011's rule (1 to 5 suppressed, not rounded) would print,
    is the council's own here: the fixed rule hides it, and the provenance names both files."""
    names = ("sfr27-2010amv5_own.csv", "SFR21_2011_own.csv")
    cells = {(code, year, "children_looked_after"): value for (code, year), value in planted.items()}
    with tempfile.TemporaryDirectory() as tmp:
        res = _run(Path(tmp), cells, names)
    series = res.protected().series
    for (code, year, indicator), value in cells.items():
        shown = series.loc[
            (series["la_code"] == code) & (series["year"] == year) & (series["indicator"] == indicator),
            "value",
        ]
        assert shown.isna().all(), (code, year, value, shown.tolist())
    said = res.provenance["disclosure_panel"]
    assert said["releases_partial"] == {n: 7 for n in names}
    assert not said.get("releases")
    assert np.isin(list(names), said["fixed_rule"]).all()


def test_blank_or_symbol_rows_of_other_authorities_do_not_make_a_council_s_file_dfe_s():
    """A council's own figures padded with the rest of England's authorities, their cells blank or
    x (findings-q15att P1, P2, P4): DfE's file holds numbers for England's authorities."""
    name = "la_cla_placement_stability.csv"
    frame = _file(name, 150)
    own = frame["la_code"].isin([f"E06{k:06d}" for k in range(12)]) | frame["la_code"].eq("E92000001")
    padded = frame.assign(value=frame["value"].where(own))
    for flag in ("", "x", "c"):
        out = padded.assign(flag=np.where(own, "", flag))
        assert not from_release(out).any() and partial_releases(out) == {name: 12}


def test_padding_in_one_year_or_a_year_the_release_lacks_makes_no_other_year_dfe_s():
    name = "csww_indicators_2017_to_2025.csv"
    whole = _file(name, 150, years=(2016, 2022))  # 2016: before the release
    mine = whole["year"].eq(2022) & ~whole["la_code"].isin([f"E06{k:06d}" for k in range(8)])
    frame = whole[~mine]
    assert not from_release(frame).any() and partial_releases(frame) == {name: 8}
    padded = pd.concat([frame, _file(name, 150, years=(2023,))])  # a year padded whole
    assert from_release(padded).tolist() == padded["year"].eq(2023).tolist()


def test_a_council_s_own_column_added_to_dfe_s_file_is_not_dfe_s():
    name = "csww_indicators_2017_to_2025.csv"
    frame = _file(name, 150, years=(2022,))
    own = frame.iloc[:10].assign(indicator="cp_repeat", value=3.0)
    padded = pd.concat([own, frame.iloc[10:150].assign(indicator="cp_repeat", value=np.nan, flag="x")])
    out = from_release(pd.concat([frame, padded]))
    assert out[: len(frame)].all() and not out[len(frame) :].any()
