"""Issue 21 item 5, on the command line: the tracebacks the audit found are one clear line and exit 2
(or a correct run), and no identifier reaches a message or a summary."""

from __future__ import annotations

import pytest

from rsw_eval.cli import main
from tests.conftest import SAMPLE

HACKNEY = "E09000012"


def _cr_copy(folder, names=None):
    """The sample's files with classic-Mac (CR) line ends in ``folder``."""
    for p in SAMPLE.iterdir():
        if p.is_file() and (names is None or p.name in names):
            data = p.read_bytes()
            if p.suffix == ".csv":
                data = data.replace(b"\r\n", b"\n").replace(b"\n", b"\r")
            (folder / p.name).write_bytes(data)
    return folder


def test_compare_reads_classic_mac_csv_files(tmp_path, capsys):
    _cr_copy(tmp_path)
    assert main(["compare", str(tmp_path), "--only", "admin,cost", "--format", "csv"]) == 0
    cr = capsys.readouterr().out
    assert main(["compare", str(SAMPLE), "--only", "admin,cost", "--format", "csv"]) == 0
    assert cr == capsys.readouterr().out


def test_screen_reads_a_classic_mac_panel(tmp_path, capsys):
    _cr_copy(tmp_path, {"admin_panel.csv"})
    assert main(["screen", str(tmp_path / "admin_panel.csv"), "--year", "2008", "--top", "3"]) == 0
    assert "Traceback" not in capsys.readouterr().err


def test_validate_says_a_path_has_no_suffix(tmp_path, capsys):
    """The tool's own words 'no suffix' were masked as text that may identify a person."""
    (tmp_path / "panel").write_bytes((SAMPLE / "admin_panel.csv").read_bytes())
    assert main(["validate", str(tmp_path / "panel"), "--kind", "panel"]) == 2
    err = capsys.readouterr().err
    assert "found no suffix. Hint" in err and "not shown" not in err


def test_validate_reads_a_classic_mac_ssda903_return(tmp_path, capsys):
    _cr_copy(tmp_path, {"ssda903_header_2010.csv", "ssda903_episodes_2010.csv"})
    args = ["validate", str(tmp_path / "ssda903_episodes_2010.csv"), "--kind", "ssda903"]
    args += ["--header", str(tmp_path / "ssda903_header_2010.csv"), "--year", "2010", "--la-code", HACKNEY]
    assert main(args) == 0, capsys.readouterr().err


def test_blank_year_in_a_panel_is_one_line(tmp_path, capsys):
    (tmp_path / "p.csv").write_text(
        "la_code,year,indicator,value\nE09000012,2009,children_looked_after,3\n"
        "E09000012,,children_looked_after,3\nE09000028,2009,children_looked_after,3\n"
    )
    (tmp_path / "s.toml").write_text(
        'unit_model = ["E09000012"]\nintervention_year = 2010\n[data]\nadmin = ["p.csv"]\n'
    )
    assert main(["compare", "--spec", str(tmp_path / "s.toml")]) == 2
    assert capsys.readouterr().err == (
        f"rsw-eval: error: {tmp_path / 'p.csv'}, row 3, column 'year': missing value; expected a value "
        "in every row, found an empty cell\n"
    )


# -- check-reported -------------------------------------------------------------------------------


def test_check_reported_f_row_without_df1_df2(write, capsys):
    path = write("r.csv", "test,statistic,df,p\nF,4.2,10,0.05\n")
    assert main(["check-reported", str(path)]) == 2
    assert capsys.readouterr().err == (
        f"rsw-eval: error: {path}, row 2, column 'df1, df2': an F test needs both degrees of freedom; "
        "expected columns df1 and df2, found no such columns\n"
    )


