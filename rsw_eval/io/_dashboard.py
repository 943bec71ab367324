"""The indicators councils benchmark (DfE's children's social care outcomes and enablers dashboard
set): canonical names, read from DfE's own tables and columns (``rsw_eval/data/dfe_indicators.csv``),
with England's and the regions' rows beside the authorities'; and Ofsted's judgements."""

from __future__ import annotations

import os
import warnings
from functools import cache
from pathlib import Path

import pandas as pd

from rsw_eval._errors import DataError, Problem, RswEvalWarning
from rsw_eval.io._ees import GEOGRAPHY_COLUMNS, load_dfe_table
from rsw_eval.io._gaps import release_file
from rsw_eval.io._identifiers import shown_values
from rsw_eval.io._lacodes import current_code, la_codes
from rsw_eval.io._panel import FIRST_YEAR, GSS, LAST_YEAR, finish_panel
from rsw_eval.io._read import header_columns, read_table
from rsw_eval.io._xls import check_columns, choose_sheet, header_row, refuse_empty, table_below

__all__ = ["AREA_LEVELS", "OFSTED_GRADES", "dfe_indicators", "load_dfe_indicators", "load_ofsted"]

VOCABULARY_PATH = Path(__file__).resolve().parents[1] / "data" / "dfe_indicators.csv"
#: EES geographic levels read by default: the authorities, England and the regions.
AREA_LEVELS = ("Local authority", "National", "Regional")
#: Ofsted's four grades as numbers (1 = best), as DfE's dashboard orders them.
OFSTED_GRADES = {"outstanding": 1, "good": 2, "requires improvement to be good": 3, "inadequate": 4}


@cache
def _vocabulary() -> pd.DataFrame:
    return pd.read_csv(VOCABULARY_PATH, comment="#", dtype=str, keep_default_na=False)


def dfe_indicators() -> pd.DataFrame:
    """The bundled vocabulary, one row per canonical indicator in the dashboard's order.

    Columns ``order``, ``indicator`` (canonical name), ``domain``, ``label``, ``unit``, ``table``
    (a column that identifies the DfE file, or ``derived``/``ofsted``), ``dfe_column`` (DfE's own
    name), ``filters`` (``column=value; ...``), ``reference_date`` and ``formula`` (derived ones).

    Examples
    --------
    >>> v = dfe_indicators().set_index("indicator")
    >>> v.loc["agency_worker_pct", "dfe_column"], v.loc["cp_plans_repeat_pct", "dfe_column"]
    ('agency_rate_fte', 'CPP_subsequent_percent')
    """
    return _vocabulary().copy()


def _filters(text: str) -> dict[str, str]:
    return dict(part.split("=", 1) for part in (p.strip() for p in text.split(";")) if part)


def matching(columns: set[str]) -> pd.DataFrame:
    """The vocabulary rows a table with these columns holds (its own column and filter columns)."""
    v = _vocabulary()
    v = v[~v["table"].isin(["derived", "ofsted"])]
    ok = v.apply(
        lambda r: {r["table"], r["dfe_column"], *_filters(r["filters"])} <= columns,
        axis=1,
    )
    return v[ok.astype(bool)]


