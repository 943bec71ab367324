"""What makes a reported test (statistic, degrees of freedom, p) impossible to check: the input
checks of :func:`~rsw_eval.stats.check_reported` and ``rsw-eval check-reported``, which give no
verdict about a paper from values no test can have."""

from __future__ import annotations

import re

import numpy as np

__all__ = ["DF_MAX", "TESTS", "WHOLE_DF", "reported_problems"]

TESTS = ("t", "F", "chi2", "z", "r")
#: The largest degrees of freedom taken as reported (more than any population: a larger one is a typo).
DF_MAX = 1e9
#: Tests whose degrees of freedom count something (categories, n - 2): whole numbers. A t test's
#: may not be (Welch), nor an F test's (a Greenhouse-Geisser correction reports F(1.64, 45.9)).
WHOLE_DF = ("chi2", "r")


#: A number as a paper prints it: ASCII digits (Python's float() reads Arabic-Indic and fullwidth
#: digits, and 1_000, silently: att7).
_NUMBER = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


def _number(value: object) -> float | None:
    """A reported number (``".03"``, 2.2), or None when it is not a finite number (a sign typed
    before it included: a p's is split off first, :func:`_split_p`; att9 L1).

    Examples
    --------
    >>> _number(".001"), _number("2.1"), _number("\u0661\u0662"), _number("1_000"), _number("<2.1")
    (0.001, 2.1, None, None, None)
    """
    text = str(value).strip()
    if not _NUMBER.fullmatch(text):
        return None
    x = float(text)
    return x if np.isfinite(x) else None


def _split_p(p_reported: object) -> tuple[str, str]:
    """A reported p as (the sign typed before it, '' when none; the number after it): ``"< .001"``
    gives ``("<", ".001")``."""
    text = str(p_reported).strip()
    rest = text.lstrip("<>=")
    return text[: len(text) - len(rest)], rest.strip()


def reported_problems(
    test: object, statistic: object, df: object, p_reported: object, comparison: object = None
):
    """What makes a reported test impossible to check, as ``(field, expected, found)`` triples
    (empty when it can be checked): an unknown test or comparison, a statistic that is not a finite
    number (or, for r, not strictly between -1 and 1; for F and chi2, negative), degrees of freedom
    that are not numbers from 1 to :data:`DF_MAX` (one for t, r and chi2; two for F; none for z;
    whole for r, chi2 and F's df1), a p outside 0-1 or a bound no p can meet (``< 0``, ``> 1``), a
    p typed with a sign (``<.001``) other than ``comparison`` (None: the p's own sign, or =) or with
    more than one.

    Examples
    --------
    >>> reported_problems("t", "2.1", -10, ".05")
    [('df', 'degrees of freedom from 1 to 1e+09', '-10')]
    >>> reported_problems("r", "1.5", 10, ".05")
    [('statistic', 'a correlation above -1 and below 1 (at -1 or 1 there is no test)', '1.5')]
    >>> reported_problems("t", "5", 30, "<.001", ">")
    [('p', "a p whose sign agrees with the comparison '>'", '<.001')]
    >>> reported_problems("t", "12.1", 30, "<0")
    [('p', 'a p-value from 0 to 1 (no p is below 0 or above 1)', '<0')]
    """
    out = []
    test = str(test).strip()
    if test not in TESTS:
        return [("test", "one of " + ", ".join(TESTS), str(test))]
    sign, p_text = _split_p(p_reported)
    if comparison is not None and str(comparison).strip() not in ("=", "<", ">"):
        out.append(("comparison", "one of =, <, >", str(comparison)))
    elif len(sign) > 1:
        out.append(("p", "a p from 0 to 1, after at most one of <, > or =", str(p_reported)))
    elif sign and comparison is not None and sign != str(comparison).strip():
        out.append(("p", f"a p whose sign agrees with the comparison '{comparison}'", str(p_reported)))
    stat = _number(statistic)
    if stat is None:
        out.append(("statistic", "a finite number", str(statistic)))
    elif test == "r" and abs(stat) >= 1:
        expected = "a correlation above -1 and below 1 (at -1 or 1 there is no test)"
        out.append(("statistic", expected, str(statistic)))
    elif test in ("F", "chi2") and stat < 0:
        out.append(("statistic", f"a {test} statistic >= 0", str(statistic)))
    wanted = {"F": 2, "z": 0}.get(test, 1)
    dfs = () if df is None else tuple(df) if isinstance(df, list | tuple) else (df,)
    if wanted and len(dfs) != wanted:
        what = "two degrees of freedom, df1 and df2" if wanted == 2 else "one degree of freedom"
        out.append(("df", what, ", ".join(map(str, dfs))))
    elif wanted:
        for i, value in enumerate(dfs):
            x = _number(value)
            if x is None or not 1 <= x <= DF_MAX or str(value).strip()[:1] in "<>=":
                out.append(("df", f"degrees of freedom from 1 to {DF_MAX:.0e}", str(value)))
                break
            if i == 0 and test in WHOLE_DF and x != int(x):
                which = f"a{'n' * (test == 'r')} {test} test's df"
                out.append(("df", f"a whole number of degrees of freedom ({which})", str(value)))
                break
    p = _number(p_text)
    if p is None or not 0 <= p <= 1:
        out.append(("p", "a p-value from 0 to 1", str(p_reported)))
    elif _impossible_bound(sign or str(comparison or "").strip(), p):
        out.append(("p", "a p-value from 0 to 1 (no p is below 0 or above 1)", str(p_reported)))
    return out


def _impossible_bound(comparison: str, p: float) -> bool:
    """Whether ``p <comparison> bound`` says p lies outside 0-1: ``< 0`` (or below a bound of 0)
    and ``> 1``, which no p-value can be, however its statistic reads.

    Examples
    --------
    >>> _impossible_bound("<", 0.0), _impossible_bound(">", 1.0), _impossible_bound("<", 0.001)
    (True, True, False)
    """
    return (comparison == "<" and p <= 0) or (comparison == ">" and p >= 1)
