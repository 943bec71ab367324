"""What is wrong with an input path that is not a file, in the words every message uses."""

from __future__ import annotations

from pathlib import Path

from rsw_eval._errors import DataError, Problem

__all__ = ["not_a_file", "require_file"]


def not_a_file(path: Path) -> str | None:
    """Why ``path`` cannot be read as a file (``"is a folder, not a file"``, ``"does not exist"``),
    or None when it is a file: one wording for the loaders and the spec's ``[data]`` paths.

    Parameters
    ----------
    path : Path
        An input path.

    Returns
    -------
    str or None
        What the path is instead of a file.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     not_a_file(Path(tmp)), not_a_file(Path(tmp, "no.csv"))
    ('is a folder, not a file', 'does not exist')
    """
    if path.is_file():
        return None
    return "is a folder, not a file" if path.is_dir() else "does not exist"


def require_file(path: Path, label: str) -> None:
    """Raise :class:`~rsw_eval.DataError` (``label``: the path as the user gave it) when ``path``
    is not a file, saying what it is.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     try:
    ...         require_file(Path(tmp), "panel.csv")
    ...     except DataError as exc:
    ...         print(exc)
    panel.csv: the path is a folder, not a file. Hint: check the path and its spelling
    """
    if (what := not_a_file(path)) is not None:
        raise DataError(Problem(label, f"the path {what}", hint="check the path and its spelling"))
