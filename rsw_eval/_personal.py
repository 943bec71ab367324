"""Whether a name rsw-eval prints or publishes from the user's data is a person's or an identifier.

One rule for every such name (issue 21; findings-q14 M3, M5, M6, L1, L1b; findings-q13in A13): an
indicator name, a column header, a cost line, a survey's authority label and any text a message or
warning quotes from a file must not be shaped like a person's name or an identifier:

- a person's name (:func:`person_shaped`): two to six words of letters that start with a common
  forename ("Jane Quenby", "jane_quenby", "David Lea", "Maria de la Cruz") or a title ("Dr
  Quenby"), an initial and a capitalised word ("J Quenby"), "Surname, Forename" ("Quenby, Jane")
  or capitalised words with a forename among them ("Quenby Jane"); a nurse's, a relative's or a
  cleric's word before a capitalised word that is no common one ("Nurse Quenby", "Baby Quenby", not
  "Father figure"); two or three capitalised words with a bundled surname among them and no
  label's, place's or common word ("Jan Kowalski", "Nguyen Van An"); a login name or a handle
  ("j.quenby", "@jquenby"). The words around a name do not make it something else ("Jane Smith
  (council)", "Jane County", "Jenny Pilot Services"). A name is told by its forename, title or
  surname, not by its shape alone, so the names of indicators ("Children in need",
  ``CPP_subsequent_percent``), of places ("Perth and Kinross", "Blue Hill") and the bundled
  authorities' ("Kensington and Chelsea") are not taken for one;
- an identifier (:func:`rsw_eval._identifier_shapes.identifier_shaped`): an e-mail address, a
  run of nine digits or more (an
  NHS number), or a short run of letters before four digits or more (``W1001``, ``AB123456C``,
  ``W 1001``), a date next to "DOB", "date of birth" or "born" ("DOB 03/04/2011"); a GSS code
  (``E09000012``), a year after letters (``FY2021``) and a date alone ("31/03/2014") are not one.

A one-word surname ("Quenby") cannot be told from a place's name ("Powys") by its shape, and is
not taken for a person's here. Nor can a label named after a person ("Florence Nightingale ward")
be told from a person's ("Jane Quenby ward"): the spec's ``not_people`` declares such labels, and
within :func:`not_people` they are no person's name (an identifier stays one).
"""

from __future__ import annotations

import re
from functools import cache

from rsw_eval import _name_words as _w
from rsw_eval._declared_labels import declared_spans, label_pattern, not_people, undeclared
from rsw_eval._identifier_shapes import (
    BIRTH_DATE,
    CODE_WORD,
    EMAIL,
    LOGIN,
    PHONE_NINO,
    SPACED_ID,
    identifier_shaped,
)
from rsw_eval._name_lists import (
    NO_SURNAME,
    NOT_NAMES,
    authority_names,
    authority_words,
    forenames,
    surnames,
    unaccented,
)

_AUTHORITY_WORDS = _w.AUTHORITY_WORDS  # read by tests
__all__ = [
    "declared",
    "identifier_shaped",
    "mask_people",
    "not_people",
    "one_name",
    "personal",
    "person_shaped",
]

#: A quoted part of a message (a cell, a column): tried whole, as a found value is.
#: An apostrophe between letters is part of the text ("'Jane O'Neill'": findings-q17att Q8).
_QUOTED = re.compile(r"'((?:[^'\r\n]|(?<=[^\W\d_])'(?=[^\W\d_])){1,120})'")
_WORD = re.compile(r"[^\W\d_]+")
#: Where a name may stand in a longer text: words of letters joined by spaces, "_", "." or "-",
#: with apostrophes inside, optionally "Surname, Forename".
_NAME_WORD = r"[^\W\d_]++(?:['\u2019][^\W\d_]++)*+"
_RUN = re.compile(  # possessive, and from a word's start only: linear on a 5 MB cell
    rf"(?<![^\W\d_]|['\u2019]){_NAME_WORD}(?:(?:[^\S\r\n]++|[_-]|\.[^\S\r\n]?|,[^\S\r\n]*+){_NAME_WORD})++"
)


def declared(text: object) -> bool:
    """Whether ``text`` is, but for marks, digits and notes in brackets that name no person, labels
    :func:`not_people` declares (a name in brackets is not declared: findings-q19att N1).

    Examples
    --------
    >>> with not_people(["Florence Nightingale ward"]):
    ...     [declared(t) for t in ("Florence Nightingale Ward (2)", "Florence Nightingale ward Jane",
    ...                            "Florence Nightingale ward (Jane Quenby)")]
    [True, False, False]
    """
    pattern = label_pattern()
    if not isinstance(text, str) or pattern is None or not pattern.search(text):
        return False
    rest = pattern.sub(" ", text)
    return not _WORD.search(re.sub(_BRACKETS, " ", rest)) and not person_shaped(text)


