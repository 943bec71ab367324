"""Evaluation spec: TOML, validation with suggestions, path resolution."""

from __future__ import annotations

import pytest

from rsw_eval import SpecError
from rsw_eval.spec import EvaluationSpec, default_sample_spec, load_spec
from tests.conftest import SAMPLE


def _toml(tmp_path, text):
    path = tmp_path / "spec.toml"
    path.write_text(text)
    return path


def test_paths_resolve_relative_to_the_spec_file(tmp_path):
    (tmp_path / "data").mkdir()
    spec = load_spec(_toml(tmp_path, 'unit_model = ["E09000012"]\n[data]\ncosts = "data/c.csv"\n'))
    assert spec.path("costs") == tmp_path.resolve() / "data" / "c.csv"


def test_a_spec_saved_with_a_byte_order_mark_is_read(tmp_path):
    """att12 M7: Notepad's UTF-8 byte-order mark made the spec "not valid TOML" at line 1,
    column 1, while a CSV with one is read."""
    path = tmp_path / "spec.toml"
    path.write_bytes('\ufeffunit_model = ["E09000012"]\n[data]\ncosts = "c.csv"\n'.encode())
    assert load_spec(path).unit_model == ("E09000012",)


def test_unknown_key_suggests_the_right_one(tmp_path):
    path = _toml(tmp_path, 'unit_modle = ["E09000012"]\n[data]\ncosts = "c.csv"\n')
    with pytest.raises(
        SpecError,
        match=r"unknown key 'unit_modle' \(did you mean 'unit_model'\?\); "
        r"valid keys: title, unit_model",
    ):
        load_spec(path)


def test_unknown_data_key(tmp_path):
    with pytest.raises(SpecError, match=r"unknown key \[data\] 'cost' \(did you mean 'costs'\?\)"):
        load_spec(_toml(tmp_path, '[data]\ncost = "c.csv"\n'))


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ('confidence = 95\n[data]\ncosts = "c"\n', r"confidence must be a float in \(0, 1\). Got 95"),
        (
            'adjust = "holms"\n[data]\ncosts = "c"\n',
            r"adjust must be one of stepdown, holm, bh, none. Got 'holms' "
            r"\(did you mean 'holm'\?\)",
        ),
        ('comparators = "statistical_neighbours"\n[data]\ncosts = "c"\n', "needs \\[data\\] neighbours"),
        ('before_after = [[2010, 2006]]\n[data]\ncosts = "c"\n', r"must be \[earlier, later\]"),
        ('title = "x"\n', "the spec names no data"),
        ("title = \n", "not valid TOML"),
        # q11in Q20: a reversed cost_years flipped the sign of the published cost change
        ('cost_years = [2010, 2009]\n[data]\ncosts = "c"\n', r"cost_years must be \[earlier, later\]"),
        ('cost_years = [2009, 2009]\n[data]\ncosts = "c"\n', r"Got \[2009, 2009\]"),
        (
            'intervention_year = 1066\n[data]\ncosts = "c"\n',
            r"intervention_year: 1066 is not a year .* 1990-2100",
        ),
        ('baseline_year = 2999\n[data]\ncosts = "c"\n', r"baseline_year: 2999 is not a year"),
        ('cost_years = [1066, 2010]\n[data]\ncosts = "c"\n', r"cost_years: 1066 is not a year"),
        ('before_after = [[1066, 2010]]\n[data]\ncosts = "c"\n', r"before_after: 1066 is not a year"),
        (
            '[unit_model]\nE09000012 = 1066\n[data]\ncosts = "c"\n',
            r"unit_model.E09000012: 1066 is not a year",
        ),
        ('seed = -1\n[data]\ncosts = "c"\n', r"seed must be a whole number >= 0. Got -1"),
    ],
    ids=[
        "confidence",
        "adjust",
        "neighbours",
        "period-order",
        "no-data",
        "toml",
        "cost-years-reversed",
        "cost-years-equal",
        "intervention-year-range",
        "baseline-year-range",
        "cost-years-range",
        "before-after-range",
        "adoption-year-range",
        "seed-negative",
    ],
)
def test_invalid_specs(tmp_path, text, match):
    with pytest.raises(SpecError, match=match):
        load_spec(_toml(tmp_path, text))


def test_missing_spec_file(tmp_path):
    with pytest.raises(SpecError, match="the spec file does not exist"):
        load_spec(tmp_path / "nope.toml")


def test_bundled_sample_spec_points_at_the_sample():
    spec = default_sample_spec(SAMPLE)
    assert spec.synthetic and spec.path("worker_survey").is_file()
    assert spec.periods[0] == (2006, 2009)


