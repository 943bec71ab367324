"""Known gaps said, not hidden: the registry of published data gaps and caveats
(``rsw_eval/data/data_gaps.csv``), DfE's flags in the data, and DfE's suppression and rounding rules
by release (``rsw_eval/data/dfe_release_rules.csv``) as data other stages can call."""

from __future__ import annotations

import fnmatch
from functools import cache
from pathlib import Path

import pandas as pd

__all__ = ["FLAG_MEANINGS", "caveats", "data_gaps", "release_rule", "release_rules"]

_DATA = Path(__file__).resolve().parents[1] / "data"
#: What DfE's symbols say about a figure (GSS conventions as the EES files use them).
FLAG_MEANINGS = {
    "u": "DfE flags this figure as low reliability",
    "x": "not available (not collected or not returned)",
    "c": "suppressed by DfE to protect confidentiality",
    "z": "not applicable",
}


@cache
def _read(name: str) -> pd.DataFrame:
    return pd.read_csv(_DATA / name, comment="#", dtype=str, keep_default_na=False)


def data_gaps() -> pd.DataFrame:
    """The bundled registry of published gaps and caveats, one row per entry.

    Examples
    --------
    >>> g = data_gaps().set_index("id")
    >>> g.loc["hackney_cin_cyber_attack", ["la_code", "years", "kind"]].tolist()
    ['E09000012', '2021-2022', 'missing']
    """
    return _read("data_gaps.csv").copy()


def _years(text: str) -> tuple[int, int]:
    if text.strip() in ("", "*"):
        return (0, 9999)
    first, _, last = text.partition("-")
    return int(first), (int(last) if last else 9999) if _ else int(first)


def caveats(series: pd.DataFrame, focus: str | None = None) -> pd.DataFrame:
    """The registry entries and DfE flags that bite on the rows of ``series`` (``la_code, year,
    indicator``, optionally ``la_name``, ``flag``, ``source``), one row per entry and indicator.
    An entry about a release bites on rows loaded from that release's files only (the registry's
    ``files``): a user's own panel of 2006-2009 looked-after children is not LAA1's rounding.

    ``focus`` (an authority) puts its entries first. Flags (``u``, ``x``) are reported for the rows
    that carry them, except where a registry entry already explains them.

    Returns
    -------
    DataFrame
        ``indicator, years, authorities, kind, text, source``.

    Examples
    --------
    >>> s = pd.DataFrame({"la_code": ["E09000012"] * 2, "la_name": "Hackney", "year": [2021, 2023],
    ...                   "indicator": "children_in_need", "value": [float("nan"), 2550.0],
    ...                   "flag": ["x", ""], "source": "b1_children_in_need_2013_to_2025.csv"})
    >>> caveats(s)[["indicator", "years", "kind"]].values.tolist()
    [['children_in_need', '2021', 'missing']]
    """
    cols = ["indicator", "years", "authorities", "kind", "text", "source"]
    if series is None or len(series) == 0:
        return pd.DataFrame(columns=cols)
    names = (
        series.drop_duplicates("la_code").set_index("la_code")["la_name"].astype(str).to_dict()
        if "la_name" in series
        else {}
    )
    rows, explained = [], set()
    for entry in data_gaps().itertuples():
        low, high = _years(entry.years)
        wanted = [p for p in entry.indicators.split(";") if p]
        hit = series[
            series["indicator"].map(lambda i, w=wanted: any(fnmatch.fnmatchcase(str(i), p) for p in w))
            & series["year"].between(low, high)
            & ((series["la_code"] == entry.la_code) if entry.la_code != "*" else True)
            & _from(series, entry.files)
        ]
        for indicator, part in hit.groupby("indicator", sort=False):
            years = sorted({int(y) for y in part["year"]})
            codes = sorted(set(part["la_code"]))
            explained |= {(c, int(y), indicator) for c, y in zip(part["la_code"], part["year"], strict=True)}
            rows.append(
                {
                    "indicator": indicator,
                    "years": _span(years),
                    "authorities": "all shown"
                    if entry.la_code == "*"
                    else ", ".join(names.get(c, c) for c in codes),
                    "kind": entry.kind,
                    "text": entry.text,
                    "source": entry.source,
                    "_focus": entry.la_code == focus,
                }
            )
    flagged = series[series.get("flag", pd.Series("", index=series.index)).astype(str).isin(["u", "x"])]
    for (indicator, flag), part in flagged.groupby(["indicator", "flag"], sort=False):
        keep = [
            (c, int(y))
            for c, y in zip(part["la_code"], part["year"], strict=True)
            if (c, int(y), indicator) not in explained
        ]
        if not keep:
            continue
        rows.append(
            {
                "indicator": indicator,
                "years": _span(sorted({y for _, y in keep})),
                "authorities": ", ".join(sorted({names.get(c, c) for c, _ in keep})),
                "kind": "low_reliability" if flag == "u" else "missing",
                "text": f"{FLAG_MEANINGS[flag]} ({flag} in the file)",
                "source": "the files' own symbols",
                "_focus": any(c == focus for c, _ in keep),
            }
        )
    out = pd.DataFrame(rows, columns=[*cols, "_focus"])
    return (
        out.sort_values("_focus", ascending=False, kind="stable")
        .drop(columns="_focus")
        .reset_index(drop=True)
    )


