"""Synthetic national SSDA903 returns for the benchmarks (written to a temporary folder, never
committed): valid Header and Episodes CSVs in the DfE layout, vectorised with numpy and pyarrow."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from pyarrow import csv

HEADER = ("CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB")
PLACES = np.array(["U1", "U4", "Q2", "K2", "R1", "P1", "H5", "S1", "A3"])
ENDS = np.array(["E11", "E12", "E13", "E41", "E45", "E8", "E2"])
MOVES = np.array(["P", "T", "U", "B", "L"])
STATUS = np.array(["C1", "C2", "J2", "V2", "E1"])
OPTIONS = csv.WriteOptions(quoting_style="none")  # as Excel writes it: no quotes
FIRST_DAY = int(np.datetime64("2004-01-01", "D").astype(int))


def _dates(days: np.ndarray, open_: np.ndarray | None = None) -> pa.Array:
    text = pc.strftime(pa.array(days.astype("datetime64[D]")), format="%d/%m/%Y")
    if open_ is not None:
        text = pc.if_else(pa.array(open_), "", text)
    return text


def _ids(prefix: str, numbers: np.ndarray) -> pa.Array:
    return pc.binary_join_element_wise(prefix, pc.cast(pa.array(numbers), pa.string()), "")


def national(n_children: int, seed: int = 1) -> tuple[pa.Table, pa.Table]:
    """Header and Episodes tables: about 4 episodes per child, back to back or after a gap out of
    care, 3% short breaks, half the children still looked after at the end."""
    rng = np.random.default_rng(seed)
    k = rng.integers(1, 8, n_children)  # episodes per child (mean 4)
    child = np.repeat(np.arange(n_children), k)
    n = len(child)
    first = np.r_[True, child[1:] != child[:-1]]
    last = np.r_[child[1:] != child[:-1], True]
    length = rng.integers(1, 400, n)
    gap = np.where(rng.random(n) < 0.2, rng.integers(1, 300, n), 0)  # leaves care, comes back later
    gap[last] = 0
    step = length + gap
    start_child = FIRST_DAY + rng.integers(0, 365 * 10, n_children)
    offset = np.cumsum(step) - step
    offset -= np.repeat(offset[first], k)
    decom = start_child[child] + offset
    dec = decom + length
    still_open = last & (rng.random(n) < 0.5)
    prev_gap = np.r_[0, gap[:-1]]
    rne = np.where(first | (prev_gap > 0), "S", MOVES[rng.integers(0, len(MOVES), n)])
    rec = np.where(still_open, "", np.where(last | (gap > 0), ENDS[rng.integers(0, len(ENDS), n)], "X1"))
    short = (rng.random(n_children) < 0.03)[child]
    ls = np.where(short, "V3", STATUS[rng.integers(0, len(STATUS), n)])
    ids = _ids("C", child)
    episodes = pa.table(
        {
            "CHILD": ids,
            "DECOM": _dates(decom),
            "RNE": rne,
            "LS": ls,
            "CIN": np.full(n, "N1"),
            "PLACE": PLACES[rng.integers(0, len(PLACES), n)],
            "PLACE_PROVIDER": np.full(n, "PR1"),
            "DEC": _dates(dec, still_open),
            "REC": rec,
            "REASON_PLACE_CHANGE": np.full(n, ""),
            "HOME_POST": np.full(n, "E8 1DY"),
            "PL_POST": np.full(n, "E9 5AA"),
            "URN": np.full(n, ""),
        }
    )
    children = np.arange(n_children)
    header = pa.table(
        {
            "CHILD": _ids("C", children),
            "SEX": np.where(rng.random(n_children) < 0.5, "1", "2"),
            "DOB": _dates(FIRST_DAY - rng.integers(0, 365 * 17, n_children)),
            "ETHNIC": np.full(n_children, "WBRI"),
            "UPN": _ids("UPN", children),
            "MOTHER": np.full(n_children, ""),
            "MC_DOB": np.full(n_children, ""),
        }
    )
    return header, episodes


def write_national(folder: Path, n_children: int, seed: int = 1) -> tuple[Path, Path, int]:
    """One national Header and Episodes CSV; returns the paths and the number of episode rows."""
    header, episodes = national(n_children, seed)
    folder.mkdir(parents=True, exist_ok=True)
    paths = folder / "header.csv", folder / "episodes.csv"
    csv.write_csv(header, paths[0], OPTIONS)
    csv.write_csv(episodes, paths[1], OPTIONS)
    return *paths, episodes.num_rows


def write_per_authority(
    folder: Path, n_children: int, n_files: int, seed: int = 1
) -> list[tuple[Path, Path]]:
    """The same national extract as ``n_files`` per-authority returns (children split evenly)."""
    header, episodes = national(n_children, seed)
    folder.mkdir(parents=True, exist_ok=True)
    number = pc.cast(pc.utf8_slice_codeunits(episodes["CHILD"], 1), pa.int64()).to_numpy()
    cuts = np.linspace(0, n_children, n_files + 1).astype(int)
    ep_cuts = np.searchsorted(number, cuts)
    out = []
    for i in range(n_files):
        h = folder / f"header_{i:03d}.csv"
        e = folder / f"episodes_{i:03d}.csv"
        csv.write_csv(header.slice(cuts[i], cuts[i + 1] - cuts[i]), h, OPTIONS)
        csv.write_csv(episodes.slice(ep_cuts[i], ep_cuts[i + 1] - ep_cuts[i]), e, OPTIONS)
        out.append((h, e))
    return out
