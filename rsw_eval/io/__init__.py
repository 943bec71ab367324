"""Loaders: read, map columns, validate, return typed pandas DataFrames."""

from rsw_eval.io._describe import describe
from rsw_eval.io._ghq import GHQ_ITEMS, POSITIVE_ITEMS, score_ghq12
from rsw_eval.io._surveys import MODEL_SYNONYMS, load_parent_survey, load_worker_survey

__all__ = [
    "GHQ_ITEMS",
    "MODEL_SYNONYMS",
    "POSITIVE_ITEMS",
    "describe",
    "load_parent_survey",
    "load_worker_survey",
    "score_ghq12",
]
