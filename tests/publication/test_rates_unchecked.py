"""A guarded rate no denominator of the panel explains (findings q4disc Q6): real d3 with a council's
own percentage of repeat plans and no plans-started column gave 3 back with DfE's published
``CPP_start``. Such a rate is not called guarded: ``rates_unchecked`` says why, and a named one is
withheld until it is declared."""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from rsw_eval.disclosure import rule_set
from rsw_eval.inputs import load_inputs
from rsw_eval.publication import count_rules, protect_inputs
from rsw_eval.spec import load_spec
from tests.publication._data import TREATED, Panel
from tests.publication.test_rate_escapes import _protect

#: synthetic panels of a few authorities under DfE's file names (tests/conftest.py); the real
#: files loaded below hold every authority, so the rule changes nothing for them
pytestmark = pytest.mark.usefixtures("small_releases")

DFE = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "dfe"


def _own_percentage(name: str, with_counts: bool = False, scale: float = 100) -> pd.DataFrame:
    """The tests' panel with a council's percentage of repeat plans (3 at the treated authority in
    2012) over plans started (per ``scale``), both counts left out of the file unless ``with_counts``."""
    frame = Panel({(TREATED, 2012, "repeats"): 3.0}, extra={"starts": 150, "repeats": 30}).frame()
    wide = frame.pivot_table(index=["la_code", "la_name", "year"], columns="indicator", values="value")
    pct = np.round(wide["repeats"] / wide["starts"] * scale, 1).rename("value").reset_index()
    out = pd.concat([frame, pct.assign(indicator=name)[frame.columns]], ignore_index=True)
    return out if with_counts else out[~out["indicator"].isin(["starts", "repeats"])]


def test_a_named_rate_no_denominator_explains_is_withheld_and_said():
    out, said = _protect(_own_percentage("own_repeat_pct"))
    assert list(said["rates_unchecked"]) == ["own_repeat_pct"]
    assert "own_repeat_pct" not in said["rates_guarded"]  # not called protected
    assert "no denominator in the data fits own_repeat_pct" in said["warned"]
    assert "declare it in rates with its denominator, or in not_counts" in said["warned"]
    assert out.loc[out["indicator"] == "own_repeat_pct", "value"].isna().all()


@pytest.mark.parametrize("with_counts", [False, True], ids=["alone", "with_counts"])
def test_a_percentage_without_its_rate_word_no_denominator_explains_is_withheld(with_counts):
    """findings-q8disc L2: the council's own percentage of repeat plans named ``own_repeat`` (no rate
    word), loaded alone, was published whole; x DfE's published plans started it gave 5 of 5 planted
    counts back on real d3. Guarded by its values, no denominator explaining it and every value from
    0 to 100 (a percentage's shape), it is withheld as a named one is, and said."""
    frame = _own_percentage("own_repeat", with_counts=with_counts)
    out, said = _protect(frame[frame["indicator"] != "starts"])
    assert list(said["rates_unchecked"]) == ["own_repeat"]
    assert "own_repeat" not in said["rates_guarded_by_value"]
    assert "withheld (every value hidden) until then" in said["rates_unchecked"]["own_repeat"]
    assert out.loc[out["indicator"] == "own_repeat", "value"].isna().all()


def test_a_caseload_no_denominator_explains_is_not_withheld():
    """A caseload (its unit word in the name) of 15-25 at 1 dp has a percentage's shape but is no
    share of a count: published, not withheld (nor hidden with every small count of its year)."""
    frame = _own_percentage("caseload")
    out, said = _protect(frame)
    assert list(said["rates_unchecked"]) == ["caseload"]
    assert out.loc[out["indicator"] == "caseload", "value"].notna().all()


