"""An adopter's post window cut at a year: what an annual report for that year may use."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

__all__ = ["ending_in"]


def ending_in(spec: Any, code: str, year: int) -> Any:
    """A copy of ``spec`` in which ``code``'s years with the model end no later than ``year``.

    An annual report for the year ending 31 March ``year`` may use no later year: its
    difference-in-differences, interrupted time series and event-time rows come from
    ``compare(ending_in(spec, code, year), authority=code)``. ``post_years`` becomes the number
    of years from the adoption year to ``year`` (or stays smaller); ``[first, last]`` keeps
    ``first`` and ends at ``year``. Unchanged for an authority with no adoption year, or one
    that adopted after ``year`` (its report for that year is a benchmarking report).

    Parameters
    ----------
    spec : EvaluationSpec
    code : str
        The authority (GSS code or old DfE number).
    year : int
        The report's year (ending 31 March).

    Returns
    -------
    EvaluationSpec

    Examples
    --------
    >>> from rsw_eval.spec import EvaluationSpec
    >>> spec = EvaluationSpec(unit_model=("A",), adoption={"A": 2016}, post_years=4,
    ...                       data={"admin": ["panel.csv"]})
    >>> ending_in(spec, "A", 2017).post_years, ending_in(spec, "A", 2025).post_years
    (2, 4)
    >>> ending_in(spec, "A", 2015) is spec
    True
    """
    adopted = spec.adoption_year(code)
    if adopted is None or year < adopted:
        return spec
    post, most = spec.post_years, int(year) - adopted + 1
    if post is None or isinstance(post, int):
        return replace(spec, post_years=most if post is None else min(post, most))
    if post[0] > year:  # no year with the model up to the report's year: nothing to cut to
        return spec
    return replace(spec, post_years=(post[0], min(post[1], int(year))))
