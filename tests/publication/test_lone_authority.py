"""F8 (utility): one conventional authority with a lone worker must not cost every "all
conventional" headline row, when hiding it with one cheap pair of cells protects it; the auditor's
protection-interval criterion still holds for every suppressed count."""

from __future__ import annotations

from rsw_eval.evaluation.engine import compare
from rsw_eval.spec import load_spec
from tests.publication._data import BINARY, UNIT, Survey, _toml, spec


def test_the_headline_survives_a_lone_worker(tmp_path):
    yes = {o: 0 for o in BINARY}
    groups = {
        UNIT: ("unit", 30, {o: 12 for o in BINARY}),
        "Gwent": ("conventional", 1, {BINARY[0]: 1, BINARY[1]: 0}),
        "Barnet": ("conventional", 24, {o: 10 for o in BINARY}),
        "Dorset": ("conventional", 22, {o: 9 for o in BINARY}),
        "Ealing": ("conventional", 18, {o: 8 for o in BINARY}),
        "Fife": ("conventional", 26, {**yes, BINARY[0]: 11, BINARY[1]: 12}),
    }
    (tmp_path / "spec.toml").write_text(_toml(spec(tmp_path, survey=Survey(groups), panel=None)))
    pub = compare(load_spec(tmp_path / "spec.toml")).protected().publication
    headline = pub.table[(pub.table["comparison"] == "all conventional") & pub.table["primary"]]
    assert len(headline) and headline["value_comparison"].notna().any()
    assert not headline["suppressed"].any()  # (a rank row's statistics go with small answer counts)
    gwent = pub.table[pub.table["comparison"] == "Gwent"]
    assert gwent["value_comparison"].isna().all()
    assert pub.audit["protected"].all()
