"""The Forrester-style report: a comparative study of unit-model and conventional authorities."""

from __future__ import annotations

import pandas as pd

from rsw_eval.evaluation.results import Results
from rsw_eval.report import _charts
from rsw_eval.report._common import (
    COMPARISON_COLUMNS,
    COMPARISON_NUMERIC,
    EFFECT_KEY,
    SUPPRESSED,
    Section,
    capital,
    cell,
    comparison_table,
    effect,
    published_section,
)
from rsw_eval.report._labels import outcome_label, p_text, sentence
from rsw_eval.report._limits import limitations, not_estimated


def samples_section(respondents: pd.DataFrame, threshold: int) -> Section:
    """N per authority for each survey with its Total, as the publication gives them
    (:attr:`rsw_eval.publication.Publication.respondents`: NaN where suppressed, with secondary
    suppression checked by the interval attack)."""
    if respondents.empty:
        return Section("samples", "Design and samples", "text", intro="No survey data.")
    rows = [
        (
            str(a),
            *[
                SUPPRESSED if pd.isna(respondents.loc[a, c]) else f"{int(respondents.loc[a, c])}"
                for c in respondents.columns
            ],
        )
        for a in respondents.index
    ]
    return Section(
        "samples",
        "Design and samples",
        "table",
        intro="Respondents per authority. The unit-model authority is compared with all "
        "conventional authorities together and with each one; counts of 1 to "
        f"{threshold} are shown as c, with other cells suppressed wherever a total "
        "would let one be worked out.",
        columns=("Authority", *[capital(c) for c in respondents.columns]),
        rows=tuple(rows),
    )


def forrester(results: Results, table: pd.DataFrame, threshold: int, rules=None) -> tuple[list, list]:
    primary = table[table["primary"] & (table["design"] == "cross_section")]
    sections = [samples_section(results.protected().publication.respondents, threshold)]
    worker = primary[primary["family"] == "worker"]
    if not worker.empty:
        sections.append(
            Section(
                "worker",
                "Worker outcomes",
                "table",
                intro="Means (scores) or proportions in the unit-model authority and "
                "in the comparison, with effect sizes and 95% CIs. p is Welch's "
                "t (means) or the chi-square/Fisher test (proportions); adjusted "
                "p is Holm's within the worker family.",
                columns=COMPARISON_COLUMNS,
                rows=comparison_table(worker),
                numeric=COMPARISON_NUMERIC,
                note=EFFECT_KEY,
            )
        )
    std = primary[
        (primary["comparison"] == "all conventional")
        & primary["effect_size_name"].isin(["hedges_g", "cohens_h"])
    ]
    if not std.empty:
        sections.append(
            Section(
                "forest",
                "Effect sizes",
                "figure",
                intro="Standardised effects (Hedges' g for scores, Cohen's h for "
                "proportions): unit model against all conventional authorities.",
                svg=_charts.forest_plot(std, "Unit model vs all conventional"),
            )
        )
    parent = primary[(primary["family"] == "parent") & primary["outcome"].str.startswith("rating_")]
    if not parent.empty:
        sections.append(
            Section(
                "parent",
                "Parent ratings",
                "table",
                intro="Ratings from 1 (very poor) to 5 (very good).",
                columns=COMPARISON_COLUMNS,
                rows=comparison_table(parent),
                numeric=COMPARISON_NUMERIC,
                note=EFFECT_KEY,
            )
        )
    contact = primary[primary["outcome"] == "contact_rate"]
    if not contact.empty:
        sections.append(
            Section(
                "contact",
                "Contact with families",
                "table",
                intro="Worker contacts per week observed; rate ratio from a Poisson or "
                "negative binomial model with weeks as exposure.",
                columns=COMPARISON_COLUMNS,
                rows=comparison_table(contact),
                numeric=COMPARISON_NUMERIC,
                note=contact["note"].iloc[0].split(";")[0] + " (pooled comparison).",
            )
        )
    consistency = table[table["design"] == "consistency"]
    if not consistency.empty:
        sections.append(
            Section(
                "consistency",
                "Consistency of practice",
                "table",
                intro="Standard deviations: a variance ratio below 1 means the unit "
                "model's practice varies less.",
                columns=COMPARISON_COLUMNS,
                rows=comparison_table(consistency),
                numeric=COMPARISON_NUMERIC,
                note=EFFECT_KEY,
            )
        )
    ml = table[table["design"] == "multilevel"]
    if not ml.empty:
        rows = tuple(
            (
                outcome_label(r.outcome),
                cell(pd.Series(r._asdict()), "difference"),
                effect(pd.Series(r._asdict())),
                p_text(r.p_value),
                r.note,
            )
            for r in ml.itertuples()
        )
        sections.append(
            Section(
                "multilevel",
                "Allowing for units and teams",
                "table",
                intro="Random-intercept models for workers within units within "
                "authorities (sensitivity analysis; p not adjusted).",
                columns=(
                    "Outcome",
                    "Difference",
                    "d (total variance) [95% CI]",
                    "p",
                    "ICCs, design effect and notes",
                ),
                rows=rows,
                numeric=(False, True, True, True, False),
            )
        )
    sections.append(limitations(results, table, {"worker", "parent", "multilevel"}))
    sections.append(not_estimated(results, {"worker", "parent"}))
    sections.append(
        published_section(
            results,
            {
                "reflection_teams",
                "reflection_units",
                "contact_2_3x",
                "parent_ratings",
                "stress_lower",
                "satisfaction_higher",
                "violence_lower",
                "confidence_higher",
            },
        )
    )
    pooled = primary[primary["comparison"] == "all conventional"]
    summary = [
        sentence(r, "Unit-model authority vs all conventional", rules=rules)
        for _, r in pooled.iterrows()
        if r["outcome"]
        in (
            "ghq_score",
            "job_satisfaction",
            "no_time_for_reflection",
            "experienced_violence",
            "contact_rate",
            "rating_overall",
        )
    ]
    return sections, summary
