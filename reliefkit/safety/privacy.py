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
  where it stands on its own: as a whole run of Chinese characters (a table cell, a
  list item, a line, a JSON string, a name between spaces, digits or punctuation), or
  right after a label such as ``户主`` or ``姓名：`` (the name rule of
  :mod:`reliefkit.safety.identifiers`, labels in
  :data:`~reliefkit.safety.identifiers.NAME_LABELS`). A name inside a longer run of
  prose with no label before it is not a finding (``各月救助资金发放`` holds the name
  ``金发``). Names of other scripts are not looked for.

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

import zipfile
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from reliefkit.errors import ReliefkitError
from reliefkit.safety.identifiers import KINDS, NameIndex, scan_text
from reliefkit.safety.segments import IMAGE_SUFFIXES, file_segments

__all__ = ["scan_outputs", "FINDING_COLUMNS", "KINDS", "EXEMPT_NAME_PREFIX"]

FINDING_COLUMNS = ("file", "where", "kind", "value")
EXEMPT_NAME_PREFIX = "publicity"


def _exempt_from_names(rel: Path) -> bool:
    return any(part.lower().startswith(EXEMPT_NAME_PREFIX) for part in rel.parts)


def _scan_file(path: Path, rel: str, names: NameIndex | None, rows: list[tuple[str, str, str, str]]) -> bool:
    pieces = file_segments(path)
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
        Full names of registry persons, e.g. ``region.persons["name"]`` (a million
        names, 2 × 10^5 distinct, take about half a second), or a :class:`NameIndex`
        built once. Without them, names are not looked for.

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
