"""Convert every DOCX under a folder to PDF pages and say how full each page is.

    .venv/bin/python scripts/docx_pages.py reports/2026 [--png DIR] [--fonts FONTS.conf]

Each DOCX is converted with LibreOffice (``soffice --headless --convert-to pdf``) and its
pages rendered with poppler (``pdftoppm``, ``pdftotext``); for each page the script prints
how far down the text area (A4 less the GB/T 9704 margins) the content reaches. A page of
the body or of the attachment (附件) filled less than half — not counting the last page of
each, which may end anywhere — is listed as half empty and makes the exit code 1. With
``--png DIR`` the pages are kept as PNG files to look at. ``--fonts`` is a fontconfig file
for LibreOffice (e.g. aliases of 仿宋_GB2312, 黑体 … to the fonts of this machine).

Needs ``libreoffice-writer`` (``soffice``) and ``poppler-utils`` (Debian:
``apt-get install -y libreoffice-writer-nogui poppler-utils fonts-noto-cjk``).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

#: the text area of an official document, as shares of the page's height (37 mm top, 35 mm bottom)
TOP, BOTTOM = 37 / 297, (297 - 35) / 297
ATTACHMENT = ("附件", "Appendix")


def _run(*cmd: str, env: dict | None = None) -> str:
    return subprocess.run(cmd, check=True, capture_output=True, text=True, env=env).stdout


def page_fills(pdf: Path, png_dir: Path | None = None, dpi: int = 30) -> list[tuple[int, float, bool]]:
    """``(page, share of the text area's height the content reaches, starts the attachment)``."""
    import numpy as np
    from PIL import Image

    with tempfile.TemporaryDirectory() as tmp:
        _run("pdftoppm", "-r", str(dpi), "-gray", "-png", str(pdf), f"{tmp}/p")
        out = []
        for i, png in enumerate(sorted(Path(tmp).glob("p*.png")), start=1):
            dark = np.asarray(Image.open(png).convert("L")) < 200
            top, bottom = int(TOP * dark.shape[0]), int(BOTTOM * dark.shape[0])
            rows = np.flatnonzero(dark[top:bottom].any(axis=1))
            fill = (rows[-1] + 1) / (bottom - top) if rows.size else 0.0
            text = _run("pdftotext", "-f", str(i), "-l", str(i), str(pdf), "-").strip()
            out.append((i, round(float(fill), 2), text.startswith(ATTACHMENT)))
            if png_dir is not None:
                png_dir.mkdir(parents=True, exist_ok=True)
                shutil.copy(png, png_dir / f"{pdf.stem}-{i:02d}.png")
    return out


def half_empty(fills: list[tuple[int, float, bool]]) -> list[int]:
    """Pages filled less than half, other than the last page of the body and the last page."""
    attachment = next((i for i, _, a in fills if a), len(fills) + 1)
    ends = {attachment - 1, len(fills)}
    return [i for i, fill, _ in fills if fill < 0.5 and i not in ends]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--png", type=Path, default=None, help="keep every page as a PNG in this folder")
    parser.add_argument("--fonts", type=Path, default=None, help="a fontconfig file for LibreOffice")
    args = parser.parse_args(argv)
    for tool in ("soffice", "pdftoppm", "pdftotext"):
        if shutil.which(tool) is None:
            print(f"{tool} is missing: apt-get install -y libreoffice-writer-nogui poppler-utils", file=sys.stderr)
            return 2
    docs = sorted(p for p in args.folder.rglob("*.docx") if not p.name.startswith((".", "~")))
    env = {**os.environ, **({"FONTCONFIG_FILE": str(args.fonts.resolve())} if args.fonts else {})}
    bad = 0
    with tempfile.TemporaryDirectory() as tmp:
        for doc in docs:
            _run("soffice", "--headless", "--convert-to", "pdf", "--outdir", tmp, str(doc), env=env)
            fills = page_fills(Path(tmp) / f"{doc.stem}.pdf", args.png)
            low = half_empty(fills)
            bad += bool(low)
            print(f"{doc.relative_to(args.folder)}: {len(fills)} pages, filled "
                  + " ".join(f"{f:.2f}" + ("*" if a else "") for _, f, a in fills)
                  + (f"  HALF EMPTY: pages {low}" if low else ""))
    print(f"{len(docs)} documents, {bad} with a half-empty page (* marks where the attachment starts)")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