@pytest.mark.parametrize("name", ["own_repeat", "uasc_children", "cp_2_or_more_years", "repeat_mean_score"])
@pytest.mark.parametrize("with_counts", [False, True], ids=["alone", "with_counts"])
def test_a_column_guarded_by_its_values_no_denominator_explains_is_withheld_whatever_its_shape(
    name, with_counts
):
    """findings-q8disc L1, q10disc Y1, q11disc Z3: a council's rate of repeat plans per 1,000 (values
    beyond 100: no percentage's shape) without its rate word took rule 1 only, and a rate per 100,000
    named ``uasc_children`` with no count loaded had no hidden count to follow: x ONS's population it
    gave 12 of 12 planted counts back. Without a unit of an amount in its name, it is withheld, a
    mean or a score too, and said."""
    frame = _own_percentage(name, with_counts=with_counts, scale=1000)
    out, said = _protect(frame[frame["indicator"] != "starts"])
    assert list(said["rates_unchecked"]) == [name]
    assert "withheld (every value hidden) until then" in said["rates_unchecked"][name]
    assert out.loc[out["indicator"] == name, "value"].isna().all()


def test_with_its_count_and_denominator_loaded_the_rate_is_guarded_not_withheld():
    out, said = _protect(_own_percentage("own_repeat_pct", with_counts=True))
    assert said["rates_unchecked"] == {} and said["rates_guarded"] == ["own_repeat_pct"]
    here = out[(out["la_code"] == TREATED) & (out["year"] == 2012)].set_index("indicator")["value"]
    assert np.isnan(here["own_repeat_pct"]) and np.isnan(here["repeats"])
    assert out.loc[out["indicator"] == "own_repeat_pct", "value"].notna().sum() >= 85


def test_not_counts_publishes_a_rate_no_denominator_explains():
    out, said = _protect(_own_percentage("own_repeat_pct"), not_counts=("own_repeat_pct",))
    assert said["rates_unchecked"] == {}
    assert out.loc[out["indicator"] == "own_repeat_pct", "value"].notna().all()


@pytest.mark.parametrize("digits", [0, 1])
def test_a_council_rate_per_10k_of_a_count_it_loads_is_not_withheld(digits):
    """A council's own looked-after rate per 10,000 (0 or 1 dp) beside its count and population:
    explained by them (even where the precision is too coarse to test the population alone)."""
    frame = Panel().frame()
    wide = frame.pivot_table(index=["la_code", "la_name", "year"], columns="indicator", values="value")
    rate = wide["children_looked_after"] / wide["population_0_17"] * 10_000
    rate = np.round(rate, digits).rename("value").reset_index().assign(indicator="own_cla_rate_per_10k")
    out, said = _protect(pd.concat([frame, rate[frame.columns]], ignore_index=True))
    assert said["rates_unchecked"] == {}
    assert out.loc[out["indicator"] == "own_cla_rate_per_10k", "value"].notna().all()


