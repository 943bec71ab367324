"""Findings-q13in A5: a cost ledger line typed with another valid year or another authority's code
moved out of its authority-year, silently (Hackney 2008-09 40.0m -> 22.4m, a Hackney 2019-20 of one
line, the published cost change -4.97% -> +69.7%). The authority-years of a ledger are compared by
the cost lines they hold: one holding few of them is refused; one lacking some is warned about."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from rsw_eval import DataError, RswEvalWarning
from rsw_eval.cli import main
from rsw_eval.io import load_costs
from tests._fuzz import budget
from tests.conftest import SAMPLE

LINES = (SAMPLE / "costs.csv").read_text().splitlines()
MOVED = "row 2, column '{column}': an authority-year holds few of the cost lines the ledger's other"


def _ledger(tmp_path, row: int, old: str, new: str):
    """The sample ledger with ``old`` replaced by ``new`` in its CSV row ``row`` (header = row 1)."""
    lines = list(LINES)
    assert old in lines[row - 1]
    lines[row - 1] = lines[row - 1].replace(old, new)
    path = tmp_path / "costs.csv"
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.mark.parametrize(
    ("old", "new", "column", "found"),
    [
        ("2008-09", "2019-20", "year", "E09000012 2019-20: 1 line (looked_after_placements)"),
        ("2008-09", "201920", "year", "E09000012 2019-20: 1 line (looked_after_placements)"),
        ("E09000012", "E09000007", "la_code", "E09000007 2008-09: 1 line (looked_after_placements)"),
        ("E09000012", "E10000002", "la_code", "E10000002 2008-09: 1 line (looked_after_placements)"),
    ],
)
def test_a_line_typed_with_another_year_or_authority_is_refused(tmp_path, capsys, old, new, column, found):
    path = _ledger(tmp_path, 2, old, new)
    with pytest.raises(DataError) as info:
        load_costs(path)
    assert len(info.value.problems) == 1
    text = str(info.value)
    assert f"costs.csv, {MOVED.format(column=column)}" in text
    assert "expected at least 4 of the 7 cost lines at least half of the authority-years hold" in text
    # where the line came from: the authority-year that lacks it
    assert f"found {found}, without agency_premium" in text
    assert "; E09000012 2008-09 lacks looked_after_placements" in text
    assert main(["validate", str(path), "--kind", "costs"]) == 2
    assert MOVED.format(column=column) in capsys.readouterr().err


def test_the_sample_ledger_loads_without_a_word():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert len(load_costs(SAMPLE / "costs.csv")) == 11 * 2 * 8


def _one_council(lines_2009, lines_2010, amount="1000") -> pd.DataFrame:
    rows = [("2008-09", c) for c in lines_2009] + [("2009-10", c) for c in lines_2010]
    return pd.DataFrame(
        [("E09000012", y, c, amount) for y, c in rows], columns=["la_code", "year", "cost_line", "amount_gbp"]
    )


def test_a_service_started_later_loads_with_a_warning():
    raw = _one_council(["staffing", "placements"], ["staffing", "placements", "edge_of_care"])
    # two authority-years: the usual lines are the ones either holds, so 2008-09 lacks one
    with pytest.warns(
        RswEvalWarning, match=r"<DataFrame>: 1 authority-year \(first row 0\) lacks cost lines"
    ) as got:
        panel = load_costs(raw)
    assert "E09000012" not in str(got[0].message)  # rows and lines, never an authority
    assert panel.query("indicator == 'total_cost'")["value"].tolist() == [2000.0, 3000.0]


def test_a_line_only_the_last_of_three_years_holds_loads_with_a_warning():
    raw = _one_council(["staffing", "placements"], ["staffing", "placements"])
    later = raw.tail(2).assign(year="2010-11")
    raw = pd.concat([raw, later, later.head(1).assign(cost_line="edge_of_care")], ignore_index=True)
    with pytest.warns(
        RswEvalWarning,
        match=r"<DataFrame>: row 6 holds cost lines fewer than half of the authority-years hold",
    ):
        load_costs(raw)


def test_an_authority_year_lacking_a_line_it_mostly_holds_loads_with_a_warning(tmp_path):
    path = tmp_path / "costs.csv"
    path.write_text("\n".join(line for i, line in enumerate(LINES, 1) if i != 8) + "\n")
    with pytest.warns(
        RswEvalWarning,
        match=r"costs.csv: 1 authority-year \(first row 2\) lacks cost lines at least half of the "
        r"authority-years hold \(other\): their total_cost is not like for like",
    ):
        load_costs(path)


def test_a_line_written_with_amount_zero_is_held():
    raw = _one_council(["staffing", "agency"], ["staffing", "agency"])
    raw.loc[3, "amount_gbp"] = "0"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        load_costs(raw)
    raw = raw.drop(index=3)  # left out instead: half the lines, said
    with pytest.warns(
        RswEvalWarning, match=r"1 authority-year \(first row 2\) lacks cost lines .*\(agency\)"
    ):
        load_costs(raw)


def test_a_ledger_per_year_in_two_files_still_catches_a_moved_line():
    # one authority-year per file: the moved line makes the second, which holds 1 of the 3 lines
    raw = _one_council(["a", "b", "c"], [])
    raw.loc[0, "year"] = "2019-20"
    with pytest.raises(DataError, match=r"row 0, column 'year'.*found E09000012 2019-20: 1 line \(a\)"):
        load_costs(raw)


CODES = ["E09000012", "E09000028", "E09000022", "E09000007", "E10000002", "E08000025"]
YEARS = ["2008-09", "2009-10", "2010-11", "201920", "2015"]


@budget(60)
@given(
    st.integers(1, 3),
    st.integers(1, 3),
    st.integers(2, 7),
    st.data(),
)
def test_any_line_moved_to_another_year_or_authority_is_refused_or_warned(authorities, years, width, data):
    """Any single line of a ledger whose authority-years hold the same 2 or more lines, typed with
    another valid year or authority code, is refused or warned about: never loaded silently."""
    raw = pd.DataFrame(
        [
            (code, year, f"line{i}", str(1000 + i))
            for code in CODES[:authorities]
            for year in YEARS[:years]
            for i in range(width)
        ],
        columns=["la_code", "year", "cost_line", "amount_gbp"],
    )
    row = data.draw(st.integers(0, len(raw) - 1))
    column = data.draw(st.sampled_from(["la_code", "year"]))
    choices = CODES if column == "la_code" else YEARS
    raw.loc[row, column] = data.draw(st.sampled_from([v for v in choices if v != raw.loc[row, column]]))
    with warnings.catch_warnings(record=True) as said:
        warnings.simplefilter("always")
        try:
            load_costs(raw)
        except DataError:
            return
    assert any(issubclass(w.category, RswEvalWarning) for w in said), raw.loc[row].tolist()
