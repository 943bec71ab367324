"""Inputs are never written: the check every writer makes before it writes anything.

Every output path a command will write (main file, side files, chart, report, sample file) is
checked, before the first byte is written, against every input of the run by identity: the same
file reached through another name, a hard link or a symbolic link is the same file
(``os.path.samefile``: device and inode). An input is never written, even with ``--force``; nor
is any file of rsw-eval itself (:func:`package_files`: the bundled lookups every run reads, the
shipped templates), which an editable install keeps next to the user's data (findings-q13in A1).

A file rsw-eval did not write is not replaced without ``--force`` (a council's own survey left in
the folder ``sample --out`` is given, notes saved as ``results.csv``). rsw-eval knows its own files
from a manifest in each folder it writes into, :data:`MANIFEST` (``.rsw-eval-outputs.json``): the
name and SHA-256 of every file it wrote there. A file listed with the hash it has now is
rsw-eval's own, so re-running a command over its earlier outputs replaces them; a file edited
since (its hash differs) is the user's and needs ``--force``. The files ``sample`` writes are
data that other commands read: the manifest lists them as such, and only ``sample`` replaces them
without ``--force`` (``screen --out costs.csv`` in a sample folder replaced the sample's own costs:
att12 L3). The manifest holds names and hashes only (no paths, no contents) and is written in a
stable form, so a folder written twice from the same inputs is byte-identical.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

from rsw_eval._errors import SpecError

__all__ = [
    "MANIFEST",
    "holds_reports",
    "OutputError",
    "check_outputs",
    "package_files",
    "guarded",
    "record_outputs",
    "sha256",
    "written_by_rsw_eval",
]

#: The file in each output folder that lists what rsw-eval wrote there.
MANIFEST = ".rsw-eval-outputs.json"
_MARK = "rsw-eval outputs: files this program wrote here, with their SHA-256"

Outputs = Mapping[Path, str] | Iterable[str | os.PathLike]


class OutputError(SpecError):
    """Output paths that would write an input, or replace a file rsw-eval did not write: one line
    per path."""

    def __init__(self, problems: list[str]):
        self.problems = tuple(problems)
        super().__init__("\n".join(problems))

    def lines(self) -> list[str]:
        return list(self.problems)


def sha256(path: Path) -> str:
    """The SHA-256 of a file, read in blocks (the provenance of inputs and the manifest of outputs)."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _manifest(folder: Path) -> dict[str, str] | None:
    """The folder's manifest (name -> SHA-256); ``{}`` when there is none, None when a file of that
    name is not one of rsw-eval's."""
    data = _read_manifest(folder)
    return data if data is None else {str(k): str(v) for k, v in data.get("files", {}).items()}


def _data_files(folder: Path) -> set[str]:
    """The names the folder's manifest lists as data ``sample`` wrote."""
    data = _read_manifest(folder) or {}
    listed = data.get("data", [])
    return {str(n) for n in listed} if isinstance(listed, list) else set()


def _read_manifest(folder: Path) -> dict | None:
    path = folder / MANIFEST
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("manifest") != _MARK or not isinstance(data.get("files"), dict):
        return None
    return data


def holds_reports(folder: str | os.PathLike) -> bool:
    """Whether rsw-eval wrote a report (HTML or PDF) into ``folder``, by its manifest: a folder of
    published reports, whatever its name (findings-q18att F8).

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     page = Path(tmp, "munro.html")
    ...     _ = page.write_text("<html></html>")
    ...     record_outputs([page])
    ...     holds_reports(tmp), holds_reports(Path(tmp, "sub"))
    (True, False)
    """
    return any(name.lower().endswith((".html", ".pdf")) for name in _manifest(Path(folder)) or {})


def written_by_rsw_eval(path: str | os.PathLike) -> bool:
    """Whether rsw-eval wrote ``path`` and it has not changed since (its manifest lists it with the
    hash it has now).

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     out = Path(tmp, "r.csv")
    ...     _ = out.write_text("a\\n")
    ...     before = written_by_rsw_eval(out)
    ...     record_outputs([out])
    ...     before, written_by_rsw_eval(out)
    (False, True)
    """
    path = Path(path)
    listed = (_manifest(path.parent) or {}).get(path.name)
    return listed is not None and path.is_file() and listed == sha256(path)


def _labelled(outputs: Outputs) -> list[tuple[Path, str]]:
    if isinstance(outputs, Mapping):
        return [(Path(p), label) for p, label in outputs.items()]
    return [(Path(p), "") for p in outputs]


def _identities(inputs: Iterable[str | os.PathLike]) -> dict[tuple[int, int], Path]:
    """(device, inode) of every input file (the files of an input folder too)."""
    out = {}
    for item in inputs:
        path = Path(item)
        files = [p for p in path.rglob("*") if p.is_file()] if path.is_dir() else [path]
        for f in files:
            with contextlib.suppress(OSError):
                st = f.stat()
                out.setdefault((st.st_dev, st.st_ino), f)
    return out


def package_files() -> list[Path]:
    """The folders of rsw-eval's own files, never an output even with ``--force``: the package (its
    bundled lookups in ``rsw_eval/data`` that every run reads, a wheel's templates) and the shipped
    report templates (``reports/templates`` of a source checkout).

    Examples
    --------
    >>> [p.name for p in package_files()][0]
    'rsw_eval'
    >>> any(Path(p, "data", "la_codes.csv").is_file() for p in package_files())
    True
    """
    package = Path(__file__).resolve().parents[1]  # a wheel's templates are inside it
    shipped = package.parent / "reports" / "templates"  # a source checkout's (report._render reads it)
    return [package, *([shipped] if shipped.is_dir() else [])]


