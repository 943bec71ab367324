"""The plain script a competent analyst would write for the survey comparisons (the peer of
``compare_workers`` in bench_survey.py): pandas, numpy and SciPy, no rsw_eval.

For each outcome it compares the unit-model respondents with all conventional ones, then with each
conventional authority in turn: means (or proportions), Welch's t, Hedges' g (root-mean-square
SD, Welch df), and the difference tested by OLS with the CR2 cluster-robust variance and
Satterthwaite df (Bell & McCaffrey 2002; Pustejovsky & Tipton 2018), clustered by authority when
each arm has two or more authorities, else by unit; CR2 is computed from each cluster's 2 x 2
cross products (never an n_g x n_g matrix). Ordinal outcomes add a Brunner-Munzel test
(scipy.stats.brunnermunzel). The spread of ``practice_quality`` is compared by a Brown-Forsythe
CR2 test. No multilevel model: the analyst's tool for it (statsmodels MixedLM) does not finish at
this size (benchmarks/README.md).

Usage: ``python benchmarks/peer_survey.py SURVEY.parquet OUT.parquet``; prints the seconds spent
comparing (the file read excluded) as JSON.
"""

from __future__ import annotations

import json
import sys
import time

import numpy as np
import pandas as pd
from scipy import stats
from scipy.special import gammaln

CONTINUOUS = ["ghq_score", "practice_quality"]
LIKERT = ["job_satisfaction"]
BINARY = ["no_time_for_reflection"]


def sym_power(a, p):
    w, v = np.linalg.eigh(a)
    wp = np.zeros_like(w)
    ok = w > 1e-12
    wp[ok] = w[ok] ** p
    return (v * wp[:, None, :]) @ v.transpose(0, 2, 1)


def cr2(y, g, clusters):
    """Difference g=1 minus g=0 by OLS: estimate, CR2 SE and Satterthwaite df."""
    cl = pd.factorize(clusters)[0]
    k = cl.max() + 1
    X = np.column_stack([np.ones_like(g), g])
    M = np.linalg.inv(X.T @ X)
    beta = M @ (X.T @ y)
    e = y - X @ beta
    n = np.bincount(cl, minlength=k).astype(float)
    s = np.bincount(cl, weights=g, minlength=k)
    XX = np.empty((k, 2, 2))
    XX[:, 0, 0], XX[:, 0, 1], XX[:, 1, 0], XX[:, 1, 1] = n, s, s, s
    Xe = np.column_stack(
        [np.bincount(cl, weights=e, minlength=k), np.bincount(cl, weights=g * e, minlength=k)]
    )
    R, Rinv = sym_power(XX, 0.5), sym_power(XX, -0.5)
    B = R @ Rinv - R @ M @ R
    Bh, Bi = sym_power(B, -0.5), sym_power(B, -1.0)
    Mc = M[:, 1]
    u = np.einsum("kij,kj->ki", R @ Bh @ Rinv, Xe)
    se = np.sqrt(np.sum((u @ Mc) ** 2))
    a = np.einsum("kij,j->ki", R @ Bh @ R, Mc)
    d = np.einsum("i,kij,j->k", Mc, R @ Bi @ R, Mc)
    cross = np.sum((a @ M) * a, axis=1)
    S = a.T @ a
    df = np.sum(d - cross) ** 2 / (np.sum(d**2) - 2 * np.sum(d * cross) + np.trace(M @ S @ M @ S))
    return beta[1], se, df


def cr2_row(sub, outcome, unit_col="unit"):
    y = sub[outcome].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    keep = ~np.isnan(y)
    unit = (sub["model"] == "unit").to_numpy()
    k_t = sub.loc[unit, "authority"].nunique()
    k_c = sub.loc[~unit, "authority"].nunique()
    by = "authority" if min(k_t, k_c) >= 2 else unit_col
    labels = sub["authority"] if by == "authority" else sub["authority"] + "/" + sub["unit"]
    est, se, df = cr2(y[keep], unit[keep].astype(float), labels.to_numpy()[keep])
    t = est / se
    q = stats.t.ppf(0.975, df)
    return {
        "difference": est,
        "p_value": 2 * stats.t.sf(abs(t), df),
        "df": df,
        "lo": est - q * se,
        "hi": est + q * se,
    }


def hedges_g(x, y):
    v1, v2 = x.var(ddof=1), y.var(ddof=1)
    a, b = v1 / len(x), v2 / len(y)
    df = (a + b) ** 2 / (a**2 / (len(x) - 1) + b**2 / (len(y) - 1))
    j = np.exp(gammaln(df / 2) - 0.5 * np.log(df / 2) - gammaln((df - 1) / 2))
    return j * (x.mean() - y.mean()) / np.sqrt((v1 + v2) / 2)


def compare(frame: pd.DataFrame) -> pd.DataFrame:
    rows = []
    frame = frame.assign(**{b: frame[b].map({"yes": 1.0, "no": 0.0}) for b in BINARY})
    unit = frame["model"] == "unit"
    conventional = frame["model"] == "conventional"
    comparisons = [("all conventional", conventional)] + [
        (a, conventional & (frame["authority"] == a))
        for a in sorted(frame.loc[conventional, "authority"].dropna().unique())
    ]
    for outcome in CONTINUOUS + LIKERT + BINARY:
        x = frame.loc[unit, outcome].astype("Float64").dropna().to_numpy(dtype=float)
        for name, mask in comparisons:
            y = frame.loc[mask, outcome].astype("Float64").dropna().to_numpy(dtype=float)
            row = {"outcome": outcome, "comparison": name, **cr2_row(frame[unit | mask], outcome)}
            if outcome in BINARY:
                row["effect_size"] = x.mean() - y.mean()
            else:
                row["welch_p"] = stats.ttest_ind(x, y, equal_var=False).pvalue
                row["effect_size"] = hedges_g(x, y)
            if outcome in LIKERT:
                ranks = stats.rankdata(np.concatenate([x, y]))
                row["relative_effect"] = (ranks[: len(x)].mean() - (len(x) + 1) / 2) / len(y)
                row["bm_statistic"] = -stats.brunnermunzel(x, y).statistic
            rows.append(row)
    # consistency: Brown-Forsythe (absolute deviations from each arm's median) with CR2
    sub = frame[(unit | conventional) & frame["practice_quality"].notna()]
    values = sub["practice_quality"].astype(float)
    dev = (values - values.groupby(sub["model"]).transform("median")).abs()
    rows.append(
        {"outcome": "practice_quality", "comparison": "consistency", **cr2_row(sub.assign(dev=dev), "dev")}
    )
    return pd.DataFrame(rows)


def main(path: str, out: str) -> None:
    frame = pd.read_parquet(path)
    start = time.perf_counter()
    result = compare(frame)
    seconds = time.perf_counter() - start
    result.to_parquet(out)
    print(json.dumps({"seconds": seconds, "rows": len(result)}))


if __name__ == "__main__":
    main(*sys.argv[1:3])
