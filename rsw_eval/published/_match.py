"""Check a results table against the published figures: each figure only against the same claim
(authority, period, scope)."""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

from rsw_eval.published._figure import ALPHA, PLACES, SCOPES, SOURCES, PublishedFigure, valid_test
from rsw_eval.published._registry import PUBLISHED

__all__ = ["match_published"]

_GSS = re.compile(r"\b(E\d{8})\b")


def _mask(table: pd.DataFrame, criteria: dict[str, Any]) -> pd.Series:
    """Rows meeting every criterion; a string ending in ``*`` matches by prefix."""
    mask = pd.Series(True, index=table.index)
    for column, wanted in criteria.items():
        if column not in table.columns:
            return pd.Series(False, index=table.index)
        if isinstance(wanted, str) and wanted.endswith("*"):
            mask &= table[column].astype(str).str.startswith(wanted[:-1])
        else:
            mask &= table[column] == wanted
    return mask


def _placebo_floor(rows: pd.DataFrame) -> str:
    """With one treated authority and k placebo comparators the smallest p is 1/(k+1)."""
    if "test" not in rows or "n_comparison" not in rows:
        return ""
    placebo = rows[rows["test"].astype(str).str.contains("placebo")]
    ks = pd.to_numeric(placebo["n_comparison"], errors="coerce").dropna()
    if ks.empty:
        return ""
    k = int(ks.min())
    floor = 1 / (k + 1)
    if floor < ALPHA:
        return ""
    return (
        f"with {k} comparators the smallest placebo p is 1/{k + 1} = {floor:.3f}, "
        f"so no result can reach p < {ALPHA}"
    )


def _authority(treatment: str) -> str:
    """The GSS code in a row's ``treatment`` ("Hackney (E09000012)"), or the text itself."""
    m = _GSS.search(str(treatment))
    return m.group(1) if m else str(treatment)


def _scope_of(scope: str | None) -> str:
    return SCOPES.get(scope or "", scope or "")


def _check(fig: PublishedFigure, table: pd.DataFrame, context: dict[str, Any]) -> tuple[list, str, str]:
    """The rows that make the same claim, a status and a note (why a row is not the same claim)."""
    if fig.kind == "unmeasured":
        return [], "not measured", fig.note
    hits = list(table.index[_mask(table, fig.match)])
    if not hits:
        loose = {k: v for k, v in fig.match.items() if k != "period"}
        near = table.index[_mask(table, loose)] if "period" in fig.match else []
        if (
            len(near)
            and fig.la_code
            and not any(_authority(table.at[i, "treatment"]) == fig.la_code for i in near)
        ):
            others = ", ".join(sorted(set(table.loc[near, "treatment"].astype(str))))
            return (  # another authority's claim: not one whose years merely differ
                [],
                "different authority",
                f"published for {fig.authority} ({fig.la_code}); the results are for {others}",
            )
        if len(near):
            periods = ", ".join(sorted(set(table.loc[near, "period"].astype(str))))
            return [], "different period", f"published for {fig.period}; the results cover {periods}"
        return [], "not measured", fig.note or "no results row measures this"
    if fig.la_code:
        same = [i for i in hits if _authority(table.at[i, "treatment"]) == fig.la_code]
        if not same:
            others = ", ".join(sorted(set(table.loc[hits, "treatment"].astype(str))))
            return (
                [],
                "different authority",
                f"published for {fig.authority} ({fig.la_code}); the results are for {others}",
            )
        hits = same
    note = fig.note
    if fig.scope:
        data_scope = context.get("cost_scope")
        if data_scope and _scope_of(data_scope) != _scope_of(fig.scope):
            return (
                [],
                "different scope",
                (f"published for {_scope_of(fig.scope)}; the cost data give {_scope_of(data_scope)}"),
            )
        if not data_scope:
            note = "; ".join(
                filter(
                    None,
                    [note, f"the cost data do not state their scope (published: {_scope_of(fig.scope)})"],
                )
            )
    if fig.kind == "direction" and not any(valid_test(table.loc[i]) for i in hits):
        places = any(table.loc[i].get("question", "") == PLACES for i in hits)
        why = (
            "the rows compare places (one authority on a side): their p tests whether these "
            "authorities differ, not the model"
            if places
            else "the results give no test of it"
        )
        if all(fig.same_direction(table.loc[i]) for i in hits):
            return hits, NO_VALID_TEST, "; ".join(filter(None, [note, f"no valid test of the claim: {why}"]))
        return hits, "not reproduced", "; ".join(filter(None, [note, f"the direction differs, and {why}"]))
    return hits, "", note


#: Status of a directional claim whose direction the results share with no valid test of it.
NO_VALID_TEST = "direction matches; no valid test"


