"""What a command reads, so that what it writes is checked against it (inputs are never written,
:mod:`rsw_eval.io._outputs`), and the ``--force`` option of every command that writes files."""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

__all__ = ["add_force_option", "input_files"]


def _paths(value: Any, base: Path) -> set[Path]:
    """Every path a spec's ``[data]`` value names (paths, tables of options, lists); option values
    that are not paths give paths that do not exist, which no output can be."""
    if isinstance(value, str):
        return {base / value}
    if isinstance(value, dict):
        return set().union(*(_paths(v, base) for v in value.values()), set())
    if isinstance(value, list | tuple):
        return set().union(*(_paths(v, base) for v in value), set())
    return set()


def input_files(spec=None, *extra: str | os.PathLike | None) -> list[Path]:
    """The files a run reads: every file the spec's ``[data]`` names and ``extra`` (the spec file,
    panel files given on the command line, a templates folder)."""
    found = _paths(spec.data, spec.base_dir or Path()) if spec is not None else set()
    found |= {Path(e) for e in extra if e}
    return sorted(found)


def add_force_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--force",
        action="store_true",
        help="replace existing files that rsw-eval did not write (input files are never written, "
        "even with --force)",
    )
