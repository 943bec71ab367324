"""Shared fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "sample"
#: Real DfE files beside the project (not in the repository); tests that use them skip without them.
DFE = ROOT.parent / "shared" / "data" / "dfe"
needs_dfe = pytest.mark.skipif(not DFE.is_dir(), reason=f"real DfE example files not found at {DFE}")


@pytest.fixture()
def write(tmp_path):
    """Write ``text`` (str, encoded as ``encoding``) or bytes to ``tmp_path/name``; return the path."""

    def _write(name: str, content: str | bytes, encoding: str = "utf-8") -> Path:
        path = tmp_path / name
        path.write_bytes(content if isinstance(content, bytes) else content.encode(encoding))
        return path

    return _write


@pytest.fixture(scope="module")
def small_releases():
    """The release rules on the tests' synthetic panels: a file under a DfE release's name is
    taken as DfE's with any number of authorities (DfE's own files hold about 150; these panels
    hold a few). Modules about what a release's rows publish use it; the rule that a file under a
    release's name holding a few authorities is a council's own is tested with it off
    (tests/disclosure/test_partial_releases.py)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("rsw_eval.disclosure._releases.WHOLE_RELEASE", 1)
        yield
