"""LAIT-style benchmarking of one authority's year: value, change, comparators' median and range,
England, rank, quartile band by polarity, trend, and a plain-English verdict per indicator.

Everything is read from the protected series (suppressed counts are NaN there) and the protected
results table: a suppressed or unpublished value is never ranked, banded or worded, and the "of N"
of a rank counts only the authorities with a published value.

Rank: 1st is the best value by the indicator's polarity (``rsw_eval/data/indicator_polarity.csv``:
lower is better for repeat plans, agency workers, sickness...) and the highest value where no
direction is better. Band: the quartile of the authority's value among the authority and its
comparators that year (LAIT bands against every authority in England; here the group is the one
the evaluation compares with), A = the best quarter; no band where no direction is better.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from rsw_eval.report._common import capital, invalid_reason
from rsw_eval.report._labels import COUNT_INDICATORS, change_text, outcome_label, polarity, value_text
from rsw_eval.report._numbers import decimal, ordinal
from rsw_eval.report._points import level_points, level_unit
from rsw_eval.report._power import detect_text
from rsw_eval.report._series import england, wide

NOT_COLLECTED = "–"
WORDS = {2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight", 9: "nine"}
WORDS |= {10: "ten", 11: "eleven", 12: "twelve"}


@dataclass(frozen=True)
class Benchmark:
    """One indicator's line of the annual table, already formatted."""

    indicator: str
    cells: tuple[str, ...]
    verdict: str
    own: pd.Series
    median: pd.Series
    england: pd.Series


def _shown(own: pd.DataFrame, year: int, indicator: str, points: float | None, counts: frozenset[str]) -> str:
    """The authority's value (:func:`~rsw_eval.report._labels.value_text`), DfE's symbol when
    published as a symbol, or the not-collected mark."""
    if year not in own.index:
        return NOT_COLLECTED
    row = own.loc[year]
    if bool(row.get("suppressed", False)):
        return "c"
    if pd.isna(row["value"]):
        return str(row.get("flag") or "") or NOT_COLLECTED
    return value_text(indicator, row["value"], points, counts)


def rank_and_band(value: float, others: pd.Series, direction: str) -> tuple[int, int, str]:
    """(rank, of, band) of ``value`` among itself and ``others`` (NaN left out).

    Examples
    --------
    >>> rank_and_band(13.0, pd.Series([12.0, 14.0, 9.0, 20.0]), "lower")  # quartiles 12, 13, 14
    (3, 5, 'B')
    """
    group = np.append(others.dropna().to_numpy(dtype=float), value)
    higher_first = direction != "lower"
    better = (group > value).sum() if higher_first else (group < value).sum()
    rank = int(better) + 1
    if direction == "neutral" or len(group) < 4:
        return rank, len(group), ""
    q1, q2, q3 = np.quantile(group, [0.25, 0.5, 0.75])
    if direction == "lower":
        band = "A" if value <= q1 else "B" if value <= q2 else "C" if value <= q3 else "D"
    else:
        band = "A" if value >= q3 else "B" if value >= q2 else "C" if value >= q1 else "D"
    return rank, len(group), band


def _count(n: int) -> str:
    return WORDS.get(n, str(n))


def printed_number(text: str) -> float:
    """The number a printed value shows ("5.9", "24.5%", "£1,234"), NaN where it shows none.

    Examples
    --------
    >>> printed_number("24.5%"), printed_number("£1,234"), printed_number("Good")
    (24.5, 1234.0, nan)
    """
    try:
        return float(str(text).replace("£", "").replace("%", "").replace(",", ""))
    except ValueError:
        return np.nan


def _as_printed(shown, value: float) -> float:
    """``value`` as ``shown`` prints it, as a number (a grade's, unprinted, as it is)."""
    number = printed_number(shown(value))
    return value if np.isnan(number) else number


