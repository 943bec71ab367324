"""Secondary suppression on the series (F6 of the disclosure attack): a ``[derived]`` count from 1
to t that is the difference of two published counts (40 plans started - 37 second plans = 3 first
plans) had its inputs published beside it; the row whose value it hides said ``suppressed False``."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rsw_eval.disclosure import rule_set
from rsw_eval.inputs._derived import _compute
from rsw_eval.publication import protect_panel
from rsw_eval.spec._derived import parse_derived
from tests.publication._data import TREATED, Panel, _toml, spec

PLANTED = {(TREATED, 2014, "cp_plans_started"): 40.0, (TREATED, 2014, "cp_plans_repeat"): 37.0}
FIRST = {"indicator": "cp_first_plans", "expr": "cp_plans_started - cp_plans_repeat"}


def test_one_input_of_a_small_derived_difference_is_hidden_with_its_rate():
    panel = Panel(PLANTED, extra={"cp_plans_repeat": 200}).frame().assign(flag="", source="panel.csv")
    rate = {"indicator": "cp_plans_repeat_pct"}
    rows = panel[panel["indicator"] == "cp_plans_repeat"].assign(indicator=rate["indicator"], value=92.5)
    first = _compute(panel, parse_derived({FIRST["indicator"]: FIRST["expr"]})[0])
    out, _ = protect_panel(pd.concat([panel, rows, first], ignore_index=True), rule_set(), [FIRST])
    here = out[(out["la_code"] == TREATED) & (out["year"] == 2014)].set_index("indicator")["value"]
    assert np.isnan(here["cp_first_plans"])
    assert np.isnan(here["cp_plans_repeat"]) and np.isnan(here["cp_plans_repeat_pct"])  # 37 < 40
    assert here["cp_plans_started"] == 40.0
    other = out[(out["la_code"] == TREATED) & (out["year"] == 2013)].set_index("indicator")["value"]
    assert other.notna().all()  # nothing hidden where the difference is not small


def test_the_compared_rows_give_no_difference_and_say_suppressed(tmp_path):
    from rsw_eval.evaluation.engine import compare
    from rsw_eval.spec import load_spec

    s = spec(tmp_path, survey=None, panel=Panel(PLANTED, extra={"cp_plans_repeat": 200}))
    s["designs"] = ["before_after"]
    s["derived"] = {**s["derived"], "cp_first_plans": FIRST["expr"]}
    (tmp_path / "spec.toml").write_text(_toml(s))
    table = compare(load_spec(tmp_path / "spec.toml")).protected().table
    rows = table[(table["design"] == "before_after") & table["period"].astype(str).str.endswith("2014")]
    treated = rows["treatment"].astype(str)
    rows = rows[treated.str.contains(TREATED) & ~treated.str.startswith("comparators")].set_index("outcome")
    assert np.isnan(rows.loc["cp_first_plans", "value_treatment"])
    assert bool(rows.loc["cp_first_plans", "suppressed"])
    started, repeat = (
        rows.loc["cp_plans_started", "value_treatment"],
        rows.loc["cp_plans_repeat", "value_treatment"],
    )
    assert np.isnan(started) or np.isnan(repeat)
    assert bool(rows.loc["cp_plans_repeat", "suppressed"])


def test_a_derived_count_of_a_derived_count_is_a_count():
    """disclosure2 G2: ``d2 = residential - first`` with ``first = started - repeat`` (40 - 32 = 8,
    11 - 8 = 3) was no count (its term ``first`` is not a panel count): d2 = 3 was published."""
    planted = {
        (TREATED, 2014, "cp_plans_started"): 40.0,
        (TREATED, 2014, "cp_plans_repeat"): 32.0,
        (TREATED, 2014, "residential_placements"): 11.0,
    }
    panel = Panel(planted, extra={"cp_plans_repeat": 200}).frame().assign(flag="", source="panel.csv")
    second = {"indicator": "d2", "expr": "residential_placements - cp_first_plans"}
    for order in ([FIRST, second], [second, FIRST]):
        rows = [panel]
        for entry in (FIRST, second):
            d = parse_derived({entry["indicator"]: entry["expr"]})[0]
            rows.append(_compute(pd.concat(rows, ignore_index=True), d).assign(source=f"derived:{d.name}"))
        out, _ = protect_panel(pd.concat(rows, ignore_index=True), rule_set(), order)
        here = out[(out["la_code"] == TREATED) & (out["year"] == 2014)].set_index("indicator")["value"]
        assert np.isnan(here["d2"])
        # and not by subtraction: residential - (started - repeat)
        assert (
            np.isnan(here["residential_placements"])
            or np.isnan(here["cp_first_plans"])
            and (np.isnan(here["cp_plans_started"]) or np.isnan(here["cp_plans_repeat"]))
        )


def test_a_rate_goes_with_its_hidden_denominator():
    """disclosure2 G7: the secondary cell for ``cla_not_cp = cla - cp_plans_started`` (297 - 294 = 3)
    is cp_plans_started; cp_plans_repeat_pct = 32 / 294 x 100 stayed published beside repeat = 32,
    so started = 32 / 0.10884 = 294 and cla_not_cp = 3 came back."""
    planted = {
        (TREATED, 2014, "children_looked_after"): 297.0,
        (TREATED, 2014, "cp_plans_started"): 294.0,
        (TREATED, 2014, "cp_plans_repeat"): 32.0,
    }
    panel = Panel(planted, extra={"cp_plans_repeat": 200}).frame().assign(flag="", source="panel.csv")
    rows = panel[panel["indicator"] == "cp_plans_repeat"].assign(indicator="cp_plans_repeat_pct", value=10.9)
    entry = {"indicator": "cla_not_cp", "expr": "children_looked_after - cp_plans_started"}
    d = _compute(panel, parse_derived({entry["indicator"]: entry["expr"]})[0]).assign(source="derived:x")
    out, _ = protect_panel(pd.concat([panel, rows, d], ignore_index=True), rule_set(), [entry])
    here = out[(out["la_code"] == TREATED) & (out["year"] == 2014)].set_index("indicator")["value"]
    assert np.isnan(here["cla_not_cp"]) and np.isnan(here["cp_plans_started"])
    assert here["cp_plans_repeat"] == 32.0
    assert np.isnan(here["cp_plans_repeat_pct"])


# -- disclosure2 G3: other spellings of the same count, and the rate of a small difference ---------

SPELLINGS = (
    "{a} - {b}",
    "-{b} + {a}",
    "({a} - {b}) * 1",
    "{a} - {b} + 0",
    "({a} - {b}) / 1",
    "2 * ({a} - {b})",
    "({a} - {b}) / {a} * 100",
)


def _one_year(values: dict[str, float], entries: list[dict], rules=None) -> pd.Series:
    base = {
        "la_code": TREATED,
        "old_la_code": "",
        "la_name": "A",
        "year": 2014,
        "flag": "",
        "source": "p.csv",
    }
    rows = [pd.DataFrame([{**base, "indicator": n, "value": v} for n, v in values.items()])]
    for e in entries:
        d = parse_derived({e["indicator"]: e["expr"]})[0]
        rows.append(_compute(pd.concat(rows, ignore_index=True), d).assign(source=f"derived:{d.name}"))
    out, _ = protect_panel(pd.concat(rows, ignore_index=True), rules or rule_set(), entries)
    return out.set_index("indicator")["value"]


@pytest.mark.parametrize("spelling", SPELLINGS)
@pytest.mark.parametrize("repeat", [37.0, 43.0], ids=["3", "-3"])
def test_every_spelling_of_a_small_difference_is_protected(spelling, repeat):
    expr = spelling.format(a="cp_plans_started", b="cp_plans_repeat")
    here = _one_year(
        {"cp_plans_started": 40.0, "cp_plans_repeat": repeat}, [{"indicator": "x", "expr": expr}]
    )
    assert np.isnan(here["x"]), expr
    assert np.isnan(here["cp_plans_started"]) or np.isnan(here["cp_plans_repeat"]), expr


def test_a_large_difference_in_any_spelling_is_published():
    for spelling in SPELLINGS:
        expr = spelling.format(a="cp_plans_started", b="cp_plans_repeat")
        here = _one_year(
            {"cp_plans_started": 40.0, "cp_plans_repeat": 20.0}, [{"indicator": "x", "expr": expr}]
        )
        assert here.notna().all(), expr


# -- disclosure2 G6: relations between hidden derived counts go through the interval auditor ------


def test_two_small_differences_sharing_a_hidden_term_are_not_pinned_by_their_sum():
    """chain_sum.py: cla 40, started 39, ceased 38; d1 = cla - started = 1, d2 = started - ceased
    = 1. With only 'started' hidden, d1 + d2 = 40 - 38 = 2 gave each in [0, 2]."""
    entries = [
        {"indicator": "d1", "expr": "children_looked_after - cla_started"},
        {"indicator": "d2", "expr": "cla_started - cla_ceased"},
    ]
    rules = rule_set(counts=["cla_started", "cla_ceased"])
    here = _one_year({"children_looked_after": 40.0, "cla_started": 39.0, "cla_ceased": 38.0}, entries, rules)
    assert np.isnan(here["d1"]) and np.isnan(here["d2"])
    assert here[["children_looked_after", "cla_started", "cla_ceased"]].isna().sum() >= 2


def _ranges(values: list[float], shown: dict[str, float], t: int) -> list[tuple[str, float, float]]:
    """An attacker independent of the ledger: a linear programme (scipy's linprog) over the chain
    x0 >= x1 >= ... (counts >= 0, differences >= 0 as every one is in these data), each published
    value fixed; the range of every hidden count or difference from 1 to t."""
    from scipy.optimize import linprog

    k = len(values)
    names = [f"c{i}" for i in range(k)] + [f"d{i}" for i in range(k - 1)]
    truth = dict(zip(names, [*values, *np.diff(values) * -1], strict=True))
    eq, rhs = [], []
    for i in range(k - 1):  # d_i = c_i - c_{i+1}
        row = np.zeros(len(names))
        row[[names.index(f"d{i}"), names.index(f"c{i}"), names.index(f"c{i + 1}")]] = [1, -1, 1]
        eq.append(row)
        rhs.append(0.0)
    for name, value in shown.items():
        row = np.zeros(len(names))
        row[names.index(name)] = 1
        eq.append(row)
        rhs.append(value)
    out = []
    for name in names:
        if name in shown or not 1 <= truth[name] <= t:
            continue
        c = np.zeros(len(names))
        c[names.index(name)] = 1
        low = linprog(c, A_eq=np.array(eq), b_eq=rhs, bounds=(0, None))
        high = linprog(-c, A_eq=np.array(eq), b_eq=rhs, bounds=(0, None))
        out.append((name, low.fun, np.inf if high.status == 3 else -high.fun))
    return out


@settings(derandomize=True, database=None, max_examples=40, deadline=None)
@given(
    start=st.integers(20, 80),
    steps=st.lists(st.one_of(st.integers(0, 5), st.integers(6, 20)), min_size=1, max_size=4),
    spelling=st.sampled_from(SPELLINGS[:5]),
)
def test_no_chain_of_derived_differences_pins_a_small_one(start, steps, spelling):
    """A chain of counts c0 >= c1 >= ... and the derived differences d_i = c_i - c_{i+1} (in any
    spelling of a count): after protection, every hidden count or difference from 1 to t could be
    any of more than t + 1 values given what is published, and every such difference is hidden."""
    values = [float(start)]
    for s in steps:
        values.append(max(values[-1] - s, 0.0))
    names = [f"c{i}" for i in range(len(values))]
    entries = [
        {"indicator": f"d{i}", "expr": spelling.format(a=names[i], b=names[i + 1])} for i in range(len(steps))
    ]
    rules = rule_set(counts=names)
    here = _one_year(dict(zip(names, values, strict=True)), entries, rules)
    t = rules.threshold
    for i in range(len(steps)):
        if 1 <= values[i] - values[i + 1] <= t:
            assert np.isnan(here[f"d{i}"])
    shown = {n: float(v) for n, v in here.items() if np.isfinite(v)}
    for name, low, high in _ranges(values, shown, t):
        assert high - low > t, (name, low, high, shown)


# -- disclosure2 G8: the secondary cell is not a figure the run prints anyway -----------------------


def test_the_secondary_cell_is_not_a_registry_figure():
    """make_vintage.py: Hackney 2010 cla = 314 (the registry's '314 children in care today'),
    started = 317, gap = started - cla = 3: hiding cla (the smaller) left it printed by the
    official check; started goes instead."""
    values = {"children_looked_after": 314.0, "cp_plans_started": 317.0}
    base = {
        "la_code": TREATED,
        "old_la_code": "",
        "la_name": "Hackney",
        "year": 2010,
        "flag": "",
        "source": "p.csv",
    }
    rows = pd.DataFrame([{**base, "indicator": n, "value": v} for n, v in values.items()])
    entry = {"indicator": "gap", "expr": "cp_plans_started - children_looked_after"}
    rows = pd.concat([rows, _compute(rows, parse_derived({"gap": entry["expr"]})[0])], ignore_index=True)
    here = protect_panel(rows, rule_set(), [entry])[0].set_index("indicator")["value"]
    assert np.isnan(here["gap"]) and np.isnan(here["cp_plans_started"])
    assert here["children_looked_after"] == 314.0
