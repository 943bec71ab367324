"""Survey comparisons: workers clustered in units, a few authorities (issue #9, item 4).

Data shaped like the sample's worker survey: one unit-model authority with 16 units and two
conventional authorities with 10 units each, 4-9 workers per unit (about 100 per authority), unit
ICC 0.12 and an authority effect of 0, 2, 5 or 10% of the variance. Procedures as the engine runs
them: the primary row (``rsw_eval.designs._clustered.primary_test``, CR2 with Satterthwaite df)
and the multilevel row (``stats.mixed_effect``).

With one unit-model authority the primary row tests the difference between these authorities'
workforces (authorities fixed, units sampled), and says so; its coverage is therefore measured
against that difference given the drawn authority effects. As a test of the *model* (authority
effects random) it is recorded as descriptive with the rejection rate it would have: the row
states that no valid test of the model exists there, and the multilevel row prints no p.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats as sps

from rsw_eval import stats
from rsw_eval.designs._clustered import cluster_labels, primary_test
from rsw_eval.designs.cross_section import _consistency_rows
from validation._harness import Record

UNIT_ICC = 0.12
THRESHOLD = 0.5  # binary outcome: latent > 0.5, about 31% "yes"


def _survey(rng, share: float, n_unit: int = 1, n_conv: int = 2, units=(16, 10)) -> tuple[pd.DataFrame, dict]:
    """Workers in units in authorities; latent normal outcome with total variance 1."""
    n_auth = n_unit + n_conv
    effects = dict(enumerate(rng.normal(0, np.sqrt(share), n_auth)))
    unit_auth = np.repeat(np.arange(n_auth), [units[0]] * n_unit + [units[1]] * n_conv)
    sizes = rng.integers(4, 10, unit_auth.size)
    unit_code = np.repeat(np.arange(unit_auth.size), sizes)
    auth = unit_auth[unit_code]
    latent = (
        np.array(list(effects.values()))[auth]
        + rng.normal(0, np.sqrt(UNIT_ICC), unit_auth.size)[unit_code]
        + rng.normal(0, np.sqrt(1 - UNIT_ICC - share), auth.size)
    )
    frame = pd.DataFrame(
        {
            "authority": np.char.add("LA", auth.astype(str)).astype(object),
            "unit": unit_code,
            "model": np.where(auth < n_unit, "unit", "conventional").astype(object),
            "y": latent,
            "case": (latent > THRESHOLD).astype(float),
        }
    )
    return frame, effects


def _place_truth(frame: pd.DataFrame, effects: dict, share: float, comparison=None, binary=False) -> float:
    """The difference between the unit-model authority and the comparison given the authority
    effects (expectation over units and workers; conventional authorities weighted by workers)."""
    a = frame["authority"].str[2:].astype(int).to_numpy()
    within_sd = np.sqrt(1 - share)
    means = {k: float(sps.norm.sf((THRESHOLD - v) / within_sd)) if binary else v for k, v in effects.items()}
    treated = frame["model"].to_numpy() == "unit"
    keep = ~treated if comparison is None else a == comparison
    return float(np.mean([means[c] for c in a[treated]]) - np.mean([means[c] for c in a[keep]]))


def _primary(frame: pd.DataFrame, outcome: str, comparison=None):
    sub = (
        frame
        if comparison is None
        else frame[(frame["model"] == "unit") | (frame["authority"] == comparison)]
    )
    c, _ = primary_test(sub, outcome, cluster_labels(sub))
    return c


def _record_primary(reps, rng, share, outcome, comparison=None, scenario_extra="") -> Record:
    covered = rejected = welch = model_rejected = 0
    for _ in range(reps):
        frame, effects = _survey(rng, share)
        c = _primary(frame, outcome, None if comparison is None else f"LA{comparison}")
        truth = _place_truth(frame, effects, share, comparison, binary=outcome == "case")
        covered += c.ci_low <= truth <= c.ci_high
        rejected += c.p_value < 0.05
        if share == 0:
            sub = frame if comparison is None else frame[frame["authority"].isin(["LA0", f"LA{comparison}"])]
            x = sub.loc[sub["model"] == "unit", outcome]
            y = sub.loc[sub["model"] != "unit", outcome]
            welch += stats.welch_t(x.to_numpy(float), y.to_numpy(float)).p_value < 0.05
    kind = "risk difference" if outcome == "case" else "mean difference"
    what = "all conventional" if comparison is None else "one conventional authority"
    scenario = f"1 unit-model + 2 conventional LAs, unit ICC 0.12, authority {share:.0%}{scenario_extra}"
    if share == 0:
        note = (
            f"no place difference: size is of the row's own null; Welch t ignoring units: {welch / reps:.1%}"
        )
        return Record(
            f"survey primary row, {kind} vs {what}, CR2 by unit", scenario, reps, rejected, covered, note=note
        )
    model_rejected = rejected
    note = (
        "coverage of the difference between these authorities (what the row states it tests); "
        f"as a test of the model it would reject {model_rejected / reps:.1%}, so the row says no valid "
        "test of the model exists"
    )
    return Record(
        f"survey primary row, {kind} vs {what}, CR2 by unit",
        scenario,
        reps,
        None,
        covered,
        reports="CI of the place difference",
        note=note,
    )


def _record_multilevel(reps, rng, share, n_unit, n_conv) -> Record:
    rejected_capped = rejected_satt = covered = reported = failed = 0
    reasons: set[str] = set()
    units = (16, 10) if n_unit == 1 else (10, 10)
    for _ in range(reps):
        frame, _ = _survey(rng, share, n_unit, n_conv, units)
        r = stats.mixed_effect(frame, "y", "model", ["authority", "unit"])
        if not r.valid:
            failed += 1
            reasons.add(r.reason)
            continue
        d = r.details
        t = r.estimate / d["se"]
        rejected_satt += 2 * sps.t.sf(abs(t), d["df_satterthwaite"]) < 0.05
        if d["estimable"]:
            reported += 1
            rejected_capped += r.p_value < 0.05
            covered += r.ci_low <= 0 <= r.ci_high
    scenario = f"{n_unit} unit-model + {n_conv} conventional LAs, unit ICC 0.12, authority {share:.0%}"
    sat = f"uncapped Satterthwaite t (lmerTest) would reject {rejected_satt / reps:.1%}"
    if failed:
        sat += f"; {failed} fits invalid ({'; '.join(sorted(reasons))})"
    if reported == 0:
        return Record(
            "multilevel row (REML, Satterthwaite t)",
            scenario,
            reps,
            None,
            None,
            reports="descriptive",
            note=f"not estimable, no p or CI printed; {sat}",
        )
    return Record(
        "multilevel row (REML, Satterthwaite t capped at authorities - 2 df)",
        scenario,
        reps,
        rejected_capped,
        covered,
        note=sat,
    )


def _record_authority_cr2(reps, rng, share, n_unit, n_conv) -> Record:
    rejected = covered = 0
    for _ in range(reps):
        frame, _ = _survey(rng, share, n_unit, n_conv, (10, 10))
        c = _primary(frame, "y")
        rejected += c.p_value < 0.05
        covered += c.ci_low <= 0 <= c.ci_high
    scenario = f"{n_unit} unit-model + {n_conv} conventional LAs, unit ICC 0.12, authority {share:.0%}"
    return Record(
        "survey primary row, mean difference, CR2 by authority",
        scenario,
        reps,
        rejected,
        covered,
        note="a test of the model: authorities are the clusters",
    )


def _record_consistency(reps, rng) -> Record:
    rejected = 0
    for _ in range(reps):
        frame, _ = _survey(rng, 0.0)
        (row,) = _consistency_rows(frame, "y", "worker")
        rejected += row["p_value"] < 0.05
    return Record(
        "consistency row, Brown-Forsythe with CR2 by unit",
        "1 unit-model + 2 conventional LAs, unit ICC 0.12, equal SDs",
        reps,
        rejected,
        None,
        reports="p only",
        note="the variance ratio is shown without an interval",
    )


def run(reps: int, seed: int) -> list[Record]:
    rng = np.random.default_rng([seed, 9])
    records = [_record_primary(reps, rng, 0.0, "y"), _record_primary(reps, rng, 0.0, "y", comparison=1)]
    records += [_record_primary(reps, rng, share, "y") for share in (0.02, 0.05, 0.10)]
    records.append(_record_primary(reps, rng, 0.05, "y", comparison=1))
    records += [_record_primary(reps, rng, 0.0, "case"), _record_primary(reps, rng, 0.05, "case")]
    records.append(_record_consistency(reps, rng))
    ml = max(100, reps // 2)  # a REML fit costs ~10 times a CR2 row: half the replications
    records += [_record_multilevel(ml, rng, share, 1, 2) for share in (0.02, 0.05, 0.10)]
    records += [_record_multilevel(ml, rng, 0.05, 3, 3), _record_multilevel(ml, rng, 0.05, 2, 2)]
    records += [_record_authority_cr2(reps, rng, 0.05, 3, 3), _record_authority_cr2(reps, rng, 0.05, 2, 2)]
    return records
