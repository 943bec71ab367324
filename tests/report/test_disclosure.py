"""Disclosure control: primary rules and secondary suppression checked by solving."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

from rsw_eval import RswEvalError
from rsw_eval.disclosure import protect, suppress_counts


def _row(**values):
    base = {
        "outcome": "x",
        "design": "cross_section",
        "family": "worker",
        "measure": "mean",
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
        "suppressed": False,
    }
    base.update(values)
    return base


def test_small_group_suppresses_the_whole_row():
    out, log = protect(pd.DataFrame([_row(n_comparison=3)]))
    assert out.loc[0, ["n_comparison", "value_comparison", "effect_size", "ci_low"]].isna().all()
    assert out.loc[0, "n_treatment"] == 40 and bool(out.loc[0, "suppressed"])
    assert "rule 1" in log[0].reason


def test_small_numerator_of_a_proportion():
    # 0.05 of 40 = 2 people: the proportion and everything derived from it goes
    out, _ = protect(pd.DataFrame([_row(measure="proportion", value_treatment=0.05, value_comparison=0.5)]))
    assert out.loc[0, ["value_treatment", "difference", "effect_size"]].isna().all()
    # 0.975 of 40 = 39: the complement (1 person) is small too
    out, _ = protect(pd.DataFrame([_row(measure="proportion", value_treatment=0.975, value_comparison=0.5)]))
    assert bool(out.loc[0, "suppressed"])


def test_zero_is_shown():
    out, log = protect(pd.DataFrame([_row(measure="proportion", value_treatment=0.0, value_comparison=0.5)]))
    assert out.loc[0, "value_treatment"] == 0.0 and not log


def test_small_admin_counts():
    row = _row(
        family="admin",
        design="before_after",
        outcome="residential_placements",
        measure="percent_change",
        n_treatment=np.nan,
        n_comparison=np.nan,
        value_treatment=4.0,
        value_comparison=9.0,
    )
    out, log = protect(pd.DataFrame([row]))
    assert out.loc[0, ["value_treatment", "value_comparison", "effect_size"]].isna().all()
    assert "rule 3" in log[0].reason


def test_authorities_are_not_people():
    row = _row(family="admin", design="did", outcome="sickness_days_per_fte", n_treatment=1)
    out, log = protect(pd.DataFrame([row]))
    assert not log and out.loc[0, "effect_size"] == 0.4


def test_identifiers_refused():
    with pytest.raises(RswEvalError, match=r"identifier columns must never reach a report: \['case_id'\]"):
        protect(pd.DataFrame([{**_row(), "case_id": "F1"}]))


@pytest.mark.parametrize("seed", range(20))
def test_secondary_suppression_leaves_nothing_to_solve(seed):
    rng = np.random.default_rng(seed)
    counts = pd.DataFrame(rng.integers(0, 30, size=(5, 4)))
    counts.iloc[rng.integers(0, 5), rng.integers(0, 4)] = int(rng.integers(1, 6))
    values, mask = suppress_counts(counts, 5)
    m = mask.to_numpy()
    small = (counts.to_numpy() >= 1) & (counts.to_numpy() <= 5)
    assert (m | ~small).all()  # every small count is suppressed
    # solving: a row or column with a single hidden cell gives it away by subtraction; a line with
    # a hidden cell and no other non-zero cell to hide is the only allowed exception
    for axis, k in itertools.chain(((1, r) for r in range(m.shape[0])), ((0, c) for c in range(m.shape[1]))):
        line = m[k] if axis == 1 else m[:, k]
        vals = counts.to_numpy()[k] if axis == 1 else counts.to_numpy()[:, k]
        if line.sum() == 1:
            assert not ((~line) & (vals > 0)).any()
    assert values.isna().to_numpy().sum() == m.sum()


# -- issue 14: disclosure over the whole report -----------------------------------------------------
from rsw_eval.disclosure import group_counts, protect_series, protect_table, rule_set  # noqa: E402
from rsw_eval.report._common import Section  # noqa: E402
from rsw_eval.report._protect import _totals  # noqa: E402


def _family(parts, unit_n=40, measure="mean", outcome="x"):
    """A pooled row and one row per authority: (name, n, value)."""
    total = sum(n for _, n, _ in parts)
    pooled = sum(n * v for _, n, v in parts) / total
    rows = [("all conventional", total, pooled), *parts]
    return [
        _row(
            outcome=outcome,
            measure=measure,
            treatment="U",
            comparison=c,
            n_treatment=unit_n,
            n_comparison=n,
            value_comparison=v,
            p_value=0.01 * (i + 1),
            p_adjusted=0.03 * (i + 1),
            primary=True,
        )
        for i, (c, n, v) in enumerate(rows)
    ]


def test_pooled_row_is_a_total_in_secondary_suppression():
    # cell by cell, pooled (33 people, mean 2.0) less A (30, 2.1) gives back B: 3 people, mean 1.0
    out, log = protect_table(pd.DataFrame(_family([("A", 30, 2.1), ("B", 3, 1.0)])))
    rows = out.set_index("comparison")
    assert (
        rows.loc[["A", "B"], ["n_comparison", "value_comparison", "p_value", "p_adjusted"]].isna().all().all()
    )
    assert rows.loc["all conventional", "n_comparison"] == 33  # the headline comparison stays
    assert any("rule 7" in s.reason for s in log)


def test_pooled_row_goes_when_no_part_can_hide_it():
    # the only authority is small: the pooled row is that authority
    out, _ = protect_table(pd.DataFrame(_family([("B", 3, 1.0)])))
    assert out["n_comparison"].isna().all() and out["value_comparison"].isna().all()


def test_p_values_and_statistics_of_suppressed_rows_go():
    out, _ = protect_table(pd.DataFrame([_row(n_comparison=3, p_value=0.04, p_adjusted=0.08, df=41.0)]))
    assert out.loc[0, ["p_value", "p_adjusted", "df", "statistic"]].isna().all()


def test_adjusted_p_that_is_a_multiple_of_a_suppressed_p_goes():
    # Holm: the shown adjusted p 0.12 = 3 x 0.04, the suppressed row's raw p
    rows = [
        _row(comparison="B", n_comparison=3, p_value=0.04, p_adjusted=0.12),
        _row(comparison="C", outcome="y", p_value=0.05, p_adjusted=0.12),
        _row(comparison="D", outcome="z", p_value=0.5, p_adjusted=0.5),
    ]
    out, log = protect_table(pd.DataFrame(rows))
    assert np.isnan(out.loc[1, "p_adjusted"]) and out.loc[2, "p_adjusted"] == 0.5
    assert any("multiple of a suppressed p-value" in s.reason for s in log)


def test_groups_of_the_respondents_table_are_suppressed_everywhere():
    # respondents table: U 20, A 3, B 100 -> A (primary) and U (next smallest) suppressed; every
    # outcome row then hides U's n, and the pooled n (the Total less it would give U back)
    table = pd.DataFrame(
        _family([("A", 3, 1.0), ("B", 100, 2.0)], unit_n=20, outcome="ghq_score")
        + _family([("A", 3, 1.5), ("B", 100, 2.5)], unit_n=20, outcome="job_satisfaction")
    )
    _, mask = suppress_counts(group_counts(table), 5)
    assert mask["workers"].to_dict() == {"U (unit model)": True, "A": True, "B": False}
    out, _ = protect_table(table)
    assert out["n_treatment"].isna().all()
    assert out.loc[out["comparison"] == "all conventional", "n_comparison"].isna().all()


def test_rates_follow_their_counts_in_the_table_and_the_series():
    rows = [
        _row(
            family="admin",
            design="before_after",
            outcome=o,
            measure="percent_change",
            comparison="own",
            n_treatment=np.nan,
            n_comparison=np.nan,
            value_treatment=v,
            value_comparison=9.0,
            period="2006->2009",
        )
        for o, v in (("children_looked_after", 4.0), ("cla_rate_per_10k", 2.0))
    ]
    out, _ = protect_table(pd.DataFrame(rows))
    assert out[["value_treatment", "value_comparison", "effect_size"]].isna().all().all()
    s = pd.DataFrame(
        {
            "la_code": "A",
            "year": 2010,
            "indicator": ["population_0_17", "cla_rate_per_10k"],
            "value": [20_000.0, 3.0],
        }
    )  # 3 per 10,000 of 20,000 = 6 children: shown
    assert not protect_series(s)["suppressed"].any()
    s["value"] = [20_000.0, 2.0]  # = 4 children, no count in the series: the rate gives it away
    assert protect_series(s)["suppressed"].tolist() == [False, True]


def test_dfe_rules_suppress_1_to_7_and_round_sub_national_counts_from_2012():
    s = pd.DataFrame(
        {
            "la_code": "A",
            "year": [2011, 2012, 2013],
            "indicator": "children_looked_after",
            "value": [123.0, 123.0, 7.0],
            "role": "treated",
        }
    )
    out = protect_series(s, rules=rule_set("dfe"))
    assert out["value"].tolist()[:2] == [123.0, 125.0] and np.isnan(out["value"].iloc[2])
    assert protect_series(s)["value"].tolist() == [123.0, 123.0, 7.0]  # default: 7 > 5 is shown


def test_printed_table_with_a_total_gets_a_second_hidden_cell():
    s = Section(
        "t",
        "T",
        "table",
        columns=("Authority", "Workers"),
        rows=(("U", "40"), ("A", "c"), ("B", "30"), ("C", "60"), ("Total", "133")),
    )
    assert [r[1] for r in _totals(s, 5).rows] == ["40", "c", "c", "60", "133"]


def _small_results(tmp_path, rules="default"):
    from rsw_eval.evaluation.engine import compare
    from rsw_eval.spec import load_spec

    rng = np.random.default_rng(3)
    rows = []
    for la, model, n in (
        ("Unit LA", "unit", 40),
        ("Big LA", "conventional", 30),
        ("Tiny LA", "conventional", 3),
    ):
        for i in range(n):
            rows.append(
                {
                    "respondent_id": f"W{la[:3]}{i}",
                    "authority": la,
                    "model": model,
                    "unit": f"{la[:3]}{i // 5}",
                    "ghq_score": float(rng.integers(0, 30)),
                    "no_time_for_reflection": "yes" if i % 3 == 0 else "no",
                }
            )
    pd.DataFrame(rows).to_csv(tmp_path / "w.csv", index=False)
    spec = load_spec(
        {
            "unit_model": ["Unit LA"],
            "synthetic": True,
            "disclosure_rules": rules,
            "data": {"worker_survey": "w.csv"},
        },
        data_dir=tmp_path,
    )
    return compare(spec)


def test_report_publishes_nothing_that_gives_back_the_small_authority(tmp_path):
    from rsw_eval.report import build

    results = _small_results(tmp_path)
    data = build(results, "forrester", generated="2026-12-01")
    for section in data.sections:
        if section.columns and section.columns[2:3] == ("n (unit / comparison)",):
            by_outcome = {}
            for r in section.rows:
                by_outcome.setdefault(r[0], []).append(r)
            for outcome, rows in by_outcome.items():
                parts = [r for r in rows if r[1] != "all conventional"]
                hidden = [r for r in parts if r[2].endswith("/ c")]
                assert len(hidden) in (0, len(parts)) or len(hidden) >= 2, outcome
                for r in hidden:  # no p-value, effect or share on a suppressed row
                    assert r[7] == "" and r[8] == "" and r[4] == "c", (outcome, r)
    samples = next(s for s in data.sections if s.id == "samples")
    assert [r[1] for r in samples.rows] == ["40", "c", "c", "73"]
    assert dict(data.provenance)["Disclosure control"].startswith("rsw-eval default: counts from 1 to 5")


def test_report_says_when_the_dfe_rules_applied(tmp_path):
    from rsw_eval.report import build

    data = build(_small_results(tmp_path, "dfe"), "forrester", generated="2026-12-01")
    assert dict(data.provenance)["Disclosure control"].startswith("DfE rules: counts from 1 to 7")
    assert data.threshold == 7


def test_results_file_is_the_protected_table_by_default(tmp_path):
    results = _small_results(tmp_path)
    path = results.write(tmp_path / "r.csv")
    back = pd.read_csv(path)
    tiny = back[back["comparison"] == "Tiny LA"]
    assert tiny["suppressed"].all() and tiny["n_comparison"].isna().all() and tiny["p_value"].isna().all()
    assert "disclosure" not in back
    raw = pd.read_csv(results.write(tmp_path / "raw.csv", protected=False))
    assert (
        raw["disclosure"].str.startswith("UNPROTECTED").all()
        and raw.loc[tiny.index, "n_comparison"].eq(3).all()
    )


def test_cli_unprotected_is_named_so_and_kept_out_of_reports(tmp_path, capsys):
    from rsw_eval.cli import main

    assert (
        main(["compare", "data/sample", "--only", "cost", "--out", str(tmp_path / "r.csv"), "--unprotected"])
        == 0
    )
    assert "UNPROTECTED" in capsys.readouterr().err and (tmp_path / "r.unprotected.csv").is_file()
    (tmp_path / "reports" / "out").mkdir(parents=True)
    target = tmp_path / "reports" / "out" / "r.csv"
    assert main(["compare", "data/sample", "--only", "cost", "--out", str(target), "--unprotected"]) == 2
    assert "inside reports/out" in capsys.readouterr().err


def test_formula_cells_are_neutralised_in_results_files(tmp_path):
    from rsw_eval.evaluation.results import neutralise

    frame = neutralise(
        pd.DataFrame({"comparison": ["=HYPERLINK(1)", "+1", "@x", "\tA", "ok"], "v": [-1.0] * 5})
    )
    assert frame["comparison"].tolist() == ["'=HYPERLINK(1)", "'+1", "'@x", "'\tA", "ok"]
    assert frame["v"].tolist() == [-1.0] * 5


def test_words_quoting_a_suppressed_statistic_go_with_it():
    row = _row(
        n_comparison=3,
        p_value=0.04,
        p_adjusted=0.076,
        reproduced=True,
        interpretation="small effect; not statistically significant (holm-adjusted p = 0.076)",
    )
    out, _ = protect_table(pd.DataFrame([row]))
    assert out.loc[0, "interpretation"] == "" and out.loc[0, "reproduced"] is None


def test_no_sentence_or_cell_of_a_report_holds_a_suppressed_statistic():
    from rsw_eval.report._common import ReportData
    from rsw_eval.report._protect import HIDDEN_TEXT, protect_report

    raw = pd.DataFrame([_row(comparison="B", n_comparison=3, value_comparison=1.37, p_value=0.0421)])
    table, _ = protect_table(raw)
    data = ReportData(
        "forrester",
        "T",
        "",
        False,
        "2026-12-01",
        ("B's workers scored 1.37 on average.", "Unit scored 3.00."),
        (Section("s", "S", "table", columns=("a", "p"), rows=(("B", "0.042"),), note="p = 0.042"),),
        (),
        (),
        (),
    )
    out = protect_report(data, rule_set(), raw, table)
    assert out.summary == (HIDDEN_TEXT, "Unit scored 3.00.")
    assert out.sections[0].rows == (("B", "c"),) and out.sections[0].note == HIDDEN_TEXT


def test_published_figure_of_a_suppressed_row_is_not_shown(tmp_path):
    from rsw_eval.report import build

    results = _small_results(tmp_path)
    results.table.loc[results.table["comparison"] == "Tiny LA", "published_key"] = "reflection_units"
    data = build(results, "forrester", generated="2026-12-01")
    rows = {r[0]: r for r in next(s for s in data.sections if s.id == "published").rows}
    row = rows["Less than one in five staff from units felt similarly"]
    assert row[3] == "c" and row[4] == "not shown (small numbers)"
