"""What to compare: the evaluation spec, from TOML or built in Python (DESIGN.md)."""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from rsw_eval._errors import SpecError
from rsw_eval.spec._checks import check_shapes as _check_shapes
from rsw_eval.spec._checks import gss_codes as _gss_codes
from rsw_eval.spec._checks import no_duplicate_units as _no_duplicate_units
from rsw_eval.spec._checks import no_options_in_unit_model as _no_options_in_unit_model
from rsw_eval.spec._checks import not_redated as _not_redated
from rsw_eval.spec._checks import suggest as _suggest
from rsw_eval.spec._values import (
    ADJUST_METHODS,
    DESIGNS,
    DONOR_POOLS,
    FAMILIES,
    check_values,
)

__all__ = [
    "ADJUST_METHODS",
    "DESIGNS",
    "DONOR_POOLS",
    "EvaluationSpec",
    "FAMILIES",
    "default_sample_spec",
    "load_spec",
]

SAMPLE_SPEC = Path(__file__).resolve().parents[1] / "data" / "sample_spec.toml"


@dataclass(frozen=True)
class EvaluationSpec:
    """An evaluation: which authorities, which data, which years, which settings.

    Every field is optional except the data. Paths are absolute once the spec is loaded (a TOML
    spec's relative paths resolve against the spec file's folder).

    Attributes
    ----------
    title : str
        Report title.
    unit_model : tuple of str
        GSS codes (administrative data) or survey ``authority`` labels of unit-model authorities.
        In TOML either a list, or a table of authority -> first year with the model (with an
        optional ``source`` for the dates), e.g. ``[unit_model] E09000012 = 2008``.
    adoption : dict of str to int
        First reporting year with the model, per unit-model authority (from the table form);
        authorities not in it use ``intervention_year`` (see :meth:`adoption_year`).
    adoption_source : str
        Where the adoption dates come from (printed in reports).
    designs : tuple of str or None
        The designs to run (:data:`DESIGNS`); None runs every design the data allow.
    donors : str or tuple of str
        Donor pool of the donor-pool designs and of placebo-in-space inference
        (:data:`DONOR_POOLS` or a list of codes; default the comparators).
    comparators : "statistical_neighbours", "all" or tuple of str
        Comparator authorities: the DfE statistical neighbours of the (first) unit-model authority
        (needs ``data.neighbours``), every other authority in the data, or a list of codes.
    neighbours_model : int or None
        Which DfE statistical neighbour model gives the comparators when ``[data] neighbours``
        lists several files (e.g. the April 2021 groupings and the 2025 model): its year, ``2021``
        or ``2025``. Default: the newest listed. Reports name the model.
    intervention_year : int
        First reporting year (ending 31 March) with the model in place.
    baseline_year, followup_year : int
        The before/after pair for the administrative indicators.
    before_after : tuple of (int, int)
        Further before/after pairs (e.g. ``[[2006, 2009], [2006, 2010]]``).
    pre_years, post_years : int, (int, int) or None
        The years each panel design uses on either side of an adopter's own adoption year Y
        (did, its, synthetic control, synthetic DiD, staggered, the event-time view): a whole
        number n is the n years before Y (Y-n .. Y-1) or from Y on (Y .. Y+n-1), for each adopter
        with its own Y; ``[first, last]`` is the same years for every adopter (each adopter's Y
        must fall after the pre years and no later than the first post year). Default (None):
        every year the data hold on that side. Every row's ``period`` lists the years it used.
    cost_years : (int, int) or None
        Years compared in the cost change (default: the first and last in the cost data).
    confidence : float
        Level of every interval.
    adjust : {"stepdown", "holm", "bh", "none"}
        Multiplicity adjustment within each question (default ``stepdown``: Westfall-Young maxT
        step-down over the joint permutation distribution of the question's tests, Holm for tests
        without one; :mod:`rsw_eval.evaluation._adjustment`).
    questions : dict
        ``[questions.NAME]`` tables, each ``outcomes = [...]`` and optionally ``primary = "..."``:
        the families of tests adjusted together, with a declared primary outcome tested first
        (:mod:`rsw_eval.spec._questions`). Outcomes no question names stay in their data family's
        question (worker, parent, admin, cost).
    mde_effect : float or None
        A relative change (-0.2 is a fall of 20%) at which every row's ``power`` is given, beside
        the minimum detectable effect (the ``mde_*`` columns).
    seed : int
        Seed of every resampling step.
    disclosure_threshold : int
        Counts from 1 to this are suppressed in reports.
    disclosure_rules : {"default", "dfe"}
        ``"dfe"``: the DfE rules instead of the threshold (:mod:`rsw_eval.disclosure`): each
        administrative figure under the rule of its DfE release where rsw-eval's registry knows it,
        else counts 1-7 suppressed and sub-national counts from 2012 rounded to the nearest 5.
    counts, not_counts, rates : tuple of str, tuple of str, dict
        Administrative indicators that are counts of people or events beside rsw-eval's own
        (:data:`rsw_eval.disclosure.COUNT_OUTCOMES`); whole-number ones that are not (a grade); the
        panel's own rates, ``name = [numerator, denominator, scale]`` (numerator ``""`` when the
        panel has none). Undeclared counts and rates are protected conservatively
        (:func:`rsw_eval.publication.count_rules`, docs/spec-guide.md).
    synthetic : bool
        The data are synthetic: reports carry a banner.
    not_people : tuple of str
        Labels in the data or the spec named after a person that name no person ("Florence
        Nightingale ward"): loaded where a person's name is refused (:func:`rsw_eval._personal.not_people`).
    derived : dict
        ``[derived]``: ``name = "a / b * 10000"`` or ``name = { expr = "...", lag = { b = 1 },
        prefer = "published" }`` (DfE rates for the year ending 31 March Y use the population of
        Y - 1: ``lag = { population_0_17 = 1 }``). Computed for every authority-year with the
        inputs; a published value of ``name`` is kept unless ``prefer = "derived"``; values carry
        ``source = "derived: <expr>"``. Undeclared, ``cla_rate_per_10k`` is derived with no lag
        when the panel has its inputs. Rules and safe parsing: :mod:`rsw_eval.inputs._derived`.
    vintage_order : tuple of str
        File names, oldest release first, deciding which file's value is kept where several give
        the same series (else the ``[data] admin`` order; an unrounded value beats a rounded one).
        Rule and warning: :mod:`rsw_eval.inputs._vintages`.
    data : dict
        ``worker_survey``, ``parent_survey``, ``costs``, ``neighbours`` (a path or a list of
        paths, one per neighbour model), ``admin`` (list of
        paths or tables with ``path``, ``kind``, ``value``, ``filters``, ``year``), ``ssda903``
        (table with ``header``, ``episodes``, ``year``, ``la_code``).

    Examples
    --------
    >>> spec = EvaluationSpec(unit_model=("E09000012",), data={"admin": ["panel.csv"]})
    >>> spec.adjust, spec.confidence
    ('stepdown', 0.95)
    """

    title: str = "Reclaiming Social Work: unit model vs comparators"
    unit_model: tuple[str, ...] = ()
    adoption: Mapping[str, int] = field(default_factory=dict)
    adoption_source: str = ""
    designs: tuple[str, ...] | None = None
    donors: str | tuple[str, ...] = "comparators"
    comparators: str | tuple[str, ...] = "all"
    neighbours_model: int | None = None
    intervention_year: int | None = None
    baseline_year: int | None = None
    followup_year: int | None = None
    before_after: tuple[tuple[int, int], ...] = ()
    pre_years: int | tuple[int, int] | None = None
    post_years: int | tuple[int, int] | None = None
    cost_years: tuple[int, int] | None = None
    confidence: float = 0.95
    adjust: str = "stepdown"
    seed: int = 20100401
    disclosure_threshold: int = 5
    disclosure_rules: str = "default"
    counts: tuple[str, ...] = ()
    not_counts: tuple[str, ...] = ()
    rates: Mapping[str, Any] = field(default_factory=dict)
    synthetic: bool = False
    not_people: tuple[str, ...] = ()
    derived: Mapping[str, Any] = field(default_factory=dict)
    vintage_order: tuple[str, ...] = ()
    questions: Mapping[str, Any] = field(default_factory=dict)
    mde_effect: float | None = None
    data: Mapping[str, Any] = field(default_factory=dict)
    base_dir: Path | None = None

    def __post_init__(self) -> None:
        check_values(self)

    @property
    def periods(self) -> tuple[tuple[int, int], ...]:
        """Every before/after pair: (baseline_year, followup_year) first, then ``before_after``."""
        pairs = []
        if self.baseline_year is not None and self.followup_year is not None:
            pairs.append((self.baseline_year, self.followup_year))
        for pair in self.before_after:
            if tuple(pair) not in pairs:
                pairs.append(tuple(pair))
        return tuple(pairs)

    @property
    def question_list(self):
        """The declared ``questions`` parsed (tuple of :class:`rsw_eval.spec._questions.Question`)."""
        from rsw_eval.spec._questions import parse_questions

        return parse_questions(self.questions, FAMILIES)

    @property
    def derived_indicators(self):
        """The ``derived`` table parsed (tuple of :class:`rsw_eval.spec._derived.Derived`)."""
        from rsw_eval.spec._derived import parse_derived

        return parse_derived(self.derived)

    def adoption_year(self, code: str) -> int | None:
        """First reporting year with the model for one unit-model authority (None for an authority
        that is not one: it has no adoption year). Old 3-digit DfE numbers and GSS codes match.

        Examples
        --------
        >>> spec = EvaluationSpec(unit_model=("A", "B"), adoption={"B": 2015}, intervention_year=2008,
        ...                       data={"admin": ["panel.csv"]})
        >>> spec.adoption_year("A"), spec.adoption_year("B"), spec.adoption_year("C")
        (2008, 2015, None)
        """
        from rsw_eval.io._lacodes import gss_code

        code = gss_code(code)
        for unit in self.unit_model:
            if gss_code(unit) == code:
                year = self.adoption.get(unit, self.adoption.get(code))
                return self.intervention_year if year is None else year
        return None

    def window(self, code: str) -> tuple[range, range] | None:
        """The pre and post years of one adopter (see ``pre_years``/``post_years``), as two
        ranges; an unbounded side runs from 1900 / to 2100 (every year the data hold). None for
        an authority with no adoption year.

        Examples
        --------
        >>> spec = EvaluationSpec(unit_model=("A",), adoption={"A": 2008}, pre_years=2,
        ...                       post_years=[2008, 2012], data={"admin": ["panel.csv"]})
        >>> spec.window("A")
        (range(2006, 2008), range(2008, 2013))
        """
        year = self.adoption_year(code)
        if year is None:
            return None
        pre, post = self.pre_years, self.post_years
        before = (
            range(1900, year)
            if pre is None
            else range(year - pre, year)
            if isinstance(pre, int)
            else range(pre[0], pre[1] + 1)
        )
        after = (
            range(year, 2101)
            if post is None
            else range(year, year + post)
            if isinstance(post, int)
            else range(post[0], post[1] + 1)
        )
        return before, after

    def with_adopter(self, code: str, year: int) -> EvaluationSpec:
        """A copy in which ``code`` is a unit-model authority with adoption year ``year`` (for a
        council the spec does not list: ``--adoption-year``; never re-dates one, ``not_redated``).

        Examples
        --------
        >>> spec = EvaluationSpec(unit_model=("A",), intervention_year=2008, data={"admin": ["p.csv"]})
        >>> s = spec.with_adopter("B", 2016)
        >>> s.unit_model, s.adoption_year("A"), s.adoption_year("B")
        (('A', 'B'), 2008, 2016)
        """
        from rsw_eval.io._lacodes import gss_code

        code = _not_redated(self, gss_code(code), year)
        known = [u for u in self.unit_model if gss_code(u) == code]
        units = self.unit_model if known else (*self.unit_model, code)
        key = known[0] if known else code
        return replace(self, unit_model=units, adoption={**self.adoption, key: int(year)})

    def runs(self, design: str) -> bool:
        """Whether the spec asks for ``design`` (every design when ``designs`` is not given)."""
        return self.designs is None or design in self.designs

    def path(self, key: str) -> Path | None:
        """The absolute path of a ``data`` entry (None when absent)."""
        value = self.data.get(key)
        if value is None:
            return None
        return _resolve(value, self.base_dir)

    def with_options(self, **changes: Any) -> EvaluationSpec:
        """A copy with some fields changed (validated again)."""
        return replace(self, **{k: v for k, v in changes.items() if v is not None})


