"""Synthetic sample data, calibrated to the published figures and labelled synthetic everywhere.

May import: :mod:`rsw_eval.io` (to check what it writes loads); nothing that analyses.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np

from rsw_eval._errors import SpecError
from rsw_eval._version import __version__
from rsw_eval.io._outputs import guarded
from rsw_eval.io._ssda903 import load_ssda903
from rsw_eval.sample import _admin, _surveys

__all__ = ["DEFAULT_SEED", "generate_sample"]

DEFAULT_SEED = 20100401
METADATA_FILE = "sample_metadata.json"
#: (file name, loader kind, generator, stream number). Each data set draws from its own stream
#: (``default_rng([seed, stream])``), so adding a data set never changes the bytes of the others.
_DATASETS = (
    ("worker_survey.csv", "worker_survey", _surveys.worker_survey, 1),
    ("parent_survey.csv", "parent_survey", _surveys.parent_survey, 2),
    ("admin_panel.csv", "dfe", _admin.admin_panel, 3),
    ("costs.csv", "costs", _admin.costs, 4),
)
#: The SSDA903 return is a pair of files from one stream.
_SSDA903 = ("ssda903_header_2010.csv", "ssda903_episodes_2010.csv", 5)

_README = (Path(__file__).parent / "README.template.md").read_text(encoding="utf-8")


def generate_sample(
    out_dir: str | os.PathLike, *, seed: int = DEFAULT_SEED, force: bool = False
) -> list[Path]:
    """Write the synthetic sample data set into ``out_dir`` and return the paths written.

    Parameters
    ----------
    out_dir : path
        Folder to write into (created if needed). Files of the same names that rsw-eval wrote
        (an earlier sample) are replaced; any other file of those names (a council's own survey)
        is refused before anything is written, unless ``force``.
    seed : int, default 20100401
        Seed of the random streams. The same seed and rsw-eval version give byte-identical files.
    force : bool, default False
        Replace files of the same names that rsw-eval did not write.

    Returns
    -------
    list of Path
        The data files (surveys, EES-layout administrative panel, cost ledger, SSDA903 header and
        episodes), then ``README.md`` and ``sample_metadata.json`` (``"synthetic": true`` and each
        file's kind).

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     [p.name for p in generate_sample(tmp, seed=1)]
    ['worker_survey.csv', 'parent_survey.csv', 'admin_panel.csv', 'costs.csv', \
'ssda903_header_2010.csv', 'ssda903_episodes_2010.csv', 'README.md', 'sample_metadata.json']
    """
    if not isinstance(seed, int | np.integer) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer. Got {seed!r} instead.")
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise SpecError(f"--out {out}: is a file; the sample is written into a folder")
    names = [n for n, *_ in _DATASETS] + list(_SSDA903[:2]) + ["README.md", METADATA_FILE]
    # every name checked before any is written; listed as data, which only `sample` replaces
    with guarded([out / n for n in names], force=force, data=True):
        out.mkdir(parents=True, exist_ok=True)
        return _write(out, int(seed))


def _write(out: Path, seed: int) -> list[Path]:
    written: list[Path] = []
    files: dict[str, dict[str, object]] = {}
    head_name, ep_name, stream = _SSDA903
    header, episodes = _admin.ssda903(np.random.default_rng([int(seed), stream]))
    counts = load_ssda903(header, episodes, year=2010, la_code=_admin.UNIT_LA)
    for name, kind, make, stream in _DATASETS:
        frame = make(np.random.default_rng([int(seed), stream]))
        if name == "admin_panel.csv":
            frame = _admin.align_with_return(frame, counts)
        path = out / name
        frame.to_csv(path, index=False, lineterminator="\n")
        written.append(path)
        files[name] = {"kind": kind, "rows": len(frame)}
    for name, frame in ((head_name, header), (ep_name, episodes)):
        frame.to_csv(out / name, index=False, lineterminator="\n")
        written.append(out / name)
        files[name] = {"kind": "ssda903", "rows": len(frame), "year": 2010, "la_code": _admin.UNIT_LA}
    readme = out / "README.md"
    readme.write_text(
        _README.format(
            seed=seed,
            version=__version__,
            **{f"n_{name.removesuffix('.csv')}": info["rows"] for name, info in files.items()},
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
