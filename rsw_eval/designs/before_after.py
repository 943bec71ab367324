"""Before/after, Munro-style: change of each indicator from a baseline to a follow-up year (descriptive)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd

from rsw_eval import stats
from rsw_eval.designs._panel import names, outcomes, wide_all
from rsw_eval.designs._rows import from_stat, make_row
from rsw_eval.designs._units import change_between, points_scale, range_note

__all__ = ["before_after", "pair_relation", "points_scale", "unit_waves"]


#: Reason every administrative before/after row is descriptive.
DESCRIPTIVE = (
    "descriptive: no comparison group, so the change cannot be attributed to the model "
    "(the comparison is in the DiD and ITS rows); no p-value or interval"
)


def pair_relation(before: int, after: int, adopted: int | None, named: Callable[[int], object] = str) -> str:
    """Why a before/after pair of years is no comparison of before and after the model: both
    years after (or both before) the adoption year; ``""`` when the pair straddles it or no year
    is known. The row's note and reading, and every report, word such a change with it (a cost
    change's too: ``named`` writes each year, e.g. as the financial year 2013-14).

    Examples
    --------
    >>> print(pair_relation(2009, 2010, 2008))  # doctest: +NORMALIZE_WHITESPACE
    change 2009 to 2010, both years after the model began in 2008: not a before/after comparison
    of the model
    >>> pair_relation(2007, 2010, 2008), pair_relation(2009, 2010, None)
    ('', '')
    >>> fiscal = lambda y: f"{y - 1}-{y % 100:02d}"
    >>> print(pair_relation(2014, 2017, 2008, fiscal))  # doctest: +NORMALIZE_WHITESPACE
    change 2013-14 to 2016-17, both years after the model began in 2007-08: not a before/after
    comparison of the model
    """
    if adopted is None or before < adopted <= after:
        return ""
    side = "after" if before >= adopted else "before"
    return (
        f"change {named(before)} to {named(after)}, both years {side} the model began in "
        f"{named(adopted)}: not a "
        "before/after comparison of the model"
    )


def before_after(
    panel: pd.DataFrame,
    treated: Sequence[str],
    comparators: Sequence[str],
    periods: Sequence[tuple[int, int]],
    *,
    confidence: float = 0.95,
    adoption_year: int | None = None,
) -> list[dict]:
    """Change baseline -> follow-up for each treated authority, and the comparators' median change.

    Descriptive rows (``primary`` False, no p-value or interval): with no comparison group a
    before/after change is not a test of the model, and a Poisson interval on a stock count (a
    census, not a sample) would describe sampling error there is none of. Indicators that are
    percentages, shares or 0/1 (:func:`points_scale`) change in **percentage points**
    (``change_pp``); the others in percent (``percent_change``). The comparators' row gives the
    median of their changes, with the range in ``note`` (:func:`~rsw_eval.designs._units.range_note`),
    and names whose comparators they are: a mean of percent changes lets one authority's outlying
    change drive it.

    ``adoption_year``, when given, words a pair that lies wholly after (or before) it as what it
    is (:func:`pair_relation`) in the row's note: a change while the model ran, not a change
    since it began. ``confidence`` is accepted for a uniform design signature and not used.

    Examples
    --------
    >>> import pandas as pd
    >>> p = pd.DataFrame({"la_code": "A", "la_name": "A", "year": [2006, 2010],
    ...                   "indicator": "children_looked_after", "value": [470.0, 314.0]})
    >>> row = before_after(p, ["A"], [], [(2006, 2010)])[0]
    >>> round(row["effect_size"], 2), row["primary"], row["p_value"]
    (-33.19, False, nan)
    """
    rows: list[dict] = []
    label = names(panel)
    tables = wide_all(panel)
    for indicator in outcomes(panel):
        table = tables[indicator]
        values = table.to_numpy(dtype=float)  # positional look-ups below, not one .loc per cell
        where = {year: j for j, year in enumerate(table.columns)}
        present = [
            (code, r) for code, r in zip(treated, table.index.get_indexer(treated), strict=True) if r >= 0
        ]
        comp = table.index.get_indexer([c for c in comparators if c in table.index])
        points = points_scale(indicator, values)
        pp = points is not None
        name = "change_pp" if pp else "percent_change"
        for before, after in periods:
            if before not in where or after not in where:
                continue  # the engine records which year is missing (rsw_eval.evaluation._skips)
            relation = pair_relation(before, after, adoption_year)
            said = f"{relation}; {DESCRIPTIVE}" if relation else DESCRIPTIVE
            base = dict(
                outcome=indicator,
                family="admin",
                design="before_after",
                measure="proportion" if pp else "percent_change",
                comparison=f"own baseline {before}",
                period=f"{before}->{after}",
                primary=False,
                effect_size_name=name,
            )
            # authorities without values are left out: the engine's record names them and the years
            for code, r in present:
                b, a = values[r, where[before]], values[r, where[after]]
                common = dict(base, treatment=label.get(code, code), value_treatment=a, value_comparison=b)
                if not (np.isfinite(a) and np.isfinite(b) and (pp or (b > 0 and a > 0))):
                    rows.append(make_row(**common, note="not computed: a value is missing or not positive"))
                    continue
                rows.append(
                    make_row(
                        **common,
                        difference=a - b,
                        effect_size=float(change_between(b, a, points)),
                        method="change in percentage points" if pp else "percent change",
                        note=said,
                    )
                )
            b, a = values[comp, where[before]], values[comp, where[after]]
            ok = np.isfinite(a) & np.isfinite(b) & (pp | ((a > 0) & (b > 0)))
            change = change_between(b[ok], a[ok], points)
            if len(change) >= 1:
                unit = "pp" if pp else "%"
                # whose comparators: one adopter's context row names it, as its own row does
                whose = f" of {label.get(treated[0], treated[0])}" if len(treated) == 1 else ""
                rows.append(
                    make_row(
                        **{**base, "comparison": f"comparators' own baselines {before}"},
                        treatment=f"comparators (median of {len(change)}){whose}",
                        n_treatment=len(change),
                        value_treatment=float(np.median(a[ok])),
                        value_comparison=float(np.median(b[ok])),
                        effect_size=float(np.median(change)),
                        method="median of the comparators' changes",
                        note=range_note(change, unit),
                    )
                )
    return rows


def unit_waves(survey: pd.DataFrame) -> tuple[str, object, object] | None:
    """(the unit-model authorities named, first wave, last wave) of a survey's unit-model
    respondents; None with fewer than two waves.

    Examples
    --------
    >>> s = pd.DataFrame({"model": "unit", "authority": ["V", "U", "U"], "wave": [2009, 2010, 2011]})
    >>> print(*unit_waves(s), sep="; ")
    U, V; 2009; 2011
    """
    if "wave" not in survey.columns:
        return None
    unit = survey[survey["model"] == "unit"]
    waves = sorted(unit["wave"].dropna().unique())
    if len(waves) < 2:
        return None
    return ", ".join(sorted(map(str, unit["authority"].unique()))), waves[0], waves[-1]


def before_after_waves(
    survey: pd.DataFrame, family: str, outcomes: Sequence[str], *, confidence: float = 0.95
) -> list[dict]:
    """Before/after across survey waves: the unit-model respondents of the first wave against
    those of the last (different people, so independent samples).

    Numeric outcomes: percent change of the mean (log-ratio CI) with Welch's test; yes/no outcomes:
    the change in the proportion (Newcombe CI). Nothing is returned with fewer than two waves.

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"model": "unit", "authority": "U", "wave": [2009] * 3 + [2010] * 3,
    ...                   "ghq_score": [10.0, 12, 14, 8, 9, 10]})
    >>> round(before_after_waves(s, "worker", ["ghq_score"])[0]["effect_size"], 2)
    -25.0
    """
    waves = unit_waves(survey)
    if waves is None:
        return []
    treatment, wave0, wave1 = waves
    unit = survey[survey["model"] == "unit"]
    first, last = unit[unit["wave"] == wave0], unit[unit["wave"] == wave1]
    rows = []
    for outcome in outcomes:
        if outcome not in survey.columns:
            continue
        base = dict(
            outcome=outcome,
            family=family,
            design="before_after",
            treatment=treatment,
            comparison=f"own wave {wave0}",
            period=f"{wave0}->{wave1}",
        )
        if pd.api.types.is_bool_dtype(survey[outcome]):
            b, a = first[outcome].dropna().astype(bool), last[outcome].dropna().astype(bool)
            if len(a) == 0 or len(b) == 0:
                continue
            r = stats.two_proportions(int(a.sum()), len(a), int(b.sum()), len(b), confidence=confidence)
            rows.append(
                from_stat(
                    r,
                    **base,
                    measure="proportion",
                    n_treatment=len(a),
                    n_comparison=len(b),
                    value_treatment=r.details["p1"],
                    value_comparison=r.details["p2"],
                    difference=r.estimate,
                )
            )
            continue
        b = first[outcome].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
        a = last[outcome].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
        if np.sum(~np.isnan(a)) < 2 or np.sum(~np.isnan(b)) < 2 or np.nanmean(b) <= 0:
            continue
        change = stats.percent_change(b, a, confidence=confidence)
        t = stats.welch_t(a, b, confidence=confidence)
        rows.append(
            from_stat(
                change,
                **base,
                measure="percent_change",
                n_treatment=t.n1,
                n_comparison=t.n2,
                value_treatment=t.details["mean1"],
                value_comparison=t.details["mean2"],
                difference=t.estimate,
                test=t.test,
                statistic=t.statistic,
                df=t.df,
                p_value=t.p_value,
            )
        )
    return rows
