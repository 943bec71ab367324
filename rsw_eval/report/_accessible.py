"""Charts every reader can use (WCAG 2.2 AA on the web, PDF/UA in print).

A :class:`Chart` is a chart's inline SVG: a ``str``, so it goes wherever an SVG string went (a
section's ``svg``, an entry of its ``charts``, a test's ``in``), that also carries

- ``alt``, the text alternative: the SVG's ``<title>``, which a browser gives the image as its
  accessible name (``role="img"``) and WeasyPrint writes as the tagged PDF figure's ``/Alt``;
- ``tables``, the plotted values as data tables at the precision the report prints them, which the
  templates put under the chart (``chart.html``).

:func:`inline_svg` also makes matplotlib's SVG fit to inline many times in one page: no XML prolog,
metadata, per-chart ``<style>`` (inline SVG styles apply to the whole HTML page) or ``id`` on every
group, nested empty groups unwrapped, path data on one line with coordinates to 0.01 pt, ``style``
attributes as SVG presentation attributes (an HTML renderer parses every ``style`` attribute as CSS
for the page: WeasyPrint warned about each SVG property), and the text in the report's own font
family, so the PDF embeds one font, not the same file twice.
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from typing import NamedTuple

SVG = "http://www.w3.org/2000/svg"
XLINK = "http://www.w3.org/1999/xlink"
#: The font family the stylesheet declares for the PDF (``_render``), then what a browser may have.
FONT = "'rsw-eval Sans', 'DejaVu Sans', Verdana, sans-serif"
#: Years (or other keys) per data table at most; fewer where the values are long (:func:`across`).
MAX_COLUMNS = 13
#: Printed width of a data table's value columns (A4 less the margins and the 9rem row labels) and
#: of one character and a cell's padding at 7.5 pt (CSS px; report.css, print): what fits a page.
PRINT_PX, CHAR_PX, PAD_PX = 544, 6.0, 11
_NUMBER = re.compile(r"-?\d+\.\d{3,}")
MISSING = "–"  # a value the chart leaves out: not in these data
#: What each mark in a data table means, by default: a dash only (:func:`across` places other
#: marks, e.g. ``c`` for a suppressed value, where the chart gives their meanings).
MEANINGS = ((MISSING, "no value in these data"),)


class DataTable(NamedTuple):
    """One table of a chart's data: a header row, then rows whose first cell names the row."""

    caption: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


class Chart(str):
    """An inline SVG chart with its text alternative and its data (see the module docstring).

    Examples
    --------
    >>> c = Chart('<svg xmlns="http://www.w3.org/2000/svg"/>', "A line.", ())
    >>> c.startswith("<svg"), "<title>A line.</title>" in c, c.alt
    (True, True, 'A line.')
    """

    alt: str
    tables: tuple[DataTable, ...]
    meanings: tuple[tuple[str, str], ...]

    def __new__(
        cls,
        svg: str,
        alt: str,
        tables: Sequence[DataTable] = (),
        meanings: Sequence[tuple[str, str]] = MEANINGS,
    ) -> Chart:
        chart = super().__new__(cls, inline_svg(svg, alt))
        chart.alt = alt
        chart.tables = tuple(tables)
        chart.meanings = tuple(meanings)
        return chart

    @property
    def key(self) -> str:
        """What the marks the tables show mean ('– = no value: ...; c = suppressed ...'), ``""``
        when they show none (the template prints it under the tables).

        Examples
        --------
        >>> t = DataTable("", ("Year", "2010", "2011"), (("Hull", "c", "–"),))
        >>> svg = '<svg xmlns="http://www.w3.org/2000/svg"/>'
        >>> Chart(svg, "A.", (t,), (("–", "none"), ("c", "hidden"))).key
        '– = none; c = hidden.'
        """
        shown = {cell for t in self.tables for row in t.rows for cell in row[1:]}
        parts = [f"{mark} = {meaning}" for mark, meaning in self.meanings if mark in shown]
        return "; ".join(parts) + "." if parts else ""

    def __reduce__(self):  # pickled as its parts (the SVG is already clean; cleaning is idempotent)
        return (Chart, (str(self), self.alt, self.tables, self.meanings))


def _unwrap(element: ET.Element) -> list[ET.Element]:
    """The element's children with attribute-less groups replaced by their own children."""
    out = []
    for child in element:
        child.tail = None
        if child.tag == f"{{{SVG}}}g" and not child.attrib:
            out.extend(_unwrap(child))
            continue
        if child.tag != f"{{{SVG}}}text" and child.text is not None and not child.text.strip():
            child.text = None
        child[:] = _unwrap(child)
        out.append(child)
    return out


def _tidy(element: ET.Element) -> None:
    for node in element.iter():
        if node.tag == f"{{{SVG}}}g":
            node.attrib.pop("id", None)
        if "d" in node.attrib:
            node.set("d", _NUMBER.sub(lambda m: f"{float(m.group()):.2f}", " ".join(node.get("d").split())))
        for key in ("x", "y", "width", "height", "transform"):
            if key in node.attrib:
                node.set(key, _NUMBER.sub(lambda m: f"{float(m.group()):.2f}", node.get(key)))
        style = node.attrib.pop("style", None)
        for declaration in (style or "").split(";"):
            key, _, value = declaration.partition(":")
            if key.strip() and value.strip():
                node.set(key.strip(), FONT if key.strip() == "font-family" else value.strip())


