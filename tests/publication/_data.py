"""Data sets with planted small counts, in the files users bring, and the run of every command on
them: what an attacker sees (files, side files, stdout, HTML with its SVG charts)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

UNIT = "Unit LA"
TREATED = "E09000012"  # the panel's unit-model authority
COMPARATORS = ("E09000001", "E09000002", "E09000003", "E09000004", "E09000005", "E09000006")
YEARS = tuple(range(2004, 2017))
BINARY = ("no_time_for_reflection", "experienced_violence")


@dataclass
class Survey:
    """One worker survey: per authority its model, size and, per yes/no outcome, how many said yes."""

    groups: dict[str, tuple[str, int, dict[str, int]]]
    waves: bool = False
    #: authority -> its job_satisfaction answers (1-5), in order; random where not given
    answers: dict[str, list[int]] = field(default_factory=dict)
    #: authority -> its pct_time_direct_work answers (a wide item, 0-100; halves too), in order; the column is
    #: written only where some are given (random 20-60 for the other authorities)
    wide: dict[str, list[float]] = field(default_factory=dict)

    def frame(self, seed: int = 0) -> pd.DataFrame:
        rng = np.random.default_rng(seed)
        rows = []
        for authority, (model, n, yes) in self.groups.items():
            answers = {o: rng.permutation([True] * yes[o] + [False] * (n - yes[o])) for o in BINARY}
            satisfaction = self.answers.get(authority) or rng.integers(1, 6, n).tolist()
            for i in range(n):
                row = {
                    "respondent_id": f"W{authority[:2]}{i:03d}",
                    "authority": authority,
                    "model": model,
                    "job_satisfaction": int(satisfaction[i]),
                    **{o: "yes" if answers[o][i] else "no" for o in BINARY},
                }
                if self.waves:
                    row["wave"] = 2010 if (model == "unit" and i % 2) else 2009
                rows.append(row)
        if self.wide:
            wide = [
                self.wide.get(a) or rng.integers(20, 61, n).tolist() for a, (_, n, _) in self.groups.items()
            ]
            rows = [{**row, "pct_time_direct_work": x} for row, x in zip(rows, sum(wide, []), strict=True)]
        return pd.DataFrame(rows)


@dataclass
class Panel:
    """An administrative panel (long form): the unit-model authority and six comparators over
    2004-2016, with counts planted by (authority, year, indicator) -> value; ``extra``: further
    count indicators (a council's own, not on rsw-eval's list) by name -> typical size."""

    planted: dict[tuple[str, int, str], float] = field(default_factory=dict)
    seed: int = 1
    extra: dict[str, int] = field(default_factory=dict)

    def frame(self) -> pd.DataFrame:
        rng = np.random.default_rng(self.seed)
        rows = []
        for k, code in enumerate((TREATED, *COMPARATORS)):
            base = {
                "children_looked_after": 300 + 40 * k,
                "residential_placements": 30 + 3 * k,
                "cp_plans_started": 250 + 20 * k,
                "population_0_17": 50_000 + 4_000 * k,
                "sickness_days_per_fte": 10.0 + k,
                **{name: size + 2 * k for name, size in self.extra.items()},
            }
            for year in YEARS:
                drift = 1 + 0.01 * (year - 2004)
                for ind, v in base.items():
                    value = v * drift + (rng.integers(-9, 10) if ind != "sickness_days_per_fte" else 0)
                    if ind == "sickness_days_per_fte":
                        value = round(v + rng.normal(0, 0.5), 2)
                    else:  # counts are whole numbers (the loader refuses a count that is not)
                        value = round(value)
                    value = self.planted.get((code, year, ind), value)
                    rows.append((code, f"Authority {k}", year, ind, float(np.round(value, 2))))
        return pd.DataFrame(rows, columns=["la_code", "la_name", "year", "indicator", "value"])


def spec(folder: Path, *, survey: Survey | None, panel: Panel | None, rules: str = "default") -> dict:
    """Write the files and return the spec (a dict, as ``load_spec`` takes it)."""
    data: dict = {}
    if survey is not None:
        survey.frame().to_csv(folder / "workers.csv", index=False)
        data["worker_survey"] = "workers.csv"
    if panel is not None:
        panel.frame().to_csv(folder / "panel.csv", index=False)
        data["admin"] = ["panel.csv"]
    out = {
        "title": "attack",
        # two adopters on a panel (the second from 2011), so that staggered adoption runs too
        "unit_model": {TREATED: 2009, COMPARATORS[-1]: 2011, UNIT: 2009} if panel is not None else [UNIT],
        "comparators": list(COMPARATORS[:-1]) if panel is not None else "all",
        "synthetic": True,
        "disclosure_rules": rules,
        "seed": 7,
        "data": data,
    }
    if panel is not None:
        out.update(
            intervention_year=2009,
            baseline_year=2006,
            followup_year=2014,
            derived={"residential_rate": "residential_placements / population_0_17 * 10000"},
        )
    return out


@dataclass
class Outputs:
    """Everything one run published, by name: text of files and stdout, HTML pages."""

    texts: dict[str, str]
    csv: pd.DataFrame


_HASH = re.compile(r"\b[0-9a-f]{64}\b")


def run_all(
    folder: Path, spec_dict: dict, *, reports: tuple[str, ...] = ("forrester", "munro", "annual")
) -> Outputs:
    """Every command in its default, protected form: ``compare`` to CSV, JSON and Parquet (with side
    files) and to stdout in each format, and ``report`` to HTML (with its inline SVG charts). The
    comparison runs once: the commands are given its results (they would compute the same ones
    again). Input hashes are blanked (they identify the input files, which differ between data sets
    by construction)."""
    import contextlib
    import io
    from unittest import mock

    from rsw_eval.cli import main
    from rsw_eval.evaluation import engine
    from rsw_eval.spec import load_spec

    path = folder / "spec.toml"
    path.write_text(_toml(spec_dict))
    results = engine.compare(load_spec(path))
    texts: dict[str, str] = {}

    def cli(*argv: str) -> str:
        buf, err = io.StringIO(), io.StringIO()
        with (
            mock.patch.object(engine, "compare", lambda *a, **k: results),
            contextlib.redirect_stdout(buf),
            contextlib.redirect_stderr(err),
        ):
            assert main(list(argv)) == 0, err.getvalue()
        return buf.getvalue() + err.getvalue()

    for suffix in ("csv", "json", "parquet"):
        out = folder / f"results.{suffix}"
        cli("compare", "--spec", str(path), "--out", str(out))
        texts[out.name] = pd.read_parquet(out).to_csv(index=False) if suffix == "parquet" else out.read_text()
    for side in ("skipped", "coverage", "official"):
        texts[f"results.{side}.csv"] = (folder / f"results.{side}.csv").read_text()
    for fmt in ("table", "csv", "json"):
        texts[f"stdout.{fmt}"] = cli("compare", "--spec", str(path), "--format", fmt)
    if reports:
        out = folder / "reports"
        cli(
            "report", "--spec", str(path), "--format", "html", "--style", ",".join(reports), "--out", str(out)
        )
        for page in sorted(out.glob("*.html")):
            texts[page.name] = page.read_text()
    texts = {k: _HASH.sub("<sha256>", v) for k, v in texts.items()}
    return Outputs(texts, pd.read_csv(folder / "results.csv"))


def _toml(value: dict) -> str:
    """A small TOML writer for the specs above (tables, lists, strings, numbers, booleans)."""
    lines, tables = [], []
    for k, v in value.items():
        if isinstance(v, dict):
            tables.append((k, v))
        else:
            lines.append(f"{_key(k)} = {_value(v)}")
    for k, v in tables:
        lines.append(f"\n[{k}]")
        lines += [f"{_key(a)} = {_value(b)}" for a, b in v.items()]
    return "\n".join(lines) + "\n"


def _key(k: str) -> str:
    return k if re.fullmatch(r"[A-Za-z0-9_-]+", k) else f'"{k}"'


def _value(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int | float):
        return repr(v)
    if isinstance(v, str):
        return '"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(v, list | tuple):
        return "[" + ", ".join(_value(x) for x in v) + "]"
    raise TypeError(v)
