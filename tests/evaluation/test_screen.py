"""The national screen: the same numbers as the single-authority DiD, one scale per indicator, and
missing data handled case by case (checked against a per-case loop written from the definition)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from rsw_eval import SpecError
from rsw_eval.comparison.neighbours import load_statistical_neighbours
from rsw_eval.designs.did import did
from rsw_eval.evaluation.screen import national_screen
from rsw_eval.io import load_dfe_table
from rsw_eval.publication import protected_panel
from tests.conftest import DFE, needs_dfe

CODES = [f"E0900{i:04d}" for i in range(14)]
YEARS = range(2004, 2016)


def _panel(seed=0, indicators=("children_looked_after", "agency_worker_pct"), zero=None, holes=0):
    rng = np.random.default_rng(seed)
    rows = []
    for ind in indicators:
        for a, code in enumerate(CODES):
            level = rng.uniform(50, 400)
            for y in YEARS:
                value = (
                    level * (1 + 0.02 * (y - 2004)) + rng.normal(0, 8) + (30 if a == 3 and y >= 2010 else 0)
                )
                rows.append((code, f"LA {a}", y, ind, round(value, 1)))
    panel = pd.DataFrame(rows, columns=["la_code", "la_name", "year", "indicator", "value"])
    if zero is not None:
        panel.loc[(panel["la_code"] == zero) & (panel["year"] == 2005), "value"] = 0.0
    if holes:
        drop = rng.choice(len(panel), holes, replace=False)
        panel.loc[drop, "value"] = np.nan
    return panel


def _neighbours(k=6):
    """Each authority's k nearest by position (ring), nearest first."""
    rows = []
    for a, code in enumerate(CODES):
        others = sorted((i for i in range(len(CODES)) if i != a), key=lambda i: (abs(i - a), i))[:k]
        rows += [(code, CODES[i], r + 1) for r, i in enumerate(others)]
    return pd.DataFrame(rows, columns=["la_code", "neighbour_code", "rank"])


def test_each_row_is_the_single_authority_did():
    """Source: rsw_eval.designs.did.did, run authority by authority against the same neighbours."""
    panel, nb = _panel(), _neighbours()
    screen = national_screen(panel, 2010, neighbours=nb, k=6).table.set_index(["la_code", "indicator"])
    for code in CODES[::3]:
        comps = nb.loc[nb["la_code"] == code, "neighbour_code"].tolist()
        for row in (r for r in did(panel, [code], comps, 2010) if r["design"] == "did"):  # not its bounds
            got = screen.loc[(code, row["outcome"])]
            assert got["scale"] == row["scale"]
            assert got["estimate"] == pytest.approx(row["difference"], rel=1e-12)
            assert got["effect"] == pytest.approx(row["effect_size"], rel=1e-12)
            assert got["p_value"] == pytest.approx(row["p_value"], rel=1e-12)


def test_the_scale_is_chosen_once_per_indicator():
    """A zero count anywhere puts the whole indicator on the level scale (did() per authority
    would keep the log for authorities whose own comparators have no zero)."""
    panel = _panel(zero=CODES[-1])
    table = national_screen(panel, 2010, comparators="all").table
    assert set(table.loc[table["indicator"] == "children_looked_after", "scale"]) == {"level"}
    assert set(table.loc[table["indicator"] == "agency_worker_pct", "scale"]) == {"level"}
    log = national_screen(_panel(), 2010, comparators="all").table
    assert set(log.loc[log["indicator"] == "children_looked_after", "scale"]) == {"log"}


def test_missing_values_case_by_case():
    """Source: rsw_eval.designs.did.did for each authority against the same neighbours, on a panel
    with holes (each authority's own years; comparators without a change left out)."""
    panel, nb = _panel(holes=60, indicators=("agency_worker_pct",)), _neighbours()
    table = national_screen(panel, 2010, neighbours=nb, k=6).table.set_index("la_code")
    for code in CODES:
        comps = nb.loc[nb["la_code"] == code, "neighbour_code"].tolist()
        row = did(panel.dropna(subset=["value"]), [code], comps, 2010)[0]
        if "reason" in row:  # too few of its own years: no estimate in either
            assert np.isnan(table.loc[code, "estimate"]), row["reason"]
            continue
        assert table.loc[code, "n_comparators"] == row["n_comparison"]
        assert table.loc[code, "estimate"] == pytest.approx(row["difference"], rel=1e-10)
        assert table.loc[code, "p_value"] == pytest.approx(row["p_value"], rel=1e-12)


