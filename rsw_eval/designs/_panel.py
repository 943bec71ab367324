"""Shared helpers for designs on the long administrative panel."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from rsw_eval._errors import SpecError
from rsw_eval.io._coerce import MISSING_TOKENS
from rsw_eval.io._identifiers import shown
from rsw_eval.io._indicators import COUNT_INDICATORS

#: Indicators analysed on the log scale in difference-in-differences (relative change): counts and
#: rates. Percentages and days per FTE are analysed on their own (level) scale.
LOG_SCALE = COUNT_INDICATORS | {"cla_rate_per_10k"}
#: Not outcomes: denominators.
DENOMINATORS = frozenset({"population_0_17"})


def wide(panel: pd.DataFrame, indicator: str) -> pd.DataFrame:
    """One indicator as a table: authorities (``la_code``) x years."""
    sub = panel[panel["indicator"] == indicator]
    return sub.pivot(index="la_code", columns="year", values="value").sort_index(axis=1)


def wide_all(panel: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Every indicator as an authorities x years table, from one pivot (years present for that
    indicator only)."""
    table = panel.pivot(index=["indicator", "la_code"], columns="year", values="value")
    table = table.sort_index(axis=1)
    out = {}
    for indicator, sub in table.groupby(level=0, sort=True):
        sub = sub.droplevel(0).dropna(axis=1, how="all").dropna(axis=0, how="all")
        out[str(indicator)] = sub
    return out


def names(panel: pd.DataFrame) -> dict[str, str]:
    """``la_code`` -> a display name ("Name (code)")."""
    first = panel.drop_duplicates("la_code").set_index("la_code")["la_name"]
    return {code: (f"{name} ({code})" if name else code) for code, name in first.items()}


def numeric(panel: pd.DataFrame) -> pd.DataFrame:
    """``panel`` with its ``value`` column as numbers (``"12"`` is 12; a blank, spaces, ``"nan"``
    and the loaders' other missing-value tokens are missing), for the functions of the Python API that take
    a panel; text that is no number, a yes/no or an infinite value is refused, naming the first.

    Examples
    --------
    >>> numeric(pd.DataFrame({"value": ["12", None, " ", "nan"]}))["value"].tolist()
    [12.0, nan, nan, nan]
    >>> numeric(pd.DataFrame({"value": ["12", "c"]}))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    rsw_eval._errors.SpecError: panel row 2, column 'value': expected a finite number, found 'c' ...
    """
    raw = panel["value"]
    text = raw.astype("string").str.strip()
    blank = raw.isna() | text.isna() | text.str.lower().isin(MISSING_TOKENS).fillna(True)
    values = pd.to_numeric(raw.where(~blank), errors="coerce").astype(float)
    yes_no = raw.map(lambda v: isinstance(v, bool | np.bool_)).to_numpy(bool)
    odd = (~blank & (values.isna() | ~np.isfinite(values))).to_numpy(bool) | yes_no
    if odd.any():
        i = int(np.flatnonzero(odd)[0])
        raise SpecError(
            f"panel row {i + 1}, column 'value': expected a finite number, found "
            f"{shown(raw.iloc[i], quote=isinstance(raw.iloc[i], str))} "
            "(a suppressed cell is blank: load DfE tables with rsw_eval.io, which reads their codes)"
        )
    return panel.assign(value=values)


def outcomes(panel: pd.DataFrame) -> list[str]:
    """Indicators of the panel that are outcomes (not denominators), sorted."""
    return sorted(i for i in panel["indicator"].unique() if i not in DENOMINATORS)


