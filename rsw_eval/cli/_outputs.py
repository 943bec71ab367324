"""What a command reads, so that what it writes is checked against it (inputs are never written,
:mod:`rsw_eval.io._outputs`), and the ``--force`` option of every command that writes files."""

from __future__ import annotations

import argparse
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from rsw_eval._errors import SpecError

__all__ = ["add_force_option", "check_folder", "check_suffix", "input_files", "refuse_same_file"]


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


def check_suffix(path: str | os.PathLike, option: str, valid: Sequence[str]) -> Path:
    """``path`` when its suffix (any case) is one of ``valid``; otherwise a
    :class:`~rsw_eval.SpecError` naming the option, before any work is done (a writer that picks
    the format by suffix would otherwise fail after the run, add its own suffix to a name the
    output checks never saw, or write one format under another's name).

    Examples
    --------
    >>> check_suffix("out/r.CSV", "--out", (".csv",)).name
    'r.CSV'
    >>> try:
    ...     check_suffix("out/mine", "--chart", (".png", ".svg", ".pdf"))
    ... except SpecError as exc:
    ...     print(exc)
    --chart out/mine: no suffix; give a file name ending .png, .svg or .pdf
    """
    path = Path(path)
    if path.suffix.lower() in valid:
        return path
    found = f"suffix {path.suffix!r} is not one rsw-eval writes" if path.suffix else "no suffix"
    ending = ", ".join(valid[:-1]) + " or " + valid[-1] if len(valid) > 1 else valid[0]
    raise SpecError(f"{option} {path}: {found}; give a file name ending {ending}")


def refuse_same_file(outputs: dict[str, str | os.PathLike | None]) -> None:
    """A :class:`~rsw_eval.SpecError` when two options name the same file (the same path, or a
    link to the same existing file): the second output would silently replace the first.

    Examples
    --------
    >>> try:
    ...     refuse_same_file({"--out": "a/b.svg", "--chart": "a/../a/b.svg"})
    ... except SpecError as exc:
    ...     print(exc)
    --out a/b.svg and --chart a/../a/b.svg: the same file; each output needs its own name
    """
    given = [(option, Path(p)) for option, p in outputs.items() if p]
    for i, (first, a) in enumerate(given):
        for second, b in given[i + 1 :]:
            same = a.resolve() == b.resolve()
            if not same and a.exists() and b.exists():
                same = os.path.samefile(a, b)
            if same:
                raise SpecError(
                    f"{first} {a} and {second} {b}: the same file; each output needs its own name"
                )


def check_folder(path: str | os.PathLike, option: str, *, create: bool = False) -> Path:
    """``path`` when the folder it is written into exists and is writable; otherwise a
    :class:`~rsw_eval.SpecError` naming the option, before any work is done (findings-q13in A2: the
    writer failed only after the whole run, with pandas' message and no option named).

    ``path`` is a file to write (its folder must exist), or with ``create`` a folder rsw-eval makes
    with its parents (the nearest existing one must be a writable folder).

    Examples
    --------
    >>> try:
    ...     check_folder("no/such/folder/x.csv", "--out")
    ... except SpecError as exc:
    ...     print(exc)
    --out no/such/folder/x.csv: the folder no/such/folder does not exist; create it first
    >>> check_folder("no/such/folder", "--out", create=True).name
    'folder'
    """
    path = Path(path)
    folder = path if create else path.parent
    if create:
        while not folder.exists() and folder != folder.parent:
            folder = folder.parent
    elif not folder.exists():
        raise SpecError(f"{option} {path}: the folder {folder} does not exist; create it first")
    if not folder.is_dir():
        raise SpecError(f"{option} {path}: {folder} is a file, not a folder")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise SpecError(f"{option} {path}: the folder {folder} is not writable")
    return path


def no_unprotected_in(folder: str | os.PathLike) -> None:
    """Raise :class:`~rsw_eval.SpecError` when ``folder`` (where reports are to be published) holds,
    in it or in a subfolder, an unprotected results table (a file with "unprotected" in its name, as
    ``compare --unprotected`` names its own): the rule that keeps the tables out of a report's folder holds
    in both orders (findings-q19att N9).

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     no_unprotected_in(tmp)
    ...     _ = Path(tmp, "r.unprotected.csv").write_text("a\\n")
    ...     try:
    ...         no_unprotected_in(tmp)
    ...     except SpecError as exc:
    ...         print(str(exc)[:48])
    --out: the folder holds r.unprotected.csv, an un
    """
    folder = Path(folder)
    held = _unprotected_under(folder) if folder.is_dir() else None
    if held is not None:
        raise SpecError(
            f"--out: the folder holds {held}, an unprotected results table; reports are published, "
            "so they are not written beside it: move the table, or write the reports to another folder"
        )


#: How many entries of a report folder's tree :func:`no_unprotected_in` reads at most (a report
#: folder holds a few files; a larger tree is not searched further).
MOST_ENTRIES = 20_000


def _unprotected_under(folder: Path) -> str | None:
    """The first file or folder, in the tree under ``folder`` (its subfolders too: a table moved
    into one is published with the folder, findings-q20att F4), with "unprotected" in its name, as a
    path relative to ``folder``; None when there is none."""
    seen = 0
    for root, dirs, files in os.walk(folder):
        dirs.sort()
        for name in sorted(files) + dirs:
            seen += 1
            if "unprotected" in name.lower():
                return str((Path(root) / name).relative_to(folder))
        if seen > MOST_ENTRIES:
            break
    return None
