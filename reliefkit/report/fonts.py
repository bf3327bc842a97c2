"""A real CJK font for charts, found and registered with matplotlib (never boxes).

Where the font comes from, in order:

1. the ``mplfonts`` package from PyPI (a dependency of reliefkit's report extra), which
   ships *Noto Sans CJK SC* (SIL Open Font License 1.1) — so ``pip install`` alone gives
   a fresh machine the font; reliefkit only reads the file from the installed package
   and registers it with matplotlib's font manager (it never copies files into
   matplotlib or changes the user's matplotlibrc, as ``mplfonts init`` would);
2. a system font with Simplified Chinese glyphs that matplotlib knows (e.g. Debian's
   ``fonts-noto-cjk``: *Noto Sans CJK SC*/*JP*, *Source Han Sans SC*, *WenQuanYi*).

:func:`missing_glyphs` reads the font's character map with fontTools, so a caller (and
the tests) can prove that every label drawn has a glyph in the font in use.

Examples
--------
>>> font = cjk_font()
>>> font.family
'Noto Sans CJK SC'
>>> missing_glyphs("各乡镇（街道）保障人数 Persons 1,234", font.path, font.face_index)
''
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from reliefkit.errors import ReliefkitError

__all__ = ["CjkFont", "cjk_font", "missing_glyphs", "resolve", "font_rc", "PACKAGED_FONT", "SYSTEM_FAMILIES"]

#: the file reliefkit uses from the mplfonts package
PACKAGED_FONT = ("mplfonts", "fonts/NotoSansCJKsc-Regular.otf")
#: system font families accepted when mplfonts is not installed, in order of preference
SYSTEM_FAMILIES = ("Noto Sans CJK SC", "Source Han Sans SC", "Noto Sans SC", "Noto Sans CJK JP",
                   "Source Han Sans CN", "WenQuanYi Zen Hei", "WenQuanYi Micro Hei")
#: characters a font must have to count as a Simplified Chinese font
_PROBE = "农村低保特困供养乡镇街道临时救助医疗"


@dataclass(frozen=True)
class CjkFont:
    """The CJK font in use: its family name, and the file (and face, for a collection)
    that matplotlib draws that family with."""

    family: str
    path: Path
    face_index: int = 0
    source: str = ""

    def __repr__(self) -> str:
        face = f" face {self.face_index}" if self.face_index else ""
        return f"<CjkFont {self.family!r} from {self.source}: {self.path.name}{face}>"


def _packaged() -> Path | None:
    package, rel = PACKAGED_FONT
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return None
    for root in spec.submodule_search_locations:
        path = Path(root) / rel
        if path.is_file():
            return path
    return None


@cache
def _cmap(path: str, face_index: int = 0) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    with TTFont(path, lazy=True, fontNumber=face_index) as font:
        return frozenset(font.getBestCmap() or {})


def missing_glyphs(text: str, path: str | Path | None = None, face_index: int | None = None) -> str:
    """The characters of ``text`` (white space aside) that the font has no glyph for,
    each once, in order; ``""`` when every character can be drawn. Default font: the
    one in use (:func:`cjk_font`); ``path`` may be what matplotlib's ``findfont`` returns.

    Examples
    --------
    >>> missing_glyphs("城关镇 2026")
    ''
    """
    if path is None:
        font = cjk_font()
        path, face_index = font.path, font.face_index
    if face_index is None:
        face_index = int(getattr(path, "face_index", 0) or 0)
    cmap = _cmap(str(path), face_index)
    seen: list[str] = []
    for ch in text:
        if not ch.isspace() and ord(ch) not in cmap and ch not in seen:
            seen.append(ch)
    return "".join(seen)


def resolve(family: str) -> tuple[Path, int]:
    """The file and face matplotlib draws ``family`` with (no fallback: ValueError when
    it has no such family)."""
    from matplotlib import font_manager

    found = font_manager.findfont(font_manager.FontProperties(family=family), fallback_to_default=False)
    return Path(str(found)), int(getattr(found, "face_index", 0) or 0)


@cache
def cjk_font() -> CjkFont:
    """Find the CJK font (see the module's order), register it with matplotlib, and
    return the font matplotlib will draw with.

    A system font of the same family may shadow the packaged file; either has every
    glyph the kit draws (:func:`missing_glyphs` is checked on a probe text).

    Raises
    ------
    ReliefkitError
        When no CJK font is installed; the message says how to install one.
    """
    from matplotlib import font_manager

    families: list[tuple[str, str]] = []
    packaged = _packaged()
    if packaged is not None:
        font_manager.fontManager.addfont(str(packaged))
        families.append((font_manager.FontProperties(fname=str(packaged)).get_name(), "mplfonts"))
    families += [(f, "system") for f in SYSTEM_FAMILIES]
    for family, source in families:
        try:
            path, index = resolve(family)
        except ValueError:
            continue
        if not missing_glyphs(_PROBE, path, index):
            if source == "mplfonts" and path != packaged:
                source = "system (same family as mplfonts')"
            return CjkFont(family, path, index, source)
    raise ReliefkitError(
        "no font with Chinese glyphs is installed, so chart labels would be drawn as boxes",
        "run `pip install mplfonts` (or `apt-get install fonts-noto-cjk`)",
    )


def font_rc() -> dict[str, object]:
    """matplotlib rcParams that draw every text with the CJK font (Latin included)."""
    font = cjk_font()
    return {"font.family": "sans-serif", "font.sans-serif": [font.family], "axes.unicode_minus": False,
            "svg.fonttype": "none"}
