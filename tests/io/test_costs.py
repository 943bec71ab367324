"""Canonical cost ledger and real terms."""

from __future__ import annotations

import pandas as pd
import pytest

from rsw_eval import DataError
from rsw_eval.io import load_costs, real_terms
from tests.conftest import SAMPLE


def test_sample_costs_fall_exactly_4_97_percent():
    # Cross, Hubbard & Munro (2010): the cost of children's social care fell 4.97%
    panel = load_costs(SAMPLE / "costs.csv")
    total = panel[(panel["la_code"] == "E09000012") & (panel["indicator"] == "total_cost")]
    before, after = total.sort_values("year")["value"]
    assert 100 * (after / before - 1) == pytest.approx(-4.97, abs=1e-9)


def test_real_terms_from_the_file_index():
    panel = load_costs(SAMPLE / "costs.csv")
    real = real_terms(panel, base_year=2010)
    row = real[
        (real["la_code"] == "E09000012") & (real["indicator"] == "total_cost") & (real["year"] == 2009)
    ]
    assert row["value"].iloc[0] == pytest.approx(40_000_000 * 100.0 / 97.9, rel=1e-12)
    assert set(real["price_basis"]) == {"2010 prices"}


def test_real_terms_from_a_table(write):
    path = write("deflator.csv", "year,index\n2008-09,95\n2009-10,100\n")
    p = pd.DataFrame(
        {"la_code": "X", "year": [2009, 2010], "indicator": "total_cost", "value": [95.0, 100.0]}
    )
    assert real_terms(p, base_year=2010, price_index=path)["value"].tolist() == [100.0, 100.0]


def test_real_terms_missing_year():
    p = pd.DataFrame({"la_code": "X", "year": [2009], "indicator": "t", "value": [1.0]})
    with pytest.raises(DataError, match=r"no positive value for \[2009\]"):
        real_terms(p, base_year=2010, price_index={2010: 100.0})


def test_duplicate_cost_lines_rejected():
    raw = pd.DataFrame(
        {
            "la_code": ["E09000012", "E09000012"],
            "year": [2009, 2009],
            "cost_line": ["x", "x"],
            "amount_gbp": [1, 2],
        }
    )
    # a DataFrame's rows are its index labels, as in every other message about a DataFrame
    with pytest.raises(DataError, match=r"<DataFrame>, rows 0, 1: the same authority, year and cost line"):
        load_costs(raw)


def test_bad_amount_and_year():
    raw = pd.DataFrame(
        {
            "la_code": ["E09000012", "E09000012"],
            "year": ["2009", "next year"],
            "cost_line": ["x", "y"],
            "amount_gbp": ["lots", "2"],
        }
    )
    with pytest.raises(DataError) as info:
        load_costs(raw)
    text = str(info.value)
    assert "column 'amount_gbp': not a number" in text and "column 'year': unrecognised year" in text


# -- issue 14 ----------------------------------------------------------------------------------
def test_price_index_of_zero_is_an_error():
    raw = pd.DataFrame(
        {
            "la_code": ["E09000012", "E09000012"],
            "year": ["2009", "2010"],
            "cost_line": ["s", "s"],
            "amount_gbp": ["1", "2"],
            "price_index": ["0", "100"],
        }
    )
    with pytest.raises(DataError, match=r"row 0, column 'price_index': a price index of 0"):
        load_costs(raw)


def test_decimal_comma_amount_is_an_error_thousands_are_read():
    raw = pd.DataFrame(
        {
            "la_code": ["E09000012", "E09000012"],
            "year": ["2009", "2010"],
            "cost_line": ["s", "s"],
            "amount_gbp": ["1,5", "1,234,567.50"],
        }
    )
    with pytest.raises(DataError, match=r"row 0, column 'amount_gbp': a comma that is not a thousands"):
        load_costs(raw)
    raw["amount_gbp"] = ["1,500", "1,234,567.50"]
    lines = load_costs(raw).query("indicator == 'cost_line:s'")
    assert lines["value"].tolist() == [1500.0, 1234567.5]


