"""Issue 18: every council and every adopter. One test per reproducer of the issue's table, each
on its own generated panel (never the sample's shape), then the one-path checks."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from rsw_eval._errors import RswEvalWarning
from rsw_eval.evaluation.engine import compare
from tests.evaluation._panels import LONDON, panel, spec_for

A, B, C, X = LONDON[0], LONDON[1], LONDON[2], LONDON[5]  # three adopters and a council that is not one


def _did(results, code=None) -> pd.DataFrame:
    t = results.table
    rows = t[(t["design"] == "did") & t["primary"]]
    return rows if code is None else rows[rows["treatment"].str.contains(f"({code})", regex=False)]


def test_a_council_that_is_not_an_adopter_is_benchmarked_not_evaluated(tmp_path):
    """Reproducer 1: Croydon's report quoted Hackney's DiD and listed Croydon as its own comparator."""
    spec = spec_for(panel(adoption={A: 2008}), tmp_path, unit_model={A: 2008}, designs=["did", "its"])
    r = compare(spec, authority=X)
    assert r.table.empty  # no design estimates a change since the model began for X
    who = r.provenance["comparison"]["admin"]
    comparators = [a["la_code"] for a in who["authorities"] if a["role"] == "comparator"]
    assert X not in comparators and A not in comparators  # never itself, never the adopter
    assert r.provenance["adoption"] == {X: None}
    reason = r.skipped.loc[r.skipped["design"] == "", "reason"].iloc[0]
    assert "is not a unit-model authority" in reason and "--adoption-year" in reason
    given = compare(spec.with_adopter(X, 2010), authority=X)  # the user gives X a year
    assert set(_did(given)["adoption_year"]) == {2010}
    assert _did(given)["treatment"].str.contains(f"({X})", regex=False).all()


def test_an_adopter_is_evaluated_against_its_own_comparators_and_year(tmp_path):
    """Reproducer 2: Southwark's report quoted a pooled six-authority estimate; its ranks counted
    the other adopters as its neighbours."""
    adoption = {A: 2008, B: 2012, C: 2012}
    spec = spec_for(panel(adoption=adoption), tmp_path, unit_model=adoption, designs=["did"])
    full, own = compare(spec), compare(spec, authority=B)
    mine = _did(own)
    assert len(mine) and set(mine["n_treatment"]) == {1} and set(mine["adoption_year"]) == {2012}
    keys = ["outcome", "effect_size", "ci_low", "ci_high", "p_value", "period"]
    same = _did(full, B)[keys].reset_index(drop=True)
    pd.testing.assert_frame_equal(mine[keys].reset_index(drop=True), same)  # one path
    comparators = set(own.series.loc[own.series["role"] == "comparator", "la_code"])
    assert not comparators & set(adoption)  # other adopters are never B's comparators


def test_each_adopter_has_its_own_year_in_did_and_its(tmp_path):
    """Reproducer 3: every adopter was given the one intervention_year and pooled."""
    adoption = {A: 2008, B: 2012}
    spec = spec_for(
        panel(adoption=adoption),
        tmp_path,
        unit_model=adoption,
        intervention_year=2012,
        designs=["did", "its"],
    )
    t = compare(spec).table
    for code, year in adoption.items():
        for design in ("did", "its"):
            rows = t[(t["design"] == design) & t["treatment"].str.contains(f"({code})", regex=False)]
            assert len(rows) and set(rows["adoption_year"]) == {year}
            assert rows["period"].str.contains(f"vs post {year}").all()
    assert set(t.loc[t["design"].isin(["did", "its"]), "n_treatment"]) == {1}  # nothing pooled


def test_a_report_of_several_adopters_has_a_part_for_each(tmp_path):
    """Reproducer 4: cost lines stacked, unnamed ITS rows, one adopter charted against another's
    neighbours, a limitation contradicting the table."""
    from rsw_eval.report import build

    adoption = {A: 2008, B: 2012}
    spec = spec_for(panel(adoption=adoption), tmp_path, unit_model=adoption, designs=["did", "its"])
    data = build(compare(spec), "munro", generated="2026-01-01")
    ids = [s.id for s in data.sections]
    for code in adoption:
        assert f"did-{code}" in ids and f"trends-{code}" in ids
    did = next(s for s in data.sections if s.id == f"did-{B}")
    assert did.title.startswith(data.sections[ids.index(f"did-{B}")].title.split(":")[0])
    assert all(r[3].startswith("pre ") for r in did.rows)  # the years each row used
    text = " ".join(next(s for s in data.sections if s.id == "limitations").items)
    assert "2 unit-model authorities" in text and "one unit-model authority" not in text
    smallest = min(
        float(p) for s in data.sections if s.id.startswith("did-") for p in (r[5] for r in s.rows) if p
    )
    for k in range(5, 20):
        if f"with {k} placebos" in text:
            assert smallest >= 1 / (k + 1) - 1e-9  # the stated floor holds for what is shown


def test_a_window_bounds_the_years_and_every_period_lists_them(tmp_path):
    """Reproducer 5: added later years silently grew the post period and flipped the estimate."""
    frame = panel(adoption={A: 2008}, years=range(2004, 2013))
    later = panel(adoption={A: 2008}, years=range(2013, 2026), seed=9, effect=0.4)  # a reversal
    keys = dict(unit_model={A: 2008}, designs=["did"], pre_years=[2004, 2007], post_years=[2008, 2012])
    short = _did(compare(spec_for(frame, tmp_path, **keys)))
    long = _did(compare(spec_for(pd.concat([frame, later]), tmp_path, **keys)))
    assert (short["period"] == "pre 2004-2007 vs post 2008-2012").all()
    np.testing.assert_allclose(long["effect_size"], short["effect_size"])
    open_ended = compare(spec_for(pd.concat([frame, later]), tmp_path, unit_model={A: 2008}, designs=["did"]))
    assert (_did(open_ended)["period"] == "pre 2004-2007 vs post 2008-2025").all()
    events = open_ended.table[open_ended.table["design"] == "did_event"]
    assert set(events["event_time"]) == set(range(-4, 18))  # the event-time view shows the reversal


@pytest.mark.parametrize("designs", [["its"], ["staggered"], ["did"]])
def test_the_designs_asked_for_are_the_designs_that_run(tmp_path, designs):
    """Reproducer 6: before/after, DiD and cost rows ran (and entered the Holm family) whatever
    ``designs`` said."""
    adoption = {A: 2008, B: 2011}
    spec = spec_for(
        panel(adoption=adoption),
        tmp_path,
        unit_model=adoption,
        designs=designs,
        baseline_year=2006,
        followup_year=2010,
    )
    t = compare(spec).table
    ran = {d for d in t["design"] if not any(d.startswith(f"{asked}_") for asked in designs)}
    assert ran <= set(designs), ran  # did_event, did_sensitivity: views of the DiD asked for
    in_family = set(t.loc[t["adjustment"] != "", "design"])
    assert in_family <= set(designs)


def test_an_indicator_equal_everywhere_before_the_change_does_not_abort(tmp_path):
    """Reproducer 7: synthetic control raised "cannot convert float NaN to integer" and lost
    every result."""
    frame = panel(adoption={A: 2010})
    flat = (frame["indicator"] == "cp_plans_repeat_pct") & (frame["year"] < 2010)
    frame.loc[flat, "value"] = 20.0
    spec = spec_for(
        frame, tmp_path, unit_model={A: 2010}, designs=["did", "synthetic_control"], donors="not_using_model"
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # and no numpy warning escapes
        warnings.filterwarnings(
            "ignore", "no denominator in the data fits", RswEvalWarning
        )  # said: its panel
        r = compare(spec)
    skipped = r.skipped[
        (r.skipped["design"] == "synthetic_control") & (r.skipped["outcome"] == "cp_plans_repeat_pct")
    ]
    assert (
        len(skipped) == 1 and "the same for the treated authority and its donors" in skipped["reason"].iloc[0]
    )
    assert ((r.table["design"] == "did") & (r.table["outcome"] == "children_looked_after")).any()


def test_a_design_that_fails_on_one_indicator_loses_only_that_indicator(tmp_path, monkeypatch):
    """Any numerical failure of a design on one indicator becomes a skip record naming the file,
    indicator and design; the design's other indicators stand."""
    import rsw_eval.designs.did as did_module
    from rsw_eval.evaluation import _steps

    real = did_module.did

    def fragile(frame, *args, **kwargs):
        if "cp_plans_repeat_pct" in set(frame["indicator"]):
            raise ValueError("singular matrix")
        return real(frame, *args, **kwargs)

    monkeypatch.setattr(_steps, "did", fragile)
    spec = spec_for(panel(adoption={A: 2008}), tmp_path, unit_model={A: 2008}, designs=["did"])
    r = compare(spec)
    skip = r.skipped[r.skipped["outcome"] == "cp_plans_repeat_pct"].iloc[0]
    assert skip["design"] == "did" and "panel.csv" in skip["reason"] and "singular matrix" in skip["reason"]
    assert set(_did(r)["outcome"]) == {"children_looked_after"}


