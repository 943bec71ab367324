"""Every TOML block in docs/ (and every example spec) parses, and every spec block whose keys are
all spec keys is a valid spec: a user copies them."""

from __future__ import annotations

import re
import tomllib

import pytest

from rsw_eval.spec import load_spec
from tests.conftest import ROOT

DOCS = ROOT / "docs"
BLOCKS = [
    pytest.param(block, id=f"{path.name}:{i}")
    for path in sorted(DOCS.rglob("*.md"))
    for i, block in enumerate(re.findall(r"```toml\n(.*?)```", path.read_text(encoding="utf-8"), re.S))
]
EXAMPLES = sorted((DOCS / "examples").glob("*.toml"))


def test_the_docs_have_toml_blocks():
    assert len(BLOCKS) >= 10 and len(EXAMPLES) >= 2


@pytest.mark.parametrize("block", BLOCKS)
def test_every_toml_block_in_the_docs_parses(block):
    tomllib.loads(block)


@pytest.mark.parametrize("block", BLOCKS)
def test_every_whole_spec_block_is_a_valid_spec(block):
    raw = tomllib.loads(block)
    if "data" not in raw:
        pytest.skip("a fragment of a spec (no [data])")
    load_spec(raw, data_dir=DOCS)  # paths need not exist to be a valid spec


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_every_example_spec_loads(path):
    load_spec(path, data_dir=DOCS)


def test_the_innovation_walkthrough_shows_its_example_spec():
    text = (DOCS / "walkthrough-innovation.md").read_text(encoding="utf-8")
    shown = tomllib.loads(re.findall(r"```toml\n(.*?)```", text, re.S)[0])
    example = tomllib.loads((DOCS / "examples" / "innovation_programme.toml").read_text(encoding="utf-8"))
    shown["unit_model"].pop("source"), example["unit_model"].pop("source")
    assert shown == example
