"""Disclosure control of reports and results files, end to end (the rules themselves:
tests/disclosure and tests/publication)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from rsw_eval.report._common import Section
from rsw_eval.report._protect import _totals


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
    said = dict(data.provenance)["Disclosure control"]
    # no DfE release among these files: the releases' rules are named, none applied, the fixed rule is
    assert said.startswith("DfE rules: each administrative count under the rule of the DfE release")
    assert "(none in these data)" in said and "counts from 1 to 7 suppressed" in said
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
    assert "inside a folder of published reports" in capsys.readouterr().err
    # findings-q18att F8: the folder is known by what rsw-eval wrote into it, not by a substring
    # of its path ("myreports/outcomes" is no reports/out; a report's folder of any name is one)
    other = tmp_path / "myreports" / "outcomes"
    other.mkdir(parents=True)
    args = ["compare", "data/sample", "--only", "cost", "--unprotected", "--out"]
    assert main([*args, str(other / "r.csv")]) == 0
    published = tmp_path / "published"
    assert (
        main(["report", "data/sample", "--style", "munro", "--format", "html", "--out", str(published)]) == 0
    )
    assert main([*args, str(published / "r.csv")]) == 2
    assert "inside a folder of published reports" in capsys.readouterr().err
    # findings-q19att N9: and the other way round, a report into the unprotected table's folder
    assert main(["report", "data/sample", "--style", "munro", "--format", "html", "--out", str(other)]) == 2
    assert "an unprotected results table" in capsys.readouterr().err
    # findings-q20att F4: or into a folder whose subfolder holds one (published with the folder)
    parent = tmp_path / "myreports"
    assert main(["report", "data/sample", "--style", "munro", "--format", "html", "--out", str(parent)]) == 2
    assert "outcomes/r.unprotected." in capsys.readouterr().err


def test_formula_cells_are_neutralised_in_results_files(tmp_path):
    from rsw_eval.evaluation.results import neutralise

    frame = neutralise(
        pd.DataFrame({"comparison": ["=HYPERLINK(1)", "+1", "@x", "\tA", "ok"], "v": [-1.0] * 5})
    )
    assert frame["comparison"].tolist() == ["'=HYPERLINK(1)", "'+1", "'@x", "'\tA", "ok"]
    assert frame["v"].tolist() == [-1.0] * 5


def test_published_figure_of_a_suppressed_row_is_not_shown(tmp_path):
    from rsw_eval.report import build

    results = _small_results(tmp_path)
    results.table.loc[results.table["comparison"] == "Tiny LA", "published_key"] = "reflection_units"
    data = build(results, "forrester", generated="2026-12-01")
    rows = {r[0]: r for r in next(s for s in data.sections if s.id == "published").rows}
    row = rows["Less than one in five staff from units felt similarly"]
    assert row[3] == "c" and row[4] == "not shown (small numbers)"
