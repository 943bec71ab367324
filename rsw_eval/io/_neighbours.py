"""The DfE statistical neighbour groupings file, read into one row per authority and neighbour."""

from __future__ import annotations

import os

import pandas as pd

from rsw_eval._errors import DataError, Problem
from rsw_eval.io._identifiers import shown
from rsw_eval.io._lacodes import code_map
from rsw_eval.io._read import read_table

__all__ = ["load_statistical_neighbours"]


def load_statistical_neighbours(source: str | os.PathLike | pd.DataFrame) -> pd.DataFrame:
    """Read the DfE statistical neighbour groupings (e.g. ``New_Statistical_Neighbour_Groupings_
    April_2021.csv``) into one row per authority and neighbour.

    The file has a BOM, ``LA num``/``LA Name`` columns, then ``SN1, SNP, SN2, SNP, ...`` (neighbour
    number and its closeness band, the band columns all called ``SNP``) and a trailing empty column;
    it is read by position, so the repeated names do not matter. The groupings are not bundled: pass
    the file you downloaded.

    Returns
    -------
    DataFrame
        ``la_code``, ``neighbour_code`` (GSS codes via the bundled lookup), ``rank`` (1 = nearest),
        ``closeness`` (e.g. ``"Very Close"``), ``old_la_code`` and ``neighbour_old_code``.

    Examples
    --------
    >>> import pandas as pd
    >>> raw = pd.DataFrame([["204", "Hackney", "204", "3", "London", "210", "Very Close", "208",
    ...                      "Close", ""]], columns=["LA num", "LA Name", "LA number", "GOInd",
    ...                      "GOReg", "SN1", "SNP", "SN2", "SNP.1", ""])
    >>> load_statistical_neighbours(raw)[["la_code", "neighbour_code", "rank", "closeness"]]
         la_code neighbour_code  rank   closeness
    0  E09000012      E09000028     1  Very Close
    1  E09000012      E09000022     2       Close
    """
    frame, info = read_table(source, repeated=("SNP",))
    label = info.label
    names = [str(c).strip() for c in frame.columns]
    sn = [i for i, c in enumerate(names) if c.upper().startswith("SN") and c[2:].isdigit()]
    if "LA num" not in names or not sn:
        raise DataError(
            Problem(
                label,
                "not a statistical neighbour groupings file",
                expected="columns 'LA num' and SN1, SNP, SN2, SNP, ...",
                found="columns " + ", ".join(map(repr, names[:8])),
            )
        )
    lookup = code_map()
    rows, unknown, itself = [], [], []
    for row, record in zip(info.row_numbers(frame.index), frame.itertuples(index=False), strict=True):
        own = str(record[names.index("LA num")]).strip()
        if not own or own.lower() == "nan":
            continue
        own = own.removesuffix(".0").zfill(3)
        for i in sn:
            other = str(record[i]).strip().removesuffix(".0")
            if not other or other.lower() == "nan":
                continue
            other = other.zfill(3)
            band = str(record[i + 1]).strip() if i + 1 < len(names) else ""
            for code in (own, other):
                if code not in lookup or not lookup[code]["la_code"]:
                    unknown.append((row, code))
            if other == own:
                itself.append((row, names[i], own))
            rows.append((own, other, int(names[i][2:]), band))
    problems = []
    if unknown:
        problems.append(
            Problem(
                label,
                "LA numbers not in the bundled lookup",
                rows=tuple(r for r, _ in unknown[:5]),
                n_rows=len(unknown),
                found=", ".join(shown(c, quote=False) for c in sorted({c for _, c in unknown})[:5]),
            )
        )
    if itself:
        problems.append(
            Problem(
                label,
                "an authority listed as its own neighbour",
                column=itself[0][1],
                rows=tuple(r for r, _, _ in itself[:5]),
                n_rows=len(itself),
                expected="neighbours other than the authority itself",
                found=f"{itself[0][2]} in its own row",
            )
        )
    if problems:
        raise DataError(problems)
    out = pd.DataFrame(rows, columns=["old_la_code", "neighbour_old_code", "rank", "closeness"])
    out.insert(0, "la_code", out["old_la_code"].map(lambda c: lookup[c]["la_code"]))
    out.insert(1, "neighbour_code", out["neighbour_old_code"].map(lambda c: lookup[c]["la_code"]))
    for col in ("la_code", "neighbour_code", "old_la_code", "neighbour_old_code", "closeness"):
        out[col] = out[col].astype("string")
    return out.sort_values(["la_code", "rank"], kind="stable").reset_index(drop=True)