def position_words(own: pd.Series, others: pd.DataFrame, year: int, who: str, printed=None) -> str:
    """'lower than all ten neighbours in each of the last five years', or the position against the
    median this year and over the last five; ``printed`` (value -> the number as printed) makes
    the comparisons those of the printed values (5.9 is not below a median printed 5.9: att8).

    Examples
    --------
    >>> own = pd.Series({2023: 5.94})
    >>> others = pd.DataFrame({"a": {2023: 5.91}, "b": {2023: 5.88}, "c": {2023: 6.2}})
    >>> position_words(own, others, 2023, "neighbours")
    "above the neighbours' median in 2023"
    >>> position_words(own, others, 2023, "neighbours", lambda v: round(v, 1))
    "at the neighbours' median in 2023"
    >>> others = pd.DataFrame({"a": {2023: 5.04}, "b": {2023: 5.14}})  # median 5.09, printed 5.1
    >>> position_words(pd.Series({2023: 5.12}), others, 2023, "neighbours", lambda v: round(v, 1))
    "at the neighbours' median in 2023"
    """
    median = others.median(axis=1)  # of the values, as the table's median column (then printed)
    if printed is not None:
        as_printed = np.vectorize(lambda v: printed(v) if pd.notna(v) else np.nan, otypes=[float])
        own = pd.Series(as_printed(own.to_numpy(float)), index=own.index)
        others = pd.DataFrame(as_printed(others.to_numpy(float)), index=others.index, columns=others.columns)
        median = pd.Series(as_printed(median.to_numpy(float)), index=median.index)
    streak, side, n_year = 0, None, 0
    for y in range(year, int(own.index.min()) - 1, -1):
        v = own.get(y, np.nan)
        row = others.loc[y].dropna() if y in others.index else pd.Series(dtype=float)
        if pd.isna(v) or row.empty:
            break
        this = "lower" if v < row.min() else "higher" if v > row.max() else None
        if this is None or (side is not None and this != side):
            break
        side, streak = this, streak + 1
        n_year = n_year or len(row)
    if side is not None:
        if streak == 1:
            return f"{side} than all {_count(n_year)} {who} in {year}"
        return f"{side} than all {_count(n_year)} {who} in each of the last {_count(streak)} years"
    recent = [y for y in range(year - 4, year + 1) if pd.notna(own.get(y)) and pd.notna(median.get(y))]
    if not recent:
        return ""
    year = recent[-1]  # the latest year with a value: the sentence names it
    above = sum(own[y] > median[y] for y in recent)
    below = sum(own[y] < median[y] for y in recent)
    now = own.get(year)
    where = (
        "above"
        if pd.notna(now) and now > median.get(year)
        else "below"
        if pd.notna(now) and now < median.get(year)
        else "at"
    )
    text = f"{where} the {who}' median in {year}"
    if len(recent) >= 3:
        side = "above" if above >= below else "below"
        span = "the last" if recent == list(range(year - len(recent) + 1, year + 1)) else "the"
        extra = "" if span == "the last" else " with figures in the last five"
        times = max(above, below)
        how = "each" if times == len(recent) else str(times)
        text += f" ({side} it in {how} of {span} {_count(len(recent))} years{extra})"
    return text


def model_words(row: pd.Series | None, level: float) -> str:
    """'no clear change since the model began: the estimate is compatible with a fall of 8% or a
    rise of 6%' from the primary DiD (or ITS) row, or the change with its interval; 'no estimate
    since the model began: ...' for a row that gives none (an invalid row, by its reason:
    :func:`~rsw_eval.report._common.invalid_reason`), never a change of 0.

    Examples
    --------
    >>> row = pd.Series({"ci_low": float("nan"), "ci_high": float("nan"), "effect_size": 0.0,
    ...     "p_value": float("nan"), "note": "invalid: no variation around the means"})
    >>> model_words(row, 0.95)
    'no estimate since the model began: no variation around the means'
    """
    if row is None:
        return ""
    lo, hi, est = row["ci_low"], row["ci_high"], row["effect_size"]
    reason = invalid_reason(row)
    if reason:
        return f"{NO_CHANGE_ESTIMATE}: {reason}"
    if pd.isna(est):
        if row.get("suppressed"):
            return "since the model began: not shown (small numbers)"
        return NO_CHANGE_ESTIMATE
    ratio = str(row["effect_size_name"]).endswith("_ratio")
    relative = ratio or row.get("scale") == "log"

    factor, unit = (1.0, "%") if relative else level_unit(row)  # pp for a percentage, share or 0/1

    def size(v: float) -> str:
        v = decimal(100 * (v - 1) if ratio else factor * v)
        word = "fall" if v < 0 else "rise"
        return f"a {word} of {abs(v):.1f}{unit}".replace(".0%", "%")

    if pd.isna(lo) or pd.isna(hi):
        return f"since the model began: an estimated {size(est)}, without an interval"
    stated = row.get("ci_level")
    if stated is not None and pd.notna(stated):  # the row's own level: a placebo interval with k
        level = float(stated)  # comparators reaches at most k/(k+1), never the report's 95%
    zero = 1.0 if ratio else 0.0
    design = {
        "did": "against the comparators' trend",
        "synthetic_control": "against its synthetic control",
    }.get(row["design"], "against its own earlier trend")
    detect = detect_text(row)
    detect = f"; {detect}" if detect else ""
    if lo <= zero <= hi:
        return (
            f"no clear change since the model began ({design}): the {level:.1%} interval is "
            f"compatible with {size(lo)} or {size(hi)}{detect}"
        )
    adjusted = row.get("p_adjusted")
    if adjusted is None or pd.isna(adjusted) or adjusted >= ALPHA:  # the row's own verdict
        return (
            f"no clear change since the model began ({design}) {allowing(row)}: the unadjusted "
            f"{level:.1%} interval is {size(lo)} to {size(hi)}{detect}"
        )
    return f"{size(est)} since the model began ({design}; {level:.1%} CI: {size(lo)} to {size(hi)}){detect}"