@pytest.mark.skipif(not DFE.is_dir(), reason="the real DfE files (../shared/data/dfe) are absent")
@pytest.mark.parametrize("loaded", [True, False], ids=["with_cpp_start", "percentage_only"])
def test_real_d3_own_percentage(loaded):
    """Real d3 with the percentage renamed as a council's own: with plans started loaded it is
    guarded (published where it gives no small count); loaded alone it is withheld and said."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "x.csv").symlink_to(DFE / "d3_cpps_subsequent_plan_2013_to_2025.csv")
        value = 'CPP_subsequent_percent = "own_repeat_pct"' + (
            ', CPP_start = "starts", CPP_subsequent = "repeats"' if loaded else ""
        )
        admin = f'admin = [{{ path = "x.csv", value = {{ {value} }} }}]'
        (folder / "spec.toml").write_text(f'title = "t"\ndesigns = ["before_after"]\n[data]\n{admin}\n')
        spec = load_spec(folder / "spec.toml")
        inputs = load_inputs(spec, {"admin"})
        with pytest.warns(Warning):
            rules, said = count_rules(spec, inputs.panel, rule_set())
        out = protect_inputs(inputs, rules)[0].panel
    column = out["indicator"] == "own_repeat_pct"
    hidden = int((column & out["value"].isna() & inputs.panel["value"].notna()).sum())
    if loaded:
        assert said["rates_unchecked"] == {} and "own_repeat_pct" in said["rates_guarded"]
        assert hidden <= 0.01 * column.sum()
    else:
        assert list(said["rates_unchecked"]) == ["own_repeat_pct"]
        assert hidden == int((column & inputs.panel["value"].notna()).sum())


#: a file name of DfE's release of plans by duration and repeat plans (the registry knows it)
D3 = "d3_cpps_subsequent_plan_2013_to_2025.csv"
#: the tests' years moved into DfE's releases' (2004-2016 -> 2013-2025)
SHIFT = 9


def _released(frame: pd.DataFrame, source: str, first: int = 2013) -> pd.DataFrame:
    """The tests' panel as DfE's release of ``source`` prints it: its years moved into the release's
    (from ``first`` to 2025), a count from 1 to 5 printed c (q13disc R4: a file that prints one
    is no DfE release)."""
    out = frame.assign(year=frame["year"] + SHIFT, source=source, flag="")
    out = out[out["year"] >= first].copy()
    count = ~out["indicator"].str.contains("percent|pct") & out["value"].between(1, 5)
    out.loc[count, "value"] = np.nan
    out.loc[count, "flag"] = "c"
    return out


@pytest.mark.parametrize("starts", [True, False], ids=["with_starts", "numerator_only"])
def test_a_rate_under_dfe_s_own_column_name_is_guarded_not_skipped_nor_withheld(starts):
    """findings-q8disc L0: DfE's own column names of its rates (CPP_subsequent_percent) were skipped
    as known, so a council's extract with them published 1.8% beside a suppressed 4 of 227 plans.
    They are guarded as any undeclared rate is; a council's own, no denominator of the data
    explaining it, is withheld (q12disc Q1)."""
    frame = _own_percentage("CPP_subsequent_percent", with_counts=True)
    out, said = _protect(frame if starts else frame[frame["indicator"] != "starts"])
    here = out[(out["la_code"] == TREATED) & (out["year"] == 2012)].set_index("indicator")["value"]
    assert np.isnan(here["repeats"]) and np.isnan(here["CPP_subsequent_percent"])
    if starts:
        assert said["rates_unchecked"] == {} and "CPP_subsequent_percent" in said["rates_guarded"]
        assert out.loc[out["indicator"] == "CPP_subsequent_percent", "value"].notna().mean() > 0.9
    else:
        assert list(said["rates_unchecked"]) == ["CPP_subsequent_percent"]


def test_dfe_s_release_under_its_own_names_is_guarded_and_never_withheld():
    """DfE's d3 as DfE prints it (c for a count from 1 to 5 and for its percentage), plans started
    not loaded: published as DfE published it, guarded, not withheld."""
    names = {"repeats": "CPP_subsequent", "starts": "CPP_start"}
    frame = _released(_own_percentage("CPP_subsequent_percent", with_counts=True), D3, first=2004)
    frame = frame.assign(indicator=frame["indicator"].replace(names))
    suppressed = frame[(frame["indicator"] == "CPP_subsequent") & (frame["flag"] == "c")]
    pct = frame["indicator"] == "CPP_subsequent_percent"
    hit = pct & frame.set_index(["la_code", "year"]).index.isin(
        suppressed.set_index(["la_code", "year"]).index
    )
    frame.loc[hit, ["value", "flag"]] = [np.nan, "c"]
    out, said = _protect(frame[frame["indicator"] != "CPP_start"])
    assert said["rates_unchecked"] == {} and "CPP_subsequent_percent" in said["rates_guarded"]
    assert out.loc[pct & ~hit, "value"].notna().mean() > 0.9
    frame.loc[hit, ["value", "flag"]] = [1.8, ""]  # a council's figure beside DfE's c: not DfE's file
    _, said = _protect(frame[frame["indicator"] != "CPP_start"])
    assert list(said["rates_unchecked"]) == ["CPP_subsequent_percent"]


def test_an_fte_guarded_by_its_values_no_denominator_explains_keeps_rule_2_only():
    """An FTE or an amount (a unit word in its name) is no council percentage: the L1 rule 1 is not
    applied to it, so it is not hidden wherever any count of its year is."""
    frame = _own_percentage("leavers_fte", with_counts=True)
    # above t (1.8 would be at most the small count beside it in nine in ten authority-years,
    # and an FTE bounded so goes with it: _fte, att7 D)
    frame.loc[frame["indicator"] == "leavers_fte", "value"] *= 10
    out, said = _protect(frame[frame["indicator"] != "starts"])
    here = out[(out["la_code"] == TREATED) & (out["year"] == 2012)].set_index("indicator")["value"]
    assert np.isnan(here["repeats"]) and not np.isnan(here["leavers_fte"])


def test_a_dfe_rate_outside_the_dashboard_loaded_alone_is_guarded_not_withheld():
    """findings-q8disc G1: DfE's own percentages the dashboard does not use (the duration shares of
    plans at 31 March) loaded without their counts were withheld whole; DfE publishes them."""
    out, said = _protect(_released(_own_percentage("3_months_or_less_percent"), "d5_cpps_at31march.csv"))
    assert said["rates_unchecked"] == {} and "3_months_or_less_percent" in said["rates_guarded"]
    assert out.loc[out["indicator"] == "3_months_or_less_percent", "value"].notna().mean() > 0.9


@pytest.mark.parametrize(
    "name", ["CPP_subsequent_percent", "3_months_or_less_percent", "cp_plans_repeat_pct"]
)
@pytest.mark.parametrize("starts", [True, False], ids=["numerator_too", "alone"])
def test_a_council_s_own_file_under_dfe_s_rate_names_is_not_taken_for_dfe_s_release(name, starts):
    """findings-q12disc Q1, Q2b: a council's own return in DfE's layout, under DfE's (or the
    dashboard's) rate names and with the values DfE suppresses, was published as DfE's release
    would be: 13 of 13 planted counts came back x DfE's published plans started. Only a file the
    release registry knows is DfE's; a council's own rate no denominator of its data explains is
    withheld and said, as any council rate is."""
    frame = _own_percentage(name, with_counts=True).assign(source="panel.csv")
    mine = ~frame["indicator"].isin(["starts", "cp_plans_started"]) if starts else frame["indicator"] == name
    out, said = _protect(frame[mine])
    assert list(said["rates_unchecked"]) == [name] and said["rates_dfe_unexplained"] == []
    assert "withheld (every value hidden) until then" in said["rates_unchecked"][name]
    assert (
        "a DfE file renamed, or cut to a few authorities, is read as a council's own"
        in (said["rates_unchecked"][name])
    )
    shown = out.loc[out["indicator"] == name, "value"]
    assert shown[shown != 0].isna().all()


@pytest.mark.skipif(not DFE.is_dir(), reason="the real DfE files (../shared/data/dfe) are absent")
def test_real_workforce_rates_without_their_denominators_are_not_withheld():
    """findings-q8disc G1 on the real census: the headcount and cover rates beside in-post FTE only
    were withheld (4,318 of 5,779 values hidden); they are DfE's, guarded, and all but a few shown."""
    rates = ["agency_rate_headcount", "turnover_rate_headcount", "agency_cover_rate_fte"]
    value = "[" + ", ".join(f'"{c}"' for c in ["inpost_fte", *rates]) + "]"
    raw, out, said = _real("csww_indicators_2017_to_2025.csv", value)
    assert said["rates_unchecked"] == {} and set(rates) <= set(said["rates_guarded"])
    shown = out["indicator"].isin(rates) & raw["value"].notna()
    assert int((shown & out["value"].isna()).sum()) <= 0.01 * shown.sum()


