"""What a region calls itself: the optional ``region.yaml`` (or ``地区.yaml``) of a region
folder (``docs/en/region-folder.md``, "Region metadata").

.. code-block:: yaml

    name: 青山区                 # 名称: what titles and sentences call the region
    name_en: Qingshan District  # optional; the English outputs use it (else name)
    code: "430521"              # optional 行政区划代码, kept as text

Without the file the region is called by its folder's name (a one-workbook region by the
workbook's name without ``.xlsx``). The keys may also be written in Chinese (名称, 英文名称,
行政区划代码). A region given as one workbook reads the file beside the workbook.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from reliefkit.errors import RegionReadError
from reliefkit.io.schema import METADATA_FILES

__all__ = ["METADATA_FILES", "RegionMeta", "metadata_file", "read_metadata"]

#: a key as written in the file → its field
_KEYS = {"name": "name", "名称": "name", "name_en": "name_en", "英文名称": "name_en",
         "code": "code", "行政区划代码": "code", "代码": "code"}


@dataclass(frozen=True)
class RegionMeta:
    """A region's names and code.

    Attributes
    ----------
    name : str
        What titles and sentences call the region.
    name_en : str or None
        Its English name, when the file gives one.
    code : str or None
        Its administrative division code (行政区划代码), as text.

    Examples
    --------
    >>> meta = RegionMeta("青山区", "Qingshan District", "430521")
    >>> meta.display_name("zh"), meta.display_name("en")
    ('青山区', 'Qingshan District')
    >>> RegionMeta("青山区").display_name("en")
    '青山区'
    """

    name: str
    name_en: str | None = None
    code: str | None = None

    def display_name(self, lang: str = "zh") -> str:
        """The name a text in ``lang`` (``"zh"`` or ``"en"``) uses: ``name_en`` in English
        when there is one, else ``name``."""
        return (self.name_en or self.name) if lang == "en" else self.name


def metadata_file(region_dir: str | Path) -> Path | None:
    """The metadata file of a region folder (for a workbook: the folder it lies in), or None.

    Examples
    --------
    >>> metadata_file("data/sample").name
    'region.yaml'
    """
    folder = Path(region_dir)
    if folder.is_file():
        folder = folder.parent
    for name in METADATA_FILES:
        if (folder / name).is_file():
            return folder / name
    return None


def read_metadata(region_dir: str | Path, default_name: str) -> RegionMeta:
    """Read a region's metadata file, or call the region ``default_name`` without one.

    Parameters
    ----------
    region_dir : path
        A region folder, a store of one, or a one-workbook region (``.xlsx``).
    default_name : str
        The name without a file (the folder's or workbook's name).

    Returns
    -------
    RegionMeta

    Raises
    ------
    RegionReadError
        When the file is not YAML, is not a map, names an unknown key, or gives an empty name.

    Examples
    --------
    >>> read_metadata("data/sample", "sample").name
    '青山区'
    """
    path = metadata_file(region_dir)
    if path is None:
        return RegionMeta(default_name)
    how = "write it as lines `name: 青山区`, optionally `name_en: …` and `code: \"430521\"`"
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "problem", None) or type(exc).__name__
        raise RegionReadError(f"is not readable YAML ({reason})", how, file=path.name) from None
    if raw is None:
        return RegionMeta(default_name)
    if not isinstance(raw, dict):
        raise RegionReadError("is not a map of keys to values", how, file=path.name)
    fields: dict[str, str] = {}
    for key, value in raw.items():
        field = _KEYS.get(str(key).strip())
        if field is None:
            raise RegionReadError(f"has an unknown key {key!r}", f"use only {', '.join(_KEYS)}", file=path.name)
        if value is not None and str(value).strip():
            fields[field] = str(value).strip()
    if "name" not in fields:
        fields["name"] = default_name
    return RegionMeta(**fields)
