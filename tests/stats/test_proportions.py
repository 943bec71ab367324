"""Two proportions against Newcombe (1998), R fisher.test and closed forms."""

import numpy as np
import pytest
from scipy import optimize, stats

from rsw_eval.stats import newcombe_interval, two_proportions, wilson_interval


@pytest.mark.parametrize(
    ("counts", "expected"),
    [
        ((56, 70, 48, 80), (0.0524, 0.3339)),
        ((9, 10, 3, 10), (0.1705, 0.8090)),
        ((5, 56, 0, 29), (-0.0381, 0.1926)),
    ],
    ids=["example-a", "example-b", "example-d-zero-cell"],
)
def test_newcombe_table_ii_method_10(counts, expected):
    # Newcombe RG (1998), Statistics in Medicine 17:873-890, Table II, method 10 (4 decimals)
    lo, hi = newcombe_interval(*counts)
    assert (float(lo), float(hi)) == pytest.approx(expected, abs=5e-5)


def test_wilson_closed_form():
    # Wilson (1927): (p + z^2/2n -/+ z sqrt(p q/n + z^2/4n^2)) / (1 + z^2/n), x = 81, n = 263
    z = stats.norm.ppf(0.975)
    p, n = 81 / 263, 263
    centre = (p + z**2 / (2 * n)) / (1 + z**2 / n)
    half = z * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / (1 + z**2 / n)
    lo, hi = wilson_interval(81, 263)
    assert (float(lo), float(hi)) == pytest.approx((centre - half, centre + half), abs=1e-12)


def test_fisher_matches_r_tea_tasting():
    # R: fisher.test(matrix(c(3, 1, 1, 3), 2)): p = 0.4857, OR 6.408309, CI 0.2117329 621.9337505
    r = two_proportions(3, 4, 1, 4)
    assert r.test == "Fisher exact"  # cells below 5 -> exact by default
    assert r.p_value == pytest.approx(0.4857143, abs=5e-8)
    oratio = r["odds_ratio"]
    # conditional MLE solves E[X | psi] = 3 over the support weights 1, 16, 36, 16, 1
    mle = optimize.brentq(
        lambda s: (
            (16 * s + 72 * s**2 + 48 * s**3 + 4 * s**4) / (1 + 16 * s + 36 * s**2 + 16 * s**3 + s**4) - 3
        ),
        1,
        100,
        xtol=1e-14,
    )
    assert oratio.estimate == pytest.approx(mle, rel=1e-9)
    assert oratio.estimate == pytest.approx(6.408309, rel=1e-5)  # R, within uniroot's tolerance
    lower = optimize.brentq(
        lambda s: (16 * s**3 + s**4) / (1 + 16 * s + 36 * s**2 + 16 * s**3 + s**4) - 0.025,
        1e-3,
        10,
        xtol=1e-14,
    )  # P(X >= 3 | psi) = 0.025
    assert oratio.ci_low == pytest.approx(lower, rel=1e-8)
    assert oratio.ci_low == pytest.approx(0.2117329, rel=2e-5)  # R, within uniroot's tolerance
    # R's upper limit is loose (uniroot's default tolerance); solving the conditional likelihood
    # equation psi^4 / (1 + 16 psi + 36 psi^2 + 16 psi^3 + psi^4) = 0.975 exactly gives 626.2435.
    upper = optimize.brentq(
        lambda s: s**4 / (1 + 16 * s + 36 * s**2 + 16 * s**3 + s**4) - 0.975, 1, 1e5, xtol=1e-12
    )
    assert oratio.ci_high == pytest.approx(upper, rel=1e-6)
    assert oratio.ci_high == pytest.approx(621.9337505, rel=0.01)


