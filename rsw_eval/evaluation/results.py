"""The results of an evaluation: the contract table, the published-figure check and provenance."""

from __future__ import annotations

import html
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from rsw_eval._errors import SpecError
from rsw_eval.designs._rows import ANSWER_COLUMNS, SKIPPED_COLUMNS
from rsw_eval.evaluation._mde_text import HEADER, mde_cell
from rsw_eval.evaluation._neutralise import UNPROTECTED, neutralise
from rsw_eval.inputs._coverage import COVERAGE_COLUMNS, coverage_summary
from rsw_eval.io._outputs import guarded
from rsw_eval.published._official import OFFICIAL_COLUMNS

if TYPE_CHECKING:
    from rsw_eval.disclosure import RuleSet
    from rsw_eval.publication import Publication

__all__ = ["OUTPUT_FORMATS", "UNPROTECTED", "Results", "neutralise"]

OUTPUT_FORMATS = (".csv", ".json", ".parquet")
#: What the protected outputs say in place of an input file's SHA-256: with the rest of a file
#: public (a DfE table), its hash would confirm a guess of the cells the publication hides.
WITHHELD = (
    "withheld in protected outputs (it would confirm a guess of a hidden cell); in the unprotected results"
)
#: The tables written beside a CSV or Parquet results table, as ``<out>.<name>.csv``.
_SIDE_FILES = ("skipped", "coverage", "official")


