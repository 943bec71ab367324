"""How robust the panel findings are: parallel-trends sensitivity (HonestDiD) of the DiD and
staggered rows, and the synthetic control's pre-period fit and robustness rows (issue 19)."""

from __future__ import annotations

import pandas as pd

from rsw_eval.report._common import Section, capital
from rsw_eval.report._labels import outcome_label
from rsw_eval.report._numbers import num, p_text, sig2
from rsw_eval.report._points import row_points

__all__ = ["robustness_sections"]


def _in(row: pd.Series, value: float, digits: int = 2) -> str:
    """A number on the row's scale, in percentage points ('2.30 pp') for a percentage, share or
    0/1 indicator (:mod:`rsw_eval.report._points`); '' when missing."""
    if value is None or pd.isna(value):
        return ""
    points = row_points(row)
    return f"{num(points * value, digits)} pp" if points else num(value, digits)


def _sig(row: pd.Series, value: float) -> str:
    """A per-year slope on the row's scale at two significant figures (fixed decimals cut 0.00046
    to 0.000; :func:`sig2`, never '1.5e+02'), in pp for a percentage, share or 0/1 indicator;
    '' when missing."""
    if value is None or pd.isna(value):
        return ""
    points = row_points(row)
    text = sig2((points or 1) * value)
    return f"{text} pp" if points else text


def _bend(row: pd.Series, value: float) -> str:
    """The smoothness breakdown value (:func:`_sig`); 0 is a conclusion that fails with the
    pre-period trend merely carried on (M = 0), not one that holds with no bend."""
    if value is not None and pd.notna(value) and value <= 0:
        return "none (fails at M = 0)"
    return _sig(row, value)


def _times(x: float) -> str:
    if pd.isna(x):
        return "no conclusion to test"
    if x <= 0:
        return "none (fails at Mbar = 0)"
    return "at least 10 times" if x >= 10 else f"{sig2(x)} times"


def _sensitivity_section(table: pd.DataFrame) -> Section | None:
    rows = table[table["design"].isin(["did", "staggered"]) & table["primary"] & table["pretrend_p"].notna()]
    rows = rows[~rows["suppressed"].astype(bool)]
    if rows.empty:
        return None
    body = tuple(
        (
            capital(outcome_label(r["outcome"])),
            "DiD" if r["design"] == "did" else "Staggered",
            _in(r, r["effect_size"]),
            _times(r["breakdown_mbar"]),
            _bend(r, r["breakdown_m"]),
            p_text(r["pretrend_p"]),
            _sig(r, r["pretrend_slope80"]),
        )
        for _, r in rows.iterrows()
    )
    return Section(
        "sensitivity",
        "How far the findings survive a break in parallel trends",
        "table",
        intro="Each finding assumes that, without the model, the authority would have followed its "
        "comparators' trend. The breakdown value says how large a departure from that the conclusion "
        "survives (Rambachan & Roth 2023): post-period changes in the trend difference up to that many "
        "times the largest pre-period one (relative magnitudes), or a trend difference that bends by up "
        "to that much per year (smoothness). The pre-trend test shows whether the years before the "
        "model already differed, and the last column the pre-trend that test would have detected four "
        "times in five: smaller ones could have gone unnoticed.",
        columns=(
            "Indicator",
            "Design",
            "Estimate",
            "Survives violations up to",
            "Bend per year survived",
            "Pre-trend p",
            "Pre-trend detected 80%",
        ),
        rows=body,
        numeric=(False, False, True, False, True, True, True),
        note="Bends and pre-trends are per year on the row's own scale (log points for counts and "
        "rates, whose estimates are shown in percent; percentage points, pp, for percentages, shares "
        "and 0/1 indicators). Bounds for each restriction are in the results "
        "table (designs did_sensitivity and staggered_sensitivity). One treated authority: the "
        "covariance comes from the placebo authorities, so the bounds are approximate.",
    )


def _synth_section(table: pd.DataFrame) -> Section | None:
    sc = table[(table["design"] == "synthetic_control") & ~table["suppressed"].astype(bool)]
    primary = sc[sc["primary"]]
    if primary.empty:
        return None
    body = []
    for _, r in primary.iterrows():
        same = sc[(sc["outcome"] == r["outcome"]) & (sc["treatment"] == r["treatment"])]
        conf = same[same["effect_size_name"] == "synthetic_gap_conformal"]
        back = same[same["effect_size_name"] == "synthetic_gap_in_time_placebo"]
        interval = ""
        if len(conf) and pd.notna(conf.iloc[0]["ci_low"]):
            c = conf.iloc[0]
            interval = f"[{_in(r, c['ci_low'])}, {_in(r, c['ci_high'])}] ({c['ci_level']:.1%})"
        body.append(
            (
                capital(outcome_label(r["outcome"])),
                _in(r, r["effect_size"]),
                _in(r, r["prefit_rmspe"], 3),
                num(r["prefit_ratio"]),
                interval,
                _in(r, back.iloc[0]["effect_size"]) if len(back) else "",
                "demeaned"
                if "demeaned" in r["method"]
                else ("penalised" if "penalised" in r["method"] else ""),
            )
        )
    return Section(
        "synth_fit",
        "Synthetic control: pre-period fit and robustness",
        "table",
        intro="How closely the synthetic control follows the authority before the model (pre-period "
        "RMSPE, and that error over the donors' median when each donor is fitted by the others: above "
        "2 the gap may reflect a poor fit), the conformal interval of the gap (Chernozhukov, Wuthrich "
        "& Zhu 2021, at the level the number of years allows) and the gap the same method finds when "
        "the start is backdated into years with no model (in-time placebo).",
        columns=(
            "Indicator",
            "Gap",
            "Pre-fit RMSPE",
            "Pre-fit ratio",
            "Conformal interval",
            "Backdated gap",
            "Fit",
        ),
        rows=tuple(body),
        numeric=(False, True, True, True, False, True, False),
        note="Demeaned: the authority lies outside the donors' range, so each series is fitted about its "
        "own pre-period mean. Penalised: several weight sets fit exactly; the range of their estimates "
        "is in the results' note.",
    )


def robustness_sections(table: pd.DataFrame) -> list[Section]:
    """The sections that exist for these results (none without DiD, staggered or synthetic rows)."""
    return [s for s in (_sensitivity_section(table), _synth_section(table)) if s is not None]
