"""Timing and reporting helpers shared by the bench_*.py scripts."""

from __future__ import annotations

import json
import statistics
import subprocess
import time
from collections.abc import Callable


def median_call(fn: Callable[[], object], repeat: int) -> float:
    """Median wall seconds of ``fn()`` over ``repeat`` calls in this process."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def median_run(command: list[str], repeat: int, *, check: bool = True) -> float:
    """Median wall seconds of running ``command`` in a new process, ``repeat`` times."""
    return median_call(lambda: subprocess.run(command, check=check, capture_output=True), repeat)


def report(topic: str, figures: dict) -> dict:
    """Print the figures one per line, then as the JSON line benchmarks/run.py collects."""
    for key, value in figures.items():
        print(f"{key:48} {value}")
    print(json.dumps({topic: figures}))
    return figures
