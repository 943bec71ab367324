"""Column widths of a report table, measured from its text, so that the PDF can lay the table out
with ``table-layout: fixed`` (report.css, print) instead of WeasyPrint's automatic layout, which
lays out every cell twice more to find its narrowest and widest widths (a fifth of a report's
layout time).

The widths follow the automatic layout's rule (CSS 2.1, 17.5.2.2) on widths measured with the
font the PDF embeds (DejaVu Sans, at the print size of table text): a column is never narrower
than its longest word (its whole text where the cell does not wrap), and the room left is shared
in proportion to what each column would need on one line. Measurements are rounded up and given
a margin, so that a measured width is never narrower than WeasyPrint's; where the narrowest widths
together exceed the page the table keeps its automatic layout (no widths).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from pathlib import Path

__all__ = ["NOWRAP", "column_widths"]

#: A cell of at most this many characters does not wrap (``td.short`` in section_table.html).
NOWRAP = 14
#: Print measures in pt: table text 7.5 pt, cell padding .25rem a side (12 pt rem at 16 px),
#: the page's text width (A4 less 14 mm margins), a sparkline cell (a 5rem SVG and its padding).
_SIZE, _PAD, _PAGE = 7.5, 6.0, (210 - 28) * 72 / 25.4
_SPARK = 5 * 12 + _PAD
_MARGIN = 1.06  # measured widths given 6% more: hinting and kerning never make a word overflow


@cache
def _font(bold: bool):
    import matplotlib
    from matplotlib.ft2font import FT2Font

    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    font = FT2Font(str(Path(matplotlib.get_data_path(), "fonts", "ttf", name)))
    font.set_size(_SIZE * 10, 72)  # ten times the size: whole-pixel rounding is then 0.1 pt
    return font


@cache
def _advance(char: str, bold: bool) -> float:
    """Advance width of one character in pt at the print size of table text."""
    from matplotlib.ft2font import LoadFlags

    glyph = _font(bold).load_char(ord(char), flags=LoadFlags.NO_HINTING)
    return glyph.linearHoriAdvance / 65536 / 10


def _width(text: str, bold: bool = False) -> float:
    """Width of ``text`` in pt at the print size of table text (advances summed, with a margin
    for kerning and hinting)."""
    return sum(_advance(c, bold) for c in text) * _MARGIN


def _needs(text: str, bold: bool) -> tuple[float, float]:
    """(narrowest, widest) content width of one cell, padding included."""
    text = " ".join(str(text).split())
    widest = _width(text, bold)
    words = [text] if len(text) <= NOWRAP else text.split()
    narrowest = max((_width(w, bold) for w in words), default=0.0)
    return narrowest + _PAD, widest + _PAD


def column_widths(
    columns: Sequence[str], rows: Sequence[Sequence[object]], spark: bool = False
) -> tuple[float, ...]:
    """Percent widths of a table's columns (the header row is bold), or ``()`` where the table's
    narrowest widths do not fit the printed page (it then keeps the automatic layout).

    ``spark`` adds a last column of sparklines (a 5rem SVG, report.css).

    Examples
    --------
    >>> w = column_widths(("Indicator", "Value"), [("Children looked after per 10,000", "58.0")])
    >>> len(w), round(sum(w)), w[0] > w[1]
    (2, 100, True)
    >>> column_widths(("a",), [("x" * 400,)])  # one word wider than the page: automatic layout
    ()
    """
    lows, highs = [], []
    for k, name in enumerate(columns):
        needs = [_needs(name, True), *(_needs(row[k], False) for row in rows if k < len(row))]
        lows.append(max(n for n, _ in needs))
        highs.append(max(w for _, w in needs))
    if spark:
        lows.append(_SPARK)
        highs.append(_SPARK)
    if not lows or sum(lows) > _PAGE:
        return ()
    if sum(highs) <= _PAGE:  # everything fits on one line: the room left goes with the widths
        widths = highs
    else:
        room = (_PAGE - sum(lows)) / sum(h - lo for lo, h in zip(lows, highs, strict=True))
        widths = [lo + (h - lo) * room for lo, h in zip(lows, highs, strict=True)]
    total = sum(widths)
    return tuple(round(100 * w / total, 2) for w in widths)
