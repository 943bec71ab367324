"""Finding B6 (b): with two adopters, one of which has no comparator in the data (Hackney with its
ten neighbours removed), ``report`` without --authority wrote an annual report about the adopter
that ``--authority`` refuses. The default annual report is the one --authority gives for the first
adopter that can be compared, and says so. Real DfE d3 file, Hackney's neighbours removed."""

from __future__ import annotations

import pandas as pd

from rsw_eval.cli import main
from tests.conftest import DFE, needs_dfe

D3 = "d3_cpps_subsequent_plan_2013_to_2025.csv"
NEIGHBOURS = "New_Statistical_Neighbour_Groupings_April_2021.csv"
HACKNEY_NEIGHBOURS = {"210", "208", "309", "209", "206", "320", "205", "306", "203", "308"}
SPEC = """title = "two adopters, one without comparators"
comparators = "statistical_neighbours"
designs = ["before_after", "did"]
post_years = 4
[unit_model]
204 = 2015
810 = 2016
[data]
neighbours = "{neighbours}"
admin = [{{ path = "d3_nohk.csv", value = {{ CPP_subsequent_percent = "cp_plans_repeat_pct" }} }}]
"""


@needs_dfe
def test_the_default_annual_report_is_the_first_adopter_that_can_be_compared(tmp_path, capsys):
    raw = pd.read_csv(DFE / D3, dtype=str, keep_default_na=False)
    raw[~raw["old_la_code"].isin(HACKNEY_NEIGHBOURS)].to_csv(tmp_path / "d3_nohk.csv", index=False)
    (tmp_path / NEIGHBOURS).symlink_to(DFE / NEIGHBOURS)
    spec = tmp_path / "spec.toml"
    spec.write_text(SPEC.format(neighbours=NEIGHBOURS))
    args = ["report", str(tmp_path), "--spec", str(spec), "--style", "annual", "--format", "html"]
    assert main([*args, "--out", str(tmp_path / "default")]) == 0
    err = capsys.readouterr().err
    assert "the annual report is about E06000010, the first unit-model authority that can be compared" in err
    assert "E09000012: none of the statistical neighbours of Hackney" in err
    default = (tmp_path / "default" / "annual.html").read_text()
    assert main([*args, "--authority", "810", "--out", str(tmp_path / "hull")]) == 0
    hull = (tmp_path / "hull" / "annual.html").read_text()
    assert "Kingston upon Hull, City of: children&#39;s social care, annual report" in default
    assert default == hull  # one authority, one report, whichever way it is asked for
    assert main([*args, "--authority", "204", "--out", str(tmp_path / "hackney")]) == 2  # refused, as before
