"""Names after the q19att attack (findings-q19att N1, N2, N4, N10, N16): a name in brackets is
judged; a not_people entry declares only itself; months, and Lady/Lord before a street, name no
person; more shapes of names and identifiers are personal."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from rsw_eval import DataError, SpecError
from rsw_eval._errors import mask_text
from rsw_eval._personal import declared, not_people, personal
from rsw_eval.cli import main
from rsw_eval.inputs import load_inputs
from rsw_eval.spec import load_spec
from tests.conftest import SAMPLE

WARD = "Florence Nightingale ward"
BASE = {"title": "t", "unit_model": ["E09000012"], "data": {"admin": ["x.csv"]}}
BRACKETED = ["Agency staff (Jane Quenby)", "Agency staff [Jane Quenby]", "Comparator LA 2 [Jane Quenby]"]
BRACKETED += ["Supervisor (Jane Quenby)", "Team A (manager: Jane Quenby)", "Children in need (Jane Quenby)"]
#: findings-q19att N2: shapes that were published.
SHAPES = ["SMITH J", "Quenby JR", "Sir Quenby", "Agency +44 (0)20 7946 0018", "Placement LAC-12345"]
SHAPES += ["Placement CHILD 123456", "Case 2345678", "SW1A 1AA"]
#: Labels near those shapes that name no person (N10, N16, and what the real files hold).
PLACES = ["Lord Street", "Lady Lane", "Lady Bay team", "Lord Mayor Treloar", "Lord Street team", "March Y"]
PLACES += ["April Y", "Kent CC", "Surrey CC", "Bournemouth (Pre LG)", "DEFLATORS AT", "Rate (per 10,000)"]
PLACES += ["Children looked after (CLA)", "FY-2021", "COVID-19", "Population 2021", "Hackney LA", "TABLE A"]


@pytest.mark.parametrize("text", BRACKETED + SHAPES + ["Lord Street Jane Quenby", "Lady Hale"])
def test_names_in_brackets_and_more_shapes_are_personal(text):
    assert personal(text)


@pytest.mark.parametrize("text", PLACES)
def test_places_months_and_labels_are_not(text):
    assert not personal(text)


def test_the_deflator_warning_s_month_is_not_masked():
    text = (
        "the financial year ending 31 March Y is deflated with calendar year Y-1's index; the April Y census"
    )
    assert mask_text(text) == text


def test_a_declaration_covers_only_itself():
    with not_people([WARD]):
        assert not personal(WARD) and not personal("florence_nightingale_ward_days")
        assert not declared(f"{WARD} (Jane Quenby)") and personal(f"{WARD} (Jane Quenby)")
        assert personal(f"{WARD} Jane Quenby") and personal(f"{WARD} Quenby J")
    with not_people(["Quenby", "Jane"]):  # one word declares nothing
        assert personal("Jane Quenby") and personal("Ward Jane Quenby")


@pytest.mark.parametrize("entry", ["Quenby", "Cavell", "  Jane  "])
def test_the_spec_refuses_a_one_word_declaration_without_echoing_it(entry):
    raw = {**BASE, "not_people": [WARD, entry]}
    with pytest.raises(SpecError, match=r"not_people\[1\]: a label of one word") as err:
        load_spec(raw)
    assert entry.strip() not in str(err.value)


def _sample(tmp_path, file: str, column: str, old: str | None, new: str):
    data = tmp_path / "d"
    shutil.copytree(SAMPLE, data)
    frame = pd.read_csv(data / file, dtype=str)
    if old is None:
        frame.loc[:2, column] = new
    else:
        frame[column] = frame[column].replace(old, new)
    frame.to_csv(data / file, index=False)
    return data


@pytest.mark.parametrize("label", ["Agency staff (Jane Quenby)", "Agency staff [Jane Quenby]", "SMITH J"])
def test_a_cost_line_with_a_name_is_refused_unechoed(tmp_path, label):
    data = _sample(tmp_path, "costs.csv", "cost_line", "social_work_staffing", label)
    spec = load_spec(
        {"title": "t", "unit_model": ["E09000012"], "data": {"costs": "costs.csv"}}, data_dir=data
    )
    with pytest.raises(DataError) as err:
        load_inputs(spec, ["cost"])
    assert "Quenby" not in str(err.value) and "SMITH" not in str(err.value)


def test_a_declared_ward_with_a_name_in_brackets_is_refused(tmp_path):
    data = _sample(tmp_path, "worker_survey.csv", "authority", None, f"{WARD} (Jane Quenby)")
    raw = {"title": "t", "unit_model": ["Unit-model LA"], "data": {"worker_survey": "worker_survey.csv"}}
    with pytest.raises(DataError) as err:
        load_inputs(load_spec({**raw, "not_people": [WARD]}, data_dir=data), ["worker"])
    assert "Quenby" not in str(err.value)


def test_a_header_with_a_name_in_brackets_is_refused(tmp_path, capsys):
    survey = pd.read_csv(SAMPLE / "worker_survey.csv", dtype=str)
    survey["Supervisor (Jane Quenby)"] = "x"
    survey.to_csv(tmp_path / "w.csv", index=False)
    assert main(["validate", str(tmp_path / "w.csv"), "--kind", "worker_survey"]) == 2
    assert "Quenby" not in "".join(capsys.readouterr())


@pytest.mark.parametrize("title", ["Evaluation for Quenby JR", "Report by SMITH J", "Evaluation, Sir Quenby"])
def test_a_spec_title_of_those_shapes_is_refused(title):
    with pytest.raises(SpecError, match="title: a name that may identify a person") as err:
        load_spec({**BASE, "title": title})
    assert "Quenby" not in str(err.value) and "SMITH" not in str(err.value)
