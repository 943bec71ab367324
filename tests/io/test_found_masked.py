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
