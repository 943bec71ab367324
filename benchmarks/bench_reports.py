"""Report speed (a benchmark, not a test): the three sample reports, HTML and PDF (issue 22 item 5).

  (r1) ``rsw-eval report data/sample`` in a new process: the three styles in HTML and PDF, what a
       user waits for (import, compare, build, charts, layout, PDF);
  (peer) ``peer_reports.py``: WeasyPrint alone turning the same three HTML files into PDF, serially
       in a new process - the script a user would write;
  (r2) rsw-eval's own HTML -> PDF step for the same three files, serially in one process (its fonts,
       PDF/UA tags, reproducible output): the like-for-like part of (r1) beside the peer;
  (r3) one process, serial, per style: build, HTML, layout, PDF, pages, and what layout, drawing the
       charts (SVG) and font subsetting cost per page.

(r1) and the peer alternate (with another checkout's r1 given ``--before DIR``), ``--runs`` times
each, and the medians are reported with the load average before every run (the machine is shared):
run it when the load is low. "Before" for issue 22 is main at 998284e
(``git archive 998284e | tar -x -C /tmp/before``).

    .venv/bin/python benchmarks/bench_reports.py [--runs 5] [--root DIR] [--before DIR]
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

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
STYLES = ("forrester", "munro", "annual")


def _timed(command: list[str], env: dict, cwd: Path) -> dict:
    """Wall and CPU seconds (this process's children) of one command, with the load before it."""
    load = os.getloadavg()[0]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, env=env, cwd=cwd)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"wall": wall, "cpu": cpu, "load": load}


def _median(runs: list[dict]) -> dict:
    return {
        "wall_median_s": round(statistics.median(r["wall"] for r in runs), 2),
        "cpu_median_s": round(statistics.median(r["cpu"] for r in runs), 2),
        "load_1min": [round(r["load"], 1) for r in runs],
    }


def alternate(root: Path, runs: int, before: Path | None = None) -> dict:
    """(r1) and the peer, alternating (and ``before``'s r1 where given); the peer renders the HTML
    files (r1) wrote."""
    cli = "import sys; from rsw_eval.cli import main; sys.exit(main(sys.argv[1:]))"
    roots = {"r1 rsw-eval report": root} | ({"r1 before": before} if before else {})
    timed: dict[str, list[dict]] = {key: [] for key in [*roots, "peer weasyprint alone"]}
    with tempfile.TemporaryDirectory() as tmp:
        folders = {key: Path(tmp, str(i)) for i, key in enumerate(roots)}
        html = [str(folders["r1 rsw-eval report"] / f"{s}.html") for s in STYLES]
        for _ in range(runs):
            for key, checkout in roots.items():
                command = [sys.executable, "-c", cli, "report", str(checkout / "data" / "sample")]
                env = {**os.environ, "PYTHONPATH": str(checkout)}
                timed[key].append(_timed([*command, "--out", str(folders[key])], env, checkout))
            peer = [sys.executable, str(HERE / "peer_reports.py"), *html]
            timed["peer weasyprint alone"].append(_timed(peer, dict(os.environ), root))
    figures = {key: _median(runs) for key, runs in timed.items()}
    peer_wall = figures["peer weasyprint alone"]["wall_median_s"]
    for key in roots:
        figures[key]["ratio to peer"] = round(figures[key]["wall_median_s"] / peer_wall, 2)
    return figures


def breakdown() -> dict:
    """(r2) and (r3) in this process: serial CPU seconds."""
    import weasyprint.pdf as wpdf

    import rsw_eval
    from rsw_eval.report import build
    from rsw_eval.report._render import layout, render_html, write_pdf

    spent = {"fonts": 0.0, "svg": 0.0}

    def timing(owner, name, key):
        original = getattr(owner, name)

        def wrapper(*args, **kwargs):
            t = time.process_time()
            try:
                return original(*args, **kwargs)
            finally:
                spent[key] += time.process_time() - t

        setattr(owner, name, wrapper)

    import weasyprint.svg

    timing(wpdf, "build_fonts_dictionary", "fonts")
    timing(weasyprint.svg.SVG, "draw", "svg")
    results = rsw_eval.compare(rsw_eval.default_sample_spec(ROOT / "data" / "sample"))
    layout("<html lang='en'><title>warm-up</title><p>x</p></html>")
    out: dict = {}
    html = {}
    for style in STYLES:
        t = time.process_time()
        data = build(results, style)
        built = time.process_time() - t
        t = time.process_time()
        html[style] = render_html(data)
        rendered = time.process_time() - t
        spent.update(fonts=0.0, svg=0.0)
        t = time.process_time()
        document = layout(html[style])
        laid = time.process_time() - t
        t = time.process_time()
        write_pdf(document)
        written = time.process_time() - t
        pages = len(document.pages)
        out[style] = {
            "pages": pages,
            "build": round(built, 2),
            "html": round(rendered, 2),
            "layout": round(laid, 2),
            "pdf": round(written, 2),
            "layout per page": round(laid / pages, 3),
            "pdf per page": round(written / pages, 3),
            "charts drawn (svg) per page": round(spent["svg"] / pages, 3),
            "font subsetting per page": round(spent["fonts"] / pages, 3),
        }
    t = time.process_time()
    for style in STYLES:
        write_pdf(layout(html[style]))
    out["r2 html->pdf, three styles"] = round(time.process_time() - t, 2)
    return out


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--root", type=Path, default=ROOT, help="checkout to time (default: this one)")
    parser.add_argument("--before", type=Path, help="another checkout to time alternately (r1 before)")
    parser.add_argument("--no-breakdown", action="store_true")
    args = parser.parse_args(argv)
    figures: dict = {"root": str(args.root), "cpus": os.cpu_count(), "date": time.strftime("%Y-%m-%d %H:%M")}
    figures.update(alternate(args.root, args.runs, args.before))
    for key, f in figures.items():
        if isinstance(f, dict):
            ratio = f", {f['ratio to peer']}x the peer" if "ratio to peer" in f else ""
            print(
                f"{key:24} wall {f['wall_median_s']:6.2f} s  cpu {f['cpu_median_s']:6.2f} s{ratio}"
                f"  (load before each run {f['load_1min']})"
            )
    if not args.no_breakdown and args.root == ROOT:
        figures["r3 breakdown"] = breakdown()
        for key, value in figures["r3 breakdown"].items():
            print(f"  {key}: {value}")
    print(json.dumps({"reports": figures}))
    return figures


if __name__ == "__main__":
    main()