def test_empty_authority_code_is_an_error():
    raw = pd.DataFrame({"la_code": [" "], "year": ["2009"], "cost_line": ["s"], "amount_gbp": ["1"]})
    with pytest.raises(DataError, match=r"row 0, column 'la_code': missing value"):
        load_costs(raw)


def test_negative_count_in_a_panel_is_an_error():
    from rsw_eval.io import load_panel

    raw = pd.DataFrame(
        {"la_code": ["E09000012"], "year": ["2010"], "indicator": ["children_looked_after"], "value": ["-4"]}
    )
    with pytest.raises(
        DataError, match=r"row 0, column 'value': a negative count; expected a count >= 0, found -4"
    ):
        load_panel(raw)


# -- q11in Q11: a line without an amount made the total NaN, silently ----------------------------


@pytest.mark.parametrize(
    ("cell", "found"),
    [("", "found an empty cell"), ("NaN", "found 'NaN'")],
)
def test_a_cost_line_without_an_amount_is_refused(tmp_path, cell, found):
    line = "E09000012,2008-09,staffing" + ("" if cell is None else f",{cell}")  # None: a short row
    path = tmp_path / "costs.csv"
    path.write_text(f"la_code,year,cost_line,amount_gbp\n{line}\nE09000012,2008-09,agency,5\n")
    with pytest.raises(DataError) as info:
        load_costs(path)
    assert (
        f"costs.csv, row 2, column 'amount_gbp': missing value; expected a value in every row, {found}"
        in str(info.value)
    )


def test_a_cost_line_cut_short_is_refused_where_the_csv_is_read(tmp_path):
    """The line without its amount field at all: refused by the reader (issue 21), naming the column."""
    path = tmp_path / "costs.csv"
    path.write_text(
        "la_code,year,cost_line,amount_gbp\nE09000012,2008-09,staffing\nE09000012,2008-09,agency,5\n"
    )
    with pytest.raises(DataError) as info:
        load_costs(path)
    assert (
        "costs.csv, row 2, column 'amount_gbp': a row with fewer fields than the header, its last cells "
        "missing (a file or a row cut short?); expected 4 fields, as in the header, found 3 fields"
    ) in str(info.value)


def test_absurd_amounts_and_a_missing_price_index_on_one_line_are_refused(tmp_path):
    path = tmp_path / "costs.csv"
    path.write_text("la_code,year,cost_line,amount_gbp\nE09000012,2008-09,staffing,1e40\n")
    with pytest.raises(DataError, match=r"row 2, column 'amount_gbp': an absurd value"):
        load_costs(path)
    path.write_text(
        "la_code,year,cost_line,amount_gbp,price_index\n"
        "E09000012,2008-09,staffing,10,NaN\nE09000012,2008-09,agency,5,97.9\n"
    )
    with pytest.raises(DataError, match=r"row 2, column 'price_index': a cost line without the price index"):
        load_costs(path)


def test_an_amount_too_small_for_a_float_is_refused_not_read_as_zero(tmp_path):
    """att12 L2: '1e-400' underflowed to 0 and loaded with no message."""
    path = tmp_path / "costs.csv"
    path.write_text("la_code,year,cost_line,amount_gbp\nE09000012,2008-09,staffing,1e-400\n")
    with pytest.raises(DataError) as info:
        load_costs(path)
    assert "row 2, column 'amount_gbp': a number too small to hold: it would read as 0" in str(info.value)
    assert str(info.value).endswith("found '1e-400'")


def test_a_number_in_hex_is_quoted_not_hidden_as_an_identifier():
    """att12 L5: '0x10' was reported as found <not shown: may be an identifier>."""
    raw = pd.DataFrame(
        {"la_code": ["E09000012"], "year": ["2009"], "cost_line": ["x"], "amount_gbp": ["0x10"]}
    )
    with pytest.raises(DataError, match=r"column 'amount_gbp': not a number.*found '0x10'$"):
        load_costs(raw)
