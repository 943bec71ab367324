"""Costs ledger: a price index is a national deflator, one value per year for every authority; a
decimal slipped for one authority-year is refused by row (findings-q13in A12)."""

from __future__ import annotations

import pandas as pd
import pytest

from rsw_eval import DataError
from rsw_eval.cli import main
from rsw_eval.io import load_costs
from tests.conftest import SAMPLE


def test_one_authority_year_index_slipped_by_a_decimal_place_is_refused(tmp_path, capsys):
    ledger = pd.read_csv(SAMPLE / "costs.csv", dtype=str)
    hackney = (ledger["la_code"] == "E09000012") & (ledger["year"] == "2008-09")
    ledger.loc[hackney, "price_index"] = "9.79"
    path = tmp_path / "costs.csv"
    ledger.to_csv(path, index=False)
    rows = ", ".join(str(i + 2) for i in ledger.index[hackney][:5])
    with pytest.raises(
        DataError,
        match=rf"rows {rows} \(\+{hackney.sum() - 5} more\), column 'price_index': a price index that "
        r"differs from the other authorities' for its year; expected .*97.9 in 2009, found 9.79 "
        r"\(E09000012 2009\)",
    ):
        load_costs(path)
    assert main(["validate", str(path), "--kind", "costs"]) == 2
    assert "differs from the other authorities'" in capsys.readouterr().err


def test_the_sample_ledger_with_one_index_a_year_loads():
    costs = load_costs(SAMPLE / "costs.csv")
    assert costs.groupby("year")["price_index"].nunique().eq(1).all()