def unit_contrasts(y: np.ndarray, X: np.ndarray, column: int) -> tuple[np.ndarray, np.ndarray]:
    """Each authority's own least-squares coefficient and its standard error up to a common factor.

    Parameters
    ----------
    y : ndarray, shape (..., n_units, n_years)
        Series (NaN where not published: each authority is fitted on its own years).
    X : ndarray, shape (n_years, p)
        Design over years (e.g. ``[1, post]`` for DiD, the segmented-regression columns for ITS).
    column : int
        Coefficient wanted.

    Returns
    -------
    delta, scale : ndarray, shape (..., n_units)
        ``delta`` is the coefficient of the authority's series on ``X``; ``scale`` is
        :math:`\\hat\\sigma_i \\lVert w_i \\rVert`, with :math:`w_i` the coefficient's row of the
        authority's :math:`(X'X)^{-1}X'` and :math:`\\hat\\sigma_i` the residual SD of its series
        minus the year means of all authorities (common shocks out), on ``n_i - p`` df. Shifting
        one authority's series by a multiple of a column of ``X`` changes its ``delta`` and leaves
        every ``scale`` as it was (the year means move by a multiple of that column too). NaN
        where an authority has fewer than ``p + 1`` years.

    Examples
    --------
    >>> years = np.arange(6)
    >>> X = np.column_stack([np.ones(6), years >= 3])
    >>> y = np.array([[1.0, 2, 1, 5, 6, 5], [0.0, 1, 0, 1, 0, 1]])
    >>> delta, scale = unit_contrasts(y, X, 1)
    >>> delta.round(3).tolist()
    [4.0, 0.333]
    """
    y = np.asarray(y, dtype=float)
    X = np.asarray(X, dtype=float)
    p = X.shape[1]
    with np.errstate(invalid="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # a year with no value gives NaN
        common = np.nanmean(y, axis=-2, keepdims=True)
    flat = y.reshape(-1, y.shape[-1])
    resid_in = (y - np.where(np.isfinite(common), common, 0.0)).reshape(flat.shape)
    delta = np.full(flat.shape[0], np.nan)
    scale = np.full(flat.shape[0], np.nan)
    seen = np.isfinite(flat)
    # residual SDs this small against the data's own magnitude are rounding noise: report them as 0
    # (relative to the values themselves, so identical series plus 1e-16 noise are not "variation")
    from rsw_eval.stats._checks import RELATIVE_TOL

    magnitude = np.nanmax(np.abs(np.where(np.isfinite(y), y, 0.0)), initial=0.0)
    tiny = max(1e-9 * np.nanmax(np.abs(resid_in), initial=0.0), RELATIVE_TOL * magnitude)
    patterns, which = np.unique(seen, axis=0, return_inverse=True)
    for j, mask in enumerate(patterns):
        rows = np.flatnonzero(which.ravel() == j)
        Xm = X[mask]
        if mask.sum() <= p or np.linalg.matrix_rank(Xm) < p:
            continue
        H = np.linalg.pinv(Xm)  # p x n
        delta[rows] = flat[np.ix_(rows, np.flatnonzero(mask))] @ H[column]
        r = resid_in[np.ix_(rows, np.flatnonzero(mask))]
        r = r - (r @ H.T) @ Xm.T
        sigma = np.sqrt((r**2).sum(axis=1) / (mask.sum() - p))
        sigma[sigma <= tiny] = 0.0
        scale[rows] = sigma * np.linalg.norm(H[column])
    return delta.reshape(y.shape[:-1]), scale.reshape(y.shape[:-1])


def panel_permutation(
    delta: np.ndarray,
    scale: np.ndarray,
    *,
    n_treated: int,
    n_comparators: int,
    confidence: float = 0.95,
    seed: int = 0,
) -> dict[str, np.ndarray]:
    """Studentised permutation test and its inverted interval for treated vs comparators (vectorised).

    Parameters
    ----------
    delta, scale : ndarray, shape (..., n_units)
        From :func:`unit_contrasts`; units ordered treated, comparators, then any donor-pool
        authorities beyond the comparators.
    n_treated, n_comparators : int
        How many of the first units are treated, and comparators.
    confidence : float
        Level asked for (the level obtained is returned as ``level``).
    seed : int
        For sampling assignments when there are too many to enumerate.

    Returns
    -------
    dict of ndarray, shape (...)
        As :func:`rsw_eval.inference.invert_permutation`.

    Notes
    -----
    One treated authority and no pool beyond the comparators: the full Fisher test, every
    authority in turn against the mean of all the others. One treated and a donor pool: the
    treated and every pool authority against the mean of the same comparators (the estimate stays
    "treated minus its comparators"; placebos as many as the pool). Several treated: every way of
    choosing as many treated among treated + comparators (randomisation inference, enumerated
    when there are at most 20,000 ways). The statistic is studentised by each authority's own
    residual SD, so an authority noisier than the others is not taken for an effect.

    Examples
    --------
    >>> delta = np.array([-3.0, 0.5, -0.5, 1.0, 0.0])
    >>> r = panel_permutation(delta, np.ones(5), n_treated=1, n_comparators=4, confidence=0.8)
    >>> float(r["estimate"]), float(r["p_value"]), float(r["level"])
    (-3.25, 0.2, 0.8)
    """
    from rsw_eval.inference import invert_permutation, linear_statistics

    weights = permutation_weights(delta.shape[-1], n_treated, n_comparators, seed=seed)
    delta, scale = delta[..., : weights.shape[1]], scale[..., : weights.shape[1]]
    u, v, s = linear_statistics(delta, scale, weights, range(n_treated))
    return invert_permutation(u, v, s, confidence=confidence)


def permutation_weights(n_units: int, n_treated: int, n_comparators: int, *, seed: int = 0) -> np.ndarray:
    """The assignments :func:`panel_permutation` compares (rows; row 0 observed) as weights on the
    units: the donor pool against the same comparators, or every way of choosing the treated.

    Examples
    --------
    >>> permutation_weights(4, 1, 2).shape, permutation_weights(3, 1, 2).shape
    ((2, 4), (3, 3))
    """
    from rsw_eval.inference import assignment_weights, pool_weights

    if n_treated == 1 and n_units > 1 + n_comparators:
        return pool_weights(n_units, 0, range(1, 1 + n_comparators), range(1 + n_comparators, n_units))
    return assignment_weights(n_treated + n_comparators, range(n_treated), seed=seed)


def inverted_interval(level: float) -> str:
    """How a permutation row's interval was found, for its ``method``: by inverting the test at
    its exact level, or none where the test is undefined (an invalid row: no variation).

    Examples
    --------
    >>> inverted_interval(10 / 11), inverted_interval(float("nan"))
    ('interval by inverting the test (exact level 90.9%)', 'no interval (the test is undefined)')
    """
    if not np.isfinite(level):
        return "no interval (the test is undefined)"
    return f"interval by inverting the test (exact level {level:.1%})"


def level_note(level: float, k: int, confidence: float) -> str:
    """Say what level the permutation interval has, when it is not the one asked for.

    Examples
    --------
    >>> level_note(10 / 11, 10, 0.95)
    '90.9% interval, the highest 10 placebos allow (a 95% interval needs at least 19)'
    >>> level_note(0.95, 19, 0.95)
    ''
    """
    if not np.isfinite(level) or abs(level - confidence) < 1e-9:
        return ""
    if level < confidence:
        need = int(np.ceil(1 / (1 - confidence) - 1 - 1e-9))
        return (
            f"{level:.1%} interval, the highest {k} placebos allow "
            f"(a {confidence:.0%} interval needs at least {need})"
        )
    return f"{level:.1%} interval (the exact level nearest above {confidence:.0%} with {k} placebos)"
