"""An attacker independent of the auditor: it reads only what a run published (the results file,
the report's HTML) and enumerates every whole-number data set consistent with it.

What it knows (the table's shape and the public code): a pooled "all conventional" group is the sum
of its authorities; the respondents table's Total is the sum of its rows; a listed authority has at
least one respondent; a share is events / n at full precision (so it also tries the share's
smallest denominator when a size is hidden); every outcome row of a group counts the same people.
A secret (a planted count from 1 to t: a group's size, its events or non-events) is *recovered* when
the values consistent with everything published lie within t of each other (the protection-interval
criterion, checked here by enumeration rather than by the auditor's integer programme).
"""

from __future__ import annotations

import html
import re
from fractions import Fraction

import numpy as np
import pandas as pd

POOLED = "all conventional"
STATISTICS = ("difference", "effect_size", "ci_low", "ci_high", "statistic", "df", "p_value", "p_adjusted")


def html_table(page: str, section: str) -> list[list[str]]:
    """The body rows of a report section's table, as text cells."""
    m = re.search(rf'<section id="{section}".*?<tbody>(.*?)</tbody>', page, re.S)
    if not m:
        return []
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", m.group(1), re.S)
    return [
        [
            html.unescape(re.sub(r"<[^>]+>", "", c)).strip()
            for c in re.findall(r"<td[^>]*>(.*?)</td>", r, re.S)
        ]
        for r in rows
    ]


def respondents(page: str) -> tuple[dict[str, float | None], float | None]:
    """The Forrester report's respondents table: authority -> workers (None for c), and the Total."""
    rows = {
        r[0].removesuffix(" (unit model)"): (None if r[1] == "c" else float(r[1].replace(",", "")))
        for r in html_table(page, "samples")
        if len(r) > 1
    }
    total = rows.pop("Total", None)
    return rows, total


def _fractions(share: float, top: int) -> set[int]:
    """Sizes n <= top for which some whole number of events gives exactly this share."""
    f = Fraction(share).limit_denominator(top)
    if abs(float(f) - share) > 1e-9:
        return set(range(1, top + 1))
    return {n for n in range(1, top + 1) if n % f.denominator == 0}


def attack(csv: pd.DataFrame, samples: tuple[dict, float | None], t: int, truth: dict) -> dict[str, tuple]:
    """The feasible range (low, high) of every secret in ``truth`` (name -> true value), where
    names are ``n:<group>``, ``e:<group>:<outcome>``, ``f:<group>:<outcome>``."""
    rows = csv[(csv["family"] == "worker") & (csv["design"] == "cross_section")]
    unit = str(rows["treatment"].iloc[0])
    groups = sorted(set(rows["comparison"]) - {POOLED})
    listed, total = samples
    if set(groups) - set(listed):  # the Total counts the listed groups only (one without a row
        total = None  # of the table's first outcome, of fewer than 2 answers, is not listed)

    def shown_n(group: str, side: str) -> float | None:
        col = "n_treatment" if side == "treatment" else "n_comparison"
        sub = rows if side == "treatment" else rows[rows["comparison"] == group]
        values = sub[col].dropna()
        return float(values.iloc[0]) if len(values) else None

    known = {g: shown_n(g, "comparison") for g in groups}
    known[unit] = shown_n(unit, "treatment")
    for g, v in listed.items():
        if v is not None:
            known[g] = known.get(g) or v
    pooled_n = shown_n(POOLED, "comparison")
    top = int(total or pooled_n or 200)
    hidden = [g for g in [unit, *groups] if known.get(g) is None]
    # sizes a hidden group's shown shares and means allow (a full-precision share, or mean of
    # whole-number scores, has one smallest denominator)
    allowed = {g: set(range(1, top + 1)) for g in [*hidden, POOLED]}
    for g in allowed:
        sub = rows[rows["comparison"] == g] if g != unit else rows
        col = "value_comparison" if g != unit else "value_treatment"
        for v in sub[col].dropna():
            allowed[g] &= _fractions(float(v), top)
    found: dict[str, list[float]] = {k: [] for k in truth}
    shares = _shares(rows[rows["measure"] == "proportion"], unit, groups)
    for n in _sizes(known, allowed, unit, groups, pooled_n, total, top):
        _events(n, shares, unit, groups, found)
    return {k: (min(v), max(v)) if v else (-np.inf, np.inf) for k, v in found.items()}


