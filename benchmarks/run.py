"""Benchmarks (``make bench``): run every ``benchmarks/bench_*.py`` that exists, each in its own
process (so one benchmark's imports, caches and memory do not flatter or burden the next), and
collect what each prints as a JSON line into benchmarks/out/results.json (not committed).

Each ``bench_<topic>.py`` has a ``main()`` that measures rsw-eval beside the plain script a user
would otherwise write and prints its figures; a JSON object on a line of its own is collected.
``python benchmarks/run.py ssda903 cli`` runs only the benchmarks named.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RUNNER = "import runpy, sys; sys.path.insert(0, {here!r}); runpy.run_path({path!r})['main']()"


def machine() -> str:
    sys.path.insert(0, str(ROOT))
    from validation.run import _machine

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return f"{_machine()}, load average {load:.1f}"


def main(names: list[str]) -> int:
    scripts = sorted(HERE.glob("bench_*.py"))
    if names:
        scripts = [s for s in scripts if s.stem.removeprefix("bench_") in names]
    results: dict[str, object] = {"machine": machine(), "date": time.strftime("%Y-%m-%d %H:%M %Z")}
    failed = []
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    for script in scripts:
        print(f"== {script.name}", flush=True)
        start = time.perf_counter()
        proc = subprocess.run(
            [sys.executable, "-c", RUNNER.format(here=str(HERE), path=str(script))],
            capture_output=True,
            text=True,
            cwd=ROOT,
            env=env,
            check=False,
        )
        sys.stdout.write(proc.stdout)
        figures = [json.loads(line) for line in proc.stdout.splitlines() if line.startswith("{")]
        results[script.stem] = figures
        if proc.returncode:
            failed.append(script.name)
            sys.stdout.write(proc.stderr[-3000:])
        print(f"   ({time.perf_counter() - start:.0f} s)", flush=True)
    out = HERE / "out"
    out.mkdir(exist_ok=True)
    (out / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    print(f"{results['machine']}; wrote {out / 'results.json'}")
    if failed:
        print("failed: " + ", ".join(failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
