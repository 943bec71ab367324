"""Power and MDES against R power.t.test, power.prop.test and pwr."""

import numpy as np
import pytest
from scipy import stats

from rsw_eval.stats import mdes, power_two_means, power_two_proportions


def test_power_t_matches_r():
    # R: power.t.test(n = 20, delta = 1) -> power = 0.8689528
    assert power_two_means(1.0, 20, 20, strict=False) == pytest.approx(0.8689528, abs=5e-8)


def test_strict_adds_the_other_tail():
    lower = stats.nct.cdf(-stats.t.ppf(0.975, 38), 38, np.sqrt(10))
    assert power_two_means(1.0, 20, 20) - power_two_means(1.0, 20, 20, strict=False) == pytest.approx(
        lower, abs=1e-15
    )


def test_power_prop_matches_r():
    # R: power.prop.test(n = 50, p1 = .50, p2 = .75) -> power = 0.7401659
    assert power_two_proportions(0.5, 0.75, 50, 50, strict=False) == pytest.approx(0.7401659, abs=5e-8)


def test_mdes_matches_pwr():
    # R pwr: pwr.t.test(d = 0.5, power = 0.8) -> n = 63.76561 per group
    assert mdes(63.76561, 63.76561) == pytest.approx(0.5, abs=1e-6)
    assert power_two_means(0.5, 63.76561, 63.76561, strict=False) == pytest.approx(0.8, abs=1e-6)


def test_design_effect_divides_the_sample():
    assert power_two_means(0.4, 120, 80, design_effect=2) == pytest.approx(
        power_two_means(0.4, 60, 40), abs=1e-15
    )
    assert mdes(100, 100, design_effect=1.5) == pytest.approx(mdes(100 / 1.5, 100 / 1.5), abs=1e-9)


def test_power_by_simulation():
    # second method: the rejection rate of Student's t over 20 000 simulated trials
    rng = np.random.default_rng(8)
    x = rng.normal(0.6, 1, (20000, 25))
    y = rng.normal(0.0, 1, (20000, 30))
    rejected = stats.ttest_ind(x, y, axis=1).pvalue < 0.05
    assert rejected.mean() == pytest.approx(power_two_means(0.6, 25, 30), abs=0.01)


def test_errors():
    with pytest.raises(ValueError, match="'alpha' parameter of power_two_means must be a float in"):
        power_two_means(0.5, 10, 10, alpha=5)
    with pytest.raises(ValueError, match="'design_effect' parameter of mdes must be >= 1"):
        mdes(10, 10, design_effect=0.5)
    with pytest.raises(ValueError, match=r"'p1' parameter of power_two_proportions must be in \(0, 1\)"):
        power_two_proportions(1.2, 0.5, 10, 10)
