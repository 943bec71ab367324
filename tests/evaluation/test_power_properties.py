"""Properties of the engine's real output (issue 19 items 1-3), over generated panels and surveys.

For every panel shape (comparators, a donor pool or none, noise, a relative effect asked about):
adjusted p-values never fall below the raw ones and exist only for tests of a question; every test
states what it could detect, at its own level, with the 5% floor said when it binds; nothing outside
a question is read as significant. For every split of survey authorities into unit-model and
conventional: a row is a comparison of places exactly when an arm holds one authority, and such a
row is never read as significant nor adjusted.
"""

from __future__ import annotations

import warnings

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rsw_eval import compare
from rsw_eval.spec import load_spec
from tests.evaluation._panels import split_survey
from validation._national import national_spec, write_panel

RATIO = ("level_change_ratio",)


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    seed=st.integers(0, 2**31),
    n_authorities=st.sampled_from([8, 12, 40]),
    noise=st.floats(0.02, 0.3),
    effect=st.sampled_from([None, -0.2, 0.1]),
)
def test_every_test_states_what_it_could_detect(tmp_path_factory, seed, n_authorities, noise, effect):
    folder = tmp_path_factory.mktemp("panel")
    write_panel(np.random.default_rng(seed), folder, n_authorities=n_authorities, noise=noise)
    spec = national_spec(folder, n_authorities, mde_effect=effect)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        t = compare(spec, only=["admin"]).table
    tests = t[t["question"] == "admin"]
    assert len(tests) and (tests["p_adjusted"] >= tests["p_value"] - 1e-12).all()
    assert (tests["p_adjusted"] <= 1).all()
    assert t.loc[t["question"] == "", "p_adjusted"].isna().all()
    assert not t.loc[t["question"] == "", "interpretation"].str.contains("statistically significant").any()
    # every test of the question says what it could detect, or why it cannot say (a donor pool of
    # one authority leaves no pseudo experiment)
    assert (tests["mde_note"] != "").all() and tests["mde_alpha"].notna().all()
    assert tests.loc[tests["mde_low"].isna(), "mde_note"].str.startswith("no MDE: ").all()
    stated = tests[tests["mde_low"].notna()]
    assert np.allclose(stated["mde_alpha"], 1 - stated["ci_level"])
    null = np.where(stated["effect_size_name"].isin(RATIO), 1.0, 0.0)
    assert (stated["mde_low"] < null).all() and (stated["mde_high"] > null).all()
    pool = stated["comparison"].str.extract(r"(\d+) donor-pool")[0].astype(float)
    k = pool.fillna(stated["n_comparison"].astype(float))  # placebos: the pool, else the comparators
    floor = 1 / (k + 1) > 0.05
    assert (stated["mde_note"].str.contains("can detect nothing") == floor).all()
    if effect is None:
        assert tests["power"].isna().all()
    else:
        with_mde = tests["mde_low"].notna()
        assert tests.loc[with_mde, "power"].between(0, 1).all()
        assert tests.loc[with_mde, "power_effect"].notna().all()


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(unit_model=st.integers(1, 5))
def test_a_row_compares_places_exactly_when_an_arm_has_one_authority(tmp_path_factory, unit_model):
    folder = tmp_path_factory.mktemp("survey")
    split_survey(folder, unit_model)
    spec = load_spec({"unit_model": ["x"], "data": {"worker_survey": "worker_survey.csv"}}, data_dir=folder)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        t = compare(spec, only=["worker"]).table
    rows = t[t["design"].isin(["cross_section", "consistency"])]
    one_side = (rows["comparison"] != "all conventional") | (min(unit_model, 6 - unit_model) < 2)
    assert ((rows["question"] == "places") == one_side).all()
    places = t[t["question"] == "places"]
    assert places["p_adjusted"].isna().all()
    assert not places["interpretation"].str.contains("statistically significant").any()
    assert places["interpretation"].str.startswith("compares ").all()
    tests = t[t["question"] == "worker"]
    assert (tests["p_adjusted"] >= tests["p_value"] - 1e-12).all()
    cr2 = tests[tests["design"] == "cross_section"]
    assert cr2["mde_high"].notna().all() and np.allclose(cr2["mde_alpha"], 0.05)
