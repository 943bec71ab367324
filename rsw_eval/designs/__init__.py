"""The comparison designs: each turns prepared data into tidy results rows.

Owns: cross-section (survey) comparisons, consistency, multilevel, before/after, difference-in-
differences, interrupted time series, cost change, synthetic control, synthetic DiD and staggered
adoption (Callaway & Sant'Anna), with the row helpers every design shares (``_rows``: ``make_row``,
``skip_row``). Designs work on data frames and arrays handed to them; they never read files.

May import: :mod:`rsw_eval.stats`, :mod:`rsw_eval.inference` and the indicator vocabulary of
:mod:`rsw_eval.io` (``_indicators``); never spec, inputs, comparison, evaluation or anything later.

Examples
--------
>>> from rsw_eval.designs._rows import RESULT_COLUMNS
>>> "effect_size" in RESULT_COLUMNS
True
"""
