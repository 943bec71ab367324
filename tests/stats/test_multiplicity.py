"""p-value adjustment against hand computation and statsmodels (second method)."""

import numpy as np
import pytest
from statsmodels.stats.multitest import multipletests

from rsw_eval.stats import adjust_pvalues

P = np.array([0.01, 0.04, 0.03, 0.005, 0.2, np.nan, 0.001])


def test_holm_by_hand():
    # sorted p: .005 .01 .03 .04 ; x (4, 3, 2, 1) = .02 .03 .06 .04 ; running max .02 .03 .06 .06
    assert adjust_pvalues([0.01, 0.04, 0.03, 0.005]) == pytest.approx([0.03, 0.06, 0.06, 0.02], abs=1e-12)


def test_bh_by_hand():
    # p * m / rank: .005*4/1 = .02, .01*4/2 = .02, .03*4/3 = .04, .04*4/4 = .04
    assert adjust_pvalues([0.01, 0.04, 0.03, 0.005], method="bh") == pytest.approx(
        [0.02, 0.04, 0.04, 0.02], abs=1e-12
    )


@pytest.mark.parametrize(
    ("ours", "theirs"), [("holm", "holm"), ("bh", "fdr_bh"), ("bonferroni", "bonferroni")]
)
def test_matches_statsmodels_and_ignores_nan(ours, theirs):
    ok = ~np.isnan(P)
    expected = multipletests(P[ok], method=theirs)[1]
    got = adjust_pvalues(P, method=ours)
    assert np.isnan(got[5])
    assert got[ok] == pytest.approx(expected, abs=1e-12)


def test_families_are_adjusted_separately():
    got = adjust_pvalues([0.01, 0.02, 0.01, 0.02], families=["w", "w", "p", "p"])
    assert got == pytest.approx([0.02, 0.02, 0.02, 0.02], abs=1e-12)


def test_hierarchical_by_hand():
    # within: a -> [.02, .02]; b -> [.5, .002]; family tests .02 and .002, Holm across -> .02, .004
    got = adjust_pvalues([0.01, 0.02, 0.5, 0.001], families=list("aabb"), hierarchical=True)
    assert got == pytest.approx([0.02, 0.02, 0.5, 0.004], abs=1e-12)


def test_none_returns_input():
    assert adjust_pvalues([0.3, 0.01], method="none") == pytest.approx([0.3, 0.01])


def test_errors():
    with pytest.raises(ValueError, match="'method' parameter of adjust_pvalues must be one of"):
        adjust_pvalues([0.1], method="sidak")
    with pytest.raises(ValueError, match=r"must hold values in \[0, 1\]. Got \[1.5\]"):
        adjust_pvalues([1.5])
    with pytest.raises(ValueError, match="one label per p-value. Got 1 labels for 2"):
        adjust_pvalues([0.1, 0.2], families=["a"])
