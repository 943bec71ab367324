"""Report-wide disclosure control (rules 5-8 of :mod:`rsw_eval.disclosure`): one pass over a whole
results table, and over the indicator series, so that nothing suppressed in one row, table or chart
comes back by differencing, by a rate times its population or by an adjusted p-value."""

from __future__ import annotations

import numpy as np
import pandas as pd

from rsw_eval.disclosure._suppress import (
    COUNT_OUTCOMES,
    DERIVED,
    SIDES,
    STATISTICS,
    RuleSet,
    Suppression,
    _small,
    protect,
    rule_set,
    suppress_counts,
)

__all__ = ["RATES", "group_counts", "protect_series", "protect_table"]

#: Rates and percentages with the count they are computed from: indicator -> (numerator,
#: denominator, scale); value = numerator / denominator x scale (rule 8).
RATES = {
    "cla_rate_per_10k": ("children_looked_after", "population_0_17", 10_000),
    "cp_plans_repeat_pct": ("cp_plans_repeat", "cp_plans_started", 100),
    "placements_3plus_pct": (None, "children_looked_after", 100),
}
POOLED = "all conventional"
SURVEY_FAMILIES = ("worker", "parent")


def group_counts(table: pd.DataFrame) -> pd.DataFrame:
    """Respondents per authority and survey (the "Design and samples" table), from the primary
    cross-sectional rows of ``ghq_score`` (workers) and ``rating_overall`` (parents), else the first
    outcome of the family. Index: authority (the unit-model one as ``"<name> (unit model)"``);
    columns ``workers``, ``parents``; 0 where a survey has no such authority.

    Examples
    --------
    >>> t = pd.DataFrame({"family": "worker", "design": "cross_section", "primary": True,
    ...     "outcome": "ghq_score", "treatment": "U", "comparison": ["all conventional", "A", "B"],
    ...     "n_treatment": 40, "n_comparison": [33, 30, 3]})
    >>> group_counts(t)["workers"].to_dict()
    {'U (unit model)': 40.0, 'A': 30.0, 'B': 3.0}
    """
    counts = {}
    for family, outcome in (("worker", "ghq_score"), ("parent", "rating_overall")):
        primary = table["primary"].astype(bool) if "primary" in table else True
        rows = table[(table["family"] == family) & (table["design"] == "cross_section") & primary]
        if rows.empty:
            continue
        first = rows[
            rows["outcome"] == (outcome if (rows["outcome"] == outcome).any() else rows["outcome"].iloc[0])
        ]
        per = first[first["comparison"] != POOLED]
        column = {str(r.comparison): float(r.n_comparison) for r in per.itertuples()}
        column[str(first["treatment"].iloc[0]) + " (unit model)"] = float(first["n_treatment"].iloc[0])
        counts[f"{family}s"] = column
    frame = pd.DataFrame(counts).fillna(0)
    return frame.loc[sorted(frame.index, key=lambda k: ("unit model" not in k, k))] if counts else frame


def _num(frame: pd.DataFrame, col: str) -> pd.Series:
    if col not in frame:
        return pd.Series(np.nan, index=frame.index)
    return pd.to_numeric(frame[col], errors="coerce").astype(float)


