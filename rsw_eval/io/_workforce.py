"""Snapshot tables from Explore Education Statistics: the social work workforce census (30 September)
and ONS mid-year population (30 June), placed in the year ending 31 March that contains their date."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence

import pandas as pd

from rsw_eval.io._ees import load_dfe_table

__all__ = ["CENSUS_DATE", "MID_YEAR", "load_population", "load_workforce"]

#: The children's social work workforce census counts staff on 30 September of the year EES names.
CENSUS_DATE = "09-30"
#: ONS mid-year population estimates refer to 30 June.
MID_YEAR = "06-30"


def load_workforce(
    source: str | os.PathLike | pd.DataFrame,
    *,
    value: str | Sequence[str] | Mapping[str, str] | None = None,
    geographic_level: str | Sequence[str] = "Local authority",
) -> pd.DataFrame:
    """Read the children's social work workforce indicators (``csww_indicators_*.csv``) into the panel.

    The census is taken on 30 September of the year EES writes in ``time_period``. In the panel,
    ``year`` is the year ending 31 March that contains that date, as for every other source: the
    census of 30 September 2017 is ``year`` 2018 (reporting year 2017-18, the year in which
    children looked after on 31 March 2018 are counted). ``reference_date`` keeps the census date.

    Parameters
    ----------
    source : path or DataFrame
        The EES CSV as downloaded.
    value : str, list or dict, optional
        Indicator columns to keep (default all): ``inpost_fte``, ``agency_rate_fte``,
        ``vacancy_rate_fte``, ``turnover_rate_fte``, ``caseload_fte``, ``working_days_lost_fte``,
        ``absence_rate_fte`` ... Sickness days per FTE (the Munro measure) is
        ``working_days_lost_fte / inpost_fte``: declare it in the spec's ``[derived]`` table.
    geographic_level : str or list of str, default "Local authority"
        Also ``"National"`` and ``"Regional"`` for England's and the regions' rows.

    Returns
    -------
    DataFrame
        The long panel with ``time_period`` (as published) and ``reference_date`` columns.

    Examples
    --------
    >>> import pandas as pd
    >>> raw = pd.DataFrame({"time_period": ["2017"], "time_identifier": "Reporting year",
    ...     "geographic_level": "Local authority", "old_la_code": ["204"], "new_la_code": ["E09000012"],
    ...     "la_name": ["Hackney"], "inpost_fte": ["180.5"], "working_days_lost_fte": ["1200"]})
    >>> load_workforce(raw)[["year", "indicator", "value", "reference_date"]]
       year              indicator   value reference_date
    0  2018             inpost_fte   180.5     2017-09-30
    1  2018  working_days_lost_fte  1200.0     2017-09-30
    """
    return load_dfe_table(source, value=value, reference_date=CENSUS_DATE, geographic_level=geographic_level)


def load_population(
    source: str | os.PathLike | pd.DataFrame,
    *,
    age_group: str = "Children aged 0 to 17 years",
    name: str = "population_0_17",
    geographic_level: str | Sequence[str] = "Local authority",
) -> pd.DataFrame:
    """Read ONS mid-year population estimates as published on EES into the panel.

    The estimate for mid-year Y (30 June Y) is placed in ``year`` Y + 1, the year ending 31 March
    that contains it; this is also the population DfE divides by for rates in the year ending 31
    March Y + 1 (the EES children looked after table of 2025 gives Hackney 54,191, the ONS
    mid-2024 estimate). So a rate computed within one panel year has DfE's one-year lag already:
    do not lag the population again.

    Parameters
    ----------
    source : path or DataFrame
        ``ons_mid-year_population_estimates_*.csv``.
    age_group : str, default "Children aged 0 to 17 years"
        Value of the ``age_group`` filter column.
    name : str, default "population_0_17"
        Indicator name (the denominator :func:`rsw_eval.io.add_cla_rate` expects).
    geographic_level : str or list of str, default "Local authority"
        Also ``"National"`` and ``"Regional"`` for England's and the regions' rows.

    Returns
    -------
    DataFrame
        The long panel with ``time_period`` and ``reference_date`` (``YYYY-06-30``) columns.

    Examples
    --------
    >>> import pandas as pd
    >>> raw = pd.DataFrame({"time_period": ["2024"], "time_identifier": "Reporting year",
    ...     "geographic_level": "Local authority", "old_la_code": ["204"], "new_la_code": ["E09000012"],
    ...     "la_name": ["Hackney"], "age_group": ["Children aged 0 to 17 years"],
    ...     "population_estimate": ["54191"]})
    >>> load_population(raw)[["year", "indicator", "value", "reference_date"]]
       year        indicator    value reference_date
    0  2025  population_0_17  54191.0     2024-06-30
    """
    return load_dfe_table(
        source,
        value={"population_estimate": name},
        filters={"age_group": age_group},
        reference_date=MID_YEAR,
        geographic_level=geographic_level,
    )