def _resolve(value: str | os.PathLike, base: Path | None) -> Path:
    path = Path(value)
    return path if path.is_absolute() or base is None else (base / path)


_FIELDS = tuple(
    f.name for f in fields(EvaluationSpec) if f.name not in ("base_dir", "adoption", "adoption_source")
)


def _from_mapping(raw: Mapping[str, Any], base_dir: Path | None, label: str) -> EvaluationSpec:
    unknown = [k for k in raw if k not in _FIELDS]
    if unknown:
        raise SpecError(
            f"{label}: unknown key {unknown[0]!r}{_suggest(unknown[0], _FIELDS)}; valid "
            f"keys: {', '.join(_FIELDS)}"
        )
    _check_shapes(raw, label)
    _no_duplicate_units(raw.get("unit_model"), label)
    for key in ("comparators", "donors"):
        _no_duplicate_units(raw.get(key), label, key)
    _no_options_in_unit_model(raw.get("unit_model"), label, _FIELDS)
    values = _gss_codes(dict(raw))
    unit = values.get("unit_model")
    if isinstance(unit, Mapping):  # [unit_model] CODE = YEAR, ..., source = "..."
        table = dict(unit)
        source = table.pop("source", "")
        if not isinstance(source, str):
            raise SpecError(f"{label}: unit_model.source must be text. Got {source!r}.")
        values["unit_model"] = tuple(table)
        values["adoption"] = table
        values["adoption_source"] = source
    elif unit is not None:
        values["unit_model"] = tuple(unit) if not isinstance(unit, str) else (unit,)
    for key in ("comparators", "donors", "designs", "vintage_order", "counts", "not_counts", "not_people"):
        if isinstance(values.get(key), list):
            values[key] = tuple(values[key])
    if isinstance(values.get("designs"), str):
        values["designs"] = (values["designs"],)
    if "before_after" in values:
        values["before_after"] = tuple(tuple(p) for p in values["before_after"])
    for key in ("cost_years", "pre_years", "post_years"):
        if isinstance(values.get(key), list):
            values[key] = tuple(values[key])
    try:
        return EvaluationSpec(**values, base_dir=base_dir)
    except TypeError as exc:
        raise SpecError(f"{label}: {exc}") from None
    except SpecError as exc:  # name the spec file in every message
        raise (exc if str(exc).startswith(label) else SpecError(f"{label}: {exc}")) from None