#: How a summary begins an indicator's words when its row gives no estimate (:func:`model_words`).
NO_CHANGE_ESTIMATE = "no estimate since the model began"

#: The level at which a row's adjusted p reads "statistically significant" (its ``interpretation``).
ALPHA = 0.05


def allowing(row: pd.Series) -> str:
    """'after allowing for the 4 tests of this question (adjusted p = 0.27)', or why the row is no
    test of the question (no adjusted p).

    Examples
    --------
    >>> allowing(pd.Series({"p_adjusted": 0.273, "adjustment": "stepdown over 4 tests of question 'admin'"}))
    'after allowing for the 4 tests of this question (adjusted p = 0.273)'
    >>> allowing(pd.Series({"p_adjusted": float("nan"), "adjustment": ""}))
    'as a description: it is not a test of the question (no adjusted p)'
    """
    adjusted = row.get("p_adjusted")
    if adjusted is None or pd.isna(adjusted):
        return "as a description: it is not a test of the question (no adjusted p)"
    found = re.search(r"over (\d+) tests", str(row.get("adjustment") or ""))
    tests = f"the {found.group(1)} tests of this question" if found else "the tests of this question"
    shown = "< 0.001" if adjusted < 0.001 else f"= {adjusted:.3f}"
    return f"after allowing for {tests} (adjusted p {shown})"


#: Totals that grow with an authority's size though not counts of children (FTE in post, days
#: lost in total): England's or a region's total is no more comparable with them than a count.
TOTALS = frozenset({"inpost_fte", "working_days_lost_fte"})


def is_total(indicator: str, counts: frozenset[str] = COUNT_INDICATORS) -> bool:
    """Whether an indicator is a total (one of ``counts``, or :data:`TOTALS`), shown without
    England or a region beside one authority's value, as the table's footnote says.

    Parameters
    ----------
    indicator : str
        The indicator.
    counts : frozenset of str
        The counts: rsw-eval's own, and those the spec declares or the panel shows to be counts
        (:meth:`~rsw_eval.evaluation.results.Results.rules`).

    Examples
    --------
    >>> is_total("children_looked_after"), is_total("inpost_fte"), is_total("sickness_days_per_fte")
    (True, True, False)
    >>> is_total("cla_female"), is_total("cla_female", COUNT_INDICATORS | {"cla_female"})
    (False, True)
    """
    return indicator in counts or indicator in TOTALS


