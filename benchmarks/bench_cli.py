"""CLI start-up: `rsw-eval --version`, `--help` and an argument error against a bare interpreter
(`python -c pass`, the floor any Python command pays), each a fresh process, median of ``REPEAT``."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from _common import median_run, report

REPEAT = 15
RSW = shutil.which("rsw-eval", path=str(Path(sys.executable).parent)) or "rsw-eval"
CASES = {
    "python -c pass (baseline)": [sys.executable, "-c", "pass"],
    "rsw-eval --version": [RSW, "--version"],
    "rsw-eval --help": [RSW, "--help"],
    "rsw-eval compare --adjust nope (argument error)": [RSW, "compare", "--adjust", "nope"],
    "python -c 'import pandas' (what the old CLI paid first)": [sys.executable, "-c", "import pandas"],
}


def main() -> dict[str, float]:
    seconds = {name: median_run(cmd, REPEAT, check=False) for name, cmd in CASES.items()}
    base = seconds["python -c pass (baseline)"]
    return report(
        "cli_startup", {name: f"{s:.3f} s ({s / base:.1f}x baseline)" for name, s in seconds.items()}
    )


if __name__ == "__main__":
    main()
