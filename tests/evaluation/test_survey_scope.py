"""findings-q18att F7: with --authority the run is about that authority alone; a survey whose
unit-model group pools several authorities (or is another's) is not published as its analysis."""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd
import pytest

from rsw_eval import SpecError, compare
from rsw_eval.spec import default_sample_spec, load_spec

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "sample"
HACKNEY = "E09000012"


def _sample(tmp_path: Path, unit_labels: list[str]) -> Path:
    for f in SAMPLE.iterdir():
        (tmp_path / f.name).write_bytes(f.read_bytes())
    workers = pd.read_csv(SAMPLE / "worker_survey.csv", dtype=str, keep_default_na=False)
    unit = workers.index[workers["model"].str.lower().str.startswith("unit")]
    workers.loc[unit, "authority"] = [unit_labels[k % len(unit_labels)] for k in range(len(unit))]
    workers.to_csv(tmp_path / "worker_survey.csv", index=False)
    return tmp_path


def _run(folder: Path, authority: str | None):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return compare(default_sample_spec(folder), only=["worker"], authority=authority)


@pytest.mark.parametrize(
    ("labels", "runs"),
    [
        (["Unit-model LA"], True),  # the user's own pseudonym: the authority's survey
        (["Hackney"], True),  # the authority itself, by name
        (["Unit LA A", "Unit LA B"], False),  # two authorities pooled
        (["Southwark"], False),  # another authority, by name
        # findings-q19att N6: one authority written two ways is one authority (two spellings
        # but for case are refused by the loader: q19att N7)
        (["Hackney", "E09000012"], True),
        (["Hackney", "204"], True),
        (["Unit-model LA", "Unit model LA"], True),
        # N5: another authority's name written the usual other ways
        (["Southwark Council"], False),
        (["London Borough of Southwark"], False),
        (["LB Southwark"], False),
        (["Southwark (synthetic)"], False),
    ],
)
def test_a_survey_runs_for_one_authority_only_when_its_unit_model_group_may_be_that_authority(
    tmp_path, labels, runs
):
    result = _run(_sample(tmp_path, labels), HACKNEY)
    worker = result.table[result.table["family"] == "worker"]
    assert (len(worker) > 0) == runs
    said = result.skipped[
        (result.skipped["family"] == "worker") & result.skipped["reason"].str.contains(HACKNEY)
    ]
    assert (len(said) == 1) != runs
    if not runs:  # without --authority the survey is analysed as before
        assert (_run(tmp_path, None).table["family"] == "worker").any()


def test_a_survey_only_run_for_an_authority_that_does_not_exist_is_refused(tmp_path):
    spec = load_spec({"data": {"worker_survey": "worker_survey.csv"}}, data_dir=_sample(tmp_path, ["U"]))
    with pytest.raises(SpecError, match="no local authority's GSS code"):
        compare(spec, authority="Nowhere")


def test_a_pseudonymous_survey_is_not_a_non_adopter_s(tmp_path):
    """q19att N5: compare data/sample --authority 210 (Southwark adopted nothing there) published
    the bundled adopter's pseudonymous survey as Southwark's run."""
    result = _run(_sample(tmp_path, ["Unit-model LA"]), "E09000028")
    assert not (result.table["family"] == "worker").any()