def test_with_options_keeps_unset_values():
    spec = EvaluationSpec(data={"costs": "c.csv"})
    assert spec.with_options(confidence=0.9, adjust=None).adjust == "stepdown"
    assert spec.with_options(confidence=0.9).confidence == 0.9


@pytest.mark.parametrize(
    ("text", "match"),
    [
        (
            '[data]\nssda903 = { header = "h.csv" }\n',
            r"\[data.ssda903\] needs header, episodes, year and "
            r"la_code; missing episodes, year, la_code",
        ),
        ('[data]\nadmin = [{ kind = "dfe" }]\n', r"each \[data\] admin entry is a path or a table with path"),
        ("[data]\nworker_survey = 5\n", r"\[data\] worker_survey must be a path \(text\). Got 5"),
        ('confidence = "high"\n[data]\ncosts = "c"\n', "confidence must be a number. Got 'high'"),
        ('seed = "x"\n[data]\ncosts = "c"\n', "seed must be a whole number. Got 'x'"),
    ],
    ids=["ssda903-keys", "admin-path", "data-type", "confidence-type", "seed-type"],
)
def test_malformed_specs_found_by_a_sweep(tmp_path, text, match):
    # each of these crashed with a traceback before the sweep of malformed specs
    with pytest.raises(SpecError, match=match):
        load_spec(_toml(tmp_path, text))


_DATA = '[data]\ncosts = "c"\n'


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ('[derived]\nr = "a / (b"\n', r"derived.r: 'a / \(b' is not a valid expression"),
        ('[derived]\nr = "open(a)"\n', r"derived.r: 'open\(a\)' is not arithmetic on indicator names"),
        ('[derived]\nr = "a ** 2"\n', r"derived.r: 'a \*\* 2' is not arithmetic"),
        ('[derived]\nr = "a.real / b"\n', r"derived.r: .* found 'a.real'"),
        ('[derived]\nr = "r / b"\n', r"derived.r: the expression uses 'r' itself"),
        ('[derived]\nr = "2 * 3"\n', r"derived.r: '2 \* 3' names no indicator"),
        ("[derived]\nr = 5\n", r"derived.r: the expression must be text"),
        ('[derived.r]\nexpr = "a / b"\nlag = { c = 1 }\n', r"derived.r.lag: 'c' is not in the expression"),
        ('[derived.r]\nexpr = "a / b"\nlag = { b = -1 }\n', r"derived.r.lag.b must be a whole number"),
        (
            '[derived.r]\nexpr = "a / b"\nprefer = "new"\n',
            r"derived.r.prefer must be one of published, derived",
        ),
        (
            '[derived.r]\nexpression = "a / b"\n',
            r"derived.r: unknown key 'expression'; valid keys: expr, lag",
        ),
        ('vintage_order = "a.csv"\n', r"vintage_order must be a list of file names"),
    ],
    ids=[
        "syntax",
        "call",
        "power",
        "attribute",
        "self",
        "no-indicator",
        "not-text",
        "lag-unknown",
        "lag-negative",
        "prefer",
        "unknown-key",
        "vintage-order",
    ],
)
def test_derived_and_vintage_errors_name_the_key_path(tmp_path, text, match):
    with pytest.raises(SpecError, match=match):
        load_spec(_toml(tmp_path, text + _DATA))


def test_derived_table_form_with_lag(tmp_path):
    text = (
        'vintage_order = ["old.csv", "new.csv"]\n[derived]\nsick = "days / fte"\n'
        '[derived.rate]\nexpr = "cla / pop * 10000"\nlag = { pop = 1 }\n' + _DATA
    )
    spec = load_spec(_toml(tmp_path, text))
    sick, rate = spec.derived_indicators
    assert (sick.name, sick.inputs, sick.source) == ("sick", ("days", "fte"), "derived: days / fte")
    assert rate.source == "derived: cla / pop * 10000 (pop of year - 1)"
    assert spec.vintage_order == ("old.csv", "new.csv")


