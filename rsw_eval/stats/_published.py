"""Re-analysing published tables: tests and effect sizes from summary statistics, and a
statcheck-style consistency check of reported p-values."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import numpy as np
import pandas as pd
from scipy import stats

from rsw_eval.stats._checks import check_choice, check_confidence, p_from_t
from rsw_eval.stats._effsize import d_from_summary
from rsw_eval.stats._nct import nct_limits
from rsw_eval.stats._proportions import two_proportions
from rsw_eval.stats._reported import TESTS, _split_p, reported_problems
from rsw_eval.stats._result import StatResult, _Summary
from rsw_eval.stats._ttest import t_from_summary

__all__ = ["ReportedCheck", "check_reported", "from_counts", "from_summary", "from_t", "reported_problems"]


def from_summary(
    mean1: float,
    sd1: float,
    n1: int,
    mean2: float,
    sd2: float,
    n2: int,
    *,
    welch: bool = True,
    confidence: float = 0.95,
) -> StatResult:
    """t test, Cohen's d and Hedges' g (with CIs) from published means, SDs and sizes.

    Parameters
    ----------
    mean1, sd1, n1 : float
        Treatment group mean, SD (n - 1 divisor) and size.
    mean2, sd2, n2 : float
        The same for the comparison group.
    welch : bool, default True
        Welch's t (default) or Student's.
    confidence : float, default 0.95
        Level of every CI.

    Returns
    -------
    StatResult
        ``name="mean_difference"`` with related ``cohens_d`` and ``hedges_g`` (pooled SD, nct CIs).

    Examples
    --------
    >>> r = from_summary(17.147, 3.834, 19, 24.392, 6.167, 13)   # mtcars mpg by am, rounded
    >>> round(r.statistic, 3), round(r.df, 2), round(r["hedges_g"].estimate, 3)
    (-3.767, 18.33, -1.441)
    """
    func = "from_summary"
    confidence = check_confidence(confidence, func)
    for name, value in (("sd1", sd1), ("sd2", sd2)):
        if not value > 0:
            raise ValueError(f"The '{name}' parameter of {func} must be positive. Got {value!r}.")
    for name, value in (("n1", n1), ("n2", n2)):
        if not value >= 2:
            raise ValueError(f"The '{name}' parameter of {func} must be at least 2. Got {value!r}.")
    t = t_from_summary(mean1, sd1**2, n1, mean2, sd2**2, n2, equal_var=not welch, confidence=confidence)
    common = dict(
        ci_level=confidence,
        n1=n1,
        n2=n2,
        statistic=float(t["statistic"]),
        df=float(t["df"]),
        p_value=float(t["p_value"]),
        test="Welch t" if welch else "Student t",
    )
    related = []
    for kind, name in (("d", "cohens_d"), ("g", "hedges_g")):
        es = d_from_summary(mean1, sd1, n1, mean2, sd2, n2, kind=kind, confidence=confidence)
        related.append(
            StatResult(
                name,
                float(es["estimate"]),
                float(es["ci_low"]),
                float(es["ci_high"]),
                method="pooled SD; nct CI",
                **{**common, "df": float(es["df"])},
            )
        )
    return StatResult(
        "mean_difference",
        float(t["estimate"]),
        float(t["ci_low"]),
        float(t["ci_high"]),
        method="from summary statistics",
        related=tuple(related),
        details={"se": float(t["se"])},
        **common,
    )


def from_counts(
    x1: int, n1: int, x2: int, n2: int, *, confidence: float = 0.95, exact: bool | None = None
) -> StatResult:
    """Risk difference, risk ratio, odds ratio, Cohen's h and tests from published counts.

    The same as :func:`two_proportions`; provided under this name for re-analysing tables.

    Examples
    --------
    >>> round(from_counts(56, 70, 48, 80).ci_low, 4)
    0.0524
    """
    return two_proportions(x1, n1, x2, n2, confidence=confidence, exact=exact)


def from_t(t: float, df: float, n1: int, n2: int, *, confidence: float = 0.95) -> StatResult:
    """Cohen's d and Hedges' g (nct CIs) and the p-value from a published two-sample t.

    Parameters
    ----------
    t, df : float
        Reported t statistic and its degrees of freedom.
    n1, n2 : int
        Group sizes.
    confidence : float, default 0.95
        Level of the CIs.

    Returns
    -------
    StatResult
        ``name="cohens_d"``: :math:`d = t\\sqrt{1/n_1 + 1/n_2}`, with related ``hedges_g``.

    Examples
    --------
    >>> r = from_t(-4.106, 30, 19, 13)
    >>> round(r.estimate, 3), round(r.p_value, 5)
    (-1.478, 0.00029)
    """
    func = "from_t"
    confidence = check_confidence(confidence, func)
    if not df > 0 or not n1 >= 1 or not n2 >= 1:
        raise ValueError(f"{func} needs df > 0 and group sizes >= 1. Got df={df}, n1={n1}, n2={n2}.")
    h = np.sqrt(1 / n1 + 1 / n2)
    lo, hi = nct_limits(t, df, confidence)
    common = dict(
        ci_level=confidence,
        statistic=float(t),
        df=float(df),
        p_value=float(p_from_t(t, df, "two-sided")),
        test="t",
        n1=n1,
        n2=n2,
    )
    d, dlo, dhi = t * h, float(lo) * h, float(hi) * h
    from rsw_eval.stats._effsize import hedges_correction

    j = float(hedges_correction(df))
    g = StatResult("hedges_g", d * j, dlo * j, dhi * j, method="from t; nct CI; exact J(df)", **common)
    return StatResult("cohens_d", d, dlo, dhi, method="from t; nct CI", related=(g,), **common)


@dataclass(frozen=True, repr=False)
class ReportedCheck(_Summary):
    """Outcome of :func:`check_reported`."""

    test: str
    statistic: float
    df: tuple[float, ...]
    p_reported: float
    comparison: str
    p_computed: float
    p_min: float
    p_max: float
    consistent: bool
    decision_error: bool
    method: str

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame(
            [
                {
                    "test": self.test,
                    "statistic": self.statistic,
                    "df": ", ".join(f"{d:g}" for d in self.df),
                    "p_reported": f"{self.comparison} {self.p_reported:g}",
                    "p_computed": self.p_computed,
                    "p_min": self.p_min,
                    "p_max": self.p_max,
                    "consistent": self.consistent,
                    "decision_error": self.decision_error,
                }
            ]
        )

    def _display_frame(self) -> pd.DataFrame:
        return self.to_frame()


def _decimals(value: float | str, given: int | None) -> int:
    """The decimals a reported number was printed to: the last digit of its mantissa times its
    exponent, so ``"5E-04"`` has 4 and ``"5.0E-04"`` 5 (A8); a float (a numeric spreadsheet cell
    carries no printed precision) is read at the precision of its repr (``2e-05``: 5).

    Examples
    --------
    >>> _decimals(".030", None), _decimals("5E-04", None), _decimals(2e-05, None), _decimals("1E+01", None)
    (3, 4, 5, -1)
    """
    if given is not None:
        return int(given)
    text = value if isinstance(value, str) else repr(float(value))
    text = text.strip().lstrip("<>=").strip()
    try:
        exponent = Decimal(text).as_tuple().exponent
    except InvalidOperation:
        return 0
    return -exponent if isinstance(exponent, int) else 0


def _p_of(test: str, stat: np.ndarray, df: tuple[float, ...], one_tailed: bool) -> np.ndarray:
    if test == "t":
        p = 2 * stats.t.sf(np.abs(stat), df[0])
    elif test == "z":
        p = 2 * stats.norm.sf(np.abs(stat))
    elif test == "r":
        r = np.clip(stat, -1 + 1e-15, 1 - 1e-15)
        p = 2 * stats.t.sf(np.abs(r * np.sqrt(df[0] / (1 - r**2))), df[0])
    elif test == "F":
        return stats.f.sf(stat, df[0], df[1])
    else:
        return stats.chi2.sf(stat, df[0])
    return p / 2 if one_tailed else p


def check_reported(
    test: str,
    statistic: float | str,
    df,
    p_reported: float | str,
    *,
    decimals: int | None = None,
    p_decimals: int | None = None,
    comparison: str | None = None,
    alpha: float = 0.05,
    one_tailed: bool = False,
) -> ReportedCheck:
    """Check a reported p-value against its test statistic, allowing for rounding (statcheck-style).

    Parameters
    ----------
    test : {"t", "F", "chi2", "z", "r"}
        The reported test.
    statistic : float or str
        The reported statistic. Give a string (``"2.20"``) so trailing zeros count as decimals.
    df : float or tuple
        Degrees of freedom: one number, or ``(df1, df2)`` for F; ignored for z.
    p_reported : float or str
        The reported p-value (``".03"``, ``0.031``).
    decimals, p_decimals : int, optional
        Decimals the statistic / p were reported to; inferred from the values otherwise.
    comparison : {"=", "<", ">"}, optional
        How the p-value was reported (``p < .001`` is ``comparison="<"``). None: the sign typed
        before ``p_reported`` (``"<.001"``), else =; a sign there that disagrees is a ValueError.
    alpha : float, default 0.05
        Significance level for decision errors.
    one_tailed : bool, default False
        The reported p is one-tailed (t, z, r only).

    Returns
    -------
    ReportedCheck
        ``p_computed`` from the statistic as reported; ``p_min``/``p_max`` over the statistic's
        rounding interval (±half a unit in its last decimal); ``consistent`` when the reported p
        (itself a rounded value, or a bound) is compatible with that range; ``decision_error``
        when inconsistent and significance at ``alpha`` flips.

    References
    ----------
    Nuijten MB et al. (2016). The prevalence of statistical reporting errors in psychology
    (1985-2013). *Behavior Research Methods* 48:1205-1226.

    Examples
    --------
    >>> check_reported("t", "2.20", 28, ".03").consistent    # p is 0.036: rounds to .04
    False
    >>> check_reported("t", "2.20", 28, ".04").consistent
    True
    >>> check_reported("F", "3.48", (2, 68), ".04", comparison="=").consistent
    True
    >>> check_reported("t", "5", 30, "< .001").consistent    # p is 2.3e-05: the sign is the comparison
    True
    """
    check_choice(test, "test", TESTS, "check_reported")
    if comparison is not None:
        check_choice(comparison, "comparison", ("=", "<", ">"), "check_reported")
    wrong = reported_problems(test, statistic, None if test == "z" else df, p_reported, comparison)
    if wrong:  # never a verdict from values no test can have
        field, expected, found = wrong[0]
        raise ValueError(f"check_reported: {field} must be {expected}. Got {found!r}.")
    dfs = (
        ()
        if df is None or test == "z"
        else tuple(float(d) for d in (df if isinstance(df, list | tuple) else (df,)))
    )
    stat = float(statistic)
    sign, p_text = _split_p(p_reported)
    comparison, p_rep = sign or comparison or "=", float(p_text)
    half = 0.5 * 10.0 ** -_decimals(statistic, decimals)
    # a statistic printed as 0 may be anything within half a unit of it, 0 too: p up to 1 (A8)
    ends = _p_of(test, np.array([max(abs(stat) - half, 0.0), abs(stat) + half]), dfs, one_tailed)
    p_comp = float(_p_of(test, np.array([abs(stat)]), dfs, one_tailed)[0])
    p_min, p_max = float(np.min(ends)), float(np.max(ends))
    if comparison == "<":
        consistent = p_min < p_rep
    elif comparison == ">":
        consistent = p_max > p_rep
    else:
        p_half = 0.5 * 10.0 ** -_decimals(p_reported, p_decimals)
        consistent = (p_rep - p_half) <= p_max and (p_rep + p_half) >= p_min
    reported_sig = p_rep <= alpha if comparison == "<" else p_rep < alpha
    decision = (not consistent) and (reported_sig != (p_comp < alpha))
    return ReportedCheck(
        test,
        stat,
        dfs,
        p_rep,
        comparison,
        p_comp,
        p_min,
        p_max,
        bool(consistent),
        bool(decision),
        method="p recomputed over the statistic's rounding interval",
    )