def load_spec(
    source: str | os.PathLike | Mapping[str, Any], *, data_dir: str | os.PathLike | None = None
) -> EvaluationSpec:
    """Read an evaluation spec from a TOML file (or a mapping).

    Parameters
    ----------
    source : path or mapping
        The TOML file, or its content as a dict.
    data_dir : path, optional
        Folder the ``[data]`` paths are relative to (default: the spec file's folder).

    Returns
    -------
    EvaluationSpec

    Raises
    ------
    SpecError
        Unknown keys (listing the valid ones, with a "did you mean"), invalid values, bad TOML.

    Examples
    --------
    >>> spec = load_spec({"unit_model": ["E09000012"], "data": {"costs": "costs.csv"}},
    ...                  data_dir="/data")
    >>> spec.unit_model, str(spec.path("costs"))
    (('E09000012',), '/data/costs.csv')
    """
    if isinstance(source, Mapping):
        return _from_mapping(source, Path(data_dir) if data_dir else None, "spec")
    path = Path(source)
    if not path.is_file():
        raise SpecError(f"{path}: the spec file does not exist")
    try:
        # "utf-8-sig": a byte-order mark (Notepad writes one) is no TOML statement (att12 M7)
        raw = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise SpecError(f"{path}: not valid TOML ({exc})") from None
    return _from_mapping(raw, Path(data_dir) if data_dir else path.resolve().parent, str(path))


def default_sample_spec(data_dir: str | os.PathLike) -> EvaluationSpec:
    """The bundled spec that describes ``rsw-eval sample`` data, with paths in ``data_dir``.

    Examples
    --------
    >>> default_sample_spec("data/sample").unit_model
    ('E09000012', 'Unit-model LA')
    """
    return load_spec(SAMPLE_SPEC, data_dir=Path(data_dir).resolve())
