"""The results table as published: each rule on small tables of the engine's row shapes (the
attacker tests in test_attacker.py and test_property.py run the real engine)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from rsw_eval import RswEvalError
from rsw_eval.disclosure import rule_set
from rsw_eval.publication import column_role, protect_table


def _row(**values):
    base = {
        "outcome": "x",
        "design": "cross_section",
        "family": "worker",
        "measure": "mean",
        "treatment": "U",
        "comparison": "B",
        "n_treatment": 40,
        "n_comparison": 40,
        "value_treatment": 3.0,
        "value_comparison": 2.0,
        "difference": 1.0,
        "difference_ci_low": 0.5,
        "difference_ci_high": 1.5,
        "effect_size": 0.4,
        "ci_low": 0.1,
        "ci_high": 0.7,
        "statistic": 2.0,
        "ci_level": 0.95,
        "primary": True,
        "suppressed": False,
    }
    base.update(values)
    return base


def _protect(rows, rules=None):
    out, log, *_ = protect_table(pd.DataFrame(rows), rules or rule_set())
    return out, log


def _family(parts, unit_n=40, measure="mean", outcome="x", events=None):
    """A pooled row and one row per authority: (name, n, value)."""
    total = sum(n for _, n, _ in parts)
    pooled = sum(n * v for _, n, v in parts) / total
    rows = [("all conventional", total, pooled), *parts]
    return [
        _row(
            outcome=outcome,
            measure=measure,
            comparison=c,
            n_treatment=unit_n,
            n_comparison=n,
            value_comparison=v,
            value_treatment=0.5 if measure == "proportion" else 3.0,
            p_value=0.011 * (i + 1),
            p_adjusted=0.0317 * (i + 1) + 0.001,
        )
        for i, (c, n, v) in enumerate(rows)
    ]


def test_small_group_suppresses_its_side_and_every_statistic():
    out, log = _protect(_family([("A", 30, 2.1), ("B", 3, 1.0), ("C", 30, 2.0)]))
    b = out.set_index("comparison").loc["B"]
    assert (
        b[["n_comparison", "value_comparison", "effect_size", "ci_low", "p_value", "statistic"]].isna().all()
    )
    assert b["n_treatment"] == 40 and b["value_treatment"] == 3.0 and bool(b["suppressed"])
    assert b["ci_level"] == 0.95  # a stated level is not computed from the counts


def test_small_numerator_or_complement_of_a_share():
    # 0.05 of 40 = 2 people: the share and everything derived from it goes; n stays
    out, _ = _protect([_row(measure="proportion", value_treatment=0.05, value_comparison=0.5)])
    assert out.loc[0, ["value_treatment", "difference", "effect_size"]].isna().all()
    assert out.loc[0, "n_treatment"] == 40
    # 0.975 of 40 = 39: the complement (1 person) is small too
    out, _ = _protect([_row(measure="proportion", value_treatment=0.975, value_comparison=0.5)])
    assert bool(out.loc[0, "suppressed"]) and np.isnan(out.loc[0, "value_treatment"])


def test_zero_is_shown():
    out, log = _protect([_row(measure="proportion", value_treatment=0.0, value_comparison=0.5)])
    assert out.loc[0, "value_treatment"] == 0.0 and not log


def test_authorities_are_not_people():
    out, log = _protect([_row(family="admin", design="did", outcome="sickness_days_per_fte", n_treatment=1)])
    assert not log and out.loc[0, "effect_size"] == 0.4


def test_an_admin_count_from_1_to_t_left_in_a_row_goes_with_its_statistics():
    row = _row(
        family="admin",
        design="synthetic_control",
        outcome="residential_placements",
        value_treatment=4.0,
        value_comparison=20.0,
    )
    out, _ = _protect([row])
    assert (
        out.loc[0, ["value_treatment", "effect_size"]].isna().all() and out.loc[0, "value_comparison"] == 20
    )


def test_identifiers_refused():
    with pytest.raises(RswEvalError, match=r"identifier columns must never reach a report: \['case_id'\]"):
        _protect([{**_row(), "case_id": "F1"}])


def test_new_numeric_columns_are_protected_by_their_role_not_a_list():
    assert column_role("mde_80") == ("statistic", None)
    assert column_role("sensitivity_breakdown") == ("statistic", None)
    assert column_role("pretrend_value_treatment") == ("value", "treatment")
    rows = [{**r, "mde_80": 0.3, "sensitivity_lo": -0.2} for r in _family([("A", 30, 2.1), ("B", 3, 1.0)])]
    out, _ = _protect(rows)
    hidden = out["n_comparison"].isna()
    assert out.loc[hidden, ["mde_80", "sensitivity_lo"]].isna().all().all()
    assert out.loc[~hidden, ["mde_80", "sensitivity_lo"]].notna().all().all()


def test_pooled_row_is_a_total_secondary_suppression_hides_another_authority():
    # cell by cell, pooled (33 people) less A (30) gives back B (3): A goes too; the pooled row stays
    out, log = _protect(_family([("A", 30, 2.1), ("B", 3, 1.0)]))
    rows = out.set_index("comparison")
    assert (
        rows.loc[["A", "B"], ["n_comparison", "value_comparison", "p_value", "p_adjusted"]].isna().all().all()
    )
    assert rows.loc["all conventional", "n_comparison"] == 33
    assert rows.loc["all conventional", "value_comparison"] == pytest.approx((30 * 2.1 + 3) / 33)


def test_pooled_row_goes_when_no_authority_can_hide_it():
    out, _ = _protect(_family([("B", 3, 1.0)]))
    assert out["n_comparison"].isna().all() and out["value_comparison"].isna().all()


def test_three_rows_per_binary_comparison_are_one_group():
    # risk difference, odds ratio and Cohen's h rows share the counts: all three hide together
    rows = []
    for name in ("risk_difference", "odds_ratio", "cohens_h"):
        rows += [
            {**r, "effect_size_name": name}
            for r in _family([("A", 30, 10 / 30), ("B", 9, 2 / 9), ("C", 40, 20 / 40)], measure="proportion")
        ]
    out, _ = _protect(rows)
    b = out[out["comparison"] == "B"]
    assert b["value_comparison"].isna().all() and b["effect_size"].isna().all()
    # the pooled share less the shown authorities' events gives B's 2 unless another share goes
    shown = out[(out["comparison"].isin(["A", "C"])) & out["value_comparison"].notna()]
    assert shown["comparison"].nunique() <= 1
    assert out.groupby("comparison")["value_comparison"].apply(lambda v: v.isna().nunique() == 1).all()


def test_no_shown_adjusted_p_depends_on_a_suppressed_p():
    # Holm: the shown adjusted p 0.12 = 3 x 0.04, the suppressed row's raw p; and every shown
    # row's Holm multiplier depends on how many suppressed p-values are below its own
    rows = [
        _row(
            comparison="B",
            n_comparison=3,
            p_value=0.04,
            p_adjusted=0.12,
            adjustment="holm over 3",
            interpretation="",
        ),
        _row(comparison="C", outcome="y", p_value=0.05, p_adjusted=0.12, adjustment="holm over 3"),
        _row(comparison="D", outcome="z", p_value=0.5, p_adjusted=0.5, adjustment="holm over 3"),
    ]
    out, _, *_ = protect_table(pd.DataFrame(rows), rule_set(), reinterpret=lambda r: ["reworded"] * len(r))
    assert np.isnan(out.loc[0, "p_adjusted"])
    assert out.loc[1:, "p_adjusted"].tolist() == pytest.approx([0.15, 1.0])  # Bonferroni over 3
    assert out.loc[1, "adjustment"].startswith("bonferroni over 3 worker tests")
    assert out.loc[1, "interpretation"] == "reworded"
    # a family without a suppressed row keeps its adjustment
    out, _ = _protect(rows[1:])
    assert out["p_adjusted"].tolist() == [0.12, 0.5]


def test_the_log_says_where_not_which_cell_was_small():
    out, log = _protect(_family([("A", 30, 2.1), ("B", 3, 1.0), ("C", 40, 2.2)]))
    assert len({s.reason for s in log}) == 1
    where = {s.where: s.columns for s in log}
    # the small authority and the one hidden to protect it read alike
    hidden = [w for w in where if w.endswith(("/ A", "/ B", "/ C"))]
    assert len(hidden) == 2 and len({where[w] for w in hidden}) == 1
    assert log == sorted(log, key=lambda s: (s.where, s.columns))


def test_words_quoting_a_suppressed_statistic_go_with_it():
    row = _row(
        n_comparison=3,
        p_value=0.04,
        p_adjusted=0.076,
        reproduced=True,
        note="one unit-model authority; Poisson dispersion 1.37",
        interpretation="small effect; not statistically significant (holm-adjusted p = 0.076)",
    )
    out, _ = _protect([row])
    assert out.loc[0, "interpretation"] == "" and out.loc[0, "reproduced"] is None
    assert out.loc[0, "note"] == "one unit-model authority"


def test_dfe_threshold_is_seven():
    out, _ = _protect(_family([("A", 30, 2.1), ("B", 7, 1.0), ("C", 40, 2.2)]), rule_set("dfe"))
    assert out.set_index("comparison").loc["B", ["n_comparison", "value_comparison"]].isna().all()


@pytest.mark.parametrize("threshold", [0, -1, 2.5, True, 10**20, 2**63])
def test_a_threshold_below_1_or_beyond_any_count_is_an_error(threshold):
    with pytest.raises(ValueError, match="disclosure_threshold must be a whole number from 1"):
        rule_set("default", threshold)


@pytest.mark.parametrize("threshold", [0, 10**20])  # q18att F5: beyond 64 bits was a traceback
def test_a_spec_threshold_below_1_or_beyond_any_count_is_an_error(tmp_path, threshold):
    from rsw_eval import SpecError
    from rsw_eval.spec import load_spec

    (tmp_path / "c.csv").write_text("la_code,year,cost_line,amount_gbp\n")
    with pytest.raises(SpecError, match="disclosure_threshold must be a whole number from 1"):
        load_spec({"disclosure_threshold": threshold, "data": {"costs": "c.csv"}}, data_dir=tmp_path)


def test_a_multilevel_row_of_fewer_people_keeps_the_pooled_relation():
    # the multilevel row counts the 60 workers with a unit; the cross-section's pooled row (63) is
    # still the sum of its authorities, so B (3) needs another authority hidden
    rows = _family([("A", 30, 2.1), ("B", 3, 1.0), ("C", 30, 2.0)])
    rows.append(
        _row(design="multilevel", comparison="all conventional", n_comparison=60, value_comparison=2.0)
    )
    out, _ = _protect(rows)
    cs = out[out["design"] == "cross_section"].set_index("comparison")
    assert cs.loc["B", "n_comparison"] != cs.loc["B", "n_comparison"]  # NaN
    assert cs.loc[["A", "C"], "n_comparison"].isna().sum() == 1