#: A note in brackets: judged as a label of its own, then set aside (findings-q19att N1).
_BRACKETS = re.compile(r"\(([^)]*)\)|\[([^\]]*)\]")


def _capitalised(word: str) -> bool:
    return word[:1].isupper()


def person_shaped(text: object) -> bool:
    """Whether ``text`` may be a person's name: see the module's rule. A note in brackets is judged
    on its own, then set aside, as are digits and marks; words may be joined by "_", "." or "-".

    Examples
    --------
    >>> [person_shaped(t) for t in ("Jane Quenby", "jane_quenby", "Quenby, Jane (rate)", "Dr Quenby",
    ...                             "J.Quenby", "Jane Smith (council)", "Maria de la Cruz", "(Jane Quenby)",
    ...                             "Nurse Quenby", "Jan Kowalski", "j.quenby", "@jquenby", "nurse quenby",
    ...                             "mrs smith")]
    [True, True, True, True, True, True, True, True, True, True, True, True, True, True]
    >>> [person_shaped(t) for t in ("Children in need", "CPP_subsequent_percent", "Perth and Kinross",
    ...                             "Blue Hill", "Kensington and Chelsea", "Quenby", "Partner B", 3)]
    [False, False, False, False, False, False, False, False]
    """
    if not isinstance(text, str):
        return False
    if ("." in text or "@" in text) and LOGIN.search(EMAIL.sub(" ", text) if "@" in text else text):
        return True  # a login name or a handle: a name as a person signs in with it
    if spans := declared_spans(text):  # labels the spec says are no person's: the rest is judged
        cuts = [0, *(i for span in spans for i in span), len(text)]  # whole, and each part alone
        parts = [text[a:b] for a, b in zip(cuts[::2], cuts[1::2], strict=True)]
        return person_shaped(undeclared(text)) or any(map(person_shaped, parts))
    for note in _BRACKETS.finditer(text):  # "Agency staff (Jane Quenby)", "(manager: Jane Quenby)"
        inner = note.group(1) if note.group(1) is not None else note.group(2)
        if any(map(person_shaped, [inner, *re.split(r"[:;]", inner)])):
            return True
    bare = _BRACKETS.sub(" ", text)
    plain = re.sub(r"([a-z])([A-Z])", r"\1 \2", bare).replace("\xa0", " ").replace("&", " and ")
    if " ".join(_WORD.findall(plain)).lower() in authority_names():
        return False
    head, comma, tail = plain.partition(",")
    words = _WORD.findall(plain)
    if not 2 <= len(words) <= 6:
        return False
    names = forenames()
    low = [unaccented(w) if w != "LEA" else "" for w in words]  # "Hackney LEA": the authority's acronym
    if _w.PLACES & set(low) or (len(low) == 2 and _w.GROUPS & {low[0], low[1]}):
        return False
    if low[0] in _w.GROUPS:  # "Team Jane Quenby": the name after the group's word (q17att Q2)
        return person_shaped(" ".join(words[1:]))
    if low[1] in _w.TITLED_PLACES.get(low[0], ()):  # "Lord Street team": a place (q19att N16)
        return person_shaped(" ".join(words[2:]))
    if len(low) == 2 and low[0] in _w.CALENDAR and len(low[1]) == 1:  # "April Y" (q19att N10)
        return False
    after = _WORD.findall(tail)
    if comma and len(_WORD.findall(head)) == 1 and after and unaccented(after[0]) in names:
        return True  # "Quenby, Jane"
    if low[0] in names or low[0] in _w.TITLES:
        return True
    if low[0] in _w.KIN_TITLES and _after_kin_title(words[1], words[0]):  # "Nurse Quenby"
        return not plain.islower() or len(words) == 2  # "nurse quenby", not "mother reported concerns"
    if len(_WORD.findall(bare)) == len(words) and _initialled(words):  # not "NaN" split at its capital
        return True
    if re.fullmatch(r"[a-z]+[._][a-z]+", bare.strip()) and _surnamed(words, low, lower=True):
        return True  # a login name: "kasia.kowalska", "kowalski_jan"
    if plain.islower() and len(words) == 2 and low[0] not in _w.SMALL_WORDS:  # "quenby jane" (q17att Q3)
        return low[1] in names
    if len(words) <= 4 and all(map(_capitalised, words)) and any(w in names for w in low[1:]):
        return True
    return _surnamed(words, low)