def match_published(
    table: pd.DataFrame,
    registry: tuple[PublishedFigure, ...] | None = None,
    *,
    context: dict[str, Any] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Mark the rows that make the same claim as a published figure and say whether it is reproduced.

    Parameters
    ----------
    table : DataFrame
        Results rows.
    registry : tuple of PublishedFigure, optional
        Default :data:`PUBLISHED`.
    context : dict, optional
        What the data are: ``cost_scope`` (a key of :data:`SCOPES` or its text) when the cost
        data state their scope.

    Returns
    -------
    (table, published)
        ``table`` with ``published_key``, ``published_value``, ``published_source`` and
        ``reproduced`` filled on matched rows (several figures on one row are joined with "; "
        and reproduced only if all are; ``reproduced`` stays None on a row that gives a claim
        no verdict, e.g. no valid test of it); ``published``: one row per figure with ``key``,
        ``statement``, ``source``, ``la_code``, ``published``, ``reproduced_value``,
        ``matched_rows``, ``reproduced`` (None when the results do not make the same claim) and
        ``status``: ``reproduced``, ``not reproduced``, ``different authority``, ``different
        period``, ``different scope``, ``direction matches; no valid test`` or ``not measured``,
        with ``note``. One rule for every directional claim: reproduced only when a valid test of
        it (a row testing a question of the evaluation, by its adjusted p, as the row's own
        reading says) supports it; "direction matches; no valid test" when the rows only compare
        places or give no test; otherwise not reproduced.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame([{"design": "cost_change", "outcome": "total_cost", "effect_size": -4.97,
    ...                    "p_value": float("nan"), "primary": True, "published_key": "",
    ...                    "published_value": "", "treatment": "Hackney (E09000012)",
    ...                    "period": "2009->2010", "published_source": "", "reproduced": None}])
    >>> _, pub = match_published(t)
    >>> pub.set_index("key").loc["cost_change", ["reproduced", "status"]].tolist()
    [True, 'reproduced']
    >>> _, pub = match_published(t.assign(treatment="Southwark (E09000028)"))
    >>> pub.set_index("key").loc["cost_change", ["reproduced", "status"]].tolist()
    [None, 'different authority']
    >>> _, pub = match_published(t, context={"cost_scope": "cyps"})
    >>> pub.set_index("key").loc["cost_change", "status"]
    'different scope'
    """
    registry = PUBLISHED if registry is None else registry
    context = dict(context or {})
    table = table.copy()
    for col in ("published_key", "published_value", "published_source"):
        table[col] = table[col].astype(object)
    table["reproduced"] = table["reproduced"].astype(object)
    summary = []
    for fig in registry:
        hits, status, note = _check(fig, table, context)
        ok = [fig.holds(table.loc[i]) for i in hits] if not status else []
        values = [table.loc[i, fig.column] for i in hits]
        # every row the claim is read from is marked, verdict or not: the protection hides the value
        # of a claim whose row it suppresses by this mark (rsw_eval.publication._publication._published)
        verdicts = ok or [False if status == "not reproduced" else None] * len(hits)
        for i, good in zip(hits, verdicts, strict=True):
            for col, add in (
                ("published_key", fig.key),
                ("published_value", fig.published),
                ("published_source", SOURCES[fig.source]),
            ):
                table.at[i, col] = add if not table.at[i, col] else f"{table.at[i, col]}; {add}"
            previous = table.at[i, "reproduced"]
            if good is not None:
                table.at[i, "reproduced"] = good if previous is None else bool(previous and good)
        reproduced = all(ok) if ok else (False if status == "not reproduced" else None)
        if not status:
            status = "reproduced" if reproduced else "not reproduced"
            if fig.kind == "direction" and not reproduced:
                ps = ", ".join(f"{table.at[i, 'p_adjusted']:.3g}" for i in hits if valid_test(table.loc[i]))
                note = "; ".join(
                    filter(
                        None,
                        [
                            note,
                            f"a directional claim needs adjusted p < {ALPHA} under a valid test "
                            f"(adjusted p = {ps})",
                        ],
                    )
                )
                floor = _placebo_floor(table.loc[hits])
                if floor:
                    note += f"; {floor}"
        summary.append(
            {
                "key": fig.key,
                "statement": fig.statement,
                "source": SOURCES[fig.source],
                "source_key": fig.source,
                "authority": fig.authority,
                "la_code": fig.la_code,
                "period": fig.period,
                "published": fig.published,
                "reproduced_value": "; ".join(f"{v:.4g}" for v in values),
                "matched_rows": len(hits),
                "reproduced": reproduced,
                "status": status,
                "note": note,
            }
        )
    return table, pd.DataFrame(summary)
