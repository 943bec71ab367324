"""Names after the q17att attack, second pass (findings-q17att Q3, Q4, Q8): surnames with initials,
lower-case "surname forename", Lady/Lord, numbers written with brackets or spaces and W-1001 are
personal; a quoted name with an apostrophe is masked whole; the workbooks' and SSDA903's headers
are checked; and the spec's ``not_people`` lets a label named after a person through."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from rsw_eval import DataError, SpecError
from rsw_eval._errors import mask_text
from rsw_eval._personal import personal
from rsw_eval.cli import main
from rsw_eval.inputs import load_inputs
from rsw_eval.io import load_ofsted, load_panel, load_ssda903
from rsw_eval.spec import load_spec
from tests._sheets import write_ods
from tests.conftest import SAMPLE

PEOPLE = ["quenby jane", "Smith J", "Quenby J.", "Quenby, J.", "JR Quenby", "J R Quenby", "Lady Quenby"]
PEOPLE += ["Lord Quenby"]
IDS = ["(020) 7946 0018", "943 476 5919", "NHS 485 777 3456", "AB 123456 C", "W-1001"]
#: Labels of the same shapes that are no person's.
LABELS = ["Partner B", "Authority A", "Option C", "NE Lincolnshire", "LA Total", "B LA", "MC_DOB"]
LABELS += ["PL_POST", "rate per 10000", "FY-2021", "cla rate", "in care", "per-10000", "2009-2010", "NaN"]
LABELS += ["DoB", "Hackney LEA", "LEA Name", "LEA NET Revenue Expenditure (p)"]
WARD = "Florence Nightingale ward"


@pytest.mark.parametrize("text", PEOPLE + IDS)
def test_initials_lower_case_titles_and_spaced_numbers_are_personal(text):
    assert personal(text)


@pytest.mark.parametrize("text", LABELS)
def test_labels_of_those_shapes_are_not(text):
    assert not personal(text)


@pytest.mark.parametrize("quoted", ["Jane O'Neill", "Siobhan O'Brien-Smith"])
def test_a_quoted_name_with_an_apostrophe_is_masked_whole(quoted):
    shown = mask_text(f"column '{quoted}' is empty; 'x' and 'y' are not")
    assert "Neill" not in shown and "Brien" not in shown and "'x' and 'y'" in shown


def _panel(tmp_path, name: str):
    path = tmp_path / "p.csv"
    pd.DataFrame(
        {"la_code": ["E09000012", "E09000002"], "la_name": [name, "Barking and Dagenham"],
         "year": 2020, "indicator": "cla", "value": [300, 200]}
    ).to_csv(path, index=False)  # fmt: skip
    return path


def test_a_lower_case_surname_first_authority_name_is_refused(tmp_path):
    with pytest.raises(DataError, match="la_name") as err:
        load_panel(_panel(tmp_path, "quenby jane"))
    assert "quenby" not in str(err.value).lower()


@pytest.mark.parametrize("name", ["Jane Quenby", "Smith J"])
def test_a_person_in_an_ssda903_header_is_refused(tmp_path, name):
    header = tmp_path / "h.csv"
    frame = pd.read_csv(SAMPLE / "ssda903_header_2010.csv", dtype=str)
    frame.rename(columns={frame.columns[-1]: name}).to_csv(header, index=False)
    with pytest.raises(DataError, match="column name that may identify a person") as err:
        load_ssda903(header, SAMPLE / "ssda903_episodes_2010.csv", year=2010, la_code="E09000012")
    assert name.split()[0] not in str(err.value)


@pytest.mark.parametrize("name", ["Jane Quenby", "JR Quenby"])
def test_a_person_in_a_workbook_s_raw_header_is_refused(tmp_path, name):
    head = ["Local authority area code", "Local authority name", "Overall effectiveness"]
    row = ["E09000012", "Hackney", "Good"]
    path = write_ods(tmp_path / "ofsted.ods", [["Title"], [*head, "Inspection date", name],
                                              [*row, "01/02/2020", "x"]])  # fmt: skip
    with pytest.raises(DataError, match="column name that may identify a person") as err:
        load_ofsted(path)
    assert "Quenby" not in str(err.value)


BASE = {"title": "t", "unit_model": ["E09000012"], "data": {"admin": ["x.csv"]}}


def test_not_people_lets_a_declared_label_through_the_spec_s_checks():
    title = f"{WARD} evaluation"
    with pytest.raises(SpecError, match="not_people") as err:
        load_spec({**BASE, "title": title})
    assert "Nightingale" not in str(err.value)
    assert load_spec({**BASE, "title": title, "not_people": [WARD]}).not_people == (WARD,)
    with pytest.raises(SpecError, match="may identify a person"):  # only the label declared
        load_spec({**BASE, "title": f"{WARD} by Jane Quenby", "not_people": [WARD]})


@pytest.mark.parametrize("value", ["Edith Cavell ward", [3], [""], {"Edith Cavell": "ward"}])
def test_not_people_is_a_list_of_text(value):
    with pytest.raises(SpecError, match="not_people must be a list") as err:
        load_spec({**BASE, "not_people": value})
    assert "Cavell" not in str(err.value)


def test_not_people_does_not_let_an_identifier_through():
    from rsw_eval._personal import not_people

    with not_people(["W1001", WARD]):
        assert personal("W1001") and not personal(WARD.lower().replace(" ", "_") + "_days")
    assert personal(WARD)


def test_a_column_and_its_indicator_are_checked_each_on_its_own():
    """att7 low 2: DfE's SFR column CLA_Miss mapped to cla_missing was read, joined, as the title
    Miss and a surname, and refused; each is a label of its own. A person in either is refused."""
    admin = {"path": "x.csv", "value": {"CLA_Miss": "cla_missing", "CLA_male": "cla_male"}}
    load_spec({**BASE, "data": {"admin": [admin]}})
    for value in ({"CLA_Miss": "Jane Quenby"}, {"Jane Quenby": "cla_missing"}):
        with pytest.raises(SpecError, match="may identify a person"):
            load_spec({**BASE, "data": {"admin": [{"path": "x.csv", "value": value}]}})


def _sample_with_cost_line(tmp_path, line: str, declared: list[str]):
    data = tmp_path / "d"
    shutil.copytree(SAMPLE, data)
    costs = pd.read_csv(data / "costs.csv", dtype=str)
    costs["cost_line"] = costs["cost_line"].replace("social_work_staffing", line)
    costs.to_csv(data / "costs.csv", index=False)
    raw = {"title": "t", "unit_model": ["E09000012"], "data": {"costs": "costs.csv"}, "not_people": declared}
    return load_spec(raw, data_dir=data)


def test_a_declared_cost_line_loads_and_an_undeclared_one_names_the_key(tmp_path):
    with pytest.raises(DataError, match="not_people") as err:
        load_inputs(_sample_with_cost_line(tmp_path / "a", WARD, []), ["cost"])
    assert "Nightingale" not in str(err.value)
    costs = load_inputs(_sample_with_cost_line(tmp_path / "b", WARD, [WARD]), ["cost"]).costs
    assert f"cost_line:{WARD}" in set(costs["indicator"])


def test_the_command_line_honours_not_people_end_to_end(tmp_path, capsys):
    spec = tmp_path / "spec.toml"
    shutil.copytree(SAMPLE, tmp_path / "d")
    costs = pd.read_csv(tmp_path / "d" / "costs.csv", dtype=str)
    costs["cost_line"] = costs["cost_line"].replace("social_work_staffing", WARD)
    costs.to_csv(tmp_path / "d" / "costs.csv", index=False)
    spec.write_text(
        f'title = "t"\nnot_people = ["{WARD}"]\nunit_model = ["E09000012"]\n[data]\ncosts = "d/costs.csv"\n'
    )
    status = main(["compare", "--spec", str(spec), "--out", str(tmp_path / "r.csv"), "--only", "cost"])
    capsys.readouterr()
    assert status == 0 and WARD in (tmp_path / "r.csv").read_text()


def test_a_declared_survey_label_loads(tmp_path):
    data = tmp_path / "d"
    shutil.copytree(SAMPLE, data)
    survey = pd.read_csv(data / "worker_survey.csv", dtype=str)
    survey.loc[:2, "authority"] = WARD  # three respondents: a label so few share is refused
    survey.to_csv(data / "worker_survey.csv", index=False)
    raw = {"title": "t", "unit_model": ["Unit-model LA"], "data": {"worker_survey": "worker_survey.csv"}}
    with pytest.raises(DataError, match="not_people") as err:
        load_inputs(load_spec(raw, data_dir=data), ["worker"])
    assert "Nightingale" not in str(err.value)
    workers = load_inputs(load_spec({**raw, "not_people": [WARD]}, data_dir=data), ["worker"]).workers
    assert (workers["authority"] == WARD).sum() == 3