def benchmark(
    series: pd.DataFrame,
    table: pd.DataFrame,
    authority: str,
    year: int,
    who: str,
    level: float,
    counts: frozenset[str] = COUNT_INDICATORS,
) -> list[Benchmark]:
    """One :class:`Benchmark` per indicator measured for the authority in ``year`` or the year
    before; ``counts`` (:func:`is_total`) have no England or region beside them."""
    out = []
    causal = table[table["design"].isin(["did", "its"]) & table["primary"]]
    for indicator in sorted(series["indicator"].unique(), key=dashboard_order):
        if indicator == "population_0_17":
            continue
        grid = wide(series, indicator, roles=("treated", "comparator"))
        sub = series[(series["indicator"] == indicator) & (series["la_code"] == authority)]
        own_rows = sub.set_index("year").sort_index()
        if grid.empty or authority not in grid or not own_rows.index.isin([year, year - 1]).any():
            continue
        own = grid[authority]
        others = grid.drop(columns=[authority])
        direction = polarity(indicator)
        this, last = own.get(year, np.nan), own.get(year - 1, np.nan)
        now = others.loc[year].dropna() if year in others.index else pd.Series(dtype=float)
        rank_text = band = ""
        if pd.notna(this) and len(now):
            rank, of, band = rank_and_band(this, now, direction)
            rank_text = f"{ordinal(rank)} of {of}"
        eng = england(series, indicator)
        eng_now = eng.get(year, np.nan)
        reg = series[(series["indicator"] == indicator) & (series["role"] == "region")]
        if reg["la_code"].nunique() > 1:  # not one authority's region: no region column
            reg = reg.iloc[0:0]
        reg_now = reg.set_index("year")["value"].get(year, np.nan) if len(reg) else np.nan
        count = is_total(indicator, counts)  # England's total is not on one authority's basis
        median = others.median(axis=1)
        pts = level_points(series, indicator)  # a 0-1 share's levels as percentages, beside its pp
        shown = functools.partial(value_text, indicator, points=pts, counts=counts)
        cells = (
            capital(outcome_label(indicator)),
            _shown(own_rows, year, indicator, pts, counts),
            _shown(own_rows, year - 1, indicator, pts, counts),
            change_text(indicator, this, last, series.loc[series["indicator"] == indicator, "value"]),
            (
                f"{shown(now.median())} ({shown(now.min())} to {shown(now.max())})"
                if len(now) > 1
                else shown(now.median())
                if len(now)
                else NOT_COLLECTED
            ),
            NOT_COLLECTED if count or pd.isna(eng_now) else shown(eng_now),
            NOT_COLLECTED if count or pd.isna(reg_now) else shown(reg_now),
            rank_text,
            band,
        )
        rows = causal[causal["outcome"] == indicator]
        did_row = rows[rows["design"] == "did"]
        chosen = did_row.iloc[0] if len(did_row) else rows.iloc[0] if len(rows) else None
        words = position_words(own, others, year, who, functools.partial(_as_printed, shown))
        parts = [p for p in (words, model_words(chosen, level)) if p]
        if pd.isna(this) and not parts:
            verdict = "no published value this year"
        else:
            verdict = "; ".join(parts) if parts else "no comparison possible"
        out.append(
            Benchmark(
                indicator,
                cells,
                f"{capital(outcome_label(indicator))}: {verdict}.",
                own.dropna(),
                median.dropna(),
                eng if not count else pd.Series(dtype=float),
            )
        )
    return out


def dashboard_order(indicator: str) -> tuple[int, str]:
    """Sort key: the DfE dashboard's order (``rsw_eval/data/dfe_indicators.csv``), then the rest
    alphabetically, so the annual table lists the indicators as a council knows them."""
    from rsw_eval.io._dashboard import dfe_indicators

    order = dict(zip(dfe_indicators()["indicator"], dfe_indicators()["order"].astype(int), strict=True))
    return (order.get(indicator, 1000), indicator)


def region_name(series: pd.DataFrame) -> str:
    """The name of the region whose rows the series holds ('' when none)."""
    names = series.loc[series["role"] == "region", "la_name"].dropna().astype(str) if "role" in series else []
    return str(names.iloc[0]) if len(names) else ""


def caveats_section(series: pd.DataFrame, authority: str, indicators: set[str], year: int):
    """ "Known gaps and caveats": the registry's entries (and DfE's flags) that bite on the figures
    the table shows (the authority, its comparators and England, these indicators and years), or
    None when none do."""
    from rsw_eval.io._gaps import caveats
    from rsw_eval.report._common import Section

    shown = series[series["indicator"].isin(indicators) & (series["year"] <= year)]
    found = caveats(shown, focus=authority)
    if found.empty:
        return None
    return Section(
        "caveats",
        "Known gaps and caveats",
        "table",
        intro="Published gaps, DfE's flags and changes of definition that affect the figures above "
        "(rsw_eval/data/data_gaps.csv and the files' own symbols).",
        columns=("Indicator", "Years", "Authorities", "What it means"),
        rows=tuple(
            (capital(outcome_label(r.indicator)), r.years, r.authorities, r.text) for r in found.itertuples()
        ),
        numeric=(False, False, False, False),
    )
