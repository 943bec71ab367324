"""Bootstrap intervals against SciPy's bootstrap (second method) and the jackknife closed form."""

import numpy as np
import pytest
from scipy import stats

from rsw_eval.stats import bootstrap_ci

X = np.array([2.1, 3.4, 1.9, 5.6, 4.4, 3.8, 2.7, 4.9, 3.1, 6.2, 9.8, 2.2, 3.0, 4.1])


def test_bca_acceleration_of_the_mean_closed_form():
    # for the mean, a = sum (x - mean)^3 / (6 (sum (x - mean)^2)^1.5)  (Efron & Tibshirani 1993)
    r = bootstrap_ci(lambda s: s.mean(axis=-1), X, n_resamples=200, seed=0)
    dev = X - X.mean()
    assert r.details["acceleration"] == pytest.approx(np.sum(dev**3) / (6 * np.sum(dev**2) ** 1.5), rel=1e-10)


@pytest.mark.parametrize("method", ["bca", "percentile"])
def test_agrees_with_scipy_bootstrap(method):
    r = bootstrap_ci(lambda s: s.mean(axis=-1), X, n_resamples=40000, method=method, seed=1)
    ref = stats.bootstrap(
        (X,), np.mean, n_resamples=40000, rng=2, method="BCa" if method == "bca" else "percentile"
    ).confidence_interval
    # Monte Carlo error of the limits at 40 000 resamples is about 0.5% here
    assert r.ci_low == pytest.approx(ref.low, rel=0.02)
    assert r.ci_high == pytest.approx(ref.high, rel=0.02)


def test_two_samples_and_batches():
    y = X[::-1] + 1
    r = bootstrap_ci(lambda a, b: a.mean(-1) - b.mean(-1), X, y, n_resamples=5000, seed=3)
    assert r.estimate == pytest.approx(X.mean() - y.mean(), abs=1e-12)
    assert r.n1 == X.size and r.n2 == y.size
    assert r.ci_low < r.estimate < r.ci_high


def test_seeded_is_reproducible():
    f = lambda s: np.median(s, axis=-1)  # noqa: E731
    a = bootstrap_ci(f, X, n_resamples=500, seed=9)
    b = bootstrap_ci(f, X, n_resamples=500, seed=9)
    assert a.ci == b.ci


def test_degenerate_distribution_is_invalid():
    r = bootstrap_ci(lambda s: s.mean(-1), [1.0, 1.0, 1.0], n_resamples=200, seed=0)
    assert not r.valid and "degenerate" in r.reason


def test_errors():
    with pytest.raises(ValueError, match="'n_resamples' parameter of bootstrap_ci must be an integer"):
        bootstrap_ci(lambda s: s.mean(-1), X, n_resamples=10)
    with pytest.raises(ValueError, match="'method' parameter of bootstrap_ci must be one of"):
        bootstrap_ci(lambda s: s.mean(-1), X, method="abc")
