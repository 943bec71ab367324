"""The event-time view of one adopter's difference-in-differences: its effect in each year
since adoption against its comparators, with a studentised permutation test for each year."""

from __future__ import annotations

import numpy as np
import pandas as pd

from rsw_eval.designs._panel import level_note, panel_permutation, unit_contrasts
from rsw_eval.designs._rows import make_row
from rsw_eval.io._years import compact_years

__all__ = ["MIN_PRE_YEARS", "event_contrasts", "event_rows", "treated_gaps"]

#: Pre-period years DiD needs (a mean and a residual SD for each authority).
MIN_PRE_YEARS = 2


def event_contrasts(y: np.ndarray, years: np.ndarray, intervention_year: int, year: int):
    """Each authority's effect in one year and its standard error up to a common factor.

    A post year t: the authority's value in t minus its mean over the pre years; a pre year: its
    value minus its mean over the other pre years (a placebo). Both are the coefficient of
    ``1{year = t}`` in each authority's own regression on the pre years and t
    (:func:`~rsw_eval.designs._panel.unit_contrasts`), so the statistic is studentised by the
    authority's own residual SD over the pre years (common shocks out), as the DiD is.

    Returns
    -------
    delta, scale : ndarray, shape (..., n_units)

    Examples
    --------
    >>> years = np.arange(2004, 2009)
    >>> y = np.array([[1.0, 2, 1, 2, 0], [1, 1, 2, 2, 2], [2, 2, 1, 1, 2]])
    >>> delta, scale = event_contrasts(y, years, 2008, 2008)
    >>> delta.tolist()  # 2008 against each authority's 2004-2007 mean
    [-1.5, 0.5, 0.5]
    """
    use = (years < intervention_year) | (years == year)
    X = np.column_stack([np.ones(int(use.sum())), years[use] == year])
    return unit_contrasts(y[..., use], X, 1)


def event_rows(
    y: np.ndarray,
    years: np.ndarray,
    intervention_year: int,
    confidence: float = 0.95,
    *,
    outcome: str,
    treatment: str,
    scale: str = "level",
    pct=None,
    gaps: dict[int, str] | None = None,
) -> list[dict]:
    """The event-time view of one adopter's DiD: the effect in each year since adoption.

    For each year, the treated authority's change against its own pre years minus its
    comparators' mean change (:func:`event_contrasts`, on the DiD's scale), so a long post period
    cannot hide a reversal, and the pre-adoption years are a placebo check (they should sit near
    zero). Each year has its studentised permutation test over the treated authority and its
    comparators (:func:`~rsw_eval.designs._panel.panel_permutation`, as the DiD) and the
    interval from inverting it, at the level it achieves (``ci_level``). Rows are non-primary, of
    design ``did_event`` (they come with the ``did`` design), ``effect_size_name`` ``did_event``
    and ``event_time`` = the year minus the adoption year. Size and coverage:
    validation/sim_event_time.py.

    Parameters
    ----------
    y : ndarray, shape (1 + k, n_years)
        The treated series then its k comparators' (log values for a log-scale DiD), NaN where
        not published.
    gaps : dict, optional
        Years the DiD left out because the treated authority has no value in them (``year`` ->
        the panel's flag: ``c`` for a small number suppressed, DfE's symbol, or ``""``). Each
        gives a row without an estimate that says why (a suppressed year is marked
        ``suppressed`` by the engine, ``c`` in the report's table), as does a year with too few
        comparators: no year of the view is dropped in silence.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> years = np.arange(2004, 2010)
    >>> y = rng.normal(0, 0.1, (6, 6)) + np.arange(6)[:, None]
    >>> y[0, 3:5] -= 3  # the treated authority falls by 3 in its first two years, then recovers
    >>> rows = event_rows(y, years, 2007, outcome="x", treatment="A")
    >>> [(r["event_time"], round(r["effect_size"])) for r in rows]
    [(-3, 0), (-2, 0), (-1, 0), (0, -3), (1, -3), (2, 0)]
    """
    pct = pct or (lambda d: d)
    pre = years < intervention_year
    if pre.sum() < MIN_PRE_YEARS:
        return []
    span = compact_years(years[pre & np.isfinite(y).any(axis=0)])
    base = dict(outcome=outcome, treatment=treatment, scale=scale, intervention_year=intervention_year)
    rows = [
        _gap_row(int(year), span, _WHY.get(flag, f"no value published (DfE's symbol {flag})"), **base)
        for year, flag in (gaps or {}).items()
    ]
    for year in years:
        delta, sd = event_contrasts(y, years, intervention_year, int(year))
        ok = np.isfinite(delta) & np.isfinite(sd)
        comps = np.flatnonzero(ok[1:]) + 1
        if not ok[0] or comps.size < 2:
            why = (
                "no contrast for the authority"
                if not ok[0]
                else f"{comps.size} comparator(s) with values (2 needed)"
            )
            rows.append(_gap_row(int(year), span, why, **base))
            continue
        keep = [0, *comps]
        r = {
            k: float(v)
            for k, v in panel_permutation(
                delta[keep], sd[keep], n_treated=1, n_comparators=comps.size, confidence=confidence
            ).items()
        }
        valid = bool(np.isfinite(r["p_value"]))
        e = int(year) - intervention_year
        note = [
            "pre-adoption year against the other pre years: a placebo check (should be near zero)"
            if e < 0
            else "",
            level_note(r["level"], comps.size, confidence)
            if valid
            else "invalid: no variation around the authorities' pre-period means",
        ]
        rows.append(
            make_row(
                **_fields(int(year), span, **base),
                comparison=f"{comps.size} comparators",
                n_treatment=1,
                n_comparison=comps.size,
                difference=r["estimate"],
                effect_size=pct(r["estimate"]),
                ci_low=pct(r["ci_low"]) if valid else np.nan,
                ci_high=pct(r["ci_high"]) if valid else np.nan,
                ci_level=r["level"] if valid else np.nan,
                test="placebo permutation (studentised)" if valid else "",
                p_value=r["p_value"] if valid else np.nan,
                method="event-time DiD: the year against the authority's own pre years, treated minus "
                f"the comparators' mean; studentised permutation over the treated and {comps.size} "
                "comparators, interval by inverting the test",
                note="; ".join(n for n in note if n),
            )
        )
    return sorted(rows, key=lambda r: r["event_time"])


