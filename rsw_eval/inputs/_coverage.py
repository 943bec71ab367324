"""The data coverage table: which years each indicator has, from which file, and the gaps."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from rsw_eval.inputs._vintages import compact_years, rounding_step

__all__ = ["COVERAGE_COLUMNS", "coverage", "coverage_summary"]

#: Columns of ``Results.coverage``: one row per data set x indicator x source (file or
#: ``derived: <expr>``), then one ``all sources`` row per indicator. ``vintage`` is the file's
#: release rank (1 = oldest; see :mod:`rsw_eval.inputs._vintages`), empty for derived values and costs.
COVERAGE_COLUMNS = (
    "data",
    "indicator",
    "source",
    "vintage",
    "years",
    "first_year",
    "last_year",
    "n_years",
    "n_authorities",
    "missing_cells",
    "used_years",
    "superseded_years",
    "gaps",
    "rounded_to",
)


def _one(data: str, used: pd.DataFrame, superseded: pd.DataFrame) -> list[dict]:
    rows = []
    used = used.assign(_used=True)
    allrows = pd.concat([used, superseded.assign(_used=False)], ignore_index=True)
    allrows["_finite"] = np.isfinite(allrows["value"].to_numpy(dtype=float))
    if "vintage" not in allrows:
        allrows["vintage"] = np.nan
    allrows["_step"] = rounding_step(allrows)
    for indicator, grp in allrows.groupby("indicator", sort=True):
        have = grp[grp["_finite"]]
        span = sorted(set(have["year"]))
        gaps = compact_years(set(range(span[0], span[-1] + 1)) - set(span)) if span else ""
        for source, g in grp.groupby("source", sort=False):
            h = g[g["_finite"]]
            years = sorted(set(h["year"]))
            rounded = g["_step"].max()
            rows.append(
                {
                    "data": data,
                    "indicator": str(indicator),
                    "source": str(source),
                    "vintage": g["vintage"].max(),
                    "years": compact_years(years),
                    "first_year": min(years) if years else pd.NA,
                    "last_year": max(years) if years else pd.NA,
                    "n_years": len(years),
                    "n_authorities": int(h["la_code"].nunique()),
                    "missing_cells": int((~g["_finite"] & g["_used"]).sum()),
                    "used_years": compact_years(h.loc[h["_used"], "year"]),
                    "superseded_years": compact_years(h.loc[~h["_used"], "year"]),
                    "gaps": gaps,
                    "rounded_to": rounded if rounded and rounded > 0 else np.nan,
                }
            )
        rows.append(
            {
                "data": data,
                "indicator": str(indicator),
                "source": "all sources",
                "vintage": np.nan,
                "years": compact_years(span),
                "first_year": span[0] if span else pd.NA,
                "last_year": span[-1] if span else pd.NA,
                "n_years": len(span),
                "n_authorities": int(have["la_code"].nunique()),
                "missing_cells": int((~grp["_finite"] & grp["_used"]).sum()),
                "used_years": compact_years(have.loc[have["_used"], "year"]),
                "superseded_years": "",
                "gaps": gaps,
                "rounded_to": np.nan,
            }
        )
    return rows


def coverage(
    sets: Sequence[tuple[str, pd.DataFrame | None, pd.DataFrame | None]],
    authorities: Sequence[str] | None = None,
) -> pd.DataFrame:
    """The coverage of each data set's indicators, per source, over the analysed authorities.

    Parameters
    ----------
    sets : sequence of (name, panel, superseded)
        ``name`` (``admin``, ``cost``), the long panel as used, and the rows other files' values
        replaced (see :func:`rsw_eval.inputs._vintages.combine_vintages`); either may be None.
    authorities : sequence of str, optional
        Count only these authorities (the treated and comparators); default every row.

    Returns
    -------
    DataFrame
        :data:`COVERAGE_COLUMNS`. ``years`` are the years with at least one finite value,
        ``gaps`` the years between the indicator's first and last with no value from any source,
        ``missing_cells`` the used cells that are empty or suppressed.

    Examples
    --------
    >>> import pandas as pd
    >>> p = pd.DataFrame({"la_code": "A", "year": [2006, 2007, 2010, 2011], "indicator": "cla",
    ...                   "value": [460.0, 425.0, 304.0, float("nan")], "flag": ["", "", "", "x"],
    ...                   "source": ["laa1.xls", "laa1.xls", "sfr27.csv", "sfr21.csv"]})
    >>> c = coverage([("admin", p, None)])
    >>> c[["source", "years", "gaps", "missing_cells"]]
            source            years       gaps  missing_cells
    0     laa1.xls        2006-2007  2008-2009              0
    1    sfr27.csv             2010  2008-2009              0
    2    sfr21.csv                   2008-2009              1
    3  all sources  2006-2007, 2010  2008-2009              1
    """
    rows: list[dict] = []
    for name, panel, superseded in sets:
        if panel is None or panel.empty:
            continue
        old = superseded if superseded is not None else panel.iloc[:0]
        if authorities is not None:
            keep = set(authorities)
            panel, old = panel[panel["la_code"].isin(keep)], old[old["la_code"].isin(keep)]
        rows.extend(_one(name, panel, old))
    out = pd.DataFrame(rows, columns=list(COVERAGE_COLUMNS))
    return out.astype({"first_year": "Int64", "last_year": "Int64"})


def coverage_summary(table: pd.DataFrame) -> str:
    """One line per indicator: its years, the gaps and the years each source gives.

    Examples
    --------
    >>> import pandas as pd
    >>> p = pd.DataFrame({"la_code": "A", "year": [2006, 2010], "indicator": "cla",
    ...                   "value": [460.0, 304.0], "flag": "", "source": ["laa1.xls", "sfr27.csv"]})
    >>> print(coverage_summary(coverage([("admin", p, None)])))
    Data coverage (years with values; gaps are years no file gives):
      admin cla: 2006, 2010 (gaps 2007-2009) from laa1.xls 2006; sfr27.csv 2010
    """
    if table.empty:
        return ""
    lines = ["Data coverage (years with values; gaps are years no file gives):"]
    for (data, indicator), grp in table.groupby(["data", "indicator"], sort=False):
        total = grp[grp["source"] == "all sources"].iloc[0]
        parts = [
            f"{r.source} {r.used_years or '-'}"
            + (f" (replaced {r.superseded_years})" if r.superseded_years else "")
            for r in grp[grp["source"] != "all sources"].itertuples()
        ]
        gaps = f" (gaps {total['gaps']})" if total["gaps"] else ""
        lines.append(f"  {data} {indicator}: {total['years'] or 'no values'}{gaps} from {'; '.join(parts)}")
    return "\n".join(lines)