@pytest.mark.skipif(not DFE.is_dir(), reason="the real DfE files (../shared/data/dfe) are absent")
def test_real_council_rate_per_10k_with_its_count_and_population_loses_nothing():
    """findings-q8disc G3: DfE's looked-after rate per 10,000 (0 dp) renamed as a council's own, its
    count and population loaded, lost its values near 100: read as a percentage of children looked
    after, which 0 dp cannot tell, 99 of 598 left a "rest" of 3 to 9. The population explains it
    exactly, so rule 2 reads it against that only."""
    value = '{ children_count = "children_looked_after", population_estimate = "population_0_17", '
    value += 'rate_per_10000 = "own_cla_rate_per_10k" }'
    filters = '{ population_type = "Children looked after on 31 March each year" }'
    raw, out, said = _real("cla_number_and_rate_per_10k_children.csv", value, filters)
    assert said["rates_unchecked"] == {} and "own_cla_rate_per_10k" in said["rates_guarded"]
    shown = (out["indicator"] == "own_cla_rate_per_10k") & raw["value"].notna()
    assert int((shown & out["value"].isna()).sum()) == 0


def _real(name: str, value: str, filters: str = ""):
    """A real DfE file loaded as a council would (``value`` and ``filters`` as the spec writes them):
    the panel before and after protection, and what the count rules said."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / name).symlink_to(DFE / name)  # under DfE's name: the release registry knows it
        entry = f'path = "{name}", value = {value}' + (f", filters = {filters}" if filters else "")
        (folder / "spec.toml").write_text(
            f'title = "t"\ndesigns = ["before_after"]\n[data]\nadmin = [{{ {entry} }}]\n'
        )
        spec = load_spec(folder / "spec.toml")
        inputs = load_inputs(spec, {"admin"})
        with pytest.warns(Warning):
            rules, said = count_rules(spec, inputs.panel, rule_set())
        return inputs.panel, protect_inputs(inputs, rules)[0].panel, said


@pytest.mark.parametrize("mode", ["authority", "year"])
def test_rows_over_another_published_denominator_keep_rule_2(mode):
    """findings-q9disc X1: den_a explains the column; the council's own rows (or the last year's) are over
    den_b, published beside it. Rule 2 still reads den_b there: 0.3% x 632 / 100 gave 2 back."""
    from rsw_eval.publication import protect_panel
    from rsw_eval.spec import EvaluationSpec

    rng = np.random.default_rng(7)
    rows, plant = [], {("X00", 2017): 2, ("X00", 2019): 4, ("X00", 2021): 1, ("X07", 2021): 5}
    for c in [f"X{i:02d}" for i in range(11)]:
        for y in range(2012, 2022):
            a = int(rng.integers(150, 700))
            b = int(a * rng.uniform(1.3, 2.0))
            num = plant.get((c, y), int(rng.integers(8, 90)))
            over_b = c == "X00" if mode == "authority" else y == 2021
            rows += [
                (c, y, "den_a", float(a)),
                (c, y, "den_b", float(b)),
                (c, y, "own_share_pct", round(num / (b if over_b else a) * 100, 1)),
            ]
    panel = pd.DataFrame(rows, columns=["la_code", "year", "indicator", "value"]).assign(la_name="", flag="")
    spec = EvaluationSpec(data={"admin": ["panel"]})
    counted, _ = count_rules(spec, panel, rule_set())
    out = protect_panel(panel, counted)[0]
    shown = out[out["indicator"].eq("own_share_pct")].set_index(["la_code", "year"])["value"]
    planted = [k for k in plant if (mode == "authority") == (k[0] == "X00") or k[1] == 2021]
    assert shown.loc[planted].isna().all()


@pytest.mark.parametrize("stray", [None, -1.0, 999.0, 100.4, "15% 999"])
@pytest.mark.parametrize(
    "name", ["own_repeat", "repeat_within_2_years", "cp_2_or_more_years", "within_45_working_days"]
)
def test_a_stray_value_or_a_duration_in_the_name_is_no_escape_from_withholding(name, stray):
    """findings-q9disc X2, q10disc Y2: one -1, 999 or 100.4 in the column made it no percentage's
    shape, and "years" or "days" in the name read as a unit: each published the percentage whole,
    and 1.8% x DfE's published plans started gave a planted 4 back (693 of 705 planted cells on
    real d5). A few stray values are allowed (as for a count), and a duration names a share as
    often as a unit: only an amount's, an FTE's or a caseload's unit lets a column off."""
    frame = _own_percentage(name)
    rows = frame.index[frame["indicator"] == name]
    if stray == "15% 999":  # q11disc Z3b: "not collected" in the early years, beyond the few allowed
        frame.loc[rows[: len(rows) * 15 // 100], "value"] = 999.0
    elif stray is not None:
        frame.loc[rows[-1], "value"] = stray
    out, said = _protect(frame)
    assert list(said["rates_unchecked"]) == [name]
    assert out.loc[out["indicator"] == name, "value"].isna().all()


def test_a_dfe_rate_no_denominator_explains_is_said():
    """findings-q10disc Y3: DfE's release loaded under DfE's column name, no denominator beside it:
    published as DfE published it, and said (a council's own file in the layout is withheld:
    test_a_council_s_own_file_under_dfe_s_rate_names_is_not_taken_for_dfe_s_release)."""
    out, said = _protect(_released(_own_percentage("3_months_or_less_percent"), "d5_x.csv"))
    assert said["rates_dfe_unexplained"] == ["3_months_or_less_percent"]
    assert "a rate of DfE's release (its file one the release registry knows)" in said["warned"]


@pytest.mark.parametrize("name", ["own_repeat_pct", "own_repeat", "CPP_subsequent_percent"])
def test_a_rate_s_year_its_explaining_denominator_lacks_is_hidden(name):
    """findings-q11disc Z1: a council's percentage of repeat plans (with or without its rate word),
    its count not loaded, explained by plans started in every year but its own latest one, which
    DfE's file did not hold yet: no rule read that year, and 3.07% x DfE's plans started published
    later (163) gave the planted 5 back. A year where no explaining denominator has a value is
    hidden; the others are read as before. Under DfE's column name too, the file a council's own
    (q12disc Q2b)."""
    frame = Panel({(TREATED, 2016, "repeats"): 3.0}, extra={"starts": 150, "repeats": 30}).frame()
    wide = frame.pivot_table(index=["la_code", "la_name", "year"], columns="indicator", values="value")
    pct = np.round(wide["repeats"] / wide["starts"] * 100, 2).rename("value").reset_index()
    frame = pd.concat([frame, pct.assign(indicator=name)[frame.columns]], ignore_index=True)
    frame = frame[
        (frame["indicator"] != "repeats") & ~((frame["indicator"] == "starts") & (frame["year"] == 2016))
    ]
    out, said = _protect(frame)
    assert said["rates_unchecked"] == {}
    shown = out[out["indicator"] == name].set_index(["la_code", "year"])["value"]
    assert shown.loc[[(code, 2016) for code in shown.index.get_level_values(0).unique()]].isna().all()
    assert shown.notna().mean() > 0.9


@pytest.mark.parametrize("name", ["rereferral_pct", "cp_plans_repeat_pct"])
@pytest.mark.parametrize("source", ["panel.csv", D3])
def test_a_dashboard_rate_s_year_without_its_count_and_denominator_is_hidden(name, source):
    """findings-q12disc Q2: under rsw-eval's own rate names (the dashboard's), a council's rate in
    the year its denominator's file does not hold yet (2020: no plans started) was published, and
    3.1% x DfE's plans started published later gave 5 back. Such a row is hidden unless 0, or a
    figure of DfE's release; and a file under DfE's name that holds such a row is no file as DfE
    published it (DfE prints these rates beside their counts: q13disc R1, R2)."""
    of = {"rereferral_pct": "referrals", "cp_plans_repeat_pct": "cp_plans_started"}[name]
    frame = Panel({(TREATED, 2016, "repeats"): 5.0}, extra={"referrals": 160, "repeats": 30}).frame()
    wide = frame.pivot_table(index=["la_code", "la_name", "year"], columns="indicator", values="value")
    pct = np.round(wide["repeats"] / wide[of] * 100, 1).rename("value").reset_index()
    frame = pd.concat([frame, pct.assign(indicator=name)[frame.columns]], ignore_index=True)
    frame = frame[(frame["indicator"] != "repeats") & ~((frame["indicator"] == of) & (frame["year"] == 2016))]
    out, _ = _protect(frame.assign(source=source))
    shown = out[out["indicator"] == name].set_index(["la_code", "year"])["value"]
    last = shown[shown.index.get_level_values("year") == 2016]
    assert last.isna().all()
    assert shown.notna().mean() > 0.85


@pytest.mark.parametrize("name", ["own_repeat_pct", "own_repeat"])
def test_a_value_keyed_coarser_than_its_column_is_read_at_its_own_precision(name):
    """findings-q11disc Z6: a council's percentage of 2 dp with one year keyed to 0 dp (1 for 1 of 99,
    1.01%) was read at the column's 0.005: 1.00 x 99 / 100 is no whole number, so it was published,
    and the report's "1.0%" x DfE's plans started gave 1 back. Each value is read at its own printed
    precision where that is coarser; and then a 0 too, which fits every denominator at 0.00 but
    keyed to 0 dp stands for up to 0.5% (q12disc Q3: 0 for 1 of 238 was published)."""
    planted = {(TREATED, 2012, "repeats"): 1.0, (TREATED, 2012, "starts"): 99.0}
    planted |= {(TREATED, 2013, "repeats"): 1.0, (TREATED, 2013, "starts"): 238.0}
    frame = Panel(planted, extra={"starts": 150, "repeats": 30}).frame()
    wide = frame.pivot_table(index=["la_code", "la_name", "year"], columns="indicator", values="value")
    pct = np.round(wide["repeats"] / wide["starts"] * 100, 2).rename("value").reset_index()
    treated = pct["la_code"] == TREATED
    pct.loc[treated & (pct["year"] == 2012), "value"] = 1.0  # keyed to 0 dp
    pct.loc[treated & (pct["year"] == 2013), "value"] = 0.0  # 0.42 keyed to 0 dp
    frame = pd.concat([frame, pct.assign(indicator=name)[frame.columns]], ignore_index=True)
    out, _ = _protect(frame[frame["indicator"] != "repeats"])
    shown = out[out["indicator"] == name].set_index(["la_code", "year"])["value"]
    assert np.isnan(shown[(TREATED, 2012)]) and np.isnan(shown[(TREATED, 2013)])
    assert shown.notna().mean() > 0.9


@pytest.mark.parametrize("name", ["own_repeat_pct", "own_repeat"])
def test_under_rounding_a_rate_over_a_rounded_denominator_is_from_rounded_counts(name):
    """findings-q11disc Z2: under "dfe" a council's own percentage (1 dp) beside its own plans
    started, rounded to 5, undid the denominator's rounding: 220 published with 16.1% leaves only
    35 / 218. A rate a rounded denominator explains is recomputed from the rounded counts: x the
    published denominator it gives a multiple of 5, so it says nothing the rounded counts do not."""
    frame = Panel(extra={"starts": 400, "repeats": 60}).frame()
    wide = frame.pivot_table(index=["la_code", "la_name", "year"], columns="indicator", values="value")
    pct = np.round(wide["repeats"] / wide["starts"] * 100, 1).rename("value").reset_index()
    frame = pd.concat([frame, pct.assign(indicator=name)[frame.columns]], ignore_index=True)
    out, _ = _protect(frame[frame["indicator"] != "repeats"], disclosure_rules="dfe")
    wide = out.pivot_table(index=["la_code", "year"], columns="indicator", values="value")
    later = wide[wide.index.get_level_values("year") >= 2012].dropna(subset=[name, "starts"])
    assert len(later) >= 10  # the others narrow a rounded count of their year: hidden
    implied = later[name] * later["starts"] / 100
    assert np.allclose(implied / 5, np.round(implied / 5), atol=1e-6), implied[~np.isclose(implied % 5, 0)]
    before = wide[wide.index.get_level_values("year") < 2012][name]  # not rounded: as published
    assert before.notna().all() and (before == np.round(before, 1)).all()


def test_under_rounding_a_rate_over_a_population_is_from_its_rounded_count():
    """findings-q12disc Q4: under "dfe" a council's rate per 10,000 children over ONS's population
    (published unrounded), its count not loaded: 3.37 x 50,467 / 10,000 gave the unrounded 17 where
    the rules publish 15. The count the rate implies is rounded as a count would be."""
    frame = Panel(extra={"uasc": 60}).frame()
    wide = frame.pivot_table(index=["la_code", "la_name", "year"], columns="indicator", values="value")
    rate = np.round(wide["uasc"] / wide["population_0_17"] * 10_000, 2).rename("value").reset_index()
    frame = pd.concat([frame, rate.assign(indicator="uasc_rate_per_10k")[frame.columns]], ignore_index=True)
    frame = frame[frame["indicator"].isin(["population_0_17", "uasc_rate_per_10k"])]
    out, _ = _protect(frame, disclosure_rules="dfe")
    wide = out.pivot_table(index=["la_code", "year"], columns="indicator", values="value")
    later = wide[wide.index.get_level_values("year") >= 2012].dropna(subset=["uasc_rate_per_10k"])
    assert len(later) >= 10
    implied = later["uasc_rate_per_10k"] * later["population_0_17"] / 10_000
    assert np.allclose(implied / 5, np.round(implied / 5), atol=1e-6), implied


def test_a_dashboard_rate_loaded_without_its_count_and_denominator_is_said():
    """findings-q12disc Q1: DfE's file read for a rate alone was published with nothing on stderr:
    it is said as DfE's own column names are. A rate DfE publishes without its denominator
    (placements_3plus_pct, in the placement stability table) stays DfE's; one DfE's table always
    holds beside its count and denominator (cp_plans_repeat_pct) is, alone, no file as DfE
    published it (q13disc R1: a council's own percentage saved under d3's name), and withheld."""
    frame = _released(_own_percentage("placements_3plus_pct"), "la_cla_placement_stability.csv", first=2019)
    _, said = _protect(frame[frame["indicator"] != "children_looked_after"])
    assert said["rates_dfe_unexplained"] == ["placements_3plus_pct"]
    assert "no denominator in the data fits placements_3plus_pct" in said["warned"]
    _, said = _protect(frame)  # its denominator loaded: protected by it
    assert said["rates_dfe_unexplained"] == []
    frame = _own_percentage("cp_plans_repeat_pct").assign(source=D3)
    out, said = _protect(frame[frame["indicator"] != "cp_plans_started"])
    assert list(said["rates_unchecked"]) == ["cp_plans_repeat_pct"] and said["rates_dfe_unexplained"] == []
    shown = out.loc[out["indicator"] == "cp_plans_repeat_pct", "value"]
    assert shown[shown != 0].isna().all()


def test_not_counts_publishes_a_dashboard_rate_of_a_council_s_own_file_without_its_denominator():
    """The warning's advice holds for rsw-eval's own rate names too: declared in ``not_counts``, a
    council's percentage of repeat plans loaded without plans started is published as loaded."""
    frame = _own_percentage("cp_plans_repeat_pct")
    frame = frame[frame["indicator"] != "cp_plans_started"]
    out, said = _protect(frame, not_counts=("cp_plans_repeat_pct",))
    assert said["rates_unchecked"] == {} and said["rates_dfe_unexplained"] == []
    assert out.loc[out["indicator"] == "cp_plans_repeat_pct", "value"].notna().all()
    out, _ = _protect(frame)
    shown = out.loc[out["indicator"] == "cp_plans_repeat_pct", "value"]
    assert shown[shown != 0].isna().all()
