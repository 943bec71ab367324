"""The questions an evaluation asks: each a family of outcomes tested together, with its primary outcome.

A question is a multiplicity family: the tests of its outcomes are adjusted together
(:mod:`rsw_eval.evaluation._adjustment`). Declared in TOML as

.. code-block:: toml

    [questions.care]
    outcomes = ["cla_rate_per_10k", "children_looked_after", "residential_placements"]
    primary = "cla_rate_per_10k"

A declared ``primary`` outcome is tested first at the full level and the question's other outcomes
only behind it (a fixed sequence: they can be significant only when the primary is); without one,
every outcome of the question weighs the same in a step-down. Outcomes no question names stay in
the question of their data family (``worker``, ``parent``, ``admin``, ``cost``), which has no
declared primary.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from rsw_eval._errors import SpecError

__all__ = ["PLACES", "Question", "parse_questions"]

#: Not a question of the evaluation: rows that compare places (one authority on a side), whose
#: p-value tests "these authorities differ", not the model.
PLACES = "places"
_KEYS = ("outcomes", "primary")


@dataclass(frozen=True)
class Question:
    """One question: its name, the outcomes tested together, and its declared primary outcome
    ("" when none is declared).

    Examples
    --------
    >>> Question("care", ("cla_rate_per_10k", "children_looked_after"), "cla_rate_per_10k").primary
    'cla_rate_per_10k'
    """

    name: str
    outcomes: tuple[str, ...]
    primary: str = ""


def _question(name: str, table: Any) -> Question:
    where = f"questions.{name}"
    if not isinstance(table, Mapping):
        raise SpecError(f"{where} must be a table with outcomes = [...] and optionally primary = '...'")
    unknown = [k for k in table if k not in _KEYS]
    if unknown:
        raise SpecError(f"{where}: unknown key {unknown[0]!r}; valid keys: {', '.join(_KEYS)}")
    outcomes = table.get("outcomes")
    if not isinstance(outcomes, list) or not outcomes or not all(isinstance(o, str) and o for o in outcomes):
        raise SpecError(f"{where}.outcomes must be a non-empty list of outcome names. Got {outcomes!r}.")
    primary = table.get("primary", "")
    if not isinstance(primary, str) or (primary and primary not in outcomes):
        raise SpecError(
            f"{where}.primary must be one of its outcomes ({', '.join(outcomes)}). Got {primary!r}."
        )
    return Question(name, tuple(dict.fromkeys(outcomes)), primary)


def parse_questions(raw: Mapping[str, Any], families: tuple[str, ...]) -> tuple[Question, ...]:
    """The ``[questions]`` table as :class:`Question` records, checked.

    Raises
    ------
    SpecError
        A question that is not a table, without outcomes, with a primary outcome it does not list,
        named like a data family or ``places``, or an outcome in two questions.

    Examples
    --------
    >>> qs = parse_questions({"care": {"outcomes": ["a", "b"], "primary": "b"}}, ("admin",))
    >>> qs[0].outcomes, qs[0].primary
    (('a', 'b'), 'b')
    >>> parse_questions({"care": {"outcomes": ["a"], "primary": "z"}}, ("admin",))
    Traceback (most recent call last):
    ...
    rsw_eval._errors.SpecError: questions.care.primary must be one of its outcomes (a). Got 'z'.
    """
    if not isinstance(raw, Mapping):
        raise SpecError(f"questions must be a table of [questions.NAME] tables. Got {raw!r}.")
    out, seen = [], {}
    for name, table in raw.items():
        if name in (*families, PLACES):
            raise SpecError(
                f"questions.{name}: {name!r} is reserved (the data families {', '.join(families)} keep "
                f"their undeclared outcomes; {PLACES!r} holds comparisons of places); choose another name"
            )
        q = _question(str(name), table)
        for outcome in q.outcomes:
            if outcome in seen:
                raise SpecError(f"outcome {outcome!r} is in two questions ({seen[outcome]} and {name})")
            seen[outcome] = name
        out.append(q)
    return tuple(out)
