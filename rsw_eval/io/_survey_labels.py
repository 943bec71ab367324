"""The authority labels of a survey: never a person's name, nor a group of one no authority is
named so (findings q11in Q14, q13in A9): a label is published as a group's name."""

from __future__ import annotations

import re
import warnings

import pandas as pd

from rsw_eval._errors import RswEvalWarning
from rsw_eval._identifier_shapes import OLD_ONS_CODE
from rsw_eval._personal import declared, identifier_shaped, person_shaped
from rsw_eval.io._coerce import Checker
from rsw_eval.io._identifiers import NAME_PLACEHOLDER, looks_like_name
from rsw_eval.io._lacodes import la_codes

__all__ = ["check_authorities", "mixed_models"]


#: Words that make a label an authority's or a study arm's, whatever its shape ("Unit-model LA",
#: "Comparator council 2", "Authority A", "Site North").
_AUTHORITY_WORDS = frozenset(
    {
        *("la", "las", "lea", "council", "borough", "county", "city", "district", "authority"),
        *("area", "site", "pilot", "comparator", "control", "unit", "model", "region", "team", "arm"),
        *("metropolitan", "royal", "local", "trust", "services", "group", "east", "west", "north"),
        "south",
    }
)
#: Of those, the words that are also surnames or a team's ("Oliver North", "Jane Smith Team"): a
#: label only one respondent has needs another to be taken for an authority's.
_ALSO_NAMES = frozenset({"east", "west", "north", "south", "royal", "team", "group", "city"})
#: A name-shaped label held by more respondents than this is taken for a group's, with a warning.
FEW = 5
#: A one-respondent authority is worth a warning when the others have at least this many (median).
MANY_RESPONDENTS = 10


def _bare(text: pd.Series) -> pd.Series:
    """Labels with what may hide a name's shape taken off: a note in brackets ("Jane Smith (SW)"),
    digits, "_", "." and "," between words ("jane.smith"), run-together capitals ("JaneSmith") and
    stray marks at the end (findings-q13in A9).

    Examples
    --------
    >>> _bare(pd.Series(["Jane Smith (SW)", "jane.smith", "JaneSmith", "Jane Smith 2", "Smith J-"])).tolist()
    ['Jane Smith', 'jane smith', 'Jane Smith', 'Jane Smith', 'Smith J']
    """
    out = text.str.replace(r"\([^)]*\)", " ", regex=True).str.replace(r"[_.,\d]+", " ", regex=True)
    out = out.str.replace(r"([a-z])([A-Z])", r"\1 \2", regex=True).str.replace(r"[^\w']+$", "", regex=True)
    return out.str.replace(r"\s+", " ", regex=True).str.strip()