class _Pass:
    """The report-wide pass over one results table (rules 5-8), logging what it suppresses."""

    def __init__(self, raw: pd.DataFrame, out: pd.DataFrame, rules: RuleSet, log: list[Suppression]):
        self.raw, self.out, self.rules, self.log = raw, out, rules, log

    def hide(self, index, side: str, reason: str) -> None:
        cols = [c for c in (*SIDES.get(side, ()), *STATISTICS) if c in self.out]
        if side == "all":
            cols = [c for c in ("n_treatment", "n_comparison", *DERIVED) if c in self.out]
        for i in index:
            if self.out.loc[i, cols].isna().all():
                continue
            self.out.loc[i, cols] = np.nan
            r = self.out.loc[i]
            where = f"{r.get('outcome', '')} / {r.get('design', '')} / {r.get('comparison', '')}"
            self.log.append(Suppression(where, f"{side} group and every statistic", reason))

    def hidden(self, i, col: str) -> bool:
        return bool(pd.notna(self.raw.loc[i, col]) and pd.isna(self.out.loc[i, col]))

    def groups(self) -> None:
        """Rule 7, second half: the respondents-per-authority table's suppression holds everywhere."""
        counts = group_counts(self.raw)
        if counts.empty:
            return
        _, mask = suppress_counts(counts, self.rules.threshold)
        for column in counts.columns:
            family = column[:-1]
            rows = self.out[self.out["family"] == family]
            for label in counts.index[mask[column].to_numpy()]:
                if label.endswith(" (unit model)"):
                    name = label[: -len(" (unit model)")]
                    idx = rows.index[rows["treatment"].astype(str) == name]
                    self.out.loc[idx, "n_treatment"] = np.nan
                    # the table's Total less a pooled comparison's n would give it back
                    pooled = idx[rows.loc[idx, "comparison"] == POOLED]
                    self.out.loc[pooled, "n_comparison"] = np.nan
                else:
                    idx = rows.index[rows["comparison"].astype(str) == label]
                    self.hide(idx, "comparison", "suppressed in the respondents-per-authority table (rule 7)")

    def pooled(self) -> None:
        """Rule 7: a pooled row is the total of its per-authority parts."""
        t = self.rules.threshold
        keys = [k for k in ("family", "design", "outcome", "treatment", "period") if k in self.out]
        survey = self.out[self.out["family"].isin(SURVEY_FAMILIES)]
        for _, group in survey.groupby(keys, sort=False, dropna=False):
            pooled = group.index[group["comparison"] == POOLED]
            parts = list(group.index[group["comparison"] != POOLED])
            if len(pooled) != 1 or not parts:
                continue
            n = self.raw.loc[parts, "n_comparison"]
            p = self.raw.loc[parts, "value_comparison"]
            proportion = group["measure"].iloc[0] == "proportion"
            while True:
                gone = [
                    i for i in parts if self.hidden(i, "n_comparison") or self.hidden(i, "value_comparison")
                ]
                if not gone:
                    break
                size = float(n[gone].sum())
                events = float((n[gone] * p[gone]).sum())
                weak = len(gone) == 1 or size <= t
                if proportion:
                    weak |= round(events) == 0 or round(size - events) == 0
                if not weak:
                    break
                shown = [i for i in parts if i not in gone]
                if shown:
                    self.hide(
                        [min(shown, key=lambda i: n[i])],
                        "comparison",
                        "secondary: pooled row is their total (rule 7)",
                    )
                else:
                    self.hide(
                        pooled, "comparison", "secondary: pooled row equals its suppressed parts (rule 7)"
                    )
                    break

    def adjusted(self) -> None:
        """Rule 6: a shown adjusted p-value that is a multiple of a suppressed raw p-value."""
        if "p_adjusted" not in self.out:
            return
        for _, fam in self.out.groupby("family", sort=False):
            secret = [float(self.raw.loc[i, "p_value"]) for i in fam.index if self.hidden(i, "p_value")]
            shown = fam.index[fam["p_adjusted"].notna()]
            m = max(int(fam["p_value"].notna().sum() + len(secret)), 1)
            factors = np.unique(np.r_[np.arange(1, m + 1), m / np.arange(1, m + 1)])
            for i in shown:
                q = float(self.out.loc[i, "p_adjusted"])
                if q < 1 and any(np.isclose(q, s * factors, rtol=1e-9, atol=0).any() for s in secret):
                    self.out.loc[i, "p_adjusted"] = np.nan
                    self.log.append(
                        Suppression(
                            str(self.out.loc[i, "outcome"]),
                            "p_adjusted",
                            "a multiple of a suppressed p-value (rule 6)",
                        )
                    )

    def rates(self) -> None:
        """Rule 8 in the results table: a rate row follows its count's row."""
        keys = [k for k in ("design", "treatment", "comparison", "period") if k in self.out]
        for rate, (count, _, _) in RATES.items():
            if count is None:
                continue
            gone = self.out[(self.out["outcome"] == count) & self.out["suppressed"].astype(bool)]
            for _, r in gone.iterrows():
                same = (self.out["outcome"] == rate) & (self.out[keys] == r[keys]).all(axis=1)
                self.hide(self.out.index[same], "all", "a rate whose count is suppressed (rule 8)")


