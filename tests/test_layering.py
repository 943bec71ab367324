"""The flow runs one way (docs/architecture.md): each stage imports only the stages below it, and no
module of the package takes part in an import cycle."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "rsw_eval"
#: What each stage may import, besides itself and the top level's ``_errors``, ``_personal`` and
#: ``_version``.
#: The pipeline, lowest first: io -> spec -> inputs -> comparison; stats -> inference -> designs;
#: published; disclosure; publication; evaluation; report; cli.
ALLOWED = {
    "io": set(),
    "spec": {"io"},
    "inputs": {"io", "spec"},
    "comparison": {"io", "spec"},
    "stats": set(),
    "inference": {"stats"},
    "designs": {"io", "stats", "inference"},
    "published": {"io", "spec", "inputs"},
    "disclosure": {"io", "stats", "designs"},
    "publication": {"io", "spec", "inputs", "stats", "designs", "published", "disclosure"},
    "evaluation": {
        "io",
        "spec",
        "inputs",
        "comparison",
        "stats",
        "inference",
        "designs",
        "published",
        "disclosure",
        "publication",
    },
    "report": {"io", "spec", "stats", "designs", "published", "disclosure", "publication", "evaluation"},
    "sample": {"io"},
    "cli": {"io", "spec", "inputs", "comparison", "stats", "publication", "evaluation", "report", "sample"},
}
#: ``_personal`` (what a person's name or an identifier looks like) serves ``_errors``' masks and
#: every loader's name checks alike, so it sits beside ``_errors`` (issue 21), with its word lists
#: (``_name_words``), bundled lists (``_name_lists``) and the spec's declared labels
#: (``_declared_labels``).
TOP_LEVEL = {
    "__init__",
    "_declared_labels",
    "_errors",
    "_identifier_shapes",
    "_lazy",
    "_name_lists",
    "_name_words",
    "_personal",
    "_source_date",
    "_version",
}


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(p): p for p in PACKAGE.rglob("*.py")}


def _imports(path: Path) -> set[str]:
    """Every rsw_eval module a file imports, at any depth (in functions and TYPE_CHECKING blocks
    too): ``from P import name`` counts as importing ``P.name`` when that is a module, else ``P``."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("rsw_eval"):
            for alias in node.names:
                sub = f"{node.module}.{alias.name}"
                names.add(sub if sub in MODULES else node.module)
        elif isinstance(node, ast.Import):
            names.update(a.name for a in node.names if a.name.startswith("rsw_eval"))
    return names


def _stage(module: str) -> str:
    return module.split(".")[1] if "." in module else "__init__"


def test_the_top_level_holds_only_the_public_api_errors_and_version():
    loose = {p.stem for p in PACKAGE.glob("*.py")} - TOP_LEVEL
    assert not loose, f"modules outside a stage package: {sorted(loose)}"
    stages = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()}
    assert stages == set(ALLOWED), f"stage packages {sorted(stages)} vs the rules {sorted(ALLOWED)}"


@pytest.mark.parametrize("stage", sorted(ALLOWED))
def test_stage_imports_only_the_stages_below_it(stage):
    files = list((PACKAGE / stage).rglob("*.py"))
    assert files, f"no modules found in rsw_eval/{stage}"
    allowed = ALLOWED[stage] | {stage} | (TOP_LEVEL - {"__init__"})
    for path in files:
        bad = {m for m in _imports(path) if m != "rsw_eval" and _stage(m) not in allowed}
        bad |= {m for m in _imports(path) if m == "rsw_eval"}  # the public API sits above every stage
        assert not bad, f"{path.relative_to(PACKAGE)} imports {sorted(bad)}"


def test_every_stage_package_says_what_it_owns_and_may_import():
    for stage in ALLOWED:
        doc = ast.get_docstring(ast.parse((PACKAGE / stage / "__init__.py").read_text())) or ""
        assert doc, f"rsw_eval/{stage}/__init__.py has no docstring"
        assert "May import" in doc, f"rsw_eval/{stage} does not say what it may import"


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan), or a self-import."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1 or v in graph[v]:
                out.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def test_no_import_cycle_anywhere_in_the_package():
    graph = {
        m: {t for t in _imports(p) if t in MODULES and t != "rsw_eval" or t == m} for m, p in MODULES.items()
    }
    assert _cycles(graph) == []


def test_the_cycle_finder_finds_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_stats_and_inference_know_nothing_of_files():
    for stage in ("stats", "inference"):
        for path in (PACKAGE / stage).rglob("*.py"):
            bad = {m for m in _imports(path) if _stage(m) in ("io", "sample", "spec", "inputs")}
            assert not bad, f"{path.relative_to(PACKAGE)} imports {sorted(bad)}"