def check_authorities(check: Checker, authority: pd.Series) -> None:
    """Refuse an authority label shaped like a person's name ("Jane Smith", "Smith, Jane") that is
    neither an authority of the bundled lookup ("Tower Hamlets") nor has an authority word in it
    (a name by its forename or title, :func:`rsw_eval._personal.person_shaped`, whatever words
    stand beside it: "David Lea", "Jane County"), held by at most :data:`FEW` respondents (one
    many share is a group's, a Welsh or Scottish authority's, a pseudonym's: a warning says it
    will be published): the label becomes a published group ("Jane Smith, Unit-model LA"), nor
    one with a note, digits or marks around a name (:func:`_bare`). Refuse a name-shaped label only
    one respondent has that names no authority and has no authority word but one a surname may be
    ("Oliver North"), and warn, without the label, of any other label with one respondent (a typo,
    "Hackny"; or an authority, "Gwent", "Authority F", which may return one questionnaire). Refuse
    an identifier (an e-mail address, a staff or NHS number) whoever shares it.
    """
    codes = la_codes()
    known = {n.lower() for n in codes["la_name"]} | {c.lower() for c in codes["la_code"]}
    text = authority.fillna("").str.strip()
    lower = text.str.lower()
    words = lower.str.findall(r"[a-z]+")
    shaped = text.map(looks_like_name).astype(bool) | _bare(text).map(looks_like_name).astype(bool)
    worded = words.map(lambda ws: bool(set(ws) & _AUTHORITY_WORDS)).astype(bool)
    # a name by its forename or title is one whatever words stand beside it ("David Lea", "Jane
    # County", "Jane Smith (council)", "Maria de la Cruz": findings-q14 L1)
    named = text.map(person_shaped).astype(bool)
    mine = text.map(declared).astype(bool)  # the spec's not_people are no person's
    old_code = text.str.fullmatch(OLD_ONS_CODE.pattern).fillna(False).astype(bool)
    coded = (text.map(identifier_shaped).astype(bool) & ~lower.isin(known) & ~old_code).to_numpy(bool)
    if coded.any():  # an e-mail address or a staff number, however many share it (att14 1)
        check._bad(
            "authority",
            coded,
            text,
            "an authority label that may identify a person (an e-mail address, a staff, NHS or phone number)",
            "an authority's name or code, or a label with LA, council or authority in it",
            "correct the cell (an identifier typed into the wrong column?): the label is published "
            "as a group's name",
            found=NAME_PLACEHOLDER,
        )
        return
    person = (shaped & ~worded | named) & ~lower.isin(known) & ~mine
    person = person.to_numpy(dtype=bool).copy()
    held = text.map(text.value_counts()).fillna(0).to_numpy()
    shared = person & (held > FEW)
    person &= held <= FEW  # a label many share is a group's ("Perth and Kinross", "Blue Hill"): said
    if shared.any():
        rows = check.source.rows(check.frame, shared)
        warnings.warn(
            f"{check.source.label}: column 'authority' has {len(set(text[shared]))} label(s) shaped like "
            f"a person's name, each shared by more than {FEW} respondents (first row {rows[0]}); a "
            "label is published as a group's name: if it is a person's, replace it (findings-q14 L2)",
            RswEvalWarning,
            stacklevel=4,
        )
    if person.any():
        check._bad(
            "authority",
            person,
            text,
            "an authority label that may be a person's name",
            "an authority's name or code, or a label with LA, council or authority in it",
            "correct the cell (a name typed into the wrong column?); a pseudonymous label such as "
            "'Authority A' or 'Comparator LA 1' is accepted; a label that names no person may be "
            "listed in the spec's not_people",
            found=NAME_PLACEHOLDER,
        )
        return
    counts = text[text != ""].value_counts()
    single, others = counts[counts == 1], counts[counts > 1]
    many = len(others) and others.median() >= MANY_RESPONDENTS
    strong = _AUTHORITY_WORDS - _ALSO_NAMES
    shaped = set(single.index[_bare(pd.Series(single.index, dtype=str)).map(looks_like_name).to_numpy(bool)])
    odd = (
        text.isin(
            [
                x
                for x in shaped
                if x.lower() not in known and not set(re.findall(r"[a-z]+", x.lower())) & strong
            ]
        )
        & ~mine
    ).to_numpy()
    if odd.any():  # "Oliver North": a name's shape, a group of one, no authority named so (q14 L1b)
        check._bad(
            "authority",
            odd,
            text,
            "an authority label shaped like a name, only one respondent has, and no authority's name or code",
            "an authority's name or code, or a label several respondents share",
            "correct the cell (a typo, or a name typed into the wrong column?): a group of one would "
            "be analysed, and published, as an authority of its own",
            found=NAME_PLACEHOLDER,
        )
        return
    if len(single) and many:
        rows = check.source.rows(check.frame, text.isin(single.index).to_numpy())
        shown_rows = ", ".join(map(str, rows[:5])) + (" ..." if len(rows) > 5 else "")
        warnings.warn(
            f"{check.source.label}: {len(single)} authorit{'y' if len(single) == 1 else 'ies'} "
            f"with a single respondent (row{'s' if len(rows) > 1 else ''} {shown_rows}) while the "
            f"others have {others.min()} to {others.max()}: a typo in column 'authority'? A group "
            "of one is analysed as an authority of its own",
            RswEvalWarning,
            stacklevel=4,  # the caller of load_worker_survey / load_parent_survey
        )


def mixed_models(check: Checker, authority: pd.Series, model: pd.Series) -> None:
    """Warn about authorities with respondents of both models: such a survey compares an
    authority's own workers with each other (the unit-model group then takes in the authority
    coded ``unit``, the conventional side a group with its name), which is right for an authority
    that ran both, and a misread where one row's ``model`` is a typo (findings-q20att F2). The
    rows of each such authority's less common model are named (its label is published anyway, as
    a group's name, and passed :func:`check_authorities`).

    Examples
    --------
    >>> import warnings
    >>> from rsw_eval.io._read import read_table
    >>> frame, info = read_table(pd.DataFrame({"authority": ["U", "U", "U", "A"],
    ...                                        "model": ["unit", "unit", "conventional", "conventional"]}))
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     mixed_models(Checker(frame, info), frame["authority"], frame["model"])
    >>> "'U' has respondents of both models (model 'conventional' in row 2)" in str(caught[0].message)
    True
    """
    both = model.groupby(authority).nunique()
    for label in sorted(both.index[both > 1]):
        mine = authority == label
        rarer = model[mine].value_counts().index[-1]
        rows = check.source.rows(check.frame, (mine & (model == rarer)).to_numpy())
        shown_rows = ", ".join(map(str, rows[:5])) + (" ..." if len(rows) > 5 else "")
        warnings.warn(
            f"{check.source.label}: authority '{label}' has respondents of both models (model "
            f"'{rarer}' in row{'s' if len(rows) > 1 else ''} {shown_rows}): its own respondents are "
            "compared with each other, the unit-model group taking in its rows coded unit. If the authority "
            "ran one model, correct column 'model' in those rows",
            RswEvalWarning,
            stacklevel=4,  # the caller of load_worker_survey / load_parent_survey
        )
