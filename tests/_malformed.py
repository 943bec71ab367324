"""Malformed inputs for the sweep (tests/test_sweep.py): each case is a file (or folder), the
command line that reads it, and what the case breaks. Built from valid files of every kind."""

from __future__ import annotations

import functools
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from tests._fuzz import write_workbook
from tests.conftest import DFE, SAMPLE

SSDA903_ARGS = ["--year", "2010", "--la-code", "E09000012"]
SFR = "geog_l,geog_c,geog_n,MarTotal_2010,Mid2009Pop0-17\nNational,921,England,64400,11000000\n" + "".join(
    f"LA,{c},LA {c},{v},{p}\n" for c, v, p in (("204", 304, 51000), ("210", 560, 60000), ("208", 480, 55000))
)
PANEL = "la_code,year,indicator,value\n" + "".join(
    f"E09000012,{y},children_looked_after,{v}\n" for y, v in ((2010, 304), (2011, 264))
)
NEIGHBOURS = (
    "LA num,LA Name,SN1,SNP,SN2,SNP,\n204,Hackney,210,Very Close,208,Close,\n"
    "210,Southwark,204,Close,208,Close,\n"
)


def _head(path: Path, lines: int) -> str:
    return "".join(path.read_text(encoding="utf-8-sig", errors="replace").splitlines(True)[:lines])


def bases() -> dict[str, tuple[str, list[str]]]:
    """kind -> (valid CSV text, extra command-line options)."""
    out = {
        "worker_survey": ((SAMPLE / "worker_survey.csv").read_text(), []),
        "parent_survey": ((SAMPLE / "parent_survey.csv").read_text(), []),
        "dfe": (_head(SAMPLE / "admin_panel.csv", 40), []),
        "costs": ((SAMPLE / "costs.csv").read_text(), []),
        "ssda903": (_head(SAMPLE / "ssda903_episodes_2010.csv", 60), SSDA903_ARGS),
        "sfr": (SFR, ["--value", "MarTotal_2010", "--year", "2010"]),
        "neighbours": (NEIGHBOURS, []),
    }
    out["panel"] = (PANEL, [])
    out["laa1"] = (SFR, [])  # a workbook kind given text: every case must still be one clear line
    out["deflator"] = (SFR, [])
    for kind, name in (
        ("workforce", "csww_indicators_2017_to_2025.csv"),
        ("population", "ons_mid-year_population_estimates_2012_to_2024.csv"),
    ):
        if (DFE / name).is_file():
            out[kind] = (_head(DFE / name, 40), [])
    if (DFE / "s52_outturn_0910.csv").is_file():
        text = (DFE / "s52_outturn_0910.csv").read_bytes().decode("cp1252")
        out["outturn"] = ("".join(text.splitlines(True)[:120]), ["--expenditure", "gross", "--year", "2010"])
    if (DFE / "sn_model_2025_wide.csv").is_file():
        out["neighbours_2025"] = (_head(DFE / "sn_model_2025_wide.csv", 40), [])
    for kind, name in (
        ("indicators", "d3_cpps_subsequent_plan_2013_to_2025.csv"),
        ("indicators_cla", "cla_number_and_rate_per_10k_children.csv"),
    ):
        if (DFE / name).is_file():
            out[kind] = (_authorities(DFE / name, 30), [])
    return out


#: the --kind of the bases whose name is not a kind (a second layout of a kind)
KIND = {"neighbours_2025": "neighbours", "indicators_cla": "indicators"}


def kind_of(name: str) -> str:
    """The ``--kind`` that reads base ``name``."""
    return KIND.get(name, name)


def _authorities(path: Path, n: int) -> str:
    """An EES table's header, its first England and region rows and ``n`` authority rows."""
    lines = path.read_text(encoding="utf-8-sig", errors="replace").splitlines(True)
    local = [line for line in lines[1:] if ",Local authority," in line][:n]
    return "".join([*lines[:6], *local])


