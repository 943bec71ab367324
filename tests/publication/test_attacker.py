"""Disclosure control attacked on the engine's real output shapes (issue 21): every command run in its
default, protected form on data with planted small counts, and everything it published attacked.

Two attackers, neither of them the auditor:

- the enumeration attacker of ``_attacker.py`` reads the results file and the report's respondents
  table and enumerates every whole-number data set consistent with them (survey shapes: binary
  outcomes with three rows per comparison, several authorities, pooled rows, waves);
- indistinguishability: two data sets that differ only in planted secrets, in a way consistent
  with everything that should be published (a respondent moved between two suppressed authorities;
  a suppressed count replaced by another count from 1 to t; an unrounded count moved within its
  DfE rounding interval), must publish byte-identical files, stdout and HTML (tables, sentences,
  the inline SVG charts' coordinates and their text) - so nothing published can tell the secrets
  apart, by any path, known or not.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tests.publication._attacker import (
    attack,
    html_table,
    recovered,
    report_hides_what_the_file_hides,
    respondents,
    statistics_beside_hidden_values,
    stdout_hides_what_the_file_hides,
    truth_of,
)
from tests.publication._data import COMPARATORS, TREATED, UNIT, Panel, Survey, run_all, spec

T = 5


def _groups(unit=(40, 9, 12), **sizes):
    """name -> (model, n, yes per outcome) from name=(n, reflection yes, violence yes)."""
    out = {UNIT: ("unit", unit[0], {"no_time_for_reflection": unit[1], "experienced_violence": unit[2]})}
    for name, (n, a, b) in sizes.items():
        out[f"{name} LA"] = ("conventional", n, {"no_time_for_reflection": a, "experienced_violence": b})
    return out


def _differences(a: dict[str, str], b: dict[str, str]) -> list[str]:
    out = []
    for name in sorted(set(a) | set(b)):
        if a.get(name) != b.get(name):
            x, y = (a.get(name) or "").splitlines(), (b.get(name) or "").splitlines()
            first = next(
                (i for i, (p, q) in enumerate(zip(x, y, strict=False)) if p != q), min(len(x), len(y))
            )
            out.append(f"{name} line {first + 1}: {x[first : first + 1]} != {y[first : first + 1]}")
    return out


# -- surveys: binary outcomes (three rows per comparison), several authorities, pooled rows --------


SURVEY_CASES = {
    # one small authority: the pooled row less the others would give it back
    "one small authority": _groups(A=(30, 12, 9), B=(3, 2, 1), C=(25, 10, 8)),
    # two small authorities, and small events in a large one (the pooled share less the others)
    "two small, small events": _groups(A=(30, 12, 2), B=(4, 1, 3), C=(5, 2, 2), D=(40, 20, 15)),
    # small complements: nearly everyone answered yes
    "small complements": _groups(A=(20, 18, 10), B=(22, 11, 21), C=(30, 15, 15)),
    # the only two conventional authorities, one small: the pooled row cannot hide it alone
    "two authorities": _groups(A=(30, 12, 9), B=(3, 1, 1)),
    # a small unit-model group: the respondents table's Total less the pooled group gives it back
    "small unit-model group": _groups(unit=(4, 1, 2), A=(30, 12, 9), C=(25, 10, 8)),
}


@pytest.mark.parametrize("case", list(SURVEY_CASES), ids=lambda c: c.replace(" ", "-"))
@pytest.mark.parametrize("rules", ["default", "dfe"])
def test_no_planted_survey_count_is_recovered_from_what_is_published(tmp_path, case, rules):
    groups = SURVEY_CASES[case]
    t = 7 if rules == "dfe" else T
    out = run_all(
        tmp_path, spec(tmp_path, survey=Survey(groups), panel=None, rules=rules), reports=("forrester",)
    )
    truth = truth_of(groups, t)
    assert truth, "the case plants small counts"
    samples = respondents(out.texts["forrester.html"])
    ranges = attack(out.csv, samples, t, truth)
    assert recovered(ranges, truth, t) == []
    assert statistics_beside_hidden_values(out.csv) == []
    # a row that lost its statistics keeps no words its counts chose: exact where a cell is below
    # 5, 0.5 added to a zero cell, its clusters counted (findings-q18att F9)
    hidden = out.csv["suppressed"].astype(bool) & out.csv["p_value"].isna()
    assert hidden.any() and (out.csv.loc[hidden, ["method", "test"]].fillna("") == "").all().all()
    # the report and the summary print a size, share or statistic exactly where the file does
    assert report_hides_what_the_file_hides(out.texts["forrester.html"], out.csv) == []
    assert stdout_hides_what_the_file_hides(out.texts["stdout.table"], out.csv) == []
    # the JSON, Parquet and stdout tables publish exactly the CSV's numbers (attacked above)
    numeric = [c for c in out.csv.select_dtypes("number").columns if out.csv[c].notna().any()]
    for name, table in {
        "json": pd.DataFrame(json.loads(out.texts["results.json"])["results"]),
        "parquet": pd.read_parquet(tmp_path / "results.parquet"),
        "stdout csv": pd.read_csv(io.StringIO(out.texts["stdout.csv"].split("\n\n")[0])),
    }.items():
        pd.testing.assert_frame_equal(table[numeric], out.csv[numeric], check_dtype=False, obj=name)
    # the report's log says that cells were suppressed, never which one was small
    log = html_table(out.texts["forrester.html"], "suppression")
    assert log and len({row[2] for row in log}) == 1
    assert not any(word in " ".join(map(" ".join, log)).lower() for word in ("primary", "secondary", "small"))


def test_the_attacker_recovers_what_cell_by_cell_suppression_leaves(tmp_path):
    # the negative control: hide only the small authority's own cells (what the old rules did with
    # a pooled row of several rows per comparison) and the attacker gets it back
    groups = SURVEY_CASES["one small authority"]
    out = run_all(tmp_path, spec(tmp_path, survey=Survey(groups), panel=None), reports=())
    raw = pd.read_csv(_unprotected(tmp_path))
    small = raw["comparison"] == "B LA"
    raw.loc[small, ["n_comparison", "value_comparison", "p_value"]] = np.nan
    truth = truth_of(groups, T)
    ranges = attack(raw, ({}, None), T, truth)
    assert "n:B LA = 3 in [3, 3]" in recovered(ranges, truth, T)
    assert out.csv.loc[out.csv["comparison"] == "C LA", "n_comparison"].isna().all()  # the real output


def _unprotected(folder: Path) -> Path:
    from rsw_eval.cli import main

    target = folder / "raw.csv"
    assert main(["compare", "--spec", str(folder / "spec.toml"), "--out", str(target), "--unprotected"]) == 0
    return folder / "raw.unprotected.csv"


@pytest.mark.parametrize("units", [False, True])
def test_moving_a_respondent_between_suppressed_authorities_changes_nothing_published(tmp_path, units):
    # B (3 workers) and C (25, the next smallest, hidden to protect it) are suppressed: a data set
    # with one of C's workers in B (B = 4, C = 24; every pooled figure the same) must publish exactly
    # the same bytes. With units known (every worker in a unit of 5 of their authority), the pooled
    # row's CR2 interval had each hidden authority's units as clusters, so only the true split of
    # their 28 workers gave the published interval (findings-q18att F9)
    groups = SURVEY_CASES["one small authority"]
    first = Survey(groups).frame()
    if units:
        first["unit"] = first.groupby("authority").cumcount() // 5
    moved = first.copy()
    moving = ["authority", "unit"] if units else ["authority"]
    moved.loc[moved.index[moved["authority"] == "C LA"][0], moving] = ("B LA", 0)[: len(moving)]
    runs = []
    for k, frame in enumerate((first, moved)):
        folder = tmp_path / f"run{k}"
        folder.mkdir()
        s = spec(folder, survey=Survey(groups), panel=None)
        frame.to_csv(folder / "workers.csv", index=False)
        runs.append(run_all(folder, s, reports=("forrester",)))
    a, b = runs
    assert a.csv.loc[a.csv["comparison"].isin(["B LA", "C LA"]), "n_comparison"].isna().all()
    assert a.csv["note"].fillna("").str.contains("CR2").any() == units, "clustered exactly with units"
    assert _differences(a.texts, b.texts) == []


def test_waves_of_the_unit_model_group_are_protected(tmp_path):
    groups = _groups(A=(30, 12, 9), C=(25, 10, 8))
    groups[UNIT] = ("unit", 12, {"no_time_for_reflection": 3, "experienced_violence": 6})
    out = run_all(tmp_path, spec(tmp_path, survey=Survey(groups, waves=True), panel=None), reports=())
    waves = out.csv[out.csv["design"] == "before_after"]
    assert len(waves), "the engine's before/after rows across waves"
    reflection = waves[waves["outcome"] == "no_time_for_reflection"]
    # 3 of 12 unit-model workers over two waves of 6: each wave's events are 1-2, suppressed
    assert reflection[["value_treatment", "value_comparison", "effect_size", "p_value"]].isna().all().all()
    assert statistics_beside_hidden_values(out.csv) == []


# -- panels: every design, [derived] rates, DfE rounding, charts -----------------------------------


def _panel_runs(tmp_path, panels: list[Panel], rules="default") -> list:
    runs = []
    for k, panel in enumerate(panels):
        folder = tmp_path / f"run{k}"
        folder.mkdir()
        runs.append(
            run_all(folder, spec(folder, survey=None, panel=panel, rules=rules), reports=("munro", "annual"))
        )
    return runs


def test_suppressed_and_rounded_panel_counts_change_nothing_published_by_any_design(tmp_path):
    # DfE rules: the unit-model authority's residential placements in 2011 and a comparator's in
    # 2013 are small (suppressed), and the unit-model authority's 2014 looked-after count is
    # rounded (402 and 398 both to 400). A twin data set with other values there must publish the
    # same bytes everywhere: the synthetic-control yearly gaps, DiD, ITS, synthetic DiD,
    # before/after, the [derived] rate per 10,000, the official-statistics side file, the reports'
    # change columns, sentences and trend charts' SVG coordinates
    small = [(TREATED, 2011, "residential_placements"), (COMPARATORS[0], 2013, "residential_placements")]
    rounded = (TREATED, 2014, "children_looked_after")
    a, b = _panel_runs(
        tmp_path,
        [
            Panel({**dict.fromkeys(small, 3.0), rounded: 402.0}),
            Panel({**dict.fromkeys(small, 6.0), rounded: 398.0}),
        ],
        rules="dfe",
    )
    assert {"before_after", "did", "its", "synthetic_control", "synthetic_did", "staggered"} <= set(
        a.csv["design"]
    )
    gaps = a.csv[a.csv["effect_size_name"] == "synthetic_gap_year"]
    placements = gaps[(gaps["outcome"] == "residential_placements") & gaps["treatment"].str.contains(TREATED)]
    assert len(placements) and "2011" not in set(placements["period"].astype(str))  # not published as a gap
    assert not ((a.csv["outcome"] == "residential_placements") & a.csv["value_treatment"].between(1, 7)).any()
    looked_after = gaps[(gaps["outcome"] == "children_looked_after") & (gaps["period"].astype(int) >= 2012)]
    assert len(looked_after["treatment"].unique()) == 2  # both adopters' synthetic controls
    assert len(looked_after) and (looked_after["value_treatment"] % 5 == 0).all()  # rounded counts only
    assert "residential_rate" in set(a.csv["outcome"])  # the [derived] rate is published and protected
    assert _differences(a.texts, b.texts) == []
    assert "<svg" in a.texts["annual.html"] and "<svg" in a.texts["munro.html"]


def test_a_threshold_below_1_is_refused_by_the_command(tmp_path, capsys):
    from rsw_eval.cli import main

    s = spec(tmp_path, survey=Survey(SURVEY_CASES["one small authority"]), panel=None)
    from tests.publication._data import _toml

    (tmp_path / "spec.toml").write_text(_toml({**s, "disclosure_threshold": 0}))
    assert main(["compare", "--spec", str(tmp_path / "spec.toml")]) == 2
    assert "disclosure_threshold must be a whole number from 1" in capsys.readouterr().err


def test_a_small_adopter_costs_neither_its_arm_s_units_nor_the_pooled_test(tmp_path):
    # q20att-3 F3: an adopter of 3 workers merged with the only other adopter made the unit-model
    # arm one cluster when clustering by unit, so no survey row had a p-value or interval; and the
    # consistency row, which lists no authority, must follow the pooled rows' rule (F1)
    groups = _groups(A=(30, 12, 9), C=(25, 10, 8))
    groups["Small LA"] = ("unit", 3, {"no_time_for_reflection": 1, "experienced_violence": 2})
    frame = Survey(groups).frame()
    frame["unit"] = frame.groupby("authority").cumcount() // 5
    s = spec(tmp_path, survey=Survey(groups), panel=None)
    frame.to_csv(tmp_path / "workers.csv", index=False)
    out = run_all(tmp_path, s, reports=())
    pooled = out.csv[(out.csv["comparison"] == "all conventional") & (out.csv["design"] == "cross_section")]
    assert pooled["p_value"].notna().any(), "the pooled test survives"
    assert statistics_beside_hidden_values(out.csv) == []
