"""The annual table's footnote says what the table shows (findings-q22 L5): England beside rates
and not beside counts, a spec's declared counts included; ``c`` as rsw-eval's suppression, not
DfE's, in a council's own panel, and the same under the charts' data tables."""

from __future__ import annotations

import re
import warnings

import pandas as pd
import pytest

from rsw_eval.evaluation.engine import compare
from rsw_eval.report import build
from tests.evaluation._panels import LONDON, panel, spec_for

TREATED = LONDON[0]


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    """The annual table of a council's own panel with England's rows and a declared count
    (``cla_female``) that is 3 for the treated authority in the report's year."""
    frame = panel(n=8, years=range(2006, 2012), adoption={TREATED: 2010}, indicators=("cla_female",))
    frame.loc[(frame["la_code"] == TREATED) & (frame["year"] == 2011), "value"] = 3.0
    england = pd.DataFrame({"la_code": "E92000001", "year": range(2006, 2012), "indicator": "cla_female"})
    frame = pd.concat([frame, england.assign(value=30000.0)], ignore_index=True)
    spec = spec_for(frame, tmp_path_factory.mktemp("own"), unit_model={TREATED: 2010}, counts=["cla_female"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        results = compare(spec)
    return build(results, "annual", authority=TREATED, year=2011, generated="2026-01-01")


@pytest.fixture(scope="module")
def indicators(data):
    return next(s for s in data.sections if s.id == "indicators")


def test_a_declared_count_has_no_england_total_beside_it(indicators):
    row = next(r for r in indicators.rows if r[0].lower().startswith("cla female"))
    assert row[5] == "–"  # England's 30,000 was shown under a footnote saying counts are not
    assert "England is shown for rates, percentages and averages, not for counts" in indicators.note


def test_rsw_evals_own_suppression_is_not_called_dfes(indicators):
    row = next(r for r in indicators.rows if r[0].lower().startswith("cla female"))
    assert row[1] == "c"
    assert "(DfE)" not in indicators.note and "by DfE" not in indicators.note
    assert "c = suppressed (a count from 1 to 5, or a figure from which one could be worked out)" in (
        indicators.note
    )


def test_a_charts_c_means_what_the_tables_does(data, indicators):
    """A chart's data table explained c as "suppressed as a small number": wrong for a figure
    hidden because a small count could be worked out from it. It now reads as the table's legend."""
    chart = next(svg for title, svg in next(s for s in data.sections if s.id == "trends").charts)
    assert "c" in {cell for t in chart.tables for row in t.rows for cell in row[1:]}
    meaning = dict(chart.meanings)["c"]
    assert f"c = {meaning} and left out of medians and ranks" in indicators.note
    assert "small number" not in chart.key and "c = suppressed (a count from 1 to 5, or a figure" in chart.key


def test_a_declared_count_prints_as_a_whole_number(data, indicators):
    """A spec's declared count printed as a decimal ("218.0") in the table, its trend line and its
    chart's data, where rsw-eval's own counts print whole; a count is a whole number wherever shown."""
    row = next(r for r in indicators.rows if r[0].lower().startswith("cla female"))
    spark = re.search(r"<title>(.*)</title>", indicators.sparks[indicators.rows.index(row)]).group(1)
    chart = next(svg for title, svg in next(s for s in data.sections if s.id == "trends").charts)
    shown = " ".join([*row[2:5], spark, chart.alt, *(c for t in chart.tables for r in t.rows for c in r[1:])])
    assert re.search(r"\d", row[2]) and not re.search(r"\d\.\d", shown), shown


def test_a_declared_count_prints_as_a_whole_number_in_the_munro_report_too(tmp_path):
    """The Munro report's before/after table and headline printed a declared count as 24.0."""
    import shutil

    import numpy as np

    from rsw_eval.spec import load_spec
    from rsw_eval.spec._spec import SAMPLE_SPEC

    shutil.copytree("data/sample", tmp_path / "d")
    admin = pd.read_csv(tmp_path / "d" / "admin_panel.csv")
    admin["adoptions"] = np.random.default_rng(1).integers(8, 30, len(admin))
    admin.to_csv(tmp_path / "d" / "admin_panel.csv", index=False)
    text = SAMPLE_SPEC.read_text().replace("synthetic = true", 'synthetic = true\ncounts = ["adoptions"]')
    (tmp_path / "spec.toml").write_text(text)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        results = compare(load_spec(tmp_path / "spec.toml", data_dir=tmp_path / "d"), only=["admin"])
    data = build(results, "munro", generated="2026-01-01")
    table = next(s for s in data.sections if s.id == "indicators")
    cells = [c for r in table.rows if str(r[0]).startswith("Adoptions") for c in r[2:4]]
    assert cells and all(re.fullmatch(r"[\d,]+|c|", c) for c in cells), cells
