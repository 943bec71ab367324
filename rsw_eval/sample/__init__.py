"""Synthetic sample data, calibrated to the published figures and labelled synthetic everywhere."""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np

from rsw_eval._version import __version__
from rsw_eval.sample import _surveys

__all__ = ["DEFAULT_SEED", "generate_sample"]

DEFAULT_SEED = 20100401
METADATA_FILE = "sample_metadata.json"
#: (file name, loader kind, generator, stream number). Each data set draws from its own stream
#: (``default_rng([seed, stream])``), so adding a data set never changes the bytes of the others.
_DATASETS = (
    ("worker_survey.csv", "worker_survey", _surveys.worker_survey, 1),
    ("parent_survey.csv", "parent_survey", _surveys.parent_survey, 2),
)

_README = (Path(__file__).parent / "README.template.md").read_text(encoding="utf-8")


def generate_sample(out_dir: str | os.PathLike, *, seed: int = DEFAULT_SEED) -> list[Path]:
    """Write the synthetic sample data set into ``out_dir`` and return the paths written.

    Parameters
    ----------
    out_dir : path
        Folder to write into (created if needed). Files of the same names are overwritten.
    seed : int, default 20100401
        Seed of the random streams. The same seed and rsw-eval version give byte-identical files.

    Returns
    -------
    list of Path
        The data files, then ``README.md`` and ``sample_metadata.json`` (``"synthetic": true``).

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     [p.name for p in generate_sample(tmp, seed=1)]
    ['worker_survey.csv', 'parent_survey.csv', 'README.md', 'sample_metadata.json']
    """
    if not isinstance(seed, int | np.integer) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer. Got {seed!r} instead.")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    files: dict[str, dict[str, object]] = {}
    for name, kind, make, stream in _DATASETS:
        frame = make(np.random.default_rng([int(seed), stream]))
        path = out / name
        frame.to_csv(path, index=False, lineterminator="\n")
        written.append(path)
        files[name] = {"kind": kind, "rows": len(frame)}
    readme = out / "README.md"
    readme.write_text(
        _README.format(
            seed=seed,
            version=__version__,
            n_worker=files["worker_survey.csv"]["rows"],
            n_parent=files["parent_survey.csv"]["rows"],
        ),
        encoding="utf-8",
    )
    meta = out / METADATA_FILE
    meta.write_text(
        json.dumps(
            {
                "synthetic": True,
                "generator": "rsw-eval sample",
                "rsw_eval_version": __version__,
                "seed": int(seed),
                "files": files,
            },
            indent=2,
        )
        + "\n",
        encoding="utf-8",
    )
    return [*written, readme, meta]
