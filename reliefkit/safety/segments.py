"""The text of an output file, piece by piece, as a person would read it.

- ``.ipynb`` / ``.json``: every string (and number) of the JSON tree, ``\\uXXXX`` escapes
  decoded; ``where`` is the JSON path (``cells[3].outputs[0].text[2]``). The strings of
  ``text/html`` outputs are read as HTML (below).
- ``.docx`` / ``.xlsx`` / ``.pptx``: every XML part of the zip as text (paragraphs and
  cells on lines of their own, runs of one paragraph joined, attribute values too);
  ``where`` is the part and the paragraph or cell. Media inside are skipped.
- Images are skipped. Any other file is text (UTF-8 with or without BOM, else UTF-16
  with a BOM, else GB18030); in HTML, XML and SVG, character references are decoded and
  inline tags dropped so the text around them joins. A file that decodes as none of
  these and holds NUL bytes is binary: :func:`file_segments` returns None.

Examples
--------
>>> import pathlib, tempfile
>>> with tempfile.TemporaryDirectory() as tmp:
...     path = pathlib.Path(tmp, "a.html")
...     _ = path.write_text("<p>户主 <b>张</b>三</p>", encoding="utf-8")
...     list(file_segments(path))
[('', '<p>户主 张三</p>')]
"""

from __future__ import annotations

import html
import io
import json
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

__all__ = ["file_segments", "IMAGE_SUFFIXES", "ZIP_SUFFIXES", "JSON_SUFFIXES", "MARKUP_SUFFIXES"]

IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".webp", ".bmp", ".ico", ".tif", ".tiff"})
ZIP_SUFFIXES = frozenset({".docx", ".xlsx", ".xlsm", ".pptx"})
JSON_SUFFIXES = frozenset({".ipynb", ".json"})
MARKUP_SUFFIXES = frozenset({".html", ".htm", ".xml", ".svg", ".xhtml"})


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


def _markup_text(text: str) -> str:
    """HTML as read: character references decoded, inline tags dropped (line breaks kept)."""
    return html.unescape(_INLINE_HTML.sub(lambda m: "\n" * m.group().count("\n"), text))


def _segments_json(text: str) -> Iterator[tuple[str, str]] | None:
    try:
        tree = json.loads(text)
    except ValueError:
        return None
    # a notebook's HTML outputs (a DataFrame's table) are read as HTML files are
    return ((path or "(document)", _markup_text(s) if '["text/html"]' in path else s)
            for path, s in _json_strings(tree))


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


def file_segments(path: Path) -> Iterator[tuple[str, str]] | None:
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
        text = _markup_text(text)
    return iter([("", text)])
