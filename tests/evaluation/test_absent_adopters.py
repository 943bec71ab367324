"""Adopters the data do not hold are said, never dropped in silence (finding B8, real d3 file)."""

from __future__ import annotations

from rsw_eval.cli import main
from tests.conftest import DFE, needs_dfe

SPEC = """comparators = "statistical_neighbours"
designs = ["did"]
[unit_model]
810 = 2016
{more}
[data]
neighbours = "{dfe}/New_Statistical_Neighbour_Groupings_April_2021.csv"
admin = [ {{ path = "{dfe}/{d3}", value = {{ CPP_subsequent_percent = "repeat_pct" }} }} ]
"""


def _run(tmp_path, capsys, more: str, *units: str) -> tuple[int, str]:
    spec = tmp_path / "spec.toml"
    text = SPEC.format(more=more, dfe=DFE, d3="d3_cpps_subsequent_plan_2013_to_2025.csv")
    spec.write_text(text if "810" in units else text.replace("810 = 2016\n", ""))
    status = main(
        ["compare", str(DFE), "--spec", str(spec), "--format", "csv", "--out", str(tmp_path / "r.csv")]
    )
    return status, capsys.readouterr().err


@needs_dfe
def test_an_adopter_the_data_do_not_hold_is_a_skip_record_and_a_warning(tmp_path, capsys):
    status, err = _run(tmp_path, capsys, "999 = 2016\nW06000015 = 2014", "810")
    assert status == 0
    assert "2 skipped" in err
    for code in ("999", "W06000015"):
        assert (
            f"rsw-eval: warning: unit_model: {code} (no English local authority has this code): "
            "in none of the data" in err
        )
        assert f"rsw-eval: not estimated: : {code} (no English" in err


@needs_dfe
def test_no_adopter_in_the_data_is_an_error(tmp_path, capsys):
    status, err = _run(tmp_path, capsys, "999 = 2016\nW06000015 = 2014")
    assert status == 2
    assert "none of unit_model (999, W06000015) is in the administrative data" in err