def _shares(binary: pd.DataFrame, unit: str, groups: list[str]) -> dict[str, dict[str, float | None]]:
    """outcome -> group -> its published share (None where not shown)."""
    out = {}
    for outcome, sub in binary.groupby("outcome"):
        share: dict[str, float | None] = {}
        for g in [*groups, POOLED]:
            v = sub.loc[sub["comparison"] == g, "value_comparison"].dropna()
            share[g] = float(v.iloc[0]) if len(v) else None
        v = sub["value_treatment"].dropna()
        share[unit] = float(v.iloc[0]) if len(v) else None
        out[str(outcome)] = share
    return out


def _compositions(rest: int, parts: list[set[int]]):
    """Every way of writing ``rest`` as a sum of one value from each allowed set."""
    if not parts:
        if rest == 0:
            yield ()
        return
    for v in sorted(parts[0]):
        if v > rest:
            break
        for tail in _compositions(rest - v, parts[1:]):
            yield (v, *tail)


def _sizes(known, allowed, unit, groups, pooled_n, total, top):
    """Every whole-number assignment of the hidden sizes consistent with the totals."""
    hidden_conv = [g for g in groups if known.get(g) is None]
    known_conv = sum(known[g] for g in groups if known.get(g) is not None)
    if pooled_n is not None:
        sums = [pooled_n]
    elif total is not None and known.get(unit) is not None:
        sums = [total - known[unit]]
    else:
        sums = [s for s in range(int(known_conv) + len(hidden_conv), top + 1) if s in allowed[POOLED]]
    for s in sums:
        for combo in _compositions(int(s - known_conv), [allowed[g] for g in hidden_conv]):
            n = {**known, **dict(zip(hidden_conv, combo, strict=True))}
            if known.get(unit) is None:
                units = [total - s] if total is not None else sorted(allowed[unit])
                for u in units:
                    if u in allowed[unit]:
                        yield {**n, unit: u, POOLED: s}
            elif total is None or known[unit] + s == total:
                yield {**n, POOLED: s}


def _events(n, shares, unit, groups, found) -> None:
    """Add the events and non-events each group can have with sizes ``n`` to ``found``."""
    for outcome, share in shares.items():
        events = {g: round(share[g] * n[g]) for g in share if share[g] is not None}
        unknown = [h for h in groups if h not in events]
        bounds = {}
        for g in [unit, *groups]:
            if g in events:
                bounds[g] = (events[g], events[g])
            elif g != unit and POOLED in events:
                rest = events[POOLED] - sum(events.get(h, 0) for h in groups)
                others = [h for h in unknown if h != g]
                bounds[g] = (max(0, rest - sum(n[h] for h in others)), min(n[g], rest))
            else:
                bounds[g] = (0, n[g])
        bounds[POOLED] = (
            (events[POOLED],) * 2
            if POOLED in events
            else (sum(bounds[g][0] for g in groups), sum(bounds[g][1] for g in groups))
        )
        for g, (lo, hi) in bounds.items():
            if lo > hi:
                continue
            for kind, (a, b) in (("e", (lo, hi)), ("f", (n[g] - hi, n[g] - lo))):
                key = f"{kind}:{g}:{outcome}"
                if key in found:
                    found[key] += [a, b]
    for g in [unit, *groups, POOLED]:
        if f"n:{g}" in found:
            found[f"n:{g}"].append(n[g])


def recovered(ranges: dict[str, tuple], truth: dict[str, float], t: int) -> list[str]:
    """Secrets whose feasible range is no wider than t (and holds the true value)."""
    out = []
    for k, (lo, hi) in ranges.items():
        assert lo <= truth[k] <= hi or not np.isfinite(lo), (k, lo, hi, truth[k])
        if hi - lo <= t:
            out.append(f"{k} = {truth[k]} in [{lo}, {hi}]")
    return out


