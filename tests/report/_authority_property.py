"""The property every report of an authority must hold (issue 18): every number in X's report that
is attributed to X equals the corresponding row (or series value) of ``compare(spec, authority=X)``,
and nothing in it is another authority's: X is never its own comparator, other unit-model
authorities are never among its comparators or ranks, the marker and limitations are X's own.

Checked on the rendered HTML (what a council publishes), from the results the CLI's
``report --authority X`` renders.
"""

from __future__ import annotations

import re

import pandas as pd

from rsw_eval.report import build
from rsw_eval.report._benchmark import model_words
from rsw_eval.report._common import effect, protected_series
from rsw_eval.report._labels import EFFECT_LABELS, outcome_label, value_text
from rsw_eval.report._numbers import p_text
from rsw_eval.report._points import with_points
from rsw_eval.report._render import render_html


def table_after(html: str, section_id: str) -> list[list[str]]:
    """The body cells of the first table after ``id="section_id"`` (as a reader sees them)."""
    if f'id="{section_id}"' not in html:
        return []
    part = html.split(f'id="{section_id}"', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r"<tr>(.*?)</tr>", part, flags=re.S)
    cells = [[_text(c) for c in re.findall(r"<td.*?>(.*?)</td>", r, re.S)] for r in rows]
    return [c for c in cells if c]


def _text(cell: str) -> str:
    import html as html_module

    return html_module.unescape(re.sub(r"<.*?>", "", cell)).strip()


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def own_rows(results, code: str) -> pd.DataFrame:
    t = results.table
    text = t["treatment"].astype(str)
    return t[text.str.contains(f"({code})", regex=False) | (text == code)]


def check_annual(results, code: str, name: str) -> str:
    """Assert the property on X's annual report; returns the HTML (for further checks)."""
    data = build(results, "annual", authority=code, generated="2026-01-01")
    html = render_html(data)
    adopted = results.provenance["adoption"].get(code)
    rows = with_points(own_rows(results, code), results.series)  # pp cells, as build marks them
    causal = rows[rows["design"].isin(["did", "its"]) & rows["primary"]]
    # 1. the model-change table is X's rows, number for number (or absent for a non-adopter)
    shown = table_after(html, "model-change")
    if adopted is None:
        assert not shown and not any("since the model began" in line for line in data.summary)
        assert "model from" not in html  # no chart marker
    else:
        expected = [
            [
                _capital(outcome_label(r["outcome"])),
                r["design"].upper(),
                EFFECT_LABELS.get(r["effect_size_name"], ""),
                effect(r),
                p_text(r["p_value"]),
                p_text(r["p_adjusted"]),
            ]
            for _, r in causal.iterrows()
            if not r["suppressed"]
        ]
        assert [c for c in shown if c[3] != "c"] == expected
        if len(causal):
            assert f"model from {adopted}" in html
        assert all(
            f"model from {y}" not in html
            for y in set(results.provenance["adoption"].values()) - {adopted, None}
        )
    # 2. the verdicts quote X's own DiD (or ITS) row, nothing else
    verdicts = [s for s in data.sections if s.id == "verdicts"][0].items
    level = float(results.provenance.get("confidence", 0.95))
    for line in verdicts:
        indicator = next(
            (
                i
                for i in set(results.series["indicator"])
                if line.startswith(_capital(outcome_label(i)) + ":")
            ),
            None,
        )
        sub = causal[causal["outcome"] == indicator]
        did = sub[sub["design"] == "did"]
        chosen = did.iloc[0] if len(did) else sub.iloc[0] if len(sub) else None
        words = model_words(chosen, level)
        if words:
            assert words in line, (line, words)
        else:
            assert "since the model began" not in line
    # 3. the indicators table: X's own values; ranks among X and its own comparators only
    series = protected_series(results, int(results.provenance.get("disclosure_threshold", 5)))
    entry = results.provenance["comparison"].get(f"admin/{code}") or results.provenance["comparison"]["admin"]
    comparators = {a["la_code"] for a in entry["authorities"] if a["role"] == "comparator" and a["in_data"]}
    assert code not in comparators
    assert not comparators & {c for c, y in results.provenance["adoption"].items() if c != code}
    year = int(data.subtitle.rsplit(" ", 1)[1])
    at = next(s for s in data.sections if s.id == "indicators").columns.index("Rank")
    for cells in table_after(html, "indicators"):
        indicator = next(i for i in set(series["indicator"]) if _capital(outcome_label(i)) == cells[0])
        own = series[(series["la_code"] == code) & (series["indicator"] == indicator)].set_index("year")
        if year in own.index and pd.notna(own.loc[year, "value"]):
            assert cells[1] == value_text(indicator, own.loc[year, "value"]), (indicator, cells)
            others = series[
                (series["indicator"] == indicator)
                & (series["year"] == year)
                & series["la_code"].isin(comparators)
            ]["value"].dropna()
            if cells[at]:
                assert cells[at].endswith(f" of {len(others) + 1}"), (indicator, cells[at], len(others))
    # 4. limitations about X
    limits = " ".join([s for s in data.sections if s.id == "limitations"][0].items)
    if adopted is None:
        assert f"{name} is not a unit-model authority" in limits
    else:
        assert f"one unit-model authority ({name})" in limits
    return html