def _from(series: pd.DataFrame, files: str) -> pd.Series:
    """Which rows of ``series`` come from the files an entry describes (``files``: file-name
    patterns, ``*`` for every source): a caveat about DfE's release is not about a user's own
    panel of the same indicator (findings-q22 L5), nor about rows whose source is not known.

    Examples
    --------
    >>> s = pd.DataFrame({"source": ["sfr27-2010amv5.xls", "panel.csv"]})
    >>> _from(s, "sfr27-2010amv5*").tolist(), _from(s, "*").tolist()
    ([True, False], [True, True])
    """
    patterns = [p.strip() for p in files.split(";") if p.strip()]
    if "*" in patterns:
        return pd.Series(True, index=series.index)
    sources = series["source"].astype(str) if "source" in series else pd.Series("", index=series.index)
    return sources.map(lambda s: any(fnmatch.fnmatchcase(s, p) for p in patterns))


def _span(years: list[int]) -> str:
    if not years:
        return ""
    runs, start = [], years[0]
    for a, b in zip(years, [*years[1:], None], strict=True):
        if b != a + 1:
            runs.append(f"{start}-{a}" if a > start else f"{a}")
            start = b
    return ", ".join(runs)


def release_rules() -> pd.DataFrame:
    """DfE's (and MHCLG's) suppression and rounding rules by release: ``collection, files,
    first_year, last_year, level, suppress_to, symbol, round_to, round_rule, evidence``.

    Examples
    --------
    >>> r = release_rules()
    >>> sorted(set(r["collection"]))[:3]
    ['care_leavers', 'children_in_need', 'children_looked_after']
    """
    return _read("dfe_release_rules.csv").copy()


@cache
def release_file(source: str) -> bool:
    """Whether ``source`` (a path or file name) is a file of a release the registry knows
    (:func:`release_rules`, any year): DfE's (or MHCLG's) own publication, by its file name.

    Examples
    --------
    >>> release_file("data/d3_cpps_subsequent_plan_2013_to_2025.csv"), release_file("panel.csv")
    (True, False)
    """
    name = Path(str(source)).name
    patterns = (p.strip() for files in release_rules()["files"] for p in str(files).split(";"))
    return bool(name) and any(fnmatch.fnmatchcase(name, p) for p in patterns if p)


def release_rule(source: str, year: int, level: str = "Local authority") -> dict | None:
    """The rule the release of file ``source`` applied to year ``year`` at ``level``: counts from 1
    to ``suppress_to`` published as ``symbol``; counts rounded to the nearest ``round_to``. None when
    the registry does not know the file (then a caller keeps its own default).

    This is what ``disclosure_rules = "dfe"`` should follow: the rule of the release each figure
    came from (a panel row's ``source`` and ``year``), not one rule for every year.

    Examples
    --------
    >>> r = release_rule("cla_number_and_rate_per_10k_children.csv", 2025)
    >>> r["suppress_to"], r["round_to"], release_rule("cla_number_and_rate_per_10k_children.csv", 2025,
    ...                                                 "National")["round_to"]
    (5, 1, 10)
    >>> release_rule("my_ledger.csv", 2025) is None
    True
    """
    name = Path(str(source)).name
    for r in release_rules().itertuples():
        if r.level.lower() != level.lower() or not int(r.first_year) <= int(year) <= int(r.last_year):
            continue
        if any(fnmatch.fnmatchcase(name, p.strip()) for p in r.files.split(";")):
            return {
                "collection": r.collection,
                "level": r.level,
                "suppress_to": int(r.suppress_to),
                "symbol": r.symbol,
                "round_to": int(r.round_to),
                "round_rule": r.round_rule,
                "evidence": r.evidence,
            }
    return None
