"""Identifiers and registry names in a piece of text: what the privacy gate looks for.

- ``resident_id``: an 18-character resident ID number with a valid GB 11643 check
  character (a trailing ``x`` too); ``resident_id_15``: a 15-digit first-generation ID
  (:func:`~reliefkit.text.idnumbers.is_legacy_resident_id`); ``bank_card``: a 16–19-digit
  number that passes the Luhn check and is not a valid resident ID;
- ``name``: the full name of a registry person (:class:`NameIndex`), 2 characters or
  more, inside a run of Chinese characters (the middle dot of transliterated names too).

Digits are taken as one number only when no digit is next to them, and not when they are
part of a decimal number or of a long run of letters and digits (a hash, base64 data).
:func:`mask_identifiers` masks what :func:`scan_text` would find, for messages and logs.

Examples
--------
>>> scan_text("户主 张三丰 11010519491231002X", NameIndex(["张三丰"]))
[(1, 'resident_id', '110105********002X'), (1, 'name', '张**')]
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator

from reliefkit.text.idnumbers import (
    is_legacy_resident_id,
    is_valid_resident_id,
    luhn_ok,
    mask_id,
    mask_name,
)

__all__ = ["KINDS", "NameIndex", "scan_text", "mask_identifiers"]

KINDS = ("resident_id", "resident_id_15", "bank_card", "name")

# a run of 15-19 ASCII digits (18 may end in X): no digit next to it, not inside a decimal number
_NUMBER = re.compile(r"(?<![0-9])(?<![0-9]\.)[0-9]{15,19}[Xx]?(?![0-9])(?!\.[0-9])")
_BLOB_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
_BLOB_MIN = 32
_NAME_EXTRA = "·・"  # middle dots of transliterated names (买买提·艾力)
_CJK_RUN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f" + _NAME_EXTRA + "]{2,}")


def _classify(number: str) -> str | None:
    n = len(number)
    if n == 18 and is_valid_resident_id(number.upper()):
        return "resident_id"
    if not number.isdigit():
        return None
    if n == 15:
        return "resident_id_15" if is_legacy_resident_id(number) else None
    if 16 <= n <= 19 and luhn_ok(number):
        return "bank_card"
    return None


def _in_blob(text: str, start: int, end: int) -> bool:
    """True when the digits at ``text[start:end]`` are part of a long run of letters and
    digits (a hash, base64 data), not a number on their own."""
    i, lo = start, max(0, start - _BLOB_MIN)
    while i > lo and text[i - 1] in _BLOB_CHARS:
        i -= 1
    j, hi = end, min(len(text), end + _BLOB_MIN)
    while j < hi and text[j] in _BLOB_CHARS:
        j += 1
    return j - i >= _BLOB_MIN


class NameIndex:
    """The registry's names, for a fast search of Chinese text: a set lookup of every
    substring (of a length some name has) of each run of Chinese characters.

    Parameters
    ----------
    names : iterable of str
        Full names; blanks, one-character names and names with characters other than
        Chinese ones (and ``·``) are left out.
    """

    def __init__(self, names: Iterable[object] | None) -> None:
        keep: set[str] = set()
        for raw in names if names is not None else ():
            if not isinstance(raw, str):
                continue  # None, NaN, NA: no name
            name = unicodedata.normalize("NFKC", str(raw)).strip()
            if len(name) >= 2 and _CJK_RUN.fullmatch(name) and name.strip(_NAME_EXTRA) == name:
                keep.add(name)
        self.names = frozenset(keep)
        self.lengths = tuple(sorted({len(n) for n in keep}, reverse=True))

    def __len__(self) -> int:
        return len(self.names)

    def find(self, text: str) -> Iterator[str]:
        """Each name found in ``text`` (longest first at a position; a shorter name inside a
        longer one found at the same place is not repeated)."""
        if not self.names:
            return
        names, lengths = self.names, self.lengths
        for m in _CJK_RUN.finditer(text):
            run = m.group()
            covered = 0  # end of the last name found in this run
            for i in range(len(run) - 1):
                for n in lengths:
                    if i + n <= len(run) and i + n > covered and run[i:i + n] in names:
                        covered = i + n
                        yield run[i:i + n]
                        break


def _identifiers(text: str) -> Iterator[tuple[re.Match, str]]:
    """Each identifier in ``text`` (NFKC-normalised already) with its kind."""
    if len(text) >= 15:
        for m in _NUMBER.finditer(text):
            kind = _classify(m.group())
            if kind and not _in_blob(text, m.start(), m.end()):
                yield m, kind


def scan_text(text: str, names: NameIndex | None = None) -> list[tuple[int, str, str]]:
    """Findings in one text: ``(line number, kind, masked value)``, in order.

    Examples
    --------
    >>> scan_text("a 11010519491231002X b\\nc 0.012345678901234567 110105********002X")
    [(1, 'resident_id', '110105********002X')]
    """
    out: list[tuple[int, str, str]] = []
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
    for lineno, line in enumerate(text.split("\n"), start=1):
        out.extend((lineno, kind, mask_id(m.group().upper())) for m, kind in _identifiers(line))
        if names is not None and not line.isascii():
            out.extend((lineno, "name", mask_name(n)) for n in names.find(line))
    return out


def mask_identifiers(text: str) -> str:
    """``text`` with every identifier the gate would report — resident IDs (18 or 15
    digits) and bank card numbers — masked (:func:`~reliefkit.text.idnumbers.mask_id`): for
    messages and logs built from text the kit does not control, such as the error a
    notebook raised. Full-width digits are read as digits (NFKC).

    Examples
    --------
    >>> mask_identifiers("KeyError: '11010519491231002X' (row 7), amount 1234567890123")
    "KeyError: '110105********002X' (row 7), amount 1234567890123"
    """
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
    parts, last = [], 0
    for m, _ in _identifiers(text):
        parts += [text[last:m.start()], mask_id(m.group().upper())]
        last = m.end()
    return "".join(parts) + text[last:]