def test_fisher_second_r_table():
    # R fisher.test(matrix(c(5, 2, 2, 8), 2, byrow = TRUE)): p = 0.0584121760592349,
    # conditional MLE 8.43200425152388, lower 0.730247237220777
    r = two_proportions(5, 7, 2, 10, exact=True)
    assert r.p_value == pytest.approx(0.058412176059234912, abs=1e-10)
    # exact MLE: the Fisher noncentral hypergeometric mean equals the observed 5
    mle = optimize.brentq(lambda s: stats.nchypergeom_fisher(17, 7, 7, s).mean() - 5, 1, 100, xtol=1e-14)
    assert r["odds_ratio"].estimate == pytest.approx(mle, rel=1e-9)
    assert r["odds_ratio"].estimate == pytest.approx(8.4320042515238818, rel=1e-4)  # R uniroot
    lower = optimize.brentq(
        lambda s: stats.nchypergeom_fisher(17, 7, 7, s).sf(4) - 0.025, 1e-3, 10, xtol=1e-14
    )
    assert r["odds_ratio"].ci_low == pytest.approx(lower, rel=1e-8)
    assert r["odds_ratio"].ci_low == pytest.approx(0.73024723722077733, rel=5e-5)  # R uniroot


def test_chi_square_closed_form():
    # 2x2 [[a, b], [c, d]]: X2 = N (ad - bc)^2 / (r1 r2 c1 c2); Yates: N (|ad - bc| - N/2)^2 / (...)
    a, b, c, d = 18, 82, 110, 90
    n = a + b + c + d
    margins = (a + b) * (c + d) * (a + c) * (b + d)
    r = two_proportions(18, 100, 110, 200)
    assert r.test == "Pearson chi-square"
    assert r.statistic == pytest.approx(n * (a * d - b * c) ** 2 / margins, rel=1e-12)
    assert r.details["chi2_yates"] == pytest.approx(
        n * (abs(a * d - b * c) - n / 2) ** 2 / margins, rel=1e-12
    )
    assert r.p_value == pytest.approx(stats.chi2.sf(r.statistic, 1), rel=1e-12)


def test_ratio_measures_closed_form():
    a, b, c, d = 18, 82, 110, 90
    z = stats.norm.ppf(0.975)
    r = two_proportions(18, 100, 110, 200)
    rr, se_rr = (a / 100) / (c / 200), np.sqrt(1 / a - 1 / 100 + 1 / c - 1 / 200)
    assert r["risk_ratio"].ci == pytest.approx((rr * np.exp(-z * se_rr), rr * np.exp(z * se_rr)), rel=1e-12)
    orr, se_or = a * d / (b * c), np.sqrt(1 / a + 1 / b + 1 / c + 1 / d)
    assert r["odds_ratio"].estimate == pytest.approx(orr, rel=1e-12)
    assert r["odds_ratio"].ci_high == pytest.approx(orr * np.exp(z * se_or), rel=1e-12)
    assert r.estimate == pytest.approx(0.18 - 0.55, abs=1e-12)


def test_cohens_h_closed_form():
    # h = 2 asin(sqrt(.5)) - 2 asin(sqrt(.25)) = pi/2 - pi/3 = pi/6
    r = two_proportions(50, 100, 25, 100)
    assert r["cohens_h"].estimate == pytest.approx(np.pi / 6, abs=1e-12)
    half = stats.norm.ppf(0.975) * np.sqrt(2 / 100)
    assert r["cohens_h"].ci == pytest.approx((np.pi / 6 - half, np.pi / 6 + half), abs=1e-12)


def test_zero_cell_adds_half_and_says_so():
    r = two_proportions(0, 20, 5, 20)
    assert "0.5 added" in r["risk_ratio"].method
    assert np.isfinite(r["risk_ratio"].ci_high)


def test_to_frame_has_one_row_per_measure():
    frame = two_proportions(18, 100, 110, 200).to_frame()
    assert frame["name"].tolist() == ["risk_difference", "risk_ratio", "odds_ratio", "cohens_h"]


@pytest.mark.parametrize(
    ("args", "match"),
    [
        ((6, 5, 1, 5), r"'x1' parameter of two_proportions must not exceed 'n1'. Got x1=6 > n1=5"),
        ((-1, 5, 1, 5), r"'x1' parameter of two_proportions must be a non-negative whole number"),
        ((1, 0, 1, 5), r"'n1' parameter of two_proportions must be positive"),
        ((1.5, 5, 1, 5), r"non-negative whole number. Got 1.5"),
    ],
    ids=["x>n", "negative", "n=0", "fraction"],
)
def test_errors(args, match):
    with pytest.raises(ValueError, match=match):
        two_proportions(*args)
