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
from rsw_eval.report._labels import adjustment_name, outcome_label, sentence
from rsw_eval.report._limits import limitations, not_estimated
from rsw_eval.report._numbers import p_text
from rsw_eval.report._power import with_detection


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
        "would let one be worked out. Respondents are those who answered the first outcome "
        "compared (the GHQ score and the overall rating, where asked); an authority with fewer "
        "than two such answers has no comparison of its own and is neither listed nor in the Total.",
        columns=("Authority", *[capital(c) for c in respondents.columns]),
        rows=tuple(rows),
    )


def levels(rows: pd.DataFrame) -> str:
    """The intervals' stated levels, as the rows give them ('95%', or '90% and 95%')."""
    shown = sorted({round(float(v), 3) for v in rows["ci_level"].dropna()})
    return (
        " and ".join(f"{v:.0%}" if round(v * 100, 1) == round(v * 100) else f"{v:.1%}" for v in shown) or "no"
    )


def describe_tests(rows: pd.DataFrame) -> str:
    """Which tests gave the p-values and which adjustment gave the adjusted ones, from the rows.

    Examples
    --------
    >>> rows = pd.DataFrame({"test": ["CR2 t (Satterthwaite df)", "chi-square"], "family": "worker",
    ...                      "adjustment": ["holm over 28 tests of question 'worker'"] * 2})
    >>> print(describe_tests(rows))  # doctest: +NORMALIZE_WHITESPACE
    p is from CR2 t (Satterthwaite df) or chi-square; adjusted p is Holm's over 28 tests of
    question 'worker'.
    >>> rows["adjustment"] = ["primary outcome of question 'worker', tested first (bh)",
    ...                       "bh over 27 tests of question 'worker' (bh); behind the primary outcome "
    ...                       "ghq_case"]
    >>> print(describe_tests(rows))  # doctest: +NORMALIZE_WHITESPACE
    p is from CR2 t (Satterthwaite df) or chi-square; adjusted p is Benjamini-Hochberg's over 27
    tests of question 'worker', behind the declared primary outcome ghq_case, tested first at the
    full level.
    """
    tests = [t for t in dict.fromkeys(rows["test"].dropna().astype(str)) if t]
    text = f"p is from {' or '.join(tests)}" if tests else "No p-values"
    adjusted = [a for a in rows["adjustment"].dropna().astype(str) if a and a != "none"]
    # the rows behind a declared primary outcome name the method; the primary's own row says
    # "primary outcome of question ..., tested first (method)"
    behind = [a for a in adjusted if not a.startswith("primary ")] or adjusted
    method = adjustment_name(behind[0]) if behind else ""
    if method:
        over = behind[0].split(" over ", 1)[1].split(" (", 1)[0] if " over " in behind[0] else ""
        text += f"; adjusted p is {method}'s " + (f"over {over}" if over else "within the row's question")
        first = behind[0].split("; behind the primary outcome ", 1)
        if len(first) == 2:
            text += f", behind the declared primary outcome {first[1]}, tested first at the full level"
    elif (rows["adjustment"] == "none").any():
        text += "; p-values are not adjusted for multiplicity"
    if "question" in rows and (rows["question"] == "places").any():
        text += "; rows with one authority on a side compare places, not the model"
    return text + "."


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
                f"in the comparison, with effect sizes and {levels(worker)} CIs. " + describe_tests(worker),
                columns=COMPARISON_COLUMNS,
                rows=comparison_table(worker),
                numeric=COMPARISON_NUMERIC,
                note=EFFECT_KEY,
            )
        )
    std = primary[
        (primary["comparison"] == "all conventional")
        & primary["effect_size_name"].isin(["hedges_g", "cohens_h"])
        & primary["effect_size"].notna()  # suppressed effects are not drawn (and all may be)
    ]
    if not std.empty:
        sections.append(
            Section(
                "forest",
                "Effect sizes",
                "figure",
                intro="Standardised effects (Hedges' g for scores, Cohen's h for "
                "proportions): unit model against all conventional authorities.",
                svg=_charts.forest_plot(std, "Unit model vs all conventional", threshold=threshold),
            )
        )
    parent = primary[(primary["family"] == "parent") & primary["outcome"].str.startswith("rating_")]
    if not parent.empty:
        sections.append(
            Section(
                "parent",
                "Parent ratings",
                "table",
                intro="Ratings from 1 (very poor) to 5 (very good). " + describe_tests(parent),
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
        with_detection(sentence(r, "Unit-model authority vs all conventional", rules=rules), r)
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