#: Why a treated authority's year has no value, by the panel's flag (``c``: DfE's and rsw-eval's
#: small-number suppression; ``""``: no value in the data).
_WHY = {"c": "its value is suppressed as a small number (c)", "": "no value in the data"}


def _fields(year: int, span: str, *, outcome, treatment, scale, intervention_year) -> dict:
    """What every event-time row of ``year`` says of itself (estimated or not)."""
    return dict(
        outcome=outcome,
        family="admin",
        design="did_event",
        measure="percent_change" if scale == "log" else "mean",
        scale=scale,
        treatment=treatment,
        period=f"{year} vs pre {span}",
        adoption_year=intervention_year,
        event_time=year - intervention_year,
        primary=False,
        effect_size_name="did_event",
    )


def _gap_row(year: int, span: str, why: str, **base) -> dict:
    """An event-time row with no estimate for ``year``, saying why (no p, interval or estimate).

    Examples
    --------
    >>> r = _gap_row(2017, "2013-2016", "no value in the data", outcome="x", treatment="A",
    ...     scale="level", intervention_year=2022)
    >>> r["event_time"], r["period"], r["note"]
    (-5, '2017 vs pre 2013-2016', 'no estimate for 2017: no value in the data')
    """
    return make_row(
        **_fields(year, span, **base),
        method="event-time DiD: the year against the authority's own pre years; none for this year",
        note=f"no estimate for {year}: {why}",
    )


def treated_gaps(
    panel: pd.DataFrame, treated: list[str], indicator: str, table: pd.DataFrame
) -> dict[int, str]:
    """The years of ``table`` (an indicator's authorities x years) one treated authority has no
    value in, while the panel holds a row for it (a suppressed ``c`` or DfE's symbol) or the year
    lies between its first and last values: ``year`` -> the panel's flag (``""`` for none).

    Examples
    --------
    >>> p = pd.DataFrame({"la_code": "A", "indicator": "x", "year": [2015, 2016, 2017, 2018],
    ...     "value": [1.0, np.nan, np.nan, 2.0], "flag": ["", "c", "", ""]})
    >>> t = pd.DataFrame([[1.0, np.nan, np.nan, 2.0]], index=["A"], columns=[2015, 2016, 2017, 2018])
    >>> treated_gaps(p, ["A"], "x", t)
    {2016: 'c', 2017: ''}
    """
    if len(treated) != 1 or treated[0] not in table.index:
        return {}
    own = table.loc[treated[0]]
    held = own.index[own.notna()]
    if not len(held):
        return {}
    rows = panel[(panel["la_code"] == treated[0]) & (panel["indicator"] == indicator)]
    flag = rows["flag"].fillna("").astype(str) if "flag" in rows else pd.Series("", index=rows.index)
    flags = dict(zip(rows["year"].astype(int), flag, strict=True))
    return {
        int(y): flags.get(int(y), "")
        for y in own.index[own.isna()]
        if int(y) in flags or held.min() < y < held.max()
    }