def protect_table(
    table: pd.DataFrame, threshold: int = 5, rules: RuleSet | None = None
) -> tuple[pd.DataFrame, list[Suppression]]:
    """Rules 1-8 over a whole results table: the version every report and results file publishes.

    Parameters
    ----------
    table : DataFrame
        A results table (:attr:`rsw_eval.Results.table`); not modified.
    threshold : int
        Counts from 1 to this are suppressed (ignored when ``rules`` is given).
    rules : RuleSet, optional
        :func:`rule_set` (default: ``rule_set("default", threshold)``).

    Returns
    -------
    (table, suppressions)
        The protected copy (suppressed cells NaN, ``suppressed`` True on their rows) and the log.

    Examples
    --------
    >>> rows = [dict(family="worker", design="cross_section", outcome="x", measure="mean",
    ...              treatment="U", comparison=c, n_treatment=40, n_comparison=n, value_treatment=3.0,
    ...              value_comparison=v, p_value=0.01, suppressed=False)
    ...         for c, n, v in (("all conventional", 33, 2.0), ("A", 30, 2.1), ("B", 3, 0.3))]
    >>> out, _ = protect_table(pd.DataFrame(rows))
    >>> out[["comparison", "n_comparison", "value_comparison"]]
             comparison  n_comparison  value_comparison
    0  all conventional          33.0               2.0
    1                 A           NaN               NaN
    2                 B           NaN               NaN
    """
    rules = rules or rule_set("default", threshold)
    out, log = protect(table, rules.threshold)
    raw = out.copy()
    for col in ("n_treatment", "n_comparison", *DERIVED):
        if col in raw:
            raw[col] = _num(table, col)
    step = _Pass(raw, out, rules, log)
    if {"family", "design", "comparison", "treatment", "measure"} <= set(out.columns):
        step.groups()
        step.pooled()
    if {"outcome", "design", "comparison"} <= set(out.columns):
        step.rates()
    if "p_value" in out:
        step.adjusted()
    if rules.round_to > 1 and "period" in out:
        counts = out["outcome"].isin(COUNT_OUTCOMES) & (out["design"] == "before_after")
        for i in out.index[counts]:
            years = str(out.loc[i, "period"]).split("->")
            for col, year in zip(("value_comparison", "value_treatment"), years, strict=False):
                if year.strip().isdigit() and int(year) >= rules.round_from:
                    out.loc[i, col] = rules.round_to * np.round(out.loc[i, col] / rules.round_to)
    # words and flags computed from a suppressed statistic go with it (interpretation quotes p)
    gone = pd.Series(False, index=out.index)
    for col in ("effect_size", "p_value", "p_adjusted"):
        if col in out:
            gone |= raw[col].notna() & out[col].isna()
    if "interpretation" in out:
        out.loc[gone, "interpretation"] = ""
    if "reproduced" in out:
        out["reproduced"] = out["reproduced"].astype(object)
        out.loc[gone, "reproduced"] = None
    checked = [c for c in ("n_treatment", "n_comparison", *DERIVED) if c in out]
    out["suppressed"] = out["suppressed"].astype(bool) | (raw[checked].notna() & out[checked].isna()).any(
        axis=1
    )
    return out, log


def protect_series(series: pd.DataFrame, threshold: int = 5, rules: RuleSet | None = None) -> pd.DataFrame:
    """Rules 3 and 8 over an indicator series (``la_code, year, indicator, value[, role]``).

    Small counts, and rates or percentages whose count is small or suppressed (directly, or as
    value x denominator), become NaN with ``suppressed`` True; under the DfE rules sub-national
    counts from ``round_from`` are rounded. Returns a copy.

    Examples
    --------
    >>> s = pd.DataFrame({"la_code": "A", "year": 2010, "indicator": ["children_looked_after",
    ...     "population_0_17", "cla_rate_per_10k"], "value": [4.0, 20000.0, 2.0]})
    >>> protect_series(s)[["indicator", "value", "suppressed"]]
                   indicator    value  suppressed
    0  children_looked_after      NaN        True
    1        population_0_17  20000.0       False
    2       cla_rate_per_10k      NaN        True
    """
    rules = rules or rule_set("default", threshold)
    s = series.copy()
    if s.empty:
        s["suppressed"] = pd.Series(dtype=bool)
        return s
    t = rules.threshold
    value = s["value"].astype(float)
    small = s["indicator"].isin(COUNT_OUTCOMES) & value.between(1, t)
    key = s.set_index(["la_code", "year", "indicator"])["value"].astype(float)
    key = key[~key.index.duplicated()]
    hidden_keys = set(s.loc[small, ["la_code", "year", "indicator"]].itertuples(index=False, name=None))
    for rate, (count, denominator, scale) in RATES.items():
        rows = s.index[s["indicator"] == rate]
        for i in rows:
            la, year = s.loc[i, "la_code"], s.loc[i, "year"]
            den = key.get((la, year, denominator), np.nan)
            implied = value[i] * den / scale
            parts = [implied, den - implied] if scale == 100 else [implied]
            if (la, year, count) in hidden_keys or any(_small(x, t) for x in parts):
                small[i] = True
                hidden_keys.add((la, year, rate))
                if count is not None:
                    small |= (s["la_code"] == la) & (s["year"] == year) & (s["indicator"] == count)
    s["suppressed"] = small
    s.loc[small, "value"] = np.nan
    if rules.round_to > 1:
        sub = s["indicator"].isin(COUNT_OUTCOMES) & (s["year"] >= rules.round_from)
        if "role" in s:
            sub &= s["role"] != "england"
        s.loc[sub, "value"] = rules.round_to * np.round(s.loc[sub, "value"] / rules.round_to)
    return s
