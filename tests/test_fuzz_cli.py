"""Fuzzing the command line (issue 21 item 6): files mutated from valid ones of every kind, with
every line end, encoding and format, through ``validate``, ``check-reported``, ``compare``,
``screen``, ``report`` and ``sample``. Whatever the input: exit 0 or 2, never a traceback, one
line per problem naming the file, no planted identifier in any output, and no input file changed.

Budgets (``make test``) are in each test; ``make fuzz`` multiplies them (tests/_fuzz.py).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from tests._fuzz import (
    CELLS,
    SECRETS,
    SPEC_KEYS,
    assert_clear,
    budget,
    file_bytes,
    fuzz_mark,
    mutated_rows,
    run,
    write_table,
)
from tests._malformed import bases, kind_of
from tests.conftest import SAMPLE

pytestmark = fuzz_mark
BASES = bases()


def _inputs_unchanged(before: dict[str, str], folder: Path) -> bool:
    """Every file of ``before`` (the inputs) as it was; new files (outputs) may have appeared."""
    after = _digest(folder)
    return {p: h for p, h in after.items() if p in before} == before


def _digest(folder: Path) -> dict[str, str]:
    return {
        str(p): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()
    }


@st.composite
def a_file(draw, kind: str):
    """(rows, file bytes, suffix) of a mutated table of ``kind``."""
    text, _ = BASES[kind]
    rows = draw(mutated_rows(text))
    data = draw(file_bytes(rows))
    suffix = draw(st.sampled_from([".csv"] * 8 + [".xlsx", ".parquet"]))
    return rows, data, suffix


# one budget per kind, so that every loader is fuzzed through the command in make test
def _validate_kind(kind: str, examples: int):
    @budget(examples)
    @given(a_file(kind))
    def check(drawn):
        rows, content, suffix = drawn
        _, options = BASES[kind]
        with tempfile.TemporaryDirectory() as tmp:
            path = write_table(Path(tmp) / f"{kind}_2010{suffix}", rows, content)
            header = Path(tmp) / "header.csv"
            header.write_text((SAMPLE / "ssda903_header_2010.csv").read_text())
            extra = ["--header", header] if kind == "ssda903" else []
            before = _digest(Path(tmp))
            assert_clear(
                run(["validate", path, "--kind", kind_of(kind), *extra, *options]),
                names=(path.name, header.name),
            )
            assert _digest(Path(tmp)) == before

    return check


def test_validate_every_kind():
    for kind in sorted(BASES):
        _validate_kind(kind, 6)()


REPORTED = st.lists(
    st.tuples(
        st.sampled_from(["t", "F", "chi2", "z", "r", "q", ""]),
        st.one_of(CELLS, st.sampled_from(["2.20", "-4.93", "0.30", "3.48"])),
        st.one_of(CELLS, st.sampled_from(["28", "2", "68", "98"])),
        st.one_of(CELLS, st.sampled_from(["28", "2"])),
        st.one_of(CELLS, st.sampled_from(["68", "1"])),
        st.one_of(CELLS, st.sampled_from([".03", "< .001", "0.04", "1"])),
        st.sampled_from(["=", "<", ">", "", "~", "=="]),
    ),
    min_size=1,
    max_size=5,
)


@budget(40)
@given(REPORTED, st.sets(st.sampled_from(["df", "df1", "df2", "comparison"])), st.data())
def test_check_reported_any_table(rows, dropped, data):
    columns = ["test", "statistic", "df", "df1", "df2", "p", "comparison"]
    table = [columns, *[list(r) for r in rows]]
    keep = [i for i, c in enumerate(columns) if c not in dropped]
    table = [[row[i] for i in keep] for row in table]
    content = data.draw(file_bytes(table))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "reported.csv"
        path.write_bytes(content)
        result = run(["check-reported", path])
        assert_clear(result, names=(path.name,))
        if result.status == 0:  # a verdict only when every row could be checked
            assert "checked:" in result.out


def _data_folder(tmp: Path, data) -> tuple[Path, list[str]]:
    """A small evaluation: a mutated panel (three authorities) and cost ledger, and a spec."""
    panel_text = "".join((SAMPLE / "admin_panel.csv").read_text().splitlines(True)[:40])
    rows = data.draw(mutated_rows(panel_text))
    (tmp / "admin_panel.csv").write_bytes(data.draw(file_bytes(rows)))
    costs = data.draw(mutated_rows((SAMPLE / "costs.csv").read_text()))
    (tmp / "costs.csv").write_bytes(data.draw(file_bytes(costs)))
    unit = data.draw(st.sampled_from(['"E09000012"', '"204"', '"E0900012"', '"nobody"']))
    year = data.draw(st.sampled_from(["2008", "2010", "1066", "2030"]))
    spec = (
        f"unit_model = [{unit}]\nintervention_year = {year}\nbaseline_year = 2006\nfollowup_year = 2010\n"
        'cost_years = [2009, 2010]\ndesigns = ["did", "before_after", "cost_change"]\n'
        f"disclosure_threshold = {data.draw(st.sampled_from(['5', '0', '1', '-2', '2.5']))}\n"
        '[data]\nadmin = ["admin_panel.csv"]\ncosts = "costs.csv"\n'
    )
    (tmp / "spec.toml").write_text(spec)
    return tmp / "spec.toml", ["admin_panel.csv", "costs.csv", "spec.toml"]


@budget(3)
@given(st.data())
def test_compare_any_small_evaluation(data):
    with tempfile.TemporaryDirectory() as tmp:
        spec, _ = _data_folder(Path(tmp), data)
        before = _digest(Path(tmp))
        fmt = data.draw(st.sampled_from(["table", "csv", "json"]))
        out = Path(tmp) / data.draw(st.sampled_from(["r.csv", "r.json", "costs.csv", "r.coverage.csv"]))
        result = run(["compare", "--spec", spec, "--only", "admin,cost", "--format", fmt, "--out", out])
        assert_clear(result)
        assert _inputs_unchanged(before, Path(tmp))


@budget(3)
@given(st.data())
def test_screen_any_panel(data):
    with tempfile.TemporaryDirectory() as tmp:
        _data_folder(Path(tmp), data)
        panel = Path(tmp) / "admin_panel.csv"
        before = _digest(Path(tmp))
        out = Path(tmp) / data.draw(st.sampled_from(["screen.csv", "admin_panel.csv"]))
        year = data.draw(st.sampled_from(["2008", "2012", "1990"]))
        result = run(["screen", panel, "--year", year, "--top", "3", "--out", out])
        assert_clear(result)
        assert _inputs_unchanged(before, Path(tmp))


@budget(2)
@given(st.data())
def test_report_any_small_evaluation(data):
    with tempfile.TemporaryDirectory() as tmp:
        spec, _ = _data_folder(Path(tmp), data)
        before = _digest(Path(tmp))
        result = run(
            ["report", "--spec", spec, "--style", "munro", "--format", "html", "--out", Path(tmp) / "out"]
        )
        assert_clear(result)
        assert _inputs_unchanged(before, Path(tmp))


SAMPLE_NAMES = [
    "worker_survey.csv",
    "costs.csv",
    "README.md",
    "sample_metadata.json",
    ".rsw-eval-outputs.json",
]


@budget(6)
@given(
    st.dictionaries(st.sampled_from(SAMPLE_NAMES), st.sampled_from(["mine", "rsw", "link"]), max_size=3),
    st.booleans(),
)
def test_sample_never_replaces_what_it_did_not_write(existing, force):
    """Whatever the folder holds (the user's files, rsw-eval's earlier sample, a hard link to a
    file elsewhere): without --force no file rsw-eval did not write changes; nothing written
    through a link reaches the file it points to."""
    with tempfile.TemporaryDirectory() as tmp:
        folder, elsewhere = Path(tmp) / "out", Path(tmp) / "elsewhere.csv"
        folder.mkdir()
        elsewhere.write_text("a council's own file\n")
        if "rsw" in existing.values():
            assert run(["sample", "--out", folder, "--seed", "1"]).status == 0
        for name, what in existing.items():
            if what == "mine":
                (folder / name).unlink(missing_ok=True)
                (folder / name).write_text(f"{SECRETS[0]} not rsw-eval's\n")
            elif what == "link":
                (folder / name).unlink(missing_ok=True)
                os.link(elsewhere, folder / name)
        before = _digest(Path(tmp))
        result = run(["sample", "--out", folder, "--seed", "2", *(["--force"] if force else [])])
        assert_clear(result)
        after = _digest(Path(tmp))
        mine = [str(folder / n) for n, w in existing.items() if w in ("mine", "link")]
        if not force:
            assert all(after.get(p) == before[p] for p in mine)
        if result.status == 2:  # refused: nothing written at all
            assert after == before


def _toml(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value) if value == value and abs(value) != float("inf") else "nan"
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


SPEC_VALUES = st.one_of(
    st.integers(-5, 3000),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.booleans(),
    st.sampled_from(
        ["E09000012", "204", "all", "statistical_neighbours", "did", "holm", "dfe", "costs.csv", ""]
    ),
    st.text(max_size=5),
    st.lists(st.one_of(st.integers(2000, 2020), st.sampled_from(["E09000012", "did", "x"])), max_size=3),
    st.lists(st.lists(st.integers(2000, 2020), max_size=3), max_size=2),
)


@budget(10)
@given(
    st.dictionaries(st.sampled_from(SPEC_KEYS), SPEC_VALUES, max_size=6),
    st.sampled_from(
        ['costs = "costs.csv"', 'costs = ["costs.csv", "nope.csv"]', "costs = 5", "", "admin = [1]"]
    ),
    st.booleans(),
)
def test_compare_any_spec(keys, data_line, junk):
    lines = [f"{k} = {_toml(v)}" for k, v in keys.items()]
    text = "\n".join(lines) + f"\n[data]\n{data_line}\n" + ("unit_model = [\n" if junk else "")
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "costs.csv").write_bytes((SAMPLE / "costs.csv").read_bytes())
        spec = Path(tmp) / "spec.toml"
        spec.write_text(text)
        before = _digest(Path(tmp))
        assert_clear(run(["compare", "--spec", spec, "--only", "cost", "--format", "csv"]))
        assert _digest(Path(tmp)) == before
