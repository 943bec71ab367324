"""Years as text: the one way rsw-eval writes a set of years (rows' ``period``, coverage, reasons)."""

from __future__ import annotations

__all__ = ["compact_years", "period_text"]


def compact_years(years) -> str:
    """Years as ranges: ``2006-2011, 2014, 2019-2025``.

    Examples
    --------
    >>> compact_years([2014, 2006, 2007, 2008, 2019, 2020])
    '2006-2008, 2014, 2019-2020'
    >>> compact_years([])
    ''
    """
    ys = sorted({int(y) for y in years})
    parts, start = [], None
    for i, y in enumerate(ys):
        if start is None:
            start = y
        if i + 1 == len(ys) or ys[i + 1] != y + 1:
            parts.append(str(y) if y == start else f"{start}-{y}")
            start = None
    return ", ".join(parts)


def period_text(years, adoption_year: int) -> str:
    """The years a before/after comparison used, either side of the adoption year.

    Examples
    --------
    >>> period_text([2004, 2005, 2006, 2007, 2008, 2009, 2010, 2014], 2008)
    'pre 2004-2007 vs post 2008-2010, 2014'
    """
    ys = [int(y) for y in years]
    pre = compact_years([y for y in ys if y < adoption_year]) or "none"
    post = compact_years([y for y in ys if y >= adoption_year]) or "none"
    return f"pre {pre} vs post {post}"
