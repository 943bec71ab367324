"""The script a user would write to turn SSDA903 returns into the panel indicators: plain pyarrow and
numpy, the same checks as rsw_eval.load_ssda903 (dates, impossible dates, codes, DEC before DECOM,
a CHILD twice in the Header, episodes for a CHILD not in the Header, overlapping episodes) and the
same output table, without row numbers in its messages. The benchmark's peer; it does not import
rsw_eval.

    python benchmarks/peer_ssda903.py FOLDER --years 2010 2014 --out panel.parquet

FOLDER holds header*.csv and episodes*.csv, one pair per authority (sorted by name; authority i
gets the code E0000000i).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from pyarrow import csv

NEEDED = ["CHILD", "DECOM", "RNE", "LS", "PLACE", "DEC", "REC"]
RNE = ["S", "P", "L", "T", "U", "B"]
LS = ["C1", "C2", "D1", "E1", "J1", "J2", "J3", "L1", "L2", "L3", "V2", "V3", "V4"]
PLACE = "A3 A4 A5 A6 H5 K1 K2 M1 M2 M3 P1 P2 P3 Q1 Q2 R1 R2 R3 R5 S1 T0 T1 T2 T3 T4 U1 U2 U3 U4 U5 U6 Z1"
REC = "E11 E12 E13 E14 E15 E16 E17 E2 E3 E4A E4B E41 E45 E46 E47 E48 E5 E6 E7 E8 E9 X1"
RESIDENTIAL = ["K1", "K2", "H5", "R1", "R2", "R3", "R5", "S1"]


def read(path: Path, columns: list[str]) -> pa.Table:
    return csv.read_csv(
        path,
        convert_options=csv.ConvertOptions(
            include_columns=columns,
            column_types=dict.fromkeys(columns, pa.string()),
            strings_can_be_null=False,
        ),
    )


def parse_dates(col: pa.ChunkedArray, name: str, may_be_empty: bool) -> np.ndarray:
    """Days since 1970 (max int32 for empty); raises on unparseable or impossible dates."""
    text = pc.utf8_trim_whitespace(col)
    uk = pc.strptime(text, format="%d/%m/%Y", unit="s", error_is_null=True)
    iso = pc.strptime(text, format="%Y-%m-%d", unit="s", error_is_null=True)
    parsed = pc.coalesce(uk, iso)
    empty = pc.equal(text, "")
    if pc.any(pc.and_(pc.invert(empty), pc.is_null(parsed))).as_py():
        raise ValueError(f"{name}: unparseable date")
    if not may_be_empty and pc.any(empty).as_py():
        raise ValueError(f"{name}: missing date")
    year = pc.year(parsed)
    if pc.any(pc.or_(pc.less(year, 1900), pc.greater(year, 2100))).as_py():
        raise ValueError(f"{name}: impossible date")
    days = pc.cast(pc.cast(parsed, pa.timestamp("s")), pa.int64()).to_numpy(zero_copy_only=False)
    return np.where(pc.is_null(parsed).to_numpy(zero_copy_only=False), 2**31 - 1, days // 86400)


def codes(col: pa.ChunkedArray, valid: list[str], name: str, may_be_empty: bool = False) -> pa.Array:
    text = pc.utf8_upper(pc.utf8_trim_whitespace(col))
    ok = pc.is_in(text, pa.array(valid + ([""] if may_be_empty else [])))
    if not pc.all(ok).as_py():
        raise ValueError(f"{name}: unknown code")
    return text


def load(header: Path, episodes: Path, years: list[int], la_code: str) -> list[dict]:
    eps = read(episodes, NEEDED)
    head = pc.utf8_trim_whitespace(read(header, ["CHILD"])["CHILD"])
    if pc.count_distinct(head).as_py() != len(head):
        raise ValueError("a CHILD twice in the Header")
    decom = parse_dates(eps["DECOM"], "DECOM", False)
    dec = parse_dates(eps["DEC"], "DEC", True)
    rne = codes(eps["RNE"], RNE, "RNE")
    ls = codes(eps["LS"], LS, "LS")
    place = codes(eps["PLACE"], PLACE.split(), "PLACE")
    rec = codes(eps["REC"], REC.split(), "REC", may_be_empty=True)
    if np.any((dec != 2**31 - 1) & (dec < decom)):
        raise ValueError("DEC before DECOM")
    child_text = pc.utf8_trim_whitespace(eps["CHILD"])
    if not pc.all(pc.is_in(child_text, head)).as_py():
        raise ValueError("episodes for a CHILD not in the Header")
    child = child_text.combine_chunks().dictionary_encode().indices.to_numpy()
    order = np.lexsort((decom, child))
    c, s, e = child[order], decom[order], dec[order]
    if np.any((c[1:] == c[:-1]) & ((e[:-1] == 2**31 - 1) | (s[1:] < e[:-1]))):
        raise ValueError("overlapping episodes")

    care = ~pc.is_in(ls, pa.array(["V3", "V4"])).to_numpy(zero_copy_only=False)
    child, decom, dec = child[care], decom[care], dec[care]
    rne = rne.to_numpy(zero_copy_only=False)[care]
    new = np.isin(rne, ["S", "P", "T", "U", "B"])
    continuing = rec.to_numpy(zero_copy_only=False)[care] == "X1"
    residential = pc.is_in(place, pa.array(RESIDENTIAL)).to_numpy(zero_copy_only=False)[care]
    m = int(child.max()) + 1 if len(child) else 0
    rows = []
    for y in years:
        start = (np.datetime64(f"{y - 1}-04-01") - np.datetime64("1970-01-01")).astype(int)
        end = (np.datetime64(f"{y}-03-31") - np.datetime64("1970-01-01")).astype(int)
        at_end = (decom <= end) & (dec > end)
        la = np.zeros(m, bool)
        la[child[at_end]] = True
        running = np.zeros(m, np.int64)
        running[child[(decom < start) & (dec >= start)]] = 1
        in_year = (decom >= start) & (decom <= end)
        placements = running + np.bincount(child[in_year & new], minlength=m)
        n = int(la.sum())
        values = {
            "children_looked_after": float(n),
            "cla_started": float((in_year & (rne == "S")).sum()),
            "cla_ceased": float(((dec >= start) & (dec <= end) & ~continuing).sum()),
            "placements_3plus_pct": 100.0 * int((placements[la] >= 3).sum()) / n if n else np.nan,
            "residential_placements": float((at_end & residential).sum()),
        }
        for indicator, value in values.items():
            rows.append(
                {
                    "la_code": la_code,
                    "old_la_code": "",
                    "la_name": "",
                    "year": y,
                    "indicator": indicator,
                    "value": value,
                    "flag": "",
                    "source": episodes.name,
                }
            )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("folder", type=Path)
    parser.add_argument("--years", type=int, nargs=2, required=True)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    start = time.perf_counter()
    pairs = zip(
        sorted(args.folder.glob("header*.csv")), sorted(args.folder.glob("episodes*.csv")), strict=True
    )
    years = list(range(args.years[0], args.years[1] + 1))
    rows = [r for i, (h, e) in enumerate(pairs) for r in load(h, e, years, f"E{i:08d}")]
    panel = pd.DataFrame(rows)
    for col in ("la_code", "old_la_code", "la_name", "indicator", "flag", "source"):
        panel[col] = panel[col].astype("string")
    panel = panel.astype({"year": "int64", "value": "float64"})
    panel = panel.sort_values(["la_code", "year", "indicator"], kind="stable").reset_index(drop=True)
    print(f"load_seconds {time.perf_counter() - start:.3f}")
    panel.to_parquet(args.out)


if __name__ == "__main__":
    main()
