"""The flow runs one way (DESIGN.md): lower layers never import the CLI or reports."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "rsw_eval"
LOWER = ("io", "stats", "sample", "inference", "designs")
UPPER = ("rsw_eval.cli", "rsw_eval.report", "rsw_eval.engine")


def _imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
    return names


@pytest.mark.parametrize("layer", LOWER)
def test_lower_layers_do_not_import_upward(layer):
    files = list((PACKAGE / layer).rglob("*.py"))
    assert files, f"no modules found in rsw_eval/{layer}"
    for path in files:
        bad = {m for m in _imports(path) if m.startswith(UPPER)}
        assert not bad, f"{path.relative_to(PACKAGE)} imports {sorted(bad)}"


def test_stats_knows_nothing_of_files():
    for path in (PACKAGE / "stats").rglob("*.py"):
        bad = {m for m in _imports(path) if m.startswith(("rsw_eval.io", "rsw_eval.sample"))}
        assert not bad, f"{path.relative_to(PACKAGE)} imports {sorted(bad)}"


def test_inference_works_on_arrays_only():
    """The shared inference layer sits between stats and the designs: it may use stats, nothing
    that knows of files, specs, designs or reports."""
    allowed = ("rsw_eval.inference", "rsw_eval.stats", "rsw_eval._errors")
    for path in (PACKAGE / "inference").rglob("*.py"):
        bad = {m for m in _imports(path) if m.startswith("rsw_eval") and not m.startswith(allowed)}
        assert not bad, f"{path.relative_to(PACKAGE)} imports {sorted(bad)}"
