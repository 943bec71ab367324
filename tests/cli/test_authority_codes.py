"""Finding A9 (d, e) on the real DfE files: ``--adoption-year`` never re-dates an adopter the
spec lists, and ``--authority`` takes a GSS code in any case and a DfE number with leading zeros."""

from __future__ import annotations

import pytest

from rsw_eval.cli import main
from rsw_eval.io._lacodes import gss_code
from tests.conftest import DFE, ROOT, needs_dfe

INNOVATION = ROOT / "docs" / "examples" / "innovation_programme.toml"
SMALL = """
title = "Southwark, before and after"
comparators = "statistical_neighbours"
designs = ["before_after"]
post_years = 3
[unit_model]
210 = 2016
[data]
neighbours = "{dfe}/New_Statistical_Neighbour_Groupings_April_2021.csv"
[[data.admin]]
path = "{dfe}/d3_cpps_subsequent_plan_2013_to_2025.csv"
value = {{ CPP_start = "cp_plans_started" }}
"""


@needs_dfe
def test_adoption_year_never_replaces_the_specs_year(capsys):
    """`--adoption-year 2018 --authority 210` silently ran Southwark from 2018 against the spec's 2016."""
    code = main(
        ["compare", str(DFE), "--spec", str(INNOVATION), "--authority", "210", "--adoption-year", "2018"]
    )
    err = capsys.readouterr().err
    assert code == 2 and "the spec gives E09000028 adoption year 2016; --adoption-year 2018" in err
    assert "Traceback" not in err


@pytest.mark.parametrize("given", ["e09000028", "0210", " 210 ", "E09000028"])
def test_an_authority_code_in_any_case_or_with_leading_zeros(given):
    assert gss_code(given) == "E09000028"


@needs_dfe
@pytest.mark.parametrize("given", ["e09000028", "0210"])
def test_the_command_line_takes_the_same_codes(given, tmp_path, capsys):
    """`--authority e09000028` and `--authority 0210` were 'not in the administrative data'."""
    spec = tmp_path / "spec.toml"
    spec.write_text(SMALL.format(dfe=DFE))
    out = tmp_path / "out.csv"
    code = main(["compare", str(DFE), "--spec", str(spec), "--authority", given, "--out", str(out)])
    assert code == 0, capsys.readouterr().err
    assert "Southwark (E09000028)" in out.read_text()
