"""Three survey waves of the unit-model group (issue 21): the before/after rows compare the first
and the last, so the workers of the waves between are the whole group less those two, and are a
group of people like any other (their size and events protected)."""

from __future__ import annotations

import pandas as pd

from tests.publication._data import UNIT, Survey, _toml, spec


def test_the_workers_between_the_first_and_last_waves_cannot_be_subtracted(tmp_path):
    from rsw_eval.cli import main

    groups = {
        UNIT: ("unit", 40, {"no_time_for_reflection": 10, "experienced_violence": 13}),
        "A LA": ("conventional", 30, {"no_time_for_reflection": 12, "experienced_violence": 9}),
        "C LA": ("conventional", 25, {"no_time_for_reflection": 10, "experienced_violence": 8}),
    }
    s = spec(tmp_path, survey=Survey(groups), panel=None)
    frame = pd.read_csv(tmp_path / "workers.csv")
    unit = frame.index[frame["model"] == "unit"]
    frame.loc[unit, "wave"] = [2010] * 18 + [2011] * 3 + [2012] * 19  # 3 workers between
    frame["wave"] = frame["wave"].fillna(2012).astype(int)
    frame.to_csv(tmp_path / "workers.csv", index=False)
    (tmp_path / "spec.toml").write_text(_toml(s))
    out = tmp_path / "r.csv"
    assert main(["compare", "--spec", str(tmp_path / "spec.toml"), "--out", str(out)]) == 0
    r = pd.read_csv(out)
    whole = r[(r["design"] == "cross_section") & (r["comparison"] == "all conventional")]
    waves = r[r["design"] == "before_after"]
    assert len(waves)
    for _, row in waves.iterrows():
        n_all = whole.loc[whole["outcome"] == row["outcome"], "n_treatment"]
        between = n_all.iloc[0] - row["n_treatment"] - row["n_comparison"]
        assert pd.isna(between), (row["outcome"], between)  # 40 - 18 - 19 = 3 is not printed
