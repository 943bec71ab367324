"""What a warm ``compare`` spends on what the peer script does not compute (bench_compare.py (b)).

The functions that compute each extra are wrapped (CPU seconds, counted once at the outermost
extra: an extra called inside another is not counted twice) and the spec's compare is run warm;
``core`` is the rest: the designs both compute (surveys, before/after, DiD with its placebo p,
ITS, synthetic control with every placebo, synthetic DiD, costs), loading and assembling the table.

Usage: ``python benchmarks/_extras.py DATA_DIR [RUNS]`` prints one JSON line (medians over RUNS).
"""

from __future__ import annotations

import importlib
import json
import statistics
import sys
import time
from collections import defaultdict

#: Extras by what they are, each the (module, name) bindings the engine calls them through.
EXTRAS = {
    "honestdid_sensitivity": [
        ("rsw_eval.designs.did", "sensitivity_parts"),
        ("rsw_eval.designs.staggered", "sensitivity_parts"),
    ],
    "synth_conformal_and_in_time_placebo": [("rsw_eval.designs.synth", "_robustness_rows")],
    "synth_estimate_range": [("rsw_eval.designs.synth", "estimate_range")],
    "mde_power": [
        ("rsw_eval.designs.did", "power_columns"),
        ("rsw_eval.designs.its", "power_columns"),
        ("rsw_eval.designs.synth", "synth_power_columns"),
        ("rsw_eval.evaluation.engine", "survey_power"),
    ],
    "multilevel_model": [("rsw_eval.designs.cross_section", "_multilevel_rows")],
    "event_time_rows": [("rsw_eval.designs.did", "event_rows"), ("rsw_eval.designs.did", "treated_gaps")],
    "step_down_multiplicity": [("rsw_eval.evaluation.engine", "adjust_by_question")],
}
#: Safeguards the peer has none of: disclosure control, published-figure checks, coverage and skips.
SAFEGUARDS = {
    "disclosure": [
        ("rsw_eval.evaluation.engine", "count_rules"),
        ("rsw_eval.evaluation.engine", "protect_inputs"),
        ("rsw_eval.evaluation.engine", "hidden_rows"),
    ],
    "published_figures": [
        ("rsw_eval.evaluation.engine", "match_published"),
        ("rsw_eval.evaluation.engine", "_official"),
    ],
    "coverage_and_skips": [
        ("rsw_eval.evaluation.engine", "_coverage"),
        ("rsw_eval.evaluation._skips", "before_run"),
        ("rsw_eval.evaluation._skips", "after_run"),
    ],
}

_spent: dict[str, float] = defaultdict(float)
_depth = [0]


def _wrap(label: str, module: str, name: str) -> None:
    """Replace ``module.name`` by a timed call (a generator is consumed inside the timing)."""
    mod = importlib.import_module(module)
    fn = getattr(mod, name)
    generator = fn.__code__.co_flags & 0x20

    def timed(*args, **kwargs):
        _depth[0] += 1
        start = time.process_time()
        try:
            out = fn(*args, **kwargs)
            return iter(list(out)) if generator else out
        finally:
            _depth[0] -= 1
            if _depth[0] == 0:
                _spent[label] += time.process_time() - start

    setattr(mod, name, timed)


def breakdown(data_dir: str, runs: int = 3) -> dict:
    """Median CPU seconds of a warm compare and of each extra and safeguard; ``core`` the rest.

    Examples
    --------
    >>> parts = breakdown("data/sample", 1)  # doctest: +SKIP
    >>> parts["total_cpu_s"] > parts["core_cpu_s"]  # doctest: +SKIP
    True
    """
    for label, where in {**EXTRAS, **SAFEGUARDS}.items():
        for module, name in where:
            _wrap(label, module, name)
    from rsw_eval import compare, default_sample_spec

    spec = default_sample_spec(data_dir)
    compare(spec)  # warm: imports and caches
    totals, walls, parts = [], [], defaultdict(list)
    for _ in range(runs):
        _spent.clear()
        start, wall = time.process_time(), time.perf_counter()
        compare(spec)
        totals.append(time.process_time() - start)
        walls.append(time.perf_counter() - wall)
        for label in {**EXTRAS, **SAFEGUARDS}:
            parts[label].append(_spent[label])
    out = {"total_cpu_s": statistics.median(totals), "total_wall_s": statistics.median(walls)}
    out.update({f"extra_{k}_cpu_s": statistics.median(parts[k]) for k in EXTRAS})
    out.update({f"safeguard_{k}_cpu_s": statistics.median(parts[k]) for k in SAFEGUARDS})
    out["extras_cpu_s"] = sum(out[f"extra_{k}_cpu_s"] for k in EXTRAS)
    out["safeguards_cpu_s"] = sum(out[f"safeguard_{k}_cpu_s"] for k in SAFEGUARDS)
    out["core_cpu_s"] = out["total_cpu_s"] - out["extras_cpu_s"] - out["safeguards_cpu_s"]
    return out


if __name__ == "__main__":
    import warnings

    warnings.simplefilter("ignore")
    print(json.dumps(breakdown(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 3)))
