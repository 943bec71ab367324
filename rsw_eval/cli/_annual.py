"""Which analysis ``report --style annual`` renders: ``compare(spec, authority=X)`` for the one
authority X the report is about, with X's years with the model ending at the report's year."""

from __future__ import annotations

import sys

from rsw_eval._errors import DataError, SpecError

__all__ = ["annual_results"]


def annual_results(spec, authority: str | None, year: int | None, results, compare, progress=None):
    """The results an annual report renders, and the authority it is about.

    The report for ``authority`` X and ``year`` Y is ``compare(ending_in(spec, X, Y),
    authority=X)``: every estimate it shows uses years up to Y only. Without ``authority`` it is
    about the first unit-model authority that ``--authority`` would accept (said on stderr when
    an earlier one cannot be compared), so that one authority has one report whichever way it
    is asked for. ``results`` (the other styles' analysis) is reused where it is that same
    analysis.

    Parameters
    ----------
    spec : EvaluationSpec
    authority : str or None
        ``--authority`` as a GSS code.
    year : int or None
        ``--year``.
    results : Results
        ``compare(spec, authority=authority)``.
    compare : callable
        :func:`rsw_eval.evaluation.engine.compare`.
    progress : callable, optional

    Returns
    -------
    (Results, str or None)

    Examples
    --------
    >>> import rsw_eval
    >>> spec = rsw_eval.default_sample_spec("data/sample")
    >>> res = rsw_eval.compare(spec, only=["cost"])
    >>> annual_results(spec, None, None, res, rsw_eval.compare)[0] is res
    True
    """
    from rsw_eval.spec._windows import ending_in

    adopters = [c for c, y in (results.provenance.get("adoption") or {}).items() if y is not None]
    candidates = [authority] if authority is not None else adopters
    if not candidates:  # no adopter and no --authority: the report picks from the results
        return results, None
    refused = []
    for code in candidates:
        capped = ending_in(spec, code, year) if year is not None else spec
        if capped is spec and (authority is not None or len(adopters) == 1):
            return results, code
        try:
            found = compare(capped, progress=progress, authority=code)
        except (SpecError, DataError) as exc:
            if authority is not None:
                raise
            refused.append(f"{code}: {'; '.join(exc.lines())}")
            continue
        if refused:
            print(
                f"rsw-eval: the annual report is about {code}, the first unit-model authority that "
                f"can be compared ({'; '.join(refused)}); give --authority to choose",
                file=sys.stderr,
            )
        return found, code
    raise SpecError("no unit-model authority can be given an annual report: " + "; ".join(refused))
