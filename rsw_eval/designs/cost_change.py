"""Cost change between two years: total (nominal and real) and its decomposition by cost line."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from rsw_eval.designs._panel import names
from rsw_eval.designs._rows import make_row, skip_row
from rsw_eval.designs.before_after import pair_relation

__all__ = ["cost_change", "decompose"]


def decompose(before: pd.Series, after: pd.Series) -> pd.DataFrame:
    """Each line's change in pounds and in percentage points of the total before.

    The contributions add up to the total percent change exactly (the total is the sum of the
    lines): :math:`100 (A - B)/B = \\sum_l 100 (a_l - b_l)/B`.

    Examples
    --------
    >>> import pandas as pd
    >>> d = decompose(pd.Series({"staff": 60.0, "agency": 40.0}), pd.Series({"staff": 62.0,
    ...                                                                      "agency": 33.0}))
    >>> d["contribution_pp"].tolist(), round(float(d["contribution_pp"].sum()), 10)
    ([2.0, -7.0], -5.0)
    """
    lines = before.index.union(after.index)
    b = before.reindex(lines).fillna(0.0)
    a = after.reindex(lines).fillna(0.0)
    total = b.sum()
    return pd.DataFrame(
        {"before": b, "after": a, "change_gbp": a - b, "contribution_pp": 100 * (a - b) / total}
    )


def _totals(costs: pd.DataFrame, years: tuple[int, int]) -> pd.DataFrame:
    total = costs[costs["indicator"] == "total_cost"]
    return total.pivot(index="la_code", columns="year", values="value").reindex(columns=list(years))


def cost_change(
    costs: pd.DataFrame,
    treated: Sequence[str],
    comparators: Sequence[str],
    *,
    years: tuple[int, int] | None = None,
    confidence: float = 0.95,
    adoption_year: int | None = None,
) -> list[dict]:
    """Rows for the cost change of each treated authority: the total's percent change (nominal,
    and real when the data carry a ``price_index``), the decomposition by cost line, and the
    comparison with the comparators' percent change (exact permutation inference) when they have costs.

    Totals are accounts, not samples: the total change has no sampling CI and says so; the
    comparison with comparators (``cost_did``) is descriptive: the difference from the comparators'
    mean change and its rank among them, without p-value or interval (see :func:`_cost_did`).
    ``adoption_year``, when given, words a pair of years wholly after (or before) it as what it
    is in the totals' notes (:func:`~rsw_eval.designs.before_after.pair_relation`), as a
    before/after row's.
    """
    rows: list[dict] = []
    if years is None:
        present = sorted(costs["year"].unique())
        if len(present) < 2:
            return rows  # the engine records it, with the years the cost data have
        years = (int(present[0]), int(present[-1]))
    before_y, after_y = years
    label = names(costs) if "la_name" in costs else {}
    totals = _totals(costs, years)
    pct = 100 * (totals[after_y] / totals[before_y] - 1)
    period = f"{before_y}->{after_y}"
    real = "price_index" in costs.columns and costs["price_index"].notna().any()
    relation = pair_relation(before_y, after_y, adoption_year)
    accounts = "; ".join(filter(None, [relation, "accounts, not a sample: no sampling CI"]))
    for code in treated:
        if code not in totals.index or not np.isfinite(pct.get(code, np.nan)):
            continue  # the engine records it, with the years the cost data have
        name = label.get(code, code)
        b, a = totals.loc[code, before_y], totals.loc[code, after_y]
        base = dict(
            family="cost",
            design="cost_change",
            treatment=name,
            period=period,
            comparison=f"own baseline {before_y}",
        )
        rows.append(
            make_row(
                **base,
                outcome="total_cost",
                measure="percent_change",
                value_treatment=a,
                value_comparison=b,
                difference=a - b,
                effect_size_name="percent_change",
                effect_size=pct[code],
                method="nominal change of the total (sum of cost lines)",
                note=accounts,
            )
        )
        index = costs[costs["la_code"] == code].groupby("year")["price_index"].first() if real else None
        gap = [y for y in years if index is not None and not np.isfinite(index.get(y, np.nan))]
        if real and gap:
            rows.append(
                skip_row(
                    family="cost",
                    design="cost_change",
                    outcome="total_cost_real",
                    treatment=name,
                    reason=f"the deflator has no index for the year ending March {gap[0]}: "
                    "the change is given in nominal terms only",
                )
            )
        elif real:
            own = costs[costs["la_code"] == code]
            stated = own["price_base"].dropna().astype(str) if "price_base" in own else pd.Series()
            if len(stated):  # "2018-19 = 100": both years in the prices the spec asked for
                prices = stated.iloc[0].split(" = ")[0].strip()
                b_real, a_real = b * 100 / index[before_y], a * 100 / index[after_y]
            else:  # an index with no stated base: the after year in the before year's prices
                prices = str(before_y)
                b_real, a_real = b, a * index[before_y] / index[after_y]
            rows.append(
                make_row(
                    **base,
                    outcome="total_cost_real",
                    measure="percent_change",
                    value_treatment=a_real,
                    value_comparison=b_real,
                    difference=a_real - b_real,
                    effect_size_name="percent_change",
                    scale=f"{prices} prices",
                    effect_size=100 * (a_real / b_real - 1),
                    primary=False,
                    method="real change: after deflated by the price index",
                    note=accounts,
                )
            )
        lines = costs[(costs["la_code"] == code) & costs["indicator"].str.startswith("cost_line:")]
        parts = decompose(
            lines[lines["year"] == before_y].set_index("indicator")["value"],
            lines[lines["year"] == after_y].set_index("indicator")["value"],
        )
        for indicator, r in parts.iterrows():
            rows.append(
                make_row(
                    **base,
                    outcome=str(indicator),
                    measure="percent_change",
                    value_treatment=r["after"],
                    value_comparison=r["before"],
                    difference=r["change_gbp"],
                    effect_size_name="contribution_pp",
                    effect_size=r["contribution_pp"],
                    primary=False,
                    method="line change as percentage points of the total before; "
                    "contributions add up to the total percent change",
                    note="decomposition of the total change",
                )
            )
    comp = [c for c in comparators if c in pct.index and np.isfinite(pct[c])]
    treated_in = [c for c in treated if c in pct.index and np.isfinite(pct[c])]
    if len(treated_in) > 1:
        rows.append(
            skip_row(
                family="cost",
                design="cost_did",
                outcome="total_cost",
                reason=f"{len(treated_in)} treated authorities with both years' totals; the "
                "comparison of percent changes is for one treated authority",
            )
        )
    if len(treated_in) != 1 or len(comp) < 2:
        return rows  # too few comparators: the engine records it, naming those not in the data
    rows.append(_cost_did(pct, treated_in[0], comp, label, period, relation))
    return rows


def _cost_did(pct: pd.Series, code: str, comp: list[str], label, period: str, relation: str) -> dict:
    """Treated percent change minus the comparators' mean: descriptive (no p-value or interval).

    Two years give one number per authority, so the treated authority's own variability cannot
    be estimated. The permutation interval that assumes it equals a comparator's covered 62-66%
    of a stated 90.9% when the treated change was twice as variable (74% of 96.8% with 30
    comparators; validation/sim_cost.py), so the row shows the difference and where the treated
    change ranks among the comparators', and says why there is no interval; a pair of years
    wholly before or after the adoption year is worded so (``relation``, as the totals' notes).
    """
    from rsw_eval.stats._checks import negligible

    change = pct.loc[[code, *comp]].to_numpy(dtype=float)
    mean = change[1:].mean()
    rank = int((change[1:] < change[0]).sum()) + 1
    note = [
        relation,
        "values are percent changes",
        f"the treated change ranks {rank} of {len(change)} (1 = largest fall); comparators range "
        f"{change[1:].min():.3g} to {change[1:].max():.3g}",
        "descriptive: with two years each authority has one change, so how variable the treated "
        "authority's change is cannot be estimated, and an interval assuming it is as variable as "
        "a comparator's under-covers when it is not (validation/sim_cost.py); no p-value or interval",
    ]
    if negligible(np.ptp(change), change):
        note.insert(0, "invalid: every authority has the same percent change")
    return make_row(
        outcome="total_cost",
        family="cost",
        design="cost_did",
        measure="percent_change",
        treatment=label.get(code, code),
        comparison=f"{len(comp)} comparators",
        n_treatment=1,
        n_comparison=len(comp),
        period=period,
        value_treatment=change[0],
        value_comparison=mean,
        difference=change[0] - mean,
        effect_size_name="did_estimate",
        effect_size=change[0] - mean,
        method="percent change minus the comparators' mean percent change; descriptive (rank among "
        "the comparators)",
        note="; ".join(n for n in note if n),
    )
