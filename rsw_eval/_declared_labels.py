"""The labels a spec declares are no person's (its ``not_people``: "Florence Nightingale ward"),
while :func:`not_people` runs: where they stand in a text, so that :mod:`rsw_eval._personal`
judges the rest of it."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache

__all__ = ["declared_spans", "label_pattern", "not_people", "undeclared"]

#: The labels the spec declares are no person's (its ``not_people``), while :func:`not_people` runs.
_DECLARED: ContextVar[tuple[str, ...]] = ContextVar("not_people", default=())


@contextmanager
def not_people(labels: Iterable[str]) -> Iterator[None]:
    """Within the block, ``labels`` (the spec's ``not_people``) are taken for no person's name
    wherever they stand in a text, in any case and with words joined by spaces, "_", "." or "-"
    ("Florence Nightingale ward", ``florence_nightingale_ward_days``); the rest of the text is
    judged as before. Identifiers are not affected.

    Examples
    --------
    >>> from rsw_eval._personal import person_shaped
    >>> with not_people(["Florence Nightingale ward"]):
    ...     person_shaped("florence_nightingale_ward_days"), person_shaped("Jane Quenby ward")
    (False, True)
    >>> person_shaped("Florence Nightingale ward")
    True
    """
    token = _DECLARED.set(_DECLARED.get() + tuple(labels))
    try:
        yield
    finally:
        _DECLARED.reset(token)


@cache
def _declared_pattern(labels: tuple[str, ...]) -> re.Pattern | None:
    words = [re.findall(r"[^\W_]+", label) for label in labels]  # one word declares no name (q19att N4)
    runs = sorted((r"[\W_]+".join(map(re.escape, w)) for w in words if len(w) > 1), key=len, reverse=True)
    return re.compile(r"(?<![^\W_])(?:" + "|".join(runs) + r")(?![^\W_])", re.I) if runs else None


def label_pattern() -> re.Pattern | None:
    """The pattern of the labels :func:`not_people` declares now (None where there are none)."""
    return _declared_pattern(_DECLARED.get())


def declared_spans(text: str) -> list[tuple[int, int]]:
    """Where the labels :func:`not_people` declares stand in ``text``."""
    pattern = label_pattern()
    return [m.span() for m in pattern.finditer(text)] if pattern else []


def undeclared(text: str) -> str:
    """``text`` with each label :func:`not_people` declares written "Label" ("label" in lower
    case), so the rest is judged with it, as a whole (findings-q19att N4).

    Examples
    --------
    >>> with not_people(["Florence Nightingale ward"]):
    ...     undeclared("Florence Nightingale ward Jane"), undeclared("florence_nightingale_ward_days")
    ('Label Jane', 'label_days')
    """
    for start, end in reversed(declared_spans(text)):
        word = "label" if text[start:end].islower() else "Label"
        text = f"{text[:start]}{word}{text[end:]}"
    return text