def statistics_beside_hidden_values(csv: pd.DataFrame) -> list[str]:
    """Rows that print a statistic of both groups while one group's size or value is hidden."""
    bad = []
    stats = [c for c in STATISTICS if c in csv]
    for i, r in csv.iterrows():
        if r["family"] not in ("worker", "parent"):
            continue
        side_hidden = any(pd.isna(r[c]) for c in ("n_treatment", "n_comparison")) or (
            r["measure"] == "proportion"
            and any(pd.isna(r[c]) for c in ("value_treatment", "value_comparison"))
        )
        if side_hidden and any(pd.notna(r[c]) for c in stats):
            bad.append(f"row {i}: {r['outcome']} / {r['comparison']}")
    return bad


def truth_of(groups: dict, t: int, outcomes=("no_time_for_reflection", "experienced_violence")) -> dict:
    """The planted secrets of a survey (``Survey.groups``): every count from 1 to t, the pooled
    conventional group's included."""
    truth = {}
    conventional = [v for v in groups.values() if v[0] == "conventional"]
    pooled = (
        "conventional",
        sum(v[1] for v in conventional),
        {o: sum(v[2][o] for v in conventional) for o in outcomes},
    )
    for g, (_, n, yes) in {**groups, POOLED: pooled}.items():
        if 1 <= n <= t:
            truth[f"n:{g}"] = n
        for o in outcomes:
            if 1 <= yes[o] <= t:
                truth[f"e:{g}:{o}"] = yes[o]
            if 1 <= n - yes[o] <= t:
                truth[f"f:{g}:{o}"] = n - yes[o]
    return truth


def report_hides_what_the_file_hides(page: str, csv: pd.DataFrame) -> list[str]:
    """The Forrester report's worker table prints, row by row, a group size or share exactly where
    the results file does (so attacking the file attacks the report): differences found."""
    rows = csv[(csv["family"] == "worker") & (csv["design"] == "cross_section") & csv["primary"].astype(bool)]
    printed = html_table(page, "worker")
    bad = []
    if len(printed) != len(rows):
        return [f"{len(printed)} printed rows for {len(rows)} rows in the file"]
    for cells, (_, r) in zip(printed, rows.iterrows(), strict=True):
        if cells[1] != str(r["comparison"]):
            bad.append(f"row order: {cells[1]} != {r['comparison']}")
            continue
        n_unit, _, n_comp = (part.strip() for part in cells[2].partition("/"))
        for shown, value in ((n_unit, r["n_treatment"]), (n_comp, r["n_comparison"])):
            if (shown in ("c", "")) != pd.isna(value):  # "": no size (an item all answered alike)
                bad.append(f"{r['outcome']} / {r['comparison']}: size {shown!r} vs {value}")
        for shown, value in ((cells[3], r["value_treatment"]), (cells[4], r["value_comparison"])):
            if (shown in ("c", "")) != pd.isna(value):
                bad.append(f"{r['outcome']} / {r['comparison']}: value {shown!r} vs {value}")
        for shown, value in ((cells[6], r["effect_size"]), (cells[8], r["p_value"])):
            if (shown in ("c", "")) != pd.isna(value):
                bad.append(f"{r['outcome']} / {r['comparison']}: statistic {shown!r} vs {value}")
    return bad


def stdout_hides_what_the_file_hides(text: str, csv: pd.DataFrame) -> list[str]:
    """``compare``'s summary prints an estimate for a primary row exactly where the file has one."""
    rows = csv[csv["primary"].astype(bool) & csv["family"].isin(["worker", "parent"])]
    lines = [ln for ln in text.splitlines() if ln.startswith("  ") and not ln.startswith("   ")]
    bad = []
    for _, r in rows.iterrows():
        name = f"{r['outcome']} ({r['design']}"
        hits = [ln for ln in lines if ln.strip().startswith(name) and f" {str(r['comparison'])[:22]} " in ln]
        for ln in hits:
            after = (
                str(r["effect_size_name"])[:16]
                if pd.notna(r["effect_size_name"])
                else str(r["comparison"])[:22]
            )
            tail = ln.split(after, 1)[-1].replace(" places", "")
            tail = tail.split("published:", 1)[0].strip()  # the published-figure verdict is words
            if (tail == "") != pd.isna(r["effect_size"]):
                bad.append(f"{name} / {r['comparison']}: {tail!r} vs {r['effect_size']}")
    return bad
