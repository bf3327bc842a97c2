"""Words printed by charts, tables and publicity lists, per language.

They live in ``reliefkit/report/templates/labels.yaml`` (text is data, not Python strings);
narrative sentences live in the summary templates.

Examples
--------
>>> label("program", "tekun", "zh"), label("program", "tekun", "en")
('特困供养', 'Special-hardship support')
>>> label("cause", "(none)", "en")
'Not recorded'
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from reliefkit._resources import resource
from reliefkit.errors import ReliefkitError
from reliefkit.text.formatting import _check_lang

__all__ = ["labels", "label", "LABELS_FILE"]

LABELS_FILE = resource("reliefkit.text", "words", "labels.yaml")


@cache
def read_words(path: Path) -> dict[str, Any]:
    """A words file (``{lang: {group: {key: text}}}``), read once."""
    import yaml

    with Path(path).open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def lookup(path: Path, group: str, key: str, lang: str, what: str = "label") -> str:
    """The text of ``key`` in ``group`` of a words file; a missing one is an error that
    says where to add it."""
    try:
        return str(read_words(path)[_check_lang(lang)][group][key])
    except KeyError:
        raise ReliefkitError(f"has no {lang} {what}", f"add it under {lang}.{group} in {path}",
                             key=f"{group}.{key}") from None


def labels(lang: str) -> dict[str, Any]:
    """Every label of one language: ``{"program": {...}, "cause": {...}, "month": [...], ...}``."""
    return read_words(LABELS_FILE)[_check_lang(lang)]


def label(group: str, code: str, lang: str) -> str:
    """The label of ``code`` in ``group`` (``program``, ``cause``, ``chart``, ``publicity``).

    Raises
    ------
    ReliefkitError
        When the label is missing from labels.yaml.
    """
    return lookup(LABELS_FILE, group, code, lang)
