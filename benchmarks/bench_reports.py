"""Report speed (a benchmark, not a test): `rsw-eval report data/sample` end to end in a new process.

  (r1) the three styles in HTML and PDF (the issue #11 target: <= 10 s on 2 cores), median of N runs
  (r2) the three styles in HTML only
  (r3) one process, serial, broken down: import, compare, and per style build / HTML / layout / PDF

Wall time depends on what else the machine runs: the script prints the load average beside each
figure and the CPU time (user + system of the process and its children), which other jobs disturb
less. ``--root DIR`` times another checkout (e.g. the commit before a change) with this interpreter.

    .venv/bin/python benchmarks/bench_reports.py [--runs 5] [--root DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _run(root: Path, formats: str) -> tuple[float, float]:
    """(wall, cpu) seconds of one `rsw-eval report` process and its children."""
    with tempfile.TemporaryDirectory() as out:
        env = {**os.environ, "PYTHONPATH": str(root)}
        code = "import sys; from rsw_eval.cli import main; sys.exit(main(sys.argv[1:]))"
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-c", code, "report", str(root / "data" / "sample"), "--out", out]
            + ["--format", formats],
            check=True,
            capture_output=True,
            env=env,
            cwd=root,
        )
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def breakdown() -> dict[str, float]:
    """Serial, in this process: where the CPU time of the three reports goes."""
    t0 = time.process_time()
    import rsw_eval
    from rsw_eval.report import STYLES, build
    from rsw_eval.report._render import layout, render_html

    out = {"import": time.process_time() - t0}
    t = time.process_time()
    results = rsw_eval.compare(rsw_eval.default_sample_spec(ROOT / "data" / "sample"))
    out["compare"] = time.process_time() - t
    with tempfile.TemporaryDirectory() as tmp:
        for style in STYLES:
            t = time.process_time()
            data = build(results, style)
            out[f"{style}: build"] = time.process_time() - t
            t = time.process_time()
            html = render_html(data)
            out[f"{style}: html"] = time.process_time() - t
            t = time.process_time()
            document = layout(html)
            out[f"{style}: layout ({len(document.pages)} pages)"] = time.process_time() - t
            t = time.process_time()
            document.write_pdf(Path(tmp) / f"{style}.pdf")
            out[f"{style}: write pdf"] = time.process_time() - t
    return out


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--root", type=Path, default=ROOT, help="checkout to time (default: this one)")
    parser.add_argument("--no-breakdown", action="store_true")
    args = parser.parse_args(argv)
    figures: dict = {"root": str(args.root), "cpus": os.cpu_count()}
    for key, formats in (("r1 html+pdf", "html,pdf"), ("r2 html", "html")):
        runs = [_run(args.root, formats) for _ in range(args.runs)]
        figures[key] = {
            "wall_median_s": round(statistics.median(w for w, _ in runs), 2),
            "cpu_median_s": round(statistics.median(c for _, c in runs), 2),
            "load_1min": round(os.getloadavg()[0], 1),
        }
        f = figures[key]
        print(
            f"{key:14} wall {f['wall_median_s']:6.2f} s   cpu {f['cpu_median_s']:6.2f} s"
            f"   (median of {args.runs}; load {f['load_1min']})"
        )
    if not args.no_breakdown and args.root == ROOT:
        figures["r3 breakdown"] = {k: round(v, 2) for k, v in breakdown().items()}
        for k, v in figures["r3 breakdown"].items():
            print(f"  {k:34} {v:6.2f} s")
    out = ROOT / "benchmarks" / "out"
    out.mkdir(exist_ok=True)
    (out / "reports.json").write_text(json.dumps(figures, indent=1) + "\n")
    return figures


if __name__ == "__main__":
    main()
