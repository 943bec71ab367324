"""B4 of the authority2 attack: the reports decided percentage points vs percent by their own name
rule and recomputed the comparators' changes, so for a share or a 0/1 indicator X's report said
"+750.0%" or "+100.0% / 0.0%" where compare's rows say +7.5 pp or +100 pp. The property: every
before/after number in X's report attributed to X (its change) or to X's comparators (median and
range) equals the rows of ``compare(spec, authority=X)``, in the rows' unit. On the real DfE d3
file and indicators derived from it (a 0/1 flag, a 0-1 share)."""

from __future__ import annotations

import warnings

import pytest

import rsw_eval
from rsw_eval.designs._units import note_range
from rsw_eval.report import build
from rsw_eval.report._common import protected_series
from rsw_eval.report._labels import value_text
from rsw_eval.report._numbers import signed
from rsw_eval.report._points import level_points
from rsw_eval.report._render import render_html
from rsw_eval.spec import load_spec
from tests._derived_dfe import derived_d3, spec_dict
from tests.conftest import needs_dfe
from tests.report._authority_property import table_after

pytestmark = needs_dfe

COLUMNS = {
    "high_repeat": "high_repeat",
    "repeat_frac": "repeat_share",
    "CPP_subsequent_percent": "repeat_percent",
}
LABELS = {"High repeat": "high_repeat", "Repeat share": "repeat_share", "Repeat percent": "repeat_percent"}


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return derived_d3(tmp_path_factory.mktemp("units"))


@pytest.mark.parametrize("code", ["E06000010", "E09000028"])  # Hull (2017), Southwark (2016)
def test_every_before_after_number_in_xs_report_is_its_rows(folder, code):
    spec = load_spec(spec_dict(COLUMNS, designs=["before_after"]), data_dir=folder)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = rsw_eval.compare(spec, authority=code)
    t = res.protected().table
    series = protected_series(res)
    html = render_html(build(res, "munro", generated="2026-12-06"))
    shown = {row[0]: row for row in table_after(html, "indicators")}
    assert set(LABELS) <= set(shown)
    for label, outcome in LABELS.items():
        rows = t[(t["outcome"] == outcome) & t["treatment"].str.contains(f"({code})", regex=False)]
        own = rows[rows["comparison"].str.startswith("own baseline")].iloc[0]
        context = rows[rows["treatment"].str.startswith("comparators")].iloc[0]
        assert own["effect_size_name"] == context["effect_size_name"] == "change_pp"
        _, period, before, after, change, comparators = shown[label]
        assert period == own["period"].replace("->", " to ")
        points = level_points(series, outcome)  # F5: a 0-1 share's, a 0/1 flag's levels in %
        assert before == value_text(outcome, own["value_comparison"], points)
        assert after == value_text(outcome, own["value_treatment"], points)
        assert before.endswith("%") and after.endswith("%")  # a percentage and a share alike
        assert change == signed(own["effect_size"], " pp")
        lo, hi = note_range(context["note"])
        assert comparators == (
            f"{signed(context['effect_size'], ' pp')} ({signed(lo, ' pp')} to {signed(hi, ' pp')})"
        )
    # the 0-1 share and the 0-100 percentage are one quantity: one change in points
    pp = t[t["comparison"].str.startswith("own baseline")].set_index("outcome")["effect_size"]
    assert pp["repeat_share"] == pytest.approx(pp["repeat_percent"], abs=0.01)
    # ... and its levels read as the percentage's (21.1% beside 21.1%), not 0.2 beside +7.9 pp
    share, percent = shown["Repeat share"], shown["Repeat percent"]
    for k in (2, 3):
        assert float(share[k].rstrip("%")) == pytest.approx(float(percent[k].rstrip("%")), abs=0.051)


def test_the_annual_table_changes_a_flag_and_a_share_in_points(folder):
    """Hull's annual table printed 'High repeat 1.0 1.0 0.0%' (a percent change of a 0/1 flag)."""
    spec = load_spec(spec_dict(COLUMNS, designs=["before_after"]), data_dir=folder)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = rsw_eval.compare(spec, authority="E06000010")
    html = render_html(build(res, "annual", authority="E06000010", year=2019, generated="2026-12-06"))
    cells = {r[0]: r for r in table_after(html, "indicators") if r and r[0] in LABELS}
    assert set(cells) == set(LABELS)
    for label in cells:  # name, this year, last year, change, ...
        assert cells[label][3].endswith(" pp"), cells[label]