def inline_svg(svg: str, alt: str) -> str:
    """Matplotlib's SVG (or any SVG) as a self-describing image to inline in HTML.

    Parameters
    ----------
    svg : str
        The SVG document (an XML prolog and DOCTYPE are dropped).
    alt : str
        The text alternative, written as the SVG's ``<title>``.

    Returns
    -------
    str
        ``<svg role="img" ...><title>alt</title>...</svg>`` scaling with its container (no fixed
        width or height), as described in the module docstring.

    Examples
    --------
    >>> raw = ('<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10pt" '
    ...        'height="5pt" viewBox="0 0 10 5"><metadata>x</metadata><g id="figure_1"><g>'
    ...        '<path d="M 0 0 \\nL 1.234567 2"/></g></g></svg>')
    >>> inline_svg(raw, "A & B")  # doctest: +NORMALIZE_WHITESPACE
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 5" role="img"
    stroke-linejoin="round" stroke-linecap="butt"><title>A &amp; B</title><path d="M 0 0 L 1.23 2" /></svg>'
    """
    ET.register_namespace("", SVG)
    ET.register_namespace("xlink", XLINK)
    root = ET.fromstring(svg[svg.index("<svg") :])
    for name in ("metadata", "style", "title"):
        for parent in list(root.iter()):
            for child in parent.findall(f"{{{SVG}}}{name}"):
                parent.remove(child)
    for key in ("width", "height", "version"):
        root.attrib.pop(key, None)
    root.set("role", "img")
    root.set("stroke-linejoin", "round")  # what matplotlib's <style> said for every element
    root.set("stroke-linecap", "butt")
    _tidy(root)
    root[:] = _unwrap(root)
    root.text = None
    title = ET.Element(f"{{{SVG}}}title")
    title.text = alt
    root.insert(0, title)
    for node in list(root.iter(f"{{{SVG}}}defs")):
        if len(node) == 0:
            _remove(root, node)
    return ET.tostring(root, encoding="unicode")


def _remove(root: ET.Element, target: ET.Element) -> None:
    for parent in root.iter():
        if target in list(parent):
            parent.remove(target)
            return


def across(
    label: str,
    keys: Sequence[object],
    lines: Sequence[tuple[str, Sequence[float]]],
    fmt: Callable[[float], str],
    caption: str = "",
    marks: Sequence[Sequence[str] | None] = (),
) -> tuple[DataTable, ...]:
    """Data tables with ``keys`` (years, years since adoption) across and one row per plotted line,
    as the chart shows them; split into tables of at most :data:`MAX_COLUMNS` keys, and of as many
    as the longest value lets fit across a printed page.

    A missing value (a gap in the chart) shows its mark from ``marks`` (one sequence per line, one
    mark per key, or None: ``c`` for a value suppressed as a small number, DfE's symbol), else an
    en dash (not collected in these data).

    Examples
    --------
    >>> t = across("Year", [2010, 2011], [("Hackney", [1.0, float("nan")])], "{:.1f}".format)
    >>> t[0].columns, t[0].rows
    (('Year', '2010', '2011'), (('Hackney', '1.0', '–'),))
    >>> across("Year", [2010, 2011], [("Hull", [float("nan")] * 2)], str, marks=[["c", ""]])[0].rows
    (('Hull', 'c', '–'),)
    """
    keys = list(keys)
    marks = list(marks) + [None] * (len(lines) - len(marks))
    cells = [
        [_cell(v, fmt, "" if mark is None else str(mark[k])) for k, v in enumerate(values)]
        for (_, values), mark in zip(lines, marks, strict=True)
    ]
    longest = max((len(c) for c in [*map(str, keys), *(c for row in cells for c in row)]), default=1)
    fits = max(4, min(MAX_COLUMNS, int(PRINT_PX // (longest * CHAR_PX + PAD_PX))))
    parts = max(1, math.ceil(len(keys) / fits))
    size = math.ceil(len(keys) / parts) if keys else 1
    tables = []
    for start in range(0, len(keys), size):
        chunk = slice(start, start + size)
        rows = tuple((name, *row[chunk]) for (name, _), row in zip(lines, cells, strict=True))
        tables.append(DataTable(caption, (label, *(str(k) for k in keys[chunk])), rows))
    return tuple(tables)


def _cell(value: float, fmt: Callable[[float], str], mark: str = "") -> str:
    try:
        missing = value is None or math.isnan(float(value))
    except (TypeError, ValueError):
        missing = False
    return (mark or MISSING) if missing else fmt(value)


def span(keys: Sequence[object]) -> str:
    """'2004 to 2016' (or the one key) for a text alternative.

    Examples
    --------
    >>> span([2004, 2010, 2016]), span([3])
    ('2004 to 2016', '3')
    """
    keys = list(keys)
    return f"{keys[0]} to {keys[-1]}" if len(keys) > 1 else str(keys[0]) if keys else ""


def first_last(years: Sequence[object], values: Sequence[float], fmt: Callable[[float], str]) -> str:
    """'41.0 in 2004 to 23.5 in 2016' over the years with a value ('' when none, the one value
    when only one).

    Examples
    --------
    >>> first_last([2004, 2005, 2006], [float("nan"), 2.0, 3.0], "{:.1f}".format)
    '2.0 in 2005 to 3.0 in 2006'
    """
    pairs = [(y, v) for y, v in zip(years, values, strict=True) if v is not None and not math.isnan(v)]
    if not pairs:
        return "no values shown"
    (y0, v0), (y1, v1) = pairs[0], pairs[-1]
    return f"{fmt(v0)} in {y0}" if len(pairs) == 1 else f"{fmt(v0)} in {y0} to {fmt(v1)} in {y1}"
