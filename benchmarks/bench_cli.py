"""CLI start-up: `rsw-eval --version`, `--help` and an argument error against a bare interpreter
(`python -c pass`, the floor any Python command pays), each a fresh process, median of ``REPEAT``."""

from __future__ import annotations

import json
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPEAT = 15
RSW = shutil.which("rsw-eval", path=str(Path(sys.executable).parent)) or "rsw-eval"
CASES = {
    "python -c pass (baseline)": [sys.executable, "-c", "pass"],
    "rsw-eval --version": [RSW, "--version"],
    "rsw-eval --help": [RSW, "--help"],
    "rsw-eval compare --adjust nope (argument error)": [RSW, "compare", "--adjust", "nope"],
    "python -c 'import pandas' (what the old CLI paid first)": [sys.executable, "-c", "import pandas"],
}


def _median_wall(command: list[str]) -> float:
    times = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        subprocess.run(command, capture_output=True, check=False)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> dict[str, float]:
    figures = {name: round(_median_wall(cmd), 3) for name, cmd in CASES.items()}
    base = figures["python -c pass (baseline)"]
    for name, seconds in figures.items():
        print(f"{name:58} {seconds:6.3f} s  ({seconds / base:4.1f}x baseline)")
    print(json.dumps({"cli_startup_s": figures}))
    return figures


if __name__ == "__main__":
    main()
