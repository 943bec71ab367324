"""A published claim read from a row the protection suppresses shows ``c``, whatever its kind and
status (findings q11disc Z5: ``violence_lower`` printed the suppressed row's risk difference)."""

from __future__ import annotations

import html
import json
import re
import shutil

import numpy as np
import pandas as pd
import pytest

from rsw_eval.cli import main
from rsw_eval.publication._publication import SUPPRESSED, _published
from rsw_eval.published import PUBLISHED, match_published
from tests.conftest import SAMPLE

HACKNEY = "E09000012"
_CLAIMS = [f for f in PUBLISHED if f.kind != "unmeasured"]


def _claim_row(fig, valid: bool) -> dict:
    """A results row that makes ``fig``'s claim and holds it, with a valid test or comparing places."""
    row = {k: (v[:-1] + "x" if isinstance(v, str) and v.endswith("*") else v) for k, v in fig.match.items()}
    held = {"range": fig.low, "below": fig.value - 1, "above": fig.value + 1}.get(fig.kind, fig.value)
    values = {"effect_size": np.nan, "value_treatment": 0.4, "value_comparison": 0.3, fig.column: held}
    return {
        "design": "",
        "outcome": "",
        "comparison": "",
        "period": "",
        "treatment": f"Hackney ({HACKNEY})" if fig.la_code else "Unit-model LA",
        **row,
        **values,
        "p_value": 0.01,
        "p_adjusted": 0.01 if valid else np.nan,
        "question": "worker" if valid else "places",
        "published_key": "",
        "published_value": "",
        "published_source": "",
        "reproduced": None,
    }


@pytest.mark.parametrize("valid", [True, False], ids=["valid-test", "places"])
@pytest.mark.parametrize("fig", _CLAIMS, ids=[f.key for f in _CLAIMS])
def test_every_claim_read_from_a_suppressed_row_shows_c(fig, valid):
    raw, published = match_published(pd.DataFrame([_claim_row(fig, valid)]), context={"cost_scope": "csc"})
    got = published.set_index("key").loc[fig.key]
    assert got["matched_rows"] == 1 and got["reproduced_value"] not in ("", SUPPRESSED)
    protected = raw.assign(**{fig.column: np.nan})  # the protection hid the value the claim reads
    shown = _published(published, raw, protected).set_index("key").loc[fig.key]
    assert shown["reproduced_value"] == SUPPRESSED and shown["reproduced"] is None
    assert shown["status"] == "not shown (small numbers)"
    kept = _published(published, raw, raw).set_index("key").loc[fig.key]  # nothing hidden: shown
    assert kept["reproduced_value"] == got["reproduced_value"]


def _z5_data(tmp_path):
    """The sample with the reproducer's survey: 3 of the unit-model authority's 100 workers, 2 and 40
    of the comparators', experienced violence (a yes/no outcome of the claim violence_lower)."""
    data = tmp_path / "data"
    shutil.copytree(SAMPLE, data)
    survey = pd.read_csv(data / "worker_survey.csv", dtype=str)
    yes = {"Unit-model LA": 3, "Comparator LA 1": 2, "Comparator LA 2": 40}
    rank = survey.groupby("authority").cumcount()
    survey["experienced_violence"] = np.where(rank < survey["authority"].map(yes), "yes", "no")
    survey.to_csv(data / "worker_survey.csv", index=False)
    return data


def test_a_direction_claim_on_a_suppressed_survey_row_shows_c_in_stdout_json_and_munro(tmp_path, capsys):
    data = _z5_data(tmp_path)
    assert main(["compare", str(data), "--out", str(tmp_path / "r.json")]) == 0
    out = capsys.readouterr().out
    line = next(x for x in out.splitlines() if x.strip().startswith("violence_lower"))
    assert re.search(r"violence_lower\s+lower\s+c\s+not shown \(small numbers\)", line), line
    assert re.search(r"stress_lower\s+lower\s+-?\d", out)  # a claim on a shown row keeps its value
    published = {p["key"]: p for p in json.loads((tmp_path / "r.json").read_text())["published"]}
    assert published["violence_lower"]["reproduced_value"] == SUPPRESSED
    assert published["violence_lower"]["status"] == "not shown (small numbers)"
    assert (
        main(["report", str(data), "--style", "munro", "--format", "html", "--out", str(tmp_path / "rep")])
        == 0
    )
    page = html.unescape(re.sub(r"<[^>]+>", " ", (tmp_path / "rep" / "munro.html").read_text()))
    page = re.sub(r"\s+", " ", page)
    assert "Less violence and aggression from parents 2013 lower c not shown (small numbers)" in page
