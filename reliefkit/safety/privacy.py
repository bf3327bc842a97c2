"""The privacy gate: scan the files a run wrote for personal identifiers left unmasked.

:func:`scan_outputs` reads every file under a folder and reports, as one table, each

- ``resident_id``: an 18-character resident ID number with a valid GB 11643 check
  character (:func:`reliefkit.text.idnumbers.is_valid_resident_id`; a trailing ``x`` too);
- ``resident_id_15``: a 15-digit first-generation ID — a province code (11–82), 4 more
  area digits, a valid birth date ``YYMMDD`` (19YY) and 3 digits
  (:func:`is_legacy_resident_id`);
- ``bank_card``: a 16–19-digit number that passes the Luhn check (:func:`luhn_ok`) and
  is not a valid resident ID;
- ``name``: the full name of a registry person (``names``), 2 characters or more,
  found inside a run of Chinese characters (the middle dot of transliterated names
  ``·`` included). Names of other scripts are not looked for.

How files are read:

- ``.ipynb`` / ``.json``: every string (and number) of the JSON tree, so ``\\uXXXX``
  escapes are decoded; ``where`` is the JSON path (``cells[3].outputs[0].text[2]``).
- ``.docx`` / ``.xlsx`` / ``.pptx``: every XML part of the zip, as text (paragraphs and
  cells on lines of their own; runs of one paragraph joined, so a name split over two
  runs is still found; attribute values such as sheet names and image descriptions
  too); ``where`` is the part and the paragraph, or the cell (``xl/worksheets/sheet1.xml
  B3``). Media (images) inside are skipped.
- Images (``.png``, ``.jpg``, ``.gif``, ``.webp``, ``.bmp``, ``.ico``, ``.tif``) are skipped.
- Any other file (``.html``, ``.md``, ``.txt``, ``.log``, ``.csv``, ``.svg`` …) is text:
  UTF-8 (with or without BOM), else UTF-16 with a BOM, else GB18030; in HTML, XML and
  SVG, character references are decoded and inline tags (``<b>``, ``<span>`` …) are
  dropped so the text around them joins; full-width digits count as digits (NFKC).
  ``where`` is the line.
  A file that decodes as none of these and holds NUL bytes is binary: it is not
  scanned and is listed in ``result.attrs["skipped"]``.

Digits are taken as one number only when no digit is next to them, and not when they
are part of a decimal number (``0.012345678901234567``) or of a long run of letters and
digits (a hash, base64 image data); so masked IDs (``110105********002X``), IDs with a
wrong check character and ordinary numbers are not findings.

**Publicity lists are exempt from the name check only**: a file whose name — or the
name of a folder it is in, below the scanned folder — starts with ``publicity`` (what
:func:`reliefkit.report.publicity.write_publicity` writes) legitimately holds the names of the
heads of households; its identifiers are still checked.

Findings never hold a value unmasked: IDs and cards through
:func:`~reliefkit.text.idnumbers.mask_id`, names through :func:`~reliefkit.text.idnumbers.mask_name`.

Examples
--------
>>> import pathlib, tempfile
>>> with tempfile.TemporaryDirectory() as tmp:
...     _ = pathlib.Path(tmp, "report.md").write_text("户主 张三丰 11010519491231002X\\n", encoding="utf-8")
...     found = scan_outputs(tmp, names=["张三丰"])
>>> found[["file", "where", "kind", "value"]].values.tolist()
[['report.md', 'line 1', 'resident_id', '110105********002X'], ['report.md', 'line 1', 'name', '张**']]
"""

from __future__ import annotations

import html
import io
import json
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path

import pandas as pd

from reliefkit.errors import ReliefkitError
from reliefkit.text.idnumbers import (
    is_legacy_resident_id,
    is_valid_resident_id,
    luhn_ok,
    mask_id,
    mask_name,
)

__all__ = ["scan_outputs", "scan_text", "mask_identifiers", "FINDING_COLUMNS", "KINDS", "NameIndex", "is_legacy_resident_id",
           "luhn_ok"]

FINDING_COLUMNS = ("file", "where", "kind", "value")
KINDS = ("resident_id", "resident_id_15", "bank_card", "name")

IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".webp", ".bmp", ".ico", ".tif", ".tiff"})
ZIP_SUFFIXES = frozenset({".docx", ".xlsx", ".xlsm", ".pptx"})
JSON_SUFFIXES = frozenset({".ipynb", ".json"})
MARKUP_SUFFIXES = frozenset({".html", ".htm", ".xml", ".svg", ".xhtml"})
EXEMPT_NAME_PREFIX = "publicity"

