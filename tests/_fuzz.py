"""Shared pieces of the fuzz suites (issue 21 item 6): the budget, the cells, files written from
mutated valid tables, and a command-line runner that says whether a run was clear.

Budget: every fuzz test states its examples for ``make test`` (derandomised, so CI is stable and
the whole set stays within a minute or two). ``make fuzz`` sets ``RSW_FUZZ_SCALE`` (default there
50): each budget is multiplied by it and examples are drawn afresh on every run (a failure prints
the example and a ``@reproduce_failure`` blob).
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
import traceback
import warnings
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st

#: Multiplies every budget (1 in ``make test``; ``make fuzz`` sets it).
SCALE = float(os.environ.get("RSW_FUZZ_SCALE", "1"))
LONG = SCALE > 1

fuzz_mark = pytest.mark.fuzz


def budget(examples: int) -> settings:
    """Hypothesis settings for a fuzz test whose ``make test`` budget is ``examples``."""
    return settings(
        derandomize=not LONG,
        database=None,
        max_examples=max(1, round(examples * SCALE)),
        deadline=None,
        print_blob=True,
        suppress_health_check=list(HealthCheck),
    )


def engine_budget(examples: int) -> settings:
    """Hypothesis settings for a property test that runs the engine once per example: fixed
    examples (derandomised, no database) and no shrinking, which would rerun the engine many times."""
    return settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        database=None,
        phases=(Phase.explicit, Phase.generate),
        suppress_health_check=[HealthCheck.too_slow],
    )


#: Values that identify someone, planted in cells: no message or summary may show them.
SECRETS = ("ZQ4815162342", "jo.bloggs@example.org", "E8 1DY", "9434765919")

CELLS = st.one_of(
    st.sampled_from(
        [
            "",
            " ",
            "1",
            "0",
            "3",
            "5",
            "-1",
            "1,5",
            "1,234",
            "inf",
            "-inf",
            "nan",
            "NaN",
            "1e400",
            "3.5",
            "x",
            "c",
            "..",
            "yes",
            "no",
            "unit",
            "conventional",
            "Unit model",
            "E09000012",
            "E0900012",
            "204",
            "999",
            "2010",
            "1066",
            "9999",
            "2009-10",
            "200910",
            "31/03/2010",
            "01/04/1066",
            "=1+1",
            "@SUM(A1)",
            "+1",
            "  A  ",
            "\t",
            "é",
            "\u00a0",
            '"',
            "a\nb",
            "a\rb",
            "250",
            "-40",
            "ghq",
        ]
    ),
    st.sampled_from(SECRETS),
    st.integers(-10, 3000).map(str),
    st.floats(allow_nan=True, allow_infinity=True, width=32).map(repr),
    st.text(max_size=6),
)


#: The keys of a spec's top level (and one it does not know).
SPEC_KEYS = [
    "title",
    "unit_model",
    "comparators",
    "donors",
    "designs",
    "intervention_year",
    "baseline_year",
    "followup_year",
    "before_after",
    "cost_years",
    "confidence",
    "adjust",
    "seed",
    "disclosure_threshold",
    "disclosure_rules",
    "synthetic",
    "unknown_key",
]


def _rows(text: str) -> list[list[str]]:
    return [r for r in csv.reader(io.StringIO(text, newline="")) if r]


@st.composite
def mutated_rows(draw, table: str | list[list[object]]) -> list[list[object]]:
    """A valid table (CSV text, or a workbook sheet's rows) with up to six random mutations: a cell
    replaced, a column or row dropped, a row repeated, a blank row inserted, two names of the first
    row swapped, rows cut."""
    rows = _rows(table) if isinstance(table, str) else [list(r) for r in table]
    for _ in range(draw(st.integers(0, 6))):
        kind = draw(
            st.sampled_from(
                ["cell", "cell", "cell", "drop_col", "drop_row", "dup_row", "blank", "swap", "cut"]
            )
        )
        width = max(len(r) for r in rows)
        if kind == "cell" and len(rows) > 1:
            r = draw(st.integers(1, len(rows) - 1))
            c = draw(st.integers(0, max(len(rows[r]) - 1, 0)))
            if rows[r]:
                rows[r][c] = draw(CELLS)
        elif kind == "drop_col" and width > 1:
            c = draw(st.integers(0, width - 1))
            rows = [row[:c] + row[c + 1 :] for row in rows]
        elif kind == "drop_row" and len(rows) > 2:
            del rows[draw(st.integers(1, len(rows) - 1))]
        elif kind == "dup_row" and len(rows) > 1:
            r = draw(st.integers(1, len(rows) - 1))
            rows.insert(draw(st.integers(1, len(rows))), list(rows[r]))
        elif kind == "blank":
            rows.insert(draw(st.integers(1, len(rows))), [])
        elif kind == "swap" and len(rows[0]) > 1:
            a, b = draw(st.permutations(range(len(rows[0]))))[:2]
            rows[0][a], rows[0][b] = rows[0][b], rows[0][a]
        elif kind == "cut" and len(rows) > 2:
            rows = rows[: draw(st.integers(1, len(rows) - 1))]
    return rows


@st.composite
def file_bytes(draw, rows: list[list[str]]) -> bytes:
    """The rows as a CSV file with random line ends (LF, CRLF, classic-Mac CR), sometimes a BOM
    or Windows-1252 bytes, sometimes a trailing comma on every row."""
    end = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=end)
    trailing = draw(st.integers(0, 9)) == 0
    for row in rows:
        writer.writerow([*row, ""] if trailing and row else row)
    text = out.getvalue()
    encoding = draw(st.sampled_from(["utf-8", "utf-8", "utf-8-sig", "cp1252"]))
    return text.encode(encoding, errors="replace")


@dataclass
class Run:
    status: int | None
    out: str
    err: str

    @property
    def crashed(self) -> bool:
        return self.status is None


def run(argv: list[str]) -> Run:
    """``rsw-eval ARGV`` in this process: its exit status, stdout and stderr (status None and the
    traceback when an exception escaped)."""
    from rsw_eval.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            status = main([str(a) for a in argv])
        except SystemExit as exc:
            status = exc.code if isinstance(exc.code, int) else 2
        except Exception:
            return Run(None, out.getvalue(), traceback.format_exc())
    return Run(status, out.getvalue(), err.getvalue())


def assert_clear(result: Run, *, names: tuple[str, ...] = ()) -> None:
    """The run ended with exit 0 or 2, never a traceback; on exit 2 every line of stderr is one of
    rsw-eval's (and, when ``names`` are given, each error names one of those files); no planted
    identifier is printed anywhere."""
    assert not result.crashed, result.err
    assert result.status in (0, 2), (result.status, result.err)
    if result.status == 2:
        lines = result.err.splitlines()
        assert lines, "exit 2 without a message"
        for line in lines:
            assert line.startswith(("rsw-eval: error: ", "rsw-eval: warning: ", "usage: ", "rsw-eval: ")), (
                line
            )
            if names and line.startswith("rsw-eval: error: "):
                assert any(n in line for n in names), line
    for secret in SECRETS:
        assert secret not in result.out and secret not in result.err, secret


def write_table(path: Path, rows: list[list[str]], data: bytes) -> Path:
    """Write ``data`` to ``path`` (CSV), or the rows as a workbook or Parquet for those suffixes."""
    if path.suffix == ".csv":
        path.write_bytes(data)
        return path
    import pandas as pd

    width = max((len(r) for r in rows), default=0)
    body = [r + [""] * (width - len(r)) for r in rows[1:]]
    header = rows[0] + [f"extra{i}" for i in range(width - len(rows[0]))] if rows else []
    frame = pd.DataFrame(body, columns=[str(h) for h in header], dtype=object)
    if path.suffix == ".xlsx":  # text starting with '=' becomes a formula without a saved value
        excel_safe(frame).to_excel(path, index=False)
    else:
        frame.columns = [
            f"{c}.{i}" if list(frame.columns).count(c) > 1 else c for i, c in enumerate(frame.columns)
        ]
        frame.to_parquet(path, index=False)
    return path


def write_workbook(path: Path, sheet: str, rows: list[list[object]]) -> Path:
    """The rows as one sheet of an XLSX workbook (text starting with ``=`` becomes a formula without
    a saved value, as openpyxl saves it; characters a workbook cannot hold are dropped)."""
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    book = Workbook()
    book.active.title = sheet
    for row in rows:
        book.active.append([ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in row])
    book.save(path)
    return path


def excel_safe(frame):
    """``frame`` without the control characters a workbook cannot hold (openpyxl refuses them)."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    clean = frame.map(lambda v: ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v)
    clean.columns = [ILLEGAL_CHARACTERS_RE.sub("", str(c)) for c in frame.columns]
    return clean