def load_dfe_indicators(
    source: str | os.PathLike,
    *,
    geographic_level: str | tuple[str, ...] = AREA_LEVELS,
) -> pd.DataFrame:
    """Read a DfE table of the dashboard set under canonical names, England and regions included.

    The table is recognised from its columns (``rsw_eval/data/dfe_indicators.csv``): referrals
    and re-referrals (c1), children in need (b1), child protection plans started and repeat (d3)
    and at 31 March by duration (d5), children looked after (number and rate per 10,000), placement
    stability, care leavers' accommodation and activity, the social work workforce (census of 30
    September: placed in the year ending 31 March that contains it) and ONS population 0-17. Each
    canonical indicator is read from DfE's column with the filters the vocabulary gives, so
    ``agency_rate_fte`` becomes ``agency_worker_pct`` and ``CPP_subsequent_percent``
    ``cp_plans_repeat_pct``. Rates DfE does not publish in these files (children in need, plans
    and referrals per 10,000) are derived in the evaluation from ``population_0_17``.

    Parameters
    ----------
    source : path
        The EES CSV as downloaded.
    geographic_level : str or tuple of str
        Default: local authorities, England (``E92000001``) and the regions (``E12...``,
        ``E13...``), so that reports can show England beside an authority.

    Returns
    -------
    DataFrame
        The long panel with ``dfe_column`` (the column each value was read from) and
        ``time_period`` (and ``reference_date`` for snapshots).

    Raises
    ------
    DataError
        A table that holds none of the dashboard's indicators (the columns it would need are
        named), or any error of :func:`rsw_eval.io.load_dfe_table`.

    Examples
    --------
    >>> import pandas as pd
    >>> raw = pd.DataFrame({"time_period": ["2025"] * 2, "time_identifier": "Reporting year",
    ...     "geographic_level": ["Local authority", "National"], "country_code": "E92000001",
    ...     "country_name": "England", "old_la_code": ["204", ""], "new_la_code": ["E09000012", ""],
    ...     "la_name": ["Hackney", ""], "category": "x", "CPP_start": ["272", "61840"],
    ...     "CPP_subsequent": ["50", "15130"], "CPP_subsequent_percent": ["18.4", "24.5"]})
    >>> load_dfe_indicators(raw).query("indicator == 'cp_plans_repeat_pct'")[
    ...     ["la_code", "value", "dfe_column"]]
         la_code  value              dfe_column
    1  E09000012   18.4  CPP_subsequent_percent
    4  E92000001   24.5  CPP_subsequent_percent
    """
    columns = set(source.columns) if isinstance(source, pd.DataFrame) else set(header_columns(Path(source)))
    rows = matching(columns)
    if rows.empty:
        raise DataError(
            Problem(
                str(source) if not isinstance(source, pd.DataFrame) else "<DataFrame>",
                "not a DfE table of the dashboard indicators",
                expected="one of the DfE tables in rsw_eval/data/dfe_indicators.csv (e.g. a column "
                + ", ".join(sorted(set(_vocabulary()["dfe_column"]) - {""})[:6])
                + ", ...)",
                hint="read other EES tables with kind = 'dfe' and value = ... (--kind dfe --value ...)",
            )
        )
    wanted = sorted({c for f in rows["filters"] for c in _filters(f)})
    if not isinstance(source, pd.DataFrame):
        _unread(source, columns, {*rows["table"], *rows["dfe_column"], *wanted})
    if wanted:  # files that share columns (the two care leavers tables) differ in their filter values
        table, _ = read_table(source)
        present = {c: set(table[c].astype(str).str.strip()) for c in wanted}
        rows = rows[rows["filters"].map(lambda f: all(v in present[c] for c, v in _filters(f).items()))]
    parts = []
    for (filters, date), group in rows.groupby(["filters", "reference_date"], sort=False):
        part = load_dfe_table(
            source,
            value=dict(zip(group["dfe_column"], group["indicator"], strict=True)),
            filters=_filters(filters) or None,
            geographic_level=geographic_level,
            reference_date=date or None,
        )
        part["dfe_column"] = part["indicator"].map(
            dict(zip(group["indicator"], group["dfe_column"], strict=True))
        )
        parts.append(part)
    label = str(source) if not isinstance(source, pd.DataFrame) else "<DataFrame>"
    return finish_panel(pd.concat(parts, ignore_index=True), label)


def _unread(source: str | os.PathLike, columns: set[str], read: set[str]) -> None:
    """Say which columns of a table in DfE's layout the dashboard set does not read, when the file is
    not DfE's release (:func:`rsw_eval.io.release_file`): a council's own panel in the layout, with
    its counts and populations beside one column under DfE's name, was read for that column alone,
    without a word (findings-q12disc Q1). DfE's own files hold many columns the set does not use."""
    unread = sorted(columns - set(GEOGRAPHY_COLUMNS) - read)
    if not unread or release_file(source):
        return
    shown = ", ".join(unread[:6]) + (f" and {len(unread) - 6} more" if len(unread) > 6 else "")
    warnings.warn(
        f"{source}: read as DfE's dashboard table for {', '.join(sorted(read & columns))}; its columns "
        f'{shown} are not read (not the dashboard\'s): to read them, give the admin entry kind = "dfe" '
        "and value = [...] (--kind dfe --value ...)",
        RswEvalWarning,
        stacklevel=3,
    )


_OFSTED_COLUMNS = ("Local authority area code", "Local authority name", "Overall effectiveness")


def _judgements(frame: pd.DataFrame, date_col: str, label: str) -> pd.DataFrame:
    """One row per inspection (code, name, date, grade as a number and in words); every row that
    cannot be one (a grade, date or code that is not one, the same inspection twice) is refused."""
    grade = frame["Overall effectiveness"].astype(str).str.strip()
    codes = frame["Local authority area code"].astype(str).str.strip().map(current_code)
    dates = pd.to_datetime(
        frame[date_col].astype(str).str.strip(), dayfirst=True, format="mixed", errors="coerce"
    )
    data = pd.DataFrame(
        {
            "la_code": codes,
            "la_name": frame["Local authority name"].astype(str).str.strip(),
            "date": dates,
            "value": grade.str.lower().map(OFSTED_GRADES),
            "judgement": grade,
        }
    )
    checks = [
        (
            "Overall effectiveness",
            data["value"].isna(),
            "not an Ofsted grade",
            "Outstanding, Good, Requires improvement to be good or Inadequate",
            grade,
        ),
        (
            date_col,
            data["date"].isna(),
            "not a date",
            "an inspection date such as 18/02/2019",
            frame[date_col].astype(str).str.strip(),
        ),
        (
            date_col,
            data["date"].notna() & ~data["date"].dt.year.between(FIRST_YEAR, LAST_YEAR),
            "a date out of range",
            f"an inspection date in {FIRST_YEAR}-{LAST_YEAR}",
            frame[date_col].astype(str).str.strip(),
        ),
        (
            "Local authority area code",
            ~codes.str.fullmatch(GSS).astype(bool),
            "not a GSS code",
            "a GSS code such as E09000012",
            frame["Local authority area code"].astype(str).str.strip(),
        ),
        (
            date_col,
            data.duplicated(["la_code", "date"], keep="first"),
            "the same authority's inspection appears more than once",
            "each inspection once",
            None,
        ),
    ]
    problems = [
        Problem.where(
            label,
            message,
            frame.index,
            bad,
            column=column,
            expected=expected,
            found=None if found is None else shown_values(sorted(set(found[bad]))[:3]) or "an empty cell",
        )
        for column, bad, message, expected, found in checks
        if bad.any()
    ]
    if problems:
        raise DataError(problems)
    return data


