"""The script a user would write to turn HTML reports into PDF: WeasyPrint alone, no rsw_eval.

Each HTML file becomes a PDF beside it (``<name>.peer.pdf``), one after another in this process,
with WeasyPrint's defaults (the machine's fonts, no tagging). The peer of ``bench_reports.py``:
the same HTML that ``rsw-eval report`` wrote, so the ratio shows what rsw-eval adds to WeasyPrint
(building the reports, the charts, its fonts, PDF/UA tags, the process around them).

    python benchmarks/peer_reports.py reports/out/forrester.html reports/out/munro.html ...
"""

from __future__ import annotations

import sys
from pathlib import Path

from weasyprint import HTML


def main(paths: list[str]) -> None:
    for name in paths:
        path = Path(name)
        HTML(filename=path).write_pdf(path.with_suffix(".peer.pdf"))


if __name__ == "__main__":
    main(sys.argv[1:])
