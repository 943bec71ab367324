"""findings-q13in A6: twelve loader checks quoted a rejected cell as it was, so a person's name typed
into a year, an LA number or a closeness band came back in the message. Every message's ``found``
is masked where it is, or quotes, a person-name-shaped value; authorities' names are shown."""

from __future__ import annotations

import csv

import pytest

from rsw_eval._errors import NAME_PLACEHOLDER, Problem
from rsw_eval.cli import main

NAMES = ["Jane Smith", "SMITH, Jane", "Anne-Marie O'Brien", "J. Smith", "Jane Smith!", "Jane Smith (10)"]
NAMES += ["Jane Smith;", "#Jane Smith", "Jane Smith, 7"]  # findings-q14 M1, quoted
MARKED = {n for n in NAMES if any(c in n for c in "!();#_7")}


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("form", ["{}", "'{}'", '"{}"', "'2024', '{}' and 2 more"])
def test_a_name_in_what_was_found_is_never_printed(name, form):
    if name in MARKED and form == "{}":
        pytest.skip("unquoted, a message's own text: marks and numbers are read as they are")
    text = str(Problem("f.csv", "bad", column="year", expected="a year", found=form.format(name)))
    assert "Smith" not in text and NAME_PLACEHOLDER in text


def test_a_name_with_an_escaped_space_is_masked():
    """findings-q14 M2: repr() writes a no-break space or a tab inside a name as an escape."""
    for cell in ("Jane\xa0Smith", "Jane\tSmith"):
        assert "Smith" not in str(Problem("f.csv", "bad", found=repr(cell)))


@pytest.mark.parametrize("found", ["'Tower Hamlets'", "Kensington and Chelsea", "'2024'", "an empty cell"])
def test_authorities_and_other_values_are_shown(found):
    assert found in str(Problem("f.csv", "bad", found=found))


@pytest.mark.parametrize("column", ["year", "la_code"])
def test_a_cost_line_with_a_name_typed_in_is_refused_without_the_name(tmp_path, capsys, column):
    with open("data/sample/costs.csv", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    rows[1][rows[0].index(column)] = "Jane Smith"
    path = tmp_path / "costs.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(rows)
    assert main(["validate", str(path), "--kind", "costs"]) == 2
    err = capsys.readouterr().err
    assert "Jane Smith" not in err and "row 2" in err


def test_a_quoted_name_in_lower_case_is_masked_too():
    assert "jane smith" not in str(Problem("f.csv", "bad", found="'jane smith'"))


@pytest.mark.parametrize("cell", ["Mohammed", "OLIVER", "Sarah", "jsmith", "Kowalski"])
@pytest.mark.parametrize("form", ["'{}'", "'2024', '{}' and 2 more"])
def test_one_forename_surname_or_user_name_found_is_masked(cell, form):
    """att12 M1: a single forename or a user name typed into a survey column came back whole."""
    text = str(
        Problem("f.csv", "not a number", column="ghq2", expected="an integer 0-3", found=form.format(cell))
    )
    assert cell not in text and NAME_PLACEHOLDER in text


@pytest.mark.parametrize("cell", ["unit", "yes", "NaN", "Hackney", "x", "true"])
def test_a_word_that_is_no_name_is_still_shown(cell):
    assert f"found '{cell}'" in str(Problem("f.csv", "bad", found=repr(cell)))


def test_a_date_found_is_shown_only_where_the_column_holds_dates():
    """att12 M1: '03/04/2012' typed into hours per week may be a date of birth; in a column of dates
    the bad date is what the user must fix, but never in a date-of-birth column."""
    hours = str(
        Problem("f.csv", "not a number", column="hours", expected="hours 0-168", found="'03/04/2012'")
    )
    decom = Problem("f.csv", "unparseable date", column="DECOM", expected="dd/mm/yyyy", found="'31/02/2009'")
    dob = Problem("f.csv", "unparseable date", column="DOB", expected="dd/mm/yyyy", found="'31/02/2009'")
    assert "2012" not in hours and "it may be a date of birth" in hours
    assert str(decom).endswith("found '31/02/2009'")
    assert "2009" not in str(dob)
