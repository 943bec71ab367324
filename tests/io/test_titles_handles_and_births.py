"""Names after the q21 gaps: a relative's, a nurse's or a cleric's word before a surname ("Nurse
Quenby", "Baby Quenby"), forenames off the list beside a known surname ("Jan Kowalski"), login
names and handles ("j.quenby", "@jquenby"), a spaced staff number ("W 1001") and a date of birth
("DOB 03/04/2011") are personal and masked; the same words in labels are not."""

from __future__ import annotations

import pytest

from rsw_eval import DataError
from rsw_eval._errors import mask_text
from rsw_eval._personal import mask_people, personal
from rsw_eval.io import load_panel
from rsw_eval.io._personal_names import check_header
from tests.io.test_initials_and_not_people import _panel

KIN = ["Nurse Quenby", "Father Quenby", "Sister Quenby", "Baby Quenby", "Mother Quenby", "NURSE QUENBY"]
KIN += ["Sister Mary Quenby", "Uncle Kowalczyk", "Nurse Quenby ward"]
KIN += ["nurse quenby", "father quenby", "nurse_quenby", "nurse Quenby", "mrs smith", "dr quenby"]  # issue 21
#: The same words in labels and headers: no person.
KIN_LABELS = ["Sister authority", "Mother and baby unit", "Father figure", "Father Figure", "Mother Tongue"]
KIN_LABELS += ["Baby Weight", "Nurse Led", "Sister Ward", "Mother and Baby Unit", "Father Known", "Nurse FTE"]
KIN_LABELS += ["Mother DOB", "Baby Unit", "Nurse Practitioner", "Mother Age", "Sister Kent"]
KIN_LABELS += ["nurse led", "mother tongue", "baby_weight", "nurse_visits", "mother reported concerns"]


@pytest.mark.parametrize(("text", "person"), [(t, True) for t in KIN] + [(t, False) for t in KIN_LABELS])
def test_a_kin_or_nurse_title_before_a_surname_is_a_person_before_an_ordinary_word_none(text, person):
    assert personal(text) == person


def test_a_kin_title_and_surname_in_running_text_is_masked():
    shown = mask_people("seen by Nurse Quenby and Father Quenby; Mother and baby unit, Father figure", "<h>")
    assert shown == "seen by <h> and <h>; Mother and baby unit, Father figure"


@pytest.mark.parametrize("name", ["Nurse Quenby", "Baby Quenby"])
def test_an_authority_label_of_a_titled_surname_is_refused_unechoed(tmp_path, name):
    with pytest.raises(DataError, match="la_name") as err:
        load_panel(_panel(tmp_path, name))
    assert "Quenby" not in str(err.value) and "Quenby" not in mask_text(f"found {name}")


SURNAMED = ["Jan Kowalski", "Anna Kowalska", "Nguyen Van An", "Tran Thi Mai", "Wei Zhang", "Kofi Mensah"]
SURNAMED += ["Jan Wiśniewski", "Ayaan Patel", "Ifeoma Okafor"]
#: Welsh and Scottish councils (not in the English lookup) and labels with a surname-like word.
COUNCILS = ["Argyll and Bute", "Vale of Glamorgan", "Rhondda Cynon Taf", "Dumfries and Galloway"]
COUNCILS += ["Na h-Eileanan Siar", "Neath Port Talbot", "Merthyr Tydfil", "Ynys Mon", "Scottish Borders"]
COUNCILS += [
    "Perth and Kinross",
    "Blaenau Gwent",
    "East Dunbartonshire",
    "Isle of Anglesey",
    "Orkney Islands",
]
COUNCILS += ["Patel Ward", "Campbell Street", "Singh total", "Kelly House", "Murphy Team", "Wilson Road"]


@pytest.mark.parametrize("text", SURNAMED)
def test_a_forename_off_the_list_beside_a_known_surname_is_a_person(text):
    assert personal(text)
    assert mask_people(text, "<h>") == "<h>"


@pytest.mark.parametrize("text", COUNCILS)
def test_councils_and_labels_with_a_surname_like_word_are_no_person(text):
    assert not personal(text)
    assert mask_people(f"rates in {text} rose", "<h>") == f"rates in {text} rose"


def test_the_surname_list_holds_no_authority_or_label_word():
    from rsw_eval import _name_words as w
    from rsw_eval._name_lists import authority_words, surnames

    assert len(surnames()) > 400
    assert not surnames() & (authority_words() | w.LABELS | w.PLACES | w.GROUPS | w.COMMON_WORDS)


