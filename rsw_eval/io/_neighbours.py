"""DfE statistical neighbours, every vintage: the April 2021 groupings and the 2025 model (and any
later file in either layout), read into one row per authority and neighbour."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pandas as pd

from rsw_eval._errors import DataError, Problem, found_columns
from rsw_eval.io._identifiers import shown
from rsw_eval.io._lacodes import code_map
from rsw_eval.io._read import read_table

__all__ = [
    "NEIGHBOUR_COLUMNS",
    "closeness_band",
    "load_statistical_neighbours",
    "name_key",
    "neighbour_model",
]

NEIGHBOUR_COLUMNS = (
    "la_code",
    "neighbour_code",
    "rank",
    "closeness",
    "old_la_code",
    "neighbour_old_code",
    "model",
)
#: The bands DfE publishes, closest first (sentence case; the files write "Very Close" in 2021 and
#: "Very close", "Close " in 2025).
BANDS = ("Extremely close", "Very close", "Close", "Somewhat close", "Not close")


def closeness_band(text: object) -> str:
    """A closeness band as one spelling: trailing spaces and the capitals of 2021 removed.

    Examples
    --------
    >>> closeness_band("Very Close"), closeness_band("Close "), closeness_band("")
    ('Very close', 'Close', '')
    """
    value = re.sub(r"\s+", " ", str(text or "")).strip()
    if value.lower() in ("", "nan"):
        return ""
    return value[:1].upper() + value[1:].lower()


def neighbour_model(label: str) -> int | None:
    """The model year a groupings file names (``..._April_2021.csv`` -> 2021,
    ``sn_model_2025_wide.csv`` -> 2025), or None.

    Examples
    --------
    >>> neighbour_model("New_Statistical_Neighbour_Groupings_April_2021.csv"), neighbour_model("x.csv")
    (2021, None)
    """
    years = re.findall(r"(?<!\d)(20\d{2})(?!\d)", Path(str(label)).name)
    return int(years[-1]) if years else None


#: What each row check refuses, and what it expects (a duplicated or conflicting row doubled an
#: authority's comparators; a repeated neighbour was weighted twice; a blank number dropped a row).
_CHECKS = {
    "unknown": ("LA numbers not in the bundled lookup", "a DfE LA number in the bundled lookup"),
    "itself": ("an authority listed as its own neighbour", "neighbours other than the authority itself"),
    "twice": ("an authority with more than one row", "one row per authority (a block repeated?)"),
    "repeat": ("the same neighbour listed twice in one row", "each neighbour once"),
    "band": ("a closeness band DfE does not publish", "one of " + ", ".join(BANDS)),
    "mismatch": ("'LA num' and 'LA number' disagree", "the same number in both columns"),
    "blank": ("neighbours listed with no LA number", "the authority's DfE number"),
    "gap": ("a blank neighbour slot among filled ones", "every neighbour slot filled (DfE lists 10)"),
    "noband": ("a neighbour with a blank closeness band", "one of " + ", ".join(BANDS)),
    "decimal": ("an LA number written as a decimal", "a DfE LA number written as digits, such as 204"),
    "name": ("an LA name that is another authority's", "the name of the authority with that LA number"),
}
#: The column that names the row's authority, in the 2021 and the 2025 layout.
_NAME_COLUMNS = ("LA Name", "la_name")


def name_key(name: object) -> str:
    """An authority name reduced to the words that tell authorities apart, so that DfE's spellings
    of one authority (``"Kingston Upon Hull, City of"``, ``"Bedford Borough"``, ``"Dorset (Pre
    LG)"``, ``"St Helens"``) match the bundled lookup's.

    Examples
    --------
    >>> name_key("Bournemouth, Christchurch & Poole"), name_key("St. Helens"), name_key("Durham")
    ('bournemouthchristchurchandpoole', 'sthelens', 'durham')
    >>> name_key("County Durham"), name_key("Bedford Borough"), name_key("Dorset (Pre LG)")
    ('durham', 'bedford', 'dorset')
    """
    text = re.sub(r"\(pre lg\)", " ", str(name).lower().replace("&", " and "))
    text = re.sub(r"\b(city of|county of|borough|county|the)\b", " ", text)
    return re.sub(r"[^a-z]", "", text)


def _numbers_by_name() -> dict[str, set[str]]:
    """Every DfE number the bundled lookup gives each :func:`name_key`."""
    out: dict[str, set[str]] = {}
    for number, entry in code_map().items():
        out.setdefault(name_key(entry.get("la_name", "")), set()).add(number)
    out.pop("", None)
    return out


def _number(value: object) -> str:
    """A DfE number as three digits (``"0204"``/``"204.0"`` -> ``"204"``), or ``""``."""
    text = str(value).strip().removesuffix(".0")
    return "" if text.lower() in ("", "nan") else text.zfill(3) if text.isdigit() else text


def _layout(names: list[str]) -> tuple[str, list[int]] | None:
    """(own-number column, positions of the neighbour columns) of the 2021 or the 2025 layout."""
    if "LA num" in names:  # 2021: LA num, ..., SN1, SNP, SN2, SNP, ...
        sn = [i for i, c in enumerate(names) if re.fullmatch(r"SN\d+", c, re.I)]
        return ("LA num", sn) if sn else None
    if "old_la_code" in names:  # 2025: old_la_code, la_name, ..., SN_1, SN_1P, ...
        sn = [i for i, c in enumerate(names) if re.fullmatch(r"SN_\d+", c, re.I)]
        return ("old_la_code", sn) if sn else None
    return None


def load_statistical_neighbours(
    source: str | os.PathLike | pd.DataFrame, *, model: int | None = None
) -> pd.DataFrame:
    """Read DfE statistical neighbours, in either published layout, into one row per authority and
    neighbour.

    Layouts: the April 2021 groupings (``New_Statistical_Neighbour_Groupings_April_2021.csv``: a
    BOM, ``LA num``/``LA Name``, then ``SN1, SNP, SN2, SNP, ...`` with every band column called
    ``SNP`` and a trailing empty column) and the 2025 model (``sn_model_2025_wide.csv``:
    ``old_la_code, la_name, region_ind, region_name, SN_1, SN_1P, ... SN_10P``). Columns are read by
    position, so the repeated names do not matter. Files are not bundled: pass the one you
    downloaded. Authorities reorganised since 2019 keep their own DfE numbers in each model (Cumbria
    909 in 2021; Cumberland 942 and Westmorland and Furness 943 in 2025); every number is mapped
    through the bundled lookup, which records each change (:func:`rsw_eval.io.la_codes`).

    Parameters
    ----------
    source : path or DataFrame
    model : int, optional
        The model's year. Default: the year in the file name (``2021``, ``2025``).

    Returns
    -------
    DataFrame
        ``la_code``, ``neighbour_code`` (GSS codes via the bundled lookup), ``rank`` (1 = nearest),
        ``closeness`` (one spelling: ``"Very close"``), ``old_la_code``, ``neighbour_old_code`` and
        ``model`` (the year, or <NA>).

    Raises
    ------
    DataError
        Neither layout, a DfE number not in the bundled lookup, an authority listed as its own
        neighbour or in two rows, a neighbour twice in one row, a closeness band DfE does not
        publish, ``LA num`` and ``LA number`` that disagree, neighbours with no LA number, a blank
        neighbour slot or closeness band among filled ones, an LA number written as a decimal
        (``204.0``) or an ``LA Name`` that is another authority's (file rows and columns named).

    Examples
    --------
    >>> import pandas as pd
    >>> raw = pd.DataFrame([["204", "Hackney", "204", "3", "London", "210", "Very Close", "208",
    ...                      "Close", ""]], columns=["LA num", "LA Name", "LA number", "GOInd",
    ...                      "GOReg", "SN1", "SNP", "SN2", "SNP.1", ""])
    >>> load_statistical_neighbours(raw, model=2021)[["la_code", "neighbour_code", "rank", "closeness"]]
         la_code neighbour_code  rank   closeness
    0  E09000012      E09000028     1  Very close
    1  E09000012      E09000022     2       Close
    """
    frame, info = read_table(source, repeated=("SNP",))
    label = info.label
    names = [str(c).strip() for c in frame.columns]
    layout = _layout(names)
    if layout is None:
        raise DataError(
            Problem(
                label,
                "not a statistical neighbour groupings file",
                expected="the 2021 layout (columns 'LA num' and SN1, SNP, SN2, SNP, ...) or the 2025 "
                "model (old_la_code and SN_1, SN_1P, SN_2, SN_2P, ...)",
                found=found_columns(names[:8]),
            )
        )
    own_col, sn = layout
    lookup = code_map()
    rows, seen = [], {}
    named = _numbers_by_name()
    name_col = next((c for c in _NAME_COLUMNS if c in names), None)
    found: dict[str, list[tuple[int, str, str]]] = {k: [] for k in _CHECKS}
    for row, record in zip(info.row_numbers(frame.index), frame.itertuples(index=False), strict=True):
        cells = [_number(v) for v in record]
        own = cells[names.index(own_col)]
        if not own:
            if any(cells[i] for i in sn):  # neighbours listed for no authority: never dropped silently
                found["blank"].append((row, own_col, "blank"))
            continue
        if own not in lookup or not lookup[own]["la_code"]:
            found["unknown"].append((row, own_col, shown(own, quote=False)))
        for i in [names.index(own_col), *sn]:  # '204.0': a number that went through a float
            if re.fullmatch(r"\d+\.0+", text := str(record[i]).strip()):
                found["decimal"].append((row, names[i], shown(text)))
        given = record[names.index(name_col)] if name_col else ""
        known = own in lookup and lookup[own]["la_code"]  # an unknown number is refused above
        if known and own not in named.get(name_key(given), {own}):  # the row of another authority?
            found["name"].append((row, name_col, f"{shown(str(given).strip())} for {own}"))
        if any(cells[i] for i in sn):  # DfE lists 10 neighbours: a blank slot dropped one silently
            found["gap"].extend((row, names[i], "a blank cell") for i in sn if not cells[i])
        if "LA number" in names and cells[names.index("LA number")] not in ("", own):
            other = shown(cells[names.index("LA number")], quote=False)
            found["mismatch"].append((row, "LA number", f"{shown(own, quote=False)} and {other}"))
        if own in seen:
            found["twice"].append((row, own_col, f"{own} in rows {seen[own]} and {row}"))
        seen.setdefault(own, row)
        listed = set()
        for i in sn:
            other = cells[i]
            if not other:
                continue
            band = closeness_band(record[i + 1]) if i + 1 < len(names) else ""
            if band and band not in BANDS:
                found["band"].append((row, names[i + 1], shown(str(record[i + 1]).strip())))
            if not band and i + 1 < len(names) and i + 1 not in sn:
                found["noband"].append((row, names[i + 1], "a blank cell"))
            if other not in lookup or not lookup[other]["la_code"]:
                found["unknown"].append((row, names[i], shown(other, quote=False)))
            if other == own:
                found["itself"].append((row, names[i], f"{own} in its own row"))
            if other in listed:
                found["repeat"].append((row, names[i], f"{other} twice in the row of {own}"))
            listed.add(other)
            rank = int(re.sub(r"\D", "", names[i]))
            rows.append((own, other, rank, band))
    problems = [
        Problem(
            label,
            message,
            column=hits[0][1],
            rows=tuple(dict.fromkeys(r for r, _, _ in hits))[:5],
            n_rows=len({r for r, _, _ in hits}),
            expected=expected,
            found=", ".join(dict.fromkeys(f for _, _, f in hits[:5])),
        )
        for key, (message, expected) in _CHECKS.items()
        if (hits := found[key])
    ]
    if problems:
        raise DataError(problems)
    out = pd.DataFrame(rows, columns=["old_la_code", "neighbour_old_code", "rank", "closeness"])
    out.insert(0, "la_code", out["old_la_code"].map(lambda c: lookup[c]["la_code"]))
    out.insert(1, "neighbour_code", out["neighbour_old_code"].map(lambda c: lookup[c]["la_code"]))
    for col in ("la_code", "neighbour_code", "old_la_code", "neighbour_old_code", "closeness"):
        out[col] = out[col].astype("string")
    year = model if model is not None else neighbour_model(label)
    out["model"] = pd.array([year] * len(out), dtype="Int64")
    return out.sort_values(["la_code", "rank"], kind="stable").reset_index(drop=True)