def check_outputs(
    outputs: Outputs, inputs: Iterable[str | os.PathLike] = (), *, force: bool = False, data: bool = False
) -> None:
    """Refuse, before anything is written, an output path that is an input (by identity: hard and
    symbolic links included, whatever ``force`` says) or one of rsw-eval's own files
    (:func:`package_files`), a folder, a path given twice, or an
    existing file rsw-eval did not write (unless ``force``), or, unless the outputs are ``data``
    themselves (``sample``'s) or ``force``, a file ``sample`` wrote as data.

    ``outputs`` is a list of paths or ``{path: option}`` (the option named in the message, e.g.
    ``"--out"``). Raises :class:`OutputError`, one line per path.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     data = Path(tmp, "data.csv")
    ...     _ = data.write_text("x\\n")
    ...     os.link(data, Path(tmp, "out.csv"))
    ...     try:
    ...         check_outputs({Path(tmp, "out.csv"): "--out"}, [data])
    ...     except OutputError as exc:
    ...         print(str(exc).replace(tmp, "TMP"))
    --out TMP/out.csv: is an input file (the same file as TMP/data.csv); input files are never written
    """
    known = _identities(inputs)
    own = _identities(package_files())
    problems, seen = [], set()
    labelled = _labelled(outputs)
    folders = {path.parent: _manifest(path.parent) for path, _ in labelled}
    for path, option in labelled:
        where = f"{option} {path}" if option else str(path)
        key = os.path.abspath(path)
        if key in seen:
            problems.append(f"{where}: given twice as an output; each output needs its own name")
            continue
        seen.add(key)
        if path.is_dir():
            problems.append(f"{where}: is a folder, not a file")
            continue
        try:
            st = path.stat()
        except OSError:  # a new file (or a dangling link): nothing it could overwrite
            continue
        if (st.st_dev, st.st_ino) in own:
            problems.append(
                f"{where}: is one of rsw-eval's own files ({own[(st.st_dev, st.st_ino)]}); they are "
                "never written, even with --force"
            )
            continue
        same = known.get((st.st_dev, st.st_ino))
        if same is not None:
            problems.append(
                f"{where}: is an input file (the same file as {same}); input files are never written"
            )
            continue
        if not force and not written_by_rsw_eval(path):
            problems.append(
                f"{where}: exists and was not written by rsw-eval (or changed since); pass --force to "
                "replace it"
            )
        elif not force and not data and path.name in _data_files(path.parent):
            problems.append(
                f"{where}: is data that `rsw-eval sample` wrote for other commands to read; pass "
                "--force to replace it"
            )
    for folder, manifest in folders.items():
        problems += _manifest_problems(folder, manifest, {**own, **known}, force)
    if problems:
        raise OutputError(problems)


def _manifest_problems(folder: Path, manifest, known, force: bool) -> list[str]:
    path = folder / MANIFEST
    with contextlib.suppress(OSError):
        st = path.stat()
        if (st.st_dev, st.st_ino) in known:
            return [f"{path}: is an input file; input files are never written"]
    if manifest is None and not force:
        return [f"{path}: exists and is not rsw-eval's list of its outputs; pass --force to replace it"]
    return []


def record_outputs(paths: Iterable[str | os.PathLike], *, data: bool = False) -> None:
    """Add the files just written to their folders' manifests (one lock per folder, so parallel
    writers into one folder do not lose each other's entries), as ``data`` (``sample``'s) or not."""
    by_folder: dict[Path, list[Path]] = {}
    for p in paths:
        path = Path(p)
        if path.is_file():
            by_folder.setdefault(path.parent, []).append(path)
    for folder, files in by_folder.items():
        with _locked(folder):
            listed = _manifest(folder) or {}
            listed.update({f.name: sha256(f) for f in files})
            names = {f.name for f in files}
            kept = (_data_files(folder) | names) if data else (_data_files(folder) - names)
            manifest = {"manifest": _MARK, "files": dict(sorted(listed.items()))}
            if kept:
                manifest["data"] = sorted(kept)
            text = json.dumps(manifest, indent=1) + "\n"
            tmp = folder / f"{MANIFEST}.{os.getpid()}.tmp"
            tmp.write_text(text, encoding="utf-8")
            os.replace(tmp, folder / MANIFEST)


@contextlib.contextmanager
def _locked(folder: Path) -> Iterator[None]:
    try:
        import fcntl
    except ImportError:  # not POSIX: writers run one after another there
        yield
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


@contextlib.contextmanager
def guarded(
    outputs: Outputs, inputs: Iterable[str | os.PathLike] = (), *, force: bool = False, data: bool = False
) -> Iterator[None]:
    """Check ``outputs`` (:func:`check_outputs`), remove the existing files of those names (so a
    hard or symbolic link is replaced, never written through into the file it shares), let the
    caller write them, then record in the manifests those it wrote (also when it fails half way)."""
    check_outputs(outputs, inputs, force=force, data=data)
    paths = [p for p, _ in _labelled(outputs)]
    for path in paths:  # replace the name, never write through it into a linked file
        if path.is_symlink() or path.is_file():
            path.unlink()
    before = {p: _signature(p) for p in paths}
    try:
        yield
    finally:
        record_outputs((p for p in paths if _signature(p) != before[p]), data=data)


def _signature(path: Path) -> tuple[int, int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_ino, st.st_size, st.st_mtime_ns)
