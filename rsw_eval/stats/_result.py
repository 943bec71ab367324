"""The result object every statistic returns, and its text/HTML summaries."""

from __future__ import annotations

import html
import math
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd

#: Columns of :meth:`StatResult.to_frame`, always present and in this order.
COLUMNS = (
    "name",
    "estimate",
    "ci_low",
    "ci_high",
    "ci_level",
    "statistic",
    "df",
    "p_value",
    "test",
    "method",
    "alternative",
    "n1",
    "n2",
    "n_dropped",
    "valid",
    "reason",
)

NA = math.nan


class _Summary:
    """Text (``str``) and HTML (``_repr_html_``) summaries from one tidy frame (after linearmodels)."""

    def to_frame(self) -> pd.DataFrame:  # pragma: no cover - implemented by subclasses
        raise NotImplementedError

    def _display_frame(self) -> pd.DataFrame:
        frame = self.to_frame()
        keep = [
            c
            for c in (
                "name",
                "estimate",
                "ci_low",
                "ci_high",
                "statistic",
                "df",
                "p_value",
                "n1",
                "n2",
                "reason",
            )
            if c in frame and frame[c].replace("", None).notna().any()
        ]
        return frame.loc[:, keep]

    def __str__(self) -> str:
        head = f"{type(self).__name__}: {getattr(self, 'method', '')}".rstrip(": ")
        with pd.option_context("display.width", 160, "display.max_columns", 20):
            body = self._display_frame().to_string(index=False, float_format=lambda v: f"{v:.4g}")
        return f"{head}\n{body}"

    def _repr_html_(self) -> str:
        head = html.escape(f"{type(self).__name__}: {getattr(self, 'method', '')}")
        table = self._display_frame().to_html(
            index=False, float_format=lambda v: f"{v:.4g}", na_rep="", escape=True
        )
        return f"<div><strong>{head}</strong>{table}</div>"


@dataclass(frozen=True, repr=False)
class StatResult(_Summary):
    """An estimate with its confidence interval and test.

    Attributes
    ----------
    name : str
        The estimand, e.g. ``"mean_difference"``, ``"hedges_g"``, ``"risk_difference"``.
    estimate, ci_low, ci_high : float
        Point estimate and confidence limits (NaN where not available).
    ci_level : float
        Confidence level, e.g. 0.95.
    statistic, df, p_value : float
        Test statistic, its degrees of freedom and p-value (NaN where not applicable).
    test : str
        The test, e.g. ``"Welch t"``.
    method : str
        How the estimate and interval were obtained (CI method, df type, SE type).
    alternative : str
        ``"two-sided"``, ``"greater"`` or ``"less"``.
    n1, n2 : float
        Sample sizes used (after dropping NaNs); NaN where not applicable.
    n_dropped : int
        Missing values dropped before computing.
    valid : bool
        False when the statistic could not be computed; ``reason`` says why.
    details : mapping
        Further named quantities (read-only), e.g. ``{"U": 35.0}``.
    related : tuple of StatResult
        Companion estimates of the same comparison (e.g. odds ratio beside the risk difference).

    Examples
    --------
    >>> r = StatResult("mean_difference", 1.5, 0.5, 2.5, 0.95, test="Welch t", n1=10, n2=12)
    >>> r.to_frame()[["name", "estimate", "ci_low", "ci_high", "n1"]]
                  name  estimate  ci_low  ci_high  n1
    0  mean_difference       1.5     0.5      2.5  10
    """

    name: str
    estimate: float = NA
    ci_low: float = NA
    ci_high: float = NA
    ci_level: float = NA
    statistic: float = NA
    df: float = NA
    p_value: float = NA
    test: str = ""
    method: str = ""
    alternative: str = "two-sided"
    n1: float = NA
    n2: float = NA
    n_dropped: int = 0
    valid: bool = True
    reason: str = ""
    details: Mapping[str, Any] = field(default_factory=dict)
    related: tuple[StatResult, ...] = ()

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, np.generic):
                object.__setattr__(self, f.name, value.item())
        object.__setattr__(self, "details", MappingProxyType(dict(self.details)))

    def __repr__(self) -> str:
        return (
            f"StatResult(name={self.name!r}, estimate={self.estimate:.6g}, "
            f"ci=[{self.ci_low:.6g}, {self.ci_high:.6g}], p_value={self.p_value:.4g})"
        )

    @property
    def ci(self) -> tuple[float, float]:
        """``(ci_low, ci_high)``."""
        return (self.ci_low, self.ci_high)

    def to_frame(self) -> pd.DataFrame:
        """One tidy row for this result, then one per related result; fixed columns (``COLUMNS``)."""
        rows = [{c: getattr(r, c) for c in COLUMNS} for r in (self, *self.related)]
        return pd.DataFrame(rows, columns=list(COLUMNS))

    def __getitem__(self, name: str) -> StatResult:
        """The related result called ``name`` (or this one)."""
        for r in (self, *self.related):
            if r.name == name:
                return r
        raise KeyError(f"{name!r}: available are " + ", ".join(r.name for r in (self, *self.related)))

    @classmethod
    def invalid(cls, name: str, reason: str, **kwargs: Any) -> StatResult:
        """A result that could not be computed, with the reason (for batch use; never raises)."""
        return cls(name, valid=False, reason=reason, **kwargs)