def _is_ofsted(cells: set[str]) -> bool:
    return {"Local authority area code", "Overall effectiveness"} <= cells


def load_ofsted(source: str | os.PathLike, *, sheet: str | None = None) -> pd.DataFrame:
    """Ofsted's judgement of each authority's children's services (ILACS) in force at 31 March of
    each year, from ``LA_Inspection_Outcomes_as_at_31_March_<year>.ods``.

    Read from the sheet ``ILACS_inspection_history`` (every short and standard inspection since
    2018): for the year ending 31 March Y, the judgement of the latest inspection dated on or before
    31 March Y. Years before an authority's first ILACS inspection have no row (earlier
    frameworks are not in the file).

    Parameters
    ----------
    source : path
        The workbook as published (.ods; .xlsx also read).
    sheet : str, optional
        Default ``ILACS_inspection_history`` when present, else the only sheet with the columns.

    Returns
    -------
    DataFrame
        The long panel: ``ofsted_overall_effectiveness`` (1 Outstanding, 2 Good, 3 Requires
        improvement to be good, 4 Inadequate; lower is better) with ``judgement`` (the words) and
        ``inspection_date``.

    Raises
    ------
    DataError
        No sheet with the columns (or one of them twice), a judgement that is not one of the four
        grades, a date that is not one or is outside 1990-2100, a code that is not a GSS code, the
        same authority's inspection twice, or no judgement at all (file rows named).

    Examples
    --------
    >>> from pathlib import Path
    >>> path = Path("../shared/data/dfe/LA_Inspection_Outcomes_as_at_31_March_2025.ods")
    >>> o = load_ofsted(path) if path.is_file() else None
    >>> o.query("la_code == 'E09000012' and year == 2025")["judgement"].iloc[0] if o is not None else "Good"
    'Good'
    """
    label = str(source)
    if sheet is None:
        from rsw_eval.io._xls import sheet_names

        sheet = "ILACS_inspection_history" if "ILACS_inspection_history" in sheet_names(source) else None
    sheet, rows = choose_sheet(
        source, sheet, lambda r: header_row(r, _is_ofsted) is not None, "Ofsted inspection judgements"
    )
    top = header_row(rows, _is_ofsted)
    if top is None:
        raise DataError(Problem(label, f"sheet {sheet!r} has no 'Overall effectiveness' column"))
    names, frame = table_below(rows, top, label)
    date_col = "Inspection date" if "Inspection date" in names else "Inspection start date"
    check_columns(names, (*_OFSTED_COLUMNS, date_col), label, "Ofsted's inspection outcomes")
    frame.columns = names
    data = _judgements(frame, date_col, label)
    refuse_empty(data, label, "inspection judgements")
    codes_table = la_codes()
    lookup = codes_table.drop_duplicates("la_code").set_index("la_code")["old_la_code"]
    gone = codes_table[codes_table["status"] == "abolished"].set_index("la_code")["changed"]
    out = []
    newest = data["date"].max()
    last = int(newest.year) + (1 if newest.month > 3 else 0)
    for code, g in data.sort_values("date").groupby("la_code", sort=False):
        end = int(str(gone[code])[:4]) if code in gone.index and gone[code] else last  # abolished:
        for year in range(int(g["date"].min().year), min(last, end) + 1):  # no judgement after
            done = g[g["date"] <= pd.Timestamp(year=year, month=3, day=31)]
            if done.empty:
                continue
            latest = done.iloc[-1]
            out.append(
                (
                    code,
                    lookup.get(code, ""),
                    latest["la_name"],
                    year,
                    float(latest["value"]),
                    latest["judgement"],
                    latest["date"].strftime("%Y-%m-%d"),
                )
            )
    panel = pd.DataFrame(
        out, columns=["la_code", "old_la_code", "la_name", "year", "value", "judgement", "inspection_date"]
    )
    panel = panel.assign(indicator="ofsted_overall_effectiveness", flag="", source=Path(label).name)
    return finish_panel(panel, label)
