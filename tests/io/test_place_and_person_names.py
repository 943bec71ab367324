"""Names from the user's data after the q16att attack (findings-q16att N1, N2, N4-N8): places and
teams named after people load; names the forename list missed, names in quotes, telephone and NI
numbers, the spec's own strings, authority names and --map headers are never printed."""

from __future__ import annotations

import pandas as pd
import pytest

from rsw_eval import DataError, SpecError
from rsw_eval._errors import mask_text
from rsw_eval._personal import personal
from rsw_eval.cli import main
from rsw_eval.io import load_panel
from rsw_eval.spec import load_spec
from tests.conftest import SAMPLE

PLACES = [
    "Victoria House",
    "Rose Cottage",
    "Rose Team",
    "Sir Ddinbych",
    "Mary Seacole House placements",
    "Team Rose",
    "Ruby unit",
    "Ashley Road unit",
    "Martin Luther King centre",
    "Unit Amber",
    "Grace Road hostel",
]
PEOPLE = [
    "Siobhan Quenby",
    "Zoë Quenby",
    "José Garcia",
    "Cllr Jane Smith",
    "Aoife Byrne",
    "Jane Hall",
    "Dr Church",
    "Team Jane Quenby",
    "Jane Quenby home visits",
]
IDS = ["020 7946 0018", "07700 900123", "AB 12 34 56 C"]


@pytest.mark.parametrize("name", PLACES)
def test_a_place_or_team_named_after_a_person_is_no_person(name):
    assert not personal(name)


@pytest.mark.parametrize("name", PEOPLE + IDS)
def test_names_and_numbers_the_first_rule_missed_are_personal(name):
    assert personal(name)


@pytest.mark.parametrize("name", PEOPLE[:3])
def test_a_quoted_name_in_a_message_is_masked(name):
    assert name not in mask_text(f"column '{name}' is empty; call 020 7946 0018")
    assert "020 7946" not in mask_text("call 020 7946 0018")


@pytest.mark.parametrize(
    "spec",
    [
        {"title": "Annual report by Jane Smith"},
        {"title": "Hackney (contact jane.smith@council.gov.uk)"},
        {"derived": {"Jane Quenby": "a / b"}},
        {"questions": {"Jane Quenby": {"outcomes": ["cla"]}}},
        {"data": {"admin": [{"path": "x.csv", "kind": "population", "name": "Jane Hall"}]}},
    ],
)
def test_the_spec_s_own_names_are_checked(spec):
    base = {"title": "t", "unit_model": ["E09000012"], "data": {"admin": ["x.csv"]}}
    with pytest.raises(SpecError, match="may identify a person") as err:
        load_spec({**base, **spec})
    assert "Jane" not in str(err.value)


def test_a_renamed_indicator_in_the_spec_is_checked():
    entry = {"path": "x.csv", "kind": "dfe", "value": {"Jane Quenby": "CPP_start"}}
    with pytest.raises(SpecError, match="may identify a person"):
        load_spec({"title": "t", "unit_model": ["E09000012"], "data": {"admin": [entry]}})


def test_an_authority_named_like_a_person_is_refused(tmp_path):
    path = tmp_path / "p.csv"
    pd.DataFrame(
        {"la_code": ["E09000012", "E09000002"], "la_name": ["Jane Quenby", "Barking and Dagenham"],
         "year": 2020, "indicator": "cla", "value": [300, 200]}
    ).to_csv(path, index=False)  # fmt: skip
    with pytest.raises(DataError, match="la_name") as err:
        load_panel(path)
    assert "Quenby" not in str(err.value)


@pytest.mark.parametrize(
    "name",
    ["j.quenby@southwark.gov.uk", "W1001", "NHS 943 476 5919", "07700 900123", "AB123456C",
     "Southwark (ref W-1001)", "Southwark - contact j.quenby@southwark.gov.uk"],
)  # fmt: skip
def test_an_authority_named_by_an_identifier_is_refused(tmp_path, name):
    """att14 1: an e-mail address or a staff, NHS, phone or NI number typed as an authority's
    name was loaded and printed in the results' notes and the annual report's headings and alt text."""
    path = tmp_path / "p.csv"
    pd.DataFrame(
        {"la_code": ["E09000028", "E09000002"], "la_name": [name, "Barking and Dagenham"],
         "year": 2020, "indicator": "cla", "value": [300, 200]}
    ).to_csv(path, index=False)  # fmt: skip
    with pytest.raises(DataError, match="la_name") as err:
        load_panel(path)
    assert not any(part in str(err.value) for part in ("quenby", "1001", "5919", "900123", "AB123456C"))


def test_an_old_ons_code_in_the_name_column_loads(tmp_path):
    path = tmp_path / "p.csv"
    pd.DataFrame(
        {"la_code": ["E09000028"], "la_name": ["E5030"], "year": 2020, "indicator": "cla", "value": [300]}
    ).to_csv(path, index=False)
    assert len(load_panel(path)) == 1


def test_a_header_given_by_map_is_checked(capsys):
    status = main(
        [
            "validate",
            "--kind",
            "worker_survey",
            str(SAMPLE / "worker_survey.csv"),
            "--map",
            "unit=Jane Quenby",
        ]
    )
    out = capsys.readouterr()
    assert status == 2 and "Quenby" not in out.out + out.err


def test_a_place_named_after_a_person_in_a_title_loads():
    base = {"unit_model": ["E09000012"], "data": {"admin": ["x.csv"]}}
    assert load_spec({**base, "title": "Mary Seacole House placements: evaluation 2024-25"}).title


def test_a_name_given_by_value_on_the_command_line_is_checked(capsys):
    status = main(["validate", "--kind", "dfe", str(SAMPLE / "admin_panel.csv"), "--value",
                   "residential_placements=Jane Quenby"])  # fmt: skip
    out = capsys.readouterr()
    assert status == 2 and "Quenby" not in out.out + out.err
