"""The national screen: every authority against its own statistical neighbours, in one pass.

(e) real EES files end to end (d3 child protection plans, c1 referrals, CSWW workforce; DfE 2021
    neighbour groupings; change year 2019): `rsw-eval screen` in a fresh process against the
    plain pandas + numpy script (benchmarks/peer_screen.py), outputs compared
(f) the target size: 152 authorities x 20 indicators x 20 years written as one EES-layout CSV
    (real codes, real neighbours, synthetic values), `rsw-eval screen` end to end in a fresh process
(b) the DiD core alone on the same size (did_core over arrays) and (c) the same screen as a loop
    of statsmodels OLS DiD fits (treated fit and one per placebo), checked to give the same numbers
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
DFE = HERE.parents[1] / "shared" / "data" / "dfe"
NEIGHBOURS = DFE / "New_Statistical_Neighbour_Groupings_April_2021.csv"
EES = [
    "d3_cpps_subsequent_plan_2013_to_2025.csv",
    "c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv",
    "csww_indicators_2017_to_2025.csv",
]
RSW = shutil.which("rsw-eval", path=str(Path(sys.executable).parent)) or "rsw-eval"
N_IND, N_YEARS, K, REPEAT = 20, 20, 10, 3

sys.path.insert(0, str(HERE))
from _common import median_run, report  # noqa: E402

from rsw_eval.designs.did import did_core, pre_post_change  # noqa: E402


def real_files(tmp: Path) -> dict:
    files = [str(DFE / f) for f in EES]
    ours, peer = tmp / "rsw.csv", tmp / "peer.parquet"
    rsw = [RSW, "screen", *files, "--neighbours", str(NEIGHBOURS), "--year", "2019", "--out", str(ours)]
    plain = [sys.executable, str(HERE / "peer_screen.py"), *files, "--neighbours", str(NEIGHBOURS)]
    plain += ["--year", "2019", "--out", str(peer)]
    t_rsw, t_peer = median_run(rsw, REPEAT), median_run(plain, REPEAT)
    a = pd.read_csv(ours).dropna(subset=["p_value"])
    # rsw-eval names indicators canonically (cp_plans_repeat); the peer keeps DfE's columns
    from rsw_eval.io._dashboard import dfe_indicators

    vocab = dfe_indicators()
    vocab = vocab[vocab["filters"].fillna("") == ""].dropna(subset=["dfe_column"])
    a["indicator"] = a["indicator"].map(dict(zip(vocab["indicator"], vocab["dfe_column"], strict=True)))
    a = a.dropna(subset=["indicator"]).set_index(["la_code", "indicator"])
    b = pd.read_parquet(peer).set_index(["la_code", "indicator"])
    both = a.index.intersection(b.index)
    differ = both[~np.isclose(a.loc[both, "estimate"], b.loc[both, "estimate"], rtol=1e-9, atol=1e-9)]
    changed = _recoded(files)
    from rsw_eval.comparison.neighbours import load_statistical_neighbours

    nb = load_statistical_neighbours(NEIGHBOURS)
    group = {code: set(g) for code, g in nb.groupby("la_code")["neighbour_code"]}
    explained = all(c in changed or group.get(c, set()) & changed for c in differ.get_level_values(0))
    same = both.difference(differ)
    return {
        "e_cells_identical": len(same),
        "e_cells_differing": len(differ),
        "e_differing_all_involve_recoded_authorities": bool(explained),
        "e_real_cells": len(a),
        "e_real_authorities": a.index.get_level_values(0).nunique(),
        "e_real_indicators": a.index.get_level_values(1).nunique(),
        "e_rsw_screen_cli_s": round(t_rsw, 2),
        "e_peer_script_s": round(t_peer, 2),
        "e_ratio": round(t_rsw / t_peer, 2),
        "e_max_abs_estimate_difference_identical_cells": float(
            np.max(np.abs(a.loc[same, "estimate"] - b.loc[same, "estimate"]))
        ),
        # p is not compared: the peer keeps the plain placebo test, rsw-eval's is studentised
        # (each authority's change over its own standard error, as rsw_eval.designs.did.did)
    }


def _recoded(files: list[str]) -> set[str]:
    """Authorities whose series differ between the loader (old county codes mapped to the current
    unitary codes) and the peer (codes as published): any code whose years differ or that only
    one side has."""
    sys.path.insert(0, str(HERE))
    from peer_screen import read_ees

    from rsw_eval.io import load_dfe_table

    ours = pd.concat([load_dfe_table(f) for f in files]).dropna(subset=["value"])
    theirs = pd.concat([read_ees(Path(f)) for f in files]).dropna(subset=["value"])
    a = ours.groupby("la_code")["year"].agg(frozenset).to_dict()
    b = theirs.groupby("new_la_code")["year"].agg(frozenset).to_dict()
    return {c for c in set(a) | set(b) if a.get(c) != b.get(c)}


def target_size(tmp: Path) -> tuple[dict, np.ndarray, np.ndarray, np.ndarray]:
    """152 real authorities (those of the neighbour groupings found in the d3 file), 20 synthetic
    indicators x 20 years as an EES CSV; returns the figures and the arrays for (b)/(c)."""
    from rsw_eval.comparison.neighbours import load_statistical_neighbours

    nb = load_statistical_neighbours(NEIGHBOURS)
    d3 = pd.read_csv(DFE / EES[0], dtype=str, keep_default_na=False)
    d3 = d3[d3["geographic_level"] == "Local authority"].drop_duplicates("new_la_code")
    las = d3[d3["new_la_code"].isin(set(nb["la_code"]))].sort_values("new_la_code").head(152)
    codes = las["new_la_code"].tolist()
    rng = np.random.default_rng(1)
    years = np.arange(2004, 2004 + N_YEARS)
    level = rng.normal(100, 20, (N_IND, len(codes), 1))
    trend = rng.normal(0, 1, (N_IND, 1, N_YEARS)).cumsum(axis=-1)
    y = np.round(level + trend + rng.normal(0, 2, (N_IND, len(codes), N_YEARS)), 3)
    frame = pd.DataFrame(
        {
            "time_period": np.tile(years, len(codes)).astype(str),
            "time_identifier": "Financial year",
            "geographic_level": "Local authority",
            "old_la_code": np.repeat(las["old_la_code"].to_numpy(), N_YEARS),
            "new_la_code": np.repeat(codes, N_YEARS),
            "la_name": np.repeat(las["la_name"].to_numpy(), N_YEARS),
        }
    )
    for i in range(N_IND):
        frame[f"indicator_{i:02d}"] = y[i].ravel()
    path = tmp / "national_20x20.csv"
    frame.to_csv(path, index=False)
    cmd = [
        RSW,
        "screen",
        str(path),
        "--neighbours",
        str(NEIGHBOURS),
        "--year",
        "2014",
        "--out",
        str(tmp / "s.csv"),
    ]
    t = median_run(cmd, REPEAT)
    index = {c: i for i, c in enumerate(codes)}
    listed = nb[nb["la_code"].isin(index) & nb["neighbour_code"].isin(index)].groupby("la_code")[
        "neighbour_code"
    ]
    full = [c for c, g in listed if len(g) == K]
    treated = np.array([index[c] for c in full])
    nearest = np.array([[index[n] for n in listed.get_group(c)] for c in full])
    figures = {
        "f_target_authorities": len(codes),
        "f_target_indicators_years": f"{N_IND} x {N_YEARS}",
        "f_rsw_screen_cli_s": round(t, 2),
        "f_cells": int(pd.read_csv(tmp / "s.csv")["p_value"].notna().sum()),
    }
    return figures, y, years, (treated, nearest)


def screen_loop(y, years, treated, nearest, intervention) -> np.ndarray:
    """Per case: statsmodels OLS y ~ treated + post + treated:post on the 11 authorities, then the
    same with each comparator in turn as the treated one (the full permutation test, as did_core);
    returns the estimates and permutation p-values."""
    import statsmodels.api as sm

    est = np.empty((y.shape[0], len(treated)))
    pval = np.empty_like(est)
    post = (years >= intervention).astype(float)

    def fit(values, row):
        t = np.repeat(np.eye(values.shape[0])[row], len(years))
        p = np.tile(post, values.shape[0])
        return sm.OLS(values.ravel(), np.column_stack([np.ones_like(t), t, p, t * p])).fit().params[3]

    for i in range(y.shape[0]):
        for case, (a, comps) in enumerate(zip(treated, nearest, strict=True)):
            values = y[i, np.r_[a, comps]]
            e = fit(values, 0)
            placebos = [fit(values, j) for j in range(1, len(comps) + 1)]
            est[i, case] = e
            pval[i, case] = (1 + sum(abs(x) >= abs(e) * (1 - 1e-12) for x in placebos)) / (len(comps) + 1)
    return np.stack([est, pval])


def main() -> dict:
    figures = {}
    with tempfile.TemporaryDirectory(prefix="rsw-bench-screen-") as tmp:
        if DFE.is_dir():
            figures.update(real_files(Path(tmp)))
            more, y, years, (treated, nearest) = target_size(Path(tmp))
            figures.update(more)
            start = time.perf_counter()
            vec = did_core(pre_post_change(y, years, 2014), treated, nearest)
            figures["b_did_core_s"] = round(time.perf_counter() - start, 4)
            start = time.perf_counter()
            loop = screen_loop(y, years, treated, nearest, 2014)
            figures["c_statsmodels_loop_s"] = round(time.perf_counter() - start, 2)
            figures["c_over_b"] = round(figures["c_statsmodels_loop_s"] / figures["b_did_core_s"])
            figures["bc_max_abs_estimate_difference"] = float(np.max(np.abs(vec["estimate"] - loop[0])))
            figures["bc_placebo_p_identical"] = bool(np.array_equal(vec["p_value"], loop[1]))
        else:
            print(f"skipped: real DfE files not found at {DFE}")
    return report("screen", figures)


if __name__ == "__main__":
    main()
