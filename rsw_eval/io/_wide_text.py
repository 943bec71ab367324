"""Recognise UTF-16 and UTF-32 text, with or without a byte-order mark, before a CSV is decoded.

Without a mark, UTF-16 text of Latin letters is valid UTF-8 (each letter followed or preceded by a
NUL byte): decoded as such, its header read as ``' t i m e _ i d e n t i f i e r'`` and the file
was refused for a reason it did not have (findings-q22 L4). Wide text is told by its NUL bytes,
which fall in alternate positions; a stray NUL in a Windows-1252 file is not wide text.
"""

from __future__ import annotations

__all__ = ["wide_text"]

#: Byte-order marks, longest first (UTF-32LE's begins with UTF-16LE's).
_MARKS = (
    (b"\xff\xfe\x00\x00", "UTF-32 (little-endian)"),
    (b"\x00\x00\xfe\xff", "UTF-32 (big-endian)"),
    (b"\xff\xfe", "UTF-16 (little-endian)"),
    (b"\xfe\xff", "UTF-16 (big-endian)"),
)
#: How much of the start of a file is looked at, and the share of NUL bytes in one of the two
#: alternate positions (and at most the complement in the other) that makes it UTF-16.
_SAMPLE, _SHARE = 4096, 0.9


def wide_text(data: bytes) -> str | None:
    """What wide encoding ``data`` is in, as the messages name it (``"UTF-16 (little-endian)
    text without a byte-order mark"``), or None when it is not UTF-16 or UTF-32 text.

    Parameters
    ----------
    data : bytes
        The file's bytes (only the first 4,096 are looked at).

    Returns
    -------
    str or None
        The encoding, and whether it has a byte-order mark.

    Examples
    --------
    >>> wide_text("la_code,year\\n".encode("utf-16-le"))
    'UTF-16 (little-endian) text without a byte-order mark'
    >>> wide_text("la_code,year\\n".encode("utf-16"))
    'UTF-16 (little-endian) text with a byte-order mark'
    >>> wide_text(b"LA,LA Name\\r\\n201,City\\x00 of London\\r\\n") is None   # a stray NUL
    True
    """
    for mark, name in _MARKS:
        if data.startswith(mark):
            return f"{name} text with a byte-order mark"
    sample = data[:_SAMPLE]
    sample = sample[: len(sample) - len(sample) % 2]
    half = len(sample) // 2
    if half < 2:
        return None
    even, odd = sample[0::2].count(0) / half, sample[1::2].count(0) / half
    for nuls, others, order in ((odd, even, "little"), (even, odd, "big")):
        if nuls >= _SHARE and others <= 1 - _SHARE:
            return f"UTF-16 ({order}-endian) text without a byte-order mark"
    return None
