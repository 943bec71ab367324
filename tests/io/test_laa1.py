"""SFR 27/2010 table LAA1 (children looked after by authority name, 2006-2010, rounded to 5)."""

from __future__ import annotations

import pandas as pd
import pytest

from rsw_eval import DataError
from rsw_eval.io import LAA1_NAMES, UnmappedCodeWarning, la_codes, load_laa1
from tests.conftest import DFE, needs_dfe

LAA1 = DFE / "sfr27-2010amv5.xls"


@needs_dfe
def test_hackney_2006_to_2010_real_file():
    # shared README anchor: Hackney in LAA1 460 (2006), 425, 360, 345, 305 (2010), rounded to 5
    with pytest.warns(UnmappedCodeWarning, match="820 Bedfordshire.*875 Cheshire"):
        panel = load_laa1(LAA1, on_unmapped="drop")
    h = panel[(panel["la_code"] == "E09000012") & (panel["indicator"] == "children_looked_after")]
    assert h["value"].tolist() == [460, 425, 360, 345, 305]
    assert h["year"].tolist() == [2006, 2007, 2008, 2009, 2010]
    assert set(h["rounding"]) == {"nearest 5"} and set(h["old_la_code"]) == {"204"}
    rates = panel[(panel["la_code"] == "E09000012") & (panel["indicator"] == "cla_rate_per_10k")]
    assert rates["value"].tolist() == [89, 83, 71, 68, 59]
    assert panel["la_code"].nunique() == 152  # every authority, no England or regional rows


@needs_dfe
def test_names_that_differ_from_the_lookup_real_file():
    with pytest.warns(UnmappedCodeWarning):
        panel = load_laa1(LAA1, on_unmapped="drop")
    cla = panel[panel["indicator"] == "children_looked_after"].set_index(["old_la_code", "year"])
    assert cla.loc[("840", 2006), "value"] == 415  # "Durham"
    assert cla.loc[("887", 2010), "value"] == 350  # "Medway Towns"
    assert cla.loc[("822", 2010), "value"] == 165  # "Bedford Borough5" (footnote marker)
    assert cla.loc[("822", 2006), "flag"] == "."  # not applicable: Bedford did not exist yet
    scilly = panel[(panel["la_name"] == "Isles Of Scilly") & (panel["year"] == 2006)]
    assert set(scilly["flag"]) == {"x"} and scilly["value"].isna().all()


@needs_dfe
def test_abolished_counties_are_an_error_by_default_real_file():
    with pytest.raises(DataError, match=r"875 Cheshire"):
        load_laa1(LAA1)


def _book(tmp_path, names):
    rows = [["Table LAA1", None, None], [None, "numbers", None], [None, 2009, 2010]]
    rows += [[n, 10, 20] for n in names]
    path = tmp_path / "laa1.xlsx"
    pd.DataFrame(rows).to_excel(path, sheet_name="LAA1", header=False, index=False)
    return path


def test_unknown_name_is_an_error(tmp_path):
    with pytest.raises(DataError, match=r"authority names not in the bundled lookup.*found Atlantis"):
        load_laa1(_book(tmp_path, ["Hackney", "Atlantis"]))


def test_alias_evidence_names_the_lookup_row():
    lookup = la_codes().set_index("old_la_code")
    for code, evidence in LAA1_NAMES.values():
        assert lookup.loc[code, "la_name"].split(",")[0] in evidence


def test_no_year_header(tmp_path):
    path = tmp_path / "x.xlsx"
    pd.DataFrame([["a", "b"]]).to_excel(path, sheet_name="LAA1", header=False, index=False)
    with pytest.raises(DataError, match="no header row of years"):
        load_laa1(path)
