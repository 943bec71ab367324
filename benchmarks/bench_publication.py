"""Disclosure control of a national-size survey: ``Results.protected()`` beside the plain
threshold-suppression script (``peer_publication.py``).

Three surveys from ``_survey_data.raw_survey`` (a third of the authorities in the unit model; GHQ
in tenths, practice quality in hundredths, a 1-5 rating, a yes/no item): 150 authorities of about
20 workers (3,000), 150 of about 80 (12,000), and 60 small authorities of 6 (360). rsw-eval: the
publication of ``compare``'s results (the survey ledger, the integer tests of answer counts, the
interval audit and secondary suppression; ``compare`` itself runs first, untimed). Peer: primary
suppression of each side of 1 to 5 people (or events), with the row's statistics, nothing more.
Each side runs in a process of its own, alternating, ``--runs`` times; the ratio is taken per pair
and its median reported. The check: every row the peer suppresses, rsw-eval suppresses too. The
figures say what the audit costs, in seconds and in rows withheld beyond the peer's.

Usage: ``python benchmarks/bench_publication.py [--runs 2]``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from _common import report  # noqa: E402

#: (name, respondents, authorities, units per authority)
SURVEYS = (("150x20", 3_000, 150, 10), ("150x80", 12_000, 150, 20), ("60x6", 360, 60, 3))
KEEP = ("family", "design", "measure", "outcome", "comparison")
OURS = f"""
import json, sys, time
import pandas as pd
import rsw_eval
from rsw_eval.spec import load_spec
res = rsw_eval.compare(load_spec(sys.argv[1]))
table = res.table
keep = [c for c in table if c in {KEEP!r} or pd.api.types.is_numeric_dtype(table[c])]
table[keep].assign(**{{c: table[c].astype(str) for c in {KEEP!r}}}).to_parquet(sys.argv[2])
start, cpu = time.perf_counter(), time.process_time()
safe = res.protected().table
seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
safe[["suppressed"]].to_parquet(sys.argv[3])
hidden = int(safe["suppressed"].sum())
print(json.dumps({{"seconds": seconds, "cpu": cpu, "rows": len(safe), "suppressed": hidden}}))
"""


def _run(*args: str) -> dict:
    out = subprocess.run([sys.executable, *args], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def _survey(folder: Path, n: int, authorities: int, units: int) -> Path:
    from _survey_data import raw_survey

    frame = raw_survey(n, authorities=authorities, units=units)
    frame.to_csv(folder / "workers.csv", index=False)
    unit = ", ".join(f'"{a}"' for a in sorted(frame.loc[frame["model"] == "unit", "authority"].unique()))
    spec = folder / "spec.toml"
    spec.write_text(
        f'title = "benchmark"\nunit_model = [{unit}]\ncomparators = "all"\nsynthetic = true\n'
        '[data]\nworker_survey = "workers.csv"\n'
    )
    return spec


def main(runs: int = 2) -> dict:
    figures: dict = {}
    for name, n, authorities, units in SURVEYS:
        with tempfile.TemporaryDirectory(prefix="rsw-bench-publication-") as tmp:
            folder = Path(tmp)
            spec = _survey(folder, n, authorities, units)
            files = ("raw.parquet", "ours.parquet", "peer.parquet")
            raw, ours_out, peer_out = (str(folder / f) for f in files)
            ours, peer = [], []
            for _ in range(runs):  # alternating, so both see the same load
                ours.append(_run("-c", OURS, str(spec), raw, ours_out))
                peer.append(_run(str(HERE / "peer_publication.py"), raw, peer_out))
            mine, theirs = pd.read_parquet(ours_out)["suppressed"], pd.read_parquet(peer_out)["suppressed"]
            assert not (theirs.to_numpy() & ~mine.to_numpy()).any(), name  # the audit only adds
        figures[name] = {
            "rows": ours[0]["rows"],
            "suppressed_rsw_eval": ours[0]["suppressed"],
            "suppressed_peer": int(theirs.sum()),
            "rsw_eval_s": round(statistics.median(r["seconds"] for r in ours), 3),
            "peer_s": round(statistics.median(r["seconds"] for r in peer), 4),
            "ratio": round(
                statistics.median(a["seconds"] / b["seconds"] for a, b in zip(ours, peer, strict=True)), 1
            ),
        }
    figures["load"] = round(os.getloadavg()[0], 2)
    return report("publication", figures)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=2)
    main(parser.parse_args().runs)
