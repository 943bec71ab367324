"""GHQ-12 scoring (Goldberg & Williams 1988)."""

from __future__ import annotations

import numpy as np
import pandas as pd

GHQ_ITEMS = tuple(f"ghq{i}" for i in range(1, 13))
#: Items worded positively in the standard GHQ-12 ("able to concentrate", "playing a useful part",
#: "capable of making decisions", "enjoy normal activities", "able to face up to problems",
#: "reasonably happy"): 1, 3, 4, 7, 8 and 12.
POSITIVE_ITEMS = ("ghq1", "ghq3", "ghq4", "ghq7", "ghq8", "ghq12")
NEGATIVE_ITEMS = tuple(i for i in GHQ_ITEMS if i not in POSITIVE_ITEMS)


def score_ghq12(items: pd.DataFrame, *, threshold: float = 4, max_missing: int = 2) -> pd.DataFrame:
    """Score GHQ-12 items coded 0-3 in the distress direction.

    Parameters
    ----------
    items : DataFrame
        Columns ``ghq1`` .. ``ghq12``, each 0-3 or missing, coded by the position of the answer on the
        printed form: 0 is the healthiest answer ("better than usual" / "not at all") and 3 the least
        healthy ("much less than usual" / "much more than usual") for every item, positively worded
        ones included.
    threshold : float, default 4
        Caseness cut-off on the GHQ (0-0-1-1) score; a respondent is a case when the score is at least
        this.
    max_missing : int, default 2
        Most unanswered items for which the scores are prorated.

    Returns
    -------
    DataFrame
        ``ghq_score`` (Likert 0-1-2-3 scoring, 0-36), ``ghq_caseness`` (GHQ 0-0-1-1 scoring, 0-12),
        ``ghq_case`` (nullable boolean) and ``ghq_items_answered``.

    Notes
    -----
    With :math:`a` items answered and :math:`a \\geq 12 - \\text{max\\_missing}`, each score is
    prorated: :math:`S = 12 / a \\cdot \\sum_{answered} s_i`. With more items missing all three scores are
    missing. Prorated scores need not be whole numbers.

    References
    ----------
    Goldberg D, Williams P (1988). *A User's Guide to the General Health Questionnaire*. NFER-Nelson.

    Examples
    --------
    >>> import pandas as pd
    >>> row = dict(zip(GHQ_ITEMS, [0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3]))
    >>> score_ghq12(pd.DataFrame([row]))
       ghq_score  ghq_caseness  ghq_case  ghq_items_answered
    0       18.0           6.0      True                  12
    """
    values = items.loc[:, list(GHQ_ITEMS)].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    answered = np.sum(~np.isnan(values), axis=1)
    ok = answered >= len(GHQ_ITEMS) - max_missing
    with np.errstate(invalid="ignore", divide="ignore"):
        scale = np.where(ok, len(GHQ_ITEMS) / np.maximum(answered, 1), np.nan)
        likert = np.nansum(values, axis=1) * scale
        caseness = np.nansum(np.where(np.isnan(values), 0, values >= 2), axis=1) * scale
    case = pd.array(caseness >= threshold, dtype="boolean")
    case[~ok] = pd.NA
    return pd.DataFrame(
        {
            "ghq_score": likert,
            "ghq_caseness": caseness,
            "ghq_case": case,
            "ghq_items_answered": answered.astype("int64"),
        },
        index=items.index,
    )


#: Refuse a file as reverse-coded only on clear evidence: r below this with p below REVERSED_P.
REVERSED_R = -0.2
REVERSED_P = 0.01


def coding_looks_reversed(items: pd.DataFrame, *, min_n: int = 30) -> tuple[float, float, bool] | None:
    """Evidence that the positively worded items are stored agree-coded (3 = healthiest).

    Under the distress coding all twelve items measure the same thing, so the totals of the positive
    and the negative items correlate positively (typically r > 0.5). Returns ``None`` when they do,
    or with fewer than ``min_n`` complete respondents; else ``(r, p, clear)``: the correlation, its
    one-sided p-value (Pearson, H1: r < 0) and whether the evidence is clear (r < -0.2 and
    p < 0.01). A weakly negative r is what noise gives in a small file: a warning, not a refusal.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> rng = np.random.default_rng(0)
    >>> health = rng.integers(0, 4, size=(200, 1))
    >>> good = pd.DataFrame(np.clip(health + rng.integers(-1, 2, size=(200, 12)), 0, 3), columns=GHQ_ITEMS)
    >>> coding_looks_reversed(good) is None
    True
    >>> agree = good.copy()
    >>> agree[list(POSITIVE_ITEMS)] = 3 - agree[list(POSITIVE_ITEMS)]
    >>> r, p, clear = coding_looks_reversed(agree)
    >>> round(r, 2) < -0.2, p < 0.01, clear
    (True, True, True)
    """
    complete = items.loc[:, list(GHQ_ITEMS)].dropna()
    if len(complete) < min_n:
        return None
    pos = complete.loc[:, list(POSITIVE_ITEMS)].astype(float).sum(axis=1)
    neg = complete.loc[:, list(NEGATIVE_ITEMS)].astype(float).sum(axis=1)
    if pos.std() == 0 or neg.std() == 0:
        return None
    if np.corrcoef(pos, neg)[0, 1] > 1e-9:  # clearly positive: no p-value needed, nor SciPy
        return None
    from scipy import stats  # imported here: loading a survey must not pay for SciPy

    r, p = stats.pearsonr(pos, neg, alternative="less")
    r, p = float(r), float(p)
    if r >= 0:
        return None
    return r, p, bool(r < REVERSED_R and p < REVERSED_P)