def _surnamed(words: list[str], low: list[str], *, lower: bool = False) -> bool:
    """Whether ``words`` are two or three capitalised words with a bundled surname among them and
    none a common, label, place or authority word ("Jan Kowalski", "Nguyen Van An"; not "Patel
    Ward", "Campbell Street", "Argyll and Bute"); ``lower``: in any case (a login name's words).

    Examples
    --------
    >>> [_surnamed(t.split(), [unaccented(w) for w in t.split()]) for t in ("Jan Kowalski", "Nguyen Van An",
    ...                                                                 "Patel Ward", "Singh total")]
    [True, True, False, False]
    """
    if not (2 <= len(words) <= 3 and (lower or all(map(_capitalised, words)))):
        return False
    if any(w in NOT_NAMES or w in authority_words() for w in low):
        return False
    return any(w in surnames() for w in low)


def _after_kin_title(word: str, title: str) -> bool:
    """Whether ``word``, after a word of :data:`~rsw_eval._name_words.KIN_TITLES` ("Nurse",
    "Father", "Baby"), is written as a surname: capitalised, or in the title's own case (capitals
    after "NURSE", lower case after "nurse": issue 21), and no common word, nor a label's, a place's
    or an authority's word.

    Examples
    --------
    >>> [_after_kin_title(w, "Nurse") for w in ("Quenby", "Kowalski", "Led", "figure", "Ward", "FTE")]
    [True, True, False, False, False, False]
    >>> [_after_kin_title(w, "nurse") for w in ("quenby", "Quenby", "led", "QUENBY")]
    [True, True, False, False]
    """
    capitalised = word[:1].isupper() and word[1:].islower()
    same_case = (title.isupper() and word.isupper()) or (title.islower() and word.islower())
    if len(word) < 2 or not (capitalised or same_case):
        return False
    low = unaccented(word)
    return not (
        low in _w.COMMON_WORDS or low in _w.KIN_TITLES or low in NO_SURNAME or low in authority_words()
    )


def _initialled(words: list[str]) -> bool:
    """Whether ``words`` are initials and a surname ("J Quenby", "JR Quenby", "J R Quenby") or a
    surname and an initial ("Smith J", "Quenby, J."; findings-q17att Q4), not a label's code
    ("Partner B", "B LA", "NE Lincolnshire", "LA Total") nor an authority's name.

    Examples
    --------
    >>> [_initialled(w.split()) for w in ("J Quenby", "JR Quenby", "Smith J", "SMITH J", "Quenby JR")]
    [True, True, True, True, True]
    >>> [_initialled(w.split()) for w in ("Partner B", "B LA", "NE Lincolnshire", "LA Total", "March Y")]
    [False, False, False, False, False]
    """
    first, last = words[0], words[-1]
    initials = "".join(words[:-1])
    if (
        2 <= len(words) <= 3
        and len(last) > 1
        and last[0].isupper()
        and not (last.isupper() and len(last) < 3)
    ):
        if not (initials.isupper() and len(initials) <= 2) or initials.lower() in _w.ACRONYMS:
            return False
        surname, label_like = last, len(initials) == 2  # "JR Quenby" is shaped as "NE Lincolnshire"
        if label_like and not last[1:].islower():  # "MC_DOB", "PL_POST": SSDA903's headers
            return False
    elif len(words) == 2 and _surname_initials(first, last):
        surname, label_like = first, True  # "Smith J" is shaped as "Partner B"
    else:
        return False
    low = surname.lower()
    if low in _AUTHORITY_WORDS or low in _w.CALENDAR:  # "31 March Y" (findings-q19att N10)
        return False
    return not label_like or not (low in _w.LABELS or low in _w.GROUPS or low in authority_words())


def _surname_initials(first: str, last: str) -> bool:
    """Whether ``first last`` is a surname and one or two initials: "Smith J", "SMITH J" (four
    letters or more in capitals, one initial), "Quenby JR" (findings-q19att N2), not "Kent CC",
    "NHS B" nor "DEFLATORS AT"."""
    if not (1 <= len(last) <= 2 and last.isupper() and last.isalpha() and last.lower() not in _w.ACRONYMS):
        return False
    capitals = len(first) >= 4 and first.isupper() and len(last) == 1  # not "DEFLATORS AT"
    return first[0].isupper() and (first[1:].islower() or capitals)


def one_name(text: str) -> bool:
    """Whether ``text`` is one word that is a bundled forename or surname ("Mohammed", "OLIVER",
    "Kowalski") or a user name made of initials and a surname or of a forename and initials
    ("jsmith", "sarahj"): a cell typed where a number or a label belongs is then taken for a
    person's (att12 M1). A message's own text is not judged by this: one word there is a word.

    Examples
    --------
    >>> [one_name(t) for t in ("Mohammed", "OLIVER", "jsmith", "sarahj", "Kowalska")]
    [True, True, True, True, True]
    >>> [one_name(t) for t in ("unit", "yes", "Hackney", "NaN", "true", "Jane Smith", "x")]
    [False, False, False, False, False, False, False]
    """
    word = text.strip()
    if not re.fullmatch(r"[^\W\d_]+(?:['\u2019-][^\W\d_]+)*", word):
        return False
    low = unaccented(word)
    if low in forenames() or low in surnames():
        return True
    handle = word.islower() and len(low) >= 5
    return handle and (
        any(low[k:] in surnames() and len(low) - k >= 4 for k in (1, 2))
        or any(low[:-k] in forenames() and len(low) - k >= 4 for k in (1, 2))
    )


