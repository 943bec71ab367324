"""SSDA903 at national size: rsw_eval.load_ssda903 against the plain pyarrow + numpy script a user
would write (benchmarks/peer_ssda903.py, same checks, identical output).

Two shapes, generated here into a temporary folder (never committed): one national extract of
1.25 M children (about 5 M episode rows) and the same children as 150 per-authority returns. Each
side runs in its own process under /usr/bin/time -v (wall time and peak resident memory of the whole
process, imports included); medians of ``REPEAT`` alternating runs. The outputs must be equal.
"""

from __future__ import annotations

import json
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from _ssda903_data import write_national, write_per_authority  # noqa: E402

N_CHILDREN, N_FILES, YEARS, REPEAT = 1_250_000, 150, (2010, 2014), 3
RSW = """
import sys, time
from pathlib import Path
import pandas as pd
from rsw_eval.io import load_ssda903
folder, first, last, out = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
start = time.perf_counter()
pairs = zip(sorted(folder.glob("header*.csv")), sorted(folder.glob("episodes*.csv")), strict=True)
years = list(range(first, last + 1))
panel = pd.concat(
    [load_ssda903(h, e, year=years, la_code=f"E{i:08d}") for i, (h, e) in enumerate(pairs)],
    ignore_index=True,
)
print(f"load_seconds {time.perf_counter() - start:.3f}")
panel.to_parquet(out)
"""


def _timed(command: list[str]) -> dict[str, float]:
    proc = subprocess.run(["/usr/bin/time", "-v", *command], capture_output=True, text=True, check=True)
    wall = re.search(r"Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):([\d.]+)", proc.stderr)
    hours, minutes, seconds = (float(g) if g else 0.0 for g in wall.groups())
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", proc.stderr).group(1))
    load = float(re.search(r"load_seconds ([\d.]+)", proc.stdout).group(1))
    return {"wall_s": 3600 * hours + 60 * minutes + seconds, "load_s": load, "peak_mb": rss / 1024}


def compare(folder: Path, label: str) -> dict[str, float | str | bool]:
    years = [str(y) for y in YEARS]
    runs = {"rsw": [], "peer": []}
    for i in range(REPEAT):
        rsw_out, peer_out = folder / "rsw.parquet", folder / "peer.parquet"
        runs["rsw"].append(_timed([sys.executable, "-c", RSW, str(folder), *years, str(rsw_out)]))
        peer = [sys.executable, str(HERE / "peer_ssda903.py"), str(folder), "--years", *years]
        runs["peer"].append(_timed([*peer, "--out", str(peer_out)]))
        if i == 0:
            pd.testing.assert_frame_equal(pd.read_parquet(rsw_out), pd.read_parquet(peer_out))
    med = {side: {k: statistics.median(r[k] for r in rs) for k in rs[0]} for side, rs in runs.items()}
    return {
        "case": label,
        "rsw_wall_s": round(med["rsw"]["wall_s"], 2),
        "peer_wall_s": round(med["peer"]["wall_s"], 2),
        "wall_ratio": round(med["rsw"]["wall_s"] / med["peer"]["wall_s"], 2),
        "rsw_load_s": round(med["rsw"]["load_s"], 2),
        "peer_load_s": round(med["peer"]["load_s"], 2),
        "rsw_peak_mb": round(med["rsw"]["peak_mb"]),
        "peer_peak_mb": round(med["peer"]["peak_mb"]),
        "memory_ratio": round(med["rsw"]["peak_mb"] / med["peer"]["peak_mb"], 2),
        "identical_output": True,
    }


def main() -> list[dict]:
    results = []
    with tempfile.TemporaryDirectory(prefix="rsw-bench-ssda903-") as tmp:
        national = Path(tmp) / "national"
        *_, rows = write_national(national, N_CHILDREN)
        results.append(compare(national, f"one national file: {N_CHILDREN:,} children, {rows:,} episodes"))
        for path in national.glob("*.csv"):
            path.unlink()
        split = Path(tmp) / "split"
        write_per_authority(split, N_CHILDREN, N_FILES)
        results.append(compare(split, f"{N_FILES} per-authority returns, same children"))
    for r in results:
        print(json.dumps(r))
    return results


if __name__ == "__main__":
    main()