def test_multiplicity_is_stated_and_adjusted_within_indicator():
    s = national_screen(_panel(), 2010, neighbours=_neighbours(), k=6)
    text = str(s)
    assert "smallest attainable placebo p is 1/7" in text
    assert "BH-adjusted within each indicator across 14 authorities" in text
    assert "not a significant finding" in text
    t = s.table
    assert (t["p_adjusted"] >= t["p_value"] - 1e-15).all()
    assert (t["p_value"] >= t["p_min"] - 1e-15).all()
    assert set(t["adjustment"]) == {"bh within indicator"}


def test_change_years_per_authority():
    s = national_screen(_panel(), {CODES[3]: 2010, CODES[7]: 2012, "E99999999": 2010}, comparators="all")
    assert set(s.table["la_code"]) == {CODES[3], CODES[7]}
    assert set(zip(s.table["la_code"], s.table["change_year"], strict=True)) == {
        (CODES[3], 2010),
        (CODES[7], 2012),
    }


def test_the_treated_authority_leads(tmp_path):
    s = national_screen(_panel(indicators=("agency_worker_pct",)), 2010, comparators="all")
    assert s.table.iloc[0]["la_code"] == CODES[3]
    assert s.chart(tmp_path / "c.png", highlight=[CODES[3]]).stat().st_size > 1000


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"design": "synth"}, r"unknown screen design .synth.; valid: did, its"),
        ({"comparators": "nearest"}, r"unknown comparators 'nearest'; valid: statistical_neighbours, all"),
        ({"indicators": ["nope"]}, r"indicator 'nope' is not in the panel"),
        ({}, r"needs the neighbours table"),
        (
            {"change_year": {"E99999999": 2010}, "comparators": "all"},
            r"none of the authorities given a change",
        ),
    ],
    ids=["design", "comparators", "indicator", "no-neighbours", "no-authority"],
)
def test_bad_options(kwargs, match):
    kwargs = {"change_year": 2010, **kwargs}
    with pytest.raises(SpecError, match=match):
        national_screen(_panel(), **kwargs)


@needs_dfe
def test_real_ees_files_and_neighbours():
    panel = pd.concat(
        [
            load_dfe_table(DFE / "d3_cpps_subsequent_plan_2013_to_2025.csv"),
            load_dfe_table(DFE / "csww_indicators_2017_to_2025.csv"),
        ],
        ignore_index=True,
    )
    nb = load_statistical_neighbours(DFE / "New_Statistical_Neighbour_Groupings_April_2021.csv")
    t = national_screen(panel, 2019, neighbours=nb).table
    hackney = t[(t["la_code"] == "E09000012") & (t["indicator"] == "CPP_subsequent_percent")].iloc[0]
    assert hackney["n_comparators"] == 10 and hackney["p_min"] == pytest.approx(1 / 11)
    assert t["la_code"].nunique() >= 150
    # Source: did() for Hackney against its 2021 neighbours on the same panel
    comps = nb.loc[nb["la_code"] == "E09000012", "neighbour_code"].tolist()
    published = protected_panel(panel)  # the screen runs on the panel as it may be published
    rows = did(published, ["E09000012"], comps, 2019)
    row = next(r for r in rows if r["outcome"] == "CPP_subsequent_percent")
    assert hackney["estimate"] == pytest.approx(row["difference"], rel=1e-12)
    assert hackney["p_value"] == pytest.approx(row["p_value"], rel=1e-12)


def test_comparative_its_rows_are_the_single_authority_its():
    """Source: rsw_eval.designs.its.its (comparative level change) for each authority."""
    from rsw_eval.designs.its import its

    panel, nb = _panel(indicators=("agency_worker_pct",)), _neighbours()
    table = national_screen(panel, 2010, neighbours=nb, k=6, design="its").table.set_index("la_code")
    for code in CODES[::4]:
        comps = nb.loc[nb["la_code"] == code, "neighbour_code"].tolist()
        row = next(r for r in its(panel, [code], 2010, comps) if r["n_comparison"] == 6 and r["primary"])
        assert table.loc[code, "estimate"] == pytest.approx(row["effect_size"], rel=1e-9)  # level scale
        assert table.loc[code, "p_value"] == pytest.approx(row["p_value"], rel=1e-12)


def test_comparative_its_screen():
    s = national_screen(_panel(indicators=("agency_worker_pct",)), 2010, comparators="all", design="its")
    assert s.table.iloc[0]["la_code"] == CODES[3]
    assert set(s.table["effect_name"]) == {"its_estimate"}
    assert "comparative ITS (segmented level change)" in s.notes[0]