#: Workbooks as published (title rows, several sheets, .xls and .ods): name -> (file, sheet, rows
#: kept, --kind, options). Their first rows (the titles, the header, some authorities) are the
#: bases of the workbook fuzz; the RO3/RSX columns are cut to the keys and children's social care.
WORKBOOKS = {
    "outturn_xls": ("s251ye2010.xls", "Table A1 Detailed Report", 90, "outturn", ["--expenditure", "gross"]),
    "outturn_ods": ("s251ye2014.ods", "TA1AllData_13112014", 90, "outturn", ["--expenditure", "net"]),
    "revenue_ro3": (
        "RO3_LA_Data_2024-25_data_by_LA.ods",
        "RO3_LA_Data_202425",
        45,
        "revenue",
        ["--expenditure", "gross"],
    ),
    "revenue_rsx": (
        "RSX_LA_Data_2024-25_data_by_LA.ods",
        "RSX_LA_Data_202425",
        45,
        "revenue",
        ["--expenditure", "net", "--scope", "cyps"],
    ),
    "ofsted": (
        "LA_Inspection_Outcomes_as_at_31_March_2025.ods",
        "ILACS_inspection_history",
        60,
        "ofsted",
        [],
    ),
}


@functools.cache
def workbook_rows(name: str) -> tuple[tuple[object, ...], ...] | None:
    """The first rows of workbook base ``name`` (None when the real file is absent)."""
    from rsw_eval.io._xls import cell_text, sheet_rows

    file, sheet, n, _, _ = WORKBOOKS[name]
    if not (DFE / file).is_file():
        return None
    rows = sheet_rows(DFE / file, sheet)[:n]
    if name.startswith("revenue"):
        header = next(i for i, r in enumerate(rows) if cell_text(r[0]) == "E-code")
        keep = [i for i, v in enumerate(rows[header]) if i < 7 or "social care" in cell_text(v).lower()]
        rows = [[r[i] for i in keep if i < len(r)] for r in rows]
    return tuple(tuple(r) for r in rows)


def _lines(text: str) -> list[str]:
    return text.splitlines()


def _cell(text: str, row: int, col: int, value: str) -> str:
    lines = _lines(text)
    cells = lines[row].split(",")
    cells[min(col, len(cells) - 1)] = value
    lines[row] = ",".join(cells)
    return "\n".join(lines) + "\n"


def _numeric_col(text: str) -> int:
    """The first column whose second-row value is a number (else the last column)."""
    row = _lines(text)[1].split(",")
    for i, v in enumerate(row):
        if v.replace(".", "", 1).isdigit():
            return i
    return len(row) - 1


