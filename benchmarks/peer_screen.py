"""The script a user would write for a national screen: plain pandas and numpy, no rsw_eval.

Reads EES tables (local-authority rows, every numeric indicator column), the DfE statistical
neighbour groupings (by position: LA number, then SN1, SNP, SN2, ...), and for every authority
computes the DiD of pre/post means against its 10 neighbours with an exact placebo p (each
neighbour treated in turn against the other nine), on the level scale. The benchmark's peer for
the estimates and the time (rsw-eval's p is studentised, so the p-values are not compared).

    python benchmarks/peer_screen.py --year 2019 --neighbours SN.csv --out peer.parquet EES.csv ...
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
import pandas as pd

GEOGRAPHY = ["time_period", "time_identifier", "geographic_level", "country_code", "country_name"]
GEOGRAPHY += ["region_code", "region_name", "old_la_code", "new_la_code", "la_name"]


def read_ees(path: Path) -> pd.DataFrame:
    raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    raw = raw[raw["geographic_level"] == "Local authority"]
    values = [
        c for c in raw.columns if c not in GEOGRAPHY and pd.to_numeric(raw[c], errors="coerce").notna().any()
    ]
    long = raw.melt(
        id_vars=["time_period", "old_la_code", "new_la_code"], value_vars=values, var_name="indicator"
    )
    period = long["time_period"].str.strip()
    long["year"] = np.where(period.str.len() == 6, period.str[:4].astype(int) + 1, period.str[:4].astype(int))
    long["value"] = pd.to_numeric(long["value"].str.replace(",", ""), errors="coerce")
    return long[["new_la_code", "old_la_code", "year", "indicator", "value"]]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--neighbours", type=Path, required=True)
    parser.add_argument("--year", type=int, required=True)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    start = time.perf_counter()
    panel = pd.concat([read_ees(f) for f in args.files], ignore_index=True)
    codes = sorted(panel["new_la_code"].unique())
    old_to_new = dict(zip(panel["old_la_code"], panel["new_la_code"], strict=False))
    sn = pd.read_csv(args.neighbours, dtype=str, encoding="utf-8-sig", header=0)
    neighbours = {}
    for row in sn.itertuples(index=False):
        own = old_to_new.get(str(row[0]).strip())
        listed = [old_to_new.get(str(row[i]).strip()) for i in range(5, 25, 2)]
        if own is not None:
            neighbours[own] = [c for c in listed if c is not None]
    wide = panel.pivot_table(
        index=["indicator", "new_la_code"], columns="year", values="value", aggfunc="first"
    )
    indicators = sorted(panel["indicator"].unique())
    wide = wide.reindex(pd.MultiIndex.from_product([indicators, codes]))
    years = wide.columns.to_numpy()
    y = wide.to_numpy().reshape(len(indicators), len(codes), len(years))
    have = np.isfinite(y).any(axis=1)
    enough = (have[:, years < args.year].sum(1) >= 2) & have[:, years >= args.year].any(1)
    post = np.nanmean(y[..., years >= args.year], axis=-1)
    change = np.where(enough[:, None], post - np.nanmean(y[..., years < args.year], axis=-1), np.nan)
    position = {c: i for i, c in enumerate(codes)}
    rows = []
    for code in codes:
        comps = np.array([position[c] for c in neighbours.get(code, []) if c in position], dtype=int)
        for i, indicator in enumerate(indicators):
            t, c = change[i, position[code]], change[i, comps]
            c = c[np.isfinite(c)]
            if not np.isfinite(t) or len(c) < 2:
                continue
            est = t - c.mean()
            placebo = c - (c.sum() - c) / (len(c) - 1)
            p = (1 + np.sum(np.abs(placebo) >= np.abs(est) * (1 - 1e-12))) / (len(c) + 1)
            rows.append((code, indicator, est, p))
    out = pd.DataFrame(rows, columns=["la_code", "indicator", "estimate", "p_value"])
    print(f"screen_seconds {time.perf_counter() - start:.3f}")
    out.to_parquet(args.out)


if __name__ == "__main__":
    main()
