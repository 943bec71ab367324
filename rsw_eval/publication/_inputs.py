"""The administrative inputs as they may be published, before any design runs on them.

Every estimate on the panel (before/after, DiD, ITS, synthetic control and its yearly gaps,
synthetic DiD, staggered adoption, the national screen, and whatever design is added later) is a
function of the panel it is handed. Handing it the protected panel (small counts suppressed, the
rates and ``[derived]`` indicators computed from them recomputed, DfE rounding applied) makes every
such number a function of publishable values only: none can give back a suppressed or unrounded
count, by subtraction, by a rate times its population, by a yearly gap or by a change, whatever the
design. It is also what anyone reproducing the evaluation from DfE's own (suppressed, rounded)
files would compute.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

from rsw_eval.disclosure import RATES, RELEASED, RuleSet, from_release, protect_series, row_rules
from rsw_eval.inputs import Inputs
from rsw_eval.inputs._derived import _compute
from rsw_eval.publication._forms import count_forms, counted, data_scale, is_count
from rsw_eval.publication._fte import fte_of_small_headcounts
from rsw_eval.publication._identities import identities
from rsw_eval.publication._rate_guard import guard_rates
from rsw_eval.publication._secondary import secondary
from rsw_eval.publication._series_audit import audit_series
from rsw_eval.spec._derived import parse_derived

__all__ = ["protect_inputs", "protect_panel", "published_overlaps"]

KEY = ["la_code", "year", "indicator"]


def _derived_counts(rules: RuleSet, derived: list[dict] | tuple, raw: pd.DataFrame) -> RuleSet:
    """``rules`` with every ``[derived]`` count among its counts: an integer combination of counts
    in any spelling (:func:`~rsw_eval.publication._forms.is_count`), where a term may itself be a
    ``[derived]`` count (``d2 = "residential_placements - first"`` with
    ``first = "cp_plans_started - cp_plans_repeat"``), is a count too, whatever the order."""
    counts = set(rules.counts)
    trees = [
        parse_derived({str(e["indicator"]): {"expr": e["expr"], "lag": e.get("lag") or {}}})[0]
        for e in derived
    ]
    grew = True
    while grew:
        new = {
            d.name
            for d in trees
            if d.name not in counts and is_count(d.tree, counts, data_scale(raw, d.inputs))
        }
        counts |= new
        grew = bool(new)
    return replace(rules, counts=frozenset(counts))


def _recompute(
    raw: pd.DataFrame, out: pd.DataFrame, entry: dict, rules: RuleSet, borrowed: pd.DataFrame | None = None
) -> tuple[pd.DataFrame, int]:
    """Recompute one derived indicator on the protected panel wherever an input changed, and under
    the DfE rules everywhere for an indicator computed from a count (a value kept from the file
    where rounding happened not to move the count would say the count was exact). A derived value
    that gives a count back (:func:`~rsw_eval.publication._forms.count_forms`: ``a - b``, its other
    spellings, ``(a - b) / a * 100``, ``100 - b / a * 100``) is suppressed where that count is
    from 1 to t (or -t to -1). A formula of counts from which no count form is read (a product,
    or a term below float precision: ``a - b * (1 + 1 / (p * p))`` is ``a - b`` to the last bit)
    is suppressed wherever its value is a whole number from 1 to t (or -t to -1), within float
    noise: it may be that count. ``borrowed``: the cost rows a derived indicator was computed from,
    which stay in the costs (``total_cost / residential_placements``), beside both panels."""
    t = rules.threshold
    d = parse_derived({entry["indicator"]: {"expr": entry["expr"], "lag": entry.get("lag") or {}}})[0]
    read = count_forms(d.tree, rules.counts, data_scale(raw, d.inputs))
    forms = [f for f in read if f.exact or f.combined]
    of_counts = bool(set(d.inputs) & set(rules.counts))
    formless = of_counts and not read
    rounds = rules.name == "dfe" and of_counts
    used = raw["indicator"].isin(d.inputs).to_numpy()
    a, b = raw["value"].to_numpy(float)[used], out["value"].to_numpy(float)[used]
    if not forms and not formless and not rounds and ((a == b) | (np.isnan(a) & np.isnan(b))).all():
        return out, 0  # no input changed: nothing to recompute
    extra = [borrowed] if borrowed is not None and len(borrowed) else []
    before = _compute(pd.concat([raw[raw["indicator"] != d.name], *extra], ignore_index=True), d)
    after = _compute(pd.concat([out[out["indicator"] != d.name], *extra], ignore_index=True), d)
    both = before[KEY + ["value"]].merge(after[KEY + ["value"]], on=KEY, suffixes=("_raw", "_new"))
    a, b = both["value_raw"].to_numpy(float), both["value_new"].to_numpy(float)
    changed = both[~((a == b) | (np.isnan(a) & np.isnan(b)))]
    if rounds:  # every value from the published counts, wherever a release may have rounded them
        changed = pd.concat([changed, after[KEY].assign(value_new=after["value"])], ignore_index=True)
    for form in forms:  # every count it gives back (``100 - b / a * 100``: a - b, and b)
        c = counted(d, form)
        for panel in (raw, out):  # the true count, and the one the published inputs give
            count = _compute(panel[panel["indicator"] != d.name], c)
            small = count[count["value"].abs().between(1, t)]
            changed = pd.concat([changed, small[KEY].assign(value_new=np.nan)], ignore_index=True)
    if formless:  # no count form read (a term below float precision: x - y * (1 + 1 / p**2)): a
        for frame in (before, after):  # value that is a small whole number is taken for a count
            v = frame["value"].to_numpy(float)
            with np.errstate(all="ignore"):
                whole = np.isfinite(v) & (np.abs(v - np.round(v)) <= 1e-9 * np.maximum(1, np.abs(v)))
            small = frame[whole & (np.abs(np.round(v)) >= 1) & (np.abs(np.round(v)) <= t)]
            changed = pd.concat([changed, small[KEY].assign(value_new=np.nan)], ignore_index=True)
    if changed.empty:
        return out, 0
    index = pd.MultiIndex.from_frame(out[KEY].astype({"year": int}))
    new = changed.assign(year=changed["year"].astype(int)).drop_duplicates(KEY, keep="last")
    lookup = pd.Series(new["value_new"].to_numpy(float), index=pd.MultiIndex.from_frame(new[KEY]))
    hit = index.isin(lookup.index)
    out = out.copy()
    values = lookup.reindex(index[hit]).to_numpy(float)
    out.loc[hit, "value"] = values
    out.loc[out.index[hit][np.isnan(values)], "flag"] = "c"
    return out, int(hit.sum())


def protect_panel(
    panel: pd.DataFrame,
    rules: RuleSet,
    derived: list[dict] | tuple = (),
    borrowed: pd.DataFrame | None = None,
) -> tuple[pd.DataFrame, dict]:
    """The panel after the series rules (:func:`rsw_eval.disclosure.protect_series`), with every
    ``[derived]`` indicator (``derived``: the loader's summaries, each with ``indicator``, ``expr``
    and ``lag``) recomputed, in order, wherever one of its inputs was suppressed or rounded
    (``borrowed``: the cost rows derived indicators were computed from, which are not in the panel).

    Under ``"dfe"`` each figure takes the rule of its DfE release where the registry knows it
    (:func:`rsw_eval.disclosure.row_rules`: its ``source`` file, ``year`` and level), the fixed
    rule otherwise; derived indicators are not DfE's figures and take the fixed rule.

    Returns
    -------
    (panel, summary)
        The protected panel (suppressed values NaN with flag ``c``) and how many values were
        suppressed and recomputed (never how many counts rounding moved: that would say how many
        were already multiples of the base); under ``"dfe"`` also ``releases`` (the release rules
        applied to the panel's counts, said) and ``fixed_rule`` (the sources whose counts took the
        fixed rule).

    Examples
    --------
    >>> from rsw_eval.disclosure import rule_set
    >>> p = pd.DataFrame({"la_code": "E09000001", "old_la_code": "", "la_name": "A", "year": 2013,
    ...     "indicator": ["residential_placements", "population_0_17", "res_rate"],
    ...     "value": [3.0, 20000.0, 1.5], "flag": "", "source": "f"})
    >>> entry = {"indicator": "res_rate", "expr": "residential_placements / population_0_17 * 10000"}
    >>> out, summary = protect_panel(p, rule_set(), [entry])
    >>> out["value"].tolist(), out["flag"].tolist(), summary["suppressed"]
    ([nan, 20000.0, nan], ['c', '', 'c'], 2)
    """
    names = {str(e["indicator"]) for e in derived}
    raw = panel.assign(flag=panel.get("flag", ""))
    if RELEASED not in raw:  # which rows are DfE's, decided once for every rule below
        raw[RELEASED] = from_release(raw, rules.counts)
    rules = _derived_counts(rules, derived, raw)
    hide = secondary(raw, rules, derived)  # no derived count by subtraction
    # nor by any combination of the relations, declared or found (a total beside its breakdown)
    found = identities(raw[~raw["indicator"].isin(names)], rules.counts)
    hide = audit_series(raw, rules, [*derived, *found], hide)
    hide |= fte_of_small_headcounts(raw, rules)  # FTE <= headcount: 4.0 beside c says 4 or 5
    declared = {name: (num, den, scale) for name, num, den, scale in rules.rates}
    rates = {k: v for k, v in {**RATES, **declared}.items() if k not in names}
    out = protect_series(raw, rules=rules, rates=rates, hide=hide)
    counts = raw["indicator"].isin(rules.counts)
    out = out.drop(columns="suppressed")
    # a rate rsw-eval cannot relate to its count: hidden before the derived values are recomputed (a
    # derived ``cla * own_pct / 100`` kept the raw rate and gave the count back), and again after
    # (a derived count hidden there is a hidden count of its authority-year: rule 1)
    out, _ = guard_rates(raw, out, rules)
    recomputed = 0
    for entry in derived:
        out, k = _recompute(raw, out, entry, rules, borrowed)
        recomputed += k
    out, _ = guard_rates(raw, out, rules)
    if RELEASED not in panel:
        out = out.drop(columns=RELEASED)
    suppressed = int((out["value"].isna() & raw["value"].notna()).sum())
    # no count of the counts rounding moved: on a small panel it says which were multiples of 5
    summary = {"suppressed": suppressed, "recomputed": recomputed}
    if rules.name == "dfe":
        said = row_rules(raw, rules, counts.to_numpy())
        summary |= {"releases": list(said.releases), "fixed_rule": list(said.fixed)}
    return out, summary


def _borrowed(inputs: Inputs) -> pd.DataFrame | None:
    """The cost rows the ``[derived]`` indicators were computed from (``total_cost /
    residential_placements``): they stay in the costs, so the panel alone cannot recompute them."""
    if inputs.costs is None or not inputs.derived:
        return None
    needed = set()
    for e in inputs.derived:
        needed |= set(
            parse_derived({str(e["indicator"]): {"expr": e["expr"], "lag": e.get("lag") or {}}})[0].inputs
        )
    needed -= set(inputs.panel["indicator"])
    rows = inputs.costs[inputs.costs["indicator"].isin(needed)]
    if rows.empty:
        return None
    return rows.loc[:, [c for c in ("la_code", "year", "indicator", "value") if c in rows]].assign(flag="")


def protected_panel(panel: pd.DataFrame, rules: str = "default", threshold: int = 5) -> pd.DataFrame:
    """A long panel as it may be published, by the rules a spec that declares nothing takes
    (:func:`~rsw_eval.publication.count_rules` infers the counts): for the Python API's functions
    that take a panel, not a spec (:func:`rsw_eval.national_screen`).

    Examples
    --------
    >>> import warnings
    >>> p = pd.DataFrame({"la_code": ["A", "A", "B"], "year": [2010, 2011, 2010], "la_name": "",
    ...                   "indicator": "adoptions", "value": [2.0, 14.0, 30.0]})
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     protected_panel(p)["value"].tolist()
    [nan, 14.0, 30.0]
    """
    from rsw_eval.disclosure import rule_set
    from rsw_eval.publication._counts import count_rules
    from rsw_eval.spec import EvaluationSpec

    spec = EvaluationSpec(data={"admin": ["panel"]}, disclosure_rules=rules, disclosure_threshold=threshold)
    counted, _ = count_rules(spec, panel, rule_set(rules, threshold))
    return protect_panel(panel, counted)[0]


def protect_inputs(inputs: Inputs, rules: RuleSet) -> tuple[Inputs, dict]:
    """``inputs`` with the panel protected (:func:`protect_panel`) and the superseded rows (the other
    files' values, quoted beside the official-statistics check) protected alike: a superseded rate
    or derived value goes wherever the panel's value for the same authority-year was changed.

    Returns a copy and the summary of :func:`protect_panel` (``{}`` without a panel).
    """
    if inputs.panel is None:
        return inputs, {}
    # decided on every row each file gave (a file's rows another file superseded too) and kept with
    # the panel: a chart's series, a part of it, reads the same decision
    superseded = inputs.superseded
    parts = [inputs.panel] if superseded is None or not len(superseded) else [inputs.panel, superseded]
    released = from_release(pd.concat(parts, ignore_index=True), rules.counts)
    whole = inputs.panel.assign(**{RELEASED: released[: len(inputs.panel)]})
    panel, summary = protect_panel(whole, rules, inputs.derived, _borrowed(inputs))
    if len(parts) > 1:
        superseded = superseded.assign(**{RELEASED: released[len(inputs.panel) :]})
        superseded = protect_series(superseded, rules=rules).drop(columns=["suppressed", RELEASED])
        rates = {str(e["indicator"]) for e in inputs.derived} | set(RATES) | set(rules.guarded)
        rates |= {rate[0] for rate in rules.rates}
        moved = panel["value"].ne(inputs.panel["value"]) & inputs.panel["value"].notna()
        changed = set(map(tuple, panel.loc[moved, ["la_code", "year"]].astype({"year": int}).to_numpy()))
        pairs = zip(superseded["la_code"], superseded["year"].astype(int), strict=True)
        hit = superseded["indicator"].isin(rates).to_numpy() & np.array([p in changed for p in pairs], bool)
        superseded = superseded.copy()
        superseded.loc[hit, "value"] = np.nan
        superseded.loc[hit, "flag"] = "c"
    return replace(inputs, panel=panel, superseded=superseded), summary


def published_overlaps(overlaps: list[dict], panel: pd.DataFrame, rules: RuleSet) -> list[dict]:
    """The overlaps between files as they may be published: examples and largest differences from
    the pairs whose kept value the protected ``panel`` publishes as it is and neither value of which
    is a count from 1 to the threshold ("E09000012 2010: 3 kept, 28 replaced" named a suppressed
    count, and the largest differences 25 and 89% gave 28 and 3 back). Under rules that round
    counts (``"dfe"``) no value and no difference is given, only the authority-years: a replaced
    value is the other file's exact figure, and its difference from a rounded one gives it back.

    Examples
    --------
    >>> from rsw_eval.disclosure import rule_set
    >>> p = pd.DataFrame({"la_code": ["A", "B"], "year": 2010, "indicator": "x", "value": [np.nan, 40.0]})
    >>> o = [{"indicator": "x", "examples": "A 2010: 3 kept, 28 replaced", "max_abs_difference": 25.0,
    ...       "max_rel_difference": 0.89, "_differ": [("A", 2010, 3.0, 28.0), ("B", 2010, 40.0, 42.0)]}]
    >>> out = published_overlaps(o, p, rule_set())[0]
    >>> out["examples"], out["max_abs_difference"], "_differ" in out
    ('B 2010: 40 kept, 42 replaced; other values not shown (disclosure control)', 2.0, False)
    >>> out = published_overlaps(o, p, rule_set("dfe"))[0]
    >>> out["examples"], out["max_abs_difference"]
    ('A 2010; B 2010 (values not shown: counts are rounded)', None)
    """
    rounds = rules.name == "dfe"
    if panel is None:  # a run with no panel (surveys only) publishes no panel value
        panel = pd.DataFrame(columns=["la_code", "year", "indicator", "value"])
    shown = dict(
        zip(
            zip(
                panel["la_code"].astype(str),
                panel["year"].astype(int),
                panel["indicator"].astype(str),
                strict=True,
            ),
            panel["value"].to_numpy(float),
            strict=True,
        )
    )

    def small(v: float) -> bool:
        return bool(np.isfinite(v) and 1 <= round(abs(v)) <= rules.threshold)

    out = []
    for o in overlaps:
        o = dict(o)
        pairs = o.pop("_differ", None)
        if pairs is None:
            out.append(o)
            continue
        if rounds:
            places = "; ".join(f"{c} {y}" for c, y, _, _ in pairs[:3])
            o["examples"] = f"{places} (values not shown: counts are rounded)" if places else ""
            o["max_abs_difference"] = o["max_rel_difference"] = None
            out.append(o)
            continue
        ok = [
            (code, year, kept, lost)
            for code, year, kept, lost in pairs
            if shown.get((code, year, o["indicator"])) == kept and not small(kept) and not small(lost)
        ]
        gaps = [
            (abs(k - v), abs(k - v) / abs(v)) for _, _, k, v in ok if np.isfinite(k) and np.isfinite(v) and v
        ]
        o["examples"] = "; ".join(f"{c} {y}: {k:g} kept, {v:g} replaced" for c, y, k, v in ok[:3])
        if len(ok) < len(pairs):
            o["examples"] = "; ".join(
                filter(None, [o["examples"], "other values not shown (disclosure control)"])
            )
        # none published is said as none (null), not 0.0, which would read as "the files agree"
        o["max_abs_difference"] = max((g for g, _ in gaps), default=None)
        o["max_rel_difference"] = max((r for _, r in gaps), default=None)
        out.append(o)
    return out
