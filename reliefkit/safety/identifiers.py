"""Identifiers and registry names in a piece of text: what the privacy gate looks for.

- ``resident_id``: an 18-character resident ID number with a valid GB 11643 check
  character (a trailing ``x`` too); ``resident_id_15``: a 15-digit first-generation ID
  (:func:`~reliefkit.text.idnumbers.is_legacy_resident_id`); ``bank_card``: a 16–19-digit
  number that passes the Luhn check and is not a valid resident ID;
- ``name``: the full name of a registry person (:class:`NameIndex`), 2 characters or
  more, where a name stands on its own (below).

Digits are taken as one number only when no digit is next to them, and not when they are
part of a decimal number or of a long run of letters and digits (a hash, base64 data).
:func:`mask_identifiers` masks what :func:`scan_text` would find, for messages and logs.

**The name rule.** A *run* is a longest stretch of Chinese characters (CJK ideographs,
and the middle dots ``·`` ``・`` of transliterated names) of a line: anything else —
spaces, digits, Latin letters, punctuation (``，。、：（）|``), markup tags, the end of a
line, cell or JSON string — ends it. A registry name is a finding

1. when it is a **whole run**: a table cell (Markdown, HTML ``<td>``, DOCX, XLSX, CSV,
   a DataFrame's text or HTML repr), a list item, a line, a JSON string, or a name
   between non-Chinese characters (``张三 110105…``, ``（张三）``, ``户主:张三``);
2. or when it starts **right after a label** of :data:`NAME_LABELS` (``户主``,
   ``姓名``, ``联系人`` …), with nothing or only spaces and colons between them
   (``户主张三已纳入``, ``姓名：张三丰收``); the longest name that starts there counts.

A name inside a longer run of prose with no label right before it (``各月救助资金发放``
holds ``金发``; ``本年度张三户纳入低保``) is not a finding: with tens of thousands of
two-character names, ordinary words are names too. Inline HTML tags are dropped before the
scan (:mod:`reliefkit.safety.segments`), so ``户主<b>张三</b>`` reads ``户主张三``.
Both rules are set lookups: one per run, and one per name length after each label.

Examples
--------
>>> scan_text("户主 张三丰 11010519491231002X", NameIndex(["张三丰"]))
[(1, 'resident_id', '110105********002X'), (1, 'name', '张**')]
>>> scan_text("各月救助资金发放\\n户主金发已纳入\\n| 金发 | 300 |", NameIndex(["金发"]))
[(2, 'name', '金*'), (3, 'name', '金*')]
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

__all__ = ["KINDS", "NAME_LABELS", "NameIndex", "mask_identifiers", "scan_text"]

KINDS = ("resident_id", "resident_id_15", "bank_card", "name")

# a run of 15-19 ASCII digits (18 may end in X): no digit next to it, not inside a decimal number
_NUMBER = re.compile(r"(?<![0-9])(?<![0-9]\.)[0-9]{15,19}[Xx]?(?![0-9])(?!\.[0-9])")
_BLOB_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
_BLOB_MIN = 32
_NAME_EXTRA = "·・"  # middle dots of transliterated names (买买提·艾力)
_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f" + _NAME_EXTRA
_CJK_RUN = re.compile(f"[{_CJK}]{{2,}}")

#: the words after which a name is a finding even inside a run of prose (the name rule, 2.)
NAME_LABELS = (
    "户主", "姓名", "名字", "联系人", "申请人", "帮扶对象", "救助对象", "保障对象", "供养对象",
    "帮扶人", "责任人", "监护人", "代理人", "委托人", "经办人", "收款人", "领款人", "持卡人",
    "开户人", "户名", "配偶", "家庭成员",
)
_LABEL = re.compile("(?:" + "|".join(sorted(NAME_LABELS, key=len, reverse=True)) + ")[ \t\u3000:：]*")


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


def _distinct(values: Iterable[object] | None) -> Iterable[object]:
    """The distinct ``values``; a pandas column through its own ``unique`` (iterating an
    Arrow-backed column value by value is slow)."""
    if values is None:
        return ()
    unique = getattr(values, "unique", None)
    if callable(unique):
        try:
            values = unique()
        except TypeError:  # pragma: no cover - a ``unique`` that is not pandas'
            pass
        tolist = getattr(values, "tolist", None)
        return tolist() if callable(tolist) else values
    try:
        return set(values)
    except TypeError:  # something unhashable among them: not a name anyway
        return values


class NameIndex:
    """The registry's names, for a fast search of Chinese text by the rule of the module
    docstring: a set lookup of each whole run of Chinese characters, and of the few
    characters right after each label (:data:`NAME_LABELS`).

    Parameters
    ----------
    names : iterable of str
        Full names; blanks, one-character names and names with characters other than
        Chinese ones (and ``·``) are left out.

    Examples
    --------
    >>> index = NameIndex(["张三丰", "金发", None, "王"])
    >>> len(index), index.lengths
    (2, (3, 2))
    >>> list(index.find("各月救助资金发放（金发）"))
    ['金发']
    >>> list(index.find("户主：张三丰已纳入，张三丰户"))
    ['张三丰']
    """

    def __init__(self, names: Iterable[object] | None) -> None:
        keep: set[str] = set()
        for raw in _distinct(names):
            if not isinstance(raw, str):
                continue  # None, NaN, NA: no name
            name = unicodedata.normalize("NFKC", raw).strip()
            if len(name) >= 2 and _CJK_RUN.fullmatch(name) and name.strip(_NAME_EXTRA) == name:
                keep.add(name)
        self.names = frozenset(keep)
        self.lengths = tuple(sorted({len(n) for n in keep}, reverse=True))

    def __len__(self) -> int:
        return len(self.names)

    def find(self, text: str) -> Iterator[str]:
        """Each name found in ``text``, in the order of the text: a whole run of Chinese
        characters that is a name, or the longest name that starts right after a label
        (and its separators); a name is reported once however both rules find it."""
        yield from (name for _, name in sorted(self._found(text).items()))

    def _found(self, text: str) -> dict[int, str]:
        """The names of ``text`` by where they start."""
        out: dict[int, str] = {}
        if not self.names:
            return out
        names = self.names
        for m in _CJK_RUN.finditer(text):
            if m.group() in names:
                out[m.start()] = m.group()
        for m in _LABEL.finditer(text):
            at = m.end()
            if at in out:
                continue
            for n in self.lengths:
                candidate = text[at:at + n]
                if len(candidate) == n and candidate in names:
                    out[at] = candidate
                    break
        return out


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
