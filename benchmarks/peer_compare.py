"""The plain script a competent analyst would write for what ``rsw-eval compare data/sample``
reports: pandas, numpy, SciPy and statsmodels, no rsw_eval (the peer of bench_compare.py).

From the sample's CSV files it computes, for the unit-model authority (E09000012 / "Unit-model
LA") against its comparators:
- surveys: GHQ-12 scores; for every outcome against all conventional respondents and each
  conventional authority, the difference, Welch's t, Hedges' g and the CR2 cluster-robust test
  (``peer_survey.py``), a Brunner-Munzel test for ratings, the proportions for yes/no outcomes,
  the contact rate ratio (negative binomial GLM) and the spread (Brown-Forsythe with CR2;
  Levene); not the multilevel model (statsmodels MixedLM does not converge on the sample's worker
  survey, so it cannot give rsw-eval's lme4-equal answers: rsw-eval's time includes 6 fits the
  peer's does not);
- the administrative panel (the CLA rate derived per 10,000 children): before/after changes for
  the four periods, DiD of pre/post means (log scale for counts and rates) with the placebo
  permutation p, comparative and own-trend interrupted time series, synthetic control (simplex
  least squares by NNLS, every donor as placebo) and synthetic DiD (``peer_sdid.py``);
- costs: the nominal and real change of the total, each line's contribution, and the DiD of the
  percent change against the comparators.

Usage: ``python benchmarks/peer_compare.py DATA_DIR`` prints the seconds (whole process, or the
time of a second run with ``--warm``) and writes nothing; ``compare(data_dir)`` returns the table.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import optimize, stats

sys.path.insert(0, str(Path(__file__).resolve().parent))
from peer_sdid import estimate as sdid_estimate_at
from peer_sdid import weights as sdid_weights
from peer_survey import cr2, hedges_g

TREATED, UNIT_LA, YEAR = "E09000012", "Unit-model LA", 2008
PERIODS = [(2006, 2009), (2006, 2010), (2007, 2010), (2009, 2010)]
COUNTS = {"children_looked_after", "cp_plans_repeat", "cp_plans_started", "residential_placements"}
LOG = COUNTS | {"cla_rate_per_10k"}


def survey_rows(frame, outcomes, likert, binary, family, out):
    unit = frame["model"] == "unit"
    conventional = frame["model"] == "conventional"
    comparisons = [("all conventional", conventional)] + [
        (a, conventional & (frame["authority"] == a))
        for a in sorted(frame.loc[conventional, "authority"].unique())
    ]
    has_units = "unit" in frame
    for outcome in outcomes:
        values = frame[outcome].astype(float)
        x = values[unit].dropna().to_numpy()
        for name, mask in comparisons:
            y = values[mask].dropna().to_numpy()
            sub = frame[unit | mask]
            keep = sub[outcome].notna().to_numpy()
            row = {"family": family, "design": "cross_section", "outcome": outcome, "comparison": name}
            row["difference"] = x.mean() - y.mean()
            row["welch_p"] = stats.ttest_ind(x, y, equal_var=False).pvalue
            if has_units:
                labels = (sub["authority"] + "/" + sub["unit"]).to_numpy()[keep]
                est, se, df = cr2(
                    sub[outcome].astype(float).to_numpy()[keep],
                    (sub["model"] == "unit").to_numpy()[keep] * 1.0,
                    labels,
                )
                row["p_value"] = 2 * stats.t.sf(abs(est / se), df)
            else:
                row["p_value"] = row["welch_p"]
            row["estimate"] = row["difference"] if outcome in binary else hedges_g(x, y)
            out.append(row)
            if outcome in likert:
                ranks = stats.rankdata(np.concatenate([x, y]))
                out.append(
                    {
                        "family": family,
                        "design": "cross_section_rank",
                        "outcome": outcome,
                        "comparison": name,
                        "estimate": (ranks[: len(x)].mean() - (len(x) + 1) / 2) / len(y),
                        "p_value": stats.brunnermunzel(x, y).pvalue,
                    }
                )


def workers(path, out):
    w = pd.read_csv(path)
    items = w[[f"ghq{i}" for i in range(1, 13)]].astype(float)
    answered = items.notna().sum(axis=1)
    scale = np.where(answered >= 10, 12 / answered.clip(lower=1), np.nan)
    w["ghq_score"] = items.sum(axis=1) * scale
    w["ghq_case"] = ((items >= 2).sum(axis=1) * scale >= 4).astype(float).where(answered >= 10)
    for c in ("no_time_for_reflection", "experienced_violence"):
        w[c] = w[c].map({"yes": 1.0, "no": 0.0})
    continuous = ["ghq_score", "practice_quality", "reflection_hours_per_week", "pct_time_direct_work"]
    likert = ["job_satisfaction", "confidence_assessment"]
    binary = ["ghq_case", "no_time_for_reflection", "experienced_violence"]
    survey_rows(w, continuous + likert + binary, likert, binary, "worker", out)
    consistency(w, "practice_quality", "worker", out)


def consistency(frame, outcome, family, out):
    sub = frame[frame[outcome].notna()]
    unit = sub["model"] == "unit"
    x, y = sub.loc[unit, outcome].to_numpy(float), sub.loc[~unit, outcome].to_numpy(float)
    row = {
        "family": family,
        "design": "consistency",
        "outcome": outcome,
        "estimate": x.var(ddof=1) / y.var(ddof=1),
    }
    if "unit" in sub:
        dev = (sub[outcome] - sub.groupby("model")[outcome].transform("median")).abs().to_numpy()
        est, se, df = cr2(dev, unit.to_numpy() * 1.0, (sub["authority"] + "/" + sub["unit"]).to_numpy())
        row["p_value"] = 2 * stats.t.sf(abs(est / se), df)
    else:
        row["p_value"] = stats.levene(x, y, center="median").pvalue
    out.append(row)


def parents(path, out):
    p = pd.read_csv(path)
    ratings = [c for c in p if c.startswith("rating_")]
    survey_rows(p, ratings, ratings, [], "parent", out)
    conventional = p["model"] == "conventional"
    for name, mask in [("all conventional", conventional)] + [
        (a, conventional & (p["authority"] == a)) for a in sorted(p.loc[conventional, "authority"].unique())
    ]:
        sub = p[(p["model"] == "unit") | mask]
        X = sm.add_constant((sub["model"] == "unit").to_numpy(float))
        counts, offset = sub["contacts"].to_numpy(float), np.log(sub["weeks_observed"].to_numpy(float))
        nb = sm.NegativeBinomial(counts, X, offset=offset, loglike_method="nb2")
        alpha = nb.fit(disp=0, maxiter=200).params[-1]
        family = sm.families.NegativeBinomial(alpha=alpha)
        glm = sm.GLM(counts, X, family=family, offset=offset).fit(method="newton")
        out.append(
            {
                "family": "parent",
                "design": "contact_rate",
                "outcome": "contact_rate",
                "comparison": name,
                "estimate": np.exp(glm.params[1]),
                "p_value": glm.pvalues[1],
            }
        )
    consistency(p, "rating_overall", "parent", out)


def panel(path):
    d = pd.read_csv(path)
    d = d[d["geographic_level"] == "Local authority"].copy()
    for c in d.columns[10:]:
        d[c] = pd.to_numeric(d[c], errors="coerce")  # DfE symbols (c, x, z) -> missing
    d["cla_rate_per_10k"] = d["children_looked_after"] / d["population_0_17"] * 10000
    values = [c for c in d.columns[10:] if c != "old_la_code"] + ["cla_rate_per_10k"]
    long = d.melt(id_vars=["time_period", "new_la_code"], value_vars=values, var_name="indicator")
    return {
        i: g.pivot(index="new_la_code", columns="time_period", values="value")
        for i, g in long.groupby("indicator")
    }


def segmented(years):
    t = years - YEAR
    post = (t >= 0) * 1.0
    return np.column_stack([np.ones_like(t), t, post, t * post])


def own_coef(X, series):
    ok = np.isfinite(series)
    return np.linalg.lstsq(X[ok], series[ok], rcond=None)[0]


def simplex_weights(X, y):
    """min ||X w - y|| over the simplex: NNLS with a heavily weighted sum-to-one row."""
    big = 1e4 * max(1.0, np.abs(X).max())
    w, _ = optimize.nnls(np.vstack([X, big * np.ones(X.shape[1])]), np.r_[y, big])
    return w / w.sum()


def admin(path, out):
    tables = panel(path)
    pop = tables.pop("population_0_17")
    for indicator, t in tables.items():
        t = t.dropna(axis=1, how="all")
        years = np.asarray(t.columns, float)
        pre, post = years < YEAR, years >= YEAR
        comps = [c for c in t.index if c != TREATED]
        pp = indicator.endswith("_pct")
        for before, after in PERIODS:

            def change(b, a, pp=pp):
                return a - b if pp else 100 * (a / b - 1)

            row = {"family": "admin", "design": "before_after", "outcome": indicator}
            out.append(
                {
                    **row,
                    "comparison": f"{before}->{after}",
                    "estimate": change(t.loc[TREATED, before], t.loc[TREATED, after]),
                }
            )
            cb, ca = t.loc[comps, before], t.loc[comps, after]
            ok = cb.notna() & ca.notna()
            out.append(
                {
                    **row,
                    "comparison": f"comparators {before}->{after}",
                    "estimate": np.median(change(cb[ok], ca[ok])),
                }
            )
        # DiD of pre/post means (log scale for counts and rates); placebo permutation p
        y = np.log(t) if indicator in LOG else t
        delta = y.loc[:, post].mean(axis=1) - y.loc[:, pre].mean(axis=1)
        did = delta[TREATED] - delta[comps].mean()
        placebo = [delta[c] - delta.drop(c).mean() for c in t.index]
        out.append(
            {
                "family": "admin",
                "design": "did",
                "outcome": indicator,
                "estimate": 100 * np.expm1(did) if indicator in LOG else did,
                "p_value": np.mean(np.abs(placebo) >= abs(did) * (1 - 1e-12)),
            }
        )
        # interrupted time series: comparative (each authority's segmented fit, treated minus the
        # comparators' mean; log rate per child for counts) and the treated's own trend
        X = segmented(years)
        counts = indicator in COUNTS
        ys = np.log(t / pop.loc[t.index, t.columns]) if counts else t
        coefs = np.array([own_coef(X, ys.loc[c].to_numpy(float)) for c in t.index])
        comparative = coefs[list(t.index).index(TREATED)] - coefs[
            [list(t.index).index(c) for c in comps]
        ].mean(axis=0)
        for k, part in ((2, "level"), (3, "slope")):
            est = np.exp(comparative[k]) if counts else comparative[k]
            out.append(
                {
                    "family": "admin",
                    "design": "its",
                    "outcome": indicator,
                    "comparison": f"comparative {part}",
                    "estimate": est,
                }
            )
        if counts:
            fit = sm.GLM(
                t.loc[TREATED].to_numpy(float),
                X,
                family=sm.families.Poisson(),
                offset=np.log(pop.loc[TREATED, t.columns].to_numpy(float)),
            ).fit(method="newton")
            own = np.exp(fit.params)
        else:
            own = own_coef(X, t.loc[TREATED].to_numpy(float))
        for k, part in ((2, "level"), (3, "slope")):
            out.append(
                {
                    "family": "admin",
                    "design": "its",
                    "outcome": indicator,
                    "comparison": f"own {part}",
                    "estimate": own[k],
                }
            )
        # synthetic control on the pre-period path; each donor in turn as a placebo
        complete = t.dropna()
        donors = [c for c in complete.index if c != TREATED]
        gaps = {}
        for unit in complete.index:
            others = [c for c in complete.index if c != unit]
            w = simplex_weights(complete.loc[others, pre].to_numpy().T, complete.loc[unit, pre].to_numpy())
            gaps[unit] = complete.loc[unit].to_numpy() - w @ complete.loc[others].to_numpy()
        out.append(
            {
                "family": "admin",
                "design": "synthetic_control",
                "outcome": indicator,
                "estimate": gaps[TREATED][post].mean(),
            }
        )
        # synthetic DiD (no placebo SE: fewer than 20 donors)
        Y = complete.loc[[*donors, TREATED]].to_numpy(float)
        T0, N0 = int(pre.sum()), len(donors)
        noise = np.diff(Y[:N0, :T0], axis=1).std(ddof=1)
        zeta = ((Y.shape[1] - T0) ** 0.25 * noise, 1e-6 * noise, 1e-5 * noise)
        om, lam = sdid_weights(Y, N0, T0, *zeta, np.full(N0, 1 / N0), np.full(T0, 1 / T0))
        out.append(
            {
                "family": "admin",
                "design": "synthetic_did",
                "outcome": indicator,
                "estimate": sdid_estimate_at(Y, N0, T0, om, lam),
            }
        )


def costs(path, out):
    c = pd.read_csv(path)
    c = c[c["year"].isin(["2008-09", "2009-10"])]
    total = c.groupby(["la_code", "year"])["amount_gbp"].sum().unstack()
    pct = 100 * (total["2009-10"] / total["2008-09"] - 1)
    out.append({"family": "cost", "design": "cost_change", "outcome": "total_cost", "estimate": pct[TREATED]})
    h = c[c["la_code"] == TREATED]
    index = h.groupby("year")["price_index"].first()
    real = 100 * (
        total.loc[TREATED, "2009-10"] / index["2009-10"] * index["2008-09"] / total.loc[TREATED, "2008-09"]
        - 1
    )
    out.append({"family": "cost", "design": "cost_change", "outcome": "total_cost_real", "estimate": real})
    lines = h.pivot(index="cost_line", columns="year", values="amount_gbp")
    for line, r in lines.iterrows():
        out.append(
            {
                "family": "cost",
                "design": "cost_change",
                "outcome": f"cost_line:{line}",
                "estimate": 100 * (r["2009-10"] - r["2008-09"]) / total.loc[TREATED, "2008-09"],
            }
        )
    others = pct.drop(TREATED)
    out.append(
        {
            "family": "cost",
            "design": "cost_did",
            "outcome": "total_cost",
            "estimate": pct[TREATED] - others.mean(),
            "p_value": np.mean(np.abs(pct - pct.mean()) >= abs(pct[TREATED] - pct.mean()) - 1e-12),
        }
    )


def compare(data: Path) -> pd.DataFrame:
    out: list[dict] = []
    workers(data / "worker_survey.csv", out)
    parents(data / "parent_survey.csv", out)
    admin(data / "admin_panel.csv", out)
    costs(data / "costs.csv", out)
    return pd.DataFrame(out)


if __name__ == "__main__":
    start = time.perf_counter()
    table = compare(Path(sys.argv[1]))
    if "--warm" in sys.argv:
        start = time.perf_counter()
        table = compare(Path(sys.argv[1]))
    if "--out" in sys.argv:
        table.to_parquet(sys.argv[sys.argv.index("--out") + 1])
    print(json.dumps({"seconds": time.perf_counter() - start, "rows": len(table)}))