def personal(text: object) -> bool:
    """Whether a name from the user's data may identify a person (:func:`person_shaped` or
    :func:`identifier_shaped`): such a name is never printed nor published.

    Examples
    --------
    >>> [personal(t) for t in ("Jane Quenby", "W1001", "children_looked_after", "cost_line")]
    [True, True, False, False]
    """
    return person_shaped(text) or identifier_shaped(text)


def _prose_name(part: str) -> bool:
    """A run of a message's words that is a name: person-shaped, and written as a name is in
    running text (capitalised words, or words joined by "_" or ".": "jane_quenby")."""
    words = _WORD.findall(part)
    stops = re.findall(r"([^\W\d_]+)\.\s", part)  # a sentence's end, but for "Dr. " and "J. "
    if any(len(w) > 1 and w.lower() not in _w.TITLES for w in stops):
        return False
    written = re.search(r"_|\.(?=\S)", part) or all(_capitalised(w) or w in _w.PARTICLES for w in words)
    return bool(written) and person_shaped(part)


@cache
def _authority_pattern() -> re.Pattern:
    names = sorted(authority_names(), key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(map(re.escape, names)) + r")\b", re.I)


def mask_people(text: str, placeholder: str) -> str:
    """``text`` (a message or warning) with every run of words written as a person's name
    (:func:`person_shaped`) and every identifier (:func:`identifier_shaped`) replaced by
    ``placeholder``; the message's own words and the bundled authorities' names stay.

    Examples
    --------
    >>> mask_people("Jane Quenby inferred to be a count; W1001 and x@y.org too", "<hidden>")
    '<hidden> inferred to be a count; <hidden> and <hidden> too'
    >>> mask_people("Quenby, Jane (rate) and jane_quenby", "<hidden>")
    '<hidden> (rate) and <hidden>'
    >>> mask_people("children_looked_after rose in Kensington and Chelsea", "<hidden>")
    'children_looked_after rose in Kensington and Chelsea'
    >>> mask_people("column 'Jane Quenby' is empty; call 020 7946 0018", "<hidden>")
    'column <hidden> is empty; call <hidden>'
    """
    text = EMAIL.sub(placeholder, text) if "@" in text else text
    text = BIRTH_DATE.sub(placeholder, text)  # before a date's digits are read as a number's
    text = PHONE_NINO.sub(placeholder, text)
    text = SPACED_ID.sub(placeholder, LOGIN.sub(placeholder, text))
    text = re.sub(r"(?<!\d)\d{9,}(?!\d)", placeholder, text)
    text = _QUOTED.sub(lambda m: placeholder if person_shaped(m.group(1)) else m.group(0), text)
    text = CODE_WORD.sub(placeholder, text)
    places = [m.span() for m in _authority_pattern().finditer(text)] + declared_spans(text)
    names = forenames()

    def one(m: re.Match) -> str:
        run, at = m.group(0), m.start()
        tokens = [t for t in _WORD.finditer(run) if not any(a <= at + t.start() < b for a, b in places)]
        # a name has a forename, a title or an initial among its first four words: only there to try
        words = [t.group() for t in tokens] + [""]
        keys = [
            unaccented(w) in names
            or unaccented(w) in _w.TITLES
            or (bool(nxt) and unaccented(w) in _w.KIN_TITLES and _after_kin_title(nxt, w))  # "Nurse Quenby"
            or unaccented(w) in surnames()  # "Jan Kowalski", "kasia.kowalska"
            or (len(w) <= 2 and w.isupper() and len(nxt) > 1)
            or (len(w) > 1 and 1 <= len(nxt) <= 2 and nxt.isupper())  # "Quenby JR" (q19att N2)
            for w, nxt in zip(words, words[1:], strict=False)
        ]
        out, pos, i = [], 0, 0
        while i < len(tokens):
            ends = range(min(len(tokens), i + 6), i + 1, -1) if any(keys[i : i + 4]) else ()
            hit = next((j for j in ends if _prose_name(run[tokens[i].start() : tokens[j - 1].end()])), None)
            if hit is not None and hit < len(tokens) and unaccented(tokens[hit].group()) in _w.PLACES:
                hit = None  # "Mary Seacole House": a place named after a person (q17att O3)
            if hit is None:
                i += 1
                continue
            out.append(run[pos : tokens[i].start()] + placeholder)
            pos, i = tokens[hit - 1].end(), hit
        return "".join(out) + run[pos:]

    return _RUN.sub(one, text)
