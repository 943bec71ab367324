"""Run a test module's function in a new Python process and get its JSON result back."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT


def in_child(module: str, function: str, folder: Path, env: dict[str, str] | None = None):
    """``module.function(folder)`` in a new process from the project root, with ``env`` added to
    this process's environment (a key set to "" is removed); returns its JSON-decoded result."""
    env = env or {}
    merged = {**os.environ, "PYTHONWARNINGS": "ignore", **env}
    merged = {k: v for k, v in merged.items() if not (k in env and v == "")}
    code = f"import sys, json; from pathlib import Path; from {module} import {function} as f; "
    code += "print(json.dumps(f(Path(sys.argv[1]))))"
    done = subprocess.run(
        [sys.executable, "-c", code, str(folder)], cwd=ROOT, env=merged, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])
