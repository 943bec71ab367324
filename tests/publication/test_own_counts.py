"""A council's own count indicators (not on rsw-eval's list): declared in the spec's ``counts`` or
not declared at all, a planted small value never reaches any output (F1 of the disclosure attack:
an ``adoptions`` column was published raw by the synthetic-control yearly rows)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rsw_eval import RswEvalWarning, SpecError
from rsw_eval.disclosure import rule_set
from rsw_eval.publication import count_rules, protect_panel
from rsw_eval.spec import EvaluationSpec
from tests.publication._data import COMPARATORS, TREATED, YEARS, Panel, run_all, spec
from tests.publication.test_attacker import _differences

EXTRA = {"adoptions": 20, "s47_enquiries": 60}


def _panel(planted: dict) -> pd.DataFrame:
    return Panel(planted, extra=EXTRA).frame().assign(source="panel.csv", flag="")


def test_an_undeclared_whole_number_indicator_is_protected_as_a_count_and_said():
    panel = _panel({(TREATED, 2012, "adoptions"): 2.0})
    spec_ = EvaluationSpec(counts=("s47_enquiries",), data={"admin": ["panel.csv"]})
    rules, said = count_rules(spec_, panel, rule_set())
    assert said == {
        "counts_declared": ["s47_enquiries"],
        "counts_inferred": ["adoptions"],
        "counts_binary": [],
        "counts_odd_values": {},
        "counts_not_inferred": {},
        "rates_kept_as_counts": [],
        "rates_declared": [],
        "rates_guarded": [],
        "rates_guarded_by_value": [],
        "rates_unchecked": {},
        "rates_dfe_unexplained": [],
        "rates_denominator_doubtful": {},
    }
    assert "sickness_days_per_fte" not in rules.counts and "population_0_17" not in rules.counts
    out, _ = protect_panel(panel, rules)
    hit = (out["la_code"] == TREATED) & (out["year"] == 2012) & (out["indicator"] == "adoptions")
    assert out.loc[hit, "value"].isna().all() and (out.loc[hit, "flag"] == "c").all()


def test_not_counts_opts_out_and_names_are_checked():
    panel = _panel({})
    base = {"data": {"admin": ["panel.csv"]}}
    rules, said = count_rules(EvaluationSpec(not_counts=("adoptions",), **base), panel, rule_set())
    assert "adoptions" not in rules.counts and said["counts_inferred"] == ["s47_enquiries"]
    with pytest.raises(SpecError, match="'adoption'.*did you mean 'adoptions'"):
        count_rules(EvaluationSpec(counts=("adoption",), **base), panel, rule_set())
    with pytest.raises(SpecError, match="one of rsw-eval's own counts"):
        count_rules(EvaluationSpec(not_counts=("residential_placements",), **base), panel, rule_set())
    with pytest.raises(SpecError, match="declared a count but holds"):
        count_rules(EvaluationSpec(counts=("sickness_days_per_fte",), **base), panel, rule_set())
    with pytest.raises(SpecError, match="both name"):
        EvaluationSpec(counts=("adoptions",), not_counts=("adoptions",), **base)


@pytest.mark.parametrize("odd", [12.5, -1.0], ids=["typo", "missing-code"])
def test_a_stray_value_does_not_switch_count_inference_off(odd):
    """disclosure2 G5: one 12.5 (or a council's missing-value code -1) in another authority-year
    left s47_enquiries = 3 published, with nothing said."""
    panel = _panel({(TREATED, 2012, "s47_enquiries"): 3.0, (COMPARATORS[0], 2010, "s47_enquiries"): odd})
    with pytest.warns(RswEvalWarning, match=r"s47_enquiries holds 1 value that is no whole number") as caught:
        rules, said = count_rules(EvaluationSpec(data={"admin": ["panel.csv"]}), panel, rule_set())
    assert "s47_enquiries" in said["counts_inferred"]
    assert said["counts_odd_values"] == {"s47_enquiries": 1}
    assert f"{odd:g}" not in " ".join(str(w.message) for w in caught)  # never a cell's value (q4disc Q5)
    out, _ = protect_panel(panel, rules)
    hit = (out["la_code"] == TREATED) & (out["year"] == 2012) & (out["indicator"] == "s47_enquiries")
    assert out.loc[hit, "value"].isna().all()


def test_a_column_of_many_odd_values_is_no_count():
    panel = _panel({})
    many = panel["indicator"].eq("s47_enquiries") & panel["year"].isin(YEARS[:3])
    panel.loc[many, "value"] += 0.5  # 3 years of 13: a measure, not a count with a typo
    rules, said = count_rules(EvaluationSpec(data={"admin": ["panel.csv"]}), panel, rule_set())
    assert "s47_enquiries" not in said["counts_inferred"]


def test_an_unknown_declared_count_exits_2(tmp_path):
    from rsw_eval.cli import main

    s = spec(tmp_path, survey=None, panel=Panel(extra=EXTRA))
    s["counts"] = ["adopshuns"]
    from tests.publication._data import _toml

    (tmp_path / "spec.toml").write_text(_toml(s))
    assert main(["compare", "--spec", str(tmp_path / "spec.toml"), "--out", str(tmp_path / "r.csv")]) == 2


CELLS = [(code, year, name) for code in (TREATED, *COMPARATORS[:2]) for year in YEARS[6::3] for name in EXTRA]


@st.composite
def planted(draw):
    """1-2 small values of the council's own counts, a different small value for the twin, and
    whether the spec declares them."""
    cells = draw(st.lists(st.sampled_from(sorted(CELLS)), min_size=1, max_size=2, unique=True))
    first = {c: float(draw(st.integers(1, 5))) for c in cells}
    second = {c: float(v % 5 + 1) for c, v in first.items()}
    return draw(st.booleans()), first, second


@settings(
    derandomize=True,
    database=None,
    max_examples=max(int(os.environ.get("RSW_ATTACK_EXAMPLES", "4")) // 3, 1),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(planted())
def test_no_output_depends_on_a_small_value_of_a_councils_own_count(case):
    declared, first, second = case
    runs = []
    with tempfile.TemporaryDirectory() as tmp:
        for k, cells in enumerate((first, second)):
            folder = Path(tmp) / f"run{k}"
            folder.mkdir()
            s = spec(folder, survey=None, panel=Panel(cells, extra=EXTRA))
            s["designs"] = ["before_after", "did", "synthetic_control"]
            s["derived"] = {**s["derived"], "adoption_rate": "adoptions / population_0_17 * 10000"}
            if declared:
                s["counts"] = sorted(EXTRA)
            runs.append(run_all(folder, s, reports=("annual",)))
    assert _differences(runs[0].texts, runs[1].texts) == []
    shown = runs[0].csv
    for (code, year, name), value in first.items():
        rows = shown[(shown["outcome"] == name) & (shown["period"].astype(str) == str(year))]
        assert not (rows["value_treatment"] == value).any(), (code, year, name)


def test_a_unit_word_inside_a_count_name_does_not_make_it_no_count():
    """disclosure2 G1: the unit fragments matched inside words, so 7 of 8 ordinary count names
    (regist-ratio-ns, age-ncy, sepa-rate-d, a-fte-r, engage-ments, teen-age, means) were published raw."""
    from rsw_eval.publication._counts import inferred_counts

    names = [
        "cp_registrations", "agency_placements", "separated_children", "returned_home_after_care",
        "early_help_engagements", "teenage_conceptions", "means_tested_support", "missing_episodes",
    ]  # fmt: skip
    units = [
        "population_0_17", "inpost_fte", "spend_per_child", "adopted_pct", "turnover_rate",
        "ofsted_grade", "mean_score", "sickness_days_per_fte", "unit_costs", "cla_rate_per_10k",
    ]  # fmt: skip
    p = pd.DataFrame({"indicator": names + units, "value": 2.0, "source": "panel.csv"})
    assert inferred_counts(p, frozenset()) == sorted(names)


def test_a_band_of_children_by_duration_is_a_count_and_can_be_declared():
    """q22att F3: 'years' made DfE's 2_years_or_more (children on a plan for 2 years or more) no
    count, so a 3 was published; and a spec could not declare it (not a Python identifier)."""
    from rsw_eval.publication._counts import inferred_counts
    from rsw_eval.spec import load_spec

    bands = ["2_years_or_more", "1_year_less_than_2_years", "3_months_or_less"]
    times = ["sickness_days_per_fte", "working_days_lost", "years_in_care"]
    p = pd.DataFrame({"indicator": bands + times, "value": 3.0, "source": "own.csv"})
    assert inferred_counts(p, frozenset()) == sorted(bands)
    declared = load_spec(
        {"title": "t", "unit_model": ["E09000012"], "counts": bands, "data": {"admin": ["p.csv"]}}
    )
    assert list(declared.counts) == bands


def test_a_column_of_zeros_only_or_ones_only_is_no_flag():
    """att7 low 3: DfE's CLA_YJLS, 0 in every authority of a neighbour group, was taken as a 0/1
    indicator and printed 0.0%; a column of 1s only may be a count of 1 everywhere. A flag holds
    both."""
    from rsw_eval.publication._counts import inferred_counts

    for values in ([0.0] * 6, [1.0] * 6):
        panel = pd.DataFrame({"indicator": "cla_yjls", "value": values, "source": "f"})
        assert inferred_counts(panel, frozenset(), binary=True) == []
        assert inferred_counts(panel, frozenset()) == ["cla_yjls"]
