"""A report whose summary has no line says where its estimates are, not that there are none."""

from __future__ import annotations

from types import SimpleNamespace

import jinja2

from tests.conftest import ROOT


def test_an_empty_summary_does_not_say_there_are_no_results():
    """Finding B6: the Munro summary said 'No results to summarise.' beside Hull's DiD rows."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(ROOT / "reports" / "templates"), autoescape=True)
    report = SimpleNamespace(summary=(), extra={})
    html = env.get_template("summary.html").render(report=report)
    assert "No results to summarise" not in html
    assert "any estimates are in the sections below" in html
