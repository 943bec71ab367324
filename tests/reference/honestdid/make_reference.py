"""Reference HonestDiD bounds on the did_mpdta event study, from the `honestdid` package (PyPI 0.1.1,
a port of R HonestDiD), written to honestdid_mpdta.json beside this script.

Not run by the test suite (honestdid needs torch and cvxpy, gigabytes for two numbers): the JSON
it writes is committed and tests/inference/test_honest.py compares rsw-eval with it. Run:

    python -m venv /tmp/hdref && /tmp/hdref/bin/pip install honestdid==0.1.1 --no-deps \\
        numpy scipy pandas cvxpy sympy
    mkdir /tmp/standin && cp torch_standin.txt /tmp/standin/torch.py
    PYTHONPATH=/tmp/standin /tmp/hdref/bin/python make_reference.py event_study.json

torch was not installed here (its Linux wheels pull in CUDA, several GB): honestdid 0.1.1 uses it
only as a float64 array type (tensor, zeros, eye, cat, arange), and a 30-line numpy module named
`torch` (torch_standin.txt) stood in for it (the algorithm, LPs and optimisation are honestdid's
own). The input event_study.json is rsw-eval's universal-base event study of mpdta (Callaway &
Sant'Anna, never treated; the coefficients equal R did 2.5.1's `aggte(type = "dynamic")` with
`base_period = "universal"`), with the influence-function covariance.
"""

import json
import sys
from pathlib import Path

import numpy as np


def main() -> None:
    import honestdid as hd  # only here: the test suite imports this file without honestdid

    es = json.loads(Path(sys.argv[1]).read_text())
    beta, sigma = np.array(es["betahat"]), np.array(es["sigma"])
    n_pre = sum(e < 0 for e in es["egt"])
    n_post = len(beta) - n_pre
    out = {"honestdid_version": hd.__version__, "event_study": es, "rm": [], "sd": []}
    # honestdid tests every point of a grid with LPs (minutes per interval at its default 1000 points
    # over +-20 SDs): the grid here is 0.001 wide over a window 0.04 beyond rsw-eval's own limits
    # (WINDOWS, from a first run), so each limit is known to +-0.001.
    WINDOWS = {
        ("first", 0.5): (-0.056, 0.019),
        ("first", 1.0): (-0.074, 0.038),
        ("first", 2.0): (-0.119, 0.084),
        ("average", 0.5): (-0.156, 0.001),
    }
    for label, l_vec in (("first", np.eye(n_post)[0]), ("average", np.full(n_post, 1 / n_post))):
        for m in (0.0, 0.01, 0.02, 0.05):
            r = hd.find_optimal_flci(
                beta, sigma, M=m, numPrePeriods=n_pre, numPostPeriods=n_post, l_vec=l_vec, alpha=0.05
            )
            out["sd"].append({"target": label, "m": m, "lb": float(r["FLCI"][0]), "ub": float(r["FLCI"][1])})
            print(out["sd"][-1], flush=True)
    for (label, mbar), (lo, hi) in WINDOWS.items():
        l_vec = np.eye(n_post)[0] if label == "first" else np.full(n_post, 1 / n_post)
        lb, ub = lo - 0.04, hi + 0.04
        points = int(round((ub - lb) / 0.001)) + 1
        try:
            cs = hd.computeConditionalCS_DeltaRM(
                beta,
                sigma,
                n_pre,
                n_post,
                l_vec=l_vec,
                Mbar=mbar,
                alpha=0.05,
                gridPoints=points,
                grid_lb=lb,
                grid_ub=ub,
            )
        except Exception as exc:  # honestdid 0.1.1 fails on a target other than one post-period
            out["rm"].append({"target": label, "mbar": mbar, "error": f"{type(exc).__name__}: {exc}"})
            print(out["rm"][-1], flush=True)
            continue
        acc = cs[cs["accept"] > 0]["grid"]
        step = float(cs["grid"].iloc[1] - cs["grid"].iloc[0])
        out["rm"].append(
            {"target": label, "mbar": mbar, "lb": float(acc.min()), "ub": float(acc.max()), "grid_step": step}
        )
        print(out["rm"][-1], flush=True)
    Path(__file__).with_name("honestdid_mpdta.json").write_text(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