@pytest.mark.parametrize(
    ("row", "column", "found"),
    [
        ("t,2.1,-10,0.05", "df", "'-10'"),
        ("t,2.1,0,0.05", "df", "'0'"),
        ("t,2.1,abc,0.05", "df", "'abc'"),
        ("t,2.1,inf,0.05", "df", "'inf'"),
        ("t,2.1,1e999,0.05", "df", "'1e999'"),
        ("r,1.5,10,0.05", "statistic", "'1.5'"),
        ("r,-2,10,0.05", "statistic", "'-2'"),
        ("chi2,-3,2,0.05", "statistic", "'-3'"),
        ("t,inf,10,0.05", "statistic", "'inf'"),
        ("t,nan,10,0.05", "statistic", "'nan'"),
        ("t,2,10,1.5", "p", "'1.5'"),
        ("t,,10,0.05", "statistic", "''"),
        ("t,2,1e-300,0.05", "df", "'1e-300'"),  # q11in Q17
        ("t,2,1e308,0.05", "df", "'1e308'"),
        ("chi2,5,2.5,0.08", "df", "'2.5'"),
        ("r,1,30,0.03", "statistic", "'1'"),
        ("t,5,30,<=.001", "p", "'<=.001'"),
        ("t,12.1,30,<0", "p", "'<0'"),  # q22 L1: no p is below 0, nor above 1
        ("t,0.1,30,> 1", "p", "'> 1'"),
        ("t,\u0661\u0662,30,0.04", "statistic", "'\u0661\u0662'"),  # att7: float() reads them as 12
        ("t,2.1,\uff13\uff10,0.04", "df", "'\uff13\uff10'"),  # fullwidth 30
        ("t,2.1,30,\u0660.04", "p", "'\u0660.04'"),
        ("t,1_2,30,0.04", "statistic", "'1_2'"),
        ("t,<2.10,28,.045", "statistic", "'<2.10'"),  # att9 L1: a sign before a statistic
        ("t,=-2.10,28,.045", "statistic", "'=-2.10'"),
        ("t,2.10,28,= < .045", "p", "'= < .045'"),
    ],
)
def test_check_reported_refuses_invalid_values_instead_of_a_verdict(write, capsys, row, column, found):
    path = write("r.csv", "test,statistic,df,p\nt,2.20,28,.03\n" + row + "\n")
    assert main(["check-reported", str(path)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""  # no verdict about the paper, not even for the valid row
    lines = captured.err.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"rsw-eval: error: {path}, row 3, column '{column}': ")
    assert f"found {found}" in lines[0]


def test_check_reported_reads_a_sign_typed_in_p_as_the_comparison(write, capsys):
    """q11in Q16: '<.001' and '>.05' were read as '= .001' / '= .05': 3 wrong 'inconsistent'."""
    path = write("r.csv", "test,statistic,df,p\nt,5,30,<.001\nt,5,30,< .001\nt,0.5,30,>.05\n")
    assert main(["check-reported", str(path)]) == 0
    out = capsys.readouterr().out
    assert "3 checked: 0 inconsistent, 0 decision errors" in out
    assert out.count("< 0.001") == 2 and "> 0.05" in out


@pytest.mark.parametrize(
    ("rows", "row", "expected", "found"),
    [
        ("t,5,30,<.001,<\nt,5,30,<.001,=", 3, "a p whose sign agrees with the comparison '='", "'<.001'"),
        # q22 L1: 'p < 0' set by the comparison column is no p at all
        ("t,12.1,30,0,<\nt,12.1,30,0,=", 2, "a p-value from 0 to 1 (no p is below 0 or above 1)", "'0'"),
    ],
)
def test_check_reported_refuses_a_p_the_comparison_column_belies(write, capsys, rows, row, expected, found):
    path = write("r.csv", f"test,statistic,df,p,comparison\n{rows}\n")
    assert main(["check-reported", str(path)]) == 2
    assert capsys.readouterr().err == (
        f"rsw-eval: error: {path}, row {row}, column 'p': a reported t that cannot be checked; "
        f"expected {expected}, found {found}\n"
    )


def test_check_reported_lists_every_bad_row(write, capsys):
    path = write("r.csv", "test,statistic,df,p\nt,x,10,0.05\nq,2,10,0.05\nt,2,10,0.05\n")
    assert main(["check-reported", str(path)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 2
    assert err[0].startswith(f"rsw-eval: error: {path}, row 2, column 'statistic': ")
    assert err[1].startswith(f"rsw-eval: error: {path}, row 3, column 'test': ")


# -- report templates ------------------------------------------------------------------------------


def test_a_template_syntax_error_is_one_line(tmp_path, capsys):
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "summary.html").write_text("<p>ok</p>\n<p>{% if %}</p>\n")
    args = ["report", str(SAMPLE), "--style", "munro", "--format", "html", "--out", str(tmp_path / "out")]
    assert main([*args, "--templates", str(folder)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"rsw-eval: error: {folder / 'summary.html'}, line 2: template syntax error (")
    assert len(err.splitlines()) == 1
    assert not (tmp_path / "out" / "munro.html").exists()


def test_a_template_naming_an_unknown_value_is_one_line(tmp_path, capsys):
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "summary.html").write_text("<p>{{ report.no_such_thing }}</p>\n")
    args = ["report", str(SAMPLE), "--style", "munro", "--format", "html", "--out", str(tmp_path / "out")]
    assert main([*args, "--templates", str(folder)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"rsw-eval: error: {folder / 'summary.html'}, line 1: the template failed (")
    assert "no_such_thing" in err


@pytest.mark.parametrize(
    ("text", "line", "what"),
    [
        ("<p>ok</p>\n{{ 1 / 0 }}\n", 2, "ZeroDivisionError"),
        ('{% include "summary.html" %}\n', 1, "RecursionError"),
        ('{{ cycler.__init__.__globals__.os.popen("echo pwned").read() }}\n', 1, "SecurityError"),
        ("{{ range(10**12) | list }}\n", 1, "OverflowError"),
    ],
)
def test_a_template_failing_while_rendering_is_one_line_naming_it(tmp_path, capsys, text, line, what):
    """T2: runtime errors of a user's template (and what the sandbox refuses) name file and line."""
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "summary.html").write_text(text)
    args = ["report", str(SAMPLE), "--style", "munro", "--format", "html", "--out", str(tmp_path / "out")]
    assert main([*args, "--templates", str(folder)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"rsw-eval: error: {folder / 'summary.html'}, line {line}: the template failed")
    assert what in err and len(err.splitlines()) == 1 and "pwned" not in err
    assert not (tmp_path / "out" / "munro.html").exists()


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: p.write_bytes(b"\xff<p>x</p>\n"), "not UTF-8 text"),
        (lambda p: p.mkdir(), "not a file"),
    ],
)
def test_a_template_that_is_not_utf8_or_a_folder_is_refused_by_name(tmp_path, capsys, make, message):
    """T2: a non-UTF-8 template names its file; a folder in a template's place is not skipped."""
    folder = tmp_path / "templates"
    folder.mkdir()
    make(folder / "summary.html")
    args = ["report", str(SAMPLE), "--style", "munro", "--format", "html", "--out", str(tmp_path / "out")]
    assert main([*args, "--templates", str(folder)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"rsw-eval: error: {folder / 'summary.html'}: {message}")
    assert len(err.splitlines()) == 1
    assert not (tmp_path / "out" / "munro.html").exists()


# -- identifiers ------------------------------------------------------------------------------------


def test_validate_summary_never_shows_identifiers(write, capsys):
    text = "respondent_id,authority,model,worker_name,child_name,staff_number,team_note\n" + "".join(
        f"W{1000 + i},A,unit,Jane Smith,Tom Jones,S{90000 + i % 2},AB123456C\n" for i in range(8)
    )
    assert main(["validate", str(write("w.csv", text)), "--kind", "worker_survey"]) == 0
    out = capsys.readouterr().out
    for secret in ("Jane Smith", "Tom Jones", "S90000", "S90001", "AB123456C", "W1000"):
        assert secret not in out
    assert "worker_name" in out and "(identifier)" in out


@pytest.mark.parametrize(
    "value", ["W1001", "A123456789012", "4857773456", "jane.smith@example.org", "AB123456C"]
)
def test_identifiers_typed_into_other_columns_are_never_echoed(write, capsys, value):
    text = "respondent_id,authority,model,job_satisfaction,wave\n"
    text += f"W1,A,unit,{value},2012\nW2,A,{value},3,{value}\n"
    assert main(["validate", str(write("w.csv", text)), "--kind", "worker_survey"]) == 2
    err = capsys.readouterr().err
    assert value not in err and "not shown" in err


@pytest.mark.parametrize("value", ["Jane Smith", "Smith, Jane", "Anne-Marie O'Brien"])
@pytest.mark.parametrize(
    "column", ["ghq1", "model", "experienced_violence", "reflection_hours_per_week", "job_satisfaction"]
)
def test_names_typed_into_other_columns_are_never_echoed(write, capsys, value, column):
    """q11in Q15: a person's name in a survey's ghq1, model, yes/no or hours cell was echoed in the
    message ("found 'Jane Smith'"); the message keeps the row and column and masks the value."""
    cells = {"ghq1": "1", "model": "unit", "experienced_violence": "yes"}
    cells |= {"reflection_hours_per_week": "2", "job_satisfaction": "3"}
    header = "respondent_id,authority,model,experienced_violence,reflection_hours_per_week,job_satisfaction"
    ghq = ",".join(f"ghq{i}" for i in range(1, 13))
    good = ",".join(cells[c] for c in header.split(",")[2:])
    bad = ",".join(f'"{value}"' if c == column else cells[c] for c in header.split(",")[2:])
    items = ",".join(["1"] * 12)
    bad_items = ",".join([f'"{value}"' if column == "ghq1" else "1"] + ["1"] * 11)
    text = f"{header},{ghq}\nW1,A,{good},{items}\nW2,A,{bad},{bad_items}\n"
    assert main(["validate", str(write("w.csv", text)), "--kind", "worker_survey"]) == 2
    err = capsys.readouterr().err
    assert f"row 3, column '{column}'" in err
    assert "Smith" not in err and "Brien" not in err
    assert "text that may identify a person (not shown)" in err


@pytest.mark.parametrize(
    ("kind", "text"),
    [
        ("costs", "la_code,year,cost_line,amount_gbp\nE09000012,{v},a,1\n"),
        ("panel", "la_code,year,indicator,value\nE09000012,2010,x,{v}\n"),
        ("panel", "la_code,year,indicator,value\n{v},2010,x,1\nE09000012,2010,x,1\n"),
        (
            "dfe",
            "time_period,geographic_level,old_la_code,new_la_code,la_name,x\n"
            "{v},Local authority,204,E09000012,H,1\n",
        ),
        ("neighbours", "LA num,LA Name,SN1,SNP\n204,Hackney,{v},Close\n"),
    ],
)
def test_identifiers_in_panel_files_are_never_echoed(write, capsys, kind, text):
    value = "A123456789012"
    assert main(["validate", str(write("f.csv", text.format(v=value))), "--kind", kind]) == 2
    err = capsys.readouterr().err
    assert value not in err and err.startswith("rsw-eval: error: ")


def test_a_very_long_cell_is_reported_at_once(write, capsys):
    """A 1 MB cell in a bad column is one message in seconds: the identifier check that guards the
    message used to backtrack quadratically (a 64 kB cell took a minute, a 5 MB cell days)."""
    import time

    text = "la_code,year,cost_line,amount_gbp\nE09000012," + "A" * 1_000_000 + ",a,1\n"
    start = time.perf_counter()
    assert main(["validate", str(write("c.csv", text)), "--kind", "costs"]) == 2
    assert time.perf_counter() - start < 30
    assert capsys.readouterr().err.startswith("rsw-eval: error: ")


@pytest.mark.parametrize("kind", ["costs", "worker_survey"])
def test_a_ragged_csv_with_a_lone_cr_is_one_message(write, capsys, kind):
    """A row with too many fields and, elsewhere, a classic-Mac line end: the diagnosis of the ragged
    rows re-read the text without universal newlines and crashed (_csv.Error)."""
    text = {
        "costs": "la_code,year,cost_line,amount_gbp\nE09000012,2010,a,1,5,6\nE09000012,2011,b\r,2\n",
        "worker_survey": "respondent_id,authority,model\nW1,A,unit,x,y\nW2,A\rB,unit\n",
    }[kind]
    assert main(["validate", str(write("r.csv", text)), "--kind", kind]) == 2
    err = capsys.readouterr().err
    assert err.startswith("rsw-eval: error: ") and "row 2" in err and "Traceback" not in err


# -- workbooks --------------------------------------------------------------------------------------


def test_validate_dfe_reads_the_sheet_named_by_sheet(tmp_path, capsys):
    """q11in Q22: the message said to use --sheet, which --kind dfe then did not pass on."""
    import pandas as pd

    book = tmp_path / "cla.xlsx"
    with pd.ExcelWriter(book) as writer:
        pd.read_csv(SAMPLE / "admin_panel.csv", dtype=str).to_excel(writer, sheet_name="Data", index=False)
        pd.DataFrame({"note": ["x = suppressed"]}).to_excel(writer, sheet_name="Notes", index=False)
    args = ["validate", str(book), "--kind", "dfe", "--value", "children_looked_after"]
    assert main(args) == 2
    assert "--sheet NAME" in capsys.readouterr().err
    assert main([*args, "--sheet", "Data"]) == 0
    assert "children_looked_after" in capsys.readouterr().out
    assert main([*args, "--sheet", "Nope"]) == 2
    assert "no sheet named 'Nope'" in capsys.readouterr().err
