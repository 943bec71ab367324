"""B1 of the authority2 attack: an undeclared 0/1 indicator (``high_repeat``, built from the real
DfE d3 file) was inferred to be a count, so every 1 was suppressed and every design estimated 0.
A flag is taken as binary and said so (warning, provenance, the reports' disclosure section); a
flag the spec declares in ``counts`` keeps the disclosure guarantee."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import rsw_eval
from rsw_eval import RswEvalWarning
from rsw_eval.disclosure import rule_set
from rsw_eval.inputs import load_inputs
from rsw_eval.publication import count_rules, protect_panel
from rsw_eval.spec import load_spec
from tests._derived_dfe import derived_d3, spec_dict
from tests.conftest import needs_dfe

pytestmark = needs_dfe

HULL = "E06000010"


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return derived_d3(tmp_path_factory.mktemp("d3bin"))


def _rules(folder, **keys):
    spec = load_spec(spec_dict({"high_repeat": "high_repeat"}, **keys), data_dir=folder)
    panel = load_inputs(spec, {"admin"}).panel
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        rules, said = count_rules(spec, panel, rule_set())
    return panel, rules, said, [str(w.message) for w in caught if issubclass(w.category, RswEvalWarning)]


def test_a_0_1_indicator_is_taken_as_binary_and_said(folder):
    panel, rules, said, said_lines = _rules(folder)
    assert "high_repeat" not in rules.counts
    assert said["counts_binary"] == ["high_repeat"] and said["counts_inferred"] == []
    assert len(said_lines) == 1
    assert "high_repeat taken as a 0/1 indicator" in said_lines[0]
    assert "counts = [...]" in said_lines[0] and "not_counts = [...]" in said_lines[0]
    out, _ = protect_panel(panel, rules)
    ones = out[(out["indicator"] == "high_repeat") & (out["value"] == 1.0)]
    assert len(ones) > 100  # the 1s are published, not suppressed as small counts


def test_a_declared_0_1_count_is_still_protected(folder):
    panel, rules, said, _ = _rules(folder, counts=["high_repeat"])
    assert "high_repeat" in rules.counts and said["counts_binary"] == []
    out, _ = protect_panel(panel, rules)
    values = out.loc[out["indicator"] == "high_repeat", "value"].to_numpy(float)
    assert not ((values >= 1) & (values <= 5)).any()


def test_a_flag_is_estimated_and_the_report_says_how_it_was_taken(folder):
    """Hull's high_repeat is 0 in 2015 and 1 in 2019: +100 pp, not 'not computed' (suppressed)."""
    from rsw_eval.report import build
    from rsw_eval.report._render import render_html

    spec = load_spec(spec_dict({"high_repeat": "high_repeat"}, designs=["before_after"]), data_dir=folder)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        res = rsw_eval.compare(spec, authority=HULL)
    assert any("high_repeat taken as a 0/1 indicator" in str(w.message) for w in caught)
    t = res.protected().table
    hull = t[(t["outcome"] == "high_repeat") & t["treatment"].str.contains(HULL)].iloc[0]
    assert hull["effect_size_name"] == "change_pp" and hull["effect_size"] == pytest.approx(100.0)
    assert not bool(hull["suppressed"]) and np.isfinite(hull["effect_size"])
    html = render_html(build(res, "munro", generated="2026-12-06"))
    assert "Indicators the spec does not declare: high_repeat taken as a 0/1 indicator" in html