def test_windows_as_numbers_of_years_or_year_pairs():
    """Issue 18: pre_years/post_years, counted from each adopter's own year or as calendar years."""
    spec = load_spec(
        {"unit_model": {"A": 2008, "B": 2016}, "pre_years": 3, "post_years": 5, "data": {"admin": ["p.csv"]}}
    )
    assert spec.window("A") == (range(2005, 2008), range(2008, 2013))
    assert spec.window("B") == (range(2013, 2016), range(2016, 2021))
    assert spec.window("C") is None  # not an adopter
    pairs = load_spec(
        {
            "unit_model": {"A": 2008},
            "pre_years": [2004, 2006],
            "post_years": [2008, 2012],
            "data": {"admin": ["p"]},
        }
    )
    assert pairs.window("A") == (range(2004, 2007), range(2008, 2013))  # 2007 left out
    default = load_spec({"unit_model": {"A": 2008}, "data": {"admin": ["p.csv"]}})
    assert default.window("A") == (range(1900, 2008), range(2008, 2101))  # every year the data hold


@pytest.mark.parametrize(
    ("keys", "match"),
    [
        ({"pre_years": 0}, "pre_years must be a number of years"),
        ({"post_years": [2012, 2008]}, r"post_years must be a number of years or \[first, last\]"),
        (
            {"pre_years": [2004, 2016]},
            r"pre_years = \[2004, 2016\] is not before the adoption year of A \(2008\)",
        ),
        (
            {"post_years": [2009, 2012]},
            r"post_years = \[2009, 2012\] is not from the adoption year of B \(2016\)",
        ),
        ({"post_years": "five"}, "post_years must be a number of years"),
    ],
)
def test_a_window_that_does_not_fit_an_adopter_is_refused(keys, match):
    with pytest.raises(SpecError, match=match):
        load_spec({"unit_model": {"A": 2008, "B": 2016}, "data": {"admin": ["p.csv"]}, **keys})


def test_an_authority_can_be_given_an_adoption_year():
    spec = load_spec({"unit_model": {"204": 2008}, "data": {"admin": ["p.csv"]}})
    assert spec.adoption_year("E09000012") == 2008 and spec.adoption_year("204") == 2008
    assert spec.adoption_year("E09000008") is None  # Croydon: not an adopter
    croydon = spec.with_adopter("306", 2019)
    assert croydon.adoption_year("E09000008") == 2019 and croydon.adoption_year("204") == 2008
    assert spec.with_adopter("E09000012", 2008).unit_model == spec.unit_model  # no duplicate


def test_adoption_year_needs_authority_on_the_command_line(capsys):
    from rsw_eval.cli import main

    assert main(["compare", str(SAMPLE), "--adoption-year", "2019"]) == 2
    assert "--adoption-year needs --authority" in capsys.readouterr().err


@pytest.mark.parametrize(
    "unit",
    [
        "[unit_model]\n210 = 2016\nE09000028 = 2018\n",  # a table would keep 2018 in silence
        'unit_model = ["204", "E09000012"]\n',  # a list would run Hackney twice
    ],
)
def test_an_authority_listed_twice_in_unit_model_is_refused(tmp_path, unit):
    path = tmp_path / "spec.toml"
    path.write_text(unit + '[data]\nadmin = "panel.csv"\n')
    with pytest.raises(SpecError, match="unit_model lists E09000... twice"):
        load_spec(path)


@pytest.mark.parametrize("key", ["comparators", "donors"])
def test_an_authority_listed_twice_among_comparators_or_donors_is_refused(tmp_path, key):
    """repro-authority2/oddcomp.toml: Lambeth as 208 and E09000022 was "3 comparators" for two
    authorities, weighed double in the comparators' mean and counted as two placebos (p 0.25 where
    it is 0.33)."""
    path = tmp_path / "spec.toml"
    path.write_text(
        f'unit_model = ["210"]\n{key} = ["208", "306", "E09000022"]\n[data]\nadmin = "panel.csv"\n'
    )
    with pytest.raises(SpecError, match=f"{key} lists E09000022 twice"):
        load_spec(path)


def test_a_top_level_option_below_unit_model_is_refused_by_name():
    """TOML puts a key written below ``[unit_model]`` into that table: ``neighbours_model = 2025``
    was read as an authority adopting in 2025 and the option silently ignored."""
    with pytest.raises(SpecError, match=r"unit_model\.neighbours_model: .*put it above"):
        load_spec({"unit_model": {"204": 2008, "neighbours_model": 2025}})


@pytest.mark.parametrize("expr", ["adoptions / 0", "adoptions / (2 - 2)", "(adoptions + 1) / (0 * 5)"])
def test_a_formula_dividing_by_zero_is_refused(expr):
    """att14 2: ``q = "adoptions / 0"`` ran with exit 0, q missing in every year, said nowhere."""
    from rsw_eval.spec._derived import parse_derived

    with pytest.raises(SpecError, match="divides by 0"):
        parse_derived({"q": expr})