# a run of 15-19 ASCII digits (18 may end in X): no digit next to it, not inside a decimal number
_NUMBER = re.compile(r"(?<![0-9])(?<![0-9]\.)[0-9]{15,19}[Xx]?(?![0-9])(?!\.[0-9])")
_BLOB_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
_BLOB_MIN = 32
_NAME_EXTRA = "·・"  # middle dots of transliterated names (买买提·艾力)
_CJK_RUN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f" + _NAME_EXTRA + "]{2,}")


# --------------------------------------------------------------------------- checks
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


# --------------------------------------------------------------------------- text
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


def _decode(data: bytes) -> str | None:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    if b"\x00" in data:
        return None  # binary
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        return data.decode("utf-8", errors="replace")


# --------------------------------------------------------------------------- JSON
def _json_strings(node: object, path: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(node, str):
        yield path, node
    elif isinstance(node, bool) or node is None:
        return
    elif isinstance(node, (int, float)):
        yield path, repr(node)
    elif isinstance(node, dict):
        for k, v in node.items():
            key = str(k)
            yield from _json_strings(key, f"{path} (a key)".lstrip())
            sub = f"{path}.{key}" if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", key) else f"{path}[{json.dumps(key)}]"
            yield from _json_strings(v, sub.lstrip("."))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _json_strings(v, f"{path}[{i}]")


def _segments_json(text: str) -> Iterator[tuple[str, str]] | None:
    try:
        tree = json.loads(text)
    except ValueError:
        return None
    return ((path or "(document)", s) for path, s in _json_strings(tree))


# --------------------------------------------------------------------------- Office zips
_INLINE = {"w:t", "w:r", "w:rPr", "w:hyperlink", "w:ins", "w:del", "w:delText", "w:smartTag", "w:fldSimple",
           "w:proofErr", "w:bookmarkStart", "w:bookmarkEnd", "w:instrText", "w:sdtContent",
           "t", "r", "rPr", "a:t", "a:r", "a:rPr", "a:endParaRPr"}
_BREAK_EMPTY = {"w:tab", "w:br", "w:cr", "a:br"}
_TAG = re.compile(r"<(/?)([A-Za-z_][\w.:-]*)([^>]*?)(/?)>", re.S)
_ATTR = re.compile(r"""\s[\w:.-]+\s*=\s*(?:"([^"]*)"|'([^']*)')""")
# inline HTML elements join the text around them ("<b>张</b>三" is 张三); block ones stay
_INLINE_HTML = re.compile(r"</?(?:a|abbr|b|bdi|bdo|cite|code|data|dfn|em|font|i|kbd|mark|q|s|samp|small|span|strong|"
                          r"sub|sup|time|u|var|wbr)\b[^>]*>", re.I)
_PI = re.compile(r"<\?.*?\?>|<!--.*?-->", re.S)
_RPR = re.compile(r"<(w:|a:)?rPr\b[^>]*>.*?</(?:w:|a:)?rPr>", re.S)
_CELL = re.compile(r"<c\b([^>]*?)(?:/>|>(.*?)</c>)", re.S)
_SI = re.compile(r"<si\b[^>]*>(.*?)</si>", re.S)
_SHARED_REF = re.compile(r"<v>(\d+)</v>")


def _xml_text(xml: str) -> str:
    """The text of an XML part: block elements end a line, run-level ones join."""
    xml = _PI.sub("", xml)
    xml = _RPR.sub("", xml)  # run properties hold no text and sit between two runs of a word

    def tag(m: re.Match) -> str:
        closing, name, _, empty = m.groups()
        if closing:
            return "" if name in _INLINE else "\n"
        if empty and name in _BREAK_EMPTY:
            return "\n"
        return ""

    return html.unescape(_TAG.sub(tag, xml))


def _attr_values(xml: str) -> list[str]:
    out = []
    for m in _ATTR.finditer(xml):
        v = m.group(1) if m.group(1) is not None else m.group(2)
        if v and (not v.isascii() or sum(c.isdigit() for c in v) >= 15):
            out.append(html.unescape(v))
    return out


def _segments_xlsx(parts: dict[str, str]) -> Iterator[tuple[str, str]]:
    shared_at: dict[int, str] = {}
    for part in sorted(p for p in parts if p.startswith("xl/worksheets/") and p.endswith(".xml")):
        for m in _CELL.finditer(parts[part]):
            attrs, body = m.group(1), m.group(2) or ""
            ref = re.search(r'\br="([A-Z]+[0-9]+)"', attrs)
            where = f"{part} {ref.group(1) if ref else 'cell'}"
            if re.search(r'\bt="s"', attrs):
                k = _SHARED_REF.search(body)
                if k:
                    shared_at.setdefault(int(k.group(1)), where)
                continue
            yield where, _xml_text(body).replace("\n", " ").strip()
    if "xl/sharedStrings.xml" in parts:
        for i, m in enumerate(_SI.finditer(parts["xl/sharedStrings.xml"])):
            yield shared_at.get(i, f"xl/sharedStrings.xml string {i}"), _xml_text(m.group(1))


def _segments_zip(data: bytes, suffix: str) -> Iterator[tuple[str, str]]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        parts = {}
        for info in z.infolist():
            name = info.filename
            if info.is_dir() or Path(name).suffix.lower() in IMAGE_SUFFIXES or "/media/" in name:
                continue
            raw = z.read(name)
            text = _decode(raw)
            if text is not None:
                parts[name] = text
    xlsx_done: set[str] = set()
    if suffix in (".xlsx", ".xlsm"):
        yield from _segments_xlsx(parts)
        xlsx_done = {p for p in parts if p.startswith("xl/worksheets/") or p == "xl/sharedStrings.xml"}
    for part in sorted(parts):
        xml = parts[part]
        if part not in xlsx_done:
            lines = _xml_text(xml).split("\n")
            block = 0
            for line in lines:
                if line.strip():
                    block += 1
                    yield f"{part} paragraph {block}", line
        for value in _attr_values(xml):
            yield f"{part} attribute", value


# --------------------------------------------------------------------------- files
def _exempt_from_names(rel: Path) -> bool:
    return any(part.lower().startswith(EXEMPT_NAME_PREFIX) for part in rel.parts)


def _segments(path: Path) -> Iterator[tuple[str, str]] | None:
    """(where, text) pieces of one file, or None when the file is not scanned."""
    suffix = path.suffix.lower()
    if suffix in IMAGE_SUFFIXES:
        return iter(())
    data = path.read_bytes()
    if suffix in ZIP_SUFFIXES and zipfile.is_zipfile(io.BytesIO(data)):
        return _segments_zip(data, suffix)
    text = _decode(data)
    if text is None:
        return None
    if suffix in JSON_SUFFIXES:
        pieces = _segments_json(text)
        if pieces is not None:
            return pieces
    if suffix in MARKUP_SUFFIXES:
        text = html.unescape(_INLINE_HTML.sub(lambda m: "\n" * m.group().count("\n"), text))
    return iter([("", text)])


def _scan_file(path: Path, rel: str, names: NameIndex | None, rows: list[tuple[str, str, str, str]]) -> bool:
    pieces = _segments(path)
    if pieces is None:
        return False
    for where, text in pieces:
        for lineno, kind, value in scan_text(text, names):
            if not where:
                loc = f"line {lineno}"
            else:
                loc = where if text.rstrip("\n").count("\n") == 0 else f"{where} line {lineno}"
            rows.append((rel, loc, kind, value))
    return True


def scan_outputs(folder: str | Path, names: Iterable[object] | NameIndex | None = None) -> pd.DataFrame:
    """Scan every file under ``folder`` for unmasked identifiers and registry names.

    Parameters
    ----------
    folder : path
        An output folder (searched recursively), or a single file.
    names : iterable of str, optional
        Full names of registry persons, e.g. ``region.persons["name"]`` (about 10^5 names
        take a fraction of a second). Without them, names are not looked for.

    Returns
    -------
    DataFrame
        One row per finding: ``file`` (relative to ``folder``, with ``/``), ``where``
        (line, JSON path, XML part and paragraph, or sheet cell), ``kind`` (one of
        :data:`KINDS`) and ``value`` (masked). Empty when the folder is clean.
        ``attrs["skipped"]`` lists binary files that could not be read as text;
        ``attrs["files"]`` counts the files scanned.

    Raises
    ------
    ReliefkitError
        When ``folder`` does not exist.
    """
    root = Path(folder)
    if not root.exists():
        raise ReliefkitError("does not exist", "pass the output folder of a run", folder=str(root))
    index = names if isinstance(names, NameIndex) or names is None else NameIndex(names)
    files = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
    rows: list[tuple[str, str, str, str]] = []
    skipped: list[str] = []
    scanned = 0
    for path in files:
        rel_path = Path(path.name) if root.is_file() else path.relative_to(root)
        rel = rel_path.as_posix()
        use_names = None if _exempt_from_names(rel_path) else index
        try:
            ok = _scan_file(path, rel, use_names, rows)
        except (OSError, zipfile.BadZipFile) as e:
            raise ReliefkitError(f"cannot be read for the privacy check ({e})",
                                 "check the file's permissions, or remove it if it is not an output",
                                 file=str(path)) from e
        if not ok:
            skipped.append(rel)
        elif path.suffix.lower() not in IMAGE_SUFFIXES:
            scanned += 1
    out = pd.DataFrame(rows, columns=list(FINDING_COLUMNS), dtype="str")
    out.attrs["skipped"] = skipped
    out.attrs["files"] = scanned
    return out
