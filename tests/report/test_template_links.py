"""A ``--templates`` folder cannot make the PDF embed a local file (findings-q13in A10).

WeasyPrint's default URL fetcher reads ``file://`` and ``http://`` URLs and embeds attachments, so a
template linking the raw survey carried it inside the published PDF. The PDF loads only the bundled
fonts and ``data:`` URIs; any other link is one error naming the template file and the URL, and no
report file is written.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from rsw_eval import SpecError
from rsw_eval.evaluation.engine import compare
from rsw_eval.report import _render, render
from rsw_eval.report._render import allowed_url, bundled_fonts, layout, write_pdf
from rsw_eval.spec import default_sample_spec
from tests.conftest import SAMPLE

pytest.importorskip("weasyprint", reason="PDF output needs the 'pdf' extra")

SECRET = b"respondent_id,answer\nR-000123,SECRET-ANSWER-q13\n"


@pytest.fixture(scope="module")
def results():
    return compare(default_sample_spec(SAMPLE), only=["cost"])


def _links(secret) -> dict[str, str]:
    url = secret.as_uri()
    return {
        "attachment": f'<a rel="attachment" href="{url}">data</a>',
        "image": f'<img src="{url}" alt="x">',
        "object": f'<object data="{url}" type="text/plain"></object>',
        "stylesheet": f'<link rel="stylesheet" href="{url}">',
        "css import": f"<style>@import url({url});</style>",
        "web": '<img src="http://127.0.0.1:9/x.png" alt="x">',
    }


@pytest.mark.parametrize("kind", list(_links(Path("/x"))))
def test_a_template_linking_a_file_is_refused_and_writes_nothing(results, tmp_path, kind):
    secret = tmp_path / "worker_survey.csv"
    secret.write_bytes(SECRET)
    link = _links(secret)[kind]
    custom = tmp_path / "tpl"
    custom.mkdir()
    (custom / "summary.html").write_text(f"<p>summary</p>{link}", encoding="utf-8")
    out = tmp_path / "out"
    with pytest.raises(SpecError) as exc:
        render(results, style="munro", formats=["pdf", "html"], out_dir=out, templates=custom)
    message = str(exc.value)
    assert message.startswith(str(custom / "summary.html")), message
    assert "links " in message and ("worker_survey.csv" in message or "127.0.0.1" in message)
    assert not out.exists()  # neither the PDF nor the HTML


def test_the_file_bytes_never_reach_the_pdf(tmp_path):
    secret = tmp_path / "worker_survey.csv"
    secret.write_bytes(SECRET)
    html = (
        f'<html lang="en"><head><title>T</title></head><body>{"".join(_links(secret).values())}</body></html>'
    )
    with pytest.raises(_render.RefusedURL):  # a BaseException: WeasyPrint stops, never drops it
        write_pdf(layout(html))


def test_the_shipped_report_loads_only_fonts_and_data_uris(results, tmp_path, monkeypatch):
    asked = []

    def recording(url):
        asked.append(url)
        return allowed_url(url)

    monkeypatch.setattr(_render, "allowed_url", recording)
    pdf = render(results, style="munro", formats=["pdf"], out_dir=tmp_path)[0].read_bytes()
    assert pdf.startswith(b"%PDF")
    fonts = {f.as_uri() for f in bundled_fonts()}
    assert fonts & set(asked) and all(u in fonts or u.startswith("data:") for u in asked)
    assert all(allowed_url(f.as_uri()) for f in bundled_fonts())
    assert not allowed_url("file:///etc/hostname") and not allowed_url("https://example.org/a.css")


@pytest.mark.parametrize("how", ["include", "symlink"])
def test_a_template_cannot_include_a_data_file(results, tmp_path, how):
    """findings-q14 T1: ``{% include "worker_survey.csv" %}`` in a --templates folder holding the
    survey (or a link to it named .html) published every row, in the HTML and the PDF."""
    secret = tmp_path / "worker_survey.csv"
    secret.write_bytes(SECRET)
    custom = tmp_path / "tpl"
    custom.mkdir()
    name = "worker_survey.csv"
    if how == "include":
        (custom / name).write_bytes(SECRET)
    else:
        name = "notes.html"
        (custom / name).symlink_to(secret)
    (custom / "summary.html").write_text(f'<pre>{{% include "{name}" %}}</pre>', encoding="utf-8")
    out = tmp_path / "out"
    with pytest.raises(SpecError, match="only .html and .css files inside the templates folder"):
        render(results, style="munro", formats=["html"], out_dir=out, templates=custom)
    assert not any(b"SECRET-ANSWER" in p.read_bytes() for p in out.rglob("*") if p.is_file())