IDENTIFIERS = [
    "j.quenby",
    "jane.quenby",
    "kasia.kowalska",
    "kowalski_jan",
    "@jquenby",
    "contact @jane_quenby",
    "logged by j.quenby",
    "W 1001",
]
IDENTIFIERS += [
    "AB 123456",
    "DOB 03/04/2011",
    "D.O.B. 3/4/11",
    "born 3 April 2011",
    "Date of birth: 2011-04-03",
]
IDENTIFIERS += ["DOB: 3rd April 2011", "born on April 3, 2011", "Child (DOB 03/04/2011)"]
#: Part of a date of birth (issue 21): a month and year, a day and month.
IDENTIFIERS += ["DOB 03/2011", "born 2011-04", "d.o.b. 3 Apr", "DOB: April 2011", "born on 3rd of April"]
#: Dates alone, file names, abbreviations, years and counts of those shapes: no identifier.
NOT_IDS = ["31/03/2014", "3 April 2011", "x.csv", "r.csv", "e.g.", "i.e. this", "a.m.", "Q 2024", "FY 2021"]
NOT_IDS += [
    "patel_ward",
    "singh_total",
    "khan.rate",
    "MC_DOB",
    "DOB",
    "Date of birth",
    "N 10000",
    "@ 5%",
    "Population 2021",
    "d3_2021.csv",
    "W 1,001",
    "born in 2011",
    "03/2011",
    "born 3 Aprons",
]


IDS_AND_NOT = [(t, True) for t in IDENTIFIERS] + [(t, False) for t in NOT_IDS]


@pytest.mark.parametrize(("text", "identifier"), IDS_AND_NOT)
def test_logins_handles_spaced_numbers_and_births_are_personal_dates_alone_files_and_counts_not(
    text, identifier
):
    assert personal(text) == identifier


def test_logins_handles_spaced_numbers_and_births_are_masked_in_a_message():
    text = "by j.quenby (@jquenby), W 1001, DOB 03/04/2011, born 3 April 2011; "
    text += "at 31/03/2014 see x.csv, e.g. N 100"
    shown = mask_people(text, "<h>")
    assert shown == "by <h> (<h>), <h>, <h>, <h>; at 31/03/2014 see x.csv, e.g. N 100"
    assert "quenby" not in mask_text(f"found {text}") and "2011" not in mask_text(f"found {text}")


def test_a_lower_case_title_and_surname_and_part_of_a_birth_date_are_masked_in_a_message():
    """Issue 21: "nurse quenby" (lower case) and "DOB 03/2011" were echoed."""
    shown = mask_people("cells 'nurse quenby', 'mrs smith', DOB 03/2011, d.o.b. 3 Apr; 'nurse led'", "<h>")
    assert shown == "cells <h>, <h>, <h>, <h>; 'nurse led'"


@pytest.mark.parametrize("name", ["j.quenby", "@jquenby"])
def test_an_authority_label_of_a_login_is_refused_unechoed(tmp_path, name):
    with pytest.raises(DataError, match="la_name") as err:
        load_panel(_panel(tmp_path, name))
    assert "quenby" not in str(err.value)


@pytest.mark.parametrize("name", ["W 1001", "DOB 03/04/2011", "born 3 April 2011", "j.quenby"])
def test_a_header_of_those_shapes_is_refused_unechoed(name):
    with pytest.raises(DataError, match="column name that may identify a person") as err:
        check_header(["la_code", name], "p.csv", 1)
    assert name not in str(err.value) and "1001" not in str(err.value) and "2011" not in str(err.value)


def test_a_lower_case_login_with_a_bundled_surname_is_masked_in_a_message():
    shown = mask_people("sent by kasia.kowalska to patel ward and singh total", "<h>")
    assert shown == "sent by <h> to patel ward and singh total"


def test_ordinary_headers_are_listed_in_a_message_and_a_name_among_them_is_not(tmp_path):
    """Issue 21: a missing-column message listed the header "Local authority" as "text that may
    identify a person"; headers are judged as check_header judges them, a cell by its shape."""
    from rsw_eval._errors import Problem, found_columns
    from rsw_eval.io import load_worker_survey

    path = tmp_path / "s.csv"
    path.write_text("respondent_id,Local authority,Social worker,Team manager,model\nw1,A,B,C,unit\n")
    with pytest.raises(DataError) as err:
        load_worker_survey(path)
    assert "found columns 'respondent_id', 'Local authority', 'Social worker', 'Team manager'" in str(
        err.value
    )
    shown = str(Problem("s.csv", "missing column", found=found_columns(["Jane Quenby", "W1001", "ghq1"])))
    assert "Quenby" not in shown and "1001" not in shown and "'ghq1'" in shown
