"""A national screen: every authority treated in turn against its own comparators, in one pass.

"Which authorities show a break like Hackney's after their change?" The administrative panel is
pivoted once into an (indicators x authorities x years) array; each authority's DiD (or
comparative ITS) against its statistical neighbours (or every other authority) is computed for all
of them at once: each case's studentised contrasts (:func:`rsw_eval.designs._panel.unit_contrasts`)
and the exact permutation test of :func:`rsw_eval.designs.did.did_core`, the same numbers as
:func:`rsw_eval.designs.did.did` gives one authority at a time.

A screen is a search, not a test: with k comparators the smallest placebo p is 1/(k + 1) (1/11
with 10 neighbours), and over ~150 authorities x ~20 indicators many hits are expected by chance.
p-values are therefore adjusted within each indicator across authorities (Benjamini-Hochberg by
default) and the output says so; a single hit is a lead to look at, never "significant" alone.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from rsw_eval._errors import SpecError
from rsw_eval.comparison._resolve import authorities
from rsw_eval.designs._panel import LOG_SCALE, numeric, outcomes, unit_contrasts
from rsw_eval.designs.did import MIN_PRE_YEARS, did_core
from rsw_eval.designs.its import MIN_SIDE_POINTS, segmented_design
from rsw_eval.publication import protected_panel
from rsw_eval.stats import adjust_pvalues

__all__ = ["DESIGNS", "Screen", "national_screen"]

DESIGNS = ("did", "its")
COMPARATORS = ("statistical_neighbours", "all")
COLUMNS = (
    "rank",
    "la_code",
    "la_name",
    "indicator",
    "scale",
    "change_year",
    "n_comparators",
    "estimate",
    "effect",
    "effect_name",
    "placebo_sd",
    "z",
    "p_value",
    "p_min",
    "p_adjusted",
    "adjustment",
    "note",
)


@dataclass(frozen=True)
class Screen:
    """The ranked screen table and what it means.

    Attributes
    ----------
    table : DataFrame
        One row per authority x indicator (:data:`COLUMNS`), ranked by ``p_value`` then ``|z|``;
        ``rank`` is the rank within the indicator. ``estimate`` is the DiD on the indicator's
        ``scale`` (log for counts and rates with no zero anywhere in the panel, else level),
        ``effect`` the same in percent (log) or in the indicator's units (level); ``z`` is the
        estimate over the placebo SD (comparable across indicators).
    notes : list of str
        How comparators were chosen, the scale per indicator, the multiplicity adjustment and the
        smallest attainable p.
    """

    table: pd.DataFrame
    notes: list[str] = field(default_factory=list)

    def top(self, n: int = 20) -> pd.DataFrame:
        """The ``n`` strongest leads (smallest p, then largest ``|z|``)."""
        return self.table.head(n)

    def __str__(self) -> str:
        shown = self.top(20)[
            ["la_code", "la_name", "indicator", "change_year", "effect", "z", "p_value", "p_adjusted"]
        ]
        body = shown.to_string(index=False, float_format=lambda v: f"{v:.3g}")
        return "\n".join([*(f"- {n}" for n in self.notes), "", body])

    def chart(self, path: str | Path, indicator: str | None = None, highlight: Sequence[str] = ()) -> Path:
        """Write a ranked dot chart of ``z`` for one indicator (default: the top row's) to ``path``
        (.png, .svg or .pdf); leads (the smallest attainable placebo p) and ``highlight``
        authorities are labelled. Names are drawn as given (no mathtext: ``$`` or ``_`` in a name
        is a character), and leads differ by marker as well as colour."""
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        indicator = indicator or str(self.table["indicator"].iloc[0])
        sub = self.table[self.table["indicator"] == indicator].dropna(subset=["z"]).sort_values("z")
        lead = (sub["p_value"] <= sub["p_min"] * (1 + 1e-9)).to_numpy()
        y = np.arange(len(sub))
        plain = {
            "text.parse_math": False,
            "text.usetex": False,
            "svg.fonttype": "none",
            "svg.hashsalt": indicator,
        }
        with matplotlib.rc_context(plain):
            fig, ax = plt.subplots(figsize=(7, 0.12 * len(sub) + 1.5))
            ax.scatter(sub["z"][~lead], y[~lead], s=10, marker="o", c="#777777", label="other authorities")
            ax.scatter(
                sub["z"][lead], y[lead], s=28, marker="^", c="#b2182b", label="lead: smallest attainable p"
            )
            for pos, row in enumerate(sub.itertuples()):
                if row.la_code in highlight or lead[pos]:
                    name = row.la_name if isinstance(row.la_name, str) and row.la_name else row.la_code
                    ax.annotate(str(name), (row.z, pos), xytext=(4, -3), textcoords="offset points")
            ax.axvline(0, color="black", lw=0.6)
            ax.set_yticks([])
            ax.set_xlabel("DiD estimate / placebo SD (a lead is not a finding)")
            ax.set_title(f"{indicator}: every authority against its own comparators", fontsize=10)
            if lead.any():
                ax.legend(frameon=False, fontsize=8, loc="lower right")
            fig.tight_layout()
            out = Path(path)
            fig.savefig(out, metadata=_FIXED_METADATA.get(out.suffix.lower().lstrip(".")))
            plt.close(fig)
        return out


#: Chart metadata without the creation date, so that the same screen gives the same file.
_FIXED_METADATA = {"svg": {"Date": None}, "pdf": {"CreationDate": None}, "png": {}}


def _array(panel: pd.DataFrame, indicators: list[str], codes: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """The panel as one (indicators x authorities x years) float array (NaN where missing)."""
    sub = panel[panel["indicator"].isin(indicators) & panel["la_code"].isin(codes)]
    years = np.sort(sub["year"].unique()).astype(int)
    i = pd.Index(indicators).get_indexer(sub["indicator"])
    a = pd.Index(codes).get_indexer(sub["la_code"])
    t = np.searchsorted(years, sub["year"].to_numpy(dtype=int))
    y = np.full((len(indicators), len(codes), len(years)), np.nan)
    y[i, a, t] = sub["value"].to_numpy(dtype=float)
    return y, years


def _comparators(codes: list[str], neighbours: pd.DataFrame | None, how: str, k: int) -> list[np.ndarray]:
    """Each authority's comparator positions in ``codes`` (nearest first)."""
    if how == "all":
        everyone = np.arange(len(codes))
        return [np.delete(everyone, a) for a in everyone]
    if neighbours is None:
        raise SpecError(
            "comparators = 'statistical_neighbours' needs the neighbours table ([data] neighbours)"
        )
    position = {c: i for i, c in enumerate(codes)}
    table = neighbours[neighbours["rank"] <= k].sort_values(["la_code", "rank"], kind="stable")
    listed: dict[str, list[int]] = {}
    for own, other in zip(table["la_code"].tolist(), table["neighbour_code"].tolist(), strict=True):
        if other in position:
            listed.setdefault(own, []).append(position[other])
    return [np.array(listed.get(code, []), dtype=int) for code in codes]


def _screen_cases(
    y: np.ndarray, X: np.ndarray, column: int, treated: np.ndarray, comps: list[np.ndarray]
) -> dict[str, np.ndarray]:
    """Every (indicator, case) cell at once, as :func:`rsw_eval.designs.did.did` does one case.

    Each case's authorities (treated first, then its comparators) get their own coefficient and
    standard error (:func:`~rsw_eval.designs._panel.unit_contrasts`, common shocks taken out by the
    year means of that case's authorities); the studentised permutation test is
    :func:`~rsw_eval.designs.did.did_core` with those scales. Cells are grouped by how many
    comparators have a value; within a group the cells are flattened so that one did_core call
    serves cells of every indicator."""
    n_ind = y.shape[0]
    out = {key: np.full((n_ind, len(treated)), np.nan) for key in ("estimate", "p_value", "placebo_sd", "k")}
    widths = np.array([len(c) for c in comps])
    for width in np.unique(widths[widths >= 2]):
        cases = np.flatnonzero(widths == width)
        units = np.column_stack([treated[cases], np.stack([comps[c] for c in cases])])  # (cases, 1 + w)
        case_y = y[:, units, :].copy()  # each case on the years its treated authority has (as did)
        case_y[np.broadcast_to(~np.isfinite(case_y[:, :, :1, :]), case_y.shape)] = np.nan
        delta, scale = unit_contrasts(case_y, X, column)  # (indicators, cases, 1 + w)
        seen = np.isfinite(delta) & np.isfinite(scale)
        first = np.argsort(~seen[..., 1:], axis=-1, kind="stable") + 1  # observed comparators first
        count = seen[..., 1:].sum(axis=-1)
        base = (np.arange(n_ind)[:, None] * len(cases) + np.arange(len(cases))[None, :]) * (width + 1)
        flat_delta, flat_scale = delta.ravel(), scale.ravel()
        for m in np.unique(count[seen[..., 0] & (count >= 2)]):
            ind, case = np.nonzero(seen[..., 0] & (count == m))
            at = base[ind, case]
            comp = at[:, None] + first[ind, case, :m]
            r = did_core(flat_delta, at, comp, scale=flat_scale)
            out["estimate"][ind, cases[case]] = flat_delta[at] - flat_delta[comp].mean(axis=-1)
            out["p_value"][ind, cases[case]] = r["p_value"]
            out["placebo_sd"][ind, cases[case]] = r["placebo_sd"]
            out["k"][ind, cases[case]] = m
    return out


def national_screen(
    panel: pd.DataFrame,
    change_year: int | Mapping[str, int],
    *,
    neighbours: pd.DataFrame | None = None,
    comparators: str = "statistical_neighbours",
    design: str = "did",
    indicators: Sequence[str] | None = None,
    k: int = 10,
    adjust: str = "bh",
    disclosure_rules: str | None = "default",
    disclosure_threshold: int = 5,
) -> Screen:
    """Run one design for every authority against its own comparators, in one pass over the panel.

    Parameters
    ----------
    panel : DataFrame
        The long administrative panel (``la_code, la_name, year, indicator, value``), e.g. from
        :func:`rsw_eval.io.load_dfe_table`; areas (England, regions) are left out.
    change_year : int or mapping
        First reporting year after the change: one year for every authority, or ``{la_code:
        year}`` to screen only those authorities, each at its own year.
    neighbours : DataFrame, optional
        Statistical neighbour groupings (:func:`rsw_eval.comparison.neighbours.load_statistical_neighbours`),
        for ``comparators="statistical_neighbours"``.
    comparators : {"statistical_neighbours", "all"}
        Each authority's ``k`` nearest statistical neighbours, or every other authority (the donor
        pool).
    design : {"did", "its"}
        Difference-in-differences of pre/post means, or a comparative interrupted time series
        (each authority's segmented-regression level change at the change year, minus its
        comparators' mean); both with the studentised permutation test of
        :func:`rsw_eval.designs.did.did`.
    indicators : sequence of str, optional
        Default: every outcome indicator of the panel.
    k : int, default 10
        Neighbours per authority.
    adjust : {"bh", "holm", "none"}
        Adjustment of the placebo p-values within each indicator across authorities.
    disclosure_rules : {"default", "dfe"} or None
        The table is computed from the panel as it may be published, under these rules and
        ``disclosure_threshold`` (:func:`rsw_eval.publication.protected_panel`); ``None``: the
        panel is protected already (``rsw-eval screen`` protects it by its spec first).

    Returns
    -------
    Screen
        The ranked table and its notes (see :class:`Screen`).

    Notes
    -----
    The scale is chosen once per indicator: log when the indicator is a count or rate
    (:data:`rsw_eval.designs._panel.LOG_SCALE`) and every value in the panel is positive, else the
    level, so that every authority of an indicator is on the same scale. As in
    :func:`rsw_eval.designs.did.did` (and :func:`rsw_eval.designs.its.its`), an indicator needs
    two pre years and one post year (three on each side), an authority an estimate and two
    comparators with one; comparators without one are left out of its case. p-values are the
    exact studentised permutation p of :func:`rsw_eval.designs.did.did_core`, at least
    :math:`1/(k+1)` with k comparators.

    Examples
    --------
    >>> import pandas as pd
    >>> rows = [(f"A{a}", y, 10.0 + a + (5.0 if a == 0 and y >= 2010 else 0.0) + 0.1 * ((a * y) % 3))
    ...         for a in range(6) for y in range(2006, 2014)]
    >>> panel = pd.DataFrame(rows, columns=["la_code", "year", "value"]).assign(
    ...     indicator="agency_worker_pct", la_name="")
    >>> s = national_screen(panel, 2010, comparators="all")
    >>> top = s.table.iloc[0]
    >>> top["la_code"], round(float(top["effect"]), 2), round(float(top["p_value"]), 3)
    ('A0', 5.03, 0.167)
    >>> print(s.notes[1])  # doctest: +ELLIPSIS
    With 5 comparators the smallest attainable placebo p is 1/6 = 0.167; 1 authority x indicator cells ...
    """
    if design not in DESIGNS:
        raise SpecError(f"unknown screen design {design!r}; valid: {', '.join(DESIGNS)}")
    if comparators not in COMPARATORS:
        raise SpecError(f"unknown comparators {comparators!r}; valid: {', '.join(COMPARATORS)}")
    panel = numeric(panel)
    if disclosure_rules is not None:
        panel = protected_panel(panel, disclosure_rules, disclosure_threshold)
    codes = authorities(panel["la_code"].unique())
    wanted = list(indicators) if indicators is not None else outcomes(panel)
    missing = sorted(set(wanted) - set(panel["indicator"]))
    if missing:
        raise SpecError(f"indicator {missing[0]!r} is not in the panel; it has {', '.join(outcomes(panel))}")
    y, years = _array(panel, wanted, codes)
    finite = np.isfinite(y)
    log = np.array(
        [ind in LOG_SCALE and bool(np.all(y[i][finite[i]] > 0)) for i, ind in enumerate(wanted)], dtype=bool
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        y = np.where(log[:, None, None], np.log(y), y)
    comps = _comparators(codes, neighbours, comparators, k)
    if isinstance(change_year, Mapping):
        change = {c: int(v) for c, v in change_year.items() if c in codes}
    else:
        change = dict.fromkeys(codes, int(change_year))
    if not change:
        raise SpecError(
            f"none of the authorities given a change year is in the panel ({len(codes)} authorities)"
        )
    parts = []
    for year in sorted(set(change.values())):
        cases = np.array([codes.index(c) for c, v in change.items() if v == year], dtype=int)
        observed = finite.any(axis=1)  # (indicators, years): the years each indicator has
        pre, post = observed[:, years < year].sum(-1), observed[:, years >= year].sum(-1)
        if design == "its":  # as rsw_eval.designs.its.its: enough years on both sides
            X, column = segmented_design(years, year), 2
            enough = (pre >= MIN_SIDE_POINTS) & (post >= MIN_SIDE_POINTS)
        else:  # as rsw_eval.designs.did.did
            X, column = np.column_stack([np.ones(years.size), years >= year]), 1
            enough = (pre >= MIN_PRE_YEARS) & (post >= 1)
        r = _screen_cases(
            np.where(enough[:, None, None], y, np.nan), X, column, cases, [comps[c] for c in cases]
        )
        parts.append((year, cases, r))
    return _table(panel, wanted, codes, log, parts, (design, comparators, k, adjust))


def _table(panel, wanted, codes, log, parts, options) -> Screen:
    design, adjust = options[0], options[3]
    names = panel.drop_duplicates("la_code").set_index("la_code")["la_name"].fillna("")
    frames = []
    for year, cases, r in parts:
        n_ind, n_case = r["estimate"].shape
        frames.append(
            pd.DataFrame(
                {
                    "la_code": np.tile(np.array(codes, dtype=object)[cases], n_ind),
                    "indicator": np.repeat(np.array(wanted, dtype=object), n_case),
                    "scale": np.repeat(np.where(log, "log", "level"), n_case),
                    "change_year": year,
                    "n_comparators": r["k"].ravel(),
                    "estimate": r["estimate"].ravel(),
                    "placebo_sd": r["placebo_sd"].ravel(),
                    "p_value": r["p_value"].ravel(),
                }
            )
        )
    t = pd.concat(frames, ignore_index=True)
    t["la_name"] = t["la_code"].map(names).fillna("")
    is_log = t["scale"] == "log"
    t["effect"] = t["estimate"]
    t.loc[is_log, "effect"] = 100 * np.expm1(t.loc[is_log, "estimate"])
    t["effect_name"] = np.where(is_log, "percent_change", f"{design}_estimate")
    with np.errstate(divide="ignore", invalid="ignore"):
        t["z"] = t["estimate"] / t["placebo_sd"]
    t["n_comparators"] = t["n_comparators"].astype("Int64")
    t["p_min"] = 1.0 / (t["n_comparators"].astype(float) + 1)
    ok = t["p_value"].notna().to_numpy()
    t["p_adjusted"] = np.nan
    if adjust != "none" and ok.any():
        t.loc[ok, "p_adjusted"] = adjust_pvalues(
            t.loc[ok, "p_value"].to_numpy(), method=adjust, families=t.loc[ok, "indicator"].to_numpy()
        )
    elif ok.any():
        t.loc[ok, "p_adjusted"] = t.loc[ok, "p_value"]
    t["adjustment"] = np.where(ok, f"{adjust} within indicator", "")
    t["note"] = np.where(ok, "", "not estimable: too few pre/post years or observed comparators")
    t["_abs_z"] = -t["z"].abs()
    t = t.sort_values(["p_value", "_abs_z", "indicator", "la_code"], kind="stable", na_position="last")
    t["rank"] = t.groupby("indicator").cumcount() + 1
    t = t.drop(columns="_abs_z").loc[:, list(COLUMNS)].reset_index(drop=True)
    return Screen(t, _notes(t, wanted, log, options))


def _notes(t, wanted, log, options) -> list[str]:
    design, comparators, k, adjust = options
    n_auth = t["la_code"].nunique()
    typical = int(t["n_comparators"].median()) if t["n_comparators"].notna().any() else k
    how = (
        f"its {k} nearest statistical neighbours"
        if comparators == "statistical_neighbours"
        else "every other authority"
    )
    scales = ", ".join(f"{ind}: {'log' if lg else 'level'}" for ind, lg in zip(wanted, log, strict=True))
    leads = int((t["p_value"] <= t["p_min"] * (1 + 1e-9)).sum())
    adjusted = (
        "no adjustment"
        if adjust == "none"
        else f"{adjust.upper()}-adjusted within each indicator across {n_auth} authorities"
    )
    chance = int(t["p_value"].notna().sum()) / (typical + 1)
    return [
        f"Screen of {n_auth} authorities x {len(wanted)} indicators: each authority's "
        + ("DiD (pre/post means)" if design == "did" else "comparative ITS (segmented level change)")
        + " "
        f"against {how}, studentised permutation (placebo-in-space) inference.",
        f"With {typical} comparators the smallest attainable placebo p is "
        f"1/{typical + 1} = {1 / (typical + 1):.3f}; {leads} authority x indicator "
        f"cells reach it, and about {chance:.0f} would by chance alone.",
        f"p-values are {adjusted}; a single hit is a lead to examine, not a significant finding.",
        f"Scale chosen once per indicator ({scales}).",
    ]
