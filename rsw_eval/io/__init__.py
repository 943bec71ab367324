"""Loaders: read, map columns, validate, return typed pandas DataFrames.

Surveys come back one row per respondent; administrative, record-level and cost sources come back as
the long panel (``la_code, old_la_code, la_name, year, indicator, value, flag, source``). The stage
that touches the user's files also holds the check every writer makes that no output is an input
(:mod:`rsw_eval.io._outputs`).

May import: nothing of the package but ``rsw_eval._errors`` (io is the bottom stage).
"""

from rsw_eval.io._costs import load_costs, real_terms
from rsw_eval.io._crosswalk import CROSSWALK_VERSION, DRIVERS, outturn_crosswalk
from rsw_eval.io._dashboard import dfe_indicators, load_dfe_indicators, load_ofsted
from rsw_eval.io._deflator import CalendarYearDeflatorWarning, DeflatorGapWarning, load_deflator
from rsw_eval.io._describe import describe, describe_panel
from rsw_eval.io._ees import add_cla_rate, load_dfe_table
from rsw_eval.io._gaps import caveats, data_gaps, release_file, release_rule, release_rules
from rsw_eval.io._ghq import GHQ_ITEMS, POSITIVE_ITEMS, score_ghq12
from rsw_eval.io._laa1 import LAA1_NAMES, load_laa1
from rsw_eval.io._lacodes import UnmappedCodeWarning, current_code, la_codes, reorganisation
from rsw_eval.io._neighbours import load_statistical_neighbours
from rsw_eval.io._outturn import SCOPES, load_outturn
from rsw_eval.io._panel import PANEL_COLUMNS, SYMBOLS, load_panel, reporting_year
from rsw_eval.io._revenue import REVENUE_BLOCKS, load_revenue_outturn
from rsw_eval.io._sfr import SFR_ALIASES, load_sfr_table
from rsw_eval.io._ssda903 import PLACE_CODES, RESIDENTIAL_PLACE, load_ssda903
from rsw_eval.io._surveys import MODEL_SYNONYMS, load_parent_survey, load_worker_survey
from rsw_eval.io._workforce import CENSUS_DATE, MID_YEAR, load_population, load_workforce

__all__ = [
    "CENSUS_DATE",
    "MID_YEAR",
    "CalendarYearDeflatorWarning",
    "DeflatorGapWarning",
    "CROSSWALK_VERSION",
    "DRIVERS",
    "GHQ_ITEMS",
    "LAA1_NAMES",
    "MODEL_SYNONYMS",
    "PANEL_COLUMNS",
    "PLACE_CODES",
    "POSITIVE_ITEMS",
    "RESIDENTIAL_PLACE",
    "REVENUE_BLOCKS",
    "SCOPES",
    "SFR_ALIASES",
    "SYMBOLS",
    "UnmappedCodeWarning",
    "add_cla_rate",
    "caveats",
    "current_code",
    "data_gaps",
    "describe",
    "describe_panel",
    "dfe_indicators",
    "la_codes",
    "load_costs",
    "load_deflator",
    "load_dfe_indicators",
    "load_dfe_table",
    "load_laa1",
    "load_ofsted",
    "load_outturn",
    "load_panel",
    "load_parent_survey",
    "load_population",
    "load_revenue_outturn",
    "load_sfr_table",
    "load_statistical_neighbours",
    "load_ssda903",
    "load_worker_survey",
    "load_workforce",
    "outturn_crosswalk",
    "real_terms",
    "release_file",
    "release_rule",
    "release_rules",
    "reorganisation",
    "reporting_year",
    "score_ghq12",
]