#: mutation name -> function of the valid CSV text giving the malformed content (str or bytes)
TEXT_MUTATIONS: dict[str, Callable[[str], str | bytes]] = {
    "empty file": lambda t: "",
    "header only": lambda t: _lines(t)[0] + "\n",
    "binary junk": lambda t: bytes(range(256)) * 4,
    "utf-16": lambda t: t.encode("utf-16"),
    "trailing comma on every row": lambda t: (
        "\n".join([_lines(t)[0]] + [line + "," for line in _lines(t)[1:]]) + "\n"
    ),
    "duplicated header column": lambda t: (
        "\n".join([_lines(t)[0] + "," + _lines(t)[0].split(",")[0]] + [line + ",x" for line in _lines(t)[1:]])
        + "\n"
    ),
    "first column missing": lambda t: "\n".join(",".join(line.split(",")[1:]) for line in _lines(t)) + "\n",
    "blank row of commas": lambda t: (
        "\n".join([_lines(t)[0], "," * _lines(t)[0].count(","), *_lines(t)[1:]]) + "\n"
    ),
    "decimal comma": lambda t: _cell(t, 1, _numeric_col(t), '"1,5"'),
    "negative number": lambda t: _cell(t, 1, _numeric_col(t), "-7"),
    "infinite number": lambda t: _cell(t, 1, _numeric_col(t), "inf"),
    "formula cell": lambda t: _cell(t, 1, 0, "=cmd|' /C calc'!A0"),
    "postcode in the first column": lambda t: _cell(t, 2, 0, "E8 1DY"),
    "impossible date": lambda t: t.replace("/20", "/10", 3).replace("/19", "/23", 2),
    "truncated mid-row": lambda t: t[: len(t) // 2],
    "unbalanced quote": lambda t: _cell(t, 1, 1, '"open'),
    "text in every cell": lambda t: (
        "\n".join([_lines(t)[0]] + [",".join("x" for _ in _lines(t)[0].split(","))]) + "\n"
    ),
    "rows repeated": lambda t: t + "\n".join(_lines(t)[1:]) + "\n",
    "huge number": lambda t: _cell(t, 1, _numeric_col(t), "1e400"),
    "empty authority code": lambda t: _cell(t, 1, 0, ""),
    "semicolon separated": lambda t: t.replace(",", ";"),
    # issue 21
    "classic-Mac line ends": lambda t: t.replace("\r\n", "\n").replace("\n", "\r"),
    "blank lines between rows": lambda t: "\n".join([_lines(t)[0], "", "", *_lines(t)[1:]]) + "\n",
    "identifier in a number column": lambda t: _cell(t, 1, _numeric_col(t), "ZQ4815162342"),
    "identifier in the first column": lambda t: _cell(t, 2, 0, "jo.bloggs@example.org"),
    "impossible year": lambda t: t.replace("2010", "1066", 2),
    "impossible percentage": lambda t: _cell(t, 1, _numeric_col(t), "250"),
    "non-integer count": lambda t: _cell(t, 1, _numeric_col(t), "3.5"),
}


@dataclass(frozen=True)
class Case:
    kind: str
    what: str
    path: Path
    argv: tuple[str, ...]


def _write_table(text: str, path: Path, suffix: str) -> Path:
    frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    frame = frame.replace("", None)  # blank cells as XLSX and Parquet hold them
    target = path.with_suffix(suffix)
    if suffix == ".xlsx":
        frame.to_excel(target, index=False)
    else:
        frame.to_parquet(target, index=False)
    return target


def cases(folder: Path) -> Iterator[Case]:
    """Every malformed input of every kind, written under ``folder`` (the valid Header file of the
    SSDA903 cases too)."""
    header = folder / "ssda903_header.csv"
    header.write_text((SAMPLE / "ssda903_header_2010.csv").read_text())
    for kind, (text, options) in bases().items():
        extra = ["--header", str(header), *options] if kind == "ssda903" else options

        def case(what: str, path: Path, kind=kind, extra=extra) -> Case:
            return Case(kind, what, path, ("validate", str(path), "--kind", kind_of(kind), *extra))

        for i, (what, mutate) in enumerate(TEXT_MUTATIONS.items()):
            content = mutate(text)
            path = folder / f"{kind}_{i:02d}.csv"
            path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
            yield case(what, path)
        for suffix in (".xlsx", ".parquet"):
            yield case(
                f"valid table as {suffix} with blank cells", _write_table(text, folder / f"{kind}_v", suffix)
            )
            blanked = _cell(text, 1, 0, "")
            yield case(
                f"{suffix} with an empty first cell", _write_table(blanked, folder / f"{kind}_b", suffix)
            )
        bad = folder / f"{kind}_corrupt.xlsx"
        bad.write_text("not a workbook")
        yield case("corrupt xlsx", bad)
        yield case("wrong suffix", _touch(folder / f"{kind}.txt", text))
        yield case("a folder", _mkdir(folder / f"{kind}_dir.csv"))
        yield case("missing file", folder / f"{kind}_missing.csv")
    yield from workbook_cases(folder)


def _header(rows: list[list[object]]) -> int:
    """The header row of a sheet: the first row with more than half its cells filled."""
    return next(i for i, r in enumerate(rows) if sum(str(v).strip() != "" for v in r) > len(r) / 2)


def _set(rows: list[list[object]], row: int, col: int, value: object) -> list[list[object]]:
    rows[row][col] = value
    return rows


#: mutation name -> function of (the sheet's rows, its header row) giving the rows to write
WORKBOOK_MUTATIONS: dict[str, Callable[[list[list[object]], int], list[list[object]]]] = {
    "valid sheet saved as xlsx": lambda r, h: r,
    "title rows removed": lambda r, h: r[h:],
    "an authority's rows repeated": lambda r, h: [*r, *r[h + 1 : h + 4]],
    "the header repeated below the table": lambda r, h: [*r, r[h]],
    "header only": lambda r, h: r[: h + 1],
    "a column name blank": lambda r, h: _set(r, h, 1, ""),
    "two columns of one name": lambda r, h: _set(r, h, len(r[h]) - 1, r[h][len(r[h]) - 2]),
    "the authority code column dropped": lambda r, h: [row[:1] + row[2:] for row in r],
    "identifier in a number cell": lambda r, h: _set(r, h + 1, len(r[h]) - 1, "ZQ4815162342"),
    "identifier in the first column": lambda r, h: _set(r, h + 2, 0, "jo.bloggs@example.org"),
    "formula without a saved value": lambda r, h: _set(r, h + 1, len(r[h]) - 1, "=1+1"),
    "infinite number": lambda r, h: _set(r, h + 1, len(r[h]) - 1, "1e400"),
    "a date in a number cell": lambda r, h: _set(r, h + 1, len(r[h]) - 1, "31/03/2010"),
    "a blank row after the header": lambda r, h: [*r[: h + 1], [], *r[h + 1 :]],
    "unknown authority code": lambda r, h: _set(_set(r, h + 1, 0, "999"), h + 1, 1, "E0900012"),
}


def workbook_cases(folder: Path) -> Iterator[Case]:
    """The published workbooks (.xls, .ods), cut to their first rows, with each mutation saved as
    XLSX; and each real file cut off halfway, as a download that stopped."""
    for name, (file, sheet, _, kind, options) in WORKBOOKS.items():
        base = workbook_rows(name)
        if base is None:
            continue
        for i, (what, mutate) in enumerate(WORKBOOK_MUTATIONS.items()):
            rows = [list(r) for r in base]
            path = write_workbook(folder / f"{name}_{i:02d}.xlsx", sheet, mutate(rows, _header(rows)))
            yield Case(name, what, path, ("validate", str(path), "--kind", kind, *options))
        data = (DFE / file).read_bytes()
        cut = folder / f"{name}_cut{Path(file).suffix}"
        cut.write_bytes(data[: len(data) // 2])
        yield Case(name, "a download cut off halfway", cut, ("validate", str(cut), "--kind", kind, *options))


def _touch(path: Path, text: str) -> Path:
    path.write_text(text)
    return path


def _mkdir(path: Path) -> Path:
    path.mkdir(exist_ok=True)
    return path


SPECS = {
    "unit_model a number": 'unit_model = 5\n[data]\ncosts = "costs.csv"\n',
    "before_after a flat pair": 'before_after = [2006, 2010]\n[data]\ncosts = "costs.csv"\n',
    "cost_years text": 'cost_years = "2009"\n[data]\ncosts = "costs.csv"\n',
    "unknown admin key": 'unit_model = ["A"]\n[[data.admin]]\npath = "admin_panel.csv"\nvlaue = "x"\n',
    "confidence text": 'confidence = "0.9"\n[data]\ncosts = "costs.csv"\n',
    "designs text": 'designs = "nothing"\n[data]\ncosts = "costs.csv"\n',
    "adoption year text": '[unit_model]\nE09000012 = "2008"\n[data]\ncosts = "costs.csv"\n',
    "data a list": 'data = ["costs.csv"]\n',
    "no data": 'title = "x"\n',
    "bad toml": "unit_model = [\n",
    "missing data file": 'unit_model = ["E09000012"]\n[data]\ncosts = "nope.csv"\n',
    "ssda903 incomplete": 'unit_model = ["E09000012"]\n[data.ssda903]\nheader = "h.csv"\n',
    "disclosure rules unknown": 'disclosure_rules = "strict"\n[data]\ncosts = "costs.csv"\n',
    "threshold negative": 'disclosure_threshold = -1\n[data]\ncosts = "costs.csv"\n',
    "admin entry a number": 'unit_model = ["E09000012"]\n[data]\nadmin = [5]\n',
}


def command_cases(folder: Path) -> Iterator[Case]:
    """compare / report / check-reported / sample with malformed specs, options and outputs."""
    for i, (what, text) in enumerate(SPECS.items()):
        spec = folder / f"spec_{i:02d}.toml"
        spec.write_text(text)
        yield Case("spec", what, spec, ("compare", "--spec", str(spec), "--only", "cost"))
        yield Case(
            "spec",
            what,
            spec,
            ("report", "--spec", str(spec), "--format", "html", "--out", str(folder / "r")),
        )
    sample = str(SAMPLE)
    costs_copy = folder / "costs_out.csv"
    yield Case(
        "output",
        "--out into a missing folder",
        costs_copy,
        ("compare", sample, "--only", "cost", "--out", str(folder / "no" / "r.csv")),
    )
    yield Case(
        "output",
        "--out onto an input file",
        costs_copy,
        ("compare", sample, "--only", "cost", "--out", str(SAMPLE / "costs.csv")),
    )
    yield Case(
        "output", "--out a folder", costs_copy, ("compare", sample, "--only", "cost", "--out", str(folder))
    )
    yield Case(
        "output",
        "--out with an unknown suffix",
        costs_copy,
        ("compare", sample, "--only", "cost", "--out", str(folder / "r.xlsx")),
    )
    yield Case(
        "output",
        "report --out onto a file",
        costs_copy,
        ("report", sample, "--style", "munro", "--format", "html", "--out", str(SAMPLE / "costs.csv")),
    )
    yield Case(
        "output", "unknown report style", costs_copy, ("report", sample, "--style", "x", "--out", str(folder))
    )
    yield Case(
        "output", "sample --out onto a file", costs_copy, ("sample", "--out", str(SAMPLE / "costs.csv"))
    )
    panel = folder / "panel_copy.csv"
    panel.write_bytes((SAMPLE / "admin_panel.csv").read_bytes())
    yield Case(
        "output",
        "screen --out onto its input",
        panel,
        ("screen", str(panel), "--year", "2008", "--out", str(panel)),
    )
    yield Case(
        "output",
        "screen --chart onto its input",
        panel,
        ("screen", str(panel), "--year", "2008", "--chart", str(panel)),
    )
    side = folder / "r.coverage.csv"  # compare --out r.csv writes r.coverage.csv beside it
    if not side.is_symlink():
        side.symlink_to(SAMPLE / "costs.csv")
    yield Case(
        "output",
        "compare side file onto a link to an input",
        costs_copy,
        ("compare", sample, "--only", "cost", "--out", str(folder / "r.csv")),
    )
    mine = folder / "mine"
    mine.mkdir(exist_ok=True)
    (mine / "worker_survey.csv").write_text("respondent_id,authority,model\nreal,Hackney,unit\n")
    yield Case("output", "sample --out over a survey it did not write", mine, ("sample", "--out", str(mine)))
    templates = folder / "templates"
    templates.mkdir(exist_ok=True)
    (templates / "summary.html").write_text("<p>{% if %}</p>\n")
    yield Case(
        "output",
        "template syntax error",
        templates,
        (
            "report",
            sample,
            "--style",
            "munro",
            "--format",
            "html",
            "--out",
            str(folder / "t"),
            "--templates",
            str(templates),
        ),
    )
    reported = folder / "reported.csv"
    for j, text in enumerate(
        (
            "test,statistic,df,p\nt,abc,10,0.05\n",
            "test,statistic\nt,2\n",
            "",
            "test,statistic,df,p\nq,2,10,0.05\n",
            "test,statistic,df,p\nt,2,-3,2\n",
            "test,statistic,df,p\nF,4.2,10,0.05\n",
            "test,statistic,df,p\nr,1.5,10,0.05\nchi2,-3,2,0.05\nt,2,inf,0.05\n",
            "test,statistic,df,p\r t,2.2,28,.03\r",
        )
    ):
        path = folder / f"reported_{j}.csv"
        path.write_text(text)
        yield Case("check-reported", f"malformed table {j}", path, ("check-reported", str(path)))
    yield Case("check-reported", "missing file", reported, ("check-reported", str(reported)))