def test_staggered_with_no_estimable_adopter_is_a_skip_not_a_zero(tmp_path):
    """Reproducer 8: ATT 0 with "0 adopters, SE nan" and 28 leaked numpy warnings."""
    adoption = {A: 2008, B: 2009, C: 2010}
    frame = panel(adoption=adoption, years=range(2011, 2020))  # the series start after every adoption
    spec = spec_for(frame, tmp_path, unit_model=adoption, designs=["staggered"])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        warnings.filterwarnings(
            "ignore", "no denominator in the data fits", RswEvalWarning
        )  # said: its panel
        r = compare(spec)
    assert not (r.table["design"] == "staggered").any()
    reasons = r.skipped.loc[r.skipped["design"] == "staggered", "reason"]
    assert len(reasons) == 2 and reasons.str.contains("no adopter can be estimated").all()
    assert reasons.str.contains("3 of 3 adopters adopted by its first year").all()


def test_compare_and_report_take_the_same_authority_path(tmp_path, capsys):
    """``compare --authority X``, ``report --authority X`` and ``compare(spec, authority=X)``."""
    from rsw_eval.cli import main

    adoption = {A: 2008, B: 2012}
    spec = spec_for(panel(adoption=adoption), tmp_path, unit_model=adoption, designs=["did"])
    (tmp_path / "spec.toml").write_text(
        f'designs = ["did"]\nnot_counts = ["cp_plans_repeat_pct"]\n[unit_model]\n{A} = 2008\n{B} = 2012\n'
        '[data]\nadmin = ["panel.csv"]\n'
    )
    assert (
        main(
            [
                "compare",
                str(tmp_path),
                "--spec",
                str(tmp_path / "spec.toml"),
                "--authority",
                B,
                "--format",
                "csv",
            ]
        )
        == 0
    )
    printed = capsys.readouterr().out
    assert printed == compare(spec, authority=B).to_csv()
    out = tmp_path / "o"
    assert (
        main(
            [
                "report",
                str(tmp_path),
                "--spec",
                str(tmp_path / "spec.toml"),
                "--authority",
                B,
                "--style",
                "annual",
                "--format",
                "html",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    html = (out / "annual.html").read_text()
    row = _did(compare(spec, authority=B)).iloc[0]
    assert f"{row['effect_size']:.2f}" in html


def test_a_zero_variance_survey_item_loses_only_that_item(tmp_path):
    """Item 5: a survey item every parent answered alike aborted the parent survey's comparisons."""
    from rsw_eval.spec import load_spec
    from tests.conftest import SAMPLE

    parents = pd.read_csv(SAMPLE / "parent_survey.csv")
    parents["rating_overall"] = 4
    parents.to_csv(tmp_path / "p.csv", index=False)
    spec = load_spec({"unit_model": ["Unit-model LA"], "data": {"parent_survey": "p.csv"}}, data_dir=tmp_path)
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        r = compare(spec)
    skip = r.skipped[r.skipped["family"] == "parent"]
    assert list(skip["outcome"]) == ["rating_overall"] and "zero variance" in skip["reason"].iloc[0]
    others = r.table[(r.table["family"] == "parent") & (r.table["design"] == "cross_section")]
    assert {"rating_listened", "contact_rate"} <= set(others["outcome"])


def test_a_before_after_pair_that_ends_before_the_adoption_keeps_its_row_worded_so(tmp_path):
    """A spec-wide baseline/follow-up (Hackney's 2006->2010) gave a 2014 adopter a 'change since
    the model began' from years before it; then it was skipped, though a pair wholly after keeps its
    row (finding F6). Now it is a row, its note and reading 'both years before the model began',
    outside every multiplicity family as every before/after row, and nothing skips it."""
    spec = spec_for(
        panel(adoption={A: 2014}),
        tmp_path,
        unit_model={A: 2014},
        designs=["before_after"],
        baseline_year=2006,
        followup_year=2010,
    )
    r = compare(spec)
    rows = r.table[(r.table["design"] == "before_after") & r.table["comparison"].str.startswith("own")]
    said = "change 2006 to 2010, both years before the model began in 2014: not a before/after"
    assert len(rows) and rows["effect_size"].notna().all()
    assert rows["note"].str.contains(said, regex=False).all()
    assert rows["interpretation"].str.startswith("descriptive: " + said).all()
    assert (rows["question"] == "").all() and rows["p_adjusted"].isna().all()
    assert not (r.skipped["design"] == "before_after").any()


def test_a_benchmarked_council_has_one_reason_not_one_per_design(tmp_path):
    """Finding A9 (c): Croydon's 'What could not be estimated' repeated 'designs asks for did; it
    gave no rows and no reason' under the record that gives the reason."""
    spec = spec_for(panel(adoption={A: 2008}), tmp_path, unit_model={A: 2008}, designs=["did", "its"])
    skipped = compare(spec, authority=X).skipped
    assert not skipped["reason"].str.contains("no rows and no reason").any()
    assert skipped["reason"].str.contains("is not a unit-model authority").sum() == 1
