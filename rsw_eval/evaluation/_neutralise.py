"""What every written table passes through: text cells a spreadsheet would run as a formula are
neutralised (OWASP CSV injection), and an unprotected file says so on every row."""

from __future__ import annotations

import pandas as pd

__all__ = ["UNPROTECTED", "neutralise"]


#: The ``disclosure`` column of an unprotected results file.
UNPROTECTED = "UNPROTECTED: small cells not suppressed, not for publication"
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def neutralise(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy whose text cells starting with ``= + - @``, tab or carriage return are prefixed with
    ``'`` (OWASP CSV injection); numbers are not changed. See :meth:`Results.to_csv`.

    Examples
    --------
    >>> neutralise(pd.DataFrame({"note": ["=HYPERLINK(1)", "ok"], "x": [-1.0, 2.0]}))["note"].tolist()
    ["'=HYPERLINK(1)", 'ok']
    """
    out = frame.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            text = out[col]
            risky = text.map(lambda v: isinstance(v, str) and v.startswith(_FORMULA)).astype(bool)
            if risky.any():
                out[col] = text.astype(object).where(~risky, "'" + text.astype(str))
    return out
