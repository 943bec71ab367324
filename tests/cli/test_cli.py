"""The rsw-eval command line: exit codes, one line per problem, no tracebacks."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest

from rsw_eval import __version__
from rsw_eval.cli import main
from tests.conftest import SAMPLE


def test_version(capsys):
    with pytest.raises(SystemExit) as info:
        main(["--version"])
    assert info.value.code == 0
    assert capsys.readouterr().out.strip() == f"rsw-eval {__version__}"


def test_help_lists_commands(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    assert "validate" in out and "sample" in out


def test_validate_sample(capsys):
    assert main(["validate", str(SAMPLE / "worker_survey.csv"), "--kind", "worker_survey"]) == 0
    out = capsys.readouterr().out
    assert "300 rows" in out and "no problems found" in out
    assert "ghq_score" in out
    assert "W1001" not in out  # identifiers are counted, never printed


def test_validate_bad_file_one_line_per_problem(write, capsys):
    path = write("w.csv", "respondent_id,authority,model,job_satisfaction\nw1,A,martian,9\n")
    assert main(["validate", str(path), "--kind", "worker_survey"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 2
    assert all(line.startswith("rsw-eval: error: ") for line in err)
    assert "Traceback" not in "".join(err)


def test_validate_map_option(write, capsys):
    path = write("w.csv", "ID,authority,model\nw1,A,unit\n")
    assert main(["validate", str(path), "--kind", "worker_survey", "--map", "ID=respondent_id"]) == 0


def test_validate_bad_map_option(write, capsys):
    path = write("w.csv", "ID,authority,model\nw1,A,unit\n")
    assert main(["validate", str(path), "--kind", "worker_survey", "--map", "ID"]) == 2
    assert "--map takes KEY=VALUE" in capsys.readouterr().err


def test_validate_missing_file(tmp_path, capsys):
    assert main(["validate", str(tmp_path / "x.csv"), "--kind", "parent_survey"]) == 2
    assert "the path does not exist" in capsys.readouterr().err


def test_unknown_kind_lists_choices(capsys):
    with pytest.raises(SystemExit) as info:
        main(["validate", "x.csv", "--kind", "nope"])
    assert info.value.code == 2
    assert "choose from" in capsys.readouterr().err


def test_sample_command(tmp_path, capsys):
    assert main(["sample", "--out", str(tmp_path), "--seed", "3"]) == 0
    assert (tmp_path / "worker_survey.csv").is_file()


def test_console_script_runs_without_traceback(write):
    """The installed entry point, end to end in a subprocess."""
    path = write("p.csv", "case_id,authority,model,contacts\nc1,A,unit,-1\n")
    proc = subprocess.run(
        [sys.executable, "-m", "rsw_eval.cli", "validate", str(path), "--kind", "parent_survey"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert "column 'contacts'" in proc.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["admin_panel.csv", "--kind", "dfe"],
        ["costs.csv", "--kind", "costs"],
        [
            "ssda903_episodes_2010.csv",
            "--kind",
            "ssda903",
            "--header",
            "HEADER",
            "--year",
            "2010",
            "--la-code",
            "E09000012",
        ],
    ],
    ids=["dfe", "costs", "ssda903"],
)
def test_validate_panel_kinds_on_the_sample(args, capsys):
    args = [str(SAMPLE / a) if a.endswith(".csv") else a for a in args]
    args = [str(SAMPLE / "ssda903_header_2010.csv") if a == "HEADER" else a for a in args]
    assert main(["validate", *args]) == 0
    out = capsys.readouterr().out
    assert "no problems found" in out and "C0001" not in out


def test_validate_ssda903_needs_its_options(capsys):
    assert main(["validate", str(SAMPLE / "ssda903_episodes_2010.csv"), "--kind", "ssda903"]) == 2
    assert "--header FILE, --year YEAR and --la-code CODE" in capsys.readouterr().err


def test_validate_outturn_needs_expenditure(capsys):
    assert main(["validate", "x.csv", "--kind", "outturn"]) == 2
    assert "needs --expenditure gross|net" in capsys.readouterr().err


def test_warnings_are_one_line(write, capsys):
    path = write("sfr.csv", "geog_l,geog_c,geog_n,CLA_Mar2008\nLA,204,Hackney,400\nLA,820,Beds,300\n")
    assert (
        main(["validate", str(path), "--kind", "sfr", "--value", "CLA_Mar2008", "--on-unmapped", "drop"]) == 0
    )
    err = capsys.readouterr().err.strip().splitlines()
    # the dropped row, and (validate reads a panel's range from what the rules publish) the counts inferred
    assert len(err) == 2 and all(line.startswith("rsw-eval: warning: ") for line in err)
    assert "dropped 1 rows" in err[0] and "inferred to be" in err[1]


def test_compare_prints_the_table(capsys, tmp_path):
    out = tmp_path / "r.csv"
    assert main(["compare", str(SAMPLE), "--only", "cost", "--out", str(out)]) == 0
    text = capsys.readouterr().out
    assert "SYNTHETIC DATA" in text and "total_cost" in text and "reproduced" in text
    assert out.is_file()


def test_compare_csv_to_stdout(capsys):
    assert main(["compare", str(SAMPLE), "--only", "cost", "--format", "csv"]) == 0
    assert capsys.readouterr().out.startswith("outcome,family,design")


def test_compare_bad_spec_is_one_line(tmp_path, capsys):
    spec = tmp_path / "s.toml"
    spec.write_text('unit_modle = ["x"]\n[data]\ncosts = "c.csv"\n')
    assert main(["compare", "--spec", str(spec)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "did you mean 'unit_model'" in err[0]


def test_compare_needs_data(capsys):
    assert main(["compare"]) == 2
    assert "give a DATA_DIR" in capsys.readouterr().err


def test_check_reported(write, capsys):
    path = write(
        "r.csv",
        "test,statistic,df,df1,df2,p,comparison\nt,2.20,28,,,.03,=\n"
        "F,3.48,,2,68,.04,=\nt,-4.93,37,,,.001,<\n",
    )
    assert main(["check-reported", str(path)]) == 0
    out = capsys.readouterr().out
    assert "3 checked: 1 inconsistent, 0 decision errors" in out


def test_report_command_writes_html(tmp_path, capsys):
    assert main(["report", str(SAMPLE), "--style", "munro", "--format", "html", "--out", str(tmp_path)]) == 0
    assert (tmp_path / "munro.html").is_file()
    assert "wrote" in capsys.readouterr().out


def test_report_unknown_style_is_one_line(capsys):
    assert main(["report", str(SAMPLE), "--style", "glossy"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["rsw-eval: error: unknown report style 'glossy'; valid: forrester, munro, annual"]


_RUN = "from rsw_eval.cli import main\ntry:\n    main({argv!r})\nexcept SystemExit:\n    pass"
HEAVY = ("pandas", "numpy", "scipy", "statsmodels", "matplotlib", "pyarrow")


def _imported(code: str) -> set[str]:
    """Top-level packages a fresh interpreter imports to run ``code`` (from ``-X importtime``)."""
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", code], capture_output=True, text=True, check=False
    )
    names = set()
    for line in proc.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            names.add(line.rsplit("|", 1)[1].strip().split(".")[0])
    return names


@pytest.mark.parametrize(
    "code",
    [
        "import rsw_eval.cli",
        "import rsw_eval; rsw_eval.DataError, rsw_eval.__version__",
        _RUN.format(argv=["--version"]),
        _RUN.format(argv=["--help"]),
        _RUN.format(argv=["compare", "--adjust", "nope"]),
    ],
    ids=["import-cli", "import-package", "version", "help", "argument-error"],
)
def test_startup_does_not_import_heavy_packages(code):
    """Mechanism, not timing (benchmarks/ times it): --help, --version and argument errors never
    import pandas, SciPy or statsmodels, so they answer at once."""
    names = _imported(code)
    assert "rsw_eval" in names
    assert not names & set(HEAVY), sorted(names & set(HEAVY))


#: Imported where a computation needs them, never by loading or checking a file (issue 22 item 1).
COMPUTATION = ("scipy", "statsmodels")
_VALIDATE = {
    "worker_survey": ["worker_survey.csv", "--kind", "worker_survey"],
    "parent_survey": ["parent_survey.csv", "--kind", "parent_survey"],
    "panel": ["admin_panel.csv", "--kind", "dfe"],
    "costs": ["costs.csv", "--kind", "costs"],
    "ssda903": ["ssda903_episodes_2010.csv", "--kind", "ssda903", "--header", "ssda903_header_2010.csv"]
    + ["--year", "2010", "--la-code", "E09000012"],
}


def _sample_args(args: list[str]) -> list[str]:
    return [str(SAMPLE / a) if a.endswith(".csv") else a for a in args]


@pytest.mark.parametrize(
    "code",
    [
        "import rsw_eval.io",
        "import rsw_eval.inputs, rsw_eval.comparison",
        "from rsw_eval.stats import adjust_pvalues",
        "import rsw_eval.inference, rsw_eval.evaluation.screen",
    ],
    ids=["io", "inputs", "stats-package", "screen-module"],
)
def test_loaders_and_packages_do_not_import_scipy_or_statsmodels(code):
    names = _imported(code)
    assert "rsw_eval" in names
    assert not names & set(COMPUTATION), sorted(names & set(COMPUTATION))


@pytest.mark.parametrize("kind", sorted(_VALIDATE))
def test_validate_does_not_import_scipy_or_statsmodels(kind):
    """`rsw-eval validate` loads and checks a file: SciPy (~0.7 s) and statsmodels are not needed.
    (The GHQ reversed-coding check imports SciPy only for the p-value of a negative correlation.)"""
    argv = ["validate", *_sample_args(_VALIDATE[kind])]
    code = f"from rsw_eval.cli import main\nraise SystemExit(main({argv!r}))"
    names = _imported(code)
    assert {"rsw_eval", "pandas"} <= names
    assert not names & set(COMPUTATION), sorted(names & set(COMPUTATION))


def test_screen_command_does_not_import_scipy_or_statsmodels(tmp_path):
    """The national screen (did_core on arrays, exact placebo p) needs neither."""
    out = tmp_path / "screen.csv"
    argv = ["screen", str(SAMPLE / "admin_panel.csv"), "--year", "2008", "--out", str(out)]
    names = _imported(f"from rsw_eval.cli import main\nraise SystemExit(main({argv!r}))")
    assert out.is_file()
    assert not names & set(COMPUTATION), sorted(names & set(COMPUTATION))


def test_lazy_attributes_resolve():
    import rsw_eval

    assert callable(rsw_eval.compare) and callable(rsw_eval.load_ssda903)
    assert rsw_eval.stats.__name__ == "rsw_eval.stats"
    assert set(rsw_eval.__all__) <= set(dir(rsw_eval))
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        rsw_eval.nope  # noqa: B018


def test_only_cost_reads_only_the_cost_inputs(tmp_path, capsys):
    """`compare --only cost` (compare(only=...) -> load_inputs(families)) opens the costs file only."""
    from rsw_eval.inputs import load_inputs
    from rsw_eval.spec import default_sample_spec

    spec = default_sample_spec(SAMPLE)
    inputs = load_inputs(spec, ["cost"])
    assert inputs.costs is not None
    assert inputs.workers is None and inputs.parents is None and inputs.panel is None
    assert [f["role"] for f in inputs.files] == ["costs"]
    out = tmp_path / "r.json"
    assert main(["compare", str(SAMPLE), "--only", "cost", "--out", str(out)]) == 0
    assert "worker_survey" not in out.read_text() and "costs.csv" in out.read_text()


def test_screen_command(tmp_path, capsys):
    out, chart = tmp_path / "screen.csv", tmp_path / "screen.png"
    args = [str(SAMPLE / "admin_panel.csv"), "--year", "2008", "--out", str(out), "--chart", str(chart)]
    assert main(["screen", *args, "--top", "3"]) == 0
    text = capsys.readouterr().out
    assert "every other authority" in text and "smallest attainable placebo p" in text
    assert "BH-adjusted within each indicator" in text
    assert out.is_file() and chart.is_file()


def test_screen_comparative_its(capsys):
    assert main(["screen", str(SAMPLE / "admin_panel.csv"), "--year", "2008", "--design", "its"]) == 0
    assert "comparative ITS" in capsys.readouterr().out


def test_screen_adopters_from_the_spec(tmp_path, capsys):
    (tmp_path / "admin_panel.csv").write_bytes((SAMPLE / "admin_panel.csv").read_bytes())
    spec = tmp_path / "s.toml"
    spec.write_text('[unit_model]\nE09000012 = 2008\nE09000028 = 2010\n[data]\nadmin = ["admin_panel.csv"]\n')
    out = tmp_path / "screen.csv"
    assert main(["screen", "--spec", str(spec), "--adopters", "--out", str(out)]) == 0
    import pandas as pd

    table = pd.read_csv(out)
    assert set(zip(table["la_code"], table["change_year"], strict=True)) == {
        ("E09000012", 2008),
        ("E09000028", 2010),
    }


def test_screen_needs_data_and_a_year(capsys):
    assert main(["screen"]) == 2
    assert "give the panel files" in capsys.readouterr().err
    assert main(["screen", str(SAMPLE / "admin_panel.csv")]) == 2
    assert "give --year YEAR" in capsys.readouterr().err


def test_only_cost_still_reads_outturn_files_listed_under_admin(tmp_path):
    """An outturn file among the [data] admin entries feeds the costs: --only cost reads it and
    skips the panel files; --only admin does the reverse."""
    import pandas as pd

    from rsw_eval.inputs import load_inputs
    from rsw_eval.spec import load_spec

    pd.DataFrame(
        {
            "LA": ["204"],
            "LA Name": ["Hackney"],
            "LineNumber": ["6"],
            "CYPServiceDescription": ["6 Residential care"],
            "TotalExpenditure": ["10"],
        }
    ).to_csv(tmp_path / "s251_outturn_1314.csv", index=False)
    (tmp_path / "admin_panel.csv").write_bytes((SAMPLE / "admin_panel.csv").read_bytes())
    outturn = {"path": "s251_outturn_1314.csv", "expenditure": "gross"}
    spec = load_spec(
        {"unit_model": ["204"], "data": {"admin": ["admin_panel.csv", outturn]}}, data_dir=tmp_path
    )
    cost = load_inputs(spec, ["cost"])
    assert cost.panel is None and cost.costs is not None
    assert [f["file"] for f in cost.files] == ["s251_outturn_1314.csv"]
    admin = load_inputs(spec, ["admin"])
    assert admin.costs is None and admin.panel is not None
    assert [f["file"] for f in admin.files] == ["admin_panel.csv"]


def test_validate_can_skip_the_ghq_coding_check(tmp_path):
    # issue 14: refuse reversed GHQ coding only on clear evidence, and let the user override
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(0)
    items = rng.integers(0, 4, (60, 12))
    items[:, [0, 2, 3, 6, 7, 11]] = 3 - items[:, [1, 4, 5, 8, 9, 10]]  # strongly reversed
    frame = pd.DataFrame(items, columns=[f"ghq{i}" for i in range(1, 13)])
    frame.insert(0, "model", "unit")
    frame.insert(0, "authority", "A")
    frame.insert(0, "respondent_id", [f"R{i}" for i in range(60)])
    path = tmp_path / "workers.csv"
    frame.to_csv(path, index=False)
    args = ["validate", str(path), "--kind", "worker_survey"]
    assert main(args) == 2
    assert main([*args, "--no-ghq-coding-check"]) == 0


def test_validate_does_not_print_a_small_count_as_a_panel_s_smallest_value(tmp_path, capsys):
    """findings-q7disc F3: `validate` printed "min 2.0" for residential placements with a planted 2;
    a summary pasted into a data annex is published. A whole number from 1 to 5 prints as c."""
    panel = pd.read_csv(SAMPLE / "admin_panel.csv", dtype=str, keep_default_na=False)
    panel.loc[0, "residential_placements"] = "2"
    path = tmp_path / "admin_panel.csv"
    panel.to_csv(path, index=False)
    assert main(["validate", "--kind", "dfe", str(path)]) == 0
    out = capsys.readouterr().out
    row = next(line for line in out.splitlines() if line.startswith("residential_placements"))
    assert row.split()[-3:-1] == ["1", "19"] and "hidden: values the default disclosure rules hide" in out
    # q9disc X4: a council's own threshold, and a column with values that are not whole (min 7)
    assert main(["validate", "--kind", "dfe", "--threshold", "10", str(path)]) == 0
    out = capsys.readouterr().out
    row = next(line for line in out.splitlines() if line.startswith("sickness_days_per_fte"))
    assert row.split()[-2] == "c" and "c: a whole number from 1 to 10" in out


def test_validate_reads_a_panel_s_range_from_what_the_rules_publish(tmp_path, capsys):
    """q10disc Y4: the smallest count printed c, but the smallest rate beside it, times its
    denominator in the same file, gave the count back (0.5% of 600 is 3). Every minimum and maximum
    `validate` prints is a value the protected panel publishes, or c."""
    rows = []
    for i, la in enumerate(f"E0900000{k}" for k in range(1, 7)):
        for year in (2019, 2020, 2021):
            plans = 600 + 37 * i + 11 * (year - 2019)
            repeats = 3 if (i, year) == (0, 2020) else 40 + 7 * i + year - 2019
            for name, value in (
                ("plans", plans),
                ("repeats", repeats),
                ("repeat_pct", 100 * repeats / plans),
            ):
                rows.append({"la_code": la, "year": year, "indicator": name, "value": round(value, 1)})
    path = tmp_path / "panel.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    assert main(["validate", "--kind", "panel", str(path)]) == 0
    out = capsys.readouterr().out
    shown = {
        line.split()[0]: line.split()[-3:]
        for line in out.splitlines()
        if line.split()[:1] in (["repeats"], ["repeat_pct"])
    }
    assert shown["repeats"][0] == "1" and shown["repeat_pct"][0] == "1", out
    assert float(shown["repeat_pct"][1]) > 5 and shown["repeats"][1] == "40", out


def test_check_reported_reads_exponent_notation(write, capsys):
    # finding A8 (q13in): '1E-02' and '5E-04' were consistent with any statistic
    path = write("r.csv", "test,statistic,df,p\nt,1.00,30,1E-02\nt,3.00,30,5E-04\nt,0,30,1.00\n")
    assert main(["check-reported", str(path)]) == 0
    assert "3 checked: 2 inconsistent, 1 decision errors" in capsys.readouterr().out