@dataclass(frozen=True, repr=False)
class Results:
    """Output of :func:`rsw_eval.compare`.

    Attributes
    ----------
    table : DataFrame
        One row per outcome x comparison x design (columns: :data:`rsw_eval.RESULT_COLUMNS`).
    published : DataFrame
        One row per published figure: statement, source, published and reproduced values,
        ``reproduced`` (None when nothing in the data measures it).
    provenance : dict
        rsw-eval version, spec title, seed, confidence, adjustment, synthetic flag, and every input
        file's name and SHA-256.
    series : DataFrame
        The aggregate administrative series behind the panel designs (``la_code, la_name, year,
        indicator, value, flag, source, role``; role ``treated``, ``comparator``, ``england`` or
        ``region``), for trend charts. Aggregate only: no row-level data.
    skipped : DataFrame
        One record per analysis the spec asked for that gave no rows (``family, design, outcome,
        treatment, reason``): nothing is dropped in silence.
    coverage : DataFrame
        Which years each indicator has, per source file (or ``derived: <expr>``) and vintage, over
        the analysed authorities, with the years no file gives as ``gaps``
        (:data:`rsw_eval.inputs._coverage.COVERAGE_COLUMNS`).
    official_check : DataFrame
        Each published claim beside what the loaded public series shows for the same authority
        and years, with the reason for a gap (:data:`rsw_eval.published._official.OFFICIAL_COLUMNS`).
    answers : DataFrame
        How many respondents of each survey group gave each answer of each short-scale item
        (:func:`rsw_eval.designs._answers.answer_counts`): what the publication's auditor protects
        behind the groups' means and SDs. Never written; empty on the protected view.
    publication : Publication or None
        Set on the protected view (:meth:`protected`): the :class:`~rsw_eval.publication.Publication`
        its frames come from (the suppression log, the record of every published number, the
        interval audit). None on the engine's raw results.
    """

    table: pd.DataFrame
    published: pd.DataFrame
    provenance: dict[str, Any] = field(default_factory=dict)
    series: pd.DataFrame = field(default_factory=pd.DataFrame)
    skipped: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=list(SKIPPED_COLUMNS)))
    coverage: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=list(COVERAGE_COLUMNS)))
    official_check: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=list(OFFICIAL_COLUMNS)))
    answers: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=list(ANSWER_COLUMNS)), repr=False
    )
    publication: Publication | None = field(default=None, compare=False)
    _views: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    def __repr__(self) -> str:
        return (
            f"Results({len(self.table)} rows, families "
            f"{sorted(self.table['family'].unique())}, synthetic={self.provenance.get('synthetic')})"
        )

    def summary(self, *, protected: bool = True) -> str:
        """A readable text table grouped by family: estimate, level [CI], p and adjusted p, from the
        protected view (:meth:`protected`) unless ``protected=False``."""
        if protected and self.publication is None:
            return self.protected().summary()
        lines = []
        if self.provenance.get("synthetic"):
            lines.append("SYNTHETIC DATA - not results of any real authority")
        lines.append(
            "adj: adjusted within the row's question; places: compares authorities (one on a side), "
            f"not a test of the model;\n{HEADER}"
        )
        primary = self.table[self.table["primary"]]
        for family, group in primary.groupby("family", sort=False):
            lines.append(f"\n{family.upper()}")
            several = group["treatment"].nunique() > 1  # several adopters: a heading for each
            order = {t: i for i, t in enumerate(dict.fromkeys(group["treatment"]))}  # the engine's
            heading = None
            for r in group.sort_values("treatment", key=lambda t: t.map(order), kind="stable").itertuples():
                if several and r.treatment != heading:
                    heading = r.treatment
                    since = f", model from {int(r.adoption_year)}" if pd.notna(r.adoption_year) else ""
                    lines.append(f" {r.treatment}{since}")
                est = _fmt(r.effect_size)
                ci = f"[{_fmt(r.ci_low)}, {_fmt(r.ci_high)}]" if np.isfinite(r.ci_low) else ""
                if ci and np.isfinite(r.ci_level):
                    ci = f"{r.ci_level:.1%} {ci}"  # the row's own level (placebo intervals: 90.9%)
                p = f"p={_fmt_p(r.p_value)}" if np.isfinite(r.p_value) else ""
                q = f"adj={_fmt_p(r.p_adjusted)}" if np.isfinite(r.p_adjusted) else ""
                if r.question == "places":
                    q = "places"  # tests "these authorities differ", not the model
                mde = mde_cell(r)
                pub = ""
                if r.published_key and (r.reproduced is None or pd.isna(r.reproduced)):
                    why = "estimate suppressed" if r.suppressed else "no verdict: see the published figures"
                    pub = f"published: not checked ({why})"
                elif r.published_key:
                    pub = "published: reproduced" if r.reproduced else "published: NOT reproduced"
                name = f"{r.outcome} ({r.design}{', ' + r.period if r.period else ''})"
                lines.append(
                    f"  {name[:58]:58} {r.comparison[:22]:22} {r.effect_size_name[:16]:16} "
                    f"{est:>9} {ci:27} {p:11} {q:11} {mde:38} {pub}".rstrip()
                )
            floors = {n.split("; ")[-1] for n in group["mde_note"] if "can detect nothing" in n}
            lines += [f"  note: {f}; its MDEs are for its own level" for f in sorted(floors)]
        if len(self.skipped):
            lines.append(f"\nNot estimated ({len(self.skipped)}):")
            several = self.skipped["treatment"].replace("", np.nan).nunique() > 1
            for r in self.skipped.itertuples():
                what = f"{r.family} {r.design}".strip()
                who = f"{r.treatment}: " if several and r.treatment else ""
                lines.append(f"  {what:24} {r.outcome:28} {who}{r.reason}")
        checked = self.published[self.published["reproduced"].notna()]
        if len(self.published):
            n_ok = int(checked["reproduced"].astype(bool).sum())
            lines.append(
                f"\nPublished figures: {n_ok} of {len(checked)} reproduced (the others make no claim "
                "the results can check: see the status)"
            )
            for r in self.published.itertuples():
                state = (
                    getattr(r, "status", "")
                    or {True: "reproduced", False: "not reproduced", None: "not measured"}[r.reproduced]
                )
                lines.append(f"  {r.key:26} {r.published:22} {r.reproduced_value:>18}  {state}")
        return "\n".join(lines)

    def checks_summary(self, *, protected: bool = True) -> str:
        """The data coverage and the official-statistics check as text (what ``compare`` prints
        after the results), from the protected view unless ``protected=False``."""
        if protected and self.publication is None:
            return self.protected().checks_summary()
        lines = []
        if len(self.coverage):
            lines.append(coverage_summary(self.coverage))
        if len(self.official_check):
            lines.append("Official statistics beside the published claims:")
            for r in self.official_check.itertuples():
                shown = r.official or "-"
                lines.append(f"  {r.key:24} published {r.published:16} official {shown:40} {r.status}")
                if r.reason:
                    lines.append(f"  {'':24} {r.reason}")
                if r.other_values:
                    lines.append(f"  {'':24} other files: {r.other_values}")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()

    def _repr_html_(self) -> str:
        banner = (
            "<p><strong>Synthetic data</strong>: not results of any real authority.</p>"
            if self.provenance.get("synthetic")
            else ""
        )
        cols = [
            "outcome",
            "design",
            "comparison",
            "effect_size_name",
            "effect_size",
            "ci_low",
            "ci_high",
            "p_value",
            "p_adjusted",
            "reproduced",
        ]
        shown = self.protected().table
        table = shown.loc[shown["primary"], cols].to_html(
            index=False, float_format=lambda v: f"{v:.3g}", na_rep="", escape=True
        )
        return f"<div>{banner}<p>{html.escape(repr(self))}</p>{table}</div>"

    def rules(self) -> RuleSet:
        """The disclosure rule set of the spec (``disclosure_rules``, ``disclosure_threshold``)."""
        from rsw_eval.disclosure import rule_set

        p = self.provenance
        panel = p.get("disclosure_panel") or {}
        counts = [*panel.get("counts_declared", ()), *panel.get("counts_inferred", ())]  # beside rsw-eval's
        rules = rule_set(
            str(p.get("disclosure_rules", "default")), int(p.get("disclosure_threshold", 5)), counts
        )
        releases = panel.get("releases")  # the DfE releases' own rules
        return replace(rules, releases=tuple(releases)) if releases else rules

    def protected(self, rules: RuleSet | None = None) -> Results:
        """The results as they may be published: every frame taken from one
        :class:`~rsw_eval.publication.Publication` (:func:`rsw_eval.publication.publish`, with the
        spec's rule set unless ``rules`` is given). Every file, summary and report is rendered from
        this view; calling it on the view returns the view.

        Examples
        --------
        >>> import rsw_eval
        >>> res = rsw_eval.compare(rsw_eval.default_sample_spec("data/sample"), only=["cost"])
        >>> safe = res.protected()
        >>> safe.publication is not None, safe.protected() is safe, res.publication is None
        (True, True, True)
        """
        if self.publication is not None:
            if rules is not None and rules != self.publication.rules:
                raise SpecError(
                    f"these results are already protected under {self.publication.rules.description}; "
                    "protect the engine's results instead"
                )
            return self
        from rsw_eval.evaluation._adjustment import interpret_rows
        from rsw_eval.publication import publish

        rules = rules or self.rules()
        if rules in self._views:  # computed once per rule set
            return self._views[rules]
        pub = publish(
            self.table,
            rules,
            series=self.series,
            published=self.published,
            official_check=self.official_check,
            derived=self.provenance.get("derived") or (),
            reinterpret=lambda rows: interpret_rows(rows, "bonferroni"),
            answers=self.answers,
        )
        view = replace(
            self,
            table=pub.table,
            series=pub.series,
            published=pub.published,
            official_check=pub.official_check,
            answers=self.answers.iloc[:0],
            provenance={
                **self.provenance,
                "disclosure_rules": rules.name,
                "inputs": [{**f, "sha256": WITHHELD} for f in self.provenance.get("inputs", [])],
            },
            publication=pub,
        )
        self._views[rules] = view
        return view

    def protected_table(self) -> pd.DataFrame:
        """The table as reports publish it (:meth:`protected`)."""
        return self.protected().table

    def _view(self, protected: bool) -> Results:
        if protected:
            return self.protected()
        if self.publication is not None:
            raise SpecError("these results are the protected publication: the unprotected table is not in it")
        return replace(self, table=self.table.assign(disclosure=UNPROTECTED))

    @staticmethod
    def output_files(path: str | os.PathLike) -> list[Path]:
        """Every file :meth:`write` writes for ``path``: the table, and beside a ``.csv`` or
        ``.parquet`` table the skipped, coverage and official-check side files."""
        path = Path(path)
        sides = [] if path.suffix.lower() == ".json" else [f".{name}.csv" for name in _SIDE_FILES]
        return [path, *(path.with_suffix(s) for s in sides)]

    def write(
        self,
        path: str | os.PathLike,
        *,
        protected: bool = True,
        inputs: Iterable[str | os.PathLike] = (),
        force: bool = False,
    ) -> Path:
        """Write the table by suffix: ``.csv``, ``.json`` (records and provenance) or ``.parquet``.

        Everything written comes from the protected view by default (:meth:`protected`): the
        table, and the side files or JSON parts. ``protected=False`` writes the survey cells
        unsuppressed, with a ``disclosure`` column saying ``UNPROTECTED`` on each row (not for
        publication; the administrative estimates are computed from the protected panel either
        way). Text cells that a spreadsheet would run as a formula are neutralised (see
        :meth:`to_csv`).

        With ``.csv`` and ``.parquet`` the skipped analyses, the data coverage and the official-
        statistics check go beside the table (``<out>.skipped.csv``, ``<out>.coverage.csv``,
        ``<out>.official.csv``); ``.json`` holds them as ``skipped``, ``coverage`` and
        ``official_check``.

        Before anything is written, every one of these files is checked against ``inputs`` (the
        files the evaluation read) by identity, hard and symbolic links included, and an existing
        file rsw-eval did not write is refused unless ``force``
        (:func:`rsw_eval.io._outputs.check_outputs`).
        """
        path = Path(path)
        suffix = path.suffix.lower()
        if suffix not in OUTPUT_FORMATS:
            raise SpecError(f"unknown output format {path.suffix!r}; valid: {', '.join(OUTPUT_FORMATS)}")
        view = self._view(protected)
        with guarded(self.output_files(path), inputs, force=force):
            if suffix == ".csv":
                view.to_csv(path, protected=protected)
            elif suffix == ".json":
                view.to_json(path, protected=protected)
            else:
                view.to_parquet(path, protected=protected)
            if suffix != ".json":
                for name, frame in view._beside().items():
                    side = path.with_suffix(f".{name}.csv")
                    neutralise(frame).to_csv(side, index=False, lineterminator="\n")
        return path

    def _beside(self) -> dict[str, pd.DataFrame]:
        return dict(zip(_SIDE_FILES, (self.skipped, self.coverage, self.official_check), strict=True))

    def to_csv(self, path: str | os.PathLike | None = None, *, protected: bool = True) -> str | None:
        """CSV of the (protected) table, full precision, byte-identical for the same inputs and seed.

        Text cells starting with ``= + - @``, a tab or a carriage return get a leading ``'`` so that
        a spreadsheet shows them as text instead of running them (OWASP CSV injection).
        """
        return neutralise(self._view(protected).table).to_csv(path, index=False, lineterminator="\n")

    def to_json(self, path: str | os.PathLike | None = None, *, protected: bool = True) -> str | None:
        """JSON: ``{"provenance": ..., "results": [rows], "published": [rows], "skipped": [...],
        "coverage": [...], "official_check": [...]}`` (the protected table by default;
        ``provenance["disclosure"]`` says which)."""

        def records(frame: pd.DataFrame) -> list[dict]:
            return json.loads(frame.to_json(orient="records", double_precision=15))

        view = self._view(protected)
        text = json.dumps(
            {
                "provenance": {**view.provenance, "disclosure": "protected" if protected else UNPROTECTED},
                "results": records(view.table),
                "published": records(view.published),
                "skipped": records(view.skipped),
                "coverage": records(view.coverage),
                "official_check": records(view.official_check),
            },
            indent=1,
        )
        if path is None:
            return text
        Path(path).write_text(text + "\n", encoding="utf-8")
        return None

    def to_parquet(self, path: str | os.PathLike, *, protected: bool = True) -> None:
        """Parquet of the (protected) table (needs pyarrow: ``pip install 'rsw-eval[parquet]'``)."""
        try:
            import pyarrow  # noqa: F401
        except ImportError:
            raise SpecError("writing Parquet needs pyarrow: pip install 'rsw-eval[parquet]'") from None
        table = self._view(protected).table.copy()
        table["reproduced"] = table["reproduced"].astype("boolean")
        table.to_parquet(path, index=False)


def _fmt(value: float) -> str:
    if not np.isfinite(value):
        return ""
    return f"{value:.3g}" if abs(value) < 1000 else f"{value:,.0f}"


def _fmt_p(p: float) -> str:
    return "<0.001" if p < 0.001 else f"{p:.3f}"
