"""Several files giving the same series: one value per authority x year x indicator, by a stated rule.

The rule (documented in :class:`rsw_eval.spec.EvaluationSpec`, ``vintage_order``):

1. An unrounded value beats a value rounded by its publisher (a panel column ``rounding`` such
   as ``"nearest 5"``, as the LAA1 loader writes, or a number ``rounded_to``: SFR 27/2010 LAA1
   rounds to 5), whatever the release.
2. Otherwise the newest release wins: by ``vintage_order`` (file names, oldest first) when the
   spec gives it, else by the order of ``[data] admin`` (a later entry is newer). A record-level
   return (SSDA903) ranks below every published file unless ``vintage_order`` names it.

Every overlap is listed in ``Results.provenance["overlaps"]`` with the number of values that
disagree; an overlap with disagreements also raises a :class:`VintageWarning`. Each value of the
panel keeps its ``source`` and ``vintage``.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd

from rsw_eval._errors import RswEvalWarning, SpecError
from rsw_eval.io._years import compact_years

__all__ = ["VintageWarning", "combine_vintages", "compact_years", "rounding_step"]

KEY = ["la_code", "year", "indicator"]


class VintageWarning(RswEvalWarning):
    """Two input files give the same indicator for the same authority-years (listed, with the
    values that disagree and which file was kept)."""


def rounding_step(frame: pd.DataFrame) -> np.ndarray:
    """The publisher's rounding of each value (0 where exact): a number ``rounded_to``, or the
    text of a ``rounding`` column (``"nearest 5"`` -> 5, ``"whole number"`` -> 1).

    Examples
    --------
    >>> import pandas as pd
    >>> rounding_step(pd.DataFrame({"rounding": ["nearest 5", "whole number", "", None]})).tolist()
    [5.0, 1.0, 0.0, 0.0]
    """
    if "rounded_to" in frame:
        step = pd.to_numeric(frame["rounded_to"], errors="coerce")
    elif "rounding" in frame:
        text = frame["rounding"].astype(object).fillna("").astype(str).str.lower()
        step = pd.to_numeric(text.str.extract(r"nearest\s+(\d+(?:\.\d+)?)")[0], errors="coerce")
        step = step.where(~text.str.contains("whole"), 1.0)
    else:
        return np.zeros(len(frame))
    return step.fillna(0.0).clip(lower=0.0).to_numpy(dtype=float)


def _ranks(labels: Sequence[str], order: Sequence[str], record_level: Sequence[bool]) -> dict[str, float]:
    """Each file's vintage: 1 = oldest release (``vintage_order`` or the ``[data]`` order); a
    record-level return is 0 (below every published table) unless ``vintage_order`` names it."""
    if order:
        return {lab: float(order.index(lab) + 1) if lab in order else np.nan for lab in labels}
    pairs = enumerate(zip(labels, record_level, strict=True), start=1)
    return {lab: 0.0 if rl else float(i) for i, (lab, rl) in pairs}


def combine_vintages(
    parts: Sequence[tuple[str, pd.DataFrame, bool]], order: Sequence[str] = ()
) -> tuple[pd.DataFrame, pd.DataFrame, list[dict]]:
    """Combine the panels of several files into one value per authority x year x indicator.

    Parameters
    ----------
    parts : sequence of (label, panel, record_level)
        Each file's panel in ``[data]`` order, with its label (file name) and whether it is a
        record-level return.
    order : sequence of str
        ``vintage_order``: file labels, oldest release first.

    Returns
    -------
    (panel, superseded, overlaps)
        The combined panel (with a ``vintage`` column: the file's release rank, 1 = oldest; 0 for
        a record-level return), the rows
        that another file's value replaced, and one dict per overlap (indicator, kept and replaced
        file, years, values compared, values that disagree, examples, rule).

    Raises
    ------
    SpecError
        ``vintage_order`` is given but does not name a file that overlaps another.

    Examples
    --------
    >>> import pandas as pd
    >>> old = pd.DataFrame({"la_code": "E09000012", "year": [2022, 2023], "indicator": "cla",
    ...                     "value": [405.0, 392.0], "flag": "", "source": "old.csv"})
    >>> new = old.assign(year=[2023, 2024], value=[391.0, 384.0], source="new.csv")
    >>> import warnings
    >>> with warnings.catch_warnings(record=True):
    ...     panel, gone, overlaps = combine_vintages([("old.csv", old, False), ("new.csv", new, False)])
    >>> panel[["year", "value", "source"]].values.tolist()
    [[2022, 405.0, 'old.csv'], [2023, 391.0, 'new.csv'], [2024, 384.0, 'new.csv']]
    >>> overlaps[0]["kept"], overlaps[0]["years"], overlaps[0]["disagree"]
    ('new.csv', '2023', 1)
    """
    labels = [lab for lab, _, _ in parts]
    ranks = _ranks(labels, list(order), [rl for _, _, rl in parts])
    frames = []
    for label, frame, _ in parts:
        f = frame.copy()
        f["vintage"] = ranks[label]
        f["_label"] = label
        frames.append(f)
    if not frames:
        return pd.DataFrame(), pd.DataFrame(), []
    allrows = pd.concat(frames, ignore_index=True)
    rounded = rounding_step(allrows) > 0
    finite = np.isfinite(allrows["value"].to_numpy(dtype=float))
    # a rounded value yields only to an unrounded finite value of the same authority-year
    exact = pd.Series(finite & ~rounded, index=allrows.index)
    has_exact = exact.groupby([allrows[k] for k in KEY]).transform("any").to_numpy()
    allrows["_priority"] = np.where(rounded & finite & has_exact, 0, 1)
    dup = allrows.duplicated(KEY, keep=False)
    overlaps: list[dict] = []
    if not dup.any():
        return (
            allrows.drop(columns=["_label", "_priority"]),
            allrows.iloc[:0].drop(columns=["_label", "_priority"]),
            overlaps,
        )
    if order:
        missing = sorted(set(allrows.loc[dup & allrows["vintage"].isna(), "_label"]))
        if missing:
            others = sorted(set(allrows.loc[dup, "_label"]) - set(missing))
            raise SpecError(
                f"vintage_order does not name {', '.join(missing)}, which gives the same series as "
                f"{', '.join(others) or 'another file'}; add it (file names, oldest release first)"
            )
    ordered = allrows.sort_values(["_priority", "vintage"], ascending=False, kind="stable")
    keep = ~ordered.duplicated(KEY, keep="first")
    kept, lost = ordered[keep], ordered[~keep]
    rule = "vintage_order in the spec" if order else "[data] admin order (a later file is newer)"
    merged = lost.merge(kept[[*KEY, "value", "_label", "_priority"]], on=KEY, suffixes=("", "_kept"))
    for (indicator, kept_label, lost_label), grp in merged.groupby(
        ["indicator", "_label_kept", "_label"], sort=True
    ):
        a, b = grp["value_kept"].to_numpy(dtype=float), grp["value"].to_numpy(dtype=float)
        differ = ~((a == b) | (np.isnan(a) & np.isnan(b)))  # NaN on one side only differs too
        ex = grp[differ].head(3)
        why = (
            "unrounded value preferred to a rounded one"
            if (grp["_priority_kept"] > grp["_priority"]).any()
            else rule
        )
        gap = np.abs(a - b)[differ & np.isfinite(a) & np.isfinite(b)]
        rel = gap / np.abs(b[differ & np.isfinite(a) & np.isfinite(b)])
        overlaps.append(
            {
                "indicator": str(indicator),
                "kept": str(kept_label),
                "replaced": str(lost_label),
                "years": compact_years(grp["year"]),
                "values": len(grp),
                "disagree": int(differ.sum()),
                "max_abs_difference": float(gap.max()) if gap.size else 0.0,
                "max_rel_difference": float(np.nanmax(rel)) if np.isfinite(rel).any() else 0.0,
                "examples": "; ".join(
                    f"{r.la_code} {r.year}: {r.value_kept:g} kept, {r.value:g} replaced"
                    for r in ex.itertuples()
                ),
                "rule": why,
                # every differing pair, for the publication to say only what it publishes (a kept
                # value may be a suppressed count): popped by rsw_eval.publication.published_overlaps
                "_differ": [
                    (str(r.la_code), int(r.year), float(r.value_kept), float(r.value))
                    for r in grp[differ].itertuples()
                ],
            }
        )
    for o in overlaps:  # every overlap is in provenance; only a disagreement needs the user's eye
        if not o["disagree"]:
            continue
        warnings.warn(
            f"{o['kept']} and {o['replaced']} both give {o['indicator']} for {o['years']} "
            f"({o['values']} value(s), {o['disagree']} differ"
            + (f", e.g. {o['examples'].split(':')[0]}" if o["examples"] else "")
            + f"); kept {o['kept']} ({o['rule']})",
            VintageWarning,
            stacklevel=3,
        )
    drop = ["_label", "_priority"]
    return kept.drop(columns=drop).sort_index(), lost.drop(columns=drop).sort_index(), overlaps
