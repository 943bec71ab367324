"""The synthetic sample: byte-for-byte reproducible, labelled synthetic, calibrated to the seeds."""

from __future__ import annotations

import json

import pytest

from rsw_eval import load_parent_survey, load_worker_survey
from rsw_eval.sample import DEFAULT_SEED, generate_sample
from tests.conftest import SAMPLE


def test_same_seed_same_bytes(tmp_path):
    a = generate_sample(tmp_path / "a", seed=7)
    b = generate_sample(tmp_path / "b", seed=7)
    assert [p.read_bytes() for p in a] == [p.read_bytes() for p in b]


def test_different_seed_different_data(tmp_path):
    a = generate_sample(tmp_path / "a", seed=7)[0].read_bytes()
    b = generate_sample(tmp_path / "b", seed=8)[0].read_bytes()
    assert a != b


def test_committed_sample_is_what_make_sample_writes(tmp_path):
    for path in generate_sample(tmp_path, seed=DEFAULT_SEED):
        assert path.read_bytes() == (SAMPLE / path.name).read_bytes(), path.name


def test_marked_synthetic():
    meta = json.loads((SAMPLE / "sample_metadata.json").read_text())
    assert meta["synthetic"] is True
    assert meta["seed"] == DEFAULT_SEED
    assert "SYNTHETIC" in (SAMPLE / "README.md").read_text()


def test_bad_seed(tmp_path):
    with pytest.raises(ValueError, match="seed must be a non-negative integer. Got -1"):
        generate_sample(tmp_path, seed=-1)


@pytest.fixture(scope="module")
def workers():
    return load_worker_survey(SAMPLE / "worker_survey.csv")


@pytest.fixture(scope="module")
def parents():
    return load_parent_survey(SAMPLE / "parent_survey.csv")


def test_worker_design(workers):
    # Forrester et al. (2013): one unit-model and two conventional authorities, ~100 respondents each
    per_authority = workers.groupby("authority")["model"].agg(["first", "size"])
    assert sorted(per_authority["first"]) == ["conventional", "conventional", "unit"]
    assert per_authority["size"].between(90, 110).all()
    unit_sizes = workers[workers["model"] == "unit"].groupby("unit").size()
    assert unit_sizes.between(5, 7).all()  # units of 5-7 (DfE case study)


def test_reflection_calibrated(workers):
    # Cross, Hubbard & Munro (2010) via Community Care: > 1/2 of team staff vs < 1/5 in units
    share = workers.groupby("model")["no_time_for_reflection"].mean()
    assert share["unit"] == pytest.approx(0.18, abs=1e-12)
    assert share["unit"] < 0.2
    assert share["conventional"] == pytest.approx(0.55, abs=1e-12)
    assert share["conventional"] > 0.5


def test_effect_directions(workers):
    # Forrester et al. (2013) via Community Care: less stress, more satisfaction and confidence,
    # less violence in units; practice more consistent (smaller SD)
    by = workers.groupby("model")
    mean = by[["ghq_score", "job_satisfaction", "confidence_assessment"]].mean()
    assert mean.loc["unit", "ghq_score"] < mean.loc["conventional", "ghq_score"]
    assert mean.loc["unit", "job_satisfaction"] > mean.loc["conventional", "job_satisfaction"]
    assert mean.loc["unit", "confidence_assessment"] > mean.loc["conventional", "confidence_assessment"]
    violence = by["experienced_violence"].mean()
    assert violence["unit"] < violence["conventional"]
    sd = by["practice_quality"].std()
    assert sd["unit"] < 0.75 * sd["conventional"]


def test_between_unit_icc_is_realistic(workers):
    # one-way ANOVA ICC(1) of the GHQ score within model groups (Shrout & Fleiss 1979), target 0.05-0.15
    import numpy as np

    d = workers.dropna(subset=["ghq_score"]).copy()
    d["resid"] = d["ghq_score"] - d.groupby("model")["ghq_score"].transform("mean")
    groups = d.groupby("unit")["resid"]
    k, n = groups.ngroups, len(d)
    sizes = groups.size().to_numpy()
    msb = (sizes * (groups.mean().to_numpy() - d["resid"].mean()) ** 2).sum() / (k - 1)
    msw = ((d["resid"] - groups.transform("mean")) ** 2).sum() / (n - k)
    n0 = (n - (sizes**2).sum() / n) / (k - 1)
    icc = (msb - msw) / (msb + (n0 - 1) * msw)
    assert 0.03 <= icc <= 0.2, icc
    assert np.isfinite(icc)


def test_parent_contact_ratio_and_ratings(parents):
    # Forrester et al. (2013) via DfE case study: families saw workers 2 to 3 times more
    totals = parents.groupby("model")[["contacts", "weeks_observed"]].sum()
    rate = totals["contacts"] / totals["weeks_observed"]
    assert 2.0 <= rate["unit"] / rate["conventional"] <= 3.0
    assert parents.groupby("authority").size().eq(60).all()
    ratings = [c for c in parents.columns if c.startswith("rating_")]
    mean = parents.groupby("model")[ratings].mean()
    assert (mean.loc["unit"] > mean.loc["conventional"]).all()
