"""Every public function carries a numpydoc docstring with an Example (checked by --doctest-modules)."""

from __future__ import annotations

import inspect

import pytest

import rsw_eval
from rsw_eval import io, report, stats
from rsw_eval.comparison import neighbours as comparators

MODULES = {
    "rsw_eval": rsw_eval,
    "rsw_eval.io": io,
    "rsw_eval.stats": stats,
    "rsw_eval.comparison.neighbours": comparators,
    "rsw_eval.report": report,
}
PUBLIC = sorted(
    {
        (name, f"{mod}.{attr}")
        for mod, module in MODULES.items()
        for attr in module.__all__
        if inspect.isfunction(obj := getattr(module, attr))
        for name in [attr]
    },
    key=lambda x: x[1],
)


@pytest.mark.parametrize(("name", "where"), PUBLIC, ids=[w for _, w in PUBLIC])
def test_public_function_has_an_example(name, where):
    module = MODULES[where.rsplit(".", 1)[0]]
    doc = inspect.getdoc(getattr(module, name)) or ""
    assert "Examples\n--------" in doc and ">>>" in doc, f"{where} has no Examples section"