@needs_dfe
def test_cli_screen_filters_an_ees_table_as_its_hint_says(tmp_path):
    # the loader's hint names --filter: the screen command must take it
    from rsw_eval.cli import main

    out = tmp_path / "screen.csv"
    status = main(
        [
            "screen",
            str(DFE / "cla_number_and_rate_per_10k_children.csv"),
            "--filter",
            "population_type=Children looked after on 31 March each year",
            "--neighbours",
            str(DFE / "New_Statistical_Neighbour_Groupings_April_2021.csv"),
            "--year",
            "2023",
            "--indicator",
            "rate_per_10000",
            "--out",
            str(out),
        ]
    )
    table = pd.read_csv(out)
    assert status == 0 and table["p_value"].notna().sum() > 100
    assert table["p_value"].min() == pytest.approx(1 / 11)  # the floor with 10 neighbours


@pytest.mark.parametrize("name", ["Croydon $\\frac$", "Tower_Hamlets^2 \\ $x_1$"])
def test_chart_draws_authority_names_as_text(tmp_path, name):
    """A name holding mathtext markup is drawn as given (``$\\frac$`` used to abort the chart); the
    SVG keeps it as text, and a second run writes the same bytes."""
    import xml.etree.ElementTree as ET

    panel = _panel(indicators=("agency_worker_pct",))
    panel.loc[panel["la_code"] == CODES[3], "la_name"] = name
    s = national_screen(panel, 2010, comparators="all")
    first = s.chart(tmp_path / "a.svg", highlight=[CODES[3]])
    drawn = ["".join(t.itertext()) for t in ET.parse(first).iter("{http://www.w3.org/2000/svg}text")]
    assert name in drawn
    assert s.chart(tmp_path / "b.svg", highlight=[CODES[3]]).read_bytes() == first.read_bytes()
    assert s.chart(tmp_path / "c.pdf", highlight=[CODES[3]]).stat().st_size > 1000


def test_the_python_api_screens_the_panel_as_it_may_be_published():
    """findings-q7disc (notes): national_screen(panel) ran on whatever panel it was given, while the
    CLI protected it first. A small count planted in a comparator's pre years moves the unprotected
    screen; the protected one ignores its value (it is suppressed)."""
    panel = _panel(indicators=("children_looked_after",))
    low = panel.assign(value=np.where(panel["year"] < 2008, 2.0, panel["value"]))
    high = panel.assign(value=np.where(panel["year"] < 2008, 4.0, panel["value"]))
    args = {"comparators": "all"}
    shown = [national_screen(p, 2010, **args).table for p in (low, high)]
    pd.testing.assert_frame_equal(shown[0], shown[1])
    raw = [national_screen(p, 2010, disclosure_rules=None, **args).table for p in (low, high)]
    assert not raw[0]["effect"].equals(raw[1]["effect"])


def test_a_panel_of_text_values_is_read_as_numbers_or_refused_by_row():
    """findings-q9disc X6: values as text (Arrow strings) crashed inside the protection, and a 'c'
    in an object column with a raw ValueError. Numbers as text are read; other text is refused."""
    panel = _panel(indicators=("agency_worker_pct",))
    as_text = panel.assign(value=panel["value"].map(repr).astype("string"))
    expected = national_screen(panel, 2010, comparators="all").table
    pd.testing.assert_frame_equal(national_screen(as_text, 2010, comparators="all").table, expected)
    with pytest.raises(SpecError, match="row 5, column .value.: expected a finite number, found .c."):
        national_screen(panel.assign(value=panel["value"].astype(object).where(panel.index != 4, "c")), 2010)


def test_blank_and_nan_text_are_missing_and_yes_no_or_infinity_refused():
    """findings-q10disc Y6: values cast to text ('nan' for a missing one), blanks and spaces were
    refused although the message said a suppressed cell is blank; True and inf were screened."""
    panel = _panel(indicators=("agency_worker_pct",))
    gap = panel.assign(value=panel["value"].where(panel.index != 4))
    expected = national_screen(gap, 2010, comparators="all").table
    for missing in ("nan", "", "  "):
        text = panel.assign(value=panel["value"].map(repr).astype(object).where(panel.index != 4, missing))
        pd.testing.assert_frame_equal(national_screen(text, 2010, comparators="all").table, expected)
    for bad in (True, np.inf):
        odd = panel.assign(value=panel["value"].astype(object).where(panel.index != 4, bad))
        with pytest.raises(SpecError, match="row 5, column 'value': expected a finite number"):
            national_screen(odd, 2010)
